"""Parsers of the pôles directory, over the bundled snapshot pages (real URLs)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from common.issues import Issue
from common.paths import REPO_ROOT
from spiders.poles.parse import DETAIL, NEXT_PAGE, Link, parse_detail, parse_listing
from tests.helpers import archived_response, file_response

LISTING = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
FILES = Path(__file__).parent / "files" / "poles"


def detail(slug: str) -> tuple[dict | None, list[Issue]]:
    out = list(parse_detail(archived_response("poles", f"{LISTING}/{slug}")))
    items = [o for o in out if isinstance(o, dict)]
    assert len(items) <= 1
    return (items[0] if items else None), [o for o in out if isinstance(o, Issue)]


def test_definition_list_layout():
    item, issues = detail("aerospace-valley")
    assert issues == []
    assert item == {
        "source_url": f"{LISTING}/aerospace-valley",
        "name": "Aerospace Valley",
        "short_name": "AV",
        "themes": ["Aéronautique", "Spatial", "Systèmes embarqués"],
        "region": "Occitanie",
        "other_regions": ["Nouvelle-Aquitaine"],
        "website": "https://www.aerospace-valley.com/",
        "street": "12 rue de la République",
        "postcode": "31000",
        "city": "Toulouse",
        "contact_email": "contact@aerospace-valley.com",
        "contact_phone": "05 36 49 10 10",
        "description": (
            "AV fédère entreprises, laboratoires de recherche et établissements de formation autour des "
            "thématiques aéronautique, spatial et systèmes embarqués. Il accompagne les projets collaboratifs "
            "de R&D et le développement des PME de la région Occitanie."
        ),
        "label_status": "Labellisé",
        "label_period": "2023-2026",
        "layout": "dl",
    }


def test_table_layout_with_html_entities():
    item, issues = detail("agri-sud-ouest-innovation")  # saved with &eacute; &rsquo; &amp; entities
    assert issues == []
    assert item["layout"] == "table"
    assert item["name"] == "Agri Sud-Ouest Innovation"
    assert item["short_name"] == "Agri SOI"
    assert item["themes"] == ["Agriculture", "Agroalimentaire", "Agro-ressources"]
    assert item["region"] == "Occitanie"
    assert item["other_regions"] == ["Nouvelle-Aquitaine"]  # "Autres régions d'implantation"
    assert item["website"] == "https://www.agrisudouest.com/"
    assert (item["street"], item["postcode"], item["city"]) == ("3 avenue Jean Jaurès", "31320", "Auzeville-Tolosane")
    assert item["contact_email"] == "contact@agrisudouest.com"
    assert item["contact_phone"] is None  # e-mail only on this page
    assert item["description"].startswith("Agri SOI fédère entreprises")
    assert "R&D" in item["description"]
    assert (item["label_status"], item["label_period"]) == ("Labellisé", "2023-2026")


def test_free_text_layout():
    item, issues = detail("alpha-route-des-lasers-des-hyperfrequences")
    assert issues == []
    assert item["layout"] == "text"
    assert item["name"] == "ALPHA - Route des Lasers & des Hyperfréquences"
    assert item["short_name"] == "ALPHA-RLH"
    # Unlabelled DSFR tag group under the title.
    assert item["themes"] == ["Photonique", "Lasers", "Électronique", "Hyperfréquences"]
    assert item["region"] == "Nouvelle-Aquitaine"
    assert item["other_regions"] == []
    assert item["website"] == "https://www.alpha-rlh.com/"
    assert item["street"] == "Bâtiment B, 8 allée des Sciences"
    assert (item["postcode"], item["city"]) == ("33400", "Talence")
    assert item["contact_email"] == "contact@alpha-rlh.com"
    assert item["contact_phone"] == "+33 5 36 49 12 84"
    assert (item["label_status"], item["label_period"]) == ("Labellisé", "2023-2026")


def test_free_text_other_regions_inline_list():
    item, _ = detail("pole-mer-mediterranee")
    assert item["layout"] == "text"
    assert item["other_regions"] == ["Occitanie", "Corse"]


def test_jsonld_preferred_over_labels():
    item, issues = detail("cap-digital")  # visible text prints "www.capdigital.com"
    assert issues == []
    assert item["layout"] == "jsonld"
    assert item["website"] == "https://www.capdigital.com/"
    assert item["name"] == "Cap Digital"
    assert item["region"] == "Île-de-France"
    assert (item["street"], item["postcode"], item["city"]) == ("9 rue des Entrepreneurs", "75011", "Paris")
    assert item["contact_email"] == "contact@capdigital.com"
    assert item["contact_phone"] == "+33 1 99 00 18 36"
    # Not in the JSON-LD: still read from the labels and tags.
    assert item["themes"] == ["Numérique", "Transition numérique et écologique"]
    assert item["label_status"] == "Labellisé"


def test_windows_1252_page_decodes_accents():
    response = archived_response("poles", f"{LISTING}/pole-europeen-de-la-ceramique")
    assert response.encoding == "cp1252"
    assert "é".encode("utf-8") not in response.body  # really encoded as windows-1252
    item, issues = detail("pole-europeen-de-la-ceramique")
    assert issues == []
    assert item["name"] == "Pôle Européen de la Céramique"
    assert item["themes"] == ["Céramiques (techniques, arts de la table)"]
    assert item["region"] == "Nouvelle-Aquitaine"
    assert item["city"] == "Limoges"
    assert "l’œuvre" in item["description"]  # ’ and œ differ between windows-1252 and latin-1


def test_missing_optional_fields():
    item, issues = detail("bioeconomy-for-change")
    assert issues == [] and item["contact_email"] is None and item["contact_phone"] is None
    item, issues = detail("atlanpole-biotherapies")
    assert issues == [] and item["description"] is None


def test_missing_website_is_a_warning_and_the_item_is_kept():
    item, issues = detail("astech-paris-region")
    assert item["name"] == "ASTech Paris Region" and item["website"] is None
    assert [(i.field, i.code, i.severity) for i in issues] == [("website", "missing_expected_field", "warning")]
    assert item["label_status"] == "En probation"


def test_missing_required_region_yields_issue_and_no_item():
    url = f"{LISTING}/pole-d-essai"
    out = list(parse_detail(file_response(FILES / "detail_no_region.html", url)))
    assert not [o for o in out if isinstance(o, dict)]
    assert [(i.code, i.field, i.url, i.severity) for i in out] == [("missing_required_field", "region", url, "error")]


def test_listing_first_page():
    out = list(parse_listing(archived_response("poles", LISTING)))
    details = [o for o in out if isinstance(o, Link) and o.kind == DETAIL]
    assert len(details) == 12
    assert details[0].url == f"{LISTING}/aerospace-valley"
    assert [o.url for o in out if o.kind == NEXT_PAGE] == [f"{LISTING}?page=2"]


def test_listing_last_page_has_no_next():
    out = list(parse_listing(archived_response("poles", f"{LISTING}?page=5")))
    assert all(isinstance(o, Link) and o.kind == DETAIL for o in out)
    assert [o.url.rsplit("/", 1)[1] for o in out][-2:] == ["aqua-valley", "aquanova"]
    assert len(out) == 9


def test_listing_without_cards_is_an_error():
    page = b"<html><body><main><h1>Annuaire</h1><p>Aucun r\xc3\xa9sultat</p></main></body></html>"
    response = archived_response("poles", LISTING).replace(body=page)
    out = list(parse_listing(response))
    assert [(i.code, i.field) for i in out] == [("missing_required_field", "detail_links")]


def _snapshot_builder():
    spec = importlib.util.spec_from_file_location("build_poles", REPO_ROOT / "scripts/snapshots/build_poles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def facts():
    import csv

    build = _snapshot_builder()
    with build.REFERENCE.open(encoding="utf-8") as fh:
        return [build.pole_facts(i, r) for i, r in enumerate(csv.DictReader(fh))]


def test_every_snapshot_page_parses_to_the_facts_it_was_built_from(facts):
    """All 57 pages, whatever their layout: the parser returns what the generator put in."""
    assert len(facts) == 57
    for p in facts:
        item, issues = detail(p["slug"])
        assert [i for i in issues if i.severity == "error"] == [], p["slug"]
        got = {k: item[k] for k in ("name", "short_name", "themes", "region", "other_regions", "street", "postcode", "city")}
        want = {
            "name": p["name"], "short_name": p["short"], "themes": p["themes"], "region": p["region"],
            "other_regions": p["other_regions"], "street": p["street"], "postcode": p["postcode"], "city": p["city"],
        }
        assert got == want, p["slug"]
        assert (item["contact_email"], item["contact_phone"]) == (p["email"], p["phone"]), p["slug"]
        # The parser normalises a period printed "2023 – 2026" to "2023-2026".
        period = p["period"].replace(" – ", "-") if p["period"] else None
        assert (item["label_status"], item["label_period"]) == (p["status"], period), p["slug"]
        assert item["description"] == p["description"], p["slug"]
        assert item["layout"] == ("jsonld" if p["jsonld"] else p["layout"]), p["slug"]
        assert (item["website"] is None) == (p["website"] is None), p["slug"]
