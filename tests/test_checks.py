"""The GX helper and the hand-reviewed suites, without Dagster."""

import json

import numpy as np
import pandas as pd
import pytest

from common.paths import EXPECTATIONS_DIR
from common.sources import load_source
from pipelines.checks.gx_suite import assertion_expectations, run_suite, validation_view
from pipelines.schema import TABLES


@pytest.mark.parametrize("path", sorted(EXPECTATIONS_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_suite_names_only_contract_columns(path):
    suite = json.loads(path.read_text(encoding="utf-8"))
    table = TABLES[path.stem]
    for exp in suite["expectations"]:
        kw = exp["kwargs"]
        for col in [kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", [])]:
            assert col is None or col in table.column_names, f"{path.name}: {exp['type']} on unknown column {col}"


def test_every_published_table_has_a_suite():
    assert {p.stem for p in EXPECTATIONS_DIR.glob("*.json")} == set(TABLES)


def test_validation_view_joins_lists():
    view = validation_view(pd.DataFrame({"themes": [["a", "b"], [], None], "x": [1, 2, 3]}))
    assert view["themes"].tolist() == ["a;b", None, None]


def test_source_assertions_fail_below_minimum_and_warn_above_maximum():
    poles = load_source("poles")
    exps = assertion_expectations(poles)
    assert {e["meta"]["severity"] for e in exps} == {"error", "warning"}
    items = pd.DataFrame({"region": ["Bretagne"] * 10, "website": ["x"] * 10, "themes": [["a"]] * 10})
    outcome = run_suite("raw_poles", items, poles, suite={"expectations": []})
    assert not outcome.passed
    assert [f.expectation for f in outcome.failures] == ["expect_table_row_count_to_be_between"]
    many = pd.concat([items] * 9, ignore_index=True)  # 90 > max_items 80: a warning only
    outcome = run_suite("raw_poles", many, poles, suite={"expectations": []})
    assert outcome.passed and [w.expectation for w in outcome.warnings] == ["expect_table_row_count_to_be_between"]


def test_fill_rate_assertion_counts_empty_values():
    poles = load_source("poles")
    items = pd.DataFrame({"region": ["Bretagne"] * 60, "website": ["x"] * 50 + [None] * 10, "themes": [["a"]] * 60})
    outcome = run_suite("raw_poles", items, poles, suite={"expectations": []})
    failed = {(f.expectation, f.column) for f in outcome.failures}
    assert failed == {("expect_column_values_to_not_be_null", "website")}  # 50/60 < 0.9


def test_clusters_suite_catches_a_duplicate_key_and_a_bad_region():
    from pipelines.clean.clusters import clean_clusters

    items = [
        {
            "source_url": f"https://competitivite.gouv.fr/p/{i}",
            "name": f"Pôle {i}",
            "short_name": "Same",
            "region": "Bretagne",
            "themes": ["Mer"],
            "website": "https://x.fr",
            "postcode": "35000",
        }
        for i in range(2)
    ]
    df, _ = clean_clusters(items)
    df.loc[1, "cluster_id"] = df.loc[0, "cluster_id"]
    df.loc[1, "region_code"] = "99"
    outcome = run_suite("clusters", df)
    failed = {(f.expectation, f.column) for f in outcome.failures}
    assert ("expect_column_values_to_be_unique", "cluster_id") in failed
    assert ("expect_column_values_to_be_in_set", "region_code") in failed


def test_validation_view_joins_a_contract_list_column_and_leaves_its_text_columns():
    """With the table named, the contract says which columns are lists: those are joined (numpy
    arrays from Parquet too), text columns are passed through untouched."""
    df = pd.DataFrame(
        {
            "cluster_id": ["a", "b"],
            "themes": pd.Series([np.array(["x", "y"]), None], dtype=object),
            "extra": pd.Series([["p"], []], dtype=object),  # not in the contract: scanned, joined
        }
    )
    view = validation_view(df, "clusters")
    assert view["themes"].tolist() == ["x;y", None]
    assert view["cluster_id"].tolist() == ["a", "b"]
    assert view["extra"].tolist() == ["p", None]
