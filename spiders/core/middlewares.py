"""Downloader middlewares shared by every spider.

- :class:`ReplayMiddleware` answers requests from an archive (snapshot folder or
  WARC) instead of the network, so replay runs every other middleware unchanged.
- :class:`WarcArchiveMiddleware` writes every response, as received, to the run's WARC.
- :class:`OffsiteRedirectGuard` refuses redirects that leave the source's domains.
- :class:`RetryAfterMiddleware` backs off before a retry (5xx, 429), honouring Retry-After.
- :class:`UnreachableGuard` does not retry a DNS or connection failure before any response (no network).
- :class:`ResponseGuard` retries, then refuses, an empty 200 or a truncated HTML page, and
  corrects a declared charset the body contradicts (flagged, reported by :class:`ResponseIssues`).
- :class:`PageLedger`, :class:`PageAccounting`, :class:`ReportingOffsiteMiddleware`: every page
  request ends as a parsed page or an issue naming its URL (the crawl's accounting).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.responsetypes import responsetypes

from common.issues import ERROR, WARNING, Issue

from .archive import WarcRecorder, open_archive


class ReplayMiddleware:
    def __init__(self, archive_path: str, stats, max_body_bytes: int | None = None):
        self.archive = open_archive(archive_path, max_body_bytes)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("REPLAY_ARCHIVE")
        if not path:
            raise NotConfigured("live mode")
        return cls(path, crawler.stats, crawler.settings.getint("DOWNLOAD_MAXSIZE") or None)

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
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, values in response.headers.items() for v in values]
        self.recorder.record(response.url, response.status, reason, headers, response.body, self.clock())
        return response

    def spider_closed(self, spider):
        spider.crawler.stats.set_value("warc/records", self.recorder.count)
        spider.crawler.stats.set_value("warc/path", str(self.recorder.path))
        self.recorder.close()


class OffsiteRedirectGuard:
    """Refuses a redirect off the source's domains, naming both URLs in the request's errback.

    Scrapy's OffsiteMiddleware drops such a redirect silently (when it is scheduled, so no
    errback runs and the page just goes missing); this guard sees the 3xx first (at 650, before
    RedirectMiddleware at 600) and fails the request instead. The target is never fetched."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _offsite(self, url: str) -> bool:
        from urllib.parse import urlparse

        host = urlparse(url).hostname or ""
        allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
        return bool(allowed) and not any(host == d or host.endswith("." + d) for d in allowed)

    def _refuse(self, origin: str, target: str):
        self.crawler.stats.inc_value("offsite_redirect/refused")
        self.crawler.spider.logger.error("refused redirect off the source's domains: %s -> %s", origin, target)
        raise IgnoreRequest(f"redirect to another host refused: {origin} -> {target}")

    def process_response(self, request, response, spider=None):
        location = response.headers.get("Location")
        if response.status in (301, 302, 303, 307, 308) and location and not request.meta.get("dont_redirect"):
            from w3lib.url import safe_url_string

            target = safe_url_string(response.urljoin(location.decode("latin-1")))
            if self._offsite(target):
                self._refuse(request.url, target)
        return response

    def process_request(self, request, spider=None):
        if request.meta.get("redirect_urls") and self._offsite(request.url):
            self._refuse(request.meta["redirect_urls"][0], request.url)
        return None


class UnreachableGuard:
    """No network, fail fast: a DNS failure or a refused connection before the site ever
    answered is not retried (SourceSpider.fetch_failed then closes the spider as "unreachable").
    Once the site has answered, such failures are retried like any other. At 570: its
    process_exception runs before RetryMiddleware's (550)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_exception(self, request, exception, spider=None):
        from scrapy import exceptions as sx
        from twisted.internet import error as tx

        unreachable = (
            sx.CannotResolveHostError,
            sx.DownloadConnectionRefusedError,
            tx.DNSLookupError,
            tx.ConnectionRefusedError,
        )
        if isinstance(exception, unreachable) and not self.crawler.stats.get_value("response_received_count"):
            request.meta["dont_retry"] = True
            self.crawler.stats.inc_value("unreachable/not_retried")
        return None


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent or garbage."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - (now or datetime.now(timezone.utc))).total_seconds(), 0.0)


class RetryAfterMiddleware:
    """Backoff before RetryMiddleware retries a 5xx or 429 (Scrapy retries at once, and ignores Retry-After).

    The wait is Retry-After when given (seconds or HTTP-date), else RETRY_BACKOFF_BASE * 2**n
    for the n-th retry; capped at RETRY_BACKOFF_MAX. The response is held that long before it
    reaches RetryMiddleware (so the retry goes out no earlier). With a Retry-After, the domain's
    download slot delay is raised to it too (the other requests slow down; AutoThrottle lowers it again).
    Sits at 560: on the way back it sees the response before RetryMiddleware (550)."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.codes = set(s.getlist("RETRY_HTTP_CODES"))
        self.max_retry_times = s.getint("RETRY_TIMES")
        self.base = s.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = s.getfloat("RETRY_BACKOFF_MAX", 60.0)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("retries disabled")
        return cls(crawler)

    def wait_for(self, request, response) -> float | None:
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return None
        retries = request.meta.get("retry_times", 0)
        if retries >= request.meta.get("max_retry_times", self.max_retry_times):
            return None  # no retry will follow: nothing to wait for
        header = retry_after_seconds(response.headers.get("Retry-After"))
        wait = header if header is not None else self.base * 2**retries
        return min(wait, self.cap)

    async def process_response(self, request, response, spider=None):
        wait = self.wait_for(request, response)
        if not wait:
            return response
        stats = self.crawler.stats
        stats.inc_value(f"retry_after/{response.status}")
        stats.max_value("retry_after/max_wait", wait)
        if response.headers.get("Retry-After") is not None:
            # The server asked the whole site to slow down (AutoThrottle lowers it again later).
            downloader = self.crawler.engine.downloader
            key = request.meta.get("download_slot") or downloader.get_slot_key(request)
            slot = downloader.slots.get(key)
            if slot is not None:
                slot.delay = max(slot.delay, wait)
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return response


class BadResponse(IgnoreRequest):
    """A response that arrived but cannot be used (empty, truncated); the message says why."""


_HTML_END = re.compile(rb"</html\s*>", re.I)
_HTML_START = re.compile(rb"<html[\s>]", re.I)


class ResponseGuard:
    """Empty 200s and truncated HTML pages are retried like a 5xx, then refused (the request's
    errback names the URL and the cause). A declared charset the body contradicts is corrected:
    valid UTF-8 declared as something else is read as UTF-8; a body declared UTF-8 that is not
    UTF-8 is read with the charset its <meta> declares, else windows-1252. The response is
    flagged ``encoding_corrected`` for :class:`ResponseIssues`.

    Sits at 555: after decompression (590) and redirects (600), before RetryMiddleware (550)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.max_retry_times = crawler.settings.getint("RETRY_TIMES")
        self.require_html_end = crawler.settings.getbool("RESPONSE_GUARD_REQUIRE_HTML_END", True)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def problem(self, request, response) -> str | None:
        if response.status != 200 or request.method == "HEAD" or request.url.endswith("/robots.txt"):
            return None
        if not response.body.strip():
            return "empty response body (HTTP 200)"
        if self.require_html_end and isinstance(response, HtmlResponse):
            head, tail = response.body[:4096], response.body[-4096:]
            if _HTML_START.search(head) and not _HTML_END.search(tail):
                return f"truncated HTML: no closing </html> tag ({len(response.body)} bytes)"
        return None

    def process_response(self, request, response, spider=None):
        cause = self.problem(request, response)
        if cause:
            from scrapy.downloadermiddlewares.retry import get_retry_request

            self.crawler.stats.inc_value("response_guard/" + cause.split(" ")[0].split(":")[0])
            retry = None
            if not request.meta.get("dont_retry"):
                retry = get_retry_request(
                    request,
                    spider=self.crawler.spider,
                    reason=cause,
                    max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
                )
            if retry is not None:
                return retry
            raise BadResponse(cause)
        if isinstance(response, TextResponse):
            return self._charset(response)
        return response

    def _charset(self, response):
        from w3lib.encoding import html_body_declared_encoding, resolve_encoding

        body = response.body
        if body.isascii():
            return response
        declared = resolve_encoding(response.encoding) or response.encoding
        try:
            body.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        if utf8 and declared != "utf-8":
            actual = "utf-8"
        elif not utf8 and declared == "utf-8":
            meta = resolve_encoding(html_body_declared_encoding(body) or "")
            actual = meta if meta and meta != "utf-8" else "cp1252"
        else:
            return response
        self.crawler.stats.inc_value("response_guard/encoding_corrected")
        self.crawler.spider.logger.warning(
            "declared charset %s contradicted by the body of %s: read as %s", declared, response.url, actual
        )
        return response.replace(encoding=actual, flags=[*response.flags, f"encoding_corrected:{declared}->{actual}"])


class ResponseIssues:
    """Spider middleware: what the downloader corrected in a response goes to the issue log (a warning)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _issues(self, response):
        spider = self.crawler.spider
        for flag in response.flags:
            if flag.startswith("encoding_corrected:"):
                declared, _, actual = flag.split(":", 1)[1].partition("->")
                yield Issue(
                    source=getattr(spider, "source_name", spider.name),
                    url=response.url,
                    field="response",
                    code="encoding_corrected",
                    message=f"declared charset {declared} contradicted by the body: read as {actual}",
                    severity=WARNING,
                    value=declared,
                )

    def process_spider_output(self, response, result, spider=None):
        yield from self._issues(response)
        yield from result

    async def process_spider_output_async(self, response, result, spider=None):
        for issue in self._issues(response):
            yield issue
        async for out in result:
            yield out


# -- accounting: every page request ends as a parsed page or an issue --------------------

PAGE_ID = "page_id"  # request.meta key, carried over by Scrapy's retries and redirects


class PageLedger:
    """The page requests a spider made (:meth:`SourceSpider.request`), each closed once: parsed
    (its callback ran) or reported (an issue names it). What stays open at the end of the
    crawl was lost without a word; the runner reports it (``accounting/*`` in stats.json)."""

    def __init__(self):
        self.pages: dict[int, str] = {}  # page id -> URL first requested
        self.open: set[int] = set()
        self.parsed = 0
        self.reported = 0

    def new(self, url: str) -> int:
        page = len(self.pages) + 1
        self.pages[page] = url
        self.open.add(page)
        return page

    def close(self, request, outcome: str) -> bool:
        """Closes the page ``request`` belongs to (``"parsed"`` or ``"reported"``); False if it was closed already."""
        page = request.meta.get(PAGE_ID)
        if page not in self.open:
            return False
        self.open.discard(page)
        if outcome == "parsed":
            self.parsed += 1
        else:
            self.reported += 1
        return True

    def unaccounted(self) -> list[tuple[int, str]]:
        return sorted((page, self.pages[page]) for page in self.open)

    def stats(self) -> dict:
        return {
            "accounting/requested": len(self.pages),
            "accounting/parsed": self.parsed,
            "accounting/reported": self.reported,
            "accounting/unaccounted": len(self.open),
        }


def report_issue(crawler, issue: Issue, request=None) -> None:
    """An issue found outside a callback (a signal handler): sent through the item pipelines
    to the issue log like any other, and the request's page closed as reported."""
    from scrapy.utils.defer import deferred_from_coro

    spider = crawler.spider
    ledger = getattr(spider, "ledger", None)
    if request is not None and ledger is not None:
        ledger.close(request, "reported")
    log = spider.logger.error if issue.severity == "error" else spider.logger.warning
    log("[%s] %s: %s", issue.source, issue.url, issue.message)
    deferred_from_coro(crawler.engine.scraper.start_itemproc_async(issue, response=None))


def _origin(request) -> str:
    """The URL the spider asked for (before redirects)."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class ReportingOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's OffsiteMiddleware, whose drops at scheduling time (a meta refresh or a redirect
    to another host, a link off the source's domains) become issue-log errors naming both URLs
    instead of vanishing: the request's page is lost, so the crawl must fail. Replaces
    ``scrapy.downloadermiddlewares.offsite.OffsiteMiddleware`` at the same place (50)."""

    def request_scheduled(self, request, spider=None):
        try:
            self.process_request(request)
        except IgnoreRequest:
            _report_offsite(self.crawler, request)
            raise


def _report_offsite(crawler, request) -> None:
    spider = crawler.spider
    origin = _origin(request)
    reasons = request.meta.get("redirect_reasons") or []
    how = "meta refresh" if "meta refresh" in reasons else (f"redirect {reasons[-1]}" if reasons else "link")
    crawler.stats.inc_value("accounting/offsite_dropped")
    report_issue(
        crawler,
        Issue(
            source=getattr(spider, "source_name", spider.name),
            url=origin,
            field="response",
            code="fetch_failed",
            message=f"{how} to another host refused: {origin} -> {request.url}"
            if origin != request.url
            else f"request to another host refused: {request.url} is off {', '.join(spider.allowed_domains)}",
            context={"cause": "offsite_redirect" if reasons else "offsite", "target": request.url},
        ),
        request,
    )


class PageAccounting:
    """Spider middleware and signal handlers that close each page of the spider's
    :class:`PageLedger`: parsed when its response reaches the callback (after
    HttpErrorMiddleware, 50), reported when Scrapy's duplicate filter drops it
    (``request_dropped``: a redirect to a page already requested, to itself included, is an
    error; a second link to a page already requested is a warning), and a callback that
    raises is an error naming the URL (``spider_error``). Errbacks close their page in
    :meth:`SourceSpider.fetch_failed`."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _ledger(self):
        return getattr(self.crawler.spider, "ledger", None)

    def process_spider_input(self, response, spider=None):
        ledger = self._ledger()
        if ledger is not None and response.request is not None:
            ledger.close(response.request, "parsed")
        return None

    def request_dropped(self, request, spider=None):
        ledger = self._ledger()
        if ledger is None or request.meta.get(PAGE_ID) not in ledger.open:
            return
        spider = self.crawler.spider
        redirects = request.meta.get("redirect_urls") or []
        if redirects:
            loop = request.url in redirects
            issue = Issue(
                source=spider.source_name,
                url=redirects[0],
                field="response",
                code="fetch_failed",
                severity=ERROR,
                message=(
                    f"redirect loop: {redirects[0]} redirects to itself"
                    if loop and len(set(redirects)) == 1
                    else f"redirect loop: {' -> '.join([*redirects, request.url])}"
                    if loop
                    else f"redirected to a page this crawl already requested: {redirects[0]} -> {request.url}; not parsed"
                ),
                context={"cause": "redirect_loop" if loop else "redirect_duplicate", "target": request.url},
            )
        else:
            issue = Issue(
                source=spider.source_name,
                url=request.url,
                field="response",
                code="duplicate_request",
                severity=WARNING,
                message="requested twice; the duplicate was dropped (the page is parsed once)",
                context={"cause": "duplicate"},
            )
        self.crawler.stats.inc_value(f"accounting/dropped/{issue.context['cause']}")
        report_issue(self.crawler, issue, request)

    def spider_error(self, failure, response, spider=None):
        spider = self.crawler.spider
        self.crawler.stats.inc_value("accounting/callback_errors")
        report_issue(
            self.crawler,
            Issue(
                source=spider.source_name,
                url=response.url,
                field="page",
                code="parser_crashed",
                severity=ERROR,
                message=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500],
            ),
        )
