"""Route of the company-search API: one, a /search answer, whose first page leads to the next
ones (up to MAX_PAGES). Read by the spider and by ``python -m spiders.parse company_register PAGE``.

An answer alone does not say which query asked it: the crawl carries the query in the request;
the page check looks it up by URL in the ``queries.jsonl`` written beside the crawl
(``data/raw/company_register/<run_id>/``), else in the bundled snapshot's. A page whose query is
in neither is still parsed; its item then has no kind or key, and a warning says so."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from common.issues import WARNING, Issue
from common.paths import SNAPSHOTS_DIR
from spiders.core.archive import url_key
from spiders.core.routing import Link, Route

from .parse import SOURCE, parse_response
from .queries import API, MAX_PAGES, read_queries, search_url

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


def _search(response, query: dict | None = None):
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
    for out in parse_response(response, query):
        yield out
        if isinstance(out, dict) and out["page"] == 1 and "q" in query:
            for page in range(2, min(out["total_pages"], MAX_PAGES) + 1):
                yield Link(search_url(query, page), "search", {"query": query})


def _looks_like_answer(response) -> bool:
    data = json.loads(response.body)
    return isinstance(data, dict) and "results" in data and "total_results" in data


ROUTES = (
    Route(
        kind="search",
        url_pattern=r"^https?://recherche-entreprises\.api\.gouv\.fr/search\b",
        example_url=API + "/search",
        parse=_search,
        context=lambda response, origin: {"query": find_query(response.url, origin)},
        sniff=_looks_like_answer,
        # kind and key come from the query, not the answer: a page is complete without them.
        required=("source_url",),
    ),
)
