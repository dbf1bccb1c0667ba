"""datapackage.json: a Frictionless Data Package describing the release.

Frictionless reads CSV natively, so each table is a CSV resource with a typed
schema, keys and foreign keys; its Parquet twin is named in ``x-parquet``.
Lists have no CSV type of their own: they are strings with items joined by ';'.
"""

from __future__ import annotations

import pyarrow as pa

from pipelines.schema import TABLES

from . import provenance
from .files import CSV_ENCODING, LIST_SEPARATOR

DATASET_NAME = "poles-cce-opendata"
DATASET_TITLE = "Pôles de compétitivité and CCE export advisors"
DATASET_DESCRIPTION = (
    "French competitiveness clusters (pôles de compétitivité), the committees of Conseillers du commerce "
    "extérieur de la France (CCE) and their advisors, joined: which committee covers each pôle's territory, "
    "which advisors could serve it, where the coverage gaps are, who sits in each pôle's governance, which "
    "organisations are its members (resolved to SIREN) and which of them are CCE advisors' companies."
)
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def frictionless_type(type_: pa.DataType) -> str:
    if pa.types.is_string(type_) or pa.types.is_list(type_):
        return "string"
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_):
        return "number"
    if pa.types.is_boolean(type_):
        return "boolean"
    if pa.types.is_date(type_):
        return "date"
    raise ValueError(f"no Frictionless type for {type_}")


def type_label(type_: pa.DataType) -> str:
    """Human-readable type used by the data dictionary and the landing page."""
    if pa.types.is_list(type_):
        return f"list of {type_label(type_.value_type)}"
    return {"string": "text", "int64": "integer", "double": "number", "bool": "boolean", "date32[day]": "date"}.get(
        str(type_), str(type_)
    )


def table_schema(name: str, published: set[str]) -> dict:
    from .labels import columns_of

    table = TABLES[name]
    fields = []
    for col in columns_of(name, list(table.columns)):
        field = {
            "name": col.name,
            "type": frictionless_type(col.type),
            "description": col.description,
            "x-parquet-type": str(col.type),
        }
        if pa.types.is_list(col.type):
            field["description"] += f" (CSV: a list, items separated by '{LIST_SEPARATOR}')"
        if col.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema = {"fields": fields, "primaryKey": list(table.primary_key)}
    foreign_keys = [
        {"fields": list(fk.columns), "reference": {"resource": fk.table, "fields": list(fk.ref_columns)}}
        for fk in table.foreign_keys
        if fk.table in published  # a reference to an unpublished table could not be checked
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def changes_schema(arrow_schema: pa.Schema) -> dict:
    return {
        "fields": [
            {"name": f.name, "type": frictionless_type(f.type), "description": f.metadata[b"description"].decode()}
            for f in arrow_schema
        ]
    }


def build(
    *,
    release_id: str,
    row_counts: dict[str, int],
    sources: list,
    crawls: dict[str, dict],
    changes_arrow_schema: pa.Schema,
    publisher=None,
) -> dict:
    """``crawls``: per source, as :func:`provenance.normalise` gives them."""
    published = set(row_counts)
    resources = []
    for name in TABLES:  # contract order, stable across releases
        if name not in published:
            continue
        table = TABLES[name]
        resources.append(
            {
                "name": name,
                "title": table.title,
                "description": table.description,
                "path": f"{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": CSV_ENCODING,
                "profile": "tabular-data-resource",
                "schema": table_schema(name, published),
                "x-parquet": {"path": f"{name}.parquet", "format": "parquet", "mediatype": PARQUET_MEDIATYPE},
                "x-row-count": row_counts[name],
                "x-sources": list(table.sources),
            }
        )
    resources.append(
        {
            "name": "changes",
            "title": "Changes since the previous release",
            "description": "Rows added, modified (with the changed columns) or removed since the previous release.",
            "path": "changes.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": CSV_ENCODING,
            "profile": "tabular-data-resource",
            "schema": changes_schema(changes_arrow_schema),
            "x-parquet": {"path": "changes.parquet", "format": "parquet", "mediatype": PARQUET_MEDIATYPE},
        }
    )
    samples = provenance.sample_sources(crawls)
    package = {
        "profile": "tabular-data-package",
        "name": DATASET_NAME,
        "title": DATASET_TITLE + (" (DEMONSTRATION DATA, reconstructed)" if samples else ""),
        "description": (f"{provenance.SAMPLE_NOTICE}\n\n" if samples else "") + DATASET_DESCRIPTION,
        "version": release_id,
        "licenses": [LICENCE],
        "sources": [source_entry(s, crawls.get(s.name, {})) for s in sorted(sources, key=lambda s: s.name)],
        "keywords": ["pôles de compétitivité", "CCE", "conseillers du commerce extérieur", "export", "France"],
        "resources": resources,
    }
    if samples:
        package["x-notice"] = provenance.SAMPLE_NOTICE
        package["x-sample-sources"] = samples
    if publisher is not None and publisher.to_dict():
        contributor = {"title": publisher.name, "role": "publisher"}
        if publisher.homepage:
            contributor["path"] = publisher.homepage
        package["contributors"] = [{k: v for k, v in contributor.items() if v}]
        package["x-publisher"] = publisher.to_dict()
    return package


def source_entry(source, crawl: dict) -> dict:
    entry = {
        "title": source.title,
        "path": str(source.url),
        "x-name": source.name,
        "x-publisher": source.publisher.name,
        "x-licence": {"title": source.licence.name, "path": str(source.licence.url)},
    }
    for k in ("mode", "crawled_at", "archive"):
        if crawl.get(k):
            entry[f"x-{k.replace('_', '-')}"] = crawl[k]
    return entry
