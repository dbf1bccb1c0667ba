"""Blocking check ``<table>:no_personal_contact``: no e-mail or phone number in any text or
list-of-text column of a published table, by the detector that scrubs the crawls
(common.personal_data). Columns the contract marks ``contact="organisation"`` (a pôle's own
published e-mail and phone) are exempt. A failure names the table, the column and an example
row by its key, never the contact itself.

:func:`scan_table` works on a plain DataFrame; pipelines/checks/registry.py runs it for every
published table, in Dagster and in ``python -m pipelines.checks`` alike.
"""

from dataclasses import dataclass

import pandas as pd

from common.personal_data import kinds_in
from pipelines.checks.gx_suite import ExpectationOutcome, SuiteOutcome
from pipelines.schema import STR, STR_LIST, TABLES

CHECK = "no_personal_contact"
EXPECTATION = "expect_column_values_to_hold_no_personal_contact"


@dataclass
class ColumnFinding:
    table: str
    column: str
    rows: int  # rows holding a contact
    example_row: str  # "advisor_id=…" of the first one
    kinds: list[str]

    def describe(self) -> str:
        return (
            f"{self.table}.{self.column}: {self.rows} row(s) hold a personal {' or '.join(self.kinds)}, "
            f"e.g. row {self.example_row}"
        )


def scanned_columns(table: str, frame: pd.DataFrame) -> list[str]:
    """The text and list-of-text columns of ``table`` the check reads (the contract's, else the frame's)."""
    spec = TABLES.get(table)
    if spec is None:
        return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    return [
        c.name for c in spec.columns if c.type in (STR, STR_LIST) and c.contact != "organisation" and c.name in frame
    ]


def _values(cell) -> list[str]:
    if isinstance(cell, str):
        return [cell]
    if cell is None or isinstance(cell, float):
        return []
    try:
        return [v for v in cell if isinstance(v, str)]
    except TypeError:
        return []


def scan_table(table: str, frame: pd.DataFrame) -> list[ColumnFinding]:
    """Every column of ``frame`` that holds a personal contact, with a count and an example row."""
    key = list(TABLES[table].primary_key) if table in TABLES else []
    findings = []
    seen: dict[str, list[str]] = {}  # texts repeat (reasons, roles, companies): detect each once

    def kinds(text: str) -> list[str]:
        if text not in seen:
            seen[text] = kinds_in(text)
        return seen[text]

    for column in scanned_columns(table, frame):
        hits, kinds_found = [], set()
        for i, cell in enumerate(frame[column].tolist()):
            found = {k for v in _values(cell) for k in kinds(v)}
            if found:
                hits.append(i)
                kinds_found |= found
        if hits:
            row = frame.iloc[hits[0]]
            example = ", ".join(f"{k}={row[k]}" for k in key if k in frame) or f"#{hits[0]}"
            findings.append(ColumnFinding(table, column, len(hits), example, sorted(kinds_found)))
    return findings


def outcome(table: str, frame: pd.DataFrame) -> SuiteOutcome:
    """The scan as a suite outcome: one failed expectation per column holding a contact."""
    findings = {f.column: f for f in scan_table(table, frame)}
    results = [
        ExpectationOutcome(
            expectation=EXPECTATION,
            column=column,
            success=column not in findings,
            severity="error",
            unexpected_count=findings[column].rows if column in findings else 0,
            unexpected_examples=[f"row {findings[column].example_row} ({' or '.join(findings[column].kinds)})"]
            if column in findings
            else [],
            origin="personal data",
        )
        for column in scanned_columns(table, frame)
    ]
    return SuiteOutcome(table, results)


def scan_release(folder) -> list[ColumnFinding]:
    """Every published table of a release folder (its Parquet files), for a check outside Dagster."""
    from pathlib import Path

    folder = Path(folder)
    return [
        f
        for table in TABLES
        if (folder / f"{table}.parquet").exists()
        for f in scan_table(table, pd.read_parquet(folder / f"{table}.parquet"))
    ]
