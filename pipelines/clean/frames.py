"""Shared DataFrame helpers for the clean and join steps."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipelines.schema import Table

HISTORY_COLUMNS = ("first_seen", "last_seen")


def read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def slugify(text: str) -> str:
    """ASCII slug: 'Images & Réseaux' -> 'images-reseaux'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def stable_hash(*parts: str, length: int = 16) -> str:
    """Short stable ID from the fewest raw fields (joined with a separator no field contains)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def _pandas_dtype(t: pa.DataType):
    if pa.types.is_integer(t):
        return "Int64"
    if pa.types.is_floating(t):
        return "float64"
    if pa.types.is_boolean(t):
        return "boolean"
    return "object"


def conform(df: pd.DataFrame, table: Table, with_history: bool = False) -> pd.DataFrame:
    """Columns of ``table`` in contract order, with contract dtypes; lists stay Python lists.

    Raises ValueError naming the table and the columns when some are missing."""
    names = [c.name for c in table.columns if with_history or c.name not in HISTORY_COLUMNS]
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise ValueError(f"table {table.name}: missing columns {missing}")
    out = df[names].copy()
    for col in table.columns:
        if col.name not in out.columns:
            continue
        if pa.types.is_list(col.type):
            values = [
                list(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else [] for v in out[col.name].tolist()
            ]
            out[col.name] = pd.Series(values, index=out.index, dtype=object)
        elif pa.types.is_date32(col.type):
            out[col.name] = pd.to_datetime(out[col.name], errors="coerce").dt.date
        elif pa.types.is_string(col.type):
            # Built as an object Series: pandas 3 would infer its string dtype and turn None into NaN.
            # .tolist(): iterating a pandas 3 Arrow string column value by value is ~10x slower.
            values = out[col.name].tolist()
            if not all(type(v) is str or v is None for v in values):  # the usual column: already text or None
                values = [
                    None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else str(v) for v in values
                ]
            out[col.name] = pd.Series(values, index=out.index, dtype=object)
        else:
            out[col.name] = out[col.name].astype(_pandas_dtype(col.type))
    return out.reset_index(drop=True)
