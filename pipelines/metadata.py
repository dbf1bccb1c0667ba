"""What the Dagster UI shows for a table: row count, column schema with descriptions, preview."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from pipelines.schema import TABLES


def table_schema(table_name: str) -> dg.TableSchema:
    t = TABLES[table_name]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=str(c.type),
                description=c.description,
                constraints=dg.TableColumnConstraints(
                    nullable=not c.required, unique=c.name in t.primary_key and len(t.primary_key) == 1
                ),
            )
            for c in t.columns
        ]
    )


def _cell(v) -> str:
    if isinstance(v, (list, tuple)):
        v = ", ".join(map(str, v))
    s = "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= 60 else s[:57] + "…"


def preview_markdown(df: pd.DataFrame, n: int = 10) -> str:
    head = df.head(n)
    cols = list(head.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in head.iterrows():
        lines.append("| " + " | ".join(_cell(row[c]) for c in cols) + " |")
    return "\n".join(lines)


def table_metadata(table_name: str, df: pd.DataFrame) -> dict:
    return {
        "dagster/row_count": len(df),
        "dagster/column_schema": table_schema(table_name),
        "preview": dg.MetadataValue.md(preview_markdown(df)),
    }


def frame_metadata(df: pd.DataFrame) -> dict:
    """For intermediate frames that are not published tables."""
    return {"dagster/row_count": len(df), "preview": dg.MetadataValue.md(preview_markdown(df))}
