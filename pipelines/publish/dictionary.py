"""README.md of a release: the data dictionary, written from pipelines/schema.py."""
from __future__ import annotations

from pipelines.schema import TABLES

from . import provenance
from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .files import LIST_SEPARATOR

PERSONAL_DATA = (
    "Advisors are people. This dataset publishes only what the public sources themselves publish about "
    "their public role: name, committee, company, position and appointment (decree reference and date). "
    "It never publishes personal e-mail addresses or phone numbers; the only contact details are the "
    "generic ones of organisations. Anyone may ask to be left out: names on the project's opt-out list "
    "are removed before publication and stay out of every later release."
)


def opt_out_text(publisher) -> str:
    """PERSONAL_DATA, ending with where to ask: the publisher's contact."""
    if publisher is not None and publisher.contact_url:
        return f"{PERSONAL_DATA} To ask, contact the publisher, {publisher.name or 'see'}: {publisher.contact_url}."
    return f"{PERSONAL_DATA} (No publisher is configured for this release, so no contact is given: see publisher.yml.)"


def notice_lines(crawls: dict[str, dict]) -> list[str]:
    samples = provenance.sample_sources(crawls)
    if not samples:
        return []
    return [f"> **DEMONSTRATION DATA.** {provenance.SAMPLE_NOTICE} Sources read from the bundled sample: {', '.join(samples)}.", ""]


def publisher_line(publisher) -> str:
    if publisher is None or not publisher.to_dict():
        return "Publisher: not configured (set POLES_CCE_PUBLISHER_NAME/_CONTACT_URL/_HOMEPAGE or publisher.yml)."
    parts = [publisher.name or "unnamed"]
    if publisher.homepage:
        parts.append(publisher.homepage)
    if publisher.contact_url:
        parts.append(f"contact: {publisher.contact_url}")
    return "Publisher: " + " · ".join(parts) + "."


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def build(*, release_id: str, run_date, row_counts: dict[str, int], sources: list, crawls: dict[str, dict], n_changes: dict[str, int], previous_id: str | None, publisher=None) -> str:
    out = [
        f"# {DATASET_TITLE} — release {release_id}",
        "",
        *notice_lines(crawls),
        DATASET_DESCRIPTION,
        "",
        f"Release date: {run_date.isoformat()}. Previous release: {previous_id or 'none (first release)'}.",
        f"Licence: [{LICENCE['title']}]({LICENCE['path']}).",
        publisher_line(publisher),
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
        opt_out_text(publisher),
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
    out += ["## Sources", "", "| source | publisher | licence | provenance |", "|---|---|---|---|"]
    for s in sorted(sources, key=lambda s: s.name):
        crawl = crawls.get(s.name, {})
        out.append(
            f"| [{_cell(s.title)}]({s.url}) | {_cell(s.publisher.name)} | [{_cell(s.licence.name)}]({s.licence.url}) "
            f"| {_cell(provenance.describe(crawl))} |"
        )
    out.append("")
    return "\n".join(out)
