"""The merge's building blocks, one case each, expected values written out by hand.

Written against the mutants `make mutation` left alive (docs/mutation.md): each test names the
behaviour a surviving mutation changed.
"""

import hashlib

import pandas as pd
import pytest

from pipelines.clean.advisors import _Bucket, _given_compatible, _Person, _similar_families, advisor_id, merge_advisors
from tests.test_advisors_merge import COMMITTEES, appointee, officer, officers


def test_advisor_id_is_sha1_of_folded_family_first_given_and_committee():
    want = hashlib.sha1("goff\x1fyann\x1ffr-bretagne".encode()).hexdigest()[:16]
    assert advisor_id("Le Goff", ["Yann", "Marie"], "fr-bretagne") == want
    assert advisor_id("LE GOFF", ["yann"], "fr-bretagne") == want
    assert advisor_id("Le Goff", [], "fr-bretagne") == hashlib.sha1("goff\x1f\x1ffr-bretagne".encode()).hexdigest()[:16]
    df, _ = merge_advisors([appointee(["Yann", "Marie"], "Le Goff", region="53")], officers(), COMMITTEES)
    assert list(df["advisor_id"]) == [want]


@pytest.mark.parametrize(
    "a, b, compatible",
    [
        (["jean"], ["j"], True),  # an initial matches a full name, either side
        (["j"], ["jean"], True),
        (["jo"], ["j"], True),
        (["jean"], ["m"], False),
        (["m"], ["jean"], False),
        (["jeanhubert"], ["jean", "hubert"], True),  # a compound name and its parts, either side
        (["jean", "hubert"], ["jeanhubert"], True),
        (["jeanhubert"], ["jean", "hubert", "marie"], True),  # only the first two parts make the compound
        (["jean", "hubert", "marie"], ["jeanhubert"], True),
        (["jeanhubertmarie"], ["jean", "hubert", "marie"], False),
        (["jean", "hubert", "marie"], ["jeanhubertmarie"], False),
        (["jean"], ["jean", "paul"], True),
        (["jean"], ["paul", "jean"], False),
        ([], ["jean"], False),  # no given name is no proof
        (["jean"], [], False),
    ],
)
def test_given_names_compatible(a, b, compatible):
    assert _given_compatible(a, b) is compatible


def bucket(*people, similar=None):
    b = _Bucket(similar)
    for family, given in people:
        b.add(_Person("c", family, given))
    return b


def test_bucket_finds_a_fuzzy_family_through_an_initial_either_side():
    assert bucket(("kervella", ["jean"])).find("kervela", ["j"]).family == "kervella"
    assert bucket(("kervella", ["j"])).find("kervela", ["jean"]).family == "kervella"


def test_bucket_finds_a_fuzzy_family_through_a_compound_either_side():
    assert bucket(("roquebrune", ["jeanhubert"])).find("roquebrunne", ["jean", "hubert"]).family == "roquebrune"
    assert (
        bucket(("roquebrune", ["jeanhubert"])).find("roquebrunne", ["jean", "hubert", "marie"]).family == "roquebrune"
    )
    assert bucket(("roquebrune", ["jean", "hubert"])).find("roquebrunne", ["jeanhubert"]).family == "roquebrune"


def test_bucket_prefers_the_exact_family_over_a_fuzzy_one():
    b = bucket(("martin", ["jean"]), ("martins", ["jean"]))
    assert b.find("martin", ["jean"]).family == "martin"


def test_bucket_two_fuzzy_candidates_in_two_groups_is_nobody():
    # "bernardino" is within 90 of both: one filed under the initial, one under the full name.
    b = bucket(("bernardini", ["j"]), ("bernardina", ["jean"]))
    assert b.find("bernardino", ["jean"]) is None


def test_bucket_page_without_given_names_after_two_fuzzy_candidates():
    b = bucket(("kervella", []), ("kervela", ["jean"]), ("kervellas", ["jean"]))
    assert b.find("kervella", ["jean"]).given == []  # the only person of that exact family name


@pytest.mark.parametrize(
    "family, given, matches",
    [
        ("martin", ["jean"], True),
        ("martinez", ["jean"], False),
        ("martin", ["paul"], False),
        ("martn", ["j"], True),
        ("bernardino", ["jean"], False),
    ],
)
def test_person_matches(family, given, matches):
    # through the bucket, with and without the precomputed fuzzy pairs (_Person.matches was dead code)
    for similar in (None, _similar_families([("martin", ["jean"]), (family, given)])):
        assert (bucket(("martin", ["jean"]), similar=similar).find(family, given) is not None) is matches


def test_person_matches_at_the_threshold():
    # ratio exactly 90: "at least 90"
    assert bucket(("bernardini", ["bruno"])).find("bernardino", ["bruno"]) is not None
    similar = _similar_families([("bernardini", ["bruno"]), ("bernardino", ["bruno"])])
    assert bucket(("bernardini", ["bruno"]), similar=similar).find("bernardino", ["bruno"]) is not None


def test_initial_and_full_name_in_one_committee_with_an_unrelated_name():
    # A record whose family is near nobody of a given-name group must still be looked up there.
    offs = officers(officer("fr-bretagne", "Membre", ["J."], "Kervella"))
    df, issues = merge_advisors([appointee(["Jean"], "Dupont", region="53")], offs, COMMITTEES)
    assert issues == [] and sorted(df["family_name"]) == ["Dupont", "Kervella"]


# --- placing appointees ------------------------------------------------------------------


def test_a_french_heading_with_country_fr_goes_to_the_regional_committee():
    df, issues = merge_advisors([appointee(["Anne"], "Alpha", country="FR", region="53")], officers(), COMMITTEES)
    assert issues == [] and list(df["committee_id"]) == ["fr-bretagne"]


def test_unplaceable_messages_say_why():
    apps = [
        appointee(["Ana"], "Silva", country="BR", heading="BRESIL"),
        appointee(["Rudy"], "Payet", region="04", heading="La Réunion"),
        appointee(["Wei"], "Tan", heading="ATLANTIDE"),
    ]
    _, issues = merge_advisors(apps, officers(), COMMITTEES)
    assert [i.message for i in issues] == [
        "'Ana Silva' under heading 'BRESIL': no country_section for country BR; not in advisors",
        "'Rudy Payet' under heading 'La Réunion': no regional committee for région 04; not in advisors",
        "'Wei Tan' under heading 'ATLANTIDE': the heading gave neither a country nor a région; not in advisors",
    ]


def test_two_regional_committees_for_one_region_is_reported():
    two = pd.concat(
        [
            COMMITTEES,
            pd.DataFrame(
                [
                    {
                        "committee_id": "fr-bretagne-bis",
                        "kind": "regional",
                        "country_code": "FR",
                        "region_code": "53",
                        "departement_codes": ["22"],
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    df, issues = merge_advisors([appointee(["Anne"], "Alpha", region="53", heading="Bretagne")], officers(), two)
    assert df.empty
    assert [i.message for i in issues] == [
        "'Anne Alpha' under heading 'Bretagne': several committees could hold it (fr-bretagne, fr-bretagne-bis); not in advisors"
    ]


def test_a_region_covered_exactly_by_a_committee_without_region_code():
    # Guadeloupe (01) is one département, 971: a regional committee covering exactly it holds its appointees.
    guadeloupe = pd.concat(
        [
            COMMITTEES,
            pd.DataFrame(
                [
                    {
                        "committee_id": "fr-guadeloupe",
                        "kind": "regional",
                        "country_code": "FR",
                        "region_code": None,
                        "departement_codes": ["971"],
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    df, issues = merge_advisors([appointee(["Marie"], "Jean-Baptiste", region="01")], officers(), guadeloupe)
    assert issues == [] and list(df["committee_id"]) == ["fr-guadeloupe"]
