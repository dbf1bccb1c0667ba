"""What to ask the company-search API: one query per pôle, one per advisor company.

Decisions (see also match.py):
- ``q`` is the pôle's ``name`` as the directory writes it. The API's full-text search
  covers the dénomination and the sigle; the short name alone ("TES", "AV", "PMT") is
  too short to search on, so the matcher uses it for scoring instead.
- Clusters are filtered on ``departement`` (from the postcode), not ``code_postal``:
  the API's postcode filter is exact on établissements, and a pôle's directory address
  and its registered head office often differ by commune (Toulouse / Auzeville-Tolosane).
  The exact postcode stays in the query (``code_postal``) for the matcher to score.
- No legal-form filter (``nature_juridique`` / ``est_association`` exist in the spec):
  a pôle carried by a GIP or a company would vanish from the answer; legal form is
  scored by the matcher instead.
- Advisor companies: ``q`` only; ``key`` is the folded company name.
- Pôle members (``member_listings``): ``q`` is the organisation as printed, filtered on the
  département of its postcode when it has one (the listed address is often an établissement,
  and the API's département filter matches établissements); ``key`` is the folded name and the
  postcode (``"<folded name>|<postcode>"``, ``"<folded name>|"`` without one): the lookup
  cache's key, so a member that changes name or postcode is asked again. One query per key,
  whatever the number of pôles listing it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import quote, urlencode

from common.places import departement_of_postcode, fold

API = "https://recherche-entreprises.api.gouv.fr"
PER_PAGE = 10
MAX_PAGES = 3  # pages followed per query; a name search answering beyond 30 hits is too vague


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = str(value).strip()
    return value or None


def search_url(query: dict, page: int = 1) -> str:
    """The exact URL requested for ``query`` (the snapshot's replay key)."""
    params = [("q", query["q"])]
    if query.get("departement"):
        params.append(("departement", query["departement"]))
    params += [("page", str(page)), ("per_page", str(PER_PAGE))]
    return f"{API}/search?{urlencode(params, quote_via=quote)}"


def member_key(name, postcode) -> str | None:
    """The member query's key: folded name and postcode; None for a name that folds to nothing."""
    folded = fold(_text(name) or "")
    return f"{folded}|{_text(postcode) or ''}" if folded else None


def build_queries(clusters, advisors=None, members=None) -> list[dict]:
    """Queries for every cluster, every distinct advisor company and every distinct member
    (folded name + postcode), sorted by (kind, key).

    ``clusters`` needs cluster_id and name; short_name, postcode, city, departement_code
    and region_code are used when present. ``advisors`` needs a ``company`` column;
    ``members`` (the clean ``member_listings``) ``organisation``, ``postcode`` and ``city``."""
    out: dict[tuple[str, str], dict] = {}
    for row in clusters.to_dict("records"):
        name = _text(row.get("name"))
        key = _text(row.get("cluster_id"))
        if not name or not key:
            continue
        postcode = _text(row.get("postcode"))
        dep = _text(row.get("departement_code")) or departement_of_postcode(postcode)
        q = {
            "kind": "cluster",
            "key": key,
            "q": name,
            "name": name,
            "short_name": _text(row.get("short_name")),
            "code_postal": postcode,
            "city": _text(row.get("city")),
            "departement": dep,
            "region_code": _text(row.get("region_code")),
        }
        q["url"] = search_url(q)
        out[("cluster", key)] = q
    if advisors is not None and "company" in advisors.columns:
        for company in advisors["company"].tolist():
            company = _text(company)
            if not company or not fold(company):
                continue
            key = fold(company)
            if ("company", key) in out:
                continue
            q = {"kind": "company", "key": key, "q": company, "name": company}
            q["url"] = search_url(q)
            out[("company", key)] = q
    if members is not None and len(members):
        for row in members.to_dict("records"):
            name, postcode = _text(row.get("organisation")), _text(row.get("postcode"))
            key = member_key(name, postcode)
            if key is None or ("member", key) in out:
                continue
            q = {
                "kind": "member",
                "key": key,
                "q": name,
                "name": name,
                "code_postal": postcode,
                "city": _text(row.get("city")),
                "departement": departement_of_postcode(postcode),
            }
            q["url"] = search_url(q)
            out[("member", key)] = q
    return [out[k] for k in sorted(out)]


def write_queries(queries: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(q, ensure_ascii=False, sort_keys=True) + "\n")


def read_queries(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
