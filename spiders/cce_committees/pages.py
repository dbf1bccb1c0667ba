"""Page kinds of cnccef.org, for ``python -m spiders.parse cce_committees PAGE``.

A committee (France) and a section (abroad) share one parser; their kind names match the
``kind`` the listing gives each link, so ``--kind section`` reads a page as a section."""

from __future__ import annotations

from common.issues import Issue
from spiders.core.extract import labelled_values
from spiders.pages import PageKind, PageLink

from .parse import FRANCE_PATH, WORLD_PATH, parse_listing, parse_page

SITE = "https://www.cnccef.org"
_HOST = r"^https?://(?:www\.)?cnccef\.org"
_SLUG = r"(?!page/)[^/?#]+/?(?:[?#].*)?$"


def _listing(response, origin=None):
    for entry in parse_listing(response):
        if isinstance(entry, Issue):
            yield entry
        elif "next" in entry:
            yield PageLink(entry["next"], "listing")
        else:
            yield PageLink(entry["url"], entry["kind"], {"name": entry["name"]})


def _page(kind):
    def parse(response, origin=None):
        yield from parse_page(response, kind=kind)

    return parse


def _looks_like_listing(response) -> bool:
    hrefs = response.xpath("//main//a/@href").getall()
    return sum(FRANCE_PATH in h or WORLD_PATH in h for h in hrefs) >= 3


PAGE_KINDS = [
    PageKind(
        name="listing",
        url_pattern=_HOST + r"/les-cce-(?:en-france|dans-le-monde)/(?:page/\d+/?)?(?:[?#].*)?$",
        canonical_url=SITE + FRANCE_PATH,
        parse=_listing,
        sniff=_looks_like_listing,
        listing=True,
    ),
    PageKind(
        name="committee",
        url_pattern=_HOST + FRANCE_PATH + _SLUG,
        canonical_url=SITE + FRANCE_PATH + "page-saved-by-hand/",
        parse=_page("committee"),
        sniff=lambda r: bool(r.xpath("//h1")) and "pays" not in labelled_values(r, "//main | //body").fields,
    ),
    PageKind(
        name="section",
        url_pattern=_HOST + WORLD_PATH + _SLUG,
        canonical_url=SITE + WORLD_PATH + "page-saved-by-hand/",
        parse=_page("section"),
        sniff=lambda r: bool(r.xpath("//h1")),
    ),
]
