"""Company register spider: one /search request per query, pagination up to MAX_PAGES."""

from __future__ import annotations

from pathlib import Path

from common.paths import SNAPSHOTS_DIR
from spiders.core.spider import SourceSpider

from .cache import LOOKUP
from .parse import parse_response
from .queries import MAX_PAGES, read_queries, search_url

DEFAULT_QUERIES = SNAPSHOTS_DIR / "company_register" / "queries.jsonl"


class CompanyRegisterSpider(SourceSpider):
    name = "company_register"
    source_name = "company_register"
    required_fields = ("source_url", "kind", "key")

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # Next to the WARC recorder (895) and the replay (950): a cached answer is archived
        # like a fetched one, and neither the HTTP cache nor the network sees the request.
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares["spiders.company_register.cache.LookupCacheMiddleware"] = 890
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    def __init__(self, *args, queries: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queries_path = Path(queries) if queries else DEFAULT_QUERIES

    async def start(self):
        for query in read_queries(self.queries_path):
            yield self.ask(query, 1)

    def ask(self, query: dict, page: int):
        return self.request(
            search_url(query, page),
            self.parse_page,
            cb_kwargs={"query": query},
            meta={LOOKUP: (query["kind"], query["key"], page)},
        )

    def parse_page(self, response, query: dict):
        for out in parse_response(response, query):
            yield out
            if isinstance(out, dict) and out["page"] == 1:
                for page in range(2, min(out["total_pages"], MAX_PAGES) + 1):
                    yield self.ask(query, page)
