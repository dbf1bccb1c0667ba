"""README.md of a release: the data dictionary, written from pipelines/schema.py."""
from __future__ import annotations

from pipelines.schema import TABLES

from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .files import LIST_SEPARATOR

PERSONAL_DATA = (
    "Advisors are people. This dataset publishes only what the public sources themselves publish about "
    "their public role: name, committee, company, position and appointment (decree reference and date). "
    "It never publishes personal e-mail addresses or phone numbers; the only contact details are the "
    "generic ones of organisations. Anyone may ask to be left out: names on the project's opt-out list "
    "are removed before publication and stay out of every later release. "
    "The seats of the pôles' governance (cluster_governance) come from the pôles' own websites: a person "
    "is named only as a public officer of the association (its bureau, its director) or when the seat is "
    "tied to a CCE advisor; other board members and staff appear by role and organisation only, their "
    "name withheld from the evidence text too. The opt-out list applies to seats as well."
)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _headline(h: dict) -> list[str]:
    """The answer (pipelines.join.headline) and the pôles with a CCE in their governance, with evidence."""
    out = ["## The answer", "", f"**{h['sentence']}** ({h['awaiting_review']} possible tie(s) await a reviewer.)", ""]
    for p in h["poles"]:
        if p["answer"] == "with_cce":
            ties = "; ".join(f"[{t['advisor'] or t['advisor_id']}]({t['evidence_url']}) ({t['tie_kind']}, {t['match']})"
                             for t in p["ties"] if t["match"] != "possible")
            out.append(f"- {_cell(p['name'])}: {ties}")
    return out + [""]


def build(*, release_id: str, run_date, row_counts: dict[str, int], sources: list, crawls: dict[str, dict], n_changes: dict[str, int], previous_id: str | None,
          headline: dict | None = None) -> str:
    out = [
        f"# {DATASET_TITLE} — release {release_id}",
        "",
        DATASET_DESCRIPTION,
        "",
        f"Release date: {run_date.isoformat()}. Previous release: {previous_id or 'none (first release)'}.",
        f"Licence: [{LICENCE['title']}]({LICENCE['path']}).",
        "",
        *(_headline(headline) if headline else []),
        "## Files",
        "",
        "| file | what |",
        "|---|---|",
    ]
    for name in (n for n in TABLES if n in row_counts):
        out.append(f"| `{name}.parquet`, `{name}.csv` | {_cell(TABLES[name].title)} ({row_counts[name]} rows) |")
    out += [
        "| `changes.parquet`, `changes.csv` | rows added, modified (with the changed columns) or removed since the previous release |",
        "| `issues.json` | the run's issue log: what the parsers could not map, by source, URL and field |",
        "| `checks.json` | the data-quality checks this release passed |",
        "| `datapackage.json` | Frictionless Data Package: schemas, keys, licence, sources |",
        "| `index.html` | landing page |",
        "| `SHA256SUMS` | checksums (`sha256sum -c SHA256SUMS`) |",
        "",
        "Parquet files are typed (text, integers, booleans, dates, lists) and zstd-compressed. "
        f"CSV files are UTF-8 (with a byte-order mark for spreadsheets); lists are joined by `{LIST_SEPARATOR}`, "
        "dates are ISO 8601, empty cells are nulls.",
        "",
        "```python",
        "import pandas as pd",
        'clusters = pd.read_parquet("clusters.parquet")',
        "```",
        "",
        "```sql",
        "-- DuckDB",
        "SELECT name, region_code, themes FROM 'clusters.parquet';",
        "```",
        "",
        "Every row carries `source_url` (where it was read), `first_seen` and `last_seen` (dates of the first "
        "and latest release that contained its key).",
        "",
        "## Personal data",
        "",
        PERSONAL_DATA,
        "",
        "## Tables",
        "",
    ]
    for name in (n for n in TABLES if n in row_counts):
        table = TABLES[name]
        out += [
            f"### `{name}` — {table.title}",
            "",
            table.description,
            "",
            f"- Rows: {row_counts[name]}; changes since the previous release: {n_changes.get(name, 0)}",
            f"- Primary key: {', '.join(f'`{k}`' for k in table.primary_key)}",
        ]
        for fk in table.foreign_keys:
            out.append(f"- Foreign key: {', '.join(fk.columns)} → `{fk.table}`.{', '.join(fk.ref_columns)}")
        if table.sources:
            out.append(f"- Sources: {', '.join(table.sources)}")
        out += ["", "| column | type | required | description |", "|---|---|---|---|"]
        for col in table.columns:
            out.append(f"| `{col.name}` | {type_label(col.type)} | {'yes' if col.required else ''} | {_cell(col.description)} |")
        out.append("")
    out += ["## Sources", "", "| source | publisher | licence | crawled at | mode |", "|---|---|---|---|---|"]
    for s in sorted(sources, key=lambda s: s.name):
        crawl = crawls.get(s.name, {})
        out.append(
            f"| [{_cell(s.title)}]({s.url}) | {_cell(s.publisher.name)} | [{_cell(s.licence.name)}]({s.licence.url}) "
            f"| {crawl.get('crawled_at', 'unknown')} | {crawl.get('mode', '')} |"
        )
    out.append("")
    return "\n".join(out)
