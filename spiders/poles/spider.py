"""Crawl of the directory: listing pages (DSFR pagination), then one detail page per pôle."""

from __future__ import annotations

from common.issues import Issue
from spiders.core.spider import SourceSpider

from .parse import NEXT_PAGE, parse_detail, parse_listing


class PolesSpider(SourceSpider):
    name = "poles"
    source_name = "poles"
    required_fields = ("name", "region")
    organisation_contact_fields = ("contact_email", "contact_phone")  # the pôle's own, published

    def parse(self, response):
        for entry in parse_listing(response):
            if isinstance(entry, Issue):
                yield entry
            elif entry.kind == NEXT_PAGE:
                yield self.request(entry.url, self.parse)
            else:
                yield self.request(entry.url, self.parse_detail)

    def parse_detail(self, response):
        yield from parse_detail(response)
