"""Score of the drift corpus: fields recovered / fields expected, per variant and per source.

``python -m tests.drift.score`` prints the table and writes docs/drift.md.
"""

from __future__ import annotations

import sys

from scrapy.http import HtmlResponse, Request

from common.issues import Issue
from common.paths import REPO_ROOT
from spiders.cce_committees.parse import parse_page
from spiders.poles.parse import parse_detail
from tests.drift.variants import CCE_VARIANTS, POLE_VARIANTS, cce_pages, pole_pages

DOC = REPO_ROOT / "docs" / "drift.md"
POLE_FIELDS = (
    "name",
    "short_name",
    "themes",
    "region",
    "other_regions",
    "website",
    "street",
    "postcode",
    "city",
    "contact_email",
    "contact_phone",
    "label_status",
    "label_period",
)


def response(url: str, html: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8", request=Request(url))


def _item(records) -> dict | None:
    items = [r for r in records if not isinstance(r, Issue)]
    return items[0] if len(items) == 1 else None


def pole_checks(item: dict | None, facts: dict) -> dict[str, bool]:
    """field -> recovered, for one pôle page."""
    item = item or {}
    out = {}
    for f in POLE_FIELDS:
        got, want = item.get(f), facts[f]
        if f == "other_regions":
            ok = sorted(got or []) == sorted(want)
        elif f == "website":
            ok = (got or "").rstrip("/") == want.rstrip("/")
        else:
            ok = got == want
        out[f] = ok
    return out


def cce_checks(item: dict | None, facts: dict) -> dict[str, bool]:
    item = item or {}
    out = {
        "name": item.get("name") == facts["name"],
        "kind": item.get("kind") == facts["kind"],
        "territory": item.get("territory") == facts["territory"],
        "member_count": item.get("member_count") == facts["member_count"],
    }
    place = "country" if facts["kind"] == "section" else "region"
    out[place] = item.get(place) == facts[place]
    printed = [
        (o["role"], f"{o['honorific']} {o['full_name']}" if o.get("honorific") else o["full_name"], o["company"])
        for o in item.get("officers") or []
    ]
    for role, name, company in facts["officers"]:
        out[f"officer {role}"] = (role, name, company) in printed
    out["no extra officer"] = len(printed) == len(facts["officers"])
    return out


def run() -> dict[str, dict[str, list[int]]]:
    """source -> variant -> [recovered, expected], plus the misses for the report."""
    scores: dict[str, dict[str, list]] = {"poles": {}, "cce_committees": {}}
    for variant, url, html, facts in pole_pages():
        checks = pole_checks(_item(parse_detail(response(url, html))), facts)
        _tally(scores["poles"], variant, checks, facts["slug"])
    for variant, url, html, facts in cce_pages():
        checks = cce_checks(_item(parse_page(response(url, html))), facts)
        _tally(scores["cce_committees"], variant, checks, facts["slug"])
    return scores


def _tally(table: dict, variant: str, checks: dict[str, bool], slug: str) -> None:
    row = table.setdefault(variant, [0, 0, []])
    row[0] += sum(checks.values())
    row[1] += len(checks)
    row[2] += [f"{slug}.{f}" for f, ok in checks.items() if not ok]


def totals(scores) -> dict[str, float]:
    return {src: sum(r[0] for r in rows.values()) / sum(r[1] for r in rows.values()) for src, rows in scores.items()}


def markdown(scores) -> str:
    lines = [
        "# Layout drift: fields recovered from pages in layouts the parsers were not tuned to",
        "",
        "Written by `tests/drift/test_drift.py` (or `python -m tests.drift.score`) from the drift corpus:",
        "hand-written facts (`tests/drift/facts_<source>.yml`) rendered by `tests/drift/variants.py` in",
        "each layout below, parsed by the source's parser, and compared field by field with the facts.",
        "The test fails when a source falls below 95 %.",
        "",
        "## How the parsers read a layout they were not tuned to",
        "",
        "Each detail source keeps a lexicon, `spiders/<source>/lexicon.yml`: per field, the labels it may be",
        'printed under (French and English; accents, case, plurals, "(s)" and a trailing colon ignored),',
        "its schema.org properties, the icons that may stand for its label, and the shape of its value when",
        "no label exists. `spiders.core.lexicon.find_values(lexicon, response)` returns every value of every",
        "field wherever it stands: definition lists, table rows, a header row over one data row,",
        '"Label : value" lines, a label element followed by its value (headings, cards, field wrappers),',
        "icon-prefixed lines (`fr-icon-map-pin-2-line`, `fr-icon-global-line`…), links whose text, title or",
        "aria-label is a label, JSON-LD and microdata (`knowsAbout`, `areaServed`, `address`, `sameAs`), and",
        'by shape (French postcode + city, a link to another domain, `mailto:`/`tel:`, a "Labellisé …" badge).',
        "The source's parser then normalises the values the same way whatever the layout: régions split into",
        "the head office's (marked \"(siège)\", else the postcode's, else the first) and the others; themes",
        'split on `;` `,` `/` and line breaks outside parentheses; "Labellisé 2023-2026", "label phase V",',
        '"en probation" into a status and a period. A head-office région that is not one région is an error.',
        "",
        "## Drift between runs",
        "",
        "Each release stores its crawls' per-field fill rates (`release.json`: `crawls.<source>.fill_rates`).",
        "The next crawl's `raw_<source>` / `source_assertions` check compares its fill rates with them",
        "(`pipelines/checks/fill_drift.py`): a field losing more than 10 points warns, more than 30 fails,",
        "naming the field, both rates and a few URLs of items that lost it (check metadata `results`).",
        "`python -m spiders.parse SOURCE PAGE` exits 1 on a page missing a field the source's YAML asserts",
        "at 95 % fill or more, naming the field.",
        "",
    ]
    names = {"poles": ("poles", POLE_VARIANTS), "cce_committees": ("cce_committees", CCE_VARIANTS)}
    for src, rows in scores.items():
        rec, exp = sum(r[0] for r in rows.values()), sum(r[1] for r in rows.values())
        lines += [
            f"## {names[src][0]}: {rec}/{exp} = {100 * rec / exp:.1f} %",
            "",
            "| variant | recovered / expected | missed |",
            "|---|---|---|",
        ]
        for variant, (r, x, missed) in rows.items():
            lines.append(f"| {variant} | {r}/{x} | {', '.join(missed) or '—'} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    scores = run()
    text = markdown(scores)
    DOC.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(v >= 0.95 for v in totals(scores).values()) else 1


if __name__ == "__main__":
    sys.exit(main())
