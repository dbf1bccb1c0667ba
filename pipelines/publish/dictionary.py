"""README.md of a release: the data dictionary, written from pipelines/schema.py."""
from __future__ import annotations

from pipelines.schema import TABLES

from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .files import LIST_SEPARATOR

CSV_SAFETY = (
    "CSV safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (which a "
    "spreadsheet would run as a formula) is written in the CSV with a single quote `'` in front, the rest "
    "unchanged (OWASP's advice against CSV injection). This applies to text and list columns only, so the "
    "organisations' E.164 phone numbers read `'+33…` in the CSV; numeric columns keep their minus sign "
    "(`-5`). To get the original text back, drop a leading `'` that is followed by one of those characters. "
    "The Parquet files keep every value as it is."
)

PERSONAL_DATA = (
    "Advisors are people. This dataset publishes only what the public sources themselves publish about "
    "their public role: name, committee, company, position and appointment (decree reference and date). "
    "It never publishes personal e-mail addresses or phone numbers; the only contact details are the "
    "generic ones of organisations. Anyone may ask to be left out: names on the project's opt-out list "
    "are removed before publication and stay out of every later release."
)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def build(*, release_id: str, run_date, row_counts: dict[str, int], sources: list, crawls: dict[str, dict], n_changes: dict[str, int], previous_id: str | None) -> str:
    out = [
        f"# {DATASET_TITLE} — release {release_id}",
        "",
        DATASET_DESCRIPTION,
        "",
        f"Release date: {run_date.isoformat()}. Previous release: {previous_id or 'none (first release)'}.",
        f"Licence: [{LICENCE['title']}]({LICENCE['path']}).",
        "",
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
        CSV_SAFETY,
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
