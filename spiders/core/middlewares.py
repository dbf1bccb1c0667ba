"""Downloader middlewares shared by every spider.

- :class:`ReplayMiddleware` answers requests from an archive (snapshot folder or
  WARC) instead of the network, so replay runs every other middleware unchanged.
- :class:`WarcArchiveMiddleware` writes every response, as received, to the run's WARC.
- :class:`OffsiteRedirectGuard` refuses redirects that leave the source's domains.
"""
from __future__ import annotations

from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.responsetypes import responsetypes

from .archive import WarcRecorder, open_archive


class ReplayMiddleware:
    def __init__(self, archive_path: str, stats):
        self.archive = open_archive(archive_path)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("REPLAY_ARCHIVE")
        if not path:
            raise NotConfigured("live mode")
        return cls(path, crawler.stats)

    def process_request(self, request, spider=None):
        archived = self.archive.get(request.url)
        if archived is None:
            self.stats.inc_value("replay/missing")
            # A 404 like a live site would give; robots.txt absent means "allowed".
            return Response(request.url, status=404, body=b"", request=request, flags=["replay", "missing"])
        self.stats.inc_value("replay/hit")
        headers = {k: v for k, v in archived.headers.items()}
        cls = responsetypes.from_args(headers=headers, url=archived.url, body=archived.body)
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=archived.body,
            request=request,
            flags=["replay"],
        )


class WarcArchiveMiddleware:
    """Raw archive of the run. Placed next to the downloader so bodies are stored as received."""

    def __init__(self, path: Path, clock):
        self.recorder = WarcRecorder(path)
        self.clock = clock

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("WARC_OUTPUT")
        if not path:
            raise NotConfigured("no WARC_OUTPUT")
        # In replay the capture date is the archive's, so a replayed WARC is the same archive.
        frozen = crawler.settings.get("FROZEN_TIME")
        clock = (lambda: frozen) if frozen else (lambda: datetime.now(timezone.utc).isoformat())
        mw = cls(Path(path), clock)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_response(self, request, response, spider=None):
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        ]
        self.recorder.record(response.url, response.status, reason, headers, response.body, self.clock())
        return response

    def spider_closed(self, spider):
        spider.crawler.stats.set_value("warc/records", self.recorder.count)
        spider.crawler.stats.set_value("warc/path", str(self.recorder.path))
        self.recorder.close()


class OffsiteRedirectGuard:
    """Scrapy's offsite filter checks requests from spiders, not redirect targets: check those."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = self.crawler.spider
        if not request.meta.get("redirect_urls"):
            return None
        from urllib.parse import urlparse

        host = urlparse(request.url).hostname or ""
        allowed = getattr(spider, "allowed_domains", None) or []
        if allowed and not any(host == d or host.endswith("." + d) for d in allowed):
            spider.crawler.stats.inc_value("offsite_redirect/refused")
            spider.logger.error(
                "refused redirect off the source's domains: %s -> %s",
                request.meta["redirect_urls"][0],
                request.url,
            )
            raise IgnoreRequest(f"redirect to another host refused: {request.url}")
        return None
