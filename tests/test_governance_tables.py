"""pole_sites items -> cluster_governance, cluster_cce_ties and the clusters' governance columns:
personal-data rules, opt-out, evidence, and the tables' GX suites fed good and bad data."""

import pandas as pd
import pytest

from pipelines.clean.governance import (
    WITHHELD,
    add_governance_columns,
    clean_seats,
    clean_sites,
    governance_table,
    seat_id,
    withhold_name,
)
from pipelines.contract import to_arrow
from pipelines.join.headline import headline
from pipelines.join.ties import apply_judgements, match_ties, on_domain
from tests.ties_fixtures import ADVISORS, CLUSTERS, COMMITTEES, seat_item, seats_and_sites, site_item

IDS = CLUSTERS["cluster_id"].tolist()


def items():
    return [
        seat_item(
            "mer", "Soizic Kervella", "treasurer", "bureau", "Kervella Pêche", role="Trésorière"
        ),  # officer, tied
        seat_item("mer", "Jean-Hubert de Roquebrune", organisation="Roquebrune Conseil"),  # board, tied
        seat_item("mer", "Hélène Invented", organisation="Solaris"),  # board, not tied: no name
        seat_item("mer", "Marc Invented", "director", "executive", "Pôle Mer", role="Directeur"),  # officer, not tied
        seat_item("mer", "Véronique Dupont", organisation="Hôpital"),  # possible only: no name
        seat_item("agri", "Camille Invented", "staff", "team", "Agri Pôle", role="Chargée de mission"),
        site_item("mer"),
        site_item("agri", "not_found"),
        site_item("far", "site_unreachable"),
    ]


def build(opt_out=()):
    seats, sites = seats_and_sites(items(), opt_out)
    ties, _ = match_ties(seats[~seats["opted_out"]], ADVISORS, CLUSTERS, COMMITTEES, sites)
    return seats, sites, ties, governance_table(seats, ties)


def test_names_only_for_officers_and_tied_seats():
    _, _, ties, gov = build()
    names = dict(zip(gov["role"] + "/" + gov["organisation"], gov["person_name"]))
    assert names == {
        "Trésorière/Kervella Pêche": "Soizic Kervella",
        "Administrateur/Roquebrune Conseil": "Jean-Hubert de Roquebrune",
        "Administrateur/Solaris": None,
        "Directeur/Pôle Mer": "Marc Invented",
        "Administrateur/Hôpital": None,
        "Chargée de mission/Agri Pôle": None,
    }
    hidden = gov[gov["person_name"].isna()]
    assert all("Invented" not in t and "Dupont" not in t and WITHHELD in t for t in hidden["evidence_text"])
    assert gov.set_index("person_name").loc["Jean-Hubert de Roquebrune", "advisor_id"] == "a-roquebrune"
    assert gov["advisor_id"].notna().sum() == 2  # the possible tie names nobody


def test_every_seat_has_evidence_and_every_tie_is_on_its_poles_domain():
    _, _, ties, gov = build()
    assert gov["evidence_url"].notna().all() and gov["evidence_text"].notna().all()
    sites = dict(zip(CLUSTERS["cluster_id"], CLUSTERS["website"]))
    assert len(ties) == 3
    assert all(on_domain(u, sites[c]) for c, u in zip(ties["cluster_id"], ties["evidence_url"]))


def test_opt_out_withholds_the_name_and_the_tie():
    seats, _, ties, gov = build([{"family_name": "Kervella", "given_names": "", "committee_id": "fr-bretagne"}])
    assert seats["opted_out"].sum() == 1
    assert "a-kervella" not in set(ties["advisor_id"])
    row = gov[gov["role"] == "Trésorière"].iloc[0]
    assert row["person_name"] is None and row["advisor_id"] is None and "Kervella" not in row["evidence_text"]


def test_withhold_name():
    assert (
        withhold_name("Présidente : Laetitia SANTONI (Énergies Sud)", "Laetitia Santoni")
        == f"Présidente : {WITHHELD} (Énergies Sud)"
    )
    assert withhold_name("J.-H. de Roquebrune, administrateur", "J.-H. de Roquebrune") == f"{WITHHELD}, administrateur"


def test_seat_id_stable_across_name_order_and_role_title():
    assert seat_id("mer", "DUPONT Véronique", "board_member") == seat_id("mer", "Véronique Dupont", "board_member")
    assert seat_id("mer", "Véronique Dupont", "board_member") != seat_id("mer", "Véronique Dupont", "president")


def test_bad_seat_items_are_reported_not_lost():
    bad = [
        {**seat_item("mer", "A Person"), "evidence_url": None},
        {**seat_item("mer", "B Person"), "cluster_id": "nowhere"},
        {**seat_item("mer", "C Person"), "role_kind": "chairman"},
        {**seat_item("mer", "D Person"), "body": "committee"},
        {**seat_item("mer", "E Person"), "evidence_url": "javascript:alert(1)"},
    ]
    seats, issues = clean_seats(bad, IDS, [])
    assert [(i.code, i.field) for i in issues] == [
        ("missing_required_field", "evidence_url"),
        ("unknown_value", "role_kind"),
        ("unknown_value", "body"),
        ("invalid_value", "evidence_url"),
        ("unknown_cluster", "cluster_id"),
    ]
    assert seats["person_name"].tolist() == ["C Person"] and seats["role_kind"].tolist() == ["other"]


def test_site_statuses_and_clusters_columns():
    seats, sites, ties, _ = build()
    sites_frame, issues = clean_sites(
        items() + [{"kind": "site", "cluster_id": "zzz", "status": "found", "source_url": "https://z.example"}], IDS
    )
    assert [i.code for i in issues] == ["unknown_cluster"]
    clusters = add_governance_columns(full_clusters(), sites, ties).set_index("cluster_id")
    assert clusters["governance_status"].to_dict() == {"agri": "not_found", "far": "site_unreachable", "mer": "found"}
    assert clusters.loc["mer", "n_cce_in_governance"] == 2
    assert pd.isna(clusters.loc["agri", "n_cce_in_governance"]) and pd.isna(clusters.loc["far", "n_cce_in_governance"])
    assert clusters.loc["mer", "governance_url"] == "https://www.pole-mer.example/gouvernance"
    assert bool(clusters.loc["agri", "has_international_contact"]) is False and pd.notna(
        clusters.loc["agri", "has_international_contact"]
    )
    assert pd.isna(clusters.loc["far", "has_international_contact"])


def full_clusters():
    from pipelines.schema import CLUSTERS as TABLE

    out = CLUSTERS.copy()
    for c in TABLE.column_names:
        if c not in out.columns and c not in ("first_seen", "last_seen"):
            out[c] = [[] if c in ("themes", "other_region_codes") else None] * len(out)
    out["region_code"] = ["53", "76", "53"]
    return out


def test_headline_counts():
    seats, sites, ties, _ = build()
    clusters = add_governance_columns(full_clusters(), sites, ties)
    h = headline(clusters, ties, ADVISORS)
    assert (h["total"], h["with_cce"], h["without_cce"], h["unknown"], h["awaiting_review"]) == (3, 1, 0, 2, 1)
    assert h["sentence"] == "1 of 3 pôles have a CCE in their governance, 0 have none, 2 unknown."
    mer = next(p for p in h["poles"] if p["cluster_id"] == "mer")
    assert {(t["advisor"], t["match"]) for t in mer["ties"]} == {
        ("Soizic Kervella", "confirmed"),
        ("Jean Hubert de Roquebrune", "confirmed"),
        ("Véronique DUPONT", "possible"),
    }
    # A judgement that removes the only governance tie turns "with" into "none".
    judged, _ = apply_judgements(
        ties,
        [
            {"cluster_id": "mer", "advisor_id": a, "verdict": "no", "note": "", "date": "2026-11-30"}
            for a in ("a-kervella", "a-roquebrune")
        ],
    )
    h = headline(add_governance_columns(full_clusters(), sites, judged), judged)
    assert (h["with_cce"], h["without_cce"], h["unknown"]) == (0, 1, 2)


def test_tables_follow_the_contract():
    seats, sites, ties, gov = build()
    assert to_arrow("cluster_governance", gov).num_rows == 6
    assert to_arrow("cluster_cce_ties", ties.assign(reasons=ties["reasons"])).num_rows == 3


# --- the GX suites, fed good and bad data ---------------------------------------------------


@pytest.fixture(scope="module")
def good():
    seats, sites, ties, gov = build()
    return gov, ties


def failed(table, df):
    from pipelines.checks.gx_suite import run_suite

    outcome = run_suite(table, df)
    return sorted({(f.expectation, f.column) for f in outcome.failures})


def test_suites_pass_on_good_tables(good):
    gov, ties = good
    assert failed("cluster_governance", gov) == []
    assert failed("cluster_cce_ties", ties) == []


def test_governance_suite_catches_bad_rows(good):
    gov, _ = good
    bad = gov.copy()
    bad.loc[bad["role"] == "Chargée de mission", "person_name"] = "Camille Invented"  # a staff member named
    bad.loc[0, "body"] = "committee"
    bad.loc[1, "evidence_text"] = "écrire à soizic.kervella@example.org"
    assert failed("cluster_governance", bad) == [
        ("expect_column_values_to_be_in_set", "body"),
        ("expect_column_values_to_be_null", "person_name"),
        ("expect_column_values_to_not_match_regex", "evidence_text"),
    ]


def test_ties_suite_catches_bad_rows(good):
    _, ties = good
    assert ties["match"].tolist() == ["possible", "confirmed", "confirmed"]
    bad = pd.concat([ties, ties.iloc[[0]]], ignore_index=True)  # duplicate key
    bad.at[1, "reasons"] = ["name: given and family names agree"]  # confirmed on the name alone
    bad.loc[2, "score"] = 1.5
    bad.loc[3, "match"] = "probable"
    assert failed("cluster_cce_ties", bad) == [
        ("expect_column_values_to_be_between", "score"),
        ("expect_column_values_to_be_in_set", "match"),
        ("expect_column_values_to_match_regex", "reasons"),
        ("expect_compound_columns_to_be_unique", None),
    ]
