"""The typed boundary (pipelines/contract.py) and the IO manager storing contract tables as typed
Parquet through it: what a step hands over comes back with the same values and the contract's
types (nulls, lists, integers with nulls, dates, timestamps), and a wrong type is refused."""

from __future__ import annotations

import datetime as dt
import math

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.contract import TableValidationError, conform, to_arrow, to_frame
from pipelines.resources import RunStorageIOManager
from pipelines.schema import CLUSTERS, TABLES, Column, Table


def _clusters() -> pd.DataFrame:
    """Two pôles, every contract column; the second mostly null."""
    rows = [{c.name: None for c in CLUSTERS.columns if c.name not in ("first_seen", "last_seen")} for _ in range(2)]
    rows[0].update(
        cluster_id="aerospace-valley",
        name="Aerospace Valley",
        label_start_year=2023,
        label_end_year=2026,
        themes=["Aéronautique", "Spatial"],
        other_region_codes=[],
        latitude=43.6,
        n_cce_in_governance=2,
        has_international_contact=True,
        region_code="76",
        governance_status="found",
        source_url="https://example.org/a",
    )
    rows[1].update(
        cluster_id="minalogic",
        name="Minalogic",
        themes=None,
        other_region_codes=["84"],
        region_code="84",
        governance_status="not_crawled",
        source_url="https://example.org/m",
    )
    return conform(pd.DataFrame(rows), CLUSTERS)


def _storage(tmp_path) -> RunStorageIOManager:
    return RunStorageIOManager(base_dir=str(tmp_path / "storage"), data_dir=str(tmp_path))


def _round_trip(tmp_path, name: str, frame, metadata: dict | None = None):
    """``frame`` stored by one asset named ``name`` and loaded by another, through the IO manager."""
    received = {}

    @dg.asset(name=name, metadata=metadata or {})
    def produce():
        return frame

    @dg.asset(ins={"value": dg.AssetIn(name)})
    def consume(value) -> None:
        received["value"] = value

    result = dg.materialize([produce, consume], resources={"io_manager": _storage(tmp_path)})
    assert result.success
    return received["value"]


def test_a_contract_table_round_trips_typed(tmp_path):
    back = _round_trip(tmp_path, "clusters", _clusters())

    schema = pq.read_schema(tmp_path / "storage" / "clusters.parquet")
    assert str(schema.field("label_start_year").type) == "int64"
    assert str(schema.field("themes").type) == "list<element: string>"
    assert str(schema.field("latitude").type) == "double"
    assert str(schema.field("has_international_contact").type) == "bool"
    assert not (tmp_path / "storage" / "clusters").exists()  # not pickled as well

    assert str(back["label_start_year"].dtype) == "Int64"
    assert str(back["has_international_contact"].dtype) == "boolean"
    assert back["name"].dtype == object and back["themes"].dtype == object
    a, m = back.to_dict("records")
    assert a["cluster_id"] == "aerospace-valley" and a["label_start_year"] == 2023
    assert a["themes"] == ["Aéronautique", "Spatial"] and type(a["themes"]) is list
    assert a["other_region_codes"] == [] and a["has_international_contact"] is True
    assert a["latitude"] == 43.6 and a["n_cce_in_governance"] == 2
    # nulls: ints and booleans pd.NA, text None, floats NaN; conform made the missing list []
    assert back.loc[1, "label_start_year"] is pd.NA and back.loc[1, "has_international_contact"] is pd.NA
    assert m["short_name"] is None and m["website"] is None and math.isnan(m["latitude"])
    assert m["themes"] == [] and m["other_region_codes"] == ["84"]
    assert list(back.columns) == [c.name for c in CLUSTERS.columns if c.name not in ("first_seen", "last_seen")]


def test_dates_and_a_null_list_round_trip(tmp_path):
    advisors = pd.DataFrame(
        {
            "advisor_id": ["a1", "a2"],
            "honorific": ["Mme", None],
            "family_name": ["Durand", "Martin"],
            "given_names": [["Claire", "Anne"], None],
            "display_name": ["Claire Anne Durand", "Martin"],
            "committee_id": ["regional-bretagne", "regional-bretagne"],
            "country_code": ["FR", "FR"],
            "region_code": ["53", None],
            "company": [None, "ACME"],
            "position": [None, None],
            "naf_section": [None, "C"],
            "roles": [["appointee"], ["president", "appointee"]],
            "appointment_ref": ["ECOX2301234D", None],
            "appointment_date": [dt.date(2023, 5, 17), None],
            "mandate_end": [dt.date(2026, 5, 17), None],
            "source_url": ["https://example.org/d", "https://example.org/c"],
        }
    )
    back = _round_trip(tmp_path, "advisors", advisors)
    assert back["appointment_date"].tolist() == [dt.date(2023, 5, 17), None]
    assert back["mandate_end"].tolist() == [dt.date(2026, 5, 17), None]
    assert back["given_names"].tolist() == [["Claire", "Anne"], None]  # a null list stays null, not []
    assert back["roles"].tolist() == [["appointee"], ["president", "appointee"]]
    assert back["honorific"].tolist() == ["Mme", None]
    assert (
        str(pq.read_schema(tmp_path / "storage" / "advisors.parquet").field("appointment_date").type) == "date32[day]"
    )


def test_timestamps_round_trip(tmp_path, monkeypatch):
    events = Table(
        name="events",
        title="Events",
        description="A table with timestamps, for this test only.",
        primary_key=("event_id",),
        columns=(
            Column("event_id", pa.string(), "Id.", required=True),
            Column("at", pa.timestamp("us", tz="UTC"), "When."),
            Column("count", pa.int64(), "How many."),
        ),
    )
    monkeypatch.setitem(TABLES, "events", events)
    frame = pd.DataFrame(
        {
            "event_id": ["e1", "e2"],
            "at": pd.to_datetime(["2026-11-01T06:00:00Z", None], utc=True),
            "count": pd.array([3, None], dtype="Int64"),
        }
    )
    back = _round_trip(tmp_path, "events", frame)
    assert str(pq.read_schema(tmp_path / "storage" / "events.parquet").field("at").type) == "timestamp[us, tz=UTC]"
    assert back["at"].iloc[0] == pd.Timestamp("2026-11-01T06:00:00Z") and back["at"].isna().tolist() == [False, True]
    assert back["count"].tolist()[0] == 3 and back["count"].iloc[1] is pd.NA


def test_an_asset_declaring_its_contract_table_is_stored_typed(tmp_path):
    ties = pd.DataFrame(
        {
            "cluster_id": ["minalogic"],
            "advisor_id": ["a1"],
            "tie_kind": ["governance_seat"],
            "seat_id": ["s1"],
            "member_id": [None],
            "match": ["possible"],
            "score": [0.7],
            "reasons": [["family name"]],
            "evidence_url": ["https://www.minalogic.com/gouvernance"],
            "source_url": ["https://www.minalogic.com/gouvernance"],
        }
    )
    back = _round_trip(tmp_path, "tie_matches", ties, metadata={"contract_table": "cluster_cce_ties"})
    assert (tmp_path / "storage" / "tie_matches.parquet").exists()
    assert back.to_dict("records")[0]["reasons"] == ["family name"]


def test_other_values_stay_pickled(tmp_path):
    crawl = {"source": "poles", "items": "/x/items.jsonl", "errors": 0}
    back = _round_trip(tmp_path, "raw_poles", crawl)
    assert back == crawl and (tmp_path / "storage" / "raw_poles").is_file()


def test_a_wrong_type_is_refused_naming_table_and_column(tmp_path):
    bad = _clusters().astype({"label_start_year": object})
    bad.loc[0, "label_start_year"] = "2023"

    @dg.asset(name="clusters")
    def produce() -> pd.DataFrame:
        return bad

    result = dg.materialize([produce], resources={"io_manager": _storage(tmp_path)}, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = str(failure.event_specific_data.error.to_string())
    assert "clusters" in message and "label_start_year" in message and "'2023'" in message
    assert not (tmp_path / "storage" / "clusters.parquet").exists()


def test_conform_is_to_frame_of_a_coerced_to_arrow():
    raw = pd.DataFrame(
        {
            "region_code": pd.Series([76, None], dtype=object),  # a number where text is due: made text
            "region_name": ["Occitanie", "Auvergne-Rhône-Alpes"],
            "n_clusters": [3.0, 1.0],
            "n_committees": [1, 2],
            "n_advisors": [10, 0],
            "advisors_per_cluster": [3.3, None],
            "clusters_without_committee": [None, ["minalogic"]],
            "n_clusters_with_cce_in_governance": [1, 0],
            "n_clusters_governance_unknown": [0, 1],
            "n_members": [40, None],
            "n_members_advisor_companies": [2, None],
            "n_clusters_members_unknown": [2, 1],
            "source_url": ["https://example.org/r", "https://example.org/r"],
            "scratch": ["dropped", "dropped"],
        }
    )
    out = conform(raw, "region_summary")
    assert out["region_code"].tolist() == ["76", None]
    assert str(out["n_clusters"].dtype) == "Int64" and out["n_clusters"].tolist() == [3, 1]
    assert out["clusters_without_committee"].tolist() == [[], ["minalogic"]]
    assert "scratch" not in out.columns
    with pytest.raises(TableValidationError, match="(?s)region_summary.*not in the schema: scratch"):
        to_arrow("region_summary", raw)  # the strict path refuses what conform drops
    with pytest.raises(TableValidationError, match="(?s)region_summary.*missing column.*n_advisors"):
        conform(raw.drop(columns=["n_advisors"]), "region_summary")
    assert to_frame(to_arrow("region_summary", out, validate=False)).equals(out)


def test_a_pandas_text_column_with_missing_cells_becomes_text_with_nulls():
    """pandas 3 infers its ``str`` dtype (NaN for a missing cell) for a frame built from dicts: the
    contract's text columns read it whole, a NaN cell becoming a null, never the text 'nan'."""
    df = _clusters()
    df["website"] = pd.Series(["https://a.example", None], dtype="str")
    df["name"] = pd.Series(["Aerospace Valley", "Other"], dtype="string")
    assert df["website"].isna().tolist() == [False, True]
    arrow = to_arrow("clusters", df, coerce=True, validate=False)
    assert arrow.column("website").to_pylist() == ["https://a.example", None]
    assert arrow.column("name").to_pylist() == ["Aerospace Valley", "Other"]
    assert conform(df, "clusters")["website"].tolist() == ["https://a.example", None]
