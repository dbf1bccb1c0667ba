"""History between releases: first_seen carried by key, and the change list.

Rows are matched on their primary key. A row is "modified" when any published
column other than first_seen/last_seen differs from the previous release.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.schema import TABLES

from .validate import HISTORY_COLUMNS

KEY_SEPARATOR = "|"

CHANGES_SCHEMA = pa.schema(
    [
        pa.field("table", pa.string(), nullable=False, metadata={"description": "Published table the row belongs to."}),
        pa.field("key", pa.string(), nullable=False, metadata={"description": "Primary key value(s), joined by '|' for composite keys."}),
        pa.field("key_values", pa.list_(pa.string()), nullable=False, metadata={"description": "Primary key values, in key order."}),
        pa.field("change", pa.string(), nullable=False, metadata={"description": "added, modified or removed."}),
        pa.field("changed_columns", pa.list_(pa.string()), nullable=False, metadata={"description": "Columns whose value changed (modified rows; empty otherwise)."}),
    ],
    metadata={"description": "Rows added, modified or removed since the previous release, per table."},
)


def read_previous(release_dir: Path | None, name: str) -> pa.Table | None:
    if release_dir is None:
        return None
    path = release_dir / f"{name}.parquet"
    return pq.read_table(path) if path.exists() else None


def _keys(table: pa.Table, key: list[str]) -> list[tuple]:
    return list(zip(*(table.column(k).to_pylist() for k in key)))


def add_history(name: str, current: pa.Table, previous: pa.Table | None, run_date: dt.date) -> pa.Table:
    """current (no history columns) -> the full schema, first_seen carried over by key."""
    table = TABLES[name]
    key = list(table.primary_key)
    first_seen_before: dict[tuple, dt.date] = {}
    if previous is not None and "first_seen" in previous.column_names:
        first_seen_before = dict(zip(_keys(previous, key), previous.column("first_seen").to_pylist()))
    first_seen = [first_seen_before.get(k) or run_date for k in _keys(current, key)]
    arrays = {
        "first_seen": pa.array(first_seen, type=pa.date32()),
        "last_seen": pa.array([run_date] * current.num_rows, type=pa.date32()),
    }
    schema = table.arrow_schema()
    columns = [arrays[f.name] if f.name in HISTORY_COLUMNS else current.column(f.name) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _rows_by_key(table: pa.Table, key: list[str], columns: list[str]) -> dict[tuple, dict]:
    present = [c for c in columns if c in table.column_names]
    values = {c: table.column(c).to_pylist() for c in present}
    return {k: {c: values[c][i] for c in present} for i, k in enumerate(_keys(table, key))}


def table_changes(name: str, current: pa.Table | None, previous: pa.Table | None) -> list[dict]:
    """Change rows for one table; either side may be absent (table added or dropped)."""
    table = TABLES[name]
    key = list(table.primary_key)
    compared = [c.name for c in table.columns if c.name not in HISTORY_COLUMNS]
    now = _rows_by_key(current, key, compared) if current is not None else {}
    before = _rows_by_key(previous, key, compared) if previous is not None else {}

    changes = []
    for k in sorted(set(now) | set(before), key=lambda k: tuple("" if v is None else str(v) for v in k)):
        if k not in before:
            change, changed = "added", []
        elif k not in now:
            change, changed = "removed", []
        else:
            changed = [c for c in compared if now[k].get(c) != before[k].get(c)]
            if not changed:
                continue
            change = "modified"
        key_values = ["" if v is None else str(v) for v in k]
        changes.append(
            {"table": name, "key": KEY_SEPARATOR.join(key_values), "key_values": key_values, "change": change, "changed_columns": changed}
        )
    return changes


def changes_table(rows: list[dict]) -> pa.Table:
    order = {"added": 0, "modified": 1, "removed": 2}
    rows = sorted(rows, key=lambda r: (r["table"], order[r["change"]], r["key"]))
    return pa.Table.from_pylist(rows, schema=CHANGES_SCHEMA)
