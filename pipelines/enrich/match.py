"""Which register entry is a query's organisation: an explicit, tested scoring rule.

``score_candidate(query, candidate)`` adds weighted parts, each in [0, 1]:

=============  ======  ===============================================================
part           weight  value
=============  ======  ===============================================================
name           0.60    best rapidfuzz ``token_set_ratio`` / 100 between the query's
                       folded names (name, short name) and the candidate's (nom_complet,
                       nom_raison_sociale, sigle), generic words removed ("association",
                       "pole", "de", …). A short name only counts when equal to the sigle.
                       Companies and members: x 0.9 unless both names hold the same words
                       (an exact name beats a look-alike that adds or drops a word, which
                       token_set_ratio alone scores 100 too).
place          0.25    head-office postcode = query postcode, or same commune name: 1.0;
                       same département: 0.6; same région: 0.3; elsewhere: 0.0.
                       Query without a place (advisor companies): 0.5 for everyone.
legal form     0.15    clusters: association (nature_juridique 92xx) 1.0, other 0.3;
                       companies and members: 1.0, but 0.3 when the name states a legal
                       form (SA, SAS, SASU, SARL, EURL) the nature juridique contradicts.
=============  ======  ===============================================================

A candidate whose legal unit has ceased (etat_administratif "C") scores 0.

``best_match`` keeps the best candidate when its score >= ``threshold`` (0.75) and the
runner-up is more than ``margin`` (0.05) behind; otherwise it returns None and an Issue
(``no_match`` or ``ambiguous_match``): never a forced guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz

from common.issues import WARNING, Issue
from common.places import departement_of_postcode, fold, region_of_departement

SOURCE = "company_register"
THRESHOLD = 0.75
MARGIN = 0.05
WEIGHTS = {"name": 0.60, "place": 0.25, "legal_form": 0.15}

_GENERIC = {
    "association",
    "asso",
    "pole",
    "poles",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "competitivite",
    "the",
    "of",
    "for",
    "sa",
    "sas",
    "sarl",
    "ex",
}


# Legal forms a company name may state -> the natures juridiques (INSEE, prefixes) they mean.
LEGAL_FORMS = {"sa": ("55", "56"), "sas": ("5710",), "sasu": ("5720",), "sarl": ("54",), "eurl": ("54",)}
LOOK_ALIKE = 0.9  # name factor when the words differ (companies and members)


def _name_key(text: str | None) -> str:
    return " ".join(w for w in fold(text or "").split() if w not in _GENERIC)


def name_score(query: dict, cand: dict) -> float:
    qnames = [_name_key(query.get("name") or query.get("q"))]
    cnames = [_name_key(cand.get("nom_complet")), _name_key(cand.get("nom_raison_sociale"))]
    exact_only = query.get("kind") != "cluster"
    best = max(
        (
            fuzz.token_set_ratio(a, b) * (LOOK_ALIKE if exact_only and set(a.split()) != set(b.split()) else 1.0)
            for a in qnames
            for b in cnames
            if a and b
        ),
        default=0.0,
    )
    short, sigle = _name_key(query.get("short_name")), _name_key(cand.get("sigle"))
    if short and sigle and short.replace(" ", "") == sigle.replace(" ", ""):
        best = max(best, 100.0)
    return best / 100.0


def place_score(query: dict, siege: dict) -> tuple[float, str]:
    pc, city = query.get("code_postal"), query.get("city")
    dep = query.get("departement") or departement_of_postcode(pc)
    region = query.get("region_code") or region_of_departement(dep)
    if not (pc or city or dep or region):
        return 0.5, "no place in query"
    if pc and siege.get("code_postal") == pc:
        return 1.0, f"same postcode {pc}"
    if city and siege.get("libelle_commune") and _same_commune(city, siege["libelle_commune"]):
        return 1.0, f"same commune {siege['libelle_commune']}"
    if dep and siege.get("departement") == dep:
        return 0.6, f"same département {dep}"
    if region and siege.get("region") == region:
        return 0.3, f"same région {region}"
    return 0.0, f"head office elsewhere ({siege.get('code_postal')} {siege.get('libelle_commune')})"


def _same_commune(a: str, b: str) -> bool:
    # "Auzeville-Tolosane (Toulouse)" is the commune before the bracket.
    a = fold(a.split("(")[0])
    b = fold(b)
    return bool(a) and (a == b or a.replace("saint", "st") == b.replace("saint", "st"))


def legal_form_score(query: dict, cand: dict) -> tuple[float, str]:
    nj = str(cand.get("nature_juridique") or "")
    if query.get("kind") != "cluster":
        stated = [w for w in fold(query.get("name") or query.get("q") or "").split() if w in LEGAL_FORMS]
        if stated and nj and not any(nj.startswith(p) for w in stated for p in LEGAL_FORMS[w]):
            return 0.3, f"legal form {nj} is not the {stated[-1].upper()} the name states"
        return 1.0, f"legal form {nj or '?'}" + (f" ({stated[-1].upper()} as the name states)" if stated else "")
    if nj.startswith("92"):
        return 1.0, f"association ({nj})"
    return 0.3, f"not an association ({nj or '?'})"


def score_candidate(query: dict, cand: dict) -> tuple[float, list[str]]:
    if cand.get("etat_administratif") == "C":
        return 0.0, ["legal unit ceased (etat_administratif C)"]
    siege = cand.get("siege") or {}
    n = name_score(query, cand)
    p, p_why = place_score(query, siege)
    lf, lf_why = legal_form_score(query, cand)
    score = WEIGHTS["name"] * n + WEIGHTS["place"] * p + WEIGHTS["legal_form"] * lf
    reasons = [f"name similarity {n:.2f}", p_why, lf_why]
    return round(score, 4), reasons


@dataclass
class Match:
    siren: str
    score: float
    reasons: list[str]
    name: str | None
    naf_code: str | None
    naf_section: str | None
    nature_juridique: str | None
    siege: dict = field(default_factory=dict)
    source_url: str | None = None


def best_match(
    query: dict, candidates: list[dict], threshold: float = THRESHOLD, margin: float = MARGIN, url: str = ""
) -> tuple[Match | None, Issue | None]:
    """The candidate that is clearly the query's organisation, or None with the Issue saying why."""
    url = url or query.get("url", "")
    scored = {}
    for cand in candidates:  # the same SIREN may come back on two pages: keep one
        s, why = score_candidate(query, cand)
        if cand["siren"] not in scored or s > scored[cand["siren"]][0]:
            scored[cand["siren"]] = (s, why, cand)
    ranked = sorted(scored.values(), key=lambda t: (-t[0], t[2]["siren"]))
    label = f"{query.get('kind')} '{query.get('key')}'"
    if not ranked:
        return None, _issue(url, "no_match", f"{label}: the register returned no candidate", query)
    top_score, why, top = ranked[0]
    if top_score < threshold:
        return None, _issue(
            url,
            "no_match",
            f"{label}: best candidate {top['siren']} scored {top_score:.2f} < {threshold}",
            query,
            {"candidates": [(s, c["siren"]) for s, _, c in ranked[:3]]},
        )
    if len(ranked) > 1 and top_score - ranked[1][0] <= margin:
        return None, _issue(
            url,
            "ambiguous_match",
            f"{label}: {top['siren']} ({top_score:.2f}) and {ranked[1][2]['siren']} "
            f"({ranked[1][0]:.2f}) are within {margin}",
            query,
            {"candidates": [(s, c["siren"]) for s, _, c in ranked[:3]]},
        )
    return Match(
        siren=top["siren"],
        score=top_score,
        reasons=why,
        name=top.get("nom_complet"),
        naf_code=top.get("activite_principale"),
        naf_section=top.get("section_activite_principale"),
        nature_juridique=top.get("nature_juridique"),
        siege=dict(top.get("siege") or {}),
        source_url=top.get("source_url") or url,
    ), None


def _issue(url, code, message, query, context=None) -> Issue:
    return Issue(
        source=SOURCE,
        url=url,
        field="siren",
        code=code,
        message=message,
        severity=WARNING,
        value=query.get("q"),
        context={"kind": query.get("kind"), "key": query.get("key"), **(context or {})},
    )
