"""One saved page per directory form (tests/files/pole_members/), loaded with its URL; expected
values read off the pages by hand. Plus the hostile cases: a contact person with an e-mail and
a phone beside a member, a row without a name, a JSON endpoint answering HTML or garbage."""

from __future__ import annotations

import json

import pytest

from common.issues import Issue
from common.personal_data import find
from spiders.core.pipelines import scrub_output
from spiders.pages import PageLink
from spiders.pole_members.discover import (
    json_endpoints,
    member_link_score,
    member_search_forms,
    pagination_links,
)
from spiders.pole_members.pages import PAGE_KINDS
from spiders.pole_members.parse import parse_html, parse_json, split_place
from tests.helpers import file_response

FILES = "tests/files/pole_members"
JSON = {"Content-Type": "application/json"}


def page(name: str, url: str, headers=None):
    return file_response(f"{FILES}/{name}", url, headers)


def members_of(response, form=None):
    return parse_html(response.text, response.url, form=form, root=response.selector.root)


def short(m: dict) -> tuple:
    return (m["organisation"], m["category_label"], m["postcode"], m["city"], m["website"])


def test_static_list_reads_each_item_and_not_the_contact_person():
    response = page("static_list.html", "https://www.vegepolys-valley.eu/nos-adherents/")
    members, issues = members_of(response)
    assert [short(m) for m in members] == [
        ("Semences du Layon", "PME", "49000", "Angers", "https://www.semences-du-layon.example/"),
        ("Laboratoire Végétal de l'Ouest", "Organisme de recherche", "49070", "Beaucouzé", None),
        ("Horti'Lab Nantes", "Start-up", None, "Nantes", None),
        ("Coopérative Maraîchère Atlantique", "Autre", "85000", "La Roche-sur-Yon", None),
        ("SEMENCES DU LAYON", "PME", "49000", "Angers", "https://www.semences-du-layon.example/"),
    ]
    assert {m["directory_form"] for m in members} == {"static_list"}
    assert {m["evidence_url"] for m in members} == {"https://www.vegepolys-valley.eu/nos-adherents/"}
    assert issues == []
    # Hostile: the contact person, her e-mail and phone are beside "Horti'Lab Nantes": none is kept.
    text = json.dumps(members, ensure_ascii=False)
    assert "Moreau" not in text and "@" not in text and "02 40" not in text
    assert not any(find(str(v)) for m in members for v in m.values() if v)


def test_personal_data_guard_would_cut_a_contact_printed_in_the_name():
    item = {
        "kind": "member",
        "organisation": "Acme SAS (contact : j.durand@acme.example, 06 12 34 56 78)",
        "source_url": "https://pole.example/annuaire/",
    }
    *issues, kept = scrub_output("pole_members", item)
    assert kept["organisation"] == "Acme SAS" and issues and issues[0].field == "organisation"


def test_paginated_table_reads_columns_by_header_and_reports_the_row_without_a_name():
    response = page("paginated_page2.html", "https://www.pole-valorial.fr/annuaire/?page=2")
    members, issues = members_of(response)
    assert [short(m) for m in members] == [
        ("Biscuiterie de Kerlann", "ETI", "29000", "Quimper", "https://kerlann-biscuits.example"),
        ("Institut Agro Démonstration", "Enseignement supérieur", "35000", "Rennes", None),
        ("Légumerie du Trégor", "TPE", "22300", "Lannion", "https://www.legumerie-tregor.example/"),
    ]
    assert {m["directory_form"] for m in members} == {"paginated"}
    assert "Loïc Ravenel" not in json.dumps(members, ensure_ascii=False)  # the Contact column
    [issue] = issues
    assert (issue.url, issue.field, issue.code) == (
        "https://www.pole-valorial.fr/annuaire/?page=2",
        "organisation",
        "unreadable_row",
    )
    assert "row 4" in issue.message


def test_pager_links_next_first_each_once():
    response = page("paginated_page2.html", "https://www.pole-valorial.fr/annuaire/?page=2")
    assert pagination_links(response.selector.root, response.url, "pole-valorial.fr") == [
        "https://www.pole-valorial.fr/annuaire/?page=3",
        "https://www.pole-valorial.fr/annuaire/?page=1",
    ]


def test_search_results_cards_and_the_form_to_submit_by_letter():
    response = page("search_results.html", "https://www.tenerrdis.fr/annuaire/resultats?lettre=B")
    members, issues = members_of(response)
    assert [short(m) for m in members] == [
        ("Belledonne Hydrogène", "Jeune pousse", "38100", "Grenoble", "https://belledonne-h2.example/"),
        ("Bois Énergie Savoie SARL", "PME", "73000", "Chambéry", None),
    ]
    assert {m["directory_form"] for m in members} == {"search_form"} and issues == []
    [form] = member_search_forms(response.selector.root, response.url, "tenerrdis.fr", False)
    assert form.number == 1  # the header's site search is form 0, and is not a member search
    assert form.field == "lettre" and form.letters[:3] == ("A", "B", "C") and len(form.letters) == 26


def test_search_form_submission_urls():
    from form2request import form2request

    response = page("search_results.html", "https://www.tenerrdis.fr/annuaire/resultats?lettre=B")
    form = response.xpath("//form")[1]
    assert form2request(form, click=False).url == "https://www.tenerrdis.fr/annuaire/resultats?categorie=&lettre="
    assert (
        form2request(form, {"lettre": "C"}, click=False).url
        == "https://www.tenerrdis.fr/annuaire/resultats?categorie=&lettre=C"
    )


def test_json_endpoint_found_in_the_inline_script_not_the_external_one():
    response = page("json_page.html", "https://www.materalia.fr/membres/")
    assert json_endpoints(response.selector.root, response.url, "materalia.fr") == [
        "https://www.materalia.fr/api/v2/membres?format=json"
    ]
    assert members_of(response) == ([], [])


def test_json_answer_nested_keys_contact_left_out_nameless_record_reported():
    url = "https://www.materalia.fr/api/v2/membres?format=json"
    body = (page("members.json", url, JSON)).body
    members, issues, next_url = parse_json(body, url)
    assert [short(m) for m in members] == [
        ("Fonderie Mosellane de Précision", "PME", "57000", "Metz", "https://www.fonderie-mosellane.example"),
        ("Université de Démonstration – Laboratoire des Matériaux", "Laboratoire", "54000", "Nancy", None),
        ("Ardennes Composites", "Grand groupe", "08000", "Charleville-Mézières", "https://ardennes-composites.example"),
    ]
    assert {m["directory_form"] for m in members} == {"json_endpoint"}
    assert "Vaillandet" not in json.dumps(members, ensure_ascii=False)
    assert next_url == "https://www.materalia.fr/api/v2/membres?format=json&page=2"
    [issue] = issues
    assert (issue.url, issue.field, issue.code) == (url, "organisation", "unreadable_row")


@pytest.mark.parametrize(
    "body", [b"<!DOCTYPE html><html><body>503</body></html>", b"\x00\xff\xfe garbage", b"", b'{"a": 1}']
)
def test_json_endpoint_answering_html_or_garbage_is_an_issue_not_a_crash(body):
    url = "https://www.materalia.fr/api/v2/membres?format=json"
    members, issues, next_url = parse_json(body, url)
    assert members == [] and next_url is None
    [issue] = issues
    assert (issue.url, issue.field, issue.code) == (url, "body", "json_unreadable")


def test_json_fields_hint_names_an_unusual_key():
    body = json.dumps([{"libelleStructure": "Verrerie d'Argonne", "cat": "PME"}])
    members, issues, _ = parse_json(body, "https://x.example/m.json", {"organisation": "libelleStructure"})
    assert [m["organisation"] for m in members] == ["Verrerie d'Argonne"] and issues == []


def test_member_links_score_directories_not_login_or_joining_pages():
    assert member_link_score("Nos adhérents", "https://p.example/x/") == 3
    assert member_link_score(None, "https://p.example/annuaire-des-membres/") == 3
    assert member_link_score("Our members", "https://p.example/members") == 3
    assert member_link_score("L'écosystème", "https://p.example/ecosysteme/") == 2
    assert member_link_score("Espace adhérents", "https://p.example/espace-adherents/") == 0
    assert member_link_score("Devenir adhérent", "https://p.example/adherer/") == 0
    assert member_link_score("Annuaire", "https://p.example/annuaire.pdf") == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("69007 Lyon", ("69007", "Lyon")),
        ("Lyon (69)", (None, "Lyon")),
        ("Saint-Étienne", (None, "Saint-Étienne")),
        ("Lyon 69007", ("69007", "Lyon")),
        ("", (None, None)),
    ],
)
def test_split_place(text, expected):
    assert split_place(text) == expected


def test_page_kinds_for_the_parse_command():
    response = page("paginated_page2.html", "https://www.pole-valorial.fr/annuaire/?page=2")
    kind = next(k for k in PAGE_KINDS if k.matches_url(response.url))
    out = list(kind.parse(response))
    assert kind.name == "directory"
    assert [o.url for o in out if isinstance(o, PageLink)] == [
        "https://www.pole-valorial.fr/annuaire/?page=3",
        "https://www.pole-valorial.fr/annuaire/?page=1",
    ]
    members = [o for o in out if isinstance(o, dict)]
    assert len(members) == 3 and {m["cluster_id"] for m in members} == {"valorial"}
    assert len([o for o in out if isinstance(o, Issue)]) == 1
    json_kind = next(k for k in PAGE_KINDS if k.matches_url("https://www.materalia.fr/api/v2/membres?format=json"))
    assert json_kind.name == "json_endpoint"
