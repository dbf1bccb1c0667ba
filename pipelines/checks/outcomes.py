"""Building blocks of the pandas checks: one ExpectationOutcome per expectation, with example rows.

The GX suites report through the same ExpectationOutcome (pipelines/checks/gx_suite.py), so a
run record, the landing page and ``python -m pipelines.checks`` read every check alike.
"""

from __future__ import annotations

import pandas as pd

from pipelines.checks.gx_suite import ExpectationOutcome
from pipelines.contract import is_missing

ERROR = "error"
WARNING = "warning"


def example_rows(frame: pd.DataFrame, columns: list[str], limit: int = 3) -> list[dict]:
    """The first ``limit`` rows of ``frame`` as {column: value} over ``columns`` (JSON-friendly)."""
    cols = [c for c in columns if c in frame.columns]
    rows = []
    for record in frame[cols].head(limit).to_dict("records"):
        rows.append({k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in record.items()})
    return rows


def outcome(
    table: str,
    expectation: str,
    success: bool,
    *,
    column: str | None = None,
    observed=None,
    bad: pd.DataFrame | None = None,
    show: list[str] | None = None,
    severity: str = ERROR,
    origin: str = "content",
) -> ExpectationOutcome:
    """One expectation's outcome; ``bad`` holds the failing rows, ``show`` the columns to name them by."""
    examples = example_rows(bad, show or list(bad.columns)) if bad is not None and not success else []
    return ExpectationOutcome(
        expectation=expectation,
        column=column,
        success=bool(success),
        severity=severity,
        observed=observed,
        unexpected_count=None if bad is None else len(bad),
        unexpected_examples=examples,
        origin=origin,
        table=table,
    )


def text(series: pd.Series) -> pd.Series:
    """A column as stripped text with None for null/empty (object dtype, whatever the input dtype)."""
    values = [None if is_missing(v) else (str(v).strip() or None) for v in series.tolist()]
    return pd.Series(values, index=series.index, dtype=object)
