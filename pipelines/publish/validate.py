"""Input tables against the data contract, then to typed Arrow tables sorted by key.

Every error names the table and the column, so a maintainer sees at once which
clean or join step broke the contract.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.schema import TABLES, Table

HISTORY_COLUMNS = ("first_seen", "last_seen")


class TableValidationError(ValueError):
    """An input table does not follow pipelines/schema.py."""

    def __init__(self, table: str, problems: list[str]):
        self.table = table
        self.problems = problems
        super().__init__(f"table '{table}' does not follow the data contract:\n  - " + "\n  - ".join(problems))


def data_columns(table: Table) -> list:
    """Schema columns the pipeline supplies (the writer adds first_seen/last_seen)."""
    return [c for c in table.columns if c.name not in HISTORY_COLUMNS]


def _missing(value) -> bool:
    """None, NaN, NaT or pd.NA; never true for a list (a list may be empty, not missing)."""
    if value is None:
        return True
    if isinstance(value, (str, list, tuple)) or (isinstance(value, dt.date) and value is not pd.NaT):
        return False  # the common cells, answered without numpy (pd.NaT passes for a date)
    return np.ndim(value) == 0 and bool(pd.isna(value))


def _as_list(value) -> list | None:
    if _missing(value):
        return None
    if isinstance(value, (list, tuple, np.ndarray, pa.Array)):
        return [None if v is None else str(v) for v in list(value)]
    raise TypeError(f"expected a list, got {type(value).__name__} {value!r}")


def _as_date(value):
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"expected a date, got {type(value).__name__} {value!r}")


def _column_array(series: pd.Series, type_: pa.DataType) -> pa.Array:
    if pa.types.is_list(type_):
        values = series.tolist()
        if (
            pa.types.is_string(type_.value_type)
            and all(type(v) is list for v in values)
            and all(type(x) is str for v in values for x in v)
        ):
            return pa.array(values, type=type_)  # the common case: lists of text, nothing to convert
        return pa.array([_as_list(v) for v in values], type=type_)
    if pa.types.is_date32(type_):
        values = series.tolist()
        if all(type(v) is dt.date or v is None or v is pd.NaT for v in values):  # already dates: only NaT to None
            return pa.array([None if v is pd.NaT else v for v in values], type=type_)
        return pa.array([_as_date(v) for v in values], type=type_)
    if pa.types.is_integer(type_) and series.dtype.kind == "f":
        # pandas stores nullable ints read from JSON as floats; refuse 1.5, accept 2.0.
        values = series.to_numpy()
        fractional = ~np.isnan(values) & (values != np.floor(np.nan_to_num(values)))
        if fractional.any():
            raise TypeError(f"non-integer value {values[fractional][0]!r}")
        return pa.array([None if np.isnan(v) else int(v) for v in values], type=type_)
    if pa.types.is_string(type_):
        bad = [v for v in series.tolist() if not isinstance(v, str) and not _missing(v)]
        if bad:
            raise TypeError(f"expected text, got {type(bad[0]).__name__} {bad[0]!r}")
    else:  # pyarrow would quietly parse "2023" into an integer: the clean step should have cast it
        text = next((v for v in series.tolist() if isinstance(v, str)), None)
        if text is not None:
            raise TypeError(f"expected {type_}, got text {text!r}")
    return pa.Array.from_pandas(series, type=type_)


def to_arrow(name: str, df: pd.DataFrame) -> pa.Table:
    """Validated, typed and sorted by primary key; without the history columns."""
    if name not in TABLES:
        raise TableValidationError(name, [f"unknown table (known: {', '.join(TABLES)})"])
    table = TABLES[name]
    columns = data_columns(table)
    wanted = [c.name for c in columns]
    problems: list[str] = []

    missing = [c for c in wanted if c not in df.columns]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    unknown = [c for c in df.columns if c not in wanted and c not in HISTORY_COLUMNS]
    if unknown:
        problems.append(f"column(s) not in the schema: {', '.join(map(str, unknown))}")
    if problems:
        raise TableValidationError(name, problems)

    df = df.reset_index(drop=True)
    arrays = []
    for col in columns:
        try:
            arr = _column_array(df[col.name], col.type)
        except (TypeError, ValueError, pa.ArrowException) as exc:
            problems.append(f"column '{col.name}' cannot be read as {col.type}: {exc}")
            continue
        if col.required and arr.null_count:
            first = int(np.flatnonzero(arr.is_null().to_numpy(zero_copy_only=False))[0])
            problems.append(f"column '{col.name}' is required but has {arr.null_count} null(s) (first at row {first})")
        arrays.append(arr)
    if problems:
        raise TableValidationError(name, problems)

    schema = pa.schema([f for f in table.arrow_schema() if f.name not in HISTORY_COLUMNS])
    result = pa.Table.from_arrays(arrays, schema=schema)

    key = list(table.primary_key)
    dup_mask = df.duplicated(subset=key, keep=False)
    if dup_mask.any():
        examples = df.loc[dup_mask, key].drop_duplicates().head(3).to_dict("records")
        problems.append(f"primary key ({', '.join(key)}) has {int(dup_mask.sum())} duplicated row(s), e.g. {examples}")
        raise TableValidationError(name, problems)

    return sort_by_key(result, key)


def sort_by_key(table: pa.Table, key: list[str]) -> pa.Table:
    if table.num_rows == 0:
        return table
    return table.take(pc.sort_indices(table, sort_keys=[(k, "ascending") for k in key]))


def check_foreign_keys(tables: dict[str, pa.Table]) -> None:
    """Declared foreign keys must hold where the referenced table is published too."""
    for name, arrow in tables.items():
        problems = []
        for fk in TABLES[name].foreign_keys:
            if fk.table not in tables:
                continue
            ref = tables[fk.table]
            ref_keys = set(zip(*(ref.column(c).to_pylist() for c in fk.ref_columns)))
            rows = zip(*(arrow.column(c).to_pylist() for c in fk.columns))
            orphans = sorted({r for r in rows if None not in r and r not in ref_keys})
            if orphans:
                problems.append(
                    f"column(s) {', '.join(fk.columns)} reference {fk.table}.{', '.join(fk.ref_columns)} "
                    f"but {len(orphans)} value(s) are not there, e.g. {[o if len(o) > 1 else o[0] for o in orphans[:3]]}"
                )
        if problems:
            raise TableValidationError(name, problems)
