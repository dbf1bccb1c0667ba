"""Reconciliation of the members tables: cluster_members against clusters, the member_company
ties and the per-région counts.

Written from the contract's descriptions (pipelines/schema.py), not by calling the join code
(pipelines/join/members.py, region_summary.py): counts are recounted from cluster_members rows,
and a tie's SIREN is read back from its own reasons and compared with the member row it names.
"""

from __future__ import annotations

import re

import pandas as pd

from common.places import regions
from pipelines.checks.content import CheckContext
from pipelines.checks.gx_suite import ExpectationOutcome
from pipelines.checks.outcomes import outcome, text

ORIGIN = "reconciliation"
MEMBER_COMPANY = "member_company"
_SIREN_IN_REASON = re.compile(r"\bSIREN (\d{9})\b")


def _count(value) -> int | None:
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else int(value)


def clusters_count_their_members(frames: dict[str, pd.DataFrame], ctx: CheckContext) -> list[ExpectationOutcome]:
    """cluster_members against clusters.n_members: each pôle's count is its number of rows here;
    a pôle with rows has its directory read (n_members not null)."""
    table = "cluster_members"
    clusters, members = frames["clusters"], frames[table]
    counted = members.groupby(text(members["cluster_id"])).size()
    rows = []
    for cid, n in zip(clusters["cluster_id"], clusters["n_members"].tolist()):
        published, recounted = _count(n), int(counted.get(cid, 0))
        if (published is None and recounted) or (published is not None and published != recounted):
            rows.append({"cluster_id": cid, "n_members": published, "cluster_members_rows": recounted})
    bad = pd.DataFrame(rows, columns=["cluster_id", "n_members", "cluster_members_rows"], dtype=object)
    return [
        outcome(
            table,
            "clusters_n_members_is_the_count_of_cluster_members",
            bad.empty,
            column="n_members",
            bad=bad,
            origin=ORIGIN,
            observed=f"{len(bad)} pôles",
        )
    ]


def member_company_ties_agree_with_members(
    frames: dict[str, pd.DataFrame], ctx: CheckContext
) -> list[ExpectationOutcome]:
    """cluster_cce_ties: every member_company tie points at a cluster_members row of the same pôle
    whose SIREN is confirmed and is the SIREN the tie's reasons name, with that row's page as
    evidence; no other kind of tie points at a member."""
    table = "cluster_cce_ties"
    ties, members = frames[table], frames["cluster_members"]
    known = {
        (c, m): (s, conf, url)
        for c, m, s, conf, url in zip(
            members["cluster_id"],
            members["member_id"],
            text(members["siren"]),
            members["match_confidence"],
            members["evidence_url"],
        )
    }
    kind = text(ties["tie_kind"])
    member_ties = ties[kind == MEMBER_COMPANY]
    rows = []
    for t in member_ties.to_dict("records"):
        reasons = " ".join(t["reasons"] if t["reasons"] is not None and not isinstance(t["reasons"], str) else [])
        named = set(_SIREN_IN_REASON.findall(reasons))
        member = known.get((t["cluster_id"], t["member_id"]))
        if member is None:
            why = "no such member of the pôle"
        elif member[1] != "confirmed" or member[0] is None:
            why = f"member's SIREN is not confirmed ({member[1]})"
        elif named != {member[0]}:
            why = f"reasons name SIREN {sorted(named)}, the member's is {member[0]}"
        elif t["evidence_url"] != member[2]:
            why = "evidence_url is not the member's directory page"
        else:
            continue
        rows.append(
            {"cluster_id": t["cluster_id"], "advisor_id": t["advisor_id"], "member_id": t["member_id"], "why": why}
        )
    bad = pd.DataFrame(rows, columns=["cluster_id", "advisor_id", "member_id", "why"])
    stray = ties[(kind != MEMBER_COMPANY) & text(ties["member_id"]).notna()]
    return [
        outcome(
            table,
            "member_company_tie_is_a_member_with_the_same_siren",
            bad.empty,
            column="member_id",
            bad=bad,
            origin=ORIGIN,
            observed=f"{len(bad)} of {len(member_ties)} member_company ties",
        ),
        outcome(
            table,
            "only_member_company_ties_point_at_a_member",
            stray.empty,
            column="member_id",
            bad=stray,
            show=["cluster_id", "advisor_id", "tie_kind", "member_id"],
            origin=ORIGIN,
            observed=f"{len(stray)} ties",
        ),
    ]


def region_summary_members_recomputed(frames: dict[str, pd.DataFrame], ctx: CheckContext) -> list[ExpectationOutcome]:
    """region_summary: n_members, n_members_advisor_companies and n_clusters_members_unknown
    recounted from cluster_members rows, member_company ties and clusters.n_members."""
    table = "region_summary"
    summary, clusters, members, ties = (
        frames[table],
        frames["clusters"],
        frames["cluster_members"],
        frames["cluster_cce_ties"],
    )
    region_of = dict(zip(clusters["cluster_id"], text(clusters["region_code"])))
    n_members = members["cluster_id"].map(region_of).value_counts()
    member_ties = ties[text(ties["tie_kind"]) == MEMBER_COMPANY][["cluster_id", "member_id"]].drop_duplicates()
    n_tied = member_ties["cluster_id"].map(region_of).value_counts()
    unknown = text(clusters["region_code"])[[_count(n) is None for n in clusters["n_members"].tolist()]].value_counts()
    published = summary.set_index(text(summary["region_code"]))
    rows = []
    for code in regions():
        if code not in published.index:
            continue  # region_summary:reconciliation already says a row is missing
        want = {
            "n_members": int(n_members.get(code, 0)),
            "n_members_advisor_companies": int(n_tied.get(code, 0)),
            "n_clusters_members_unknown": int(unknown.get(code, 0)),
        }
        for column, value in want.items():
            have = _count(published.loc[code, column])
            if have != value:
                rows.append({"region_code": code, "column": column, "published": have, "recomputed": value})
    bad = pd.DataFrame(rows, columns=["region_code", "column", "published", "recomputed"], dtype=object)
    return [
        outcome(
            table,
            "members_counts_match_cluster_members_and_ties",
            bad.empty,
            bad=bad,
            origin=ORIGIN,
            observed=f"{len(bad)} values differ",
        )
    ]
