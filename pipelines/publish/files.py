"""Deterministic file writers: the same Arrow table always gives the same bytes.

Parquet options are fixed here (not left to library defaults that may change
between calls), no pandas metadata is stored, and the CSV text is built by hand
so dates, floats, booleans and lists have one spelling.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

LIST_SEPARATOR = ";"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM, so spreadsheets do not guess Windows-1252

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
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if pa.types.is_boolean(type_):
        return "true" if value else "false"
    if pa.types.is_floating(type_):
        return repr(float(value))
    if pa.types.is_date(type_):
        return value.isoformat()
    return str(value)


def _csv_column(values: list, type_: pa.DataType) -> list[str]:
    """``_csv_cell`` over a whole column, the type tested once (same text, a fraction of the calls)."""
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return ["" if v is None else v for v in values]
    if pa.types.is_floating(type_):
        return ["" if v is None else repr(float(v)) for v in values]
    if pa.types.is_date(type_):
        return ["" if v is None else v.isoformat() for v in values]
    return [_csv_cell(v, type_) for v in values]


def csv_text(table: pa.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.column_names)
    columns = [_csv_column(table.column(i).to_pylist(), table.schema.field(i).type) for i in range(table.num_columns)]
    writer.writerows(zip(*columns))
    return buf.getvalue()


def write_csv(table: pa.Table, path: Path) -> None:
    path.write_bytes(csv_text(table).encode(CSV_ENCODING))


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
