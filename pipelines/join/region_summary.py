"""region_summary: per INSEE région, pôles, committees, advisors and coverage gaps."""

from __future__ import annotations

import pandas as pd

from common.places import regions
from pipelines.clean.frames import conform
from pipelines.schema import REGION_SUMMARY

from .territory import french_committees
from .ties import MEMBER_COMPANY

POLES_DIRECTORY_URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"


def region_summary(
    clusters: pd.DataFrame,
    committees: pd.DataFrame,
    advisors: pd.DataFrame,
    coverage: pd.DataFrame,
    ties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per the 18 régions, per the REGION_SUMMARY contract.

    n_committees counts French committees by their own region_code (Comité Provence-Corse counts
    for 93, not for Corse, though it covers Corse); n_advisors counts those committees' advisors;
    clusters_without_committee lists the région's pôles with no coverage row at all;
    n_clusters_with_cce_in_governance counts the pôles with a confirmed or reviewed CCE seat, and
    n_clusters_governance_unknown those whose governance was not read (status other than found);
    n_members sums clusters.n_members, n_clusters_members_unknown counts the pôles whose directory
    was not read (n_members null), and n_members_advisor_companies the distinct members that a
    member_company tie of ``ties`` (cluster_cce_ties) points at."""
    out = pd.DataFrame({"region_code": list(regions()), "region_name": list(regions().values())})

    n_clusters = clusters.groupby("region_code").size()
    fr = french_committees(committees)
    n_committees = fr.groupby("region_code").size()
    committee_region = fr.drop_duplicates("committee_id").set_index("committee_id")["region_code"]
    advisor_region = advisors.drop_duplicates("advisor_id")["committee_id"].map(committee_region)
    n_advisors = advisor_region.value_counts()

    covered = set(coverage["cluster_id"])
    gaps = clusters[~clusters["cluster_id"].isin(covered)].sort_values("cluster_id")
    gaps_by_region = gaps.groupby("region_code")["cluster_id"].agg(list)

    out["n_clusters"] = out["region_code"].map(n_clusters).fillna(0).astype("Int64")
    out["n_committees"] = out["region_code"].map(n_committees).fillna(0).astype("Int64")
    out["n_advisors"] = out["region_code"].map(n_advisors).fillna(0).astype("Int64")
    ratio = out["n_advisors"].astype("float64") / out["n_clusters"].astype("float64")
    out["advisors_per_cluster"] = ratio.where(out["n_clusters"] > 0)
    out["clusters_without_committee"] = out["region_code"].map(lambda r: list(gaps_by_region.get(r, [])))
    # Governance read from the pôles' own sites (clusters.governance_status, n_cce_in_governance).
    status = (
        clusters["governance_status"]
        if "governance_status" in clusters
        else pd.Series("not_crawled", index=clusters.index)
    )
    n_cce = (
        clusters["n_cce_in_governance"] if "n_cce_in_governance" in clusters else pd.Series(None, index=clusters.index)
    )
    with_cce = clusters[pd.to_numeric(n_cce, errors="coerce").fillna(0).gt(0)].groupby("region_code").size()
    unknown = clusters[status.fillna("not_crawled").ne("found")].groupby("region_code").size()
    out["n_clusters_with_cce_in_governance"] = out["region_code"].map(with_cce).fillna(0).astype("Int64")
    out["n_clusters_governance_unknown"] = out["region_code"].map(unknown).fillna(0).astype("Int64")
    # Members read from the pôles' own directories (clusters.n_members, member_company ties).
    n_members = pd.to_numeric(
        clusters["n_members"] if "n_members" in clusters else pd.Series(None, index=clusters.index), errors="coerce"
    )
    members = n_members.groupby(clusters["region_code"]).sum()
    members_unknown = clusters[n_members.isna()].groupby("region_code").size()
    member_ties = (
        ties[ties["tie_kind"] == MEMBER_COMPANY].drop_duplicates(["cluster_id", "member_id"])
        if ties is not None
        else pd.DataFrame(columns=["cluster_id", "member_id"])
    )
    tied = member_ties["cluster_id"].map(clusters.drop_duplicates("cluster_id").set_index("cluster_id")["region_code"])
    out["n_members"] = out["region_code"].map(members).fillna(0).astype("Int64")
    out["n_members_advisor_companies"] = out["region_code"].map(tied.value_counts()).fillna(0).astype("Int64")
    out["n_clusters_members_unknown"] = out["region_code"].map(members_unknown).fillna(0).astype("Int64")
    out["source_url"] = POLES_DIRECTORY_URL
    return conform(out.sort_values("region_code").reset_index(drop=True), REGION_SUMMARY)
