"""Territory model and cluster_committee_coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.join.coverage import cluster_committee_coverage
from pipelines.join.territory import Territory, cluster_places
from pipelines.schema import CLUSTER_COMMITTEE_COVERAGE
from tests.test_join_fixtures import cluster, clusters_frame, committees_frame


@pytest.fixture(scope="module")
def coverage():
    return cluster_committee_coverage(clusters_frame(), committees_frame())


def rows(coverage, cluster_id):
    sub = coverage[coverage["cluster_id"] == cluster_id]
    return {
        r.committee_id: (r.relation, None if pd.isna(r.departement_code) else r.departement_code)
        for r in sub.itertuples()
    }


def test_territory_model_lookups():
    territory = Territory(committees_frame())
    assert territory.committees_covering_departement("06") == ["fr-nice-cote-d-azur"]
    assert territory.committees_covering_departement("13") == ["fr-provence-corse"]
    assert territory.committees_covering_departement("75") == ["fr-ile-de-france", "fr-paris"]
    assert territory.committees_covering_departement("92") == ["fr-ile-de-france"]
    assert territory.committees_covering_departement("974") == ["fr-la-reunion"]
    assert territory.committees_in_region("93") == ["fr-nice-cote-d-azur", "fr-provence-corse"]
    assert territory.committees_in_region("94") == ["fr-provence-corse"]  # through 2A and 2B
    assert territory.committees_in_region("27") == []
    assert "section-allemagne" not in set(territory.region_committees["committee_id"])


def test_unknown_departement_is_null():
    places = cluster_places(pd.DataFrame([cluster("x", "93", "99", []), cluster("y", "93", None, [])]))
    assert places["departement_code"].isna().all()


def test_paca_split(coverage):
    assert rows(coverage, "scs") == {"fr-nice-cote-d-azur": ("head_office", "06")}  # Nice area: not Provence-Corse
    assert rows(coverage, "eurobiomed") == {"fr-provence-corse": ("head_office", "13")}  # Marseille


def test_paris_is_covered_by_paris_and_ile_de_france(coverage):
    assert rows(coverage, "systematic") == {
        "fr-paris": ("head_office", "75"),
        "fr-ile-de-france": ("head_office", "75"),
    }


def test_overseas(coverage):
    assert rows(coverage, "qualitropic") == {"fr-la-reunion": ("head_office", "974")}


def test_unknown_departement_matches_the_region(coverage):
    assert rows(coverage, "capenergies") == {
        "fr-nice-cote-d-azur": ("head_office", None),
        "fr-provence-corse": ("head_office", None),
    }


def test_member_region(coverage):
    assert rows(coverage, "hippolia") == {
        "fr-normandie": ("head_office", "14"),
        "fr-occitanie": ("member_region", None),
    }
    assert rows(coverage, "aerospace-valley") == {"fr-occitanie": ("head_office", "31")}  # no committee in 75 here


def test_head_office_wins_over_member_region():
    clusters = pd.DataFrame([cluster("pmm", "93", "83", ["Économie maritime"], others=["94", "11"])])
    cov = cluster_committee_coverage(clusters, committees_frame())
    assert rows(cov, "pmm") == {
        "fr-provence-corse": ("head_office", "83"),  # also covers Corse (94): one row, head_office
        "fr-ile-de-france": ("member_region", None),
        "fr-paris": ("member_region", None),
    }


def test_contract_and_order(coverage):
    assert list(coverage.columns) == [
        c for c in CLUSTER_COMMITTEE_COVERAGE.column_names if c not in ("first_seen", "last_seen")
    ]
    assert not coverage.duplicated(["cluster_id", "committee_id"]).any()
    assert coverage.equals(coverage.sort_values(["cluster_id", "committee_id"]).reset_index(drop=True))
    assert set(coverage["relation"]) <= {"head_office", "member_region"}
    assert (coverage["source_url"].str.startswith("https://competitivite.gouv.fr/")).all()


def test_deterministic_under_input_order(coverage):
    shuffled = cluster_committee_coverage(
        clusters_frame().sample(frac=1, random_state=3), committees_frame().sample(frac=1, random_state=4)
    )
    pd.testing.assert_frame_equal(shuffled, coverage)
