"""French places (INSEE régions and départements) and countries (ISO 3166-1).

Regions and départements come from the in-repo reference tables in ``reference/``
(INSEE codes, names as INSEE writes them). Countries come from pycountry with
French names from babel, plus a reviewed alias table for historical and
unaccented decree headings (``reference/country_aliases.csv``).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache

from .paths import REFERENCE_DIR

_NOT_ALNUM = re.compile(r"[^0-9a-zA-Z]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 17)  # names and companies repeat: the merge folds each one several times
def fold(text: str) -> str:
    """Lower-case, accents and punctuation folded to spaces: for matching names, never for display."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = _NOT_ALNUM.sub(" ", text).strip().lower()
    return _SPACES.sub(" ", text)


@cache
def regions() -> dict[str, str]:
    """INSEE region code -> name (18 régions)."""
    with (REFERENCE_DIR / "regions.csv").open(encoding="utf-8") as fh:
        return {r["region_code"]: r["name"] for r in csv.DictReader(fh)}


@cache
def departements() -> dict[str, dict]:
    """INSEE département code -> {name, region_code} (region_code empty for COM)."""
    with (REFERENCE_DIR / "departements.csv").open(encoding="utf-8") as fh:
        return {r["departement_code"]: r for r in csv.DictReader(fh)}


# Former names and common short forms seen on public pages.
_REGION_ALIASES = {
    "paca": "93",
    "region sud": "93",
    "sud": "93",
    "provence alpes cote d azur": "93",
    "aura": "84",
    "idf": "11",
    "ile de france": "11",
    "reunion": "04",
    "la reunion": "04",
    "centre": "24",
    "centre val de loire": "24",
    "bfc": "27",
}


@cache
def _region_index() -> dict[str, str]:
    idx = {fold(name): code for code, name in regions().items()}
    idx.update(_REGION_ALIASES)
    return idx


def region_code(name: str | None) -> str | None:
    """INSEE code of a région name (accents, case and 'Région' prefix ignored), or None."""
    if not name:
        return None
    key = fold(name)
    key = re.sub(r"^(region|la region)\s+", "", key)
    if key in _region_index():
        return _region_index()[key]
    return None


# La Poste's postcodes for Corsica: 20000-20199 are Corse-du-Sud (2A: Ajaccio 20000/20090,
# Porto-Vecchio 20137, Mezzavia and Alata share 20167), 20200 and above Haute-Corse (2B:
# Bastia 20200/20600, Corte 20250, Calvi 20260, Biguglia 20620). Source: La Poste, base
# officielle des codes postaux (data.gouv.fr); see tests/test_places.py for the cases pinned.
CORSE_DU_SUD_LAST_POSTCODE = 20199
# Overseas collectivities whose postcodes sit in a DROM's range (La Poste): Saint-Barthélemy
# and Saint-Martin are distributed under Guadeloupe's 971xx but are not Guadeloupe.
OVERSEAS_POSTCODE_EXCEPTIONS = {"97133": "977", "97150": "978"}


def departement_of_postcode(postcode: str | None) -> str | None:
    """Département code of a French postcode: 2A/2B for Corsica, 3 digits overseas."""
    if not postcode:
        return None
    pc = re.sub(r"\s", "", postcode)
    if not re.fullmatch(r"\d{5}", pc):
        return None
    if pc in OVERSEAS_POSTCODE_EXCEPTIONS:
        code = OVERSEAS_POSTCODE_EXCEPTIONS[pc]
    elif pc.startswith("97") or pc.startswith("98"):
        code = pc[:3]
    elif pc.startswith("20"):
        code = "2A" if int(pc) <= CORSE_DU_SUD_LAST_POSTCODE else "2B"
    else:
        code = pc[:2]
    return code if code in departements() else None


def region_of_departement(code: str | None) -> str | None:
    if not code or code not in departements():
        return None
    return departements()[code]["region_code"] or None


@cache
def _departement_index() -> dict[str, str]:
    return {fold(r["name"]): code for code, r in departements().items()}


def departement_code(name: str | None) -> str | None:
    if not name:
        return None
    return _departement_index().get(fold(name))
