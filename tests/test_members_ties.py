"""cluster_members as published, the member_company ties, clusters.n_members and the members
columns of region_summary, on hand-made frames (the interface of resolve_members' output)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.join.headline import headline
from pipelines.join.members import add_member_counts, advisor_company_frame, member_company_ties, members_table
from pipelines.join.region_summary import region_summary
from pipelines.schema import CLUSTER_CCE_TIES, CLUSTER_MEMBERS
from tests.ties_fixtures import ADVISORS, CLUSTERS, COMMITTEES

PAGE = "https://www.pole-mer.example/adherents"


def member(cluster_id, member_id, organisation, siren=None, confidence="no_match", score=None, **extra):
    return {
        "cluster_id": cluster_id,
        "member_id": member_id,
        "organisation": organisation,
        "category": "pme",
        "category_label": "PME",
        "postcode": "29200",
        "city": "Brest",
        "website": None,
        "evidence_url": extra.pop("evidence_url", PAGE),
        "directory_form": "static_list",
        "siren": siren,
        "siret": None,
        "naf_code": extra.pop("naf_code", None),
        "naf_label": extra.pop("naf_label", None),
        "match_score": score,
        "match_confidence": confidence,
        "match_reasons": ["name similarity 1.00"] if siren else [],
        **extra,
    }


def members(*rows) -> pd.DataFrame:
    table, issues = members_table(pd.DataFrame(list(rows)))
    assert issues == []
    return table


class Match:  # what advisor_company_matches returns per advisor: pipelines.enrich.match.Match
    def __init__(self, siren, score):
        self.siren, self.score = siren, score


def companies(**sirens) -> pd.DataFrame:
    return advisor_company_frame({a: Match(s, 0.97) for a, s in sirens.items()})


def test_members_table_is_the_contract_with_its_provenance_and_naf_label():
    rows = [
        member("mer", "00000000000000b2", "Armor Cidres", "123456789", "confirmed", 0.9, naf_code="03.11Z"),
        member("mer", "00000000000000b1", "Solaris", None, "ambiguous", 0.8),
    ]
    table, issues = members_table(pd.DataFrame(rows))
    assert list(table.columns) == [c.name for c in CLUSTER_MEMBERS.columns if c.name not in ("first_seen", "last_seen")]
    assert issues == []
    assert table["member_id"].tolist() == ["00000000000000b1", "00000000000000b2"]  # sorted by key
    kervella = table.iloc[1]
    assert kervella["source_url"] == PAGE
    assert kervella["naf_label"] == "Pêche en mer"  # INSEE's label, the resolver gave none


def test_a_member_listed_twice_keeps_one_row_and_is_reported():
    rows = [member("mer", "00000000000000b1", "Solaris"), member("mer", "00000000000000b1", "SOLARIS")]
    table, issues = members_table(pd.DataFrame(rows))
    assert table["organisation"].tolist() == ["Solaris"]
    assert [(i.code, i.url, i.value) for i in issues] == [("duplicate_member", PAGE, "00000000000000b1")]
    assert "'SOLARIS' of mer listed twice" in issues[0].message


def test_an_advisors_company_among_the_members_is_a_confirmed_member_company_tie():
    table = members(
        member("mer", "00000000000000c1", "Armor Cidres SAS", "123456789", "confirmed", 0.91),
        member("mer", "00000000000000c2", "Roquebrune", "987654321", "confirmed", 0.95),
    )
    ties = member_company_ties(table, ADVISORS, companies(**{"a-lebihan": "123456789"}), opt_out=[])
    assert list(ties.columns) == [c.name for c in CLUSTER_CCE_TIES.columns if c.name not in ("first_seen", "last_seen")]
    assert len(ties) == 1
    tie = ties.iloc[0]
    assert (tie["cluster_id"], tie["advisor_id"], tie["tie_kind"], tie["match"]) == (
        "mer",
        "a-lebihan",
        "member_company",
        "confirmed",
    )
    assert tie["member_id"] == "00000000000000c1" and tie["seat_id"] is None
    assert tie["evidence_url"] == PAGE and tie["source_url"] == PAGE
    assert tie["score"] == 0.91  # the weaker of the member's match (0.91) and the company's (0.97)
    assert tie["reasons"][0] == (
        "organisation: SIREN 123456789 equal: the advisor's company 'Armor Cidres' is the member 'Armor Cidres SAS'"
    )


def test_no_tie_without_a_confirmed_siren_on_both_sides():
    table = members(
        member("mer", "00000000000000d1", "Armor Cidre", "123456789", "possible", 0.8),  # member only possible
        member("mer", "00000000000000d2", "Armor Cidres", None, "ambiguous", 0.86),  # no SIREN at all
        member("agri", "00000000000000d3", "Roquebrune Conseil", "555555555", "confirmed", 0.99),
    )
    # a-lebihan's company is the possible member's SIREN; a-roquebrune's company was not matched
    ties = member_company_ties(table, ADVISORS, companies(**{"a-lebihan": "123456789"}), opt_out=[])
    assert ties.empty and list(ties.columns) == [
        c.name for c in CLUSTER_CCE_TIES.columns if c.name not in ("first_seen", "last_seen")
    ]


def test_an_advisors_company_matched_below_the_confirmed_floor_is_not_tied():
    table = members(member("mer", "00000000000000e2", "Armor Cidres", "123456789", "confirmed", 0.9))
    unsure = advisor_company_frame({"a-lebihan": Match("123456789", 0.8)})  # accepted, not confirmed
    assert member_company_ties(table, ADVISORS, unsure, opt_out=[]).empty


def test_an_advisor_who_opted_out_is_never_tied():
    table = members(member("mer", "00000000000000e1", "Armor Cidres", "123456789", "confirmed", 0.9))
    opted_out = [{"family_name": "Le Bihan", "given_names": "", "committee_id": "fr-bretagne"}]
    sirens = companies(**{"a-lebihan": "123456789"})
    assert len(member_company_ties(table, ADVISORS, sirens, opt_out=[])) == 1
    assert member_company_ties(table, ADVISORS, sirens, opt_out=opted_out).empty


def test_one_company_in_two_poles_gives_two_ties_and_twice_in_one_pole_one():
    table = members(
        member("mer", "00000000000000f1", "Armor Cidres", "123456789", "confirmed", 0.88),
        member("mer", "00000000000000f2", "Armor Cidres Brest", "123456789", "confirmed", 0.93),
        member(
            "agri",
            "00000000000000f3",
            "Armor Cidres",
            "123456789",
            "confirmed",
            0.9,
            evidence_url="https://agri.example/membres",
        ),
    )
    ties = member_company_ties(table, ADVISORS, companies(**{"a-lebihan": "123456789"}), opt_out=[])
    assert ties[["cluster_id", "member_id", "evidence_url"]].values.tolist() == [
        ["agri", "00000000000000f3", "https://agri.example/membres"],
        ["mer", "00000000000000f2", PAGE],  # the surer of the two rows
    ]


def test_n_members_is_null_for_an_unread_directory_and_0_only_for_an_empty_one():
    listings = pd.DataFrame(
        [
            member("mer", "00000000000000a1", "A"),
            member("mer", "00000000000000a2", "B"),
            member("mer", "00000000000000a2", "B"),
        ]
    )

    def counts(**kw):
        counted = add_member_counts(CLUSTERS, listings, **kw)
        return {c: None if pd.isna(n) else n for c, n in zip(counted["cluster_id"], counted["n_members"].tolist())}

    assert counts() == {"mer": 2, "agri": None, "far": None}
    assert counts(directories_read={"agri"}) == {"mer": 2, "agri": 0, "far": None}


def test_region_summary_counts_members_and_advisors_companies():
    clusters = add_member_counts(
        CLUSTERS.assign(governance_status="not_crawled", n_cce_in_governance=None),
        pd.DataFrame([member("mer", f"00000000000000{i:02x}", f"M{i}") for i in range(5)]),
        directories_read={"agri"},
    )
    ties = pd.DataFrame(
        [
            {
                "cluster_id": "mer",
                "advisor_id": "a-kervella",
                "tie_kind": "member_company",
                "member_id": "0000000000000001",
            },
            {
                "cluster_id": "mer",
                "advisor_id": "a-dupont",
                "tie_kind": "member_company",
                "member_id": "0000000000000001",
            },
            {
                "cluster_id": "mer",
                "advisor_id": "a-roquebrune",
                "tie_kind": "member_company",
                "member_id": "0000000000000002",
            },
            {"cluster_id": "mer", "advisor_id": "a-roquebrune", "tie_kind": "governance_seat", "member_id": None},
        ]
    )
    coverage = pd.DataFrame(columns=["cluster_id", "committee_id"])
    summary = region_summary(clusters, COMMITTEES, ADVISORS, coverage, ties).set_index("region_code")
    cols = ["n_members", "n_members_advisor_companies", "n_clusters_members_unknown"]
    # Bretagne (53): mer's 5 members, two of them tied (by three advisors), far's directory not read
    assert summary.loc["53", cols].tolist() == [5, 2, 1]
    assert summary.loc["76", cols].tolist() == [0, 0, 0]  # agri: read, empty
    assert summary[cols].sum().tolist() == [5, 2, 1]


def test_the_headline_says_member_ties_apart_from_governance():
    clusters = CLUSTERS.assign(governance_status=["found", "found", "not_crawled"])
    ties = pd.DataFrame(
        [
            {
                "cluster_id": "mer",
                "advisor_id": "a-lebihan",
                "tie_kind": "member_company",
                "match": "confirmed",
                "evidence_url": PAGE,
            },
            {
                "cluster_id": "agri",
                "advisor_id": "a-dupont",
                "tie_kind": "member_company",
                "match": "confirmed",
                "evidence_url": PAGE,
            },
        ]
    )
    h = headline(clusters, ties)
    assert (h["with_cce"], h["without_cce"], h["unknown"]) == (0, 2, 1)  # a member company is no governance seat
    assert (
        h["members_sentence"]
        == "2 pôles count a CCE advisor's company among their members (2 member_company ties, by SIREN)."
    )
    poles = {p["cluster_id"]: p for p in h["poles"]}
    assert poles["mer"]["ties"] == [] and [t["advisor_id"] for t in poles["mer"]["member_ties"]] == ["a-lebihan"]


@pytest.mark.parametrize("confidence", ["possible", "ambiguous", "no_match"])
def test_only_confirmed_members_are_tied(confidence):
    siren = "123456789" if confidence == "possible" else None
    table = members(member("mer", "00000000000000a9", "Armor Cidres", siren, confidence, 0.8))
    assert member_company_ties(table, ADVISORS, companies(**{"a-lebihan": "123456789"}), opt_out=[]).empty
