"""Scrapy settings shared by every source. Per-source values come from sources/<source>.yml
through :func:`spiders.core.runner.settings_for`; this module only holds the house defaults."""

from common.sources import all_sources

BOT_NAME = "poles_cce"
# One spider package per source of the registry (sources/*.yml).
SPIDER_MODULES = sorted({source.spider_module for source in all_sources()})
NEWSPIDER_MODULE = "spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "poles-cce-opendata/0.1 (+https://github.com/poles-cce-opendata; open-data crawler)"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# No control server on an unattended crawler (Scrapy 2.19 opens one by default).
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy (asyncio reactor) starts CONCURRENT_ITEMS worker tasks for every response's output,
# whatever its size; our pages yield 1 to ~20 items, so the default 100 spent most of a
# multi-site crawl's CPU on idle tasks (measured: 100 sites x 40 pages, 18.4 s -> 11.7 s).
CONCURRENT_ITEMS = 16
RETRY_ENABLED = True
# Backoff before each retry (spiders.core.middlewares.RetryAfterMiddleware): Retry-After when
# the server sends one, else 1 s, 2 s, 4 s…; never more than RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10_000_000
DOWNLOAD_WARNSIZE = 2_000_000
DOWNLOAD_FAIL_ON_DATALOSS = True
# A 200 HTML page without its closing </html> tag is a truncated page (spiders.core.middlewares.ResponseGuard).
RESPONSE_GUARD_REQUIRE_HTML_END = True

# HTTP cache: enabled per source in live mode only (spiders.core.runner.settings_for), under
# data/cache/<source>/. Every request carries Cache-Control: max-age=0 (SourceSpider.request),
# so RFC2616Policy revalidates every stored page on every crawl with If-None-Match /
# If-Modified-Since: an unchanged page costs a 304, a changed one comes back whole.
HTTPCACHE_ENABLED = False
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "spiders.core.cache.FastGzipCacheStorage"
HTTPCACHE_IGNORE_HTTP_CODES = [301, 302, 303, 307, 308, 401, 403, 404, 408, 410, 429, 500, 502, 503, 504]
HTTPCACHE_GZIP = True

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's offsite filter, whose silent drops at scheduling (a meta refresh or redirect to
    # another host) become issue-log errors naming both URLs.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "spiders.core.middlewares.ReportingOffsiteMiddleware": 50,
    # A 3xx to a host off the source's domains fails its request (seen before RedirectMiddleware, 600).
    "spiders.core.middlewares.OffsiteRedirectGuard": 650,
    # On the way back: charset, empty and truncated pages checked after decompression (590),
    # then the backoff (560) before RetryMiddleware (550) reschedules a 5xx or 429.
    "spiders.core.middlewares.ResponseGuard": 555,
    "spiders.core.middlewares.RetryAfterMiddleware": 560,
    "spiders.core.middlewares.UnreachableGuard": 570,
    # Next to the downloader: the archive stores responses as received (still compressed),
    # and replay hands its responses to every other middleware, as live would. Below the
    # HTTP cache (900): a page revalidated with a 304 is archived as the 200 the spider gets,
    # so the run's WARC replays to the same tables.
    "spiders.core.middlewares.WarcArchiveMiddleware": 895,
    "spiders.core.middlewares.ReplayMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "spiders.core.middlewares.ResponseIssues": 60,
    "spiders.core.pipelines.PersonalDataGuard": 900,  # next to the spider: sees its output first
    # Closest to the spider: a response that gets here reaches its callback (page parsed);
    # requests the spider yields pass every filter below it before they count as scheduled.
    "spiders.core.middlewares.PageAccounting": 990,
}
ITEM_PIPELINES = {
    "spiders.core.pipelines.RequiredFieldsPipeline": 100,
}
