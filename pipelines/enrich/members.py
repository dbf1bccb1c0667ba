"""Resolve the pôles' members (``member_listings``) to SIREN with the register matcher.

One register query per distinct member (folded name + postcode, kind ``member``), whatever
the number of pôles listing it; the items come from the API crawl or from the SIRENE stock
files (stock mode: the same item shape, built by DuckDB), and :func:`best_match` scores
them the same way (``match.py``). Confidence:

- ``confirmed``: the matcher's best candidate, score >= 0.85 and clear of the runner-up;
- ``possible``: the matcher accepted it (score >= 0.75, clear of the runner-up) but below
  0.85, e.g. the right name with the head office in another département (a member listed
  at a regional site). The SIREN is published with that confidence; ``member_company`` ties
  use ``confirmed`` only;
- ``ambiguous``: two candidates within the margin: no SIREN, an ``ambiguous_match`` issue;
- ``no_match``: no candidate, or none good enough, or the query was not crawled: no SIREN,
  a ``no_match`` (or ``not_crawled``) issue.

Each issue names the member, its pôle and the directory page (``url``: the member's
evidence URL; the API URL asked is in its context).
"""

from __future__ import annotations

import json
from functools import cache

import pandas as pd

from common.issues import WARNING, Issue
from common.paths import REFERENCE_DIR
from pipelines.enrich.match import SOURCE, THRESHOLD, best_match
from pipelines.enrich.register import build_queries, candidates_by_query, member_key

CONFIRMED = 0.85
RESOLVED_COLUMNS = ("siren", "siret", "naf_code", "naf_label", "match_score", "match_confidence", "match_reasons")
_NO_QUERY = pd.DataFrame(columns=["cluster_id", "name"])


@cache
def naf_labels() -> dict[str, str]:
    return json.loads((REFERENCE_DIR / "naf_codes.json").read_text(encoding="utf-8"))


def member_queries(member_listings: pd.DataFrame) -> list[dict]:
    """The register queries the members need (what the crawl's queries hook asks too)."""
    return build_queries(_NO_QUERY, None, member_listings)


def _outcome(query: dict | None, found: dict, threshold: float) -> dict:
    """siren … match_reasons of one member query, plus the matcher's issue (or None)."""
    empty = {c: None for c in RESOLVED_COLUMNS}
    if query is None:  # a name that folds to nothing ("—"): nothing to ask
        return {**empty, "match_confidence": "no_match", "match_reasons": ["no name to search"], "_issue": None}
    key = ("member", query["key"])
    if key not in found:
        return {
            **empty,
            "match_confidence": "no_match",
            "match_reasons": ["no company-register answer in this run"],
            "_issue": ("not_crawled", "has no company-register answer in this run", {}),
        }
    match, issue = best_match(query, found[key], threshold=threshold)
    if match is None:
        confidence = "ambiguous" if issue.code == "ambiguous_match" else "no_match"
        return {
            **empty,
            "match_confidence": confidence,
            "match_reasons": [issue.message],
            "_issue": (issue.code, issue.message.split(": ", 1)[-1], issue.context or {}),
        }
    siege = match.siege or {}
    same_site = bool(query.get("code_postal")) and siege.get("code_postal") == query.get("code_postal")
    return {
        "siren": match.siren,
        # The head office's SIRET when the member is listed at the head office's postcode;
        # another site of the company is not known from the register's answer.
        "siret": siege.get("siret") if same_site else None,
        "naf_code": match.naf_code,
        "naf_label": naf_labels().get(match.naf_code) if match.naf_code else None,
        "match_score": float(min(match.score, 1.0)),
        "match_confidence": "confirmed" if match.score >= CONFIRMED else "possible",
        "match_reasons": list(match.reasons),
        "_issue": None,
    }


def resolve_members(
    member_listings: pd.DataFrame, register_items: pd.DataFrame | list[dict], threshold: float = THRESHOLD
) -> tuple[pd.DataFrame, list[Issue]]:
    """``member_listings`` plus siren, siret, naf_code, naf_label, match_score,
    match_confidence and match_reasons; the issues name each member left without a SIREN."""
    items = register_items.to_dict("records") if isinstance(register_items, pd.DataFrame) else list(register_items)
    found = candidates_by_query(items)
    queries = {q["key"]: q for q in member_queries(member_listings)}
    results, issues = [], []
    for row in member_listings.to_dict("records"):
        query = queries.get(member_key(row.get("organisation"), row.get("postcode")) or "")
        outcome = _outcome(query, found, threshold)
        problem = outcome.pop("_issue")
        if problem is not None:
            issues.append(_member_issue(row, query, *problem))
        results.append(outcome)
    out = member_listings.reset_index(drop=True).copy()
    resolved = pd.DataFrame(results, columns=list(RESOLVED_COLUMNS))
    for col in RESOLVED_COLUMNS:
        values = resolved[col].astype("float64" if col == "match_score" else object)
        out[col] = values if col == "match_score" else values.where(values.notna(), None)
    return out, issues


def _member_issue(row: dict, query: dict | None, code: str, why: str, context: dict) -> Issue:
    return Issue(
        source=SOURCE,
        url=str(row.get("evidence_url") or (query or {}).get("url") or ""),
        field="siren",
        code=code,
        message=f"member '{row.get('organisation')}' of pôle {row.get('cluster_id')}: {why}",
        severity=WARNING,
        value=row.get("organisation"),
        context={
            **context,
            "kind": "member",
            "key": (query or {}).get("key"),
            "cluster_id": row.get("cluster_id"),
            "member_id": row.get("member_id"),
            "api_url": (query or {}).get("url"),
        },
    )
