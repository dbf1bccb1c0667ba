"""Base class of every source's spider: metadata from sources/<source>.yml, failed
fetches reported to the issue log with their URL and cause, and every page request
counted until it is parsed or reported (:class:`spiders.core.middlewares.PageLedger`)."""

from __future__ import annotations

import scrapy
from scrapy import exceptions as sx
from scrapy.exceptions import CloseSpider
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed

from common.issues import ERROR, Issue
from common.sources import load_source

from .middlewares import PAGE_ID, PageLedger
from .routing import Link, NoRoute, route_for


def classify_failure(failure) -> tuple[str, str]:
    """(cause code, message) of a failed fetch, in words a maintainer can act on."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return ("http_429" if status == 429 else f"http_{status // 100}xx"), f"HTTP {status}"
    if failure.check(sx.CannotResolveHostError, tx.DNSLookupError):
        return "dns", f"DNS lookup failed (no network?): {failure.getErrorMessage()}"
    if failure.check(sx.DownloadConnectionRefusedError, tx.ConnectionRefusedError):
        return "refused", f"connection refused (no network, or site or proxy down): {failure.getErrorMessage()}"
    if failure.check(sx.DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError):
        return "timeout", f"timed out: {failure.getErrorMessage()}"
    if failure.check(sx.ResponseDataLossError, ResponseFailed, tx.ConnectionLost, tx.ConnectionDone):
        return "connection_lost", f"connection lost before the response was complete ({failure.type.__name__})"
    if failure.check(sx.DownloadCancelledError):
        return "too_large", f"response larger than DOWNLOAD_MAXSIZE, download cancelled: {failure.getErrorMessage()}"
    if failure.check(sx.IgnoreRequest):
        message = failure.getErrorMessage()
        if "robots.txt" in message:
            return "robots", "forbidden by robots.txt"
        if "redirect" in message:
            return "offsite_redirect", message
        if "empty response" in message:
            return "empty", message
        if "truncated" in message:
            return "truncated", message
        return "ignored", message
    return "other", f"{failure.type.__name__}: {failure.getErrorMessage()}"


class SourceSpider(scrapy.Spider):
    source_name: str = ""
    required_fields: tuple[str, ...] = ()
    # Fields holding the organisation's own contact (kept); every other text field of every
    # item loses any e-mail or phone (spiders.core.pipelines.PersonalDataGuard).
    organisation_contact_fields: tuple[str, ...] = ()
    # The source's routing table (``spiders/<source>/routes.py``), shared with ``python -m spiders.parse``.
    routes: tuple = ()

    def __init__(self, *args, **kwargs):
        if not self.source_name:
            raise TypeError(f"{type(self).__name__} must set source_name")
        self.source = load_source(self.source_name)
        self.name = self.name or self.source_name
        self.allowed_domains = list(self.source.allowed_domains)
        self.ledger = PageLedger()
        super().__init__(*args, **kwargs)
        if not getattr(self, "start_urls", None):
            self.start_urls = [str(u) for u in self.source.start_urls]

    async def start(self):
        for url in self.start_urls:
            yield self.request(url, self.parse)  # routed by URL, then content

    def follow(self, link: Link, **kwargs) -> scrapy.Request:
        """The request for a page a parser leads to, read by the route the link names."""
        return self.request(link.url, self.parse, cb_kwargs={"kind": link.kind, **link.context}, **kwargs)

    def route(self, response, kind: str | None = None):
        """The route that reads ``response`` (the one its link named, else by URL, else by content),
        logged (DEBUG: ``tests/test_routing.py`` reads it) and counted in the crawl's stats (``route/<kind>``)."""
        route = route_for(self.routes, response.url, response, kind)
        self.logger.debug("route %s: %s", route.kind, response.url)
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"route/{route.kind}")
        return route

    def parse(self, response, kind: str | None = None, **context):
        """Every page's callback: its route's items and issues, and a request per link."""
        try:
            route = self.route(response, kind)
        except NoRoute as exc:
            yield Issue(self.source_name, response.url, "page", "no_route", str(exc), ERROR)
            return
        for out in route.parse(response, **context):
            yield self.follow(out) if isinstance(out, Link) else out

    def request(self, url: str, callback, **kwargs) -> scrapy.Request:
        """A request whose failure reaches the issue log (:meth:`fetch_failed`).

        In live mode pages go through the HTTP cache, and ``Cache-Control: max-age=0`` makes
        RFC2616Policy revalidate every page on every crawl (If-None-Match / If-Modified-Since):
        nothing is served from the cache without asking the site, so a listing that gained a
        pôle comes back whole, and an unchanged page costs a 304. (``no-cache`` would make
        Scrapy drop the validators and download the page whole every time.)"""
        kwargs["headers"] = {"Cache-Control": "max-age=0", **(kwargs.get("headers") or {})}
        kwargs["meta"] = {**(kwargs.get("meta") or {}), PAGE_ID: self.ledger.new(url)}
        return scrapy.Request(url, callback=callback, errback=self.fetch_failed, **kwargs)

    def fetch_failed(self, failure):
        request = failure.request
        self.ledger.close(request, "reported")
        code, cause = classify_failure(failure)
        self.crawler.stats.inc_value("fetch_failed")
        self.crawler.stats.inc_value(f"fetch_failed/{code}")
        self.logger.error("[%s] fetch failed: %s: %s", self.source_name, request.url, cause)
        yield Issue(
            source=self.source_name,
            url=request.url,
            field="response",
            code="fetch_failed",
            message=cause,
            severity=ERROR,
            context={"cause": code},
        )
        if code in ("dns", "refused") and not self.crawler.stats.get_value("response_received_count"):
            # Nothing ever answered: no network (or the site is gone). Fail now, not page by page.
            raise CloseSpider("unreachable")
