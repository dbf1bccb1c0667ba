"""Page kinds of the pôles directory, for ``python -m spiders.parse poles PAGE``."""

from __future__ import annotations

from common.issues import Issue
from spiders.pages import PageKind, PageLink

from .parse import NEXT_PAGE, parse_detail, parse_listing

DIRECTORY = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
_CARD_TITLE = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-card__title ')]"


def _listing(response, origin=None):
    for entry in parse_listing(response):
        if isinstance(entry, Issue):
            yield entry
        else:
            yield PageLink(entry.url, "listing" if entry.kind == NEXT_PAGE else "detail")


def _detail(response, origin=None):
    yield from parse_detail(response)


PAGE_KINDS = [
    PageKind(
        name="listing",
        url_pattern=r"^https?://competitivite\.gouv\.fr/les-poles-de-competitivite/annuaire-des-poles/?(?:[?#].*)?$",
        canonical_url=DIRECTORY,
        parse=_listing,
        sniff=lambda r: len(r.xpath(_CARD_TITLE)) >= 2,
        listing=True,
    ),
    PageKind(
        name="detail",
        url_pattern=r"^https?://competitivite\.gouv\.fr/les-poles-de-competitivite/annuaire-des-poles/[^/?#]+/?(?:[?#].*)?$",
        canonical_url=DIRECTORY + "/page-saved-by-hand",
        parse=_detail,
        sniff=lambda r: bool(r.xpath("//h1")) and len(r.xpath(_CARD_TITLE)) < 2,
    ),
]
