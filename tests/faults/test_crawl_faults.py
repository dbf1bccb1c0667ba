"""Crawl-level faults: ``python -m spiders.crawl poles --live`` through the mirror, one fault each.

Each scenario asserts the outcome: recovered with complete data (57 pôles, no error), or
failed naming the source, the URL and the cause (issue log, and stderr when no item came).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pytest

from tests.mirror import Fault, Mirror

from .conftest import EXPECTED_IDS, CrawlRun, crawl_live

BASE = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
LISTING = BASE
DETAIL = BASE + "/pole-europeen-de-la-ceramique"
DETAIL_RE = re.escape(DETAIL) + "$"
# A UTF-8 page with accents in its name (the céramique page above is windows-1252 in the snapshot).
UTF8_DETAIL = BASE + "/atlanpole-biotherapies"
UTF8_DETAIL_RE = re.escape(UTF8_DETAIL) + "$"
LISTING_RE = re.escape(LISTING) + "$"
ALL = 57  # pôles in the bundled snapshot
# A Retry-After slows the whole site down; AutoThrottle (on in live mode) brings the delay back.
THROTTLED = {"AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": 0, "AUTOTHROTTLE_TARGET_CONCURRENCY": 4}


@dataclass
class Scenario:
    id: str
    fault: str
    injected: str
    expected: str
    faults: list[tuple[str, Fault]]
    check: Callable[[CrawlRun, Mirror], str]
    settings: dict = field(default_factory=dict)


def recovered(run: CrawlRun) -> None:
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.items) == ALL, run.stderr[-2000:]
    assert run.errors == [], run.errors


def one_error(run: CrawlRun, url: str, cause: str, code: str) -> dict:
    """The crawl kept the other pages; the issue log has exactly one error, naming URL and cause."""
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.items) == ALL - 1
    assert len(run.errors) == 1, run.errors
    err = run.errors[0]
    assert err["source"] == "poles" and err["url"] == url, err
    assert cause in err["message"], err
    assert err["context"].get("cause") == code, err
    assert url in run.stderr  # printed too
    return err


def crawl_failed(run: CrawlRun, url: str, cause: str) -> str:
    """No item: exit 2, stderr names the source, the URL and the cause."""
    assert run.returncode == 2, run.stderr[-2000:]
    assert run.items == []
    line = next(line for line in run.stderr.splitlines() if line.startswith("[poles] crawl failed"))
    assert url in line and cause in line, line
    return line


def gaps(mirror: Mirror, url: str) -> list[float]:
    times = [t for t, _, u in mirror.log if u == url]
    return [round(b - a, 2) for a, b in zip(times, times[1:])]


# -- checks ------------------------------------------------------------------------------


def check_500(run, mirror):
    line = crawl_failed(run, LISTING, "HTTP 500")
    assert mirror.counts[LISTING] == 3  # 1 + RETRY_TIMES
    return f"fails: exit 2, `{line[:160]}`; {mirror.counts[LISTING]} attempts, backoff gaps {gaps(mirror, LISTING)} s"


def check_503_burst(run, mirror):
    recovered(run)
    assert mirror.counts[LISTING] == 3
    g = gaps(mirror, LISTING)
    assert g[0] >= 0.5 and g[1] >= 1.0, g  # RETRY_BACKOFF_BASE 0.5 s, doubled
    return f"recovered: {len(run.items)} items, 0 errors; 2×503 then 200, backoff gaps {g} s"


def check_429(run, mirror):
    recovered(run)
    g = gaps(mirror, DETAIL)
    assert mirror.counts[DETAIL] == 2 and g[0] >= 2.0, g
    assert run.stats.get("retry_after/429") == 1
    return f"recovered: {len(run.items)} items, 0 errors; retry sent {g[0]} s after the 429 (Retry-After: 2)"


def check_429_date(run, mirror):
    recovered(run)
    g = gaps(mirror, DETAIL)
    assert mirror.counts[DETAIL] == 2 and g[0] >= 1.0, g
    return f"recovered: {len(run.items)} items, 0 errors; retry sent {g[0]} s after the 429 (Retry-After as an HTTP-date 3 s ahead)"


def check_slow(run, mirror):
    err = one_error(run, DETAIL, "timed out", "timeout")
    return f"fails: {len(run.items)} items, issue-log error at the URL: `{err['message'][:90]}` (3 attempts)"


def check_reset(run, mirror):
    recovered(run)
    assert mirror.counts[DETAIL] == 2
    return f"recovered: {len(run.items)} items, 0 errors; connection reset once, retried"


def check_dataloss(run, mirror):
    err = one_error(run, DETAIL, "connection lost before the response was complete", "connection_lost")
    assert mirror.counts[DETAIL] == 3
    return f"fails: {len(run.items)} items, issue-log error at the URL: `{err['message'][:90]}`"


def check_truncated_html(run, mirror):
    err = one_error(run, DETAIL, "truncated HTML", "truncated")
    assert mirror.counts[DETAIL] == 3
    return f"fails: {len(run.items)} items, issue-log error at the URL: `{err['message']}` (3 attempts)"


def check_charset_utf8_as_latin1(run, mirror):
    recovered(run)
    item = next(i for i in run.items if i["source_url"] == UTF8_DETAIL)
    assert item["name"] == "Atlanpole Biothérapies", item["name"]
    warn = [i for i in run.issues if i["code"] == "encoding_corrected"]
    assert [w["url"] for w in warn] == [UTF8_DETAIL]
    return f"recovered: {len(run.items)} items, name read correctly; warning `{warn[0]['message']}` at the URL"


def check_charset_latin1_as_utf8(run, mirror):
    recovered(run)
    item = next(i for i in run.items if i["source_url"] == UTF8_DETAIL)
    assert item["name"] == "Atlanpole Biothérapies", item["name"]
    warn = [i for i in run.issues if i["code"] == "encoding_corrected"]
    assert [w["url"] for w in warn] == [UTF8_DETAIL]
    return f"recovered: {len(run.items)} items, name read correctly; warning `{warn[0]['message']}` at the URL"


def check_empty(run, mirror):
    err = one_error(run, DETAIL, "empty response body", "empty")
    assert mirror.counts[DETAIL] == 3
    return f"fails: {len(run.items)} items, issue-log error at the URL: `{err['message']}` (3 attempts)"


def check_drift(run, mirror):
    line = crawl_failed(run, BASE + "/", "required field 'name' not found")
    missing = [e for e in run.errors if e["code"] == "missing_required_field" and e["field"] == "name"]
    assert len(missing) == ALL
    return f"fails: exit 2, {len(missing)} `missing_required_field` errors (one per page); `{line[:150]}…`"


def check_redirect(run, mirror):
    err = one_error(run, DETAIL, "redirect to another host refused", "offsite_redirect")
    assert not [u for u in mirror.counts if "example.net" in u]  # never fetched
    return f"fails: {len(run.items)} items, issue-log error: `{err['message'][:110]}`; other host never contacted"


def check_robots(run, mirror):
    line = crawl_failed(run, LISTING, "forbidden by robots.txt")
    assert set(mirror.counts) == {"https://competitivite.gouv.fr/robots.txt"}
    return f"fails: exit 2, `{line[:150]}`; only robots.txt fetched"


def check_oversized(run, mirror):
    err = one_error(run, DETAIL, "larger than DOWNLOAD_MAXSIZE", "too_large")
    return f"fails: {len(run.items)} items, issue-log error: `{err['message'][:100]}…`"


def lost_page(run: CrawlRun, url: str, cause_text: str, cause: str) -> dict:
    """Issue 11: a page Scrapy used to drop silently is one issue-log error naming its URL, and
    the crawl's accounting balances (page requests = pages parsed + pages reported)."""
    err = one_error(run, url, cause_text, cause)
    accounting(run, reported=1)
    return err


def accounting(run: CrawlRun, reported: int) -> dict:
    s = run.stats
    assert s["accounting/unaccounted"] == 0 and s["accounting/balanced"] is True, s
    assert s["accounting/requested"] == s["accounting/parsed"] + s["accounting/reported"], s
    assert s["accounting/reported"] == reported, s
    return s


def check_meta_refresh_offsite(run, mirror):
    err = lost_page(
        run,
        DETAIL,
        f"meta refresh to another host refused: {DETAIL} -> https://evil.example.net/pole",
        "offsite_redirect",
    )
    assert not [u for u in mirror.counts if "example.net" in u]  # never fetched
    return f"fails: {len(run.items)} items, issue-log error: `{err['message'][:120]}`; accounting balanced"


def check_redirect_to_self(run, mirror):
    err = lost_page(run, DETAIL, "redirects to itself", "redirect_loop")
    return f"fails: {len(run.items)} items, issue-log error: `{err['message'][:120]}`; accounting balanced"


def check_meta_refresh_to_crawled_page(run, mirror):
    err = lost_page(run, DETAIL, f"already requested: {DETAIL} -> {LISTING}", "redirect_duplicate")
    return f"fails: {len(run.items)} items, issue-log error: `{err['message'][:120]}`; accounting balanced"


def check_duplicate_link(run, mirror):
    recovered(run)
    dup = [i for i in run.issues if i["code"] == "duplicate_request"]
    assert [(d["url"], d["severity"]) for d in dup] == [(DETAIL, "warning")], dup
    assert mirror.counts[DETAIL] == 1
    accounting(run, reported=1)
    return f"recovered: {len(run.items)} items, 0 errors; warning `{dup[0]['message']}` at the URL; accounting balanced"


def check_silent_filter(run, mirror):
    # URLLENGTH_LIMIT makes Scrapy's UrlLengthMiddleware drop the longest detail URLs without an
    # errback: the accounting's last resort names each of them.
    lost = [e for e in run.errors if e["code"] == "request_unaccounted"]
    assert lost and len(run.items) + len(lost) == ALL, (len(run.items), len(lost))
    assert all(len(e["url"]) > 110 for e in lost), lost
    assert run.stats["accounting/unaccounted"] == len(lost) and run.stats["accounting/balanced"] is False
    return f"fails: {len(run.items)} items, {len(lost)} `request_unaccounted` errors naming each dropped URL; stats `accounting/balanced: false`"


def _meta_refresh(target: str):
    def transform(body: bytes) -> bytes:
        tag = f'<meta http-equiv="refresh" content="0;url={target}">'.encode()
        return body.replace(b"<head>", b"<head>" + tag, 1)

    return transform


def _link_twice(body: bytes) -> bytes:
    """The first listing page gains a card for a pôle listed on page 3 (a duplicate across pages)."""
    card = (
        b'<div class="fr-col-12 fr-col-md-6 fr-col-lg-4"><div class="fr-card"><div class="fr-card__body">'
        b'<h3 class="fr-card__title"><a href="/les-poles-de-competitivite/annuaire-des-poles/pole-europeen-de-la-ceramique">'
        b"P\xc3\xb4le Europ\xc3\xa9en de la C\xc3\xa9ramique</a></h3></div></div></div>"
    )
    marker = b'<div class="fr-col-12 fr-col-md-6 fr-col-lg-4">'
    assert marker in body
    return body.replace(marker, card + marker, 1)


def _latin1(body: bytes) -> bytes:
    return body.decode("utf-8").encode("cp1252")


def _drift(body: bytes) -> bytes:
    # A redesign: the title is no longer an <h1>, and the JSON-LD block lost its name.
    return body.replace(b"<h1", b"<p").replace(b"</h1>", b"</p>").replace(b'"name"', b'"title"')


def _cut(body: bytes) -> bytes:
    return body[: len(body) // 2]


def _pad(body: bytes) -> bytes:
    return body.replace(b"</body>", b"<!--" + b"x" * 6_000_000 + b"--></body>")


def _http_date(seconds: float) -> str:
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    return format_datetime(datetime.now(timezone.utc) + timedelta(seconds=seconds), usegmt=True)


SCENARIOS = [
    Scenario(
        "http_500",
        "HTTP 500 (persistent)",
        "every request for the first listing page answers 500",
        "fails naming the listing URL and `HTTP 500` after the retries",
        [(LISTING_RE, Fault(status=500))],
        check_500,
    ),
    Scenario(
        "http_503_burst",
        "burst of 503 then recovery",
        "first listing page: 503 twice, then the archived page",
        "recovered, with backoff between attempts",
        [(LISTING_RE, Fault(status=503, times=2))],
        check_503_burst,
    ),
    Scenario(
        "http_429_retry_after",
        "429 with Retry-After (seconds)",
        "one detail page: 429 `Retry-After: 2` once",
        "recovered; the retry waits ≥ 2 s",
        [(DETAIL_RE, Fault(status=429, headers={"Retry-After": "2"}, times=1))],
        check_429,
        THROTTLED,
    ),
    Scenario(
        "http_429_retry_after_date",
        "429 with Retry-After (HTTP-date)",
        "one detail page: 429, Retry-After a date 3 s ahead, once",
        "recovered; the retry waits for the date",
        [(DETAIL_RE, Fault(status=429, headers={"Retry-After": lambda: _http_date(3)}, times=1))],
        check_429_date,
        THROTTLED,
    ),
    Scenario(
        "slow_response",
        "response slower than the timeout",
        "one detail page answers after 4 s (timeout 2 s), every time",
        "fails naming the URL and `timed out`",
        [(DETAIL_RE, Fault(delay=4))],
        check_slow,
    ),
    Scenario(
        "connection_reset",
        "connection reset",
        "one detail page: TCP RST instead of an answer, once",
        "recovered after a retry",
        [(DETAIL_RE, Fault(reset=True, times=1))],
        check_reset,
    ),
    Scenario(
        "truncated_transfer",
        "truncated body (connection closed early)",
        "one detail page: full Content-Length declared, 2,000 bytes sent, connection closed",
        "fails naming the URL and the data loss",
        [(DETAIL_RE, Fault(truncate=2000))],
        check_dataloss,
    ),
    Scenario(
        "truncated_html",
        "truncated HTML",
        "one detail page cut in half (consistent Content-Length, no `</html>`)",
        "fails naming the URL and `truncated HTML`",
        [(DETAIL_RE, Fault(transform=_cut))],
        check_truncated_html,
    ),
    Scenario(
        "charset_utf8_declared_latin1",
        "wrong declared charset (UTF-8 body, ISO-8859-1 declared)",
        "one detail page: header `charset=iso-8859-1` on a UTF-8 body",
        "recovered: read as UTF-8, a warning names the URL",
        [(UTF8_DETAIL_RE, Fault(headers={"Content-Type": "text/html; charset=iso-8859-1"}))],
        check_charset_utf8_as_latin1,
    ),
    Scenario(
        "charset_latin1_declared_utf8",
        "wrong declared charset (windows-1252 body, UTF-8 declared)",
        "one detail page re-encoded in windows-1252, still declared UTF-8",
        "recovered: read as windows-1252, a warning names the URL",
        [(UTF8_DETAIL_RE, Fault(transform=_latin1))],
        check_charset_latin1_as_utf8,
    ),
    Scenario(
        "empty_200",
        "empty 200",
        "one detail page: status 200, empty body, every time",
        "fails naming the URL and `empty response body`",
        [(DETAIL_RE, Fault(body=b""))],
        check_empty,
    ),
    Scenario(
        "layout_drift",
        "layout drift (required field gone from every page)",
        "every detail page: `<h1>` title turned into `<p>`, JSON-LD `name` renamed",
        "fails: no item, one `missing_required_field` error per page",
        [(re.escape(BASE) + "/", Fault(transform=_drift))],
        check_drift,
    ),
    Scenario(
        "offsite_redirect",
        "redirect to another host",
        "one detail page: 302 to https://evil.example.net/",
        "fails naming the URL; the other host is never contacted",
        [(DETAIL_RE, Fault(redirect="https://evil.example.net/pole"))],
        check_redirect,
    ),
    Scenario(
        "robots_disallow",
        "robots.txt disallow",
        "robots.txt: `User-agent: *` / `Disallow: /`",
        "fails naming the start URL and `forbidden by robots.txt`; nothing else fetched",
        [(r"/robots\.txt$", Fault(body=b"User-agent: *\nDisallow: /\n"))],
        check_robots,
    ),
    Scenario(
        "oversized_body",
        "oversized body",
        "one detail page padded to 6 MB (poles.yml max_response_bytes: 5 MB)",
        "fails naming the URL; download cancelled",
        [(DETAIL_RE, Fault(transform=_pad))],
        check_oversized,
    ),
    # Issue 11: requests Scrapy's filters used to drop silently.
    Scenario(
        "meta_refresh_offsite",
        "meta refresh to another host",
        "one detail page: `<meta http-equiv=refresh>` to https://evil.example.net/",
        "fails naming the URL and the refused host; accounting balanced",
        [(DETAIL_RE, Fault(transform=_meta_refresh("https://evil.example.net/pole")))],
        check_meta_refresh_offsite,
    ),
    Scenario(
        "redirect_to_self",
        "redirect to itself",
        "one detail page: 302 to its own URL, every time",
        "fails naming the URL and the loop (was: dropped by the duplicate filter, silently)",
        [(DETAIL_RE, Fault(redirect=DETAIL))],
        check_redirect_to_self,
    ),
    Scenario(
        "meta_refresh_to_crawled_page",
        "meta refresh to a page already crawled",
        "one detail page: meta refresh to the first listing page",
        "fails naming the URL (the detail page is lost)",
        [(DETAIL_RE, Fault(transform=_meta_refresh(LISTING)))],
        check_meta_refresh_to_crawled_page,
    ),
    Scenario(
        "duplicate_link",
        "the same detail page linked twice",
        "the first listing page links a detail page of the third one",
        "recovered: fetched once, a warning names the duplicate; accounting balanced",
        [(LISTING_RE, Fault(transform=_link_twice))],
        check_duplicate_link,
    ),
    Scenario(
        "silently_filtered_requests",
        "requests dropped by a Scrapy filter without an errback",
        "`-s URLLENGTH_LIMIT=110`: Scrapy's UrlLengthMiddleware drops the longest detail URLs",
        "fails: each dropped URL is an error (`request_unaccounted`); stats say unbalanced",
        [],
        check_silent_filter,
        {"URLLENGTH_LIMIT": 110},
    ),
]
for n, s in enumerate(SCENARIOS):
    EXPECTED_IDS.add(s.id)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_fault(scenario: Scenario, tmp_path, report_row):
    report_row.update(
        fault=scenario.fault,
        level="crawl",
        injected=scenario.injected,
        expected=scenario.expected,
        order=SCENARIOS.index(scenario),
    )
    with Mirror.from_snapshots("poles") as mirror:
        for pattern, fault in scenario.faults:
            mirror.add_fault(pattern, fault)
        run = crawl_live(mirror.proxy_url, tmp_path, settings=scenario.settings)
        report_row["observed"] = (
            "(check failed) " + f"exit {run.returncode}, {len(run.items)} items, {len(run.errors)} errors"
        )
        report_row["observed"] = scenario.check(run, mirror)
