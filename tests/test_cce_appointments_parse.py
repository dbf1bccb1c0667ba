"""Parser of CCE appointment decrees: both layouts, OCR forms, particles, sections, headings."""

import pytest

from common.issues import Issue
from spiders.cce_appointments.parse import french_date, parse_decree, parse_decree_text, parse_person
from tests.helpers import archived_response

OLD_URL = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
NEW_URL = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000052583419"


def split(results):
    results = list(results)
    return [r for r in results if not isinstance(r, Issue)], [r for r in results if isinstance(r, Issue)]


def by_name(items, display_name):
    found = [i for i in items if i["display_name"] == display_name]
    assert len(found) == 1, display_name
    return found[0]


@pytest.fixture(scope="module")
def old():
    return split(parse_decree(archived_response("cce_appointments", OLD_URL)))


@pytest.fixture(scope="module")
def new():
    return split(parse_decree(archived_response("cce_appointments", NEW_URL)))


def test_old_layout_decree_fields(old):
    items, issues = old
    assert issues == []
    assert len(items) == 16
    assert {i["appointment_ref"] for i in items} == {"ECOT2333861D"}
    assert {i["appointment_date"] for i in items} == {"2023-12-14"}
    assert {i["source_url"] for i in items} == {OLD_URL}
    assert {i["appointment_kind"] for i in items} == {None}
    assert {i["part"] for i in items} == {"1o Pour la métropole", "2o Pour l'outre-mer", "3o A l'étranger"}


def test_old_layout_ocr_mme_and_multiple_given_names(old):
    items, _ = old
    odile = by_name(items, "Odile Berthelin")
    assert odile["honorific"] == "Mme" and odile["given_names"] == ["Odile"]
    assert odile["region_code"] == "84" and odile["country_code"] is None
    claire = by_name(items, "Claire Anne Hoffmann-Roux")
    assert claire["honorific"] == "Mme" and claire["given_names"] == ["Claire", "Anne"]
    assert by_name(items, "Yann Marie Joseph Le Goff")["given_names"] == ["Yann", "Marie", "Joseph"]


def test_old_layout_particles(old):
    items, _ = old
    jean = by_name(items, "Jean Hubert de Roquebrune")
    assert (jean["family_name"], jean["given_names"]) == ("de Roquebrune", ["Jean", "Hubert"])
    luc = by_name(items, "Luc d'Arcy")
    assert (luc["family_name"], luc["given_names"]) == ("d'Arcy", ["Luc"])


def test_old_layout_awkward_headings(old):
    items, _ = old
    places = {i["heading"]: (i["country_code"], i["region_code"]) for i in items}
    assert places["COREE"] == ("KR", None)
    assert places["GRANDE-BRETAGNE"] == ("GB", None)
    assert places["COTE D'IVOIRE"] == ("CI", None)
    assert places["HONG KONG"] == ("HK", None)
    assert places["ETATS-UNIS"] == ("US", None)
    assert places["Provence-Alpes-Côte d'Azur"] == (None, "93")
    assert places["La Réunion"] == (None, "04")


def test_newer_layout_position_company_and_kinds(new):
    items, issues = new
    assert issues == []
    assert len(items) == 8
    giraud = by_name(items, "Paul-Henri Giraud")
    assert (giraud["position"], giraud["company"]) == ("président", "Calanques Marine")
    assert giraud["region_code"] == "93"  # "Région Sud"
    assert giraud["appointment_kind"] == "nomination"
    sarah = by_name(items, "Sarah Benali")
    assert (sarah["position"], sarah["company"]) == (
        "directrice des affaires internationales",
        "Lutèce Diagnostics SAS",
    )
    kinds = {i["display_name"]: i["appointment_kind"] for i in items}
    assert kinds["Rémi Louis Chabert"] == "renouvellement"
    assert kinds["Thierry de Lacombe"] == "renouvellement"
    assert sum(k == "nomination" for k in kinds.values()) == 5
    assert by_name(items, "Thierry de Lacombe")["company"] == "Lacombe Logistics Inc."  # abbreviation dot kept
    assert by_name(items, "Inês Carvalho")["country_code"] == "BR"
    assert {i["appointment_date"] for i in items} == {"2025-11-18"}
    assert {i["appointment_ref"] for i in items} == {"ECOT2529114D"}


@pytest.mark.parametrize(
    "line, expected",
    [
        ("M. Nom (Prénom, Prénom2).", ("M.", "Nom", ["Prénom", "Prénom2"], None, None)),
        ("Mme Nom (Prénom).", ("Mme", "Nom", ["Prénom"], None, None)),
        ("M m e Nom (Prénom).", ("Mme", "Nom", ["Prénom"], None, None)),
        ("M. Nom (Jean, Hubert de).", ("M.", "de Nom", ["Jean", "Hubert"], None, None)),
        (
            "M. Dupont (Jean), directeur général, Société X.",
            ("M.", "Dupont", ["Jean"], "directeur général", "Société X"),
        ),
        ("M. Dupont (Jean), gérant.", ("M.", "Dupont", ["Jean"], "gérant", None)),
        (
            "Mme Martin-Léger (Anne, Marie), directrice, export, Acme S.A.",
            ("Mme", "Martin-Léger", ["Anne", "Marie"], "directrice, export", "Acme S.A."),
        ),
    ],
)
def test_parse_person(line, expected):
    p = parse_person(line)
    assert (p["honorific"], p["family_name"], p["given_names"], p["position"], p["company"]) == expected
    assert p["display_name"] == " ".join(p["given_names"] + [p["family_name"]])


@pytest.mark.parametrize("line", ["M. Dupont Jean.", "Mme (Anne).", "M. Dupont ()."])
def test_parse_person_rejects_malformed(line):
    assert parse_person(line) is None


def test_french_date():
    assert french_date("Décret du 1er mars 2025 portant …").isoformat() == "2025-03-01"
    assert french_date("Décret du 14 décembre 2023").isoformat() == "2023-12-14"
    assert french_date("Décret portant nomination") is None


DECREE = """Décret du 3 février 2024 portant nomination de conseillers du commerce extérieur de la France
NOR : ECOT2400001D
Par décret du Président de la République, sont nommés conseillers du commerce extérieur de la France :
1o Pour la métropole
Région Bretagne
M. Alpha (Anne).
3o A l'étranger
{heading}
M. Beta (Bruno).
"""


def test_unknown_heading_is_a_named_error_and_keeps_the_appointee():
    items, issues = split(parse_decree_text(DECREE.format(heading="ATLANTIDE"), "https://example.test/d"))
    assert [i.code for i in issues] == ["unknown_heading"]
    assert issues[0].severity == "error" and issues[0].value == "ATLANTIDE"
    assert "ATLANTIDE" in issues[0].message
    beta = by_name(items, "Bruno Beta")
    assert (beta["heading"], beta["country_code"], beta["region_code"]) == ("ATLANTIDE", None, None)


def test_region_under_abroad_is_unknown_heading():
    _, issues = split(parse_decree_text(DECREE.format(heading="Région Bretagne"), "https://example.test/d"))
    assert [i.code for i in issues] == ["unknown_heading"]


@pytest.mark.parametrize(
    "heading, iso2",
    [("REPUBLIQUE TCHEQUE", "CZ"), ("RUSSIE", "RU"), ("ETATS-UNIS D'AMERIQUE", "US"), ("TCHEQUIE", "CZ")],
)
def test_more_awkward_headings(heading, iso2):
    items, issues = split(parse_decree_text(DECREE.format(heading=heading), "https://example.test/d"))
    assert issues == []
    assert by_name(items, "Bruno Beta")["country_code"] == iso2


def test_unparsed_appointee_line_is_reported():
    text = DECREE.format(heading="COREE").replace("M. Beta (Bruno).", "M. Beta Bruno.")
    items, issues = split(parse_decree_text(text, "https://example.test/d"))
    assert [i.code for i in issues] == ["unparsed_appointee"]
    assert [i["display_name"] for i in items] == ["Anne Alpha"]


def test_missing_nor_falls_back_to_text_id_then_reports():
    text = DECREE.format(heading="COREE").replace("NOR : ECOT2400001D\n", "")
    items, _ = split(parse_decree_text(text, "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000000042"))
    assert {i["appointment_ref"] for i in items} == {"JORFTEXT000000000042"}
    items, issues = split(parse_decree_text(text, "https://example.test/d"))
    assert items == [] and [(i.code, i.field) for i in issues] == [("missing_required_field", "appointment_ref")]


def test_other_decree_is_not_read():
    items, issues = split(
        parse_decree_text("Décret du 2 mai 2024 portant nomination d'un préfet\nNOR : INTA2400001D\nM. X (Y).", "u")
    )
    assert items == [] and [i.code for i in issues] == ["not_an_appointment_decree"]
