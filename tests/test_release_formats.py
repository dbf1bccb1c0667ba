"""What analysts get: typed zstd Parquet readable as is, CSV for spreadsheets, a valid Data Package."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import validate

from common.sources import all_sources
from pipelines.publish import write_release
from pipelines.publish.labels import columns_of
from pipelines.publish.sample import sample_checks, sample_crawls, sample_issues, sample_tables
from pipelines.schema import TABLES


@pytest.fixture(scope="module")
def rel(tmp_path_factory):
    return write_release(
        sample_tables(),
        releases_dir=tmp_path_factory.mktemp("releases"),
        run_date=dt.date(2026, 11, 2),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
    )


def test_duckdb_queries_the_release(rel):
    con = duckdb.connect()
    rows = con.execute(
        f"""
        SELECT cluster_id, len(themes) AS n_themes, themes[1] AS first_theme, first_seen
        FROM read_parquet('{rel / "clusters.parquet"}')
        WHERE list_contains(themes, 'Spatial')
        """
    ).fetchall()
    assert rows == [("aerospace-valley", 2, "Aéronautique", dt.date(2026, 11, 2))]
    joined = con.execute(
        f"""
        SELECT c.name, count(*) FROM read_parquet('{rel / "advisors.parquet"}') a
        JOIN read_parquet('{rel / "cce_committees.parquet"}') c USING (committee_id)
        GROUP BY ALL ORDER BY 2 DESC, 1 LIMIT 1
        """
    ).fetchall()
    assert joined == [("CCE Occitanie", 2)]
    types = dict(
        con.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{rel / 'advisors.parquet'}')"
        ).fetchall()
    )
    assert types["roles"] == "VARCHAR[]" and types["appointment_date"] == "DATE" and types["first_seen"] == "DATE"


def test_parquet_types_match_the_contract(rel):
    for name, table in TABLES.items():
        f = pq.ParquetFile(rel / f"{name}.parquet")
        schema = f.schema_arrow
        published = columns_of(name, list(table.columns))  # the contract's, labels beside their codes
        assert schema.names == [c.name for c in published]
        assert [n for n in schema.names if n in table.column_names] == table.column_names
        for col in published:
            assert schema.field(col.name).type == col.type, (name, col.name)
            assert schema.field(col.name).metadata[b"description"].decode() == col.description
        assert b"pandas" not in (schema.metadata or {})  # portable: no pandas-specific metadata
        assert {f.metadata.row_group(0).column(i).compression for i in range(f.metadata.num_columns)} == {"ZSTD"}
    clusters = pq.read_table(rel / "clusters.parquet")
    assert clusters.schema.field("first_seen").type == pa.date32()
    assert clusters.schema.field("themes").type == pa.list_(pa.string())
    assert clusters.schema.field("label_start_year").type == pa.int64()
    assert pq.read_table(rel / "cluster_advisor_candidates.parquet").schema.field("sector_match").type == pa.bool_()


def test_pandas_reads_typed_values(rel):
    df = pd.read_parquet(rel / "advisors.parquet").set_index("advisor_id")
    assert df.loc["a2", "appointment_date"] == dt.date(2024, 3, 1)
    assert list(df.loc["a2", "given_names"]) == ["Luc", "Marie"]
    cand = pd.read_parquet(rel / "cluster_advisor_candidates.parquet")
    assert cand["rank"].dtype == "int64"
    assert list(cand["cluster_id"]) == sorted(cand["cluster_id"])  # sorted by key


def test_polars_reads_the_release(rel):
    pl = pytest.importorskip("polars", reason="polars (dev dependency) not installed")
    df = pl.read_parquet(rel / "clusters.parquet")
    assert df.schema["themes"] == pl.List(pl.String)


def test_csv_copies_for_spreadsheets(rel):
    raw = (rel / "advisors.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so spreadsheets detect the encoding
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    a2 = next(r for r in rows if r["advisor_id"] == "a2")
    assert a2["given_names"] == "Luc;Marie"
    assert a2["appointment_date"] == "2024-03-01"
    assert a2["region_code"] == "76"
    cand = list(csv.DictReader((rel / "cluster_advisor_candidates.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["sector_match"] for r in cand] == ["true", "", "false", "true"]  # sorted by (cluster_id, advisor_id)
    assert list(rows[0]) == [c.name for c in columns_of("advisors", list(TABLES["advisors"].columns))]
    assert (a2["region_code"], a2["region_name"], a2["role_kinds"]) == ("76", "Occitanie", "appointee")


def test_datapackage_validates(rel):
    report = validate(rel / "datapackage.json")
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])
    assert {t.name for t in report.tasks} == set(TABLES) | {"changes"}
    package = json.loads((rel / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "etalab-2.0"
    advisors = next(r for r in package["resources"] if r["name"] == "advisors")
    assert advisors["schema"]["primaryKey"] == ["advisor_id"]
    assert advisors["schema"]["foreignKeys"] == [
        {"fields": ["committee_id"], "reference": {"resource": "cce_committees", "fields": ["committee_id"]}}
    ]
    assert advisors["x-parquet"]["path"] == "advisors.parquet"
    fields = {f["name"]: f for f in advisors["schema"]["fields"]}
    assert fields["appointment_date"]["type"] == "date" and fields["family_name"]["constraints"] == {"required": True}
    poles = next(s for s in package["sources"] if s["x-name"] == "poles")
    assert poles["path"].startswith("https://competitivite.gouv.fr") and poles["x-crawled-at"] == "2026-11-01T06:00:00Z"


def test_datapackage_validation_catches_broken_data(rel, tmp_path):
    """The package is really checked row by row, foreign keys included."""
    copy = tmp_path / "copy"
    shutil.copytree(rel, copy)
    text = (
        (copy / "advisors.csv").read_text(encoding="utf-8-sig").replace(",regional-bretagne,", ",regional-atlantide,")
    )
    (copy / "advisors.csv").write_text(text, encoding="utf-8-sig")
    report = validate(copy / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {e[1] for e in report.flatten(["taskNumber", "type"])}
