"""Routes: which parser reads which page of a source, one table read by the crawl and the page check.

Each source lists its routes in ``spiders/<source>/routes.py`` as ``ROUTES`` and its spider
says ``routes = ROUTES``. The spider's callback (:meth:`SourceSpider.parse`) and
``python -m spiders.parse`` both pick a page's route here and call its ``parse``, so a saved
page is read exactly as the crawl reads it.

A route's ``parse(response, **context)`` yields data items (dicts), :class:`Link` records
(pages to read next, and the route that reads each) and :class:`~common.issues.Issue` records.
``context`` is what the crawl carries in the request because the page does not say it (the
company-register query, the pôle a site belongs to); the page check rebuilds it with the
route's ``context(response, origin)`` hook, ``origin`` being the saved file or archive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator


@dataclass(frozen=True)
class Link:
    """A page to read next: its URL, the kind of its route, and that route's ``parse`` keywords."""

    url: str
    kind: str | None  # None: the route is found when the page arrives (by URL, then content)
    context: dict = field(default_factory=dict)  # keyword arguments of the route's parse
    shown: dict = field(default_factory=dict)  # printed by the page check only (e.g. the link's label)


def _never(response) -> bool:
    return False


@dataclass(frozen=True)
class Route:
    kind: str  # page kind: the name links use, and the page check's --kind
    url_pattern: str | None  # regex, re.search'ed against the page's URL (None: by content only)
    parse: Callable[..., Iterator]  # parse(response, **context) -> items, Link, Issue
    example_url: str  # the URL the page check assumes when none is given nor inferred
    sniff: Callable[[object], bool] = _never  # does the content look like this kind?
    listing: bool = False  # yields links rather than items
    required: tuple[str, ...] | None = None  # fields an item must carry (None: the spider's)
    context: Callable[[object, Path | None], dict] | None = None  # page check: the crawl's request context
    url_from_path: Callable[[Path], str | None] | None = None  # a URL the file name gives away

    def matches_url(self, url: str) -> bool:
        return self.url_pattern is not None and re.search(self.url_pattern, url) is not None


class NoRoute(LookupError):
    """No route of the source reads this page."""


def route_for(routes, url: str | None, response=None, kind: str | None = None) -> Route:
    """The route named ``kind``; else the first whose URL pattern matches ``url``; else the
    first whose sniffer accepts the content (a sniffer that cannot read the content says no)."""
    if kind is not None:
        for route in routes:
            if route.kind == kind:
                return route
        raise NoRoute(f"no route '{kind}' (kinds: {', '.join(r.kind for r in routes)})")
    if url:
        for route in routes:
            if route.matches_url(url):
                return route
    if response is not None:
        for route in routes:
            try:
                if route.sniff(response):
                    return route
            except Exception:
                continue
    raise NoRoute(f"no route reads {url or 'this page'} (kinds: {', '.join(r.kind for r in routes)})")
