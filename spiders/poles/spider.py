"""Crawl of the directory: listing pages (DSFR pagination), then one detail page per pôle
(the routes in ``routes.py``)."""

from __future__ import annotations

from spiders.core.spider import SourceSpider

from .routes import ROUTES


class PolesSpider(SourceSpider):
    name = "poles"
    source_name = "poles"
    required_fields = ("name", "region")
    organisation_contact_fields = ("contact_email", "contact_phone")  # the pôle's own, published
    routes = ROUTES
