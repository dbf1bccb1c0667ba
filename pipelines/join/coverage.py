"""cluster_committee_coverage: which CCE committees cover each pôle's territory."""

from __future__ import annotations

import pandas as pd

from pipelines.clean.frames import conform
from pipelines.schema import CLUSTER_COMMITTEE_COVERAGE

from .territory import cluster_other_regions, cluster_places, committee_departements, committee_regions

HEAD_OFFICE = "head_office"
MEMBER_REGION = "member_region"


def cluster_committee_coverage(clusters: pd.DataFrame, committees: pd.DataFrame) -> pd.DataFrame:
    """One row per (pôle, covering committee), per the CLUSTER_COMMITTEE_COVERAGE contract.

    - head_office: the committee's territory contains the head-office département
      (departement_code = that département); when the département is unknown, every committee
      of the head-office région, matched at région level (departement_code null);
    - member_region: every committee of each of the pôle's other régions.
    A pair both ways keeps head_office. source_url is the pôle's."""
    places = cluster_places(clusters)
    by_dep = committee_departements(committees)
    by_region = committee_regions(committees)

    known = places[places["departement_code"].notna()]
    head_dep = known[["cluster_id", "departement_code"]].merge(by_dep, on="departement_code")

    unknown = places[places["departement_code"].isna()]
    head_region = unknown[["cluster_id", "region_code"]].merge(by_region, on="region_code")
    head_region["departement_code"] = None

    member = cluster_other_regions(clusters).merge(by_region, on="region_code")
    member["departement_code"] = None

    rows = pd.concat(
        [
            head_dep.assign(relation=HEAD_OFFICE, priority=0),
            head_region.assign(relation=HEAD_OFFICE, priority=0),
            member.assign(relation=MEMBER_REGION, priority=1),
        ],
        ignore_index=True,
    )
    rows = rows.sort_values(["cluster_id", "committee_id", "priority"], kind="stable").drop_duplicates(
        ["cluster_id", "committee_id"]
    )
    source_url = clusters.drop_duplicates("cluster_id").set_index("cluster_id")["source_url"]
    rows["source_url"] = rows["cluster_id"].map(source_url)
    rows["departement_code"] = rows["departement_code"].astype(object).where(rows["departement_code"].notna(), None)
    return conform(rows.reset_index(drop=True), CLUSTER_COMMITTEE_COVERAGE)
