"""Enrich clusters and advisors from the company register (recherche-entreprises API items).

Pure functions over DataFrames. The register items are the company-register crawl's
items (one per query page); the queries are rebuilt from the tables with
:func:`spiders.company_register.queries.build_queries`, so a stale items file (a query
the table no longer asks) is ignored, and a query never crawled is reported.
"""

from __future__ import annotations

import pandas as pd

from common.issues import WARNING, Issue
from common.places import departement_of_postcode, fold
from pipelines.enrich.match import SOURCE, THRESHOLD, best_match
from spiders.company_register.queries import build_queries, member_key  # noqa: F401 (members.py)

CLUSTER_COLUMNS = ("siren", "siren_match_score", "naf_code", "latitude", "longitude")


def candidates_by_query(register_items: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """All candidates of every page of each query, each tagged with its page's URL."""
    out: dict[tuple[str, str], list[dict]] = {}
    for item in sorted(register_items, key=lambda i: (i.get("kind") or "", i.get("key") or "", i.get("page") or 0)):
        key = (item.get("kind"), item.get("key"))
        bucket = out.setdefault(key, [])
        for cand in item.get("candidates", []):
            bucket.append({**cand, "source_url": item["source_url"]})
    return out


def _not_crawled(query: dict) -> Issue:
    return Issue(
        source=SOURCE,
        url=query["url"],
        field="siren",
        code="not_crawled",
        message=f"{query['kind']} '{query['key']}' has no company-register answer in this run",
        severity=WARNING,
        value=query["q"],
        context={"kind": query["kind"], "key": query["key"]},
    )


def _match_all(queries: list[dict], register_items: list[dict], threshold: float):
    found = candidates_by_query(register_items)
    matches, issues = {}, []
    for q in queries:
        key = (q["kind"], q["key"])
        if key not in found:
            issues.append(_not_crawled(q))
            continue
        match, issue = best_match(q, found[key], threshold=threshold)
        if issue is not None:
            issues.append(issue)
        if match is not None:
            matches[q["key"]] = match
    return matches, issues


def enrich_clusters(
    clusters: pd.DataFrame, register_items: list[dict], threshold: float = THRESHOLD
) -> tuple[pd.DataFrame, list[Issue]]:
    """Fill siren, siren_match_score, naf_code, latitude, longitude (and a missing
    departement_code) from each pôle's register match; unmatched pôles keep nulls."""
    queries = build_queries(clusters)
    matches, issues = _match_all(queries, register_items, threshold)
    out = clusters.copy()
    for col in CLUSTER_COLUMNS + ("departement_code",):
        if col not in out.columns:
            out[col] = None
    rows = []
    for row in out.to_dict("records"):
        m = matches.get(row["cluster_id"])
        if m is not None:
            row["siren"] = m.siren
            row["siren_match_score"] = float(min(m.score, 1.0))
            row["naf_code"] = m.naf_code
            row["latitude"] = m.siege.get("latitude")
            row["longitude"] = m.siege.get("longitude")
        if _empty(row.get("departement_code")):
            # The directory's postcode first; the register's head office only when it matched.
            row["departement_code"] = departement_of_postcode(row.get("postcode")) or (m and m.siege.get("departement"))
        rows.append(row)
    result = pd.DataFrame(rows, columns=out.columns)
    result["siren_match_score"] = result["siren_match_score"].astype("float64")
    result["latitude"] = result["latitude"].astype("float64")
    result["longitude"] = result["longitude"].astype("float64")
    for col in ("siren", "naf_code", "departement_code"):
        result[col] = result[col].astype(object).where(result[col].notna(), None)
    return result, issues


def company_matches(advisors: pd.DataFrame, register_items: list[dict], threshold: float = THRESHOLD):
    """The register match of each advisor's company (folded name -> Match), and the matcher's
    issues: one matching that :func:`enrich_advisors` and :func:`advisor_company_matches` share."""
    empty_clusters = pd.DataFrame(columns=["cluster_id", "name"])
    return _match_all(build_queries(empty_clusters, advisors), register_items, threshold)


def enrich_advisors(
    advisors: pd.DataFrame, register_items: list[dict], threshold: float = THRESHOLD, matches: dict | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """Fill naf_section by company (folded name); ambiguous or unknown companies stay null.
    ``matches``: :func:`company_matches` already run (its issues are then the caller's)."""
    issues = []
    if matches is None:
        matches, issues = company_matches(advisors, register_items, threshold)
    out = advisors.copy()
    sections = [
        (matches[fold(c)].naf_section if isinstance(c, str) and fold(c) in matches else None)
        for c in out.get("company", pd.Series([None] * len(out), index=out.index))
    ]
    if "naf_section" in out.columns:
        existing = out["naf_section"].tolist()
        sections = [s if s is not None else (e if not _empty(e) else None) for s, e in zip(sections, existing)]
    out["naf_section"] = pd.Series(sections, index=out.index, dtype=object)
    return out, issues


def _empty(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v == "" or v is pd.NA


def advisor_company_matches(advisors: pd.DataFrame, register_items: list[dict], matches: dict | None = None) -> dict:
    """advisor_id -> the register match (:class:`pipelines.enrich.match.Match`: siren, score) of
    the advisor's company, where the register matched it above the threshold and clear of the
    runner-up (the matcher never forces one). ``matches``: :func:`company_matches` already run."""
    if matches is None:
        matches, _ = company_matches(advisors, register_items)  # its issues are the advisors step's
    out = {}
    for advisor, company in zip(advisors["advisor_id"], advisors["company"]):
        m = matches.get(fold(company)) if isinstance(company, str) else None
        if m is not None and m.siren:
            out[advisor] = m
    return out
