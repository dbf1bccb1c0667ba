"""Stock mode: DuckDB over the bundled SIRENE stock extract answers the same queries, and the
same matcher reaches the same result as over the API answers of the sample."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from pipelines.enrich.register import _match_all
from spiders.company_register.stock import StockIndex, naf_section
from tests.test_company_register_enrich import QUERIES, register_items

STOCK = SNAPSHOTS_DIR / "company_register" / "stock"


@pytest.fixture(scope="module")
def stock_items():
    index = StockIndex(STOCK)
    try:
        yield index.answer(QUERIES, "https://stock.example/StockUniteLegale_utf8.parquet")
    finally:
        index.close()


def test_extract_has_the_real_files_columns():
    units = pq.read_schema(STOCK / "StockUniteLegale_utf8.parquet").names
    etabs = pq.read_schema(STOCK / "StockEtablissement_utf8.parquet").names
    assert len(units) == 35 and len(etabs) == 54
    for column in ("siren", "denominationUniteLegale", "sigleUniteLegale", "denominationUsuelle1UniteLegale",
                   "activitePrincipaleUniteLegale", "etatAdministratifUniteLegale", "nicSiegeUniteLegale",
                   "categorieJuridiqueUniteLegale"):  # fmt: skip
        assert column in units
    for column in ("siret", "codePostalEtablissement", "libelleCommuneEtablissement", "etablissementSiege",
                   "etatAdministratifEtablissement", "enseigne1Etablissement"):  # fmt: skip
        assert column in etabs


def test_naf_sections():
    assert [naf_section(c) for c in ("01.21Z", "30.30Z", "62.01Z", "94.99Z", "", None)] == [
        "A",
        "C",
        "J",
        "S",
        None,
        None,
    ]


def test_stock_and_api_reach_the_same_matches_and_issues(stock_items):
    api, api_issues = _match_all(QUERIES, register_items(), 0.75)
    stock, stock_issues = _match_all(QUERIES, stock_items, 0.75)
    assert {k: m.siren for k, m in stock.items()} == {k: m.siren for k, m in api.items()}
    assert {k: m.score for k, m in stock.items()} == {k: m.score for k, m in api.items()}
    expected = {  # the snapshot README's deliberate variants
        ("ambiguous_match", "hippolia"),
        ("ambiguous_match", "maison lefort distribution"),
        ("no_match", "derbi"),
        ("no_match", "societe imaginaire zero"),
    }
    assert {(i.code, i.context["key"]) for i in api_issues} >= expected
    assert {(i.code, i.context["key"]) for i in stock_issues} == {(i.code, i.context["key"]) for i in api_issues}


def test_an_sa_and_an_sas_of_the_same_name_are_told_apart(stock_items):
    """'Temoinix Santé SA' and '… SAS' are two units of the invented register: both found
    in the stock for either query, each resolved by the legal form its name states."""
    stock, _ = _match_all(QUERIES, stock_items, 0.75)
    by_key = {i["key"]: i for i in stock_items}
    names = {c["nom_raison_sociale"] for c in by_key["temoinix sante sa"]["candidates"]}
    assert {"TEMOINIX SANTE SA", "TEMOINIX SANTE SAS"} <= names
    assert stock["temoinix sante sa"].nature_juridique == "5599"
    assert stock["temoinix sante sas"].nature_juridique == "5710"


def test_stock_mode_crawl_yields_one_item_per_query(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "company_register", "--out", str(out), "-a", "register=stock"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["items"] == len(QUERIES) and summary["errors"] == 0 and summary["pages"] == 0
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["stock/queries"] == len(QUERIES)


def test_unknown_register_mode_is_refused(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "company_register", "--out", str(tmp_path), "-a", "register=both"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0
    assert "register mode 'both' is neither 'api' nor 'stock'" in proc.stderr


def test_members_resolve_alike_in_both_modes_and_look_alikes_stay_apart(stock_items):
    from pipelines.enrich.members import resolve_members

    members = [q for q in QUERIES if q["kind"] == "member"]
    listings = pd.DataFrame(
        {
            "cluster_id": "x",
            "member_id": [q["key"] for q in members],
            "organisation": [q["name"] for q in members],
            "postcode": [q.get("code_postal") for q in members],
            "city": [q.get("city") for q in members],
            "evidence_url": "https://pole.example/membres",
        }
    )
    api, api_issues = resolve_members(listings, register_items())
    stock, stock_issues = resolve_members(listings, stock_items)
    assert api["siren"].tolist() == stock["siren"].tolist()
    assert api["match_confidence"].tolist() == stock["match_confidence"].tolist()
    assert [i.message for i in api_issues] == [i.message for i in stock_issues]
    by_name = api.set_index("organisation")
    # From the pole_members sample README (planted advisors' companies and their look-alikes).
    assert by_name.loc["Chabert Mécanique", "siren"] == "451879258"
    assert by_name.loc["Chabert Mécanique de Précision", "siren"] not in (None, "451879258")
    assert by_name.loc["Armor Cidres", "siren"] == "598593473"
    assert by_name.loc["Armor Cidres Distribution", "siren"] not in (None, "598593473")
    assert by_name.loc["Prototypia Industrie SAS", "siren"] == "944718915"
    assert by_name.loc["Prototypia Ingénierie SAS", "siren"] not in (None, "944718915")
    # The register sample's deliberate member variants (its README).
    assert {
        n: by_name.loc[n, "match_confidence"] for n in ("Tallio Tech", "Calrix Analytics", "Venvor Agro", "Ulvor Labs")
    } == {
        "Tallio Tech": "ambiguous",
        "Calrix Analytics": "ambiguous",
        "Venvor Agro": "no_match",
        "Ulvor Labs": "no_match",
    }
    assert (api["match_confidence"].isin(["confirmed", "possible"])).mean() >= 0.8


def test_clusters_get_the_same_siren_and_coordinates_from_the_stock(stock_items):
    """The stock gives Lambert-93 (UTM overseas) coordinates; converted back, the head office
    is where the API puts it (both from the same invented register; 1e-5 degree is ~1 m)."""
    from pipelines.enrich.register import enrich_clusters
    from tests.test_company_register_enrich import sample_clusters

    api, _ = enrich_clusters(sample_clusters(), register_items())
    stock, _ = enrich_clusters(sample_clusters(), stock_items)
    assert stock["siren"].tolist() == api["siren"].tolist()
    assert stock["latitude"].notna().sum() == 55  # 57 pôles, hippolia and derbi unmatched
    assert ((stock["latitude"] - api["latitude"]).abs().max()) < 1e-5
    assert ((stock["longitude"] - api["longitude"]).abs().max()) < 1e-5
    reunion = stock.set_index("cluster_id").loc["qualitropic"]  # UTM 40S, not Lambert-93
    assert -21.5 < reunion["latitude"] < -20.5 and 55 < reunion["longitude"] < 56


def test_missing_stock_files_fail_the_crawl_naming_the_file(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "spiders.crawl",
            "company_register",
            "--out",
            str(tmp_path / "run"),
            "-a",
            "register=stock",
            "-a",
            f"stock={tmp_path / 'nowhere'}",
        ],  # fmt: skip
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert f"stock mode: {tmp_path / 'nowhere' / 'StockUniteLegale_utf8.parquet'} is missing" in proc.stderr
