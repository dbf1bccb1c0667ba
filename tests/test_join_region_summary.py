"""region_summary."""

from __future__ import annotations

import pandas as pd
import pytest

from common.places import regions
from pipelines.join.coverage import cluster_committee_coverage
from pipelines.join.region_summary import POLES_DIRECTORY_URL, region_summary
from pipelines.schema import REGION_SUMMARY
from tests.test_join_fixtures import advisors_frame, clusters_frame, committees_frame, synthetic


@pytest.fixture(scope="module")
def summary():
    clusters, committees = clusters_frame(), committees_frame()
    return region_summary(
        clusters, committees, advisors_frame(), cluster_committee_coverage(clusters, committees)
    ).set_index("region_code")


def test_one_row_per_region(summary):
    assert list(summary.index) == sorted(regions())
    assert list(summary.reset_index().columns) == [
        c for c in REGION_SUMMARY.column_names if c not in ("first_seen", "last_seen")
    ]
    assert str(summary["n_clusters"].dtype) == "Int64" and str(summary["advisors_per_cluster"].dtype) == "float64"
    assert (summary["source_url"] == POLES_DIRECTORY_URL).all()


def test_paca_counts(summary):
    paca = summary.loc["93"]
    assert (paca.n_clusters, paca.n_committees, paca.n_advisors) == (3, 2, 2)
    assert paca.advisors_per_cluster == pytest.approx(2 / 3)
    assert summary.loc["11", "n_committees"] == 2 and summary.loc["11", "n_advisors"] == 2
    assert summary.loc["94", "n_committees"] == 0  # Provence-Corse is counted in 93, its own région


def test_no_cluster_means_null_ratio(summary):
    assert pd.isna(summary.loc["94", "advisors_per_cluster"])
    assert summary.loc["94", "clusters_without_committee"] == []


def test_gaps(summary):
    assert summary.loc["27", "clusters_without_committee"] == ["vitagora"]
    assert summary.loc["27", "n_committees"] == 0


def gaps_by_hand(clusters: pd.DataFrame, committees: pd.DataFrame) -> set[str]:
    """Pôles no French committee covers, by the rule of pipelines/join/coverage.py written out
    as plain loops over the committees' territories (not the join code, not the coverage table)."""
    from common.places import departements

    region_of = {code: row["region_code"] for code, row in departements().items()}
    french = [r for r in committees.to_dict("records") if r["country_code"] == "FR" and r["kind"] != "country_section"]
    territory = {r["committee_id"]: set(r["departement_codes"] or []) for r in french}
    sits_in = {
        cid: {r["region_code"]} | {region_of.get(d) for d in territory[cid]} for cid, r in zip(territory, french)
    }
    gaps = set()
    for c in clusters.to_dict("records"):
        dep = c["departement_code"] if c["departement_code"] in region_of else None
        # Other régions are the pôle's régions besides its head office's; the head-office région
        # counts only when the département is unknown (then its committees stand in).
        regions_ = (set(c["other_region_codes"] or []) - {c["region_code"]}) | (
            {c["region_code"]} if dep is None else set()
        )
        covered = any(dep in deps for deps in territory.values()) or any(regions_ & r for r in sits_in.values())
        if not covered:
            gaps.add(c["cluster_id"])
    return gaps


@pytest.mark.parametrize("data", ["fixture", "synthetic"])
def test_gaps_are_the_poles_no_committee_territory_holds(data):
    if data == "fixture":
        clusters, committees, advisors = clusters_frame(), committees_frame(), advisors_frame()
    else:
        clusters, committees, advisors = synthetic(300, 3000, 12)
    summary = region_summary(clusters, committees, advisors, cluster_committee_coverage(clusters, committees))
    listed = [c for cs in summary["clusters_without_committee"] for c in cs]
    assert len(listed) == len(set(listed))  # each gap once, in its own région
    assert set(listed) == gaps_by_hand(clusters, committees)
    assert summary["n_clusters"].sum() == len(clusters)
