"""The merge's building blocks, one case each, expected values written out by hand.

Written against the mutants `make mutation` left alive (docs/mutation.md): each test names the
behaviour a surviving mutation changed.
"""

import hashlib

import pandas as pd
import pytest

from pipelines.clean.advisors import (
    _Bucket,
    _given_compatible,
    _groups,
    _Person,
    _similar_families,
    advisor_id,
    merge_advisors,
)
from tests.test_advisors_merge import COMMITTEES, DECREE_25, appointee, officer, officers


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


def families(found):
    return sorted(p.family for p in found)


def test_bucket_finds_a_fuzzy_family_through_an_initial_either_side():
    assert families(bucket(("kervella", ["jean"])).compatible("kervela", ["j"])) == ["kervella"]
    assert families(bucket(("kervella", ["j"])).compatible("kervela", ["jean"])) == ["kervella"]


def test_bucket_finds_a_fuzzy_family_through_a_compound_either_side():
    assert families(bucket(("roquebrune", ["jeanhubert"])).compatible("roquebrunne", ["jean", "hubert"])) == [
        "roquebrune"
    ]
    assert families(bucket(("roquebrune", ["jeanhubert"])).compatible("roquebrunne", ["jean", "hubert", "marie"])) == [
        "roquebrune"
    ]
    assert families(bucket(("roquebrune", ["jean", "hubert"])).compatible("roquebrunne", ["jeanhubert"])) == [
        "roquebrune"
    ]


def test_bucket_finds_the_exact_family_and_the_fuzzy_one():
    b = bucket(("martin", ["jean"]), ("martins", ["jean"]), ("martinez", ["jean"]), ("martin", ["paul"]))
    assert families(b.compatible("martin", ["jean"])) == ["martin", "martins"]


def test_bucket_finds_candidates_in_two_groups():
    # "bernardino" is within 90 of both: one filed under the initial, one under the full name.
    b = bucket(("bernardini", ["j"]), ("bernardina", ["jean"]))
    assert families(b.compatible("bernardino", ["jean"])) == ["bernardina", "bernardini"]


def test_bucket_finds_nobody_without_given_names():
    assert bucket(("kervella", ["jean"]), ("kervella", [])).compatible("kervella", []) == []


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
    # through the bucket, with and without the precomputed fuzzy pairs
    for similar in (None, _similar_families([("martin", ["jean"]), (family, given)])):
        assert (bucket(("martin", ["jean"]), similar=similar).compatible(family, given) != []) is matches


def test_person_matches_at_the_threshold():
    # ratio exactly 90: "at least 90"
    assert bucket(("bernardini", ["bruno"])).compatible("bernardino", ["bruno"]) != []
    similar = _similar_families([("bernardini", ["bruno"]), ("bernardino", ["bruno"])])
    assert bucket(("bernardini", ["bruno"]), similar=similar).compatible("bernardino", ["bruno"]) != []


# --- grouping matched names into people ------------------------------------------------------


def test_groups_keep_a_set_whose_every_two_names_match():
    assert _groups([{1, 2}, {0, 2}, {0, 1}]) == ([[0, 1, 2]], [])
    assert _groups([set(), set(), set()]) == ([[0], [1], [2]], [])


def test_groups_set_apart_a_name_matching_two_that_do_not_match():
    # 1 matches 0 and 2, which do not match each other: 1 alone, 0 and 2 each alone
    groups, ambiguous = _groups([{1}, {0, 2}, {1}])
    assert sorted(groups) == [[0], [1], [2]] and ambiguous == [(1, 0, 2)]
    # a chain 0-1-2-3: both middle names are ambiguous
    groups, ambiguous = _groups([{1}, {0, 2}, {1, 3}, {2}])
    assert sorted(groups) == [[0], [1], [2], [3]] and sorted(ambiguous) == [(1, 0, 2), (2, 1, 3)]
    # 0, 1, 2 match each other; 3 matches 2 only: 2 is set apart, {0, 1} and {3} stay
    groups, ambiguous = _groups([{1, 2}, {0, 2}, {0, 1, 3}, {2}])
    assert sorted(groups) == [[0, 1], [2], [3]] and ambiguous == [(2, 0, 3)]


def test_one_listing_names_two_people_never_one():
    # Martin / Martins (ratio 92) match, but not when the same decree names both
    one_decree = [appointee(["Jean"], "Martin", region="53"), appointee(["Jean"], "Martins", region="53")]
    df, issues = merge_advisors(one_decree, officers(), COMMITTEES)
    assert issues == [] and sorted(df["family_name"]) == ["Martin", "Martins"]
    two_decrees = [
        appointee(["Jean"], "Martin", region="53"),
        appointee(["Jean"], "Martins", region="53", date_="2025-11-18", ref="ECOT2529114D", url=DECREE_25),
    ]
    df, issues = merge_advisors(two_decrees, officers(), COMMITTEES)
    assert issues == [] and list(df["family_name"]) == ["Martins"]  # as the latest decree spells it
    assert df.iloc[0]["appointment_ref"] == "ECOT2529114D"


def test_one_listing_names_a_person_once_under_two_roles():
    offs = officers(
        officer("fr-bretagne", "Président", ["Yann"], "Le Goff"),
        officer("fr-bretagne", "Trésorier", ["Yann"], "LE GOFF"),
    )
    df, issues = merge_advisors([], offs, COMMITTEES)
    assert issues == [] and len(df) == 1 and df.iloc[0]["roles"] == ["Président", "Trésorier"]


def test_every_name_without_given_names_is_placed():
    # Le Goff joins the decree's Yann Le Goff; Kervella, after it, has nobody to join: a row of its own.
    offs = officers(
        officer("fr-bretagne", "Vice-président", [], "Le Goff"), officer("fr-bretagne", "Membre", [], "Kervella")
    )
    df, issues = merge_advisors([appointee(["Yann"], "Le Goff", region="53")], offs, COMMITTEES)
    assert issues == []
    assert sorted(zip(df["display_name"], df["roles"].map(tuple))) == [
        ("Kervella", ("Membre",)),
        ("Yann Le Goff", ("Vice-président", "appointee")),
    ]


def test_page_without_given_names_joins_an_exact_family_name_only():
    # "Kervella" without given names: the decree's two people are Kervela and Kervellas (two
    # people: one decree), neither is exactly Kervella, so the page's officer stays apart.
    offs = officers(officer("fr-bretagne", "Membre", [], "Kervella"))
    apps = [appointee(["Jean"], "Kervela", region="53"), appointee(["Jean"], "Kervellas", region="53")]
    df, issues = merge_advisors(apps, offs, COMMITTEES)
    assert issues == []
    assert sorted(zip(df["family_name"], df["roles"].map(tuple))) == [
        ("Kervela", ("appointee",)),
        ("Kervella", ("Membre",)),
        ("Kervellas", ("appointee",)),
    ]


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
