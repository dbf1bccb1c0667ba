"""Page kinds of the company-search API, for ``python -m spiders.parse company_register PAGE``.

An answer alone does not say which query asked it: the query (kind, key, place) is looked
up by URL in the ``queries.jsonl`` written beside the crawl (``data/raw/company_register/
<run_id>/``), else in the bundled snapshot's. A page whose query is in neither is still
parsed; its item then has no kind or key, and a warning says so."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from common.issues import WARNING, Issue
from common.paths import SNAPSHOTS_DIR
from spiders.core.archive import url_key
from spiders.pages import PageKind

from .parse import SOURCE, parse_response
from .queries import API, read_queries, search_url

BUNDLED_QUERIES = SNAPSHOTS_DIR / "company_register" / "queries.jsonl"


def _queries_files(origin: Path | None) -> list[Path]:
    files = []
    if origin is not None:
        for folder in [origin.resolve().parent, *origin.resolve().parents][:4]:
            if (folder / "queries.jsonl").exists():
                files.append(folder / "queries.jsonl")
                break
    return files + [BUNDLED_QUERIES]


def find_query(url: str, origin: Path | None = None) -> dict | None:
    """The query whose search URL (any page of it) is ``url``."""
    params = parse_qs(urlparse(url).query)
    page = int((params.get("page") or ["1"])[0]) if (params.get("page") or ["1"])[0].isdigit() else 1
    wanted = url_key(url)
    for path in _queries_files(origin):
        if path.exists():
            for query in read_queries(path):
                if url_key(search_url(query, page)) == wanted:
                    return query
    return None


def _search(response, origin=None):
    query = find_query(response.url, origin)
    if query is None:
        params = {k: v[0] for k, v in parse_qs(urlparse(response.url).query).items()}
        query = {k: params[k] for k in ("q", "departement") if k in params}
        yield Issue(
            SOURCE,
            response.url,
            "query",
            "query_not_found",
            "no queries.jsonl names this URL: the item has no kind or key",
            WARNING,
        )
    yield from parse_response(response, query)


def _looks_like_answer(response) -> bool:
    data = json.loads(response.body)
    return isinstance(data, dict) and "results" in data and "total_results" in data


PAGE_KINDS = [
    PageKind(
        name="search",
        url_pattern=r"^https?://recherche-entreprises\.api\.gouv\.fr/search\b",
        canonical_url=API + "/search",
        parse=_search,
        sniff=_looks_like_answer,
        # kind and key come from the query, not the answer: a page is complete without them.
        required=("source_url",),
    ),
]
