"""Deterministic file writers: the same Arrow table always gives the same bytes.

Parquet options are fixed here (not left to library defaults that may change
between calls), no pandas metadata is stored, and the CSV text is built by hand
so dates, floats, booleans and lists have one spelling. (``pyarrow.csv.write_csv`` was
tried: it quotes every string, spells floats its own way (``0.00001`` for ``1e-05``) and
cannot write list columns, so the published bytes would change; it is not used.)

CSV safety (OWASP "CSV injection"): a text cell (string or list-of-strings column) that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which a spreadsheet would
evaluate as a formula, is written with a single quote in front (``'=HYPERLINK(…)``,
``'+33123456789``); the rest of the text is kept. Numbers, dates and booleans are never
prefixed (``-5`` stays ``-5``). Parquet keeps every value as it is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

LIST_SEPARATOR = ";"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # OWASP: cells a spreadsheet evaluates
_FORMULA_START = "^[=+\\-@\t\r]"


def neutralise(text: str) -> str:
    """A text cell as the CSV writes it: a single quote before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM, so spreadsheets do not guess Windows-1252
BOM = "".encode(CSV_ENCODING)

PARQUET_OPTIONS = dict(
    compression="zstd",
    compression_level=9,
    version="2.6",
    data_page_version="1.0",
    use_dictionary=True,
    write_statistics=True,
    store_schema=True,  # keeps column descriptions for Arrow readers
    row_group_size=100_000,
)


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, **PARQUET_OPTIONS)


def _csv_cell(value, type_: pa.DataType) -> str:
    if value is None:
        return ""
    if pa.types.is_list(type_):
        return neutralise(LIST_SEPARATOR.join("" if v is None else str(v) for v in value))
    if pa.types.is_boolean(type_):
        return "true" if value else "false"
    if pa.types.is_floating(type_):
        return repr(float(value))
    if pa.types.is_date(type_):
        return value.isoformat()
    return neutralise(str(value)) if pa.types.is_string(type_) or pa.types.is_large_string(type_) else str(value)


def _csv_column(values: list, type_: pa.DataType) -> list[str]:
    """``_csv_cell`` over a whole column, the type tested once (same text, a fraction of the calls)."""
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return ["" if v is None else neutralise(v) for v in values]
    if pa.types.is_floating(type_):
        return ["" if v is None else repr(float(v)) for v in values]
    if pa.types.is_date(type_):
        return ["" if v is None else v.isoformat() for v in values]
    return [_csv_cell(v, type_) for v in values]


# RFC 4180: a field holding the delimiter, the quote or a line break (CR or LF) is quoted. A bare
# CR left unquoted (csv.writer's QUOTE_MINIMAL with "\n" line ends does so) splits the row for
# pandas and is refused by pyarrow's reader.
_NEEDS_QUOTES = '[,"\n\r]'


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


_QUOTE, _EMPTY, _APOSTROPHE = _text('"'), _text(""), _text("'")


def _is_text(type_: pa.DataType) -> bool:
    return pa.types.is_string(type_) or pa.types.is_large_string(type_)


def _cell_text(column: pa.ChunkedArray | pa.Array, type_: pa.DataType) -> pa.Array:
    """A column as ``_csv_cell`` spells it, nulls as "", still unquoted; in Arrow where the spelling is the same."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if _is_text(type_):
        text = column
    elif pa.types.is_integer(type_) or pa.types.is_boolean(type_) or pa.types.is_date32(type_):
        text = pc.cast(column, pa.large_string())  # "12", "true"/"false", "2026-11-01": as str(), isoformat()
    elif pa.types.is_list(type_) and _is_text(type_.value_type):
        offsets = column.offsets
        start, end = offsets[0].as_py(), offsets[-1].as_py()
        values = pc.fill_null(column.values.slice(start, end - start), "")  # a null element is written as ""
        lists = pa.ListArray.from_arrays(pc.subtract(offsets, offsets[0]), values, mask=column.is_null())
        text = pc.binary_join(lists, LIST_SEPARATOR)
    else:  # floats (repr) and anything else: Python, as before
        return pa.array(_csv_column(column.to_pylist(), type_), type=pa.large_string())
    text = pc.fill_null(pc.cast(text, pa.large_string()), "")
    if _is_text(type_) or (pa.types.is_list(type_) and _is_text(type_.value_type)):
        formula = pc.match_substring_regex(text, _FORMULA_START)
        if pc.any(formula).as_py():
            text = pc.if_else(formula, pc.binary_join_element_wise(_APOSTROPHE, text, _EMPTY), text)
    return text


def csv_cells(table: pa.Table) -> list[pa.Array]:
    """Every column's CSV fields (quoted where RFC 4180 wants it), as Arrow strings."""
    cells = []
    for i in range(table.num_columns):
        text = _cell_text(table.column(i), table.schema.field(i).type)
        needs_quotes = pc.match_substring_regex(text, _NEEDS_QUOTES)
        if not pc.any(needs_quotes).as_py():  # ids, codes, dates, numbers: nothing to quote
            cells.append(text)
            continue
        quoted = pc.binary_join_element_wise(_QUOTE, pc.replace_substring(text, '"', '""'), _QUOTE, _EMPTY)
        cells.append(pc.if_else(needs_quotes, quoted, text))
    return cells


def _header(names: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(names)
    return buf.getvalue()


def csv_bytes(names: list[str], cells: list[pa.Array]) -> bytes:
    """UTF-8 CSV text (no BOM) of columns ``names`` whose fields are ``cells`` (from :func:`csv_cells`)."""
    header = _header(names).encode("utf-8")
    if not cells or len(cells[0]) == 0:
        return header
    if len(cells) == 1:  # csv.writer writes a row holding one empty field as ""
        cells = [pc.if_else(pc.equal(cells[0], _EMPTY), _text('""'), cells[0])]
    rows = pc.binary_join_element_wise(*cells, _text(","))
    rows = pc.binary_join_element_wise(rows, _text("\n"), _EMPTY)  # row + "\n"
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    body = rows.buffers()[2]
    return header + memoryview(body)[int(offsets[0]) : int(offsets[-1])].tobytes()


def csv_text(table: pa.Table) -> str:
    return csv_bytes(table.column_names, csv_cells(table)).decode("utf-8")


def write_csv(table: pa.Table, path: Path, cells: list[pa.Array] | None = None) -> None:
    """``cells``: the table's :func:`csv_cells`, when the caller has them already."""
    data = csv_bytes(table.column_names, cells if cells is not None else csv_cells(table))
    path.write_bytes(BOM + data)


def write_json(obj, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sha256sums(folder: Path) -> dict[str, str]:
    """``sha256sum -c`` compatible list of every file in the folder but itself."""
    sums = {p.name: sha256_of(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SHA256SUMS"}
    (folder / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sums.items()), encoding="utf-8")
    return sums


def fsync_tree(folder: Path) -> None:
    """Flush every file and the folder itself, so a rename never exposes half-written files."""
    for path in folder.iterdir():
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
