"""Base class of every source's spider: metadata from sources/<source>.yml, failed
fetches reported to the issue log with their URL and cause."""
from __future__ import annotations

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from .issues import ERROR, Issue
from .sources import load_source


def describe_failure(failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(DNSLookupError):
        return "DNS lookup failed (no network?)"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timed out"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


class SourceSpider(scrapy.Spider):
    source_name: str = ""
    required_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        if not self.source_name:
            raise TypeError(f"{type(self).__name__} must set source_name")
        self.source = load_source(self.source_name)
        self.name = self.name or self.source_name
        self.allowed_domains = list(self.source.allowed_domains)
        super().__init__(*args, **kwargs)
        if not getattr(self, "start_urls", None):
            self.start_urls = [str(u) for u in self.source.start_urls]

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, self.parse)

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.fetch_failed, **kwargs)

    def fetch_failed(self, failure):
        request = failure.request
        cause = describe_failure(failure)
        self.crawler.stats.inc_value("fetch_failed")
        self.logger.error("[%s] fetch failed: %s: %s", self.source_name, request.url, cause)
        yield Issue(
            source=self.source_name,
            url=request.url,
            field="response",
            code="fetch_failed",
            message=cause,
            severity=ERROR,
        )
