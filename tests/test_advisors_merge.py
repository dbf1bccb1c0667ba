"""merge_advisors: placing appointees, merging them with officers, stable IDs."""

from datetime import date

import pandas as pd
import pytest

from pipelines.clean.advisors import FAMILY_FUZZY_THRESHOLD, family_key, merge_advisors
from pipelines.schema import ADVISORS

DECREE_23 = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
DECREE_25 = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052583419"

COMMITTEES = pd.DataFrame(
    [
        {
            "committee_id": "fr-bretagne",
            "kind": "regional",
            "country_code": "FR",
            "region_code": "53",
            "departement_codes": ["22", "29", "35", "56"],
        },
        {
            "committee_id": "fr-ile-de-france",
            "kind": "regional",
            "country_code": "FR",
            "region_code": "11",
            "departement_codes": ["75", "77", "78", "91", "92", "93", "94", "95"],
        },
        {
            "committee_id": "fr-paris",
            "kind": "territorial",
            "country_code": "FR",
            "region_code": "11",
            "departement_codes": ["75"],
        },
        {
            "committee_id": "fr-provence-corse",
            "kind": "regional",
            "country_code": "FR",
            "region_code": "93",
            "departement_codes": ["04", "05", "13", "83", "84", "2A", "2B"],
        },
        {
            "committee_id": "fr-nice-cote-d-azur",
            "kind": "territorial",
            "country_code": "FR",
            "region_code": "93",
            "departement_codes": ["06"],
        },
        {
            "committee_id": "section-de",
            "kind": "country_section",
            "country_code": "DE",
            "region_code": None,
            "departement_codes": [],
        },
        {
            "committee_id": "section-kr",
            "kind": "country_section",
            "country_code": "KR",
            "region_code": None,
            "departement_codes": [],
        },
    ]
)


def officer(cid, role, given, family, honorific="M.", company=None):
    return {
        "committee_id": cid,
        "role": role,
        "honorific": honorific,
        "given_names": given,
        "family_name": family,
        "full_name": " ".join(given + [family]),
        "company": company,
        "source_url": f"https://www.cnccef.org/comite/{cid}/",
    }


def appointee(
    given,
    family,
    *,
    country=None,
    region=None,
    date_="2023-12-14",
    ref="ECOT2333861D",
    url=DECREE_23,
    honorific="M.",
    company=None,
    position=None,
    heading="H",
):
    return {
        "honorific": honorific,
        "family_name": family,
        "given_names": given,
        "display_name": " ".join(given + [family]),
        "heading": heading,
        "country_code": country,
        "region_code": region,
        "part": None,
        "position": position,
        "company": company,
        "appointment_kind": None,
        "appointment_ref": ref,
        "appointment_date": date_,
        "source_url": url,
    }


def officers(*rows):
    return pd.DataFrame(
        list(rows),
        columns=[
            "committee_id",
            "role",
            "honorific",
            "given_names",
            "family_name",
            "full_name",
            "company",
            "source_url",
        ],
    )


def test_columns_are_the_contract_minus_history():
    df, issues = merge_advisors([appointee(["Anne"], "Alpha", region="53")], officers(), COMMITTEES)
    assert list(df.columns) == [c.name for c in ADVISORS.columns if c.name not in ("first_seen", "last_seen")]
    assert issues == []


def test_officer_and_appointee_same_person_make_one_row_with_both_roles():
    offs = officers(officer("section-de", "Président", ["Mathieu"], "FAURE", company="Rhein Export GmbH"))
    apps = [appointee(["Mathieu", "Paul"], "Faure", country="DE", heading="ALLEMAGNE")]
    df, issues = merge_advisors(apps, offs, COMMITTEES)
    assert issues == []
    assert len(df) == 1
    row = df.iloc[0]
    assert row["roles"] == ["Président", "appointee"]
    assert row["given_names"] == ["Mathieu", "Paul"] and row["family_name"] == "Faure"
    assert row["display_name"] == "Mathieu Paul Faure"
    assert row["company"] == "Rhein Export GmbH"  # the decree gave none; the page did
    assert (row["committee_id"], row["country_code"], row["region_code"]) == ("section-de", "DE", None)
    assert row["appointment_ref"] == "ECOT2333861D"
    assert row["appointment_date"] == date(2023, 12, 14) and row["mandate_end"] == date(2026, 12, 14)
    assert row["source_url"] == DECREE_23


@pytest.mark.parametrize(
    "page_given, page_family",
    [
        (["J."], "de Roquebrune"),  # initial, particle written out
        (["Jean"], "ROQUEBRUNE"),  # capitals, no particle
        (["Jean-Hubert"], "Roquebrune"),  # hyphenated given names on the page
        (["Jean"], "Roquebrunne"),  # a typo: fuzzy family-name match
    ],
)
def test_name_variants_match(page_given, page_family):
    offs = officers(officer("fr-provence-corse", "Trésorier", page_given, page_family))
    apps = [appointee(["Jean", "Hubert"], "de Roquebrune", region="93")]
    df, _ = merge_advisors(apps, offs, COMMITTEES)
    assert len(df) == 1 and df.iloc[0]["roles"] == ["Trésorier", "appointee"]


def test_different_first_given_names_stay_apart():
    offs = officers(officer("fr-bretagne", "Président", ["Yann"], "Kervella"))
    df, _ = merge_advisors([appointee(["Soizic"], "Kervella", region="53", honorific="Mme")], offs, COMMITTEES)
    assert sorted(map(tuple, df["roles"])) == [("Président",), ("appointee",)]


def test_homonyms_in_two_committees_are_two_rows():
    apps = [
        appointee(["Mathieu"], "Faure", country="DE"),
        appointee(["Mathieu"], "Faure", region="53", date_="2025-11-18", ref="ECOT2529114D", url=DECREE_25),
    ]
    df, issues = merge_advisors(apps, officers(), COMMITTEES)
    assert issues == []
    assert sorted(df["committee_id"]) == ["fr-bretagne", "section-de"]
    assert df["advisor_id"].nunique() == 2


def test_latest_appointment_wins():
    apps = [
        appointee(
            ["Anne"],
            "Alpha",
            region="53",
            date_="2025-11-18",
            ref="ECOT2529114D",
            url=DECREE_25,
            company="Nouvelle SA",
            position="présidente",
        ),
        appointee(["Anne"], "Alpha", region="53", company="Ancienne SARL"),
    ]
    df, _ = merge_advisors(apps, officers(), COMMITTEES)
    assert len(df) == 1
    row = df.iloc[0]
    assert (row["appointment_ref"], row["company"], row["position"]) == ("ECOT2529114D", "Nouvelle SA", "présidente")
    assert row["mandate_end"] == date(2028, 11, 18)
    assert row["roles"] == ["appointee"]  # one role however many appointments


def test_ids_are_stable_across_runs_and_input_order():
    offs = officers(
        officer("section-kr", "Secrétaire", ["Olivier"], "Chassagne"),
        officer("fr-bretagne", "Président", ["Yann"], "Le Goff"),
    )
    apps = [appointee(["Olivier"], "Chassagne", country="KR"), appointee(["Yann", "Marie"], "Le Goff", region="53")]
    a, _ = merge_advisors(apps, offs, COMMITTEES)
    b, _ = merge_advisors(list(reversed(apps)), offs.iloc[::-1], COMMITTEES)
    assert a.equals(b)
    # Only the officer known yet (fewer given names): the same ID once the decree comes.
    c, _ = merge_advisors([], offs, COMMITTEES)
    assert set(c["advisor_id"]) == set(a["advisor_id"])
    assert all(len(i) == 16 for i in a["advisor_id"])


def test_france_goes_to_the_regional_committee_never_a_territorial_one():
    apps = [appointee(["Sarah"], "Benali", region="11"), appointee(["Paul"], "Giraud", region="93")]
    df, _ = merge_advisors(apps, officers(), COMMITTEES)
    assert sorted(df["committee_id"]) == ["fr-ile-de-france", "fr-provence-corse"]
    assert set(df["country_code"]) == {"FR"}


def test_region_without_its_own_committee_goes_to_the_covering_one():
    df, issues = merge_advisors([appointee(["Laetitia"], "Santoni", region="94")], officers(), COMMITTEES)
    assert issues == [] and list(df["committee_id"]) == ["fr-provence-corse"]


def test_unplaceable_appointees_are_reported_not_dropped_silently():
    apps = [
        appointee(["Ana"], "Silva", country="BR", heading="BRESIL"),  # no section for BR here
        appointee(["Rudy"], "Payet", region="04", heading="La Réunion"),  # no committee for 04 here
        appointee(["Wei"], "Tan", heading="ATLANTIDE"),  # parser could not place it
    ]
    df, issues = merge_advisors(apps, officers(), COMMITTEES)
    assert df.empty
    assert [i.code for i in issues] == ["unplaceable_appointee"] * 3
    assert all(i.severity == "error" for i in issues)
    assert {i.value for i in issues} == {"BRESIL", "La Réunion", "ATLANTIDE"}


def test_officer_of_unknown_committee_is_reported():
    df, issues = merge_advisors([], officers(officer("section-zz", "Président", ["A"], "B")), COMMITTEES)
    assert df.empty and [i.code for i in issues] == ["unknown_committee"]


def test_family_key_and_threshold():
    assert family_key("de Roquebrune") == family_key("ROQUEBRUNE") == "roquebrune"
    assert family_key("d'Arcy") == "arcy"
    assert family_key("Le Goff") == family_key("LE GOFF") == family_key("Le-Goff")
    assert 80 <= FAMILY_FUZZY_THRESHOLD <= 100


def test_sample_snapshots_merge_end_to_end(tmp_path):
    """Every appointee of the bundled decrees lands on a committee of the cce_committees sample."""
    from common.issues import Issue
    from common.paths import SNAPSHOTS_DIR
    from spiders.cce_appointments.__main__ import parse_file

    pytest.importorskip("pipelines.clean.cce_committees")
    from pipelines.clean.cce_committees import committee_territories

    rows = []
    for cid, t in committee_territories().items():
        rows.append(
            {
                "committee_id": cid,
                "kind": t["kind"],
                "country_code": "FR",
                "region_code": t["region_code"],
                "departement_codes": t["departement_codes"],
            }
        )
    for iso in "DE KR CI US GB HK JP BR".split():
        rows.append(
            {
                "committee_id": f"section-{iso.lower()}",
                "kind": "country_section",
                "country_code": iso,
                "region_code": None,
                "departement_codes": [],
            }
        )
    apps = [
        r
        for p in sorted((SNAPSHOTS_DIR / "cce_appointments" / "text").glob("*.txt"))
        for r in parse_file(p)
        if not isinstance(r, Issue)
    ]
    df, issues = merge_advisors(apps, officers(), pd.DataFrame(rows))
    assert issues == []
    assert len(df) == 24  # the two Mathieu Faure are two advisors


def test_officer_without_given_names_matches_a_unique_family_name_only():
    offs = officers(officer("fr-bretagne", "Vice-président", [], "LE GOFF"))
    one, _ = merge_advisors([appointee(["Yann"], "Le Goff", region="53")], offs, COMMITTEES)
    assert len(one) == 1 and one.iloc[0]["roles"] == ["Vice-président", "appointee"]
    two_people = [appointee(["Yann"], "Le Goff", region="53"), appointee(["Anne"], "Le Goff", region="53")]
    three, issues = merge_advisors(two_people, offs, COMMITTEES)
    assert len(three) == 3  # ambiguous: not merged, and said so
    assert [(i.source, i.code, i.url) for i in issues] == [
        ("cce_committees", "ambiguous_match", "https://www.cnccef.org/comite/fr-bretagne/")
    ]
    assert "'Yann Le Goff' (" + DECREE_23 + ") or 'Anne Le Goff' (" + DECREE_23 + ")" in issues[0].message


def test_precomputed_fuzzy_pairs_find_whom_scoring_each_lookup_finds():
    """_Bucket.compatible, with the cdist-scored family pairs and without, finds whom scanning every person finds."""
    import random

    from rapidfuzz import fuzz

    from pipelines.clean.advisors import _Bucket, _given_compatible, _Person, _similar_families

    rng = random.Random(11)
    families = ["martin", "martinez", "martn", "bernard", "bernardi", "bernad", "durand", "durant", "leroy", "le"]
    givens = [
        ["jean"],
        ["j"],
        ["jeanpierre"],
        ["jean", "pierre"],
        ["marie"],
        ["m"],
        [],
        ["marie", "claire"],
        ["marieclaire"],
    ]
    records = list(dict.fromkeys((rng.choice(families), tuple(rng.choice(givens))) for _ in range(400)))
    fast, slow = _Bucket(_similar_families([(f, list(g)) for f, g in records])), _Bucket()
    for family, given in records:
        fast.add(_Person("c", family, list(given)))
        slow.add(_Person("c", family, list(given)))
    found = 0
    for family, given in records:
        scan = {
            i
            for i, (f, g) in enumerate(records)
            if _given_compatible(list(g), list(given)) and fuzz.ratio(f, family) >= 90
        }
        assert {fast.people.index(p) for p in fast.compatible(family, list(given))} == scan
        assert {slow.people.index(p) for p in slow.compatible(family, list(given))} == scan
        found += len(scan) > 1
    assert found > 10  # the draw does hold names that match others
