"""index.html: the release's landing page, one self-contained file from templates/landing.html.j2.

Jinja2 with autoescape: every value is escaped unless it is markup built here (the
SVG figures, wrapped in Markup). Inline CSS and SVG only, no script, no external font,
image or tile; a Content Security Policy forbids loading anything else, so a stray
external reference shows up as a console error in the browser test.
"""

from __future__ import annotations

import ast
import re
from collections import Counter

import pyarrow as pa
from markupsafe import Markup

from pipelines.schema import TABLES

from . import provenance
from .charts import advisors_chart, france_map, geometry, map_legend, plural, region_stats
from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .dictionary import opt_out_text
from .labels import columns_of
from .rendering import render

MAX_CHANGES_LISTED = 200

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1e1e1e;background:#fafafa;overflow-wrap:anywhere}
header{background:#000091;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .3rem}header p{margin:.2rem 0;max-width:60rem}
header a{color:#fff}main{padding:1rem 2rem;max-width:80rem}section{margin:1.5rem 0}
h2{border-bottom:2px solid #000091;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;background:#fff;max-width:100%}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f0f0f7}td.num{text-align:right}.ok strong{color:#18753c}.fail strong{color:#ce0500}
.checks{padding-left:1.2rem}.checks li{margin:.2rem 0}
.notice{background:#fff4e5;border:3px solid #b34000;color:#1e1e1e;padding:1rem 2rem;margin:0;font-size:1.05rem}.notice strong{color:#b34000}
.answer .headline{font-size:1.4rem;font-weight:700;color:#000091;margin:.2rem 0}
.figures{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}figure{margin:0;flex:1 1 22rem;max-width:40rem;min-width:0}
figcaption{font-weight:600;margin-bottom:.4rem}svg{display:block;width:100%;height:auto}
svg text{font-family:inherit}.abbr{font-weight:700;font-size:12px;text-anchor:middle;fill:#161616;paint-order:stroke;stroke:#fff;stroke-width:2.5px}
.count{font-size:11px;text-anchor:middle;fill:#161616;paint-order:stroke;stroke:#fff;stroke-width:2.5px}
.bar-label{font-size:12px;text-anchor:end}.bar-value{font-size:11px}code{background:#eee;padding:0 .2rem}
.legend{font-size:.85rem}.legend p{margin:.3rem 0}.swatch{display:inline-block;width:.9rem;height:.9rem;vertical-align:middle;border:1px solid #999}
.swatch.dark{background:#2a5bb0}.swatch.hatch{background:repeating-linear-gradient(45deg,#d9480f 0 2px,#fff 2px 5px)}
.dot{display:inline-block;width:.55rem;height:.55rem;border-radius:50%;background:#161616;vertical-align:middle}
.abbreviations{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.1rem .8rem;margin:.3rem 0}
.abbreviations div{display:flex;gap:.4rem}.abbreviations dt{font-weight:700;min-width:2.6rem}.abbreviations dd{margin:0}
.credit{color:#555;font-size:.75rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}.empty{color:#666;font-style:italic}
@media (max-width:640px){
header,main{padding-left:.8rem;padding-right:.8rem}.notice{padding:.8rem}
table,thead,tbody,tr,th,td{display:block;width:100%}thead{position:absolute;left:-9999px}
tr{border:1px solid #ddd;margin:.4rem 0;background:#fff}td{border:0;border-bottom:1px solid #eee}
td::before{content:attr(data-label) ": ";font-weight:600;color:#555}td.num{text-align:left}
}
"""


_MAPPING = re.compile(r"\{[^{}]*\}")


def _readable(text: str) -> str:
    """A dict printed inside a description ("fill rates {'name': 1.0}") as words ("fill rates name 100%")."""

    def words(match: re.Match) -> str:
        try:
            mapping = ast.literal_eval(match.group(0))
        except (ValueError, SyntaxError):
            return match.group(0)
        if not isinstance(mapping, dict):
            return match.group(0)
        return ", ".join(
            f"{k} {v:.0%}" if isinstance(v, float) and 0 <= v <= 1 else f"{k} {v}" for k, v in mapping.items()
        )

    return _MAPPING.sub(words, text)


def check_sentence(c: dict) -> str:
    """A check as a sentence: what it asserts, on which table and, when it failed, whether that blocks a release."""
    what = _readable(str(c.get("description") or c.get("check") or "unnamed check")).rstrip(".")
    where = f"table {c['table']}" if c.get("table") else None
    if c.get("passed"):
        return f"{what} ({where})." if where else f"{what}."
    severity = str(c.get("severity") or "error").lower()
    effect = "this blocks a release" if severity == "error" else "a warning: it does not block the release"
    return f"{what} ({where}; {effect})." if where else f"{what} ({effect})."


def _changes(changes: pa.Table) -> dict:
    n_rows = changes.num_rows
    counts = Counter(
        {
            (c["table"], c["change"]): c["count_all"]
            for c in changes.select(["table", "change"])
            .group_by(["table", "change"])
            .aggregate([([], "count_all")])
            .to_pylist()
        }
    )
    tables = sorted({t for t, _ in counts})
    rows = changes.slice(0, MAX_CHANGES_LISTED).to_pylist()  # only the rows listed on the page
    return {
        "n_rows": n_rows,
        "summary": [[t, counts[(t, "added")], counts[(t, "modified")], counts[(t, "removed")]] for t in tables],
        "listed": [[r["table"], r["change"], r["key"], ", ".join(r["changed_columns"])] for r in rows],
        "more": n_rows - MAX_CHANGES_LISTED if n_rows > MAX_CHANGES_LISTED else 0,
    }


def _schemas(row_counts: dict[str, int]) -> list[dict]:
    out = []
    for name in (n for n in TABLES if n in row_counts):
        t = TABLES[name]
        fks = "".join(f"; {', '.join(fk.columns)} → {fk.table}" for fk in t.foreign_keys)
        out.append(
            {
                "name": name,
                "title": t.title,
                "rows": row_counts[name],
                "description": t.description,
                "keys": f"Primary key: {', '.join(t.primary_key)}{fks}",
                "columns": [
                    [c.name, type_label(c.type), "yes" if c.required else "", c.description]
                    for c in columns_of(name, list(t.columns))
                ],
            }
        )
    return out


def answer_of(headline) -> dict | None:
    """The template's headline from a plain text or from pipelines.join.headline's dict (sentence,
    per-pôle ties with evidence, possible ties awaiting review)."""
    if not headline:
        return None
    if isinstance(headline, str):
        return {"text": headline}
    if "sentence" not in headline:
        return headline
    poles = [p for p in headline["poles"] if p["answer"] == "with_cce"]
    return {
        "text": headline["sentence"],
        "detail": f"{plural(headline['awaiting_review'], 'possible tie awaits', 'possible ties await')} a reviewer "
        "(cluster_cce_ties, match = possible; settled in reference/tie_judgements.csv).",
        "poles": [{"name": p["name"], "ties": [t for t in p["ties"] if t["match"] != "possible"]} for p in poles],
        "review": [{"pole": p["name"], **t} for p in headline["poles"] for t in p["ties"] if t["match"] == "possible"],
        # Advisors' companies among the pôles' members (member_company ties, by SIREN).
        "members": headline.get("members_sentence"),
        "member_poles": [
            {"name": p["name"], "ties": p["member_ties"]} for p in headline["poles"] if p.get("member_ties")
        ],
    }


def build(
    *,
    release_id: str,
    run_date,
    previous_id: str | None,
    tables: dict[str, pa.Table],
    sources: list,
    crawls: dict[str, dict],
    checks: list[dict],
    issues: list[dict],
    changes: pa.Table,
    publisher=None,
    headline: dict | None = None,
) -> str:
    """``headline``: the seed question's answer, ``{"text": ..., "detail": ...}`` (detail optional), shown first."""
    row_counts = {n: t.num_rows for n, t in tables.items()}
    stats = region_stats(tables)
    gaps = sorted(code for code, s in stats.items() if s.get("uncovered"))
    coverage_known = any(s.get("uncovered") is not None for s in stats.values())
    gap_note = (
        f"{plural(len(gaps), 'région has', 'régions have')} pôles that no CCE committee covers (hatched)."
        if coverage_known
        else "Coverage is unknown in this release (no coverage table published)."
    )
    issue_counts = Counter(
        (str(i.get("source", "")), str(i.get("severity", "")), str(i.get("code", ""))) for i in issues
    )
    samples = provenance.sample_sources(crawls)
    headline = answer_of(headline)
    context = {
        "css": Markup(CSS),
        "title": DATASET_TITLE,
        "description": DATASET_DESCRIPTION,
        "licence": LICENCE,
        "release_id": release_id,
        "run_date": run_date.isoformat(),
        "previous_id": previous_id,
        "notice": provenance.SAMPLE_NOTICE if samples else None,
        "sample_sources": samples,
        "publisher": {
            "name": None,
            "contact_url": None,
            "homepage": None,
            **(publisher.to_dict() if publisher is not None else {}),
        },
        "headline": {"detail": None, "poles": [], "review": [], "members": None, "member_poles": [], **headline}
        if headline
        else None,
        "downloads": [{"name": n, "title": TABLES[n].title, "rows": row_counts[n]} for n in TABLES if n in row_counts],
        "gap_note": gap_note,
        "map_svg": Markup(france_map(stats, tables.get("clusters"))),
        "chart_svg": Markup(advisors_chart(stats)),
        "legend": map_legend(),
        "map_credit": geometry()["credit"],
        "checks": [{"passed": bool(c.get("passed")), "sentence": check_sentence(c)} for c in checks],
        "checks_passed": sum(1 for c in checks if c.get("passed")),
        "changes": _changes(changes),
        "issues": [[s, sev, code, n] for (s, sev, code), n in sorted(issue_counts.items())],
        "n_issues": len(issues),
        "schemas": _schemas(row_counts),
        "sources": [
            {
                "title": s.title,
                "url": str(s.url),
                "publisher": s.publisher.name,
                "licence": s.licence.name,
                "licence_url": str(s.licence.url),
                "mode": crawls.get(s.name, {}).get("mode", "unknown"),
                "provenance": provenance.describe(crawls.get(s.name, {})),
            }
            for s in sorted(sources, key=lambda s: s.name)
        ],
        "personal_data": opt_out_text(publisher),
    }
    return render("landing.html.j2", **context)
