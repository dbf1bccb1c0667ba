"""Crawls the two listings of cnccef.org (France, world; the latter paginated) and each page
(the routes in ``routes.py``)."""

from __future__ import annotations

from spiders.core.spider import SourceSpider

from .routes import ROUTES


class CceCommitteesSpider(SourceSpider):
    name = "cce_committees"
    source_name = "cce_committees"
    required_fields = ("source_url", "page_url", "name", "kind", "territory")
    routes = ROUTES
