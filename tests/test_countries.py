"""country_code: French names, English names, and the awkward decree headings."""

import csv

import pytest

from common.countries import country_code
from common.paths import REFERENCE_DIR


@pytest.mark.parametrize(
    "heading, iso2",
    [
        ("COREE", "KR"),  # South Korea: the decree heading means the Republic of Korea
        ("Corée du Sud", "KR"),
        ("Corée du Nord", "KP"),
        ("GRANDE-BRETAGNE", "GB"),
        ("Royaume-Uni", "GB"),
        ("COTE D'IVOIRE", "CI"),
        ("Côte d’Ivoire", "CI"),  # typographic apostrophe, as CLDR writes it
        ("HONG KONG", "HK"),
        ("Hong-Kong", "HK"),
        ("ETATS-UNIS", "US"),
        ("ETATS-UNIS D'AMERIQUE", "US"),
        ("États-Unis", "US"),
        ("RUSSIE", "RU"),
        ("TCHEQUIE", "CZ"),
        ("REPUBLIQUE TCHEQUE", "CZ"),
        ("République tchèque", "CZ"),
        ("EMIRATS ARABES UNIS", "AE"),
        ("ALLEMAGNE", "DE"),
        ("Section Brésil", "BR"),
        ("la Grèce", "GR"),
        ("Germany", "DE"),  # English names are accepted too
        ("  japon  ", "JP"),
    ],
)
def test_headings(heading, iso2):
    assert country_code(heading) == iso2


@pytest.mark.parametrize("text", ["", None, "Atlantide", "Région Bretagne", "1o Pour la métropole"])
def test_unknown_is_none(text):
    assert country_code(text) is None


def test_every_alias_is_a_real_code_and_resolves():
    import pycountry

    with (REFERENCE_DIR / "country_aliases.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for r in rows:
        assert pycountry.countries.get(alpha_2=r["iso2"]), r
        assert r["note"].strip(), r
        assert country_code(r["alias"]) == r["iso2"], r


def test_every_country_section_of_the_reference_resolves():
    path = REFERENCE_DIR / "facts" / "cce_committees.csv"
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["kind"] == "country"]
    bad = [
        (r["region_or_country"], r["iso2_or_insee"])
        for r in rows
        if country_code(r["region_or_country"]) != r["iso2_or_insee"]
    ]
    assert bad == []
