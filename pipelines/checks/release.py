"""A release folder as the checks see it: its tables, the previous release's row counts, its files' schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.checks.content import CheckContext
from pipelines.checks.gx_suite import SuiteOutcome
from pipelines.checks.outcomes import outcome
from pipelines.clean.frames import conform
from pipelines.schema import TABLES


def release_context(release_dir: Path | None) -> CheckContext:
    """Row counts of ``release_dir``'s tables (read from the Parquet footers), for the volume checks."""
    if release_dir is None or not Path(release_dir).is_dir():
        return CheckContext()
    counts = {}
    for name in TABLES:
        path = Path(release_dir) / f"{name}.parquet"
        if path.exists():
            counts[name] = pq.read_metadata(path).num_rows
    return CheckContext(previous_release=Path(release_dir).name, previous_counts=counts)


def previous_release_dir(release_dir: Path) -> Path | None:
    """The release this one followed (``previous_release`` of its release.json), when it is beside it."""
    meta = Path(release_dir) / "release.json"
    if not meta.exists():
        return None
    previous = json.loads(meta.read_text(encoding="utf-8")).get("previous_release")
    folder = Path(release_dir).resolve().parent / previous if previous else None
    return folder if folder is not None and folder.is_dir() else None


def read_release(release_dir: Path) -> dict[str, pd.DataFrame]:
    """Every published table of a release folder, typed as the pipeline hands them to the checks.

    A contract column missing from a file is read as nulls: the schema check names it, and the
    checks that need its values fail on them, instead of the whole run stopping at the first."""
    frames = {}
    for name, table in TABLES.items():
        df = pd.read_parquet(Path(release_dir) / f"{name}.parquet")
        for column in table.column_names:
            if column not in df.columns:
                df[column] = None
        frames[name] = conform(df, table, with_history=True)
    return frames


def _type_name(t: pa.DataType) -> str:
    """Arrow type as text; a list by its item type (writers name the item field 'item' or 'element')."""
    return f"list<{t.value_type}>" if pa.types.is_list(t) else str(t)


def schema_outcome(release_dir: Path, name: str) -> SuiteOutcome:
    """The Parquet file's columns and types are the data contract's (pipelines/schema.py), with the
    label columns the release adds beside codes (pipelines/publish/labels.py)."""
    from pipelines.publish.labels import columns_of

    schema = pq.read_schema(Path(release_dir) / f"{name}.parquet")
    got_cols = [(f.name, _type_name(f.type)) for f in schema]
    want_cols = [(c.name, _type_name(c.type)) for c in columns_of(name, list(TABLES[name].columns))]
    differ = [
        {"column": w[0], "contract": w[1], "file": dict(got_cols).get(w[0], "missing")}
        for w in want_cols
        if w not in got_cols
    ]
    differ += [
        {"column": g[0], "contract": "not in the contract", "file": g[1]}
        for g in got_cols
        if g[0] not in dict(want_cols)
    ]
    bad = pd.DataFrame(differ, columns=["column", "contract", "file"])
    result = outcome(
        name,
        "parquet_schema_is_the_contract",
        bad.empty,
        bad=bad,
        origin="contract",
        observed=f"{len(bad)} columns differ",
    )
    return SuiteOutcome(table=name, results=[result])
