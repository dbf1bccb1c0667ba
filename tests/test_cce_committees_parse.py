"""Parsers of cnccef.org on the snapshot's pages (each layout variant) and on fixture pages."""

from pathlib import Path

import pytest

from common.issues import Issue
from spiders.cce_committees.parse import parse_listing, parse_page, parse_person
from tests.helpers import archived_response, file_response

SITE = "https://www.cnccef.org"
FILES = Path(__file__).parent / "files" / "cce_committees"


def split(results):
    results = list(results)
    return [r for r in results if not isinstance(r, Issue)], [r for r in results if isinstance(r, Issue)]


def page_item(url, kind=None):
    items, issues = split(parse_page(archived_response("cce_committees", url), kind=kind))
    assert len(items) == 1, issues
    return items[0], issues


def test_france_listing_links_every_committee():
    entries = list(parse_listing(archived_response("cce_committees", f"{SITE}/les-cce-en-france/")))
    pages = [e for e in entries if "url" in e]
    assert len(pages) == 21
    assert {e["kind"] for e in pages} == {"committee"}
    assert {"url": f"{SITE}/les-cce-en-france/paris/", "kind": "committee", "name": "Comité de Paris"} in pages
    assert not [e for e in entries if "next" in e]  # menu links to the listings are not pages


def test_world_listing_is_paginated():
    first = list(parse_listing(archived_response("cce_committees", f"{SITE}/les-cce-dans-le-monde/")))
    second = list(parse_listing(archived_response("cce_committees", f"{SITE}/les-cce-dans-le-monde/page/2/")))
    assert [e for e in first if "next" in e] == [{"next": f"{SITE}/les-cce-dans-le-monde/page/2/"}]
    assert not [e for e in second if "next" in e]
    urls = [e["url"] for e in first + second if "url" in e]
    assert len(urls) == len(set(urls)) == 49
    assert all(e["kind"] == "section" for e in first + second if "url" in e)
    assert f"{SITE}/les-cce-dans-le-monde/allemagne/" in urls


def test_committee_list_layout_capitals_and_count_in_text():
    item, issues = page_item(f"{SITE}/les-cce-en-france/provence-corse/", kind="committee")
    assert not issues
    assert item["name"] == "Comité Provence-Corse"
    assert item["kind"] == "committee"
    assert item["territory"] == "Provence-Corse"
    assert item["region"] == "Provence-Alpes-Côte d'Azur et Corse"
    assert item["country"] is None
    assert item["member_count"] == 122
    assert item["officers"][0] == {
        "role": "Présidente",
        "honorific": "Mme",
        "given_names": ["Béatrice"],
        "family_name": "MASSON",
        "full_name": "Béatrice MASSON",
        "company": "Illustreo Export SA",
    }
    assert [o["role"] for o in item["officers"]] == [
        "Présidente",
        "Vice-présidente",
        "Vice-présidente",
        "Secrétaire général",
        "Trésorier",
    ]


def test_committee_table_layout_and_stat_block():
    item, issues = page_item(f"{SITE}/les-cce-en-france/nice-cote-d-azur/")  # kind from the URL
    assert not issues
    assert item["kind"] == "committee"
    assert item["territory"] == "Nice Côte d'Azur"
    assert item["region"] == "Provence-Alpes-Côte d'Azur"
    assert item["member_count"] == 271
    assert len(item["officers"]) == 5
    assert item["officers"][0]["company"] is None  # empty cell
    assert item["officers"][1] == {
        "role": "Vice-président",
        "honorific": "M.",
        "given_names": ["Jean-Marc"],
        "family_name": "Lemoine",
        "full_name": "Jean-Marc Lemoine",
        "company": "Illustreo Export SARL",
    }


def test_committee_without_member_count():
    item, _ = page_item(f"{SITE}/les-cce-en-france/centre-val-de-loire/", kind="committee")
    assert item["member_count"] is None
    assert item["officers"][2]["family_name"] == "MARTIN-LEFÈVRE"


def test_overseas_collectivity_region_label():
    item, _ = page_item(f"{SITE}/les-cce-en-france/nouvelle-caledonie/", kind="committee")
    assert item["region"] == "Nouvelle-Calédonie"


def test_section_page():
    item, issues = page_item(f"{SITE}/les-cce-dans-le-monde/allemagne/", kind="section")
    assert not issues
    assert (item["kind"], item["territory"], item["country"], item["region"]) == (
        "section",
        "Allemagne",
        "Allemagne",
        None,
    )
    assert item["member_count"] == 12
    assert item["officers"][0]["family_name"] == "Le Goff"
    assert item["officers"][0]["given_names"] == ["Jean-Marc"]
    assert item["source_url"] == item["page_url"] == f"{SITE}/les-cce-dans-le-monde/allemagne/"


@pytest.mark.parametrize(
    "text, honorific, given, family",
    [
        ("M. Jean DUPONT", "M.", ["Jean"], "DUPONT"),
        ("Mme Claire Martin-Lefèvre", "Mme", ["Claire"], "Martin-Lefèvre"),
        ("Mme Marie Anne DE LA TOUR", "Mme", ["Marie", "Anne"], "DE LA TOUR"),
        ("M. Pierre de Beaulieu", "M.", ["Pierre"], "de Beaulieu"),
        ("Madame Sophie Le Goff", "Mme", ["Sophie"], "Le Goff"),
        ("Jean-Marc Durand", None, ["Jean-Marc"], "Durand"),
        ("M. DURAND", "M.", [], "DURAND"),
    ],
)
def test_parse_person(text, honorific, given, family):
    p = parse_person(text)
    assert (p["honorific"], p["given_names"], p["family_name"]) == (honorific, given, family)
    assert p["full_name"] == " ".join(given + [family])


def test_missing_required_field_is_an_error_and_no_item():
    url = f"{SITE}/les-cce-en-france/exemple/"
    items, issues = split(parse_page(file_response(FILES / "missing_territory.html", url), kind="committee"))
    assert items == []
    assert [(i.code, i.field, i.severity, i.url) for i in issues] == [
        ("missing_required_field", "territory", "error", url)
    ]


def test_personal_contacts_are_dropped_with_a_warning():
    url = f"{SITE}/les-cce-dans-le-monde/portugal/"
    items, issues = split(parse_page(file_response(FILES / "personal_contact.html", url)))
    [item] = items
    president = item["officers"][0]
    assert president["full_name"] == "Paul EXEMPLE"
    assert president["company"] == "Fictivia Industrie SAS"
    flat = repr(item)
    assert "@" not in flat and "39 98" not in flat
    codes = {(i.field, i.code) for i in issues}
    assert ("officers.name", "personal_contact_removed") in codes
    assert all("example.org" not in (i.message + str(i.value)) for i in issues)  # the log holds no contact either
    # An unknown role is kept as printed, and reported.
    assert item["officers"][1]["role"] == "Chargée de mission"
    assert any(
        i.code == "unknown_value" and i.value == "Chargée de mission" and i.severity == "warning" for i in issues
    )
