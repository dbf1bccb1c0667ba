"""Country names and decree headings -> ISO 3166-1 alpha-2.

Names come from pycountry (English names) and babel (French names, CLDR), matched
on folded text (:func:`common.places.fold`), plus the reviewed alias table
``reference/country_aliases.csv`` for historical, unaccented and decree forms
("COREE", "GRANDE-BRETAGNE", "ETATS-UNIS D'AMERIQUE"…). Aliases win over CLDR names,
so a reviewed reading is never overridden by a library upgrade.
"""

from __future__ import annotations

import csv
import re
from functools import cache

import pycountry
from babel import Locale

from .paths import REFERENCE_DIR
from .places import fold

# Words a heading may carry before the country name: "Section Allemagne". ("Pays" is
# not one of them: it starts "Pays-Bas".)
_PREFIX = re.compile(r"^(?:section|comite)\s+")
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*")
_ARTICLE = re.compile(r"^(?:la|le|les|l)\s+")


@cache
def _aliases() -> dict[str, str]:
    with (REFERENCE_DIR / "country_aliases.csv").open(encoding="utf-8") as fh:
        return {fold(r["alias"]): r["iso2"].strip().upper() for r in csv.DictReader(fh)}


@cache
def _index() -> dict[str, str]:
    iso2 = {c.alpha_2 for c in pycountry.countries}
    idx: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if name:
                idx.setdefault(fold(name), c.alpha_2)
    # French names overwrite English ones where both fold alike (French headings).
    for code, name in Locale("fr").territories.items():
        if code in iso2:
            idx[fold(name)] = code
    idx.update(_aliases())
    return idx


def country_code(name_or_heading: str | None) -> str | None:
    """ISO 3166-1 alpha-2 of a country name or decree heading, or None if unknown.

    Case, accents, hyphens, apostrophes, a leading "Section"/"Pays" and a leading
    article are ignored. Never guesses: an unknown name gives None.
    """
    if not name_or_heading:
        return None
    idx = _index()
    # "Birmanie (Myanmar)": the name outside the brackets, then the one inside.
    outside = _PAREN.sub(" ", name_or_heading)
    inside = _PAREN.findall(name_or_heading)
    for candidate in (name_or_heading, outside, *inside):
        key = _PREFIX.sub("", fold(candidate))
        for k in (key, _ARTICLE.sub("", key)):
            if k in idx:
                return idx[k]
    return None
