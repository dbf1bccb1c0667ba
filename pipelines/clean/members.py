"""Clean member listings: one row per (pôle, organisation) read from the pôles' member directories.

The crawl's items (``raw_pole_members``: ``member`` and ``site`` items) become the
``member_listings`` frame the resolution step (``pipelines.enrich.members.resolve_members``)
takes. The category label is kept as printed and normalised to a small vocabulary; an
organisation listed twice on one site (two sections, two pages) is one row, its blanks filled
from the other listing. Issues: a site with no directory found (warning), a row without an
organisation or pôle (dropped), a postcode or website that is not one (blanked), each naming
the URL and the field.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pandas as pd

from common.issues import WARNING, Issue
from common.places import fold
from pipelines.clean.frames import stable_hash

SOURCE = "pole_members"
COLUMNS = [
    "cluster_id",
    "member_id",
    "organisation",
    "category",
    "category_label",
    "postcode",
    "city",
    "website",
    "evidence_url",
    "directory_form",
]
CATEGORIES = (
    "startup",
    "pme",
    "eti",
    "grand_groupe",
    "laboratoire",
    "formation",
    "collectivite",
    "association",
    "autre",
)
DIRECTORY_FORMS = ("static_list", "paginated", "search_form", "json_endpoint")

# Folded printed label -> category; first match wins (ETI and large companies before SMEs).
_CATEGORY_RULES = [
    ("startup", r"\bstart ?ups?\b|\bjeunes? pousses?\b"),
    (
        "grand_groupe",
        r"\bgrand(e|s|es)? (groupes?|entreprises?|comptes?)\b|\blarge (company|companies|enterprises?|corporates?)\b|\bmultinational|\bge\b",
    ),
    ("eti", r"\beti\b|taille intermediaire|\bmid ?caps?\b|\bmid ?size"),
    ("pme", r"\b(pme|tpe|pmi|smes?|tpe pme|pme pmi)\b|petites? et moyennes?|\bsmall\b|micro entreprises?"),
    ("laboratoire", r"\blabo(ratoires?)?\b|\brecherche\b|\bresearch\b|\blabs?\b|centres? techniques?|\brto\b"),
    (
        "formation",
        r"\bformation\b|enseignement|\becoles?\b|universite|education|universit(y|ies)|\bschools?\b|\blycees?\b|\bcampus\b",
    ),
    (
        "collectivite",
        r"collectivite|local authorit|\bmetropole\b|agglomeration|\bcommunes?\b|\bdepartement\b|\bregion\b|public authorit",
    ),
    (
        "association",
        r"\bassociations?\b|\bfederations?\b|\bsyndicats?\b|\bclusters?\b|\breseaux?\b|\bnetworks?\b|\bclubs?\b",
    ),
    (
        "autre",
        r"\bautres?\b|\bothers?\b|partenaires?|financeurs?|investisseurs?|\bfonds\b|\bbanques?\b|prestataires?|consultants?",
    ),
]
_RULES = [(category, re.compile(pattern)) for category, pattern in _CATEGORY_RULES]


def normalise_category(label: str | None) -> tuple[str | None, bool]:
    """(category, known): None for no label; ``autre`` and known=False for a label no rule reads."""
    folded = fold(label or "")
    if not folded:
        return None, True
    for category, pattern in _RULES:
        if pattern.search(folded):
            return category, True
    return "autre", False


def organisation_key(name: str) -> str:
    """What makes two listings one organisation on a site: the name folded (case, accents, punctuation)."""
    return fold(name)


def member_id(cluster_id: str, organisation: str) -> str:
    return stable_hash(cluster_id, organisation_key(organisation))


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _website(value) -> str | None:
    text = _text(value)
    if not text:
        return None
    parsed = urlparse(text)
    return text if parsed.scheme in ("http", "https") and "." in (parsed.hostname or "") else ""


def _issue(url, field, code, message, value=None, **context) -> Issue:
    return Issue(SOURCE, url or "", field, code, message, WARNING, value, context)


def clean_member_listings(items: pd.DataFrame | list[dict]) -> tuple[pd.DataFrame, list[Issue]]:
    """``member_listings`` from the crawl's items (a frame or a list of dicts)."""
    frame = pd.DataFrame(items) if not isinstance(items, pd.DataFrame) else items
    records = frame.to_dict("records") if len(frame) else []
    issues: list[Issue] = []
    rows: dict[tuple[str, str], dict] = {}
    for item in records:
        kind = _text(item.get("kind"))
        url = _text(item.get("evidence_url")) or _text(item.get("source_url")) or _text(item.get("site_url"))
        cid = _text(item.get("cluster_id"))
        if kind == "site":
            if item.get("status") == "not_found":
                issues.append(
                    _issue(
                        url,
                        "directory",
                        "directory_not_found",
                        f"pôle {cid}: no member directory found on its site",
                        cluster_id=cid,
                    )
                )
            continue
        if kind != "member":
            continue
        name = _text(item.get("organisation"))
        if not name or not cid:
            missing = "organisation" if not name else "cluster_id"
            issues.append(
                _issue(
                    url,
                    missing,
                    "unreadable_row",
                    f"member listing without {missing}: dropped",
                    _text(item.get("evidence_text")),
                    cluster_id=cid,
                )
            )
            continue
        form = _text(item.get("directory_form"))
        if form not in DIRECTORY_FORMS:
            issues.append(
                _issue(
                    url,
                    "directory_form",
                    "unknown_value",
                    f"{name}: directory form {form!r} unknown: dropped",
                    form,
                    cluster_id=cid,
                )
            )
            continue
        label = _text(item.get("category_label"))
        category, known = normalise_category(label)
        if not known:
            issues.append(
                _issue(
                    url,
                    "category_label",
                    "unknown_value",
                    f"{name}: category {label!r} read as 'autre'",
                    label,
                    cluster_id=cid,
                )
            )
        postcode = _text(item.get("postcode"))
        if postcode and not re.fullmatch(r"\d{5}", postcode):
            issues.append(
                _issue(
                    url,
                    "postcode",
                    "invalid_value",
                    f"{name}: postcode {postcode!r} is not 5 digits: left blank",
                    postcode,
                    cluster_id=cid,
                )
            )
            postcode = None
        website = _website(item.get("website"))
        if website == "":
            issues.append(
                _issue(
                    url,
                    "website",
                    "invalid_value",
                    f"{name}: website {item.get('website')!r} is not a web address: left blank",
                    _text(item.get("website")),
                    cluster_id=cid,
                )
            )
            website = None
        row = {
            "cluster_id": cid,
            "member_id": member_id(cid, name),
            "organisation": name,
            "category": category,
            "category_label": label,
            "postcode": postcode,
            "city": _text(item.get("city")),
            "website": website,
            "evidence_url": url,
            "directory_form": form,
        }
        key = (cid, organisation_key(name))
        if key in rows:  # listed twice on the site: one row, blanks filled from the other listing
            first = rows[key]
            for column, value in row.items():
                if first[column] is None and value is not None:
                    first[column] = value
        else:
            rows[key] = row
    out = pd.DataFrame(list(rows.values()), columns=COLUMNS)
    out = out.sort_values(["cluster_id", "organisation"], key=lambda s: s.map(fold)).reset_index(drop=True)
    for column in COLUMNS:
        out[column] = out[column].astype("string")
    return out, issues
