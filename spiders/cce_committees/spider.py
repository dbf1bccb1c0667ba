"""Crawls the two listings of cnccef.org (France, world; the latter paginated) and each page."""

from __future__ import annotations

from common.issues import Issue
from spiders.core.spider import SourceSpider

from .parse import parse_listing, parse_page


class CceCommitteesSpider(SourceSpider):
    name = "cce_committees"
    source_name = "cce_committees"
    required_fields = ("source_url", "page_url", "name", "kind", "territory")

    def parse(self, response):
        for entry in parse_listing(response):
            if isinstance(entry, Issue):
                yield entry
            elif "next" in entry:
                yield self.request(entry["next"], self.parse)
            else:
                yield self.request(entry["url"], self.parse_page, cb_kwargs={"kind": entry["kind"]})

    def parse_page(self, response, kind=None):
        yield from parse_page(response, kind=kind)
