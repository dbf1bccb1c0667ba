"""One test per site layout of the pole_sites sample, each page loaded with its real URL.

Expected seats are read off the pages by hand (data/snapshots/pole_sites/pages/…): the
number of people each page names in its governance, and a few seats in full.
"""

from __future__ import annotations

import pytest

from common.issues import Issue
from spiders.pole_sites.parse import is_pdf, line_seats, parse_page, scrub
from spiders.pole_sites.roles import body_of_heading, is_person_name, role_kind
from tests.helpers import archived_response


def seats_of(url: str, schema_only: bool = False) -> tuple[list[dict], list[Issue]]:
    out = list(parse_page(archived_response("pole_sites", url), "test", schema_only))
    return [o for o in out if isinstance(o, dict)], [o for o in out if isinstance(o, Issue)]


def seat(seats, name):
    found = [s for s in seats if s["person_name"] == name]
    assert len(found) == 1, (name, [s["person_name"] for s in seats])
    return found[0]


def test_wordpress_team_grid_reads_each_card():
    seats, _ = seats_of("https://www.images-et-reseaux.com/gouvernance/")
    assert len(seats) == 9 and {s["method"] for s in seats} == {"card"}
    s = seat(seats, "Valérie Brunet")
    assert (s["role"], s["role_kind"], s["body"], s["organisation"]) == (
        "Vice-présidente",
        "vice_president",
        "bureau",
        "Imaginium Énergie SAS",
    )
    assert seat(seats, "Ophélie Collet")["role_kind"] == "director"
    assert seat(seats, "Ophélie Collet")["organisation"] is None
    assert seat(seats, "Inès ARNAL")["body"] == "board"


def test_wordpress_team_page_with_one_card():
    seats, _ = seats_of("https://www.images-et-reseaux.com/equipe/")
    assert [(s["person_name"], s["role_kind"], s["body"]) for s in seats] == [("Hélène Du Plessis", "staff", "team")]


def test_drupal_field_text_president_colon_name():
    seats, issues = seats_of("http://polemermediterranee.com/qui-sommes-nous/conseil-d-administration")
    assert len(seats) == 10 and {s["method"] for s in seats} == {"text"}
    s = seat(seats, "Paul-Henri GIRAUD")
    assert (s["role_kind"], s["body"], s["organisation"]) == ("treasurer", "bureau", "Calanques Marine")
    assert s["evidence_text"] == "Trésorier : Paul-Henri GIRAUD (Calanques Marine)"
    assert seat(seats, "Aurélie Guillot")["role_kind"] == "international"


def test_drupal_vacant_seat_is_reported_not_kept():
    seats, issues = seats_of("https://www.polemicrotechniques.fr/qui-sommes-nous/conseil-d-administration")
    assert not any("vacant" in s["person_name"].lower() for s in seats)
    assert [i.value for i in issues if i.code == "vacant_seat"] == ["Secrétaire adjoint"]
    assert seat(seats, "Laurent Picard")["organisation"] == "Imaginia Industrie"


def test_bootstrap_table_with_headers():
    seats, _ = seats_of("https://www.minalogic.com/le-pole/instances")
    assert len(seats) == 11 and {s["method"] for s in seats} == {"table"}
    s = seat(seats, "R. Chabert")
    assert (s["role_kind"], s["body"], s["organisation"]) == ("board_member", "board", "Chabert Mécanique")
    assert s["evidence_text"] == "R. Chabert | Administrateur | Chabert Mécanique"


def test_jsonld_only_javascript_app():
    seats, _ = seats_of("https://www.aerospace-valley.com/equipe")
    assert len(seats) == 11 and {s["method"] for s in seats} == {"jsonld"}
    s = seat(seats, "Laurent Aubert")
    assert (s["role"], s["organisation"]) == ("Administrateur", "Prototypis Logistique")
    assert seat(seats, "Sébastien Blanchard")["body"] == "bureau"


def test_board_pdf_with_text():
    url = "https://www.capdigital.com/wp-content/uploads/2026/06/composition-ca.pdf"
    response = archived_response("pole_sites", url)
    assert is_pdf(response)
    seats, _ = seats_of(url)
    assert {s["method"] for s in seats} == {"pdf"}
    s = seat(seats, "Veronique Dupont")
    assert (s["role_kind"], s["body"], s["organisation"]) == ("vice_president", "bureau", "Imagineo Export")


def test_list_with_dashes():
    seats, _ = seats_of("https://www.nextmove.fr/a-propos/gouvernance/")
    assert {s["method"] for s in seats} == {"list"}
    s = seat(seats, "Isabelle GIRARD")
    assert (s["role"], s["role_kind"], s["organisation"]) == ("Administratrice", "board_member", "Témoinix Santé SARL")


def test_definition_list():
    seats, _ = seats_of("https://www.pole-hippolia.org/nos-instances/")
    s = seat(seats, "Nicolas Baudry")
    assert (s["role_kind"], s["body"], s["organisation"], s["method"]) == ("board_member", "board", None, "list")
    assert seat(seats, "Léa Besson")["organisation"] is None  # the next <dt> is not her organisation


def test_english_microdata_cards():
    seats, _ = seats_of("https://www.vitagora.com/en/about-us/board/")
    assert {s["method"] for s in seats} == {"microdata"}
    s = seat(seats, "François de Beaulieu")
    assert (s["role"], s["role_kind"], s["organisation"]) == ("Treasurer", "treasurer", "Modélis Logistique SA")


def test_sitemap_site_governance_page():
    seats, _ = seats_of("http://atlanpolebiotherapies.com/l-association/gouvernance/")
    assert len(seats) == 8
    assert seat(seats, "Mathis Tessier")["role_kind"] == "secretary"  # "Secrétaire général" of the bureau


def test_image_only_board_has_nothing_to_read():
    seats, _ = seats_of("https://www.s2e2.fr/gouvernance/")
    assert seats == []


def test_news_sidebar_footer_and_home_news_are_not_seats():
    not_seats = {
        "Agathe Lemarchal",
        "Hugues Cazenave",
        "Tanguy Etchebarne",
        "Solène Arnal",
        "Grégoire Lagarde",
        "Guillaume Charpentier",
        "Catherine Brunet",
    }
    for url in ("https://www.images-et-reseaux.com/gouvernance/", "http://systematic-paris-region.org/equipe"):
        seats, _ = seats_of(url)
        assert seats and not {s["person_name"] for s in seats} & not_seats
    for home in ("https://medicen.org/", "https://www.aerospace-valley.com/"):
        assert seats_of(home, schema_only=True)[0] == []


@pytest.mark.parametrize(
    "role, kind",
    [
        ("Présidente", "president"),
        ("Vice-président·e", "vice_president"),
        ("Vice-Présidente", "vice_president"),
        ("Trésorière", "treasurer"),
        ("Secrétaire générale", "secretary"),
        ("Directrice générale", "director"),
        ("Déléguée générale", "director"),
        ("Administratrice", "board_member"),
        ("Chief Executive Officer", "director"),
        ("Chargée de mission Europe & International", "international"),
        ("Chair", "president"),
        ("Vice-Chair", "vice_president"),
        ("Chargé de communication", "staff"),
        ("Mécène", None),
    ],
)
def test_gendered_and_english_role_spellings(role, kind):
    assert role_kind(role) == kind


@pytest.mark.parametrize(
    "text, ok",
    [
        ("Marie-Claire Dupont", True),
        ("Jean DE LA FONTAINE", True),
        ("R. Chabert", True),
        ("Yann Le Du", True),
        ("Grace O'Connell", True),
        ("Bertrand d'ESTAING", True),
        ("Conseil d'administration", False),
        ("Esquisso Numérique SAS", False),
        ("Poste vacant", False),
        ("J. D.", False),
        ("Lire la suite", False),
        ("Université de Démonstration", False),
        ("2026 Assemblée", False),
    ],
)
def test_person_name_heuristic(text, ok):
    assert is_person_name(text) is ok


def test_lines_and_contacts():
    assert line_seats("Directeur de la publication : Paul Martin") == []
    assert line_seats("Présidente : Marie Durand (Société X) ; Trésorier : Luc Morel") == [
        ("Marie Durand", "Présidente", "Société X"),
        ("Luc Morel", "Trésorier", None),
    ]
    assert scrub("Marie Durand, marie.durand@example.org, 06 12 34 56 78") == "Marie Durand, […], […]"
    assert body_of_heading("Le conseil d'administration") == "board" and body_of_heading("Gouvernance") is None
