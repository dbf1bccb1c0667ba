"""The lookup cache: register answers kept across runs, so a weekly run only asks about new
or changed queries (``sources/company_register.yml`` ``lookup_cache``).

One SQLite row per (kind, key, page): the URL asked, the body and when it was fetched. A row
answers a request when its URL is the request's (a cluster renamed under the same key asks
again) and it is younger than ``ttl_days``. Each answer is committed as it arrives, so a
crawl killed after 15,000 of 20,000 lookups is resumed by running it again: the 15,000 come
from the cache (still parsed into items, nothing lost), the 5,000 others are asked.

A downloader middleware (not a spider-side shortcut) so a cached answer takes the same path
as a fetched one: archived in the run's WARC (the run replays to the same tables), parsed by
the same callback. Stats: ``lookup_cache/hit`` (served), ``lookup_cache/asked`` (sent on to
the API), ``lookup_cache/expired`` (asked again, older than the TTL), ``lookup_cache/stored``.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse

LOOKUP = "lookup"  # request.meta key: [(kind, key, page), …], the queries sharing the request
FLAG = "lookup_cache"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lookups (
    kind TEXT NOT NULL, key TEXT NOT NULL, page INTEGER NOT NULL,
    url TEXT NOT NULL, body BLOB NOT NULL, fetched_at REAL NOT NULL,
    PRIMARY KEY (kind, key, page)
)"""


class LookupStore:
    """The SQLite file; ``now`` is injectable for tests of the time-to-live."""

    def __init__(self, path: Path, ttl_days: float, now=time.time):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.ttl = ttl_days * 86400
        self.now = now
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")  # a kill never leaves a half-written answer
        self.db.execute(_SCHEMA)
        self.db.commit()

    def get(self, kind: str, key: str, page: int, url: str) -> tuple[bytes | None, bool]:
        """(body, expired): the fresh answer for this lookup, or None (expired says why)."""
        row = self.db.execute(
            "SELECT url, body, fetched_at FROM lookups WHERE kind = ? AND key = ? AND page = ?", (kind, key, page)
        ).fetchone()
        if row is None or row[0] != url:
            return None, False
        if self.now() - row[2] > self.ttl:
            return None, True
        return row[1], False

    def put(self, kind: str, key: str, page: int, url: str, body: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO lookups VALUES (?, ?, ?, ?, ?, ?)", (kind, key, page, url, body, self.now())
        )
        self.db.commit()

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM lookups").fetchone()[0]

    def close(self) -> None:
        self.db.close()


def _usable(body: bytes) -> bool:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and isinstance(data.get("results"), list)


class LookupCacheMiddleware:
    """Answers a lookup request from the store when it can; stores every usable 200 answer.

    On in live mode; in replay mode only with ``LOOKUP_CACHE_ENABLED=true`` (benchmarks and
    tests count lookups through it). ``LOOKUP_CACHE_PATH`` / ``LOOKUP_CACHE_TTL_DAYS``
    override the YAML's ``lookup_cache``."""

    def __init__(self, crawler, store: LookupStore):
        self.stats = crawler.stats
        self.store = store

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        s = crawler.settings
        config = getattr(crawler.spider, "source", None) and crawler.spider.source.lookup_cache
        enabled = s.getbool("LOOKUP_CACHE_ENABLED", not s.get("REPLAY_ARCHIVE"))
        if config is None or not enabled:
            raise NotConfigured("lookup cache off")
        from common.paths import data_dir

        path = Path(s.get("LOOKUP_CACHE_PATH") or data_dir() / config.path)
        mw = cls(crawler, LookupStore(path, s.getfloat("LOOKUP_CACHE_TTL_DAYS", config.ttl_days)))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_request(self, request, spider=None):
        lookups = request.meta.get(LOOKUP)
        if not lookups:
            return None
        body, expired = None, False
        for lookup in lookups:  # every query of the request must have its answer stored
            body, expired = self.store.get(*lookup, request.url)
            if body is None:
                break
        if body is None:
            self.stats.inc_value("lookup_cache/asked")
            if expired:
                self.stats.inc_value("lookup_cache/expired")
            return None
        self.stats.inc_value("lookup_cache/hit")
        return TextResponse(
            request.url,
            status=200,
            headers={"Content-Type": "application/json"},
            body=body,
            encoding="utf-8",
            request=request,
            flags=[FLAG],
        )

    def process_response(self, request, response, spider=None):
        lookups = request.meta.get(LOOKUP)
        if lookups and FLAG not in response.flags and response.status == 200 and _usable(response.body):
            for lookup in lookups:
                self.store.put(*lookup, request.url, response.body)
            self.stats.inc_value("lookup_cache/stored")
        return response

    def spider_closed(self, spider):
        self.stats.set_value("lookup_cache/size", len(self.store))
        self.store.close()
