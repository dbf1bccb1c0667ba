"""Parsers of the pôles directory, over the bundled snapshot pages (real URLs)."""

from __future__ import annotations

import re
from pathlib import Path

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


FACTS = REPO_ROOT / "reference" / "facts" / "poles_phase5.csv"
MANIFEST = REPO_ROOT / "data" / "snapshots" / "poles" / "manifest.json"


def _region_of_postcode(postcode: str) -> str:
    """INSEE région of a mainland or DROM postcode, from reference/departements.csv (not common.places)."""
    import csv

    with (REPO_ROOT / "reference" / "departements.csv").open(encoding="utf-8") as fh:
        region_of = {r["departement_code"]: r["region_code"] for r in csv.DictReader(fh)}
    return region_of[postcode[:3] if postcode.startswith("97") else postcode[:2]]


def test_every_snapshot_page_parses_to_its_public_facts():
    """All 57 detail pages, whatever their layout, against reference/facts/poles_phase5.csv itself
    (never the snapshot generator's functions): name, short name, région, city, themes, website
    domain; the postcode lies in the pôle's région."""
    import csv
    import json

    from common.places import fold

    with FACTS.open(encoding="utf-8") as fh:
        facts = {r["name"]: r for r in csv.DictReader(fh)}
    urls = [r["url"] for r in json.loads(MANIFEST.read_text(encoding="utf-8"))["responses"]]
    pages = [u for u in urls if u.startswith(LISTING + "/")]
    assert len(facts) == 57 and len(pages) == 57
    items = {}
    for url in pages:
        out = list(parse_detail(archived_response("poles", url)))
        assert [o for o in out if isinstance(o, Issue) and o.severity == "error"] == [], url
        (item,) = [o for o in out if isinstance(o, dict)]
        items[item["name"]] = item
    assert set(items) == set(facts)
    for name, fact in facts.items():
        item = items[name]
        assert item["short_name"] == fact["acronym_or_short"], name
        assert item["region"] == fact["region"], name
        assert item["city"] == fact["city"].split(" (")[0], name  # "Auzeville-Tolosane (Toulouse)": the commune
        assert _region_of_postcode(item["postcode"]) == fact["region_insee_code"], name
        assert 1 <= len(item["themes"]) <= 4, name
        assert all(fold(t) in fold(fact["theme"]) for t in item["themes"]), name
        if fact["website"]:
            assert fact["website"] in item["website"], name
            assert item["contact_email"] in (None, f"contact@{fact['website']}"), name
        else:
            assert item["website"] is None, name
        assert re.match(r"(Labellisé|En probation)", item["label_status"]), name
        assert re.fullmatch(r"20[0-9]{2} ?[-–] ?20[0-9]{2}", item["label_period"]), name
