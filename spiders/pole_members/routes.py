"""Routes of the member directories: a ``json_endpoint`` answer (by its content), any HTML page of a
pôle's site (``directory``), a ``sitemap`` (by its URL) and anything else (``unreadable``). Read by
the spider (which adds each site's bookkeeping: budget, depth, the pager's loops, the search form's
letters) and by ``python -m spiders.parse pole_members PAGE --url URL``.

A directory page yields one item per member and one link per page the crawl would go on to (the
pager's pages, the JSON endpoints the page loads, the empty submission of its member search form).
The crawl carries the pôle (``cluster_id``) and how it reached the page (``form``) in the request;
the page check finds the pôle from the URL's host, in the sites file beside the page or in the
bundled samples (None when unknown), and the form from the page itself.
"""

from __future__ import annotations

from form2request import form2request

from common.issues import WARNING, Issue
from spiders.core.routing import Link, Route
from spiders.pole_sites.discover import host_key, sitemap_urls
from spiders.pole_sites.routes import cluster_of

from .discover import json_endpoints, member_link_score, member_search_forms, page_is_directory, pagination_links
from .parse import SOURCE, looks_like_json, parse_html, parse_json

MEMBER_FIELDS = ("organisation", "evidence_url", "directory_form", "source_url")


def _cluster_context(response, origin) -> dict:
    return {"cluster_id": cluster_of(response.url, origin)}


def _with_cluster(records, cluster_id):
    for record in records:
        yield {"cluster_id": cluster_id, **record} if isinstance(record, dict) else record


def _directory(response, cluster_id: str | None = None, form: str | None = None):
    members, issues = parse_html(response.text, response.url, form=form, root=response.selector.root)
    yield from _with_cluster([*members, *issues], cluster_id)
    root, host = response.selector.root, host_key(response.url)
    for url in pagination_links(root, response.url, host):
        yield Link(url, "directory")
    for url in json_endpoints(root, response.url, host):
        yield Link(url, "json_endpoint")
    title = " ".join(response.xpath("//title//text() | //h1//text()").getall())
    for search in member_search_forms(root, response.url, host, page_is_directory(title)):
        url = form2request(response.xpath("//form")[search.number], click=False).url
        yield Link(url, "directory", {"form": "search_form"}, shown={"letter_field": search.field})


def _json(response, cluster_id: str | None = None, fields: dict | None = None):
    """``fields``: the YAML's per-site hint (our field -> the endpoint's key)."""
    members, issues, next_url = parse_json(response.body, response.url, fields)
    yield from _with_cluster([*members, *issues], cluster_id)
    if next_url:
        yield Link(next_url, "json_endpoint")


def _sitemap(response, cluster_id: str | None = None):
    """The sitemap's directory-like URLs; their route is found when they arrive."""
    for url in sitemap_urls(response.body):
        if score := member_link_score(None, url):
            yield Link(url, None, shown={"score": score})


def _neither(response, cluster_id: str | None = None, **_):
    yield Issue(
        SOURCE,
        response.url,
        "body",
        "not_html",
        f"pôle {cluster_id}: neither HTML nor JSON: nothing read",
        WARNING,
        None,
        {"cluster_id": cluster_id},
    )


ROUTES = (
    Route(
        kind="sitemap",
        url_pattern=r"/sitemap[^/?#]*\.xml(?:[?#].*)?$",
        example_url="https://pole.example/sitemap.xml",
        parse=_sitemap,
        listing=True,
        context=_cluster_context,
    ),
    Route(
        kind="json_endpoint",
        url_pattern=None,  # by content (a JSON Content-Type or body, or a .json URL), as the crawl tells
        example_url="https://pole.example/api/adherents.json",
        parse=_json,
        sniff=looks_like_json,
        required=MEMBER_FIELDS,
        context=_cluster_context,
    ),
    Route(
        kind="directory",
        url_pattern=None,  # any HTML page of the site
        example_url="https://pole.example/annuaire/",
        parse=_directory,
        sniff=lambda response: hasattr(response, "text"),
        listing=True,  # a directory page may hold only the way on (a pager, a search form, a JSON URL)
        required=MEMBER_FIELDS,
        context=_cluster_context,
    ),
    Route(
        kind="unreadable",
        url_pattern=None,
        example_url="https://pole.example/image.png",
        parse=_neither,
        sniff=lambda response: True,
        context=_cluster_context,
    ),
)
