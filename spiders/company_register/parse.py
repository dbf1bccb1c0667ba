"""Parse one /search answer of the company-search API into one item per query page.

Item: the query (as asked), the page counters, and the candidates with the fields the
matcher and enrichment use. Fields of the answer not listed in ``_CANDIDATE_FIELDS`` or
``_SIEGE_FIELDS`` are deliberately ignored (dirigeants, finances, complements, …).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Iterator

from common.issues import ERROR, WARNING, Issue, missing
from common.paths import REFERENCE_DIR

SOURCE = "company_register"

_CANDIDATE_FIELDS = (
    "nom_complet",
    "nom_raison_sociale",
    "sigle",
    "nature_juridique",
    "activite_principale",
    "section_activite_principale",
    "etat_administratif",
    "nombre_etablissements",
)
_SIEGE_FIELDS = (
    "siret",
    "adresse",
    "code_postal",
    "commune",
    "libelle_commune",
    "departement",
    "region",
    "activite_principale",
    "est_siege",
    "etat_administratif",
)
_PAGE_FIELDS = {"results": list, "total_results": int, "page": int, "total_pages": int}


@cache
def _labels(name: str) -> frozenset[str]:
    # Reference tables are part of the code (like common.places), not run-time input.
    return frozenset(json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8")))


def _issue(url, field, code, message, value=None, severity=ERROR) -> Issue:
    return Issue(
        source=SOURCE,
        url=url,
        field=field,
        code=code,
        message=message,
        severity=severity,
        value=None if value is None else str(value),
    )


def _coord(value, url, field, low, high, issues) -> float | None:
    # The API gives coordinates as strings ("48.8566"); null or "" when not geocoded.
    if value in (None, ""):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        f = None
    if f is None or not low <= f <= high:
        issues.append(_issue(url, field, "bad_value", "not a coordinate", value, WARNING))
        return None
    return f


def parse_candidate(raw, url: str, index: int) -> tuple[dict | None, list[Issue]]:
    where = f"results[{index}]"
    if not isinstance(raw, dict):
        return None, [_issue(url, where, "parse_error", f"expected an object, got {type(raw).__name__}")]
    siren = raw.get("siren")
    if not isinstance(siren, str) or not siren.isdigit() or len(siren) != 9:
        return None, [missing(SOURCE, url, f"{where}.siren", "no 9-digit SIREN")]
    siege = raw.get("siege")
    if not isinstance(siege, dict):
        return None, [missing(SOURCE, url, f"{where}.siege", "no head-office object")]
    issues: list[Issue] = []
    cand = {"siren": siren}
    for f in _CANDIDATE_FIELDS:
        cand[f] = raw.get(f)
    if not cand["nom_complet"] and not cand["nom_raison_sociale"]:
        return None, [missing(SOURCE, url, f"{where}.nom_complet", "no name")]
    cand["siege"] = {f: siege.get(f) for f in _SIEGE_FIELDS}
    cand["siege"]["latitude"] = _coord(siege.get("latitude"), url, f"{where}.siege.latitude", -90, 90, issues)
    cand["siege"]["longitude"] = _coord(siege.get("longitude"), url, f"{where}.siege.longitude", -180, 180, issues)
    checks = (
        ("nature_juridique", "natures_juridiques.json"),
        ("activite_principale", "naf_codes.json"),
        ("section_activite_principale", "naf_sections.json"),
    )
    for f, table in checks:
        value = cand[f]
        if value is not None and value not in _labels(table):
            issues.append(_issue(url, f"{where}.{f}", "unknown_value", f"not in reference/{table}", value, WARNING))
    return cand, issues


def parse_search(text: str | bytes, url: str, query: dict) -> Iterator[dict | Issue]:
    """Yield one item for the page (query, counters, candidates) and its issues."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        yield _issue(url, "body", "parse_error", f"not JSON: {exc}")
        return
    if not isinstance(data, dict):
        yield _issue(url, "body", "parse_error", f"expected a JSON object, got {type(data).__name__}")
        return
    for f, typ in _PAGE_FIELDS.items():
        value = data.get(f)
        if value is None:
            yield missing(SOURCE, url, f, "not in the API answer")
            return
        if not isinstance(value, typ) or isinstance(value, bool):
            yield _issue(url, f, "parse_error", f"expected {typ.__name__}, got {type(value).__name__}")
            return
    candidates = []
    for i, raw in enumerate(data["results"]):
        cand, issues = parse_candidate(raw, url, i)
        yield from issues
        if cand is not None:
            candidates.append(cand)
    yield {
        "source_url": url,
        "kind": query.get("kind"),
        "key": query.get("key"),
        "query": query,
        "page": data["page"],
        "total_pages": data["total_pages"],
        "total_results": data["total_results"],
        "candidates": candidates,
    }


def parse_response(response, query: dict) -> Iterator[dict | Issue]:
    return parse_search(response.body, response.url, query)
