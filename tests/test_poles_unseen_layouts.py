"""Pôle pages in layouts the parser was not tuned to (issue 14), read through
``python -m spiders.parse poles PAGE --url URL`` as a maintainer would. Expected values are
written by hand from the fixture pages (tests/files/poles/, invented pôles)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from spiders.parse import main
from spiders.poles.parse import parse_label, split_values

FILES = Path(__file__).parent / "files" / "poles"
DIRECTORY = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/"


def parse(page: str, slug: str):
    out, err = io.StringIO(), io.StringIO()
    code = main(["poles", str(FILES / page), "--url", DIRECTORY + slug], out, err)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    items = [r for r in records if r["type"] == "item"]
    return code, items, [r for r in records if r["type"] == "issue"], err.getvalue()


def test_dsfr_table_with_siege_regions_secteurs_site_web_label():
    code, [item], issues, summary = parse("issue14_dsfr_table.html", "pole-mer-exemple")
    assert (code, issues) == (0, []), summary
    assert item["name"] == "Pôle Mer Exemple"
    assert item["themes"] == ["Construction navale", "Énergies marines renouvelables", "Robotique sous-marine"]
    assert (item["region"], item["other_regions"]) == ("Provence-Alpes-Côte d'Azur", ["Occitanie"])
    assert (item["street"], item["postcode"], item["city"]) == ("15 quai de la Joliette", "13002", "Marseille")
    assert item["website"] == "https://www.pole-mer-exemple.fr/"
    assert (item["label_status"], item["label_period"]) == ("Labellisé", "2023-2026")
    assert item["layout"] == "table"


def test_dsfr_card_with_icon_lines_and_three_regions():
    code, [item], issues, summary = parse("issue14_dsfr_card_icons.html", "pole-sud-exemple")
    assert (code, issues) == (0, []), summary
    assert item["name"] == "Pôle Sud Exemple"
    assert item["street"] == "Technopôle de l'Arbois, 30 avenue Louis Philibert"
    assert (item["postcode"], item["city"]) == ("13100", "Aix-en-Provence")
    assert item["website"] == "https://www.pole-sud-exemple.org/"  # the link's text is only "Site internet"
    assert item["contact_email"] == "contact@pole-sud-exemple.org"
    assert item["region"] == "Provence-Alpes-Côte d'Azur"
    assert item["other_regions"] == ["Occitanie", "Corse"]
    assert item["themes"] == ["Énergie", "Numérique", "Smart grids"]
    assert (item["label_status"], item["label_period"]) == ("Labellisé", "2023-2026")  # from the badge


def test_jsonld_only_with_knows_about():
    code, [item], issues, summary = parse("issue14_jsonld_only.html", "pole-atlantique-exemple")
    assert (code, issues) == (0, []), summary
    assert item == {
        "type": "item",
        "source_url": DIRECTORY + "pole-atlantique-exemple",
        "name": "Pôle Atlantique Exemple",
        "short_name": "PAE",
        "themes": ["Industries de la mer", "Agroalimentaire", "Biotechnologies marines"],
        "region": "Pays de la Loire",
        "other_regions": ["Bretagne"],
        "website": "https://www.pole-atlantique-exemple.fr/",
        "street": "4 rue de l'Estuaire",
        "postcode": "44000",
        "city": "Nantes",
        "contact_email": "contact@pole-atlantique-exemple.fr",
        "contact_phone": "+33 2 61 91 00 42",
        "description": "Le pôle réunit les industriels de la mer et de l'agroalimentaire de l'Ouest.",
        "label_status": "Labellisé",
        "label_period": "2024-2026",
        "layout": "jsonld",
    }


def test_drupal_fields_english_labels_head_office_marker_and_microdata_address():
    code, [item], issues, summary = parse("drupal_fields_microdata.html", "pole-montagne-exemple")
    assert (code, issues) == (0, []), summary
    assert item["themes"] == ["Sports de montagne", "Tourisme 4 saisons"]
    # "(siège)" marks the head office, whatever the order.
    assert (item["region"], item["other_regions"]) == ("Auvergne-Rhône-Alpes", ["Bourgogne-Franche-Comté"])
    assert (item["street"], item["postcode"], item["city"]) == ("1 place du Téléphérique", "38000", "Grenoble")
    assert item["website"] == "https://montagne-exemple.example.net/"  # not the LinkedIn link
    assert (item["label_status"], item["label_period"]) == ("Labellisé", "2023-2026")


def test_a_page_without_a_field_asserted_at_95_percent_fails_and_names_it():
    code, [item], issues, summary = parse("missing_themes.html", "pole-sans-theme")
    assert code == 1
    assert item["themes"] == [] and item["region"] == "Grand Est"
    assert "missing field themes" in summary and "sources/poles.yml" in summary


def test_a_region_that_is_not_one_region_is_an_error_not_an_item():
    code, items, issues, summary = parse("region_not_one.html", "pole-grand-sud-ouest")
    assert code == 1 and items == []
    assert [(i["field"], i["code"], i["severity"], i["value"]) for i in issues] == [
        ("region", "invalid_value", "error", "Grand Sud-Ouest")
    ]


@pytest.mark.parametrize(
    "text, status, period",
    [
        ("Labellisé 2023-2026", "Labellisé", "2023-2026"),
        ("label phase V", "Labellisé", None),
        ("en probation", "En probation", None),
        ("Labellisé (probatoire) 2023 – 2026", "Labellisé (probatoire)", "2023-2026"),
        ("Pôle labellisé de 2024 à 2026", "Labellisé", "2024-2026"),
        ("Non labellisé", "Non labellisé", None),  # kept as printed: the parser reports it unknown
        ("2023-2026", None, "2023-2026"),
    ],
)
def test_label_status_and_period_from_free_text(text, status, period):
    assert parse_label(text) == (status, period)


def test_list_values_split_outside_parentheses():
    assert split_values(["Céramiques (techniques, arts de la table); matériaux / chimie\nRecyclage"]) == [
        "Céramiques (techniques, arts de la table)",
        "Matériaux",
        "Chimie",
        "Recyclage",
    ]


def test_accordions_with_icon_headings_and_a_breadcrumb_jsonld():
    code, [item], issues, summary = parse("accordion_icon_headings.html", "pole-essai-cinq")
    assert (code, issues) == (0, []), summary
    assert item["name"] == "Pôle Essai Cinq"  # not the breadcrumb's JSON-LD name
    assert (item["street"], item["postcode"], item["city"]) == ("2 allée des Pins", "33170", "Gradignan")
    assert item["website"] == "https://essai5.example.com"
    assert item["themes"] == ["Bois", "Construction durable"]
    assert (item["region"], item["label_status"], item["label_period"]) == ("Nouvelle-Aquitaine", "En probation", None)
