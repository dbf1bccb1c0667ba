"""Fixture pages as Scrapy responses with their real URL (city-scrapers style)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import Request
from scrapy.responsetypes import responsetypes

from common.paths import SNAPSHOTS_DIR
from spiders.core.archive import open_archive

_archives: dict[str, object] = {}


def archived_response(source: str, url: str):
    """The response the bundled snapshot of ``source`` holds for ``url``."""
    if source not in _archives:
        _archives[source] = open_archive(SNAPSHOTS_DIR / source)
    rec = _archives[source].get(url)
    if rec is None:
        raise KeyError(f"{url} is not in the {source} snapshot")
    cls = responsetypes.from_args(headers=rec.headers, url=url, body=rec.body)
    return cls(url=url, status=rec.status, headers=rec.headers, body=rec.body, request=Request(url))


def file_response(path: str | Path, url: str, headers: dict | None = None):
    body = Path(path).read_bytes()
    headers = headers or {"Content-Type": "text/html; charset=utf-8"}
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=200, headers=headers, body=body, request=Request(url))
