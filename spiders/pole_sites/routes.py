"""Routes of the pôles' sites: any page is a ``board_pdf`` (a PDF, by its content) or a
``governance`` page (HTML), read for seats; a ``sitemap`` (by its URL) leads to the pages that
look like governance or team pages. Read by the spider (which adds each site's bookkeeping:
budget, depth, links) and by ``python -m spiders.parse pole_sites PAGE --url URL``.

The crawl carries the pôle (``cluster_id``) and whether the page is the site's home (``home``:
only its schema.org data is read) in the request; the page check finds both from the URL's
host, in the sites file beside a run's archive or in the bundled sample's.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from common.issues import WARNING, Issue
from spiders.core.routing import Link, Route

from .discover import host_key, link_score, sitemap_urls
from .parse import is_pdf, parse_page
from .sites import BUNDLED_SITES, read_sites

SOURCE = "pole_sites"
SEAT_FIELDS = ("person_name", "role", "role_kind", "body", "evidence_url", "evidence_text", "source_url")


def _http(website: str) -> str:
    return website if "://" in website else "https://" + website


def site_of(url: str, origin: Path | None = None) -> dict | None:
    """The sites-file entry (cluster_id, website) whose host is the URL's; None when unknown."""
    files = [BUNDLED_SITES]
    if origin is not None:
        for folder in [origin.resolve().parent, *origin.resolve().parents][:4]:
            if (folder / "sites.jsonl").exists():
                files.insert(0, folder / "sites.jsonl")
                break
    host = host_key(url)
    for path in files:
        if path.exists():
            for site in read_sites(path):
                if site["website"] and host_key(_http(site["website"])) == host:
                    return site
    return None


def cluster_of(url: str, origin: Path | None = None) -> str | None:
    """The pôle whose site ``url`` is on (for sources crawling the same sites, e.g. pole_members)."""
    site = site_of(url, origin)
    return site["cluster_id"] if site else None


def _site_context(response, origin) -> dict:
    site = site_of(response.url, origin)
    if site is None:  # a page of an unknown site: no pôle, and not a home page
        return {"cluster_id": None, "home": False}
    home = urlparse(response.url).path.strip("/") == urlparse(_http(site["website"])).path.strip("/")
    return {"cluster_id": site["cluster_id"], "home": home}


def _seats(response, cluster_id: str | None = None, home: bool = False):
    # The home page's visible text is mostly news: only its schema.org data is read. The tree is
    # the response's own (the spider reads its links first; the seat readers then strip it).
    root = None if is_pdf(response) else response.selector.root
    yield from parse_page(response, cluster_id, schema_only=home, root=root)


def _sitemap(response, cluster_id: str | None = None, home: bool = False):
    """The sitemap's governance-like URLs; their route is found when they arrive (HTML or PDF)."""
    for url in sitemap_urls(response.body):
        if score := link_score(None, url):
            yield Link(url, None, shown={"score": score})


def _neither(response, cluster_id: str | None = None, home: bool = False):
    yield Issue(SOURCE, response.url, "body", "not_html", "neither HTML nor PDF: nothing read", WARNING)


ROUTES = (
    Route(
        kind="sitemap",
        url_pattern=r"/sitemap[^/?#]*\.xml(?:[?#].*)?$",
        example_url="https://pole.example/sitemap.xml",
        parse=_sitemap,
        listing=True,
        context=_site_context,
    ),
    Route(
        kind="board_pdf",
        url_pattern=None,  # by content: a board's PDF link need not end in .pdf
        example_url="https://pole.example/gouvernance/composition.pdf",
        parse=_seats,
        sniff=is_pdf,
        required=SEAT_FIELDS,
        context=_site_context,
    ),
    Route(
        kind="governance",
        url_pattern=None,
        example_url="https://pole.example/gouvernance",
        parse=_seats,
        sniff=lambda response: hasattr(response, "text"),
        required=SEAT_FIELDS,
        context=_site_context,
    ),
    Route(
        kind="unreadable",
        url_pattern=None,
        example_url="https://pole.example/image.png",
        parse=_neither,
        sniff=lambda response: True,
        context=_site_context,
    ),
)
