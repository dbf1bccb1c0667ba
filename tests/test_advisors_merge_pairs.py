"""The advisors merge pinned by pairs written out by hand: who must stay apart, who must become one.

Negative pairs first (a false merge publishes one person's role under another's name), then the
particles, then the fuzzy threshold at its edge (rapidfuzz ratio on folded family names, 90).
"""

import pytest

from pipelines.clean.advisors import family_key, merge_advisors
from tests.test_advisors_merge import COMMITTEES, appointee, officer, officers


def merged(page_people, decree_people):
    """Rows of merging officers of fr-bretagne (given, family) with appointees of région 53."""
    offs = officers(*(officer("fr-bretagne", "Membre", given, family) for given, family in page_people))
    apps = [appointee(given, family, region="53") for given, family in decree_people]
    df, issues = merge_advisors(apps, offs, COMMITTEES)
    assert issues == []
    return df


@pytest.mark.parametrize(
    "page, decree",
    [
        ((["Jean"], "Martin"), (["Jean"], "Martinez")),  # ratio 86: another family
        ((["Yann"], "Le Goff"), (["Yann"], "Legoff")),  # the particle is folded away, the glued form is another name
        ((["Anne"], "Durand"), (["Anne"], "Durant")),  # ratio 83
    ],
)
def test_negative_pairs_stay_two_people(page, decree):
    df = merged([page], [decree])
    assert len(df) == 2, df[["display_name", "roles"]]
    assert df["advisor_id"].nunique() == 2


def test_martin_and_martinez_both_in_the_decree_stay_apart():
    df = merged([], [(["Jean"], "Martin"), (["Jean"], "Martinez")])
    assert sorted(df["family_name"]) == ["Martin", "Martinez"]


def test_homonyms_in_two_committees_stay_two_advisors_with_two_ids():
    offs = officers(
        officer("fr-bretagne", "Président", ["Yann"], "Le Goff"), officer("fr-paris", "Président", ["Yann"], "Le Goff")
    )
    apps = [appointee(["Yann"], "Le Goff", region="53")]
    df, issues = merge_advisors(apps, offs, COMMITTEES)
    assert issues == []
    assert sorted(df["committee_id"]) == ["fr-bretagne", "fr-paris"]
    assert df["advisor_id"].nunique() == 2
    bretagne = df[df["committee_id"] == "fr-bretagne"].iloc[0]
    paris = df[df["committee_id"] == "fr-paris"].iloc[0]
    assert bretagne["roles"] == ["Président", "appointee"]  # the decree's région is Bretagne
    assert paris["roles"] == ["Président"]


@pytest.mark.parametrize(
    "name, key",
    [
        ("Le Goff", "goff"),
        ("LE GOFF", "goff"),
        ("Le-Goff", "goff"),
        ("Legoff", "legoff"),
        ("de Roquebrune", "roquebrune"),
        ("d'Arcy", "arcy"),
        ("D’Arcy", "arcy"),
        ("du Pont", "pont"),
        ("des Essarts", "essarts"),
        ("de La Fontaine", "fontaine"),
        ("La Fontaine", "fontaine"),
        ("L'Hermite", "hermite"),
        ("von Braun", "braun"),
        ("van der Berg", "berg"),
        ("Van Den Bosch", "bosch"),
        ("Le", "le"),  # a particle alone is the name
        ("De", "de"),
        ("Martin-Dupont", "martindupont"),
        ("", ""),
        (None, ""),
    ],
)
def test_family_key_folds_particles(name, key):
    assert family_key(name) == key


@pytest.mark.parametrize(
    "page, decree",
    [
        ((["Yann"], "LE GOFF"), (["Yann", "Marie"], "Le Goff")),  # capitals
        ((["Yann"], "Goff"), (["Yann"], "Le Goff")),  # particle omitted on the page
        ((["Anne"], "de La Fontaine"), (["Anne"], "La Fontaine")),
        ((["Bruno"], "Bernardini"), (["Bruno"], "Bernardino")),  # ratio exactly 90: merged ("at least 90")
        ((["Claire"], "Kervela"), (["Claire"], "Kervella")),  # ratio 93: a dropped letter
    ],
)
def test_positive_pairs_become_one_person(page, decree):
    df = merged([page], [decree])
    assert len(df) == 1, df[["display_name", "roles"]]
    assert df.iloc[0]["roles"] == ["Membre", "appointee"]


def test_fuzzy_match_needs_compatible_given_names():
    df = merged([(["Luc"], "Kervela")], [(["Marc"], "Kervella")])
    assert len(df) == 2


# Two false merges found while pinning the merge (issue 17): the merge used to look each record up
# in turn, so a person created from one record absorbed every later record within reach, even two
# records that cannot be the same person. A name that matches two people who are not one stays
# apart, and the ambiguity is reported naming the three records and their sources.
PAGE = "https://www.cnccef.org/comite/fr-bretagne/"
DECREE = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"


def merged_with_issues(page_people, decree_people):
    offs = officers(*(officer("fr-bretagne", "Membre", given, family) for given, family in page_people))
    apps = [appointee(given, family, region="53") for given, family in decree_people]
    return merge_advisors(apps, offs, COMMITTEES)


def test_two_near_names_on_one_page_are_two_people():
    # Bernardini ~ Bernardino ~ Bernardina (ratio 90 each), but one page names a person once.
    page = [(["Bruno"], "Bernardini"), (["Bruno"], "Bernardina")]
    df, issues = merged_with_issues(page, [(["Bruno"], "Bernardino")])
    assert sorted(zip(df["family_name"], df["roles"].map(tuple))) == [
        ("Bernardina", ("Membre",)),
        ("Bernardini", ("Membre",)),
        ("Bernardino", ("appointee",)),
    ]
    assert df["advisor_id"].nunique() == 3
    assert [(i.source, i.url, i.code, i.severity) for i in issues] == [
        ("cce_appointments", DECREE, "ambiguous_match", "warning")
    ]
    assert issues[0].message == (
        f"'Bruno Bernardino' ({DECREE}) in fr-bretagne could be 'Bruno Bernardina' ({PAGE}) "
        f"or 'Bruno Bernardini' ({PAGE}), who are not one person; kept as a person of its own"
    )


def test_an_initial_never_joins_two_decree_people():
    df, issues = merged_with_issues([(["J."], "Martin")], [(["Jean"], "Martin"), (["Julie"], "Martin")])
    assert sorted(zip(df["display_name"], df["roles"].map(tuple))) == [
        ("J. Martin", ("Membre",)),
        ("Jean Martin", ("appointee",)),
        ("Julie Martin", ("appointee",)),
    ]
    assert [(i.source, i.url, i.field, i.code, i.value) for i in issues] == [
        ("cce_committees", PAGE, "family_name", "ambiguous_match", "Martin")
    ]
    assert issues[0].message == (
        f"'J. Martin' ({PAGE}) in fr-bretagne could be 'Jean Martin' ({DECREE}) "
        f"or 'Julie Martin' ({DECREE}), who are not one person; kept as a person of its own"
    )
    assert issues[0].context == {"candidates": [DECREE, DECREE]}


def test_an_ambiguous_record_without_a_url_says_so():
    page = officer("fr-bretagne", "Membre", ["J."], "Martin") | {"source_url": None}
    apps = [appointee(["Jean"], "Martin", region="53"), appointee(["Julie"], "Martin", region="53", url=None)]
    df, issues = merge_advisors(apps, officers(page), COMMITTEES)
    assert len(df) == 3
    # appointees are taken in (date, URL) order: str(None) = "None" sorts before "https…"
    assert [(i.url, i.context) for i in issues] == [("", {"candidates": ["", DECREE]})]
    assert issues[0].message == (
        "'J. Martin' (no URL) in fr-bretagne could be 'Julie Martin' (no URL) "
        f"or 'Jean Martin' ({DECREE}), who are not one person; kept as a person of its own"
    )
