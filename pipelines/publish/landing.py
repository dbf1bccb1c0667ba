"""index.html: the release's landing page, one self-contained file.

Inline CSS and SVG only, no script, no external font, image or tile; a Content
Security Policy forbids loading anything else, so a stray external reference
shows up as a console error in the browser test instead of a silent request.
"""
from __future__ import annotations

from collections import Counter
from html import escape

import pyarrow as pa

from pipelines.schema import TABLES

from .charts import advisors_chart, france_map, region_stats
from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .dictionary import PERSONAL_DATA

MAX_CHANGES_LISTED = 200

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1e1e1e;background:#fafafa}
header{background:#000091;color:#fff;padding:1.5rem 2rem}header h1{margin:0 0 .3rem}header p{margin:.2rem 0;max-width:60rem}
header a{color:#fff}main{padding:1rem 2rem;max-width:80rem}section{margin:1.5rem 0}
h2{border-bottom:2px solid #000091;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;background:#fff}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f0f0f7}td.num{text-align:right}.ok{color:#18753c;font-weight:600}.fail{color:#ce0500;font-weight:600}
.figures{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}figure{margin:0}figcaption{font-weight:600;margin-bottom:.4rem}
svg text{font-family:inherit}.abbr{font-weight:700;font-size:14px;text-anchor:middle}.count{font-size:11px;text-anchor:middle}
.gap-label{font-size:11px;font-weight:700;fill:#d9480f;text-anchor:middle}.legend,.inset-label{font-size:12px}
.bar-label{font-size:12px;text-anchor:end}.bar-value{font-size:11px}code{background:#eee;padding:0 .2rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}.empty{color:#666;font-style:italic}
"""


def _table(headers: list[str], rows: list[list[str]], *, id_: str = "", raw: bool = False) -> str:
    """HTML table; cells are escaped unless ``raw`` (for cells built here with markup)."""
    cells = (lambda v: v) if raw else (lambda v: escape(str(v)))
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cells(v)}</td>" for v in row) + "</tr>" for row in rows)
    id_attr = f' id="{id_}"' if id_ else ""
    return f"<table{id_attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _downloads(row_counts: dict[str, int]) -> str:
    rows = []
    for name in (n for n in TABLES if n in row_counts):
        t = TABLES[name]
        rows.append(
            [
                f"<code>{name}</code>",
                escape(t.title),
                f'<span class="num">{row_counts[name]}</span>',
                f'<a href="{name}.parquet">Parquet</a> · <a href="{name}.csv">CSV</a>',
            ]
        )
    files = (
        '<p>Also: <a href="datapackage.json">datapackage.json</a> (Frictionless) · <a href="README.md">README.md</a> '
        '(data dictionary) · <a href="changes.parquet">changes.parquet</a> / <a href="changes.csv">changes.csv</a> · '
        '<a href="issues.json">issues.json</a> · <a href="checks.json">checks.json</a> · <a href="SHA256SUMS">SHA256SUMS</a></p>'
    )
    return _table(["table", "what", "rows", "download"], rows, id_="tables", raw=True) + files


def _checks(checks: list[dict]) -> str:
    if not checks:
        return '<p class="empty">No checks were reported for this run.</p>'
    passed = sum(1 for c in checks if c.get("passed"))
    rows = [
        [
            escape(str(c.get("table", ""))),
            escape(str(c.get("check", ""))),
            escape(str(c.get("severity", ""))),
            '<span class="ok">passed</span>' if c.get("passed") else '<span class="fail">failed</span>',
            escape(str(c.get("description", ""))),
        ]
        for c in checks
    ]
    return f"<p>{passed} of {len(checks)} checks passed.</p>" + _table(["table", "check", "severity", "result", "description"], rows, id_="checks", raw=True)


def _changes(changes: pa.Table, previous_id: str | None) -> str:
    if previous_id is None:
        intro = "<p>First release: every row is new.</p>"
    else:
        intro = f"<p>Compared with release <code>{escape(previous_id)}</code>.</p>"
    n_rows = changes.num_rows
    counts = Counter({(c["table"], c["change"]): c["count_all"]
                      for c in changes.select(["table", "change"]).group_by(["table", "change"]).aggregate([([], "count_all")]).to_pylist()})
    tables = sorted({t for t, _ in counts})
    rows = changes.slice(0, MAX_CHANGES_LISTED).to_pylist()  # only the rows listed on the page
    if not n_rows:
        return intro + '<p id="changes-summary">No changes since the previous release.</p>'
    summary = _table(
        ["table", "added", "modified", "removed"],
        [[t, counts[(t, "added")], counts[(t, "modified")], counts[(t, "removed")]] for t in tables],
        id_="changes-summary",
    )
    listed = [[r["table"], r["change"], r["key"], ", ".join(r["changed_columns"])] for r in rows]
    more = f"<p>{n_rows - MAX_CHANGES_LISTED} more in changes.parquet.</p>" if n_rows > MAX_CHANGES_LISTED else ""
    return intro + summary + f"<details><summary>{n_rows} changed rows</summary>" + _table(["table", "change", "key", "changed columns"], listed) + more + "</details>"


def _issues(issues: list[dict]) -> str:
    if not issues:
        return '<p>The parsers reported no issues.</p>'
    counts = Counter((str(i.get("source", "")), str(i.get("severity", "")), str(i.get("code", ""))) for i in issues)
    rows = [[s, sev, code, n] for (s, sev, code), n in sorted(counts.items())]
    return f'<p>{len(issues)} issues; details in <a href="issues.json">issues.json</a>.</p>' + _table(["source", "severity", "code", "count"], rows)


def _schemas(row_counts: dict[str, int]) -> str:
    out = []
    for name in (n for n in TABLES if n in row_counts):
        t = TABLES[name]
        rows = [[c.name, type_label(c.type), "yes" if c.required else "", c.description] for c in t.columns]
        keys = f"Primary key: {', '.join(t.primary_key)}"
        fks = "".join(f"; {', '.join(fk.columns)} → {fk.table}" for fk in t.foreign_keys)
        out.append(
            f'<details class="schema" id="schema-{name}"><summary>{escape(name)} — {escape(t.title)} ({row_counts[name]} rows)</summary>'
            f"<p>{escape(t.description)} {escape(keys + fks)}.</p>" + _table(["column", "type", "required", "description"], rows) + "</details>"
        )
    return "".join(out)


def _sources(sources: list, crawls: dict[str, dict]) -> str:
    rows = []
    for s in sorted(sources, key=lambda s: s.name):
        crawl = crawls.get(s.name, {})
        rows.append(
            [
                f'<a href="{escape(str(s.url))}">{escape(s.title)}</a>',
                escape(s.publisher.name),
                f'<a href="{escape(str(s.licence.url))}">{escape(s.licence.name)}</a>',
                escape(str(crawl.get("crawled_at", "unknown"))),
                escape(str(crawl.get("mode", ""))),
            ]
        )
    return _table(["source", "publisher", "licence", "crawled at", "mode"], rows, id_="sources", raw=True)


def _headline(h: dict | None) -> str:
    """The answer (pipelines.join.headline): the sentence, then each pôle with a CCE and its evidence links."""
    if not h:
        return ""
    rows = []
    for p in h["poles"]:
        if p["answer"] != "with_cce":
            continue
        links = ", ".join(f'<a href="{escape(t["evidence_url"])}">{escape(t["advisor"] or t["advisor_id"])}</a> ({escape(t["tie_kind"])}, {escape(t["match"])})'
                          for t in p["ties"] if t["match"] != "possible")
        rows.append([escape(p["name"]), links])
    listed = _table(["pôle", "CCE in its governance (evidence)"], rows, id_="headline-poles", raw=True) if rows else ""
    todo = [[escape(p["name"]), f'<a href="{escape(t["evidence_url"])}">{escape(t["advisor"] or t["advisor_id"])}</a>', escape(t["tie_kind"])]
            for p in h["poles"] for t in p["ties"] if t["match"] == "possible"]
    if todo:
        listed += (f"<details><summary>{len(todo)} possible tie(s) awaiting review</summary>"
                   + _table(["pôle", "advisor (evidence)", "tie kind"], todo, id_="awaiting-review", raw=True)
                   + "<p>A reviewer settles each in reference/tie_judgements.csv (yes / no).</p></details>")
    return (f'<section id="headline"><h2>Does each pôle have a CCE in its governance?</h2><p id="headline-sentence"><strong>{escape(h["sentence"])}</strong> '
            f'{h["awaiting_review"]} possible tie(s) await a reviewer (cluster_cce_ties, match = possible).</p>{listed}</section>')


def build(*, release_id: str, run_date, previous_id: str | None, tables: dict[str, pa.Table], sources: list, crawls: dict[str, dict], checks: list[dict], issues: list[dict], changes: pa.Table,
          headline: dict | None = None) -> str:
    row_counts = {n: t.num_rows for n, t in tables.items()}
    stats = region_stats(tables)
    gaps = sorted(code for code, s in stats.items() if s.get("uncovered"))
    coverage_known = any(s.get("uncovered") is not None for s in stats.values())
    gap_note = (
        f"{len(gaps)} région(s) have pôles that no CCE committee covers (outlined)."
        if coverage_known
        else "Coverage is unknown in this release (no coverage table published)."
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>{escape(DATASET_TITLE)} — release {escape(release_id)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(DATASET_TITLE)}</h1>
<p>{escape(DATASET_DESCRIPTION)}</p>
<p>Release <strong id="release-id">{escape(release_id)}</strong> of {run_date.isoformat()} ·
licence <a href="{LICENCE['path']}">{escape(LICENCE['title'])}</a></p>
</header>
<main>
{_headline(headline)}
<section id="downloads"><h2>Tables</h2>{_downloads(row_counts)}</section>
<section id="regions"><h2>By région</h2>
<p>{escape(gap_note)}</p>
<div class="figures">
<figure><figcaption>Pôles and CCE committees per région</figcaption>{france_map(stats)}</figure>
<figure><figcaption>CCE advisors per pôle, by région</figcaption>{advisors_chart(stats)}</figure>
</div></section>
<section id="check-results"><h2>Checks</h2>{_checks(checks)}</section>
<section id="changes"><h2>Changes since the last release</h2>{_changes(changes, previous_id)}</section>
<section id="issues"><h2>Issue log</h2>{_issues(issues)}</section>
<section id="schemas"><h2>Schemas</h2>{_schemas(row_counts)}</section>
<section id="provenance"><h2>Sources</h2>{_sources(sources, crawls)}</section>
<section id="personal-data"><h2>Personal data</h2><p>{escape(PERSONAL_DATA)}</p></section>
</main>
</body>
</html>
"""
