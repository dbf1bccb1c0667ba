"""What a printed role, heading or name means: role kinds, governing bodies, person names.

Pure functions over strings. Roles are matched on folded text (``common.places.fold``: lower
case, accents and punctuation gone), so "Présidente", "Vice-président·e", "Trésorière" and
"Directrice générale" fall under the same patterns as their masculine forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from common.places import fold as _fold

# Pages repeat the same strings (roles, headings, names) thousands of times in a crawl.
fold = lru_cache(maxsize=65536)(_fold)

ROLE_KINDS = (
    "president",
    "vice_president",
    "treasurer",
    "secretary",
    "board_member",
    "director",
    "international",
    "staff",
    "other",
)
BODIES = ("bureau", "board", "executive", "team")

# First match wins: "vice-président" before "président", "directrice internationale" is the
# international contact before it is a director, "secrétaire général" of a bureau is its secretary.
_ROLE_PATTERNS = [
    ("vice_president", r"\bvice (pr[eé]sident|chair|president)|\bvp\b"),
    ("president", r"\bpresident|\bchair(man|woman|person)?\b|\bco president"),
    ("treasurer", r"\btresori|\btreasurer\b"),
    ("secretary", r"\bsecretaire\b|\bsecretary\b"),
    ("international", r"\binternationa|\bexport\b|\beurope(en|enne|an)?\b|\bglobal partnerships\b"),
    (
        "director",
        r"\bdirect(eur|rice|or)\b|\bdelegue?e? general|\bgeneral delegate\b|\bceo\b|\bchief executive\b|\bmanaging director\b"
        r"|\bgeneral manager\b|\bexecutive director\b|\bhead of (the )?cluster\b",
    ),
    (
        "board_member",
        r"\badministrat(eur|rice)s?\b|\bmembre (du|de l) (conseil|bureau|ca)\b|\bboard member\b"
        r"|\bmember of the board\b|\bcensor|\bcenseur|\bmembre elu|\bmembre de droit\b|\bmembre\b",
    ),
    (
        "staff",
        r"\bcharge(e)? (de|d)\b|\bchef(fe)? de projet|\bresponsable\b|\bassistant|\bmanager\b|\bcoordinat"
        r"|\banimat(eur|rice)|\bcommunication\b|\bofficer\b|\bconsultant|\bingenieure?\b|\bengineer\b"
        r"|\bbusiness develop|\bdeveloppe(ur|use)|\bcomptable\b|\bjuriste\b|\bgestionnaire\b|\bhead of\b"
        r"|\bproject\b|\bconseill(er|ere)\b|\bexpert\b|\bstagiaire\b|\balternant",
    ),
]
_ROLE_RES = [(kind, re.compile(p)) for kind, p in _ROLE_PATTERNS]


@lru_cache(maxsize=65536)
def role_kind(role: str | None) -> str | None:
    """The kind of a printed role; None when nothing in it reads as a role."""
    folded = fold(role or "")
    for kind, rx in _ROLE_RES:
        if rx.search(folded):
            return kind
    return None


@lru_cache(maxsize=65536)
def looks_like_role(text: str | None) -> bool:
    return role_kind(text) is not None and len(text or "") <= 90


_BODY_PATTERNS = [
    ("bureau", r"\bbureau\b|\bexecutive board\b|\bofficers\b"),
    (
        "executive",
        r"\bdirection\b|\bcomite (de direction|executif)|\bcodir\b|\bmanagement\b|\bexecutive (team|committee)\b"
        r"|\bleadership\b",
    ),
    # "Gouvernance", "Instances" name the whole governance, not one body: the role decides.
    ("board", r"\bconseil d administration\b|\badministrateurs\b|\bboard\b|\bconseil\b|\bcollege"),
    (
        "team",
        r"\bequipe\b|\bteam\b|\bpermanents\b|\bstaff\b|\bcollaborat|\bsalaries\b|\bcontacts?\b|\bexperts\b"
        r"|\btrombinoscope\b|\binternational\b",
    ),
]
_BODY_RES = [(body, re.compile(p)) for body, p in _BODY_PATTERNS]
_DEFAULT_BODY = {
    "president": "bureau",
    "vice_president": "bureau",
    "treasurer": "bureau",
    "secretary": "bureau",
    "board_member": "board",
    "director": "executive",
    "international": "team",
    "staff": "team",
    "other": "board",
}


@lru_cache(maxsize=4096)
def body_of_heading(heading: str | None) -> str | None:
    folded = fold(heading or "")
    for body, rx in _BODY_RES:
        if rx.search(folded):
            return body
    return None


def default_body(kind: str) -> str:
    return _DEFAULT_BODY[kind]


# --- person names -------------------------------------------------------------------------

PARTICLES = {
    "de",
    "du",
    "des",
    "d",
    "le",
    "la",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "ben",
    "el",
    "al",
    "del",
    "della",
    "dos",
    "das",
    "y",
    "bin",
    "ter",
    "st",
}
# Words that make a capitalised phrase an organisation, a heading or a place, not a person.
NOT_NAME_WORDS = {
    "conseil",
    "bureau",
    "administration",
    "president",
    "presidente",
    "vice",
    "tresorier",
    "tresoriere",
    "secretaire",
    "directeur",
    "directrice",
    "membre",
    "membres",
    "equipe",
    "team",
    "board",
    "pole",
    "poles",
    "association",
    "cluster",
    "contact",
    "contacts",
    "actualites",
    "actualite",
    "news",
    "mentions",
    "legales",
    "accueil",
    "home",
    "france",
    "region",
    "regional",
    "regionale",
    "europe",
    "european",
    "international",
    "internationale",
    "sas",
    "sa",
    "sarl",
    "sasu",
    "gie",
    "gip",
    "inc",
    "ltd",
    "gmbh",
    "group",
    "groupe",
    "universite",
    "university",
    "ecole",
    "institut",
    "institute",
    "laboratoire",
    "centre",
    "center",
    "agence",
    "banque",
    "bank",
    "caisse",
    "credit",
    "societe",
    "company",
    "industries",
    "industrie",
    "technologies",
    "technology",
    "solutions",
    "systems",
    "systemes",
    "services",
    "energie",
    "energies",
    "conseil",
    "export",
    "logistique",
    "sante",
    "mecanique",
    "innovation",
    "innovations",
    "competitivite",
    "gouvernance",
    "organisation",
    "instances",
    "nous",
    "qui",
    "sommes",
    "publication",
    "hebergeur",
    "credits",
    "photo",
    "photos",
    "copyright",
    "droits",
    "reserves",
    "politique",
    "confidentialite",
    "cookies",
    "plan",
    "site",
    "newsletter",
    "lire",
    "suite",
    "voir",
    "plus",
    "evenement",
    "evenements",
    "agenda",
    "projets",
    "projet",
    "adherents",
    "adherer",
    "rejoindre",
    "cci",
    "cnrs",
    "inrae",
    "cea",
    "inria",
    "inserm",
    "bpifrance",
    "metropole",
    "departement",
    "ville",
    "campus",
    "fondation",
    "federation",
    "syndicat",
    "chambre",
    "commerce",
    "executive",
    "director",
    "manager",
    "officer",
    "chair",
    "vacant",
    "vacante",
    "pourvoir",
    "the",
    "and",
    "et",
    "les",
    "aux",
    "pour",
    "sur",
    "avec",
    "dans",
    "par",
    "electronics",
    "aerospace",
    "digital",
    "numerique",
    "capital",
    "partners",
    "consulting",
    "holding",
    "chimie",
    "materials",
    "materiaux",
    "biotech",
    "pharma",
    "foods",
    "agro",
    "automotive",
    "mobility",
    "valley",
}
_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)*"  # Jean, Jean-Marc, Duval-Roche
_CAPS = r"[A-ZÀ-ÖØ-Þ]{2,}(?:[-'’][A-ZÀ-ÖØ-Þ]{2,})*"  # DUPONT, LE-GOFF
_INITIAL = r"[A-ZÀ-ÖØ-Þ]\.(?:-?[A-ZÀ-ÖØ-Þ]\.)?"  # J., J.-M.
_TOKEN_RE = re.compile(
    rf"^(?:{_WORD}|{_CAPS}|{_INITIAL}|[dDlLO][’']{_WORD}|[dDlLO][’']{_CAPS})$"
)  # d'Estaing, O'Connell
_TITLE = re.compile(r"^(M\.|Mme|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me)\s+")
_INITIAL_RE = re.compile(_INITIAL)
_VACANT = re.compile(r"\b(vacant|vacante|a pourvoir|poste ouvert|en cours de (nomination|designation)|tbd|n n)\b")


@lru_cache(maxsize=65536)
def is_vacant(text: str | None) -> bool:
    folded = fold(text or "")
    return not folded or bool(_VACANT.search(folded)) or folded in {"x", "nn", "n"}


@lru_cache(maxsize=65536)
def is_person_name(text: str | None) -> bool:
    """A person's name as sites print it: 2-6 capitalised words (particles allowed), no digits,
    no word of an organisation, heading or page furniture."""
    text = (text or "").strip().strip(",;:–—-").strip()
    if not text or len(text) > 60 or any(c.isdigit() for c in text) or "@" in text or is_vacant(text):
        return False
    # "M. Jean Dupont", "Mme Marie Curie", "Dr Anne Martin": the title is not part of the name.
    text = _TITLE.sub("", text)
    tokens = text.split()
    # "Yann Le Du": the last word is the family name even when it reads like a particle.
    names = [t for i, t in enumerate(tokens) if fold(t) not in PARTICLES or i == len(tokens) - 1]
    if not 2 <= len(tokens) <= 6 or len(names) < 2:
        return False
    if any(fold(t) in NOT_NAME_WORDS for t in tokens):
        return False
    if not all(_TOKEN_RE.match(t) for t in names):
        return False
    # Initials only ("J. D.") is not enough to name anyone.
    return any(not _INITIAL_RE.fullmatch(t) for t in names)


def strip_title(name: str) -> str:
    return _TITLE.sub("", name.strip()).strip(" ,;:–—-")
