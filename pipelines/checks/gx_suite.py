"""Run a hand-reviewed Great Expectations 1.x suite (``expectations/<table>.json``) on a DataFrame.

Not dagster-ge (it needs GX < 1): a short helper, called by the asset checks.
GX is imported lazily, once per process (it costs ~5 s), and one ephemeral
context is reused for every suite.

A source's assertions (``sources/<source>.yml``) become expectations at run time
(:func:`assertion_expectations`): the minimum count and fill rates fail, the maximum
count only warns. They are checked on the crawl's items, and the row counts also on
the table a source feeds one-to-one (pôles -> clusters).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from common.paths import EXPECTATIONS_DIR
from common.sources import Source
from pipelines.schema import TABLES


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    severity: str  # "error" fails the check, "warning" only reports
    observed: object = None
    unexpected_count: int | None = None
    unexpected_examples: list = field(default_factory=list)
    origin: str = "suite"  # "suite", "source assertions", "content" or "reconciliation"
    table: str | None = None  # set by the runner, so every message names its table

    def describe(self) -> str:
        where = f"{self.table}: " if self.table else ""
        where += f"{self.column}: " if self.column else ""
        if self.observed is None and self.unexpected_count is None and not self.success:
            return f"{where}{self.expectation} could not be evaluated (is the column missing?)"
        detail = f"observed {self.observed}" if self.observed is not None else f"{self.unexpected_count} unexpected"
        if self.unexpected_examples:
            detail += f", e.g. {self.unexpected_examples[:3]}"
        return f"{where}{self.expectation} ({detail})"


@dataclass
class SuiteOutcome:
    table: str
    results: list[ExpectationOutcome]

    @property
    def passed(self) -> bool:
        return all(r.success for r in self.results if r.severity == "error")

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    def to_records(self) -> list[dict]:
        return [
            {
                "expectation": r.expectation,
                "column": r.column,
                "success": r.success,
                "severity": r.severity,
                "origin": r.origin,
                "observed": None if r.observed is None else str(r.observed),
                "unexpected_count": r.unexpected_count,
            }
            for r in self.results
        ]


def load_suite(table: str) -> dict:
    path = EXPECTATIONS_DIR / f"{table}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validation_view(df: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """Lists become ';'-joined strings (None when empty): GX metrics need hashable cells.

    A column the contract of ``table`` types as text or a number is taken as such (conform made it
    so); the others are scanned for lists (scanning every text cell cost ~5 s at 100x)."""
    out = df.copy()
    typed = {c.name: c.type for c in TABLES[table].columns} if table in TABLES else {}
    for col in out.columns:
        if col in typed:
            holds_lists = pa.types.is_list(typed[col])
        else:  # only object columns can hold lists; any() stops at the first one
            holds_lists = out[col].dtype == object and any(
                isinstance(v, (list, tuple, np.ndarray)) for v in out[col].tolist()
            )
        if holds_lists:  # Parquet list cells come back as numpy arrays, pipeline ones as lists
            joined = [
                ";".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) and len(v) else None for v in out[col]
            ]
            out[col] = pd.Series(joined, index=out.index, dtype=object)
    return out


def foreign_key_suite(frame: pd.DataFrame, parent: pd.DataFrame, columns, ref_columns) -> dict:
    """Referential integrity as a GX suite: no ``columns`` value outside ``parent[ref_columns]``.

    The keys missing from the parent are found here (pandas, vectorised) and GX checks the
    column against that short list: GX re-serialises an expectation's kwargs many times per
    validation, so a value_set of every parent key (450,000 advisor ids at 100x) took minutes.
    Same outcome as "values in the parent's set": nulls are skipped either way, and the
    unexpected values are the same."""
    expectations = []
    from pipelines.contract import orphans  # the release writer's foreign-key gate too

    for col, ref in zip(columns, ref_columns):
        missing = [str(v) for (v,) in orphans(frame, parent, [col], [ref])]
        expectations.append(
            {"type": "expect_column_values_to_not_be_in_set", "kwargs": {"column": col, "value_set": missing}}
        )
    return {"expectations": expectations}


def assertion_expectations(source: Source, fill_rates: bool = True) -> list[dict]:
    a = source.assertions
    exps = [
        {
            "type": "expect_table_row_count_to_be_between",
            "kwargs": {"min_value": a.min_items},
            "meta": {"origin": "source assertions", "severity": "error"},
        }
    ]
    if a.max_items is not None:
        exps.append(
            {
                "type": "expect_table_row_count_to_be_between",
                "kwargs": {"max_value": a.max_items},
                "meta": {"origin": "source assertions", "severity": "warning"},
            }
        )
    for column, rate in sorted(a.fill_rates.items() if fill_rates else ()):
        exps.append(
            {
                "type": "expect_column_values_to_not_be_null",
                "kwargs": {"column": column, "mostly": rate},
                "meta": {"origin": "source assertions", "severity": "error"},
            }
        )
    return exps


@cache
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    # Progress bars would flood the run's logs with "Calculating Metrics" lines.
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ds = ctx.data_sources.add_pandas("tables")
    return ctx, ds


_batch_defs: dict[str, object] = {}


def run_suite(
    table: str,
    df: pd.DataFrame,
    source: Source | None = None,
    suite: dict | None = None,
    fill_rates: bool = True,
) -> SuiteOutcome:
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    ctx, ds = _context()
    if table not in _batch_defs:
        _batch_defs[table] = ds.add_dataframe_asset(table).add_batch_definition_whole_dataframe(table)
    suite = suite or load_suite(table)
    specs = list(suite["expectations"]) + (assertion_expectations(source, fill_rates) if source else [])
    configs = []
    for spec in specs:
        meta = dict(spec.get("meta", {}))
        configs.append(ExpectationConfiguration(type=spec["type"], kwargs=spec["kwargs"], meta=meta))
    gx_suite = ExpectationSuite(name=f"{table}_suite", expectations=configs)
    batch = _batch_defs[table].get_batch(batch_parameters={"dataframe": validation_view(df, table)})
    # Failing rows are reported by their primary key, so a message names an example row.
    key = [c for c in _primary_key(table) if c in df.columns]
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
    if key:
        result_format["unexpected_index_column_names"] = key
    result = batch.validate(gx_suite, result_format=result_format)
    outcomes = []
    for res in result.results:
        cfg = res.expectation_config
        meta = cfg.meta or {}
        r = res.result or {}
        outcomes.append(
            ExpectationOutcome(
                expectation=cfg.type,
                column=cfg.kwargs.get("column"),
                success=bool(res.success),
                severity=meta.get("severity", "error"),
                observed=r.get("observed_value"),
                unexpected_count=r.get("unexpected_count"),
                unexpected_examples=_examples(r),
                origin=meta.get("origin", "suite"),
                table=table,
            )
        )
    return SuiteOutcome(table=table, results=outcomes)


def _primary_key(table: str) -> tuple[str, ...]:
    return TABLES[table].primary_key if table in TABLES else ()


def _examples(result: dict) -> list:
    """Up to five failing rows, by primary key and value when GX gives them, else failing values."""
    rows = result.get("partial_unexpected_index_list") or []
    if rows and isinstance(rows[0], dict):
        return [dict(r) for r in rows[:5]]
    return list(result.get("partial_unexpected_list") or [])[:5]
