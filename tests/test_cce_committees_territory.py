"""reference/committee_departements.csv: the territory of each CCE committee in France."""

import csv

import pytest

from common.paths import REFERENCE_DIR
from common.places import departements, regions

SHARED = REFERENCE_DIR / "facts" / "cce_committees.csv"


@pytest.fixture(scope="module")
def table():
    with (REFERENCE_DIR / "committee_departements.csv").open(encoding="utf-8") as fh:
        return {r["committee_id"]: {**r, "deps": r["departement_codes"].split()} for r in csv.DictReader(fh)}


def test_one_row_per_french_committee_of_the_reference(table):
    with SHARED.open(encoding="utf-8") as fh:
        names = {r["committee_name"] for r in csv.DictReader(fh) if r["kind"] == "region"}
    assert {r["committee_name"] for r in table.values()} == names
    assert len(table) == 21


def test_codes_are_insee_and_bases_known(table):
    for r in table.values():
        assert r["deps"], r["committee_id"]
        assert set(r["deps"]) <= set(departements())
        assert r["region_code"] == "" or r["region_code"] in regions()
        assert r["basis"] in {"region", "city", "assumption", "overseas_departement", "overseas_collectivity"}
        assert r["kind"] in {"regional", "territorial"}


def test_regions_expand_to_all_their_departements(table):
    bretagne = table["fr-bretagne"]
    assert bretagne["deps"] == ["22", "29", "35", "56"]
    for r in table.values():
        if r["basis"] == "region":
            expected = sorted(c for c, d in departements().items() if d["region_code"] == r["region_code"])
            assert sorted(r["deps"]) == expected


def test_paca_split_is_stated_and_complete(table):
    nice, provence = table["fr-nice-cote-d-azur"], table["fr-provence-corse"]
    assert nice["deps"] == ["06"] and nice["kind"] == "territorial"
    assert provence["deps"] == ["04", "05", "13", "83", "84", "2A", "2B"]
    assert nice["basis"] == provence["basis"] == "assumption"
    assert "ASSUMPTION" in nice["note"] and "ASSUMPTION" in provence["note"]
    paca_and_corsica = {c for c, d in departements().items() if d["region_code"] in ("93", "94")}
    assert set(nice["deps"]) | set(provence["deps"]) == paca_and_corsica
    assert not set(nice["deps"]) & set(provence["deps"])


def test_paris_inside_ile_de_france(table):
    paris, idf = table["fr-paris"], table["fr-ile-de-france"]
    assert paris["deps"] == ["75"] and paris["kind"] == "territorial"
    assert sorted(idf["deps"]) == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert set(paris["deps"]) < set(idf["deps"])
    assert "overlap" in idf["note"]


@pytest.mark.parametrize(
    "cid, dep, region",
    [
        ("fr-guadeloupe", "971", "01"),
        ("fr-martinique", "972", "02"),
        ("fr-guyane", "973", "03"),
        ("fr-la-reunion", "974", "04"),
        ("fr-mayotte", "976", "06"),
        ("fr-nouvelle-caledonie", "988", ""),
        ("fr-polynesie-francaise", "987", ""),
    ],
)
def test_overseas(table, cid, dep, region):
    assert table[cid]["deps"] == [dep]
    assert table[cid]["region_code"] == region
