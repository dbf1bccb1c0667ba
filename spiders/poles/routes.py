"""Routes of the pôles directory: listing pages (DSFR pagination) lead to one detail page per pôle.
Read by the spider and by ``python -m spiders.parse poles PAGE``."""

from __future__ import annotations

from common.issues import Issue
from spiders.core.routing import Link, Route

from .parse import NEXT_PAGE, parse_detail, parse_listing

DIRECTORY = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
_CARD_TITLE = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-card__title ')]"


def _listing(response):
    for entry in parse_listing(response):
        if isinstance(entry, Issue):
            yield entry
        else:
            yield Link(entry.url, "listing" if entry.kind == NEXT_PAGE else "detail")


ROUTES = (
    Route(
        kind="listing",
        url_pattern=r"^https?://competitivite\.gouv\.fr/les-poles-de-competitivite/annuaire-des-poles/?(?:[?#].*)?$",
        example_url=DIRECTORY,
        parse=_listing,
        sniff=lambda r: len(r.xpath(_CARD_TITLE)) >= 2,
        listing=True,
    ),
    Route(
        kind="detail",
        url_pattern=r"^https?://competitivite\.gouv\.fr/les-poles-de-competitivite/annuaire-des-poles/[^/?#]+/?(?:[?#].*)?$",
        example_url=DIRECTORY + "/page-saved-by-hand",
        parse=parse_detail,
        sniff=lambda r: bool(r.xpath("//h1")) and len(r.xpath(_CARD_TITLE)) < 2,
    ),
)
