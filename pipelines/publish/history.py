"""History between releases: first_seen carried by key, and the change list.

Rows are matched on their primary key. A row is "modified" when any published
column other than first_seen/last_seen differs from the previous release.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.contract import HISTORY_COLUMNS
from pipelines.schema import TABLES

KEY_SEPARATOR = "|"

CHANGES_SCHEMA = pa.schema(
    [
        pa.field("table", pa.string(), nullable=False, metadata={"description": "Published table the row belongs to."}),
        pa.field(
            "key",
            pa.string(),
            nullable=False,
            metadata={"description": "Primary key value(s), joined by '|' for composite keys."},
        ),
        pa.field(
            "key_values",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Primary key values, in key order."},
        ),
        pa.field("change", pa.string(), nullable=False, metadata={"description": "added, modified or removed."}),
        pa.field(
            "changed_columns",
            pa.list_(pa.string()),
            nullable=False,
            metadata={"description": "Columns whose value changed (modified rows; empty otherwise)."},
        ),
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


def _key_frame(table: pa.Table, key: list[str]) -> pd.DataFrame:
    """The key columns as a DataFrame (for merges), plus the row number."""
    frame = pd.DataFrame({f"k{i}": table.column(k).to_pandas(types_mapper=pd.ArrowDtype) for i, k in enumerate(key)})
    frame["row"] = np.arange(table.num_rows)
    return frame


def _match_rows(current: pa.Table, previous: pa.Table, key: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers (in current, in previous) of the rows whose key is in both tables."""
    both = _key_frame(current, key).merge(
        _key_frame(previous, key), on=[f"k{i}" for i in range(len(key))], suffixes=("_now", "_before")
    )
    return both["row_now"].to_numpy(), both["row_before"].to_numpy()


def add_history(name: str, current: pa.Table, previous: pa.Table | None, run_date: dt.date) -> pa.Table:
    """current (no history columns) -> the full schema, first_seen carried over by key."""
    table = TABLES[name]
    key = list(table.primary_key)
    first_seen = pa.array(np.full(current.num_rows, (run_date - dt.date(1970, 1, 1)).days, dtype=np.int32)).cast(
        pa.date32()
    )
    last_seen = first_seen
    if previous is not None and "first_seen" in previous.column_names and current.num_rows and previous.num_rows:
        now, before = _match_rows(current, previous, key)
        carried = np.full(current.num_rows, -1, dtype=np.int64)  # row of previous whose first_seen this row keeps
        carried[now] = before
        kept = pa.array(carried, mask=carried < 0)
        first_seen = pc.coalesce(
            pc.take(previous.column("first_seen").cast(pa.date32()), kept), first_seen
        )  # null first_seen: run_date
        first_seen = first_seen.combine_chunks() if isinstance(first_seen, pa.ChunkedArray) else first_seen
    arrays = {"first_seen": first_seen, "last_seen": last_seen}
    schema = table.arrow_schema()
    columns = [arrays[f.name] if f.name in HISTORY_COLUMNS else current.column(f.name) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _column(table: pa.Table, name: str, rows: np.ndarray) -> pa.Array | None:
    if name not in table.column_names:
        return None
    column = table.column(name).take(pa.array(rows))
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _differs(a: pa.Array | None, b: pa.Array | None, n: int) -> np.ndarray:
    """Per row, whether the two values differ as Python's ``!=`` on their to_pylist() would say (a missing column is all None)."""
    if a is None and b is None:
        return np.zeros(n, dtype=bool)
    if a is None or b is None:
        return ~(a if b is None else b).is_null().to_numpy(zero_copy_only=False)
    a_null = a.is_null().to_numpy(zero_copy_only=False)
    b_null = b.is_null().to_numpy(zero_copy_only=False)
    if a.type != b.type or not (pa.types.is_list(a.type) or _comparable(a.type)):
        return np.array([x != y for x, y in zip(a.to_pylist(), b.to_pylist())], dtype=bool)
    if pa.types.is_list(a.type):
        if not _comparable(a.type.value_type):
            return np.array([x != y for x, y in zip(a.to_pylist(), b.to_pylist())], dtype=bool)
        a_len = pc.fill_null(pc.list_value_length(a), 0).to_numpy(zero_copy_only=False)
        b_len = pc.fill_null(pc.list_value_length(b), 0).to_numpy(zero_copy_only=False)
        differ = (a_null != b_null) | (a_len != b_len)
        same_shape = ~differ & ~a_null & (a_len > 0)
        if same_shape.any():  # compare the elements of lists of equal length, element by element
            rows = np.flatnonzero(same_shape)
            a_items, b_items = pc.list_flatten(a.take(pa.array(rows))), pc.list_flatten(b.take(pa.array(rows)))
            bad = _differs(a_items, b_items, len(a_items))
            owner = np.repeat(rows, a_len[rows])
            differ[np.unique(owner[bad])] = True
        return differ
    equal = pc.fill_null(pc.equal(a, b), False).to_numpy(zero_copy_only=False)
    return np.where(a_null | b_null, a_null != b_null, ~equal)


def _comparable(type_: pa.DataType) -> bool:
    """Types whose Arrow equality is Python's on to_pylist() values."""
    return (
        pa.types.is_string(type_)
        or pa.types.is_large_string(type_)
        or pa.types.is_integer(type_)
        or pa.types.is_floating(type_)
        or pa.types.is_boolean(type_)
        or pa.types.is_date(type_)
    )


def _key_text(table: pa.Table, key: list[str]) -> list[pa.Array]:
    """Each key column spelt as ``str(v)``, "" for null."""
    out = []
    for k in key:
        column = table.column(k)
        if not (
            pa.types.is_string(column.type) or pa.types.is_large_string(column.type) or pa.types.is_integer(column.type)
        ):
            column = pa.array(["" if v is None else str(v) for v in column.to_pylist()], pa.string())
        out.append(pc.fill_null(pc.cast(column, pa.string()), ""))
    return [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in out]


_CHANGE_ORDER = {"added": 0, "modified": 1, "removed": 2}


def _change_rows(
    name: str, table: pa.Table, rows: np.ndarray, key: list[str], change: str, changed: list[list[str]] | None
) -> pa.Table:
    parts = _key_text(table.take(pa.array(rows, type=pa.int64())), key)
    joined = pc.binary_join_element_wise(*parts, KEY_SEPARATOR) if len(parts) > 1 else parts[0]
    n = len(rows)
    key_values = pa.ListArray.from_arrays(
        pa.array(np.arange(n + 1, dtype=np.int32) * len(parts)),
        pa.concat_arrays(parts).take(pa.array((np.arange(n)[:, None] + np.arange(len(parts)) * n).ravel()))
        if n
        else pa.array([], pa.string()),
    )
    changed_columns = pa.array(changed if changed is not None else [[]] * n, pa.list_(pa.string()))
    out = pa.table(
        {
            "table": pa.array([name] * n, pa.string()),
            "key": joined,
            "key_values": key_values,
            "change": pa.array([change] * n, pa.string()),
            "changed_columns": changed_columns,
        }
    )
    order = pa.array(np.full(n, _CHANGE_ORDER[change], dtype=np.int8))
    for i, part in enumerate(parts):
        out = out.append_column(f"_k{i}", part)
    return out.append_column("_order", order)


def table_changes_arrow(name: str, current: pa.Table | None, previous: pa.Table | None) -> pa.Table:
    """Change rows of one table as a CHANGES_SCHEMA table, in changes_table's order; either side may be absent."""
    table = TABLES[name]
    key = list(table.primary_key)
    compared = [c.name for c in table.columns if c.name not in HISTORY_COLUMNS]
    n_now = current.num_rows if current is not None else 0
    n_before = previous.num_rows if previous is not None else 0
    if n_now and n_before:
        now, before = _match_rows(current, previous, key)
    else:
        now, before = np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    parts = []
    if n_now:
        added = np.setdiff1d(np.arange(n_now), now)
        parts.append(_change_rows(name, current, added, key, "added", None))
    if len(now):
        masks = np.column_stack(
            [_differs(_column(current, c, now), _column(previous, c, before), len(now)) for c in compared]
        )
        modified = np.flatnonzero(masks.any(axis=1))
        changed = [[c for c, m in zip(compared, row) if m] for row in masks[modified].tolist()]
        parts.append(_change_rows(name, current, now[modified], key, "modified", changed))
    if n_before:
        removed = np.setdiff1d(np.arange(n_before), before)
        parts.append(_change_rows(name, previous, removed, key, "removed", None))
    if not parts:
        return CHANGES_SCHEMA.empty_table()
    out = pa.concat_tables(parts)
    # changes_table's order: change, joined key, then (stable) the key values one by one
    sort_keys = [("_order", "ascending"), ("key", "ascending")] + [(f"_k{i}", "ascending") for i in range(len(key))]
    out = out.take(pc.sort_indices(out, sort_keys=sort_keys))
    return out.select(CHANGES_SCHEMA.names).cast(CHANGES_SCHEMA)


def table_changes(name: str, current: pa.Table | None, previous: pa.Table | None) -> list[dict]:
    """Change rows for one table; either side may be absent (table added or dropped)."""
    return table_changes_arrow(name, current, previous).to_pylist()


def changes_table(rows: list[dict] | list[pa.Table]) -> pa.Table:
    """All change rows, by table, change (added, modified, removed) and key; from dicts or table_changes_arrow tables."""
    if rows and isinstance(rows[0], pa.Table):
        by_table = sorted(rows, key=lambda t: t.column("table")[0].as_py() if t.num_rows else "")
        return (
            pa.concat_tables([t.cast(CHANGES_SCHEMA) for t in by_table]) if by_table else CHANGES_SCHEMA.empty_table()
        )
    order = {"added": 0, "modified": 1, "removed": 2}
    rows = sorted(rows, key=lambda r: (r["table"], order[r["change"]], r["key"]))
    return pa.Table.from_pylist(rows, schema=CHANGES_SCHEMA)
