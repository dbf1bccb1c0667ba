"""Routes of cnccef.org: the two listings (France; world, paginated) lead to committee pages
(France) and section pages (abroad), read by one parser. Read by the spider and by
``python -m spiders.parse cce_committees PAGE``; ``--kind section`` reads a page as a section."""

from __future__ import annotations

from functools import partial

from common.issues import Issue
from common.places import fold
from spiders.core.extract import node_text
from spiders.core.lexicon import find_values
from spiders.core.routing import Link, Route

from .parse import FRANCE_PATH, LEXICON, WORLD_PATH, parse_listing, parse_page

SITE = "https://www.cnccef.org"
_HOST = r"^https?://(?:www\.)?cnccef\.org"
_SLUG = r"(?!page/)[^/?#]+/?(?:[?#].*)?$"


def _listing(response):
    for entry in parse_listing(response):
        if isinstance(entry, Issue):
            yield entry
        elif "next" in entry:
            yield Link(entry["next"], "listing")
        else:  # the link's kind (committee, section) is the route's
            yield Link(entry["url"], entry["kind"], shown={"name": entry["name"]})


def _looks_like_section(response) -> bool:
    """A section abroad: its title says so ("Section Pérou") or a label gives its country."""
    title = response.xpath("//h1")
    if not title:
        return False
    return (
        fold(node_text(title)).startswith("section ")
        or find_values(LEXICON, response, "//main | //body").first("country") is not None
    )


def _looks_like_listing(response) -> bool:
    hrefs = response.xpath("//main//a/@href").getall()
    return sum(FRANCE_PATH in h or WORLD_PATH in h for h in hrefs) >= 3


ROUTES = (
    Route(
        kind="listing",
        url_pattern=_HOST + r"/les-cce-(?:en-france|dans-le-monde)/(?:page/\d+/?)?(?:[?#].*)?$",
        example_url=SITE + FRANCE_PATH,
        parse=_listing,
        sniff=_looks_like_listing,
        listing=True,
    ),
    Route(
        kind="committee",
        url_pattern=_HOST + FRANCE_PATH + _SLUG,
        example_url=SITE + FRANCE_PATH + "page-saved-by-hand/",
        parse=partial(parse_page, kind="committee"),
        sniff=lambda r: bool(r.xpath("//h1")) and not _looks_like_section(r),
    ),
    Route(
        kind="section",
        url_pattern=_HOST + WORLD_PATH + _SLUG,
        example_url=SITE + WORLD_PATH + "page-saved-by-hand/",
        parse=partial(parse_page, kind="section"),
        sniff=_looks_like_section,
    ),
)
