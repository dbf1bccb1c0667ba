"""Company register spider: one /search request per query, pagination up to MAX_PAGES."""

from __future__ import annotations

from pathlib import Path

from common.paths import SNAPSHOTS_DIR
from spiders.core.spider import SourceSpider

from .parse import parse_response
from .queries import MAX_PAGES, read_queries, search_url

DEFAULT_QUERIES = SNAPSHOTS_DIR / "company_register" / "queries.jsonl"


class CompanyRegisterSpider(SourceSpider):
    name = "company_register"
    source_name = "company_register"
    required_fields = ("source_url", "kind", "key")

    def __init__(self, *args, queries: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queries_path = Path(queries) if queries else DEFAULT_QUERIES

    async def start(self):
        for query in read_queries(self.queries_path):
            yield self.request(search_url(query), self.parse_page, cb_kwargs={"query": query})

    def parse_page(self, response, query: dict):
        for out in parse_response(response, query):
            yield out
            if isinstance(out, dict) and out["page"] == 1:
                for page in range(2, min(out["total_pages"], MAX_PAGES) + 1):
                    yield self.request(search_url(query, page), self.parse_page, cb_kwargs={"query": query})
