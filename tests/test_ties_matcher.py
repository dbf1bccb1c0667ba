"""The matcher's cases, expected values written by hand (tests/ties_fixtures.py: invented people)."""

import pandas as pd
import pytest

from pipelines.join.ties import AdvisorIndex, match_ties, name_readings, on_domain, organisations_agree
from tests.ties_fixtures import ADVISORS, CLUSTERS, COMMITTEES, seat_item, seats_and_sites, site_item


def ties_for(*seats):
    items = list(seats) + [site_item(c) for c in CLUSTERS["cluster_id"]]
    seat_frame, sites = seats_and_sites(items)
    ties, issues = match_ties(seat_frame, ADVISORS, CLUSTERS, COMMITTEES, sites)
    return {(t["cluster_id"], t["advisor_id"], t["tie_kind"]): t for t in ties.to_dict("records")}, issues


def match_of(ties, cluster, advisor, kind="governance_seat"):
    return ties[(cluster, advisor, kind)]["match"] if (cluster, advisor, kind) in ties else None


@pytest.mark.parametrize(
    "printed, family, first_given",
    [
        ("Soizic Kervella", "kervella", "soizic"),
        ("KERVELLA Soizic", "kervella", "soizic"),
        ("Mme Soizic KERVELLA", "kervella", "soizic"),
        ("Gwenaëlle LE BIHAN", "bihan", "gwenaelle"),
        ("Jean-Hubert de Roquebrune", "roquebrune", "jeanhubert"),
        ("R. Chabert", "chabert", "r"),
    ],
)
def test_name_readings_first_reading(printed, family, first_given):
    first = name_readings(printed)[0]
    assert (first.family, first.given[0]) == (family, first_given)


def test_compound_name_read_every_way():
    readings = {(r.family, r.given) for r in name_readings("Jean Hubert de Roquebrune")}
    assert ("roquebrune", ("jean", "hubert")) in readings  # family 'de Roquebrune'
    assert ("roquebrune", ("jean", "hubert", "de")) in readings
    assert ("hubertderoquebrune", ("jean",)) in readings  # family_key drops only a leading particle


def test_rare_name_in_covering_committee_is_confirmed():
    ties, _ = ties_for(seat_item("mer", "Soizic Kervella", "treasurer", "bureau"))
    assert match_of(ties, "mer", "a-kervella") == "confirmed"
    assert ties[("mer", "a-kervella", "governance_seat")]["evidence_url"] == "https://www.pole-mer.example/gouvernance"


def test_accents_and_capitals_fold():
    ties, _ = ties_for(seat_item("mer", "Gwenaelle LE BIHAN", "secretary", "bureau", "ARMOR CIDRES S.A.S."))
    assert match_of(ties, "mer", "a-lebihan") == "confirmed"
    assert any(r.startswith("organisation:") for r in ties[("mer", "a-lebihan", "governance_seat")]["reasons"])


def test_compound_given_name_against_two_given_names():
    ties, _ = ties_for(seat_item("mer", "Jean-Hubert de Roquebrune"))
    assert match_of(ties, "mer", "a-roquebrune") == "confirmed"


def test_compound_hyphen_and_space_variants():
    ties, _ = ties_for(seat_item("agri", "Marie Laure Guérin"))
    assert match_of(ties, "agri", "a-guerin") == "possible"  # Guérin is a frequent name: territory alone is not proof


def test_initial_with_company_is_confirmed_initial_alone_is_not():
    ties, _ = ties_for(seat_item("agri", "R. Chabert", organisation="Chabert Mécanique SAS"))
    assert match_of(ties, "agri", "a-chabert") == "confirmed"
    ties, _ = ties_for(seat_item("agri", "R. Chabert", organisation="Autre Société"))
    assert match_of(ties, "agri", "a-chabert") == "possible"  # initial + territory: a reviewer decides
    ties, _ = ties_for(seat_item("agri", "L. Chabert"))
    assert ties == {}  # L. is not Rémi


def test_homonyms_told_apart_by_organisation():
    ties, _ = ties_for(seat_item("agri", "Mathieu Faure", organisation="Garonne Composites SAS"))
    assert match_of(ties, "agri", "a-faure-oc") == "confirmed"
    assert match_of(ties, "agri", "a-faure-de") is None


def test_homonyms_across_committees_never_confirmed_on_territory():
    ties, _ = ties_for(seat_item("agri", "Mathieu Faure", organisation="Vignobles du Lez"))
    assert match_of(ties, "agri", "a-faure-oc") == "possible"
    assert match_of(ties, "agri", "a-faure-de") is None
    assert any("homonyms: 2" in r for r in ties[("agri", "a-faure-oc", "governance_seat")]["reasons"])


def test_frequent_name_elsewhere_gives_nothing():
    ties, _ = ties_for(seat_item("mer", "Sylvie Lacroix", organisation="Breizh Légumes"))
    assert ties == {}


def test_frequent_name_in_covering_committee_is_only_possible():
    ties, _ = ties_for(seat_item("mer", "Véronique Dupont", organisation="Hôpital Saint-Antoine"))
    assert match_of(ties, "mer", "a-dupont") == "possible"


def test_rare_name_committee_elsewhere_is_only_possible():
    ties, _ = ties_for(seat_item("mer", "Odile Berthelin"))
    assert match_of(ties, "mer", "a-berthelin") == "possible"


def test_international_contact_tie():
    ties, _ = ties_for(seat_item("mer", "Soizic Kervella", "international", "team", role="Responsable international"))
    assert match_of(ties, "mer", "a-kervella", "international_contact") == "confirmed"
    assert match_of(ties, "mer", "a-kervella") is None


def test_staff_seat_is_not_governance():
    ties, _ = ties_for(seat_item("mer", "Soizic Kervella", "staff", "team", role="Chargée de mission"))
    assert ties == {}


def test_evidence_off_the_poles_domain_is_dropped_and_reported():
    ties, issues = ties_for(
        seat_item("mer", "Soizic Kervella", "treasurer", "bureau", url="https://www.annuaire-tiers.example/pole-mer")
    )
    assert ties == {}
    assert [i.code for i in issues] == ["off_domain_evidence"]
    assert issues[0].url == "https://www.annuaire-tiers.example/pole-mer"


def test_on_domain():
    assert on_domain("https://www.pole-mer.example/a", "https://www.pole-mer.example")
    assert on_domain("https://pole-mer.example/a", "https://www.pole-mer.example")
    assert on_domain("https://adherents.pole-mer.example/a", "https://pole-mer.example")
    assert not on_domain("https://pole-mer.example.evil.test/a", "https://pole-mer.example")
    assert not on_domain("https://notpole-mer.example/a", "https://pole-mer.example")
    assert not on_domain(None, "https://pole-mer.example")


def test_organisations_agree():
    assert organisations_agree("Chabert Mécanique S.A.S.", "CHABERT MECANIQUE")
    assert not organisations_agree("Chabert Mécanique", "Garonne Composites")
    assert not organisations_agree("SA", "SAS")  # legal forms alone say nothing
    assert not organisations_agree(None, float("nan"))


def test_siren_agreement_and_disagreement():
    seat = seat_item("agri", "R. Chabert", organisation="Holding R.C.")
    seat["siren"] = "123456789"
    seat_frame, sites = seats_and_sites([seat, site_item("agri")])
    ties, _ = match_ties(seat_frame, ADVISORS, CLUSTERS, COMMITTEES, sites, advisor_sirens={"a-chabert": "123456789"})
    assert ties["match"].tolist() == ["confirmed"]
    assert "organisation: SIREN equal (123456789)" in ties["reasons"][0]
    seat = seat_item("agri", "R. Chabert", organisation="Chabert Mécanique")
    seat["siren"] = "987654321"
    seat_frame, sites = seats_and_sites([seat, site_item("agri")])
    ties, _ = match_ties(seat_frame, ADVISORS, CLUSTERS, COMMITTEES, sites, advisor_sirens={"a-chabert": "123456789"})
    assert ties["match"].tolist() == ["possible"]  # same name, a different company by SIREN: not confirmed


def test_index_compares_only_within_family_blocks():
    index = AdvisorIndex(ADVISORS)
    index.candidates("Soizic Kervella")
    assert index.comparisons == 1
    index.candidates("Inconnu Personne")
    assert index.comparisons == 1


def test_one_advisor_two_seats_keeps_the_surer():
    ties, _ = ties_for(
        seat_item("agri", "Mathieu Faure", organisation="Vignobles du Lez"),
        seat_item("agri", "Mathieu Faure", "president", "bureau", organisation="Garonne Composites", role="Président"),
    )
    assert match_of(ties, "agri", "a-faure-oc") == "confirmed"
    assert len(ties) == 1


def test_a_family_name_two_advisors_carry_is_not_rare():
    advisors = pd.concat(
        [
            ADVISORS,
            pd.DataFrame(
                [
                    {
                        "advisor_id": "a-kervella-2",
                        "family_name": "Kervella",
                        "given_names": ["Yann"],
                        "display_name": "Yann Kervella",
                        "committee_id": "section-jp",
                        "company": None,
                    }
                ]
            ),
        ]
    )
    items = [seat_item("mer", "Soizic Kervella", "treasurer", "bureau"), site_item("mer")]
    seats, sites = seats_and_sites(items)
    ties, _ = match_ties(seats, advisors, CLUSTERS, COMMITTEES, sites)
    assert ties["match"].tolist() == ["possible"]  # territory with a name another advisor also bears
