"""common.places: postcodes, régions and folding, with expected values written out by hand.

Corsica: La Poste numbers Corse-du-Sud (2A) 20000-20199 and Haute-Corse (2B) from 20200
(Bastia 20200 and 20600, Biguglia 20620). Overseas: the first three digits, except
Saint-Barthélemy (97133) and Saint-Martin (97150), which La Poste files under Guadeloupe's
971 range but are collectivities of their own (977, 978).
"""

import pytest

from common.places import departement_code, departement_of_postcode, fold, region_code, region_of_departement


@pytest.mark.parametrize(
    "postcode, departement",
    [
        ("20000", "2A"),  # Ajaccio
        ("20090", "2A"),  # Ajaccio (east)
        ("20100", "2A"),  # Sartène
        ("20137", "2A"),  # Porto-Vecchio
        ("20167", "2A"),  # Mezzavia (Ajaccio) and Alata share it
        ("20169", "2A"),  # Bonifacio
        ("20199", "2A"),  # last number of the 2A range
        ("20200", "2B"),  # Bastia
        ("20218", "2B"),  # Ponte-Leccia
        ("20250", "2B"),  # Corte
        ("20260", "2B"),  # Calvi
        ("20290", "2B"),  # Borgo
        ("20600", "2B"),  # Bastia / Furiani
        ("20620", "2B"),  # Biguglia
    ],
)
def test_corsican_postcodes(postcode, departement):
    assert departement_of_postcode(postcode) == departement


@pytest.mark.parametrize(
    "postcode, departement",
    [
        ("97110", "971"),  # Pointe-à-Pitre
        ("97200", "972"),  # Fort-de-France
        ("97300", "973"),  # Cayenne
        ("97400", "974"),  # Saint-Denis (La Réunion)
        ("97500", "975"),  # Saint-Pierre-et-Miquelon
        ("97600", "976"),  # Mamoudzou
        ("97133", "977"),  # Saint-Barthélemy, not Guadeloupe
        ("97150", "978"),  # Saint-Martin, not Guadeloupe
        ("98714", "987"),  # Papeete
        ("98800", "988"),  # Nouméa
        ("98600", "986"),  # Wallis-et-Futuna
    ],
)
def test_overseas_postcodes(postcode, departement):
    assert departement_of_postcode(postcode) == departement


@pytest.mark.parametrize(
    "postcode, departement",
    [("75011", "75"), ("01000", "01"), ("31320", "31"), (" 35 000 ", "35"), ("13001", "13")],
)
def test_mainland_postcodes(postcode, departement):
    assert departement_of_postcode(postcode) == departement


@pytest.mark.parametrize("postcode", [None, "", "7501", "750011", "ABCDE", "98000", "00100"])
def test_not_a_french_departement(postcode):
    # 98000 is Monaco; 00 is no département.
    assert departement_of_postcode(postcode) is None


@pytest.mark.parametrize(
    "departement, region",
    [
        ("2A", "94"),
        ("2B", "94"),
        ("971", "01"),
        ("976", "06"),
        ("75", "11"),
        ("06", "93"),
        ("977", None),
        ("99", None),
        (None, None),
    ],
)
def test_region_of_departement(departement, region):
    assert region_of_departement(departement) == region


@pytest.mark.parametrize(
    "name, code",
    [
        ("Bretagne", "53"),
        ("Région Bretagne", "53"),
        ("la région Occitanie", "76"),
        ("PACA", "93"),
        ("Région Sud", "93"),
        ("Provence-Alpes-Côte d'Azur", "93"),
        ("Île-de-France", "11"),
        ("ILE DE FRANCE", "11"),
        ("Corse", "94"),
        ("La Réunion", "04"),
        ("Centre-Val de Loire", "24"),
        ("Auvergne-Rhône-Alpes", "84"),
        ("Atlantide", None),
        ("", None),
        (None, None),
    ],
)
def test_region_code(name, code):
    assert region_code(name) == code


def test_fold():
    assert fold("  Côte-d'Or  ") == "cote d or"
    assert fold("ŒUVRE Æ") == "oeuvre ae"
    assert fold("Le   GOFF") == "le goff"


@pytest.mark.parametrize(
    "name, code",
    [
        ("Finistère", "29"),
        ("FINISTERE", "29"),
        ("Corse-du-Sud", "2A"),
        ("Haute-Corse", "2B"),
        ("La Réunion", "974"),
        ("Atlantide", None),
        ("", None),
        (None, None),
    ],
)
def test_departement_code_of_a_name(name, code):
    assert departement_code(name) == code
