"""Scrapy settings shared by every source. Per-source values come from sources/<source>.yml
through :func:`spiders.core.runner.settings_for`; this module only holds the house defaults."""

BOT_NAME = "poles_cce"
SPIDER_MODULES = ["spiders.poles", "spiders.cce_committees", "spiders.appointments", "spiders.company_register"]
NEWSPIDER_MODULE = "spiders"

ROBOTSTXT_OBEY = True
USER_AGENT = "poles-cce-opendata/0.1 (+https://github.com/poles-cce-opendata; open-data crawler)"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

AUTOTHROTTLE_ENABLED = True
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS_PER_DOMAIN = 2
RETRY_ENABLED = True
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10_000_000
DOWNLOAD_WARNSIZE = 2_000_000

DOWNLOADER_MIDDLEWARES = {
    # Checked before anything is fetched: a redirect target off the source's domains.
    "spiders.core.middlewares.OffsiteRedirectGuard": 100,
    # Next to the downloader: the archive stores responses exactly as received,
    # and replay hands its responses to every other middleware, as live would.
    "spiders.core.middlewares.WarcArchiveMiddleware": 940,
    "spiders.core.middlewares.ReplayMiddleware": 950,
}
ITEM_PIPELINES = {
    "spiders.core.pipelines.RequiredFieldsPipeline": 100,
}
