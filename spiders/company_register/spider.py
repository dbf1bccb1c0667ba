"""Company register spider: one /search request per query, pagination up to MAX_PAGES
(the route in ``routes.py``)."""

from __future__ import annotations

from pathlib import Path

from common.paths import SNAPSHOTS_DIR
from spiders.core.routing import Link
from spiders.core.spider import SourceSpider

from .queries import read_queries, search_url
from .routes import ROUTES

DEFAULT_QUERIES = SNAPSHOTS_DIR / "company_register" / "queries.jsonl"


class CompanyRegisterSpider(SourceSpider):
    name = "company_register"
    source_name = "company_register"
    required_fields = ("source_url", "kind", "key")
    routes = ROUTES

    def __init__(self, *args, queries: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queries_path = Path(queries) if queries else DEFAULT_QUERIES

    async def start(self):
        for query in read_queries(self.queries_path):
            yield self.follow(Link(search_url(query), "search", {"query": query}))
