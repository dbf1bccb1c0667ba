"""Every table's checks fail on a corrupted copy of a good release, naming table, expectation and an example row.

The good release is the pipeline's own (conftest.py); each corruption below is one a reviewer
tried by hand on a real release, or one that the checks' design says they catch. The same
registry runs as Dagster asset checks and as ``python -m pipelines.checks``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.checks.content import CheckContext
from pipelines.checks.registry import table_checks
from pipelines.definitions import PUBLISHED_TABLES


def copy(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: df.copy(deep=True) for name, df in frames.items()}


def run(frames, tables, ctx: CheckContext | None = None) -> list[str]:
    """The failure messages of every check attached to ``tables``, as 'table:check: message'."""
    messages = []
    for check in table_checks(PUBLISHED_TABLES):
        if check.table in tables:
            outcome = check.run(frames, ctx)
            messages += [f"{check.table}:{check.name}: {f.describe()}" for f in outcome.failures]
    return messages


def assert_fails(messages: list[str], check: str, expectation: str, example: str):
    """One message of ``check`` ('table:name') names ``expectation`` and the example row's ``example``."""
    table = check.split(":")[0]
    hits = [m for m in messages if m.startswith(check + ":") and expectation in m]
    assert hits, f"{check} did not fail on {expectation}; failures: {messages}"
    assert any(m.split(": ", 1)[1].startswith(f"{table}: ") and example in m for m in hits), hits


# --- a good release passes ---------------------------------------------------------------


def test_the_good_release_passes_every_check(good_frames):
    assert run(good_frames, set(PUBLISHED_TABLES)) == []


def test_the_good_release_passes_against_itself_as_previous(good_frames):
    counts = {name: len(df) for name, df in good_frames.items()}
    assert run(good_frames, set(PUBLISHED_TABLES), CheckContext("2026-11-30.1", counts)) == []


# --- empty tables ------------------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(PUBLISHED_TABLES))
def test_an_empty_table_fails(good_frames, table):
    frames = copy(good_frames)
    frames[table] = frames[table].iloc[0:0]
    messages = run(frames, {table})
    assert_fails(messages, f"{table}:content", "table_not_empty", "0 rows")


# --- candidates: scores and ranks --------------------------------------------------------


def test_every_score_zero_fails(good_frames):
    frames = copy(good_frames)
    frames["cluster_advisor_candidates"]["score"] = 0.0
    messages = run(frames, {"cluster_advisor_candidates"})
    first = good_frames["cluster_advisor_candidates"].iloc[0]
    assert_fails(messages, "cluster_advisor_candidates:content", "score_within_its_weights", first["advisor_id"])
    assert_fails(
        messages, "cluster_advisor_candidates:content", "most_frequent_value_share_at_most_90%", "'0.0' in 100%"
    )


def test_ranks_starting_at_5_fail(good_frames):
    frames = copy(good_frames)
    frames["cluster_advisor_candidates"]["rank"] += 4
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(messages, "cluster_advisor_candidates:content", "ranks_start_at_1", "'rank': 5")


def test_a_gap_in_ranks_fails(good_frames):
    frames = copy(good_frames)
    cand = frames["cluster_advisor_candidates"]
    last = cand.sort_values(["cluster_id", "rank"]).groupby("cluster_id").tail(1).index[0]
    cand.loc[last, "rank"] += 1
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(
        messages, "cluster_advisor_candidates:content", "ranks_dense_within_cluster", cand.loc[last, "advisor_id"]
    )


def test_shuffled_scores_fail(good_frames):
    frames = copy(good_frames)
    cand = frames["cluster_advisor_candidates"]
    cand["score"] = cand["score"].sample(frac=1.0, random_state=7).to_numpy()
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(messages, "cluster_advisor_candidates:content", "scores_non_increasing_with_rank", "'score':")


def test_a_score_above_1_fails_the_suite(good_frames):
    frames = copy(good_frames)
    cand = frames["cluster_advisor_candidates"]
    cand.loc[cand.index[0], "score"] = 1.5
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(
        messages,
        "cluster_advisor_candidates:gx_suite",
        "expect_column_values_to_be_between",
        cand.loc[cand.index[0], "advisor_id"],
    )


def test_a_territory_the_coverage_does_not_hold_fails(good_frames):
    frames = copy(good_frames)
    cand = frames["cluster_advisor_candidates"]
    row = cand.index[cand["territory_match"].eq("same_region")][0]
    cand.loc[row, "territory_match"] = "member_region"
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(
        messages, "cluster_advisor_candidates:territory_agreement", "territory_match_holds", cand.loc[row, "advisor_id"]
    )


# --- advisors ----------------------------------------------------------------------------


def test_advisors_copied_under_new_ids_fail(good_frames):
    frames = copy(good_frames)
    adv = frames["advisors"]
    twins = adv.assign(advisor_id=[f"{i:016x}" for i in range(len(adv))])
    frames["advisors"] = pd.concat([adv, twins], ignore_index=True)
    messages = run(frames, {"advisors"})
    assert_fails(
        messages,
        "advisors:content",
        "one_advisor_id_per_person",
        adv.sort_values(["committee_id", "display_name"]).iloc[0]["display_name"],
    )


def test_a_repeated_advisor_id_fails_the_suite(good_frames):
    frames = copy(good_frames)
    adv = frames["advisors"]
    adv.loc[adv.index[1], "advisor_id"] = adv.loc[adv.index[0], "advisor_id"]
    messages = run(frames, {"advisors"})
    assert_fails(
        messages, "advisors:gx_suite", "expect_column_values_to_be_unique", adv.loc[adv.index[0], "advisor_id"]
    )


def test_an_advisor_on_an_unknown_committee_fails(good_frames):
    frames = copy(good_frames)
    adv = frames["advisors"]
    adv.loc[adv.index[0], "committee_id"] = "section-atlantide"
    messages = run(frames, {"advisors"})
    assert_fails(messages, "advisors:committee_agreement", "committee_id_in_cce_committees", "section-atlantide")
    assert_fails(messages, "advisors:fk_committee_id", "expect_column_values_to_not_be_in_set", "section-atlantide")


# --- every French region_code set to '11' ------------------------------------------------


def test_every_french_region_set_to_11_fails(good_frames):
    frames = copy(good_frames)
    for table in ("clusters", "cce_committees", "advisors"):
        df = frames[table]
        df.loc[df["region_code"].notna(), "region_code"] = "11"
    messages = run(frames, {"clusters", "cce_committees", "advisors", "region_summary"})
    assert_fails(messages, "clusters:content", "region_code_is_the_region_of_departement_code", "'region_code': '11'")
    assert_fails(messages, "clusters:content", "most_frequent_value_share_at_most_35%", "'11' in 100%")
    assert_fails(
        messages, "cce_committees:content", "territory_as_in_reference_committee_departements", "'region_code': '11'"
    )
    assert_fails(messages, "advisors:content", "most_frequent_value_share_at_most_60%", "'11' in 100%")
    assert_fails(
        messages,
        "region_summary:reconciliation",
        "counts_match_clusters_committees_advisors",
        "'column': 'n_committees'",
    )


def test_one_cluster_in_the_wrong_region_fails(good_frames):
    frames = copy(good_frames)
    clusters = frames["clusters"]
    row = clusters.index[clusters["region_code"].ne("11")][0]
    clusters.loc[row, "region_code"] = "11"
    messages = run(frames, {"clusters"})
    assert_fails(
        messages, "clusters:content", "region_code_is_the_region_of_departement_code", clusters.loc[row, "cluster_id"]
    )


# --- region_summary ----------------------------------------------------------------------


def test_region_summary_counts_zero_fail(good_frames):
    frames = copy(good_frames)
    for column in ("n_clusters", "n_committees", "n_advisors"):
        frames["region_summary"][column] = 0
    messages = run(frames, {"region_summary"})
    assert_fails(
        messages, "region_summary:reconciliation", "counts_match_clusters_committees_advisors", "'published': 0"
    )
    assert_fails(messages, "region_summary:content", "distinct_values_at_least_3", "n_clusters")


def test_a_gap_listed_where_a_committee_covers_fails(good_frames):
    frames = copy(good_frames)
    summary = frames["region_summary"]
    row = summary.index[summary["region_code"].eq("53")][0]
    pole = good_frames["clusters"].query("region_code == '53'")["cluster_id"].iloc[0]
    summary.at[row, "clusters_without_committee"] = [pole]
    messages = run(frames, {"region_summary"})
    assert_fails(messages, "region_summary:reconciliation", "counts_match_clusters_committees_advisors", pole)


# --- coverage against the territory table ------------------------------------------------


def test_a_missing_coverage_pair_fails(good_frames):
    frames = copy(good_frames)
    cov = frames["cluster_committee_coverage"]
    gone = cov.iloc[0]
    frames["cluster_committee_coverage"] = cov.iloc[1:]
    messages = run(frames, {"cluster_committee_coverage"})
    assert_fails(messages, "cluster_committee_coverage:territory", "every_territory_pair_present", gone["cluster_id"])


def test_a_coverage_pair_outside_the_territory_fails(good_frames):
    frames = copy(good_frames)
    cov = frames["cluster_committee_coverage"]
    pole = good_frames["clusters"].query("region_code == '53'")["cluster_id"].iloc[0]
    bogus = cov.iloc[[0]].assign(cluster_id=pole, committee_id="fr-guyane", relation="head_office")
    frames["cluster_committee_coverage"] = pd.concat([cov, bogus], ignore_index=True)
    messages = run(frames, {"cluster_committee_coverage"})
    assert_fails(messages, "cluster_committee_coverage:territory", "no_pair_outside_the_territory_table", "fr-guyane")


def test_a_committee_whose_territory_differs_from_the_reference_fails(good_frames):
    frames = copy(good_frames)
    com = frames["cce_committees"]
    row = com.index[com["committee_id"].eq("fr-bretagne")][0]
    com.at[row, "departement_codes"] = ["22", "29", "35"]  # Morbihan (56) dropped
    messages = run(frames, {"cce_committees"})
    assert_fails(messages, "cce_committees:content", "territory_as_in_reference_committee_departements", "fr-bretagne")


# --- entity uniqueness of clusters and committees -----------------------------------------


def test_a_cluster_twice_under_two_ids_fails(good_frames):
    frames = copy(good_frames)
    clusters = frames["clusters"]
    twin = clusters.iloc[[0]].assign(
        cluster_id="twin", name=clusters.iloc[0]["name"].upper(), source_url="https://x.test/twin"
    )
    frames["clusters"] = pd.concat([clusters, twin], ignore_index=True)
    messages = run(frames, {"clusters"})
    assert_fails(messages, "clusters:content", "folded_values_unique", "'cluster_id': 'twin'")


# --- volume against the previous release --------------------------------------------------


def test_a_drop_from_the_previous_release_fails_and_a_rise_warns(good_frames):
    counts = {name: len(df) for name, df in good_frames.items()}
    dropped = {**counts, "advisors": counts["advisors"] * 2}  # this release has half of the previous one's
    messages = run(good_frames, {"advisors"}, CheckContext("2026-11-30.1", dropped))
    assert_fails(messages, "advisors:content", "row_count_drop_at_most_20%", "release 2026-11-30.1")

    risen = {**counts, "advisors": counts["advisors"] // 2}
    check = next(c for c in table_checks(PUBLISHED_TABLES) if (c.table, c.name) == ("advisors", "content"))
    outcome = check.run(good_frames, CheckContext("2026-11-30.1", risen))
    assert outcome.failures == []
    assert [w.expectation for w in outcome.warnings] == ["row_count_rise_at_most_50%"]


def test_fewer_rows_than_the_source_minimum_fail(good_frames):
    frames = copy(good_frames)
    frames["clusters"] = frames["clusters"].head(10)
    messages = run(frames, {"clusters"})
    assert_fails(messages, "clusters:content", "row_count_at_least_min_items_of_poles", "10 rows")


# --- a broken table fails, it does not crash the run --------------------------------------


def test_a_missing_column_fails_the_check_that_needs_it(good_frames):
    frames = copy(good_frames)
    frames["cluster_advisor_candidates"] = frames["cluster_advisor_candidates"].drop(columns=["rank"])
    messages = run(frames, {"cluster_advisor_candidates"})
    assert_fails(messages, "cluster_advisor_candidates:content", "ranks_follow_scores_could_be_evaluated", "KeyError")
