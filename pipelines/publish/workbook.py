"""The release as one .xlsx workbook for spreadsheet users: one sheet per table.

Every text column is written as text (cell format "@"), so codes such as "01", "2A" or
"974" keep their spelling; lists are joined by ';' as in the CSVs; numbers, booleans and
dates keep their types. Written with openpyxl in write-only mode. Only for releases a
spreadsheet can hold comfortably (``MAX_ROWS`` in all): at bench scale it is skipped and
the README says so, since the Parquet and CSV files are the reference.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from pipelines.schema import TABLES

from .files import LIST_SEPARATOR

WORKBOOK_NAME = "poles-cce.xlsx"
MAX_ROWS = 20_000  # the real release has ~1,000 rows; bench scales far beyond (openpyxl is slow there)
TEXT = "@"


def _values(column: pa.ChunkedArray, type_: pa.DataType) -> list:
    values = column.to_pylist()
    if pa.types.is_list(type_):
        return [None if v is None else LIST_SEPARATOR.join("" if x is None else str(x) for x in v) for v in values]
    return values


def fits(tables: dict[str, pa.Table]) -> bool:
    return sum(t.num_rows for t in tables.values()) <= MAX_ROWS


def write_workbook(tables: dict[str, pa.Table], path: Path, run_date: dt.date) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    stamp = dt.datetime.combine(run_date, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.title = "Pôles de compétitivité and CCE export advisors"
    for name in (n for n in TABLES if n in tables):
        table = tables[name]
        sheet = book.create_sheet(title=name[:31])
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for col in table.column_names:
            cell = WriteOnlyCell(sheet, value=col)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        columns = []
        for i, field in enumerate(table.schema):
            text = (
                pa.types.is_string(field.type) or pa.types.is_large_string(field.type) or pa.types.is_list(field.type)
            )
            columns.append((_values(table.column(i), field.type), text))
        for r in range(table.num_rows):
            row = []
            for values, text in columns:
                cell = WriteOnlyCell(sheet, value=values[r])
                if text:
                    cell.number_format = TEXT
                    if values[r] is not None:
                        cell.data_type = "s"  # "=…" stays text: openpyxl would otherwise store a formula
                row.append(cell)
            sheet.append(row)
    book.save(path)
