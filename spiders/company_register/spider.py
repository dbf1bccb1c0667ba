"""Company register spider: one /search request per query, pagination up to MAX_PAGES (pages
read through the route in ``routes.py``, as the page check reads them); or,
in stock mode, every query answered at once by DuckDB over the SIRENE stock files (stock.py).

Stock mode: ``-a register=stock`` (or ``api``), else $POLES_CCE_REGISTER_MODE, else the YAML's
``stock.enabled``. Replay reads the bundled extract, live mode the data folder's copy of the
files (downloaded from data.gouv.fr when missing or stale); ``-a stock=FOLDER`` names a folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from scrapy.exceptions import CloseSpider

from common.paths import SNAPSHOTS_DIR, data_dir
from spiders.core.routing import Link
from spiders.core.spider import SourceSpider

from .cache import LOOKUP
from .queries import read_queries, search_url
from .routes import ROUTES

DEFAULT_QUERIES = SNAPSHOTS_DIR / "company_register" / "queries.jsonl"
MODE_ENV = "POLES_CCE_REGISTER_MODE"


class CompanyRegisterSpider(SourceSpider):
    name = "company_register"
    source_name = "company_register"
    required_fields = ("source_url", "kind", "key")
    routes = ROUTES

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # Next to the WARC recorder (895) and the replay (950): a cached answer is archived
        # like a fetched one, and neither the HTTP cache nor the network sees the request.
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares["spiders.company_register.cache.LookupCacheMiddleware"] = 890
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    def __init__(
        self, *args, queries: str | None = None, register: str | None = None, stock: str | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.queries_path = Path(queries) if queries else DEFAULT_QUERIES
        default = "stock" if self.source.stock and self.source.stock.enabled else "api"
        self.mode = (register or os.environ.get(MODE_ENV) or default).strip().lower()
        self.stock_path = Path(stock) if stock else None

    async def start(self):
        if self.mode not in ("api", "stock"):  # the crawl ends at once, its finish reason says why
            raise CloseSpider(f"register mode {self.mode!r} is neither 'api' nor 'stock' (-a register= or ${MODE_ENV})")
        queries = read_queries(self.queries_path)
        if self.mode == "stock":
            for item in await self._from_stock(queries):
                yield item
            return
        # Queries asking the same URL (a member printed without a postcode and an advisor
        # company of the same name) share one request; each still gets its own item.
        by_url: dict[str, list[dict]] = {}
        for query in queries:
            by_url.setdefault(search_url(query), []).append(query)
        for group in by_url.values():
            yield self.ask(group, 1)

    def ask(self, group: list[dict], page: int):
        return self.request(
            search_url(group[0], page),
            self.parse_page,
            cb_kwargs={"group": group},
            meta={LOOKUP: [(q["kind"], q["key"], page) for q in group]},
        )

    def parse_page(self, response, group: list[dict]):
        route = self.route(response, "search")
        for i, query in enumerate(group):
            for out in route.parse(response, query=query):
                if isinstance(out, Link):  # the next pages, asked once for the whole group
                    if i == 0:
                        yield self.ask(group, _page_of(out.url))
                elif isinstance(out, dict) or i == 0:  # a page's issues once, not once per query
                    yield out

    async def _from_stock(self, queries: list[dict]) -> list[dict]:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.threads import deferToThread

        from .stock import StockIndex, stock_folder

        live = not self.settings.get("REPLAY_ARCHIVE")

        def answer():
            folder = self.stock_path or stock_folder(self.source, live, data_dir())
            index = StockIndex(folder)
            try:
                return index.answer(queries, str(self.source.stock.unite_legale_url)), index.load_seconds
            finally:
                index.close()

        try:
            items, load_seconds = await maybe_deferred_to_future(deferToThread(answer))
        except Exception as exc:  # missing or unreadable stock files, a failed download: the finish reason says which
            raise CloseSpider(str(exc)) from None
        stats = self.crawler.stats
        stats.set_value("stock/queries", len(queries))
        stats.set_value("stock/candidates", sum(len(i["candidates"]) for i in items))
        stats.set_value("stock/load_seconds", load_seconds)
        return items


def _page_of(url: str) -> int:
    return int(parse_qs(urlparse(url).query)["page"][0])
