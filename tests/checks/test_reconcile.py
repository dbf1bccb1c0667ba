"""The reconciliations on small hand-built tables, expected values written out by hand."""

from __future__ import annotations

import pandas as pd

from pipelines.checks.content import CheckContext, ranks_follow_scores, scores_match_their_reasons
from pipelines.checks.reconcile import expected_coverage, region_summary_recomputed


def committees(*ids):
    rows = {
        "fr-bretagne": ("regional", "FR", "53"),
        "fr-provence-corse": ("regional", "FR", "93"),
        "fr-nice-cote-d-azur": ("territorial", "FR", "93"),
        "fr-la-reunion": ("regional", "FR", "04"),
        "fr-paris": ("territorial", "FR", "11"),
        "fr-ile-de-france": ("regional", "FR", "11"),
        "section-de": ("country_section", "DE", None),
    }
    return pd.DataFrame(
        [
            {
                "committee_id": c,
                "kind": rows[c][0],
                "country_code": rows[c][1],
                "region_code": rows[c][2],
                "departement_codes": [],
            }
            for c in ids
        ]
    )


def clusters(*rows):
    return pd.DataFrame(
        [
            {"cluster_id": c, "departement_code": d, "region_code": r, "other_region_codes": list(o)}
            for c, d, r, o in rows
        ]
    )


def test_expected_coverage_reads_the_territory_table():
    got = expected_coverage(
        clusters(
            ("ajaccio", "2A", "94", []),  # Corse: Provence-Corse covers 2A
            ("bastia", "2B", "94", ["53"]),  # and 2B; Bretagne as a member région
            ("nice", "06", "93", []),  # Alpes-Maritimes: Nice Côte d'Azur only
            ("paris", "75", "11", []),  # Paris: both Île-de-France and Paris
            ("saint-denis", "974", "04", []),
            ("unknown-dep", None, "93", []),  # département unknown: every committee of the région
            ("cayenne", "973", "03", []),  # no Guyane committee crawled: nothing
        ),
        committees(
            "fr-bretagne",
            "fr-provence-corse",
            "fr-nice-cote-d-azur",
            "fr-la-reunion",
            "fr-paris",
            "fr-ile-de-france",
            "section-de",
        ),
    )
    assert got == {
        ("ajaccio", "fr-provence-corse", "head_office"),
        ("bastia", "fr-provence-corse", "head_office"),
        ("bastia", "fr-bretagne", "member_region"),
        ("nice", "fr-nice-cote-d-azur", "head_office"),
        ("paris", "fr-ile-de-france", "head_office"),
        ("paris", "fr-paris", "head_office"),
        ("saint-denis", "fr-la-reunion", "head_office"),
        ("unknown-dep", "fr-provence-corse", "head_office"),
        ("unknown-dep", "fr-nice-cote-d-azur", "head_office"),
    }


def test_a_committee_not_crawled_covers_nothing():
    got = expected_coverage(clusters(("nice", "06", "93", [])), committees("fr-provence-corse"))
    assert got == set()


def test_region_summary_recomputed_by_hand():
    from common.places import regions

    cl = clusters(("ajaccio", "2A", "94", []), ("brest", "29", "53", []), ("rennes", "35", "53", []))
    com = committees("fr-bretagne", "section-de")
    adv = pd.DataFrame({"advisor_id": ["a", "b", "c"], "committee_id": ["fr-bretagne", "fr-bretagne", "section-de"]})
    summary = pd.DataFrame(
        {
            "region_code": list(regions()),
            "n_clusters": 0,
            "n_committees": 0,
            "n_advisors": 0,
            "advisors_per_cluster": None,
            "clusters_without_committee": [[] for _ in regions()],
        }
    )
    summary = summary.set_index("region_code", drop=False)
    summary.loc["53", ["n_clusters", "n_committees", "n_advisors", "advisors_per_cluster"]] = [2, 1, 2, 1.0]
    summary.loc["94", ["n_clusters", "advisors_per_cluster"]] = [1, 0.0]
    summary.at["94", "clusters_without_committee"] = ["ajaccio"]  # no Provence-Corse in these committees
    frames = {"region_summary": summary.reset_index(drop=True), "clusters": cl, "cce_committees": com, "advisors": adv}
    (result,) = region_summary_recomputed(frames, CheckContext())
    assert result.success, result.describe()

    frames["region_summary"].loc[frames["region_summary"]["region_code"] == "53", "n_advisors"] = 3
    (result,) = region_summary_recomputed(frames, CheckContext())
    assert not result.success
    assert result.unexpected_examples == [
        {"region_code": "53", "column": "n_advisors", "published": 3, "recomputed": 2}
    ]


def cand(rows):
    return pd.DataFrame(rows, columns=["cluster_id", "advisor_id", "rank", "score", "territory_match", "sector_match"])


def test_ranks_and_scores_by_hand():
    good = cand(
        [
            ("p", "a", 1, 0.85, "same_committee", True),
            ("p", "b", 2, 0.5, "same_committee", False),
            ("p", "c", 3, 0.5, "same_committee", None),
            ("q", "a", 1, 0.25, "same_region", None),
        ]
    )
    assert [r.success for r in ranks_follow_scores(good, CheckContext())] == [True, True, True]
    assert [r.success for r in scores_match_their_reasons(good, CheckContext())] == [True]

    tie_out_of_order = good.assign(advisor_id=["a", "c", "b", "a"])
    assert [r.success for r in ranks_follow_scores(tie_out_of_order, CheckContext())] == [True, True, False]
    gap = good.assign(rank=[1, 2, 4, 1])
    assert [r.success for r in ranks_follow_scores(gap, CheckContext())] == [True, False, True]
    from_two = good.assign(rank=[2, 3, 4, 1])
    assert [r.success for r in ranks_follow_scores(from_two, CheckContext())] == [False, False, True]

    sector_without_weight = good.assign(score=[0.5, 0.5, 0.5, 0.25])  # a's sector match is worth 0.35 more
    (r,) = scores_match_their_reasons(sector_without_weight, CheckContext())
    assert not r.success and r.unexpected_count == 1 and r.unexpected_examples[0]["advisor_id"] == "a"
    too_high = good.assign(score=[0.85, 0.5, 0.5, 0.45])  # same_region 0.25 + keyword 0.15 at most: 0.40
    (r,) = scores_match_their_reasons(too_high, CheckContext())
    assert not r.success and r.unexpected_examples == [
        {"cluster_id": "q", "advisor_id": "a", "score": 0.45, "territory_match": "same_region", "sector_match": None}
    ]
