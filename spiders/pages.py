"""Page kinds: how each source recognises and parses one saved page (for ``python -m spiders.parse``).

Each source declares its kinds in ``spiders/<source>/pages.py`` as ``PAGE_KINDS``, a list
of :class:`PageKind`; the command finds that module from the spider's dotted path in
``sources/<source>.yml``, so adding a source touches nothing here.

A kind's ``parse(response, origin)`` yields data items (dicts), :class:`PageLink` records
(listing pages) and :class:`~common.issues.Issue` records; ``origin`` is the saved
file or archive the page came from (None when unknown), for parsers that need context
the page does not carry (the company-register query, for instance).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


@dataclass(frozen=True)
class PageLink:
    """A link a listing page leads to, and the page kind it points at."""

    url: str
    kind: str
    extra: dict | None = None


@dataclass(frozen=True)
class PageKind:
    name: str
    url_pattern: str  # regex, matched (re.search) against the page's URL
    canonical_url: str  # the URL assumed when none is given nor inferred
    parse: Callable[..., Iterator]  # parse(response, origin) -> items, PageLink, Issue
    sniff: Callable[[object], bool] = lambda response: False  # does the content look like this kind?
    listing: bool = False  # yields links rather than items
    required: tuple[str, ...] | None = None  # fields an item must carry (None: the spider's)
    url_from_path: Callable[[Path], str | None] | None = None  # a URL the file name gives away

    def matches_url(self, url: str) -> bool:
        return re.search(self.url_pattern, url) is not None


def page_kinds(spider_path: str) -> list[PageKind]:
    """``PAGE_KINDS`` of the package holding ``spider_path`` (e.g. spiders.poles.spider.PolesSpider)."""
    package = spider_path.rsplit(".", 2)[0]
    try:
        module = importlib.import_module(f"{package}.pages")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.pages":
            raise
        return []
    return list(module.PAGE_KINDS)


def kind_for(kinds: list[PageKind], url: str | None, response=None) -> PageKind | None:
    """The kind whose URL pattern matches ``url``, else the first whose sniffer accepts the content."""
    if url:
        for kind in kinds:
            if kind.matches_url(url):
                return kind
    if response is not None:
        for kind in kinds:
            try:
                if kind.sniff(response):
                    return kind
            except Exception:  # a sniffer that cannot read this content says no
                continue
    return None
