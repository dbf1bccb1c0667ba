"""The members reconciliations (pipelines/checks/members.py) on small hand-made tables: a
consistent set passes, each corruption fails naming the table, the expectation and the row."""

from __future__ import annotations

import pandas as pd

from pipelines.checks import members as checks
from pipelines.checks.content import CheckContext

PAGE = "https://pole-mer.example/adherents"


def tables() -> dict[str, pd.DataFrame]:
    clusters = pd.DataFrame(
        {
            "cluster_id": ["mer", "agri", "far"],
            "region_code": ["53", "76", "53"],
            "n_members": pd.array([2, 0, None], dtype="Int64"),  # far: directory not read
        }
    )
    members = pd.DataFrame(
        {
            "cluster_id": ["mer", "mer"],
            "member_id": ["00000000000000a1", "00000000000000a2"],
            "siren": ["123456789", None],
            "match_confidence": ["confirmed", "ambiguous"],
            "evidence_url": [PAGE, PAGE],
        }
    )
    ties = pd.DataFrame(
        {
            "cluster_id": ["mer", "mer"],
            "advisor_id": ["a1", "a2"],
            "tie_kind": ["member_company", "governance_seat"],
            "member_id": ["00000000000000a1", None],
            "reasons": [["organisation: SIREN 123456789 equal: ..."], ["name: given and family names agree"]],
            "evidence_url": [PAGE, "https://pole-mer.example/gouvernance"],
        }
    )
    summary = pd.DataFrame(
        {
            "region_code": ["53", "76"],
            "n_members": [2, 0],
            "n_members_advisor_companies": [1, 0],
            "n_clusters_members_unknown": [1, 0],
        }
    )
    return {"clusters": clusters, "cluster_members": members, "cluster_cce_ties": ties, "region_summary": summary}


def failures(fn, frames) -> list[str]:
    return [r.describe() for r in fn(frames, CheckContext()) if not r.success]


def test_consistent_tables_pass():
    frames = tables()
    assert failures(checks.clusters_count_their_members, frames) == []
    assert failures(checks.member_company_ties_agree_with_members, frames) == []
    assert failures(checks.region_summary_members_recomputed, frames) == []


def test_a_wrong_member_count_fails():
    frames = tables()
    frames["clusters"].loc[0, "n_members"] = 3
    (message,) = failures(checks.clusters_count_their_members, frames)
    assert message.startswith("cluster_members: n_members: clusters_n_members_is_the_count_of_cluster_members")
    assert "'cluster_id': 'mer', 'n_members': 3, 'cluster_members_rows': 2" in message


def test_members_of_a_pole_said_unread_fail():
    frames = tables()
    frames["clusters"].loc[0, "n_members"] = None
    (message,) = failures(checks.clusters_count_their_members, frames)
    assert "'cluster_id': 'mer', 'n_members': None" in message


def test_a_tie_naming_another_siren_fails():
    frames = tables()
    frames["cluster_cce_ties"].at[0, "reasons"] = ["organisation: SIREN 999999999 equal: ..."]
    (message,) = failures(checks.member_company_ties_agree_with_members, frames)
    assert "member_company_tie_is_a_member_with_the_same_siren" in message and "'advisor_id': 'a1'" in message
    assert "reasons name SIREN ['999999999'], the member's is 123456789" in message


def test_a_tie_to_an_unconfirmed_or_missing_member_fails():
    frames = tables()
    frames["cluster_cce_ties"].loc[0, "member_id"] = "00000000000000a2"  # the ambiguous member
    assert (
        "member's SIREN is not confirmed (ambiguous)"
        in failures(checks.member_company_ties_agree_with_members, frames)[0]
    )
    frames["cluster_cce_ties"].loc[0, "member_id"] = "ffffffffffffffff"
    assert "no such member of the pôle" in failures(checks.member_company_ties_agree_with_members, frames)[0]


def test_a_tie_with_other_evidence_and_a_seat_pointing_at_a_member_fail():
    frames = tables()
    frames["cluster_cce_ties"].loc[0, "evidence_url"] = "https://pole-mer.example/gouvernance"
    frames["cluster_cce_ties"].loc[1, "member_id"] = "00000000000000a1"
    messages = failures(checks.member_company_ties_agree_with_members, frames)
    assert "evidence_url is not the member's directory page" in messages[0]
    assert messages[1].startswith("cluster_cce_ties: member_id: only_member_company_ties_point_at_a_member")


def test_region_counts_that_differ_fail():
    frames = tables()
    frames["region_summary"].loc[0, "n_members_advisor_companies"] = 0
    frames["region_summary"].loc[1, "n_clusters_members_unknown"] = 1
    (message,) = failures(checks.region_summary_members_recomputed, frames)
    assert "'region_code': '53', 'column': 'n_members_advisor_companies', 'published': 0, 'recomputed': 1" in message
    assert "'region_code': '76', 'column': 'n_clusters_members_unknown', 'published': 1, 'recomputed': 0" in message
