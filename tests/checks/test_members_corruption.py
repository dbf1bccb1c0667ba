"""The members tables' checks fail on a corrupted copy of the good release (conftest.py: the
pipeline's own), naming table, expectation and an example row -- as tests/checks/test_corruption.py
does for the other tables. The empty-table case is there already (every published table)."""

from __future__ import annotations

import pandas as pd

from tests.checks.test_corruption import assert_fails, copy, run


def _member_ties(frames) -> pd.DataFrame:
    ties = frames["cluster_cce_ties"]
    return ties[ties["tie_kind"] == "member_company"]


def test_the_good_release_has_members_and_member_ties(good_frames):
    assert len(good_frames["cluster_members"]) >= 200 and len(_member_ties(good_frames)) >= 1
    assert run(good_frames, {"cluster_members", "clusters", "cluster_cce_ties", "region_summary"}) == []


def test_fewer_members_than_the_source_minimum_fail(good_frames):
    frames = copy(good_frames)
    frames["cluster_members"] = frames["cluster_members"].head(40)
    messages = run(frames, {"cluster_members"})
    assert_fails(messages, "cluster_members:content", "row_count_at_least_min_items_of_pole_members", "40 rows")


def test_every_member_on_one_pole_fails_the_spread(good_frames):
    frames = copy(good_frames)
    frames["cluster_members"]["cluster_id"] = "av"
    messages = run(frames, {"cluster_members"})
    assert_fails(messages, "cluster_members:content", "distinct_values_at_least_10", "1 distinct")
    assert_fails(messages, "cluster_members:content", "most_frequent_value_share_at_most_40%", "'av' in 100%")


def test_a_repeated_member_key_fails_the_suite(good_frames):
    frames = copy(good_frames)
    members = frames["cluster_members"]
    frames["cluster_members"] = pd.concat([members, members.iloc[[0]]], ignore_index=True)
    messages = run(frames, {"cluster_members"})
    assert_fails(
        messages, "cluster_members:gx_suite", "expect_compound_columns_to_be_unique", members.iloc[0]["member_id"]
    )


def test_a_siren_forced_on_an_ambiguous_member_fails_the_suite(good_frames):
    frames = copy(good_frames)
    members = frames["cluster_members"]
    row = members.index[members["match_confidence"].isin(["ambiguous", "no_match"])][0]
    members.loc[row, "siren"] = "123456789"
    messages = run(frames, {"cluster_members"})
    assert_fails(messages, "cluster_members:gx_suite", "expect_column_values_to_be_null", members.loc[row, "member_id"])


def test_a_member_of_an_unknown_pole_fails_the_foreign_key(good_frames):
    frames = copy(good_frames)
    frames["cluster_members"].loc[0, "cluster_id"] = "pole-atlantide"
    messages = run(frames, {"cluster_members"})
    assert_fails(messages, "cluster_members:fk_cluster_id", "expect_column_values_to_not_be_in_set", "pole-atlantide")


def test_a_personal_contact_in_a_member_row_fails(good_frames):
    frames = copy(good_frames)
    members = frames["cluster_members"]
    members.loc[0, "city"] = "Brest (contact : jeanne.exemple@gmail.com)"
    messages = run(frames, {"cluster_members"})
    assert_fails(messages, "cluster_members:no_personal_contact", "no_personal_contact", members.loc[0, "member_id"])


def test_a_member_count_that_differs_from_the_rows_fails(good_frames):
    frames = copy(good_frames)
    clusters = frames["clusters"]
    row = clusters.index[clusters["n_members"].fillna(0) > 0][0]
    clusters.loc[row, "n_members"] += 1
    messages = run(frames, {"cluster_members"})
    assert_fails(
        messages,
        "cluster_members:members_count",
        "clusters_n_members_is_the_count_of_cluster_members",
        clusters.loc[row, "cluster_id"],
    )


def test_a_member_tie_to_another_siren_or_an_unknown_member_fails(good_frames):
    frames = copy(good_frames)
    ties = frames["cluster_cce_ties"]
    first, *_ = _member_ties(frames).index
    ties.at[first, "reasons"] = ["organisation: SIREN 000000001 equal: a company that is not the member"]
    messages = run(frames, {"cluster_cce_ties"})
    assert_fails(
        messages,
        "cluster_cce_ties:member_company",
        "member_company_tie_is_a_member_with_the_same_siren",
        "reasons name SIREN ['000000001']",
    )
    ties.loc[first, "member_id"] = "ffffffffffffffff"
    messages = run(frames, {"cluster_cce_ties"})
    assert_fails(messages, "cluster_cce_ties:fk_member_id", "expect_column_values_to_not_be_in_set", "ffffffffffffffff")
    assert_fails(messages, "cluster_cce_ties:member_company", "member_company_tie_is", "no such member of the pôle")


def test_region_members_counts_zeroed_fail(good_frames):
    frames = copy(good_frames)
    frames["region_summary"]["n_members"] = 0
    frames["region_summary"]["n_members_advisor_companies"] = 0
    messages = run(frames, {"region_summary"})
    assert_fails(
        messages,
        "region_summary:members_reconciliation",
        "members_counts_match_cluster_members_and_ties",
        "'column': 'n_members', 'published': 0",
    )
