"""Honour ``Retry-After`` on 429 (Scrapy's RetryMiddleware retries 429 but ignores the header)."""
from __future__ import annotations

MAX_WAIT = 60.0  # seconds; a longer Retry-After is capped (the retry budget still applies)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds; None for HTTP dates or garbage."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_WAIT)


class RetryAfterMiddleware:
    """On a 429, raise the download slot's delay to Retry-After before the retry is scheduled.

    AutoThrottle brings the delay back down as answers come back normally."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status != 429:
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        self.crawler.stats.inc_value("retry_after/429")
        if wait:
            downloader = self.crawler.engine.downloader
            key = request.meta.get("download_slot") or downloader.get_slot_key(request)
            slot = downloader.slots.get(key)
            if slot is not None:
                slot.delay = max(slot.delay, wait)
                self.crawler.stats.max_value("retry_after/max_wait", wait)
        return response
