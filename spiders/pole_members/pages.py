"""Page kinds of the member directories, for ``python -m spiders.parse pole_members PAGE --url URL``.

A JSON answer (``json_endpoint``) or any HTML page of a pôle's site (``directory``): the parser
prints one item per member, and one link per page the crawl would go on to (the pager's pages,
the JSON endpoints the page loads, the empty submission of its member search form). The pôle
(``cluster_id``) comes from the URL's host, looked up in the sites file beside the page or in
the bundled samples; None when unknown.
"""

from __future__ import annotations

from form2request import form2request

from spiders.pages import PageKind, PageLink
from spiders.pole_sites.discover import host_key
from spiders.pole_sites.pages import cluster_of

from .discover import json_endpoints, member_search_forms, page_is_directory, pagination_links
from .parse import looks_like_json, parse_html, parse_json

MEMBER_FIELDS = ("organisation", "evidence_url", "directory_form", "source_url")


def _with_cluster(records, cluster_id):
    for record in records:
        yield {"cluster_id": cluster_id, **record} if isinstance(record, dict) else record


def _parse_directory(response, origin=None):
    members, issues = parse_html(response.text, response.url, root=response.selector.root)
    yield from _with_cluster([*members, *issues], cluster_of(response.url, origin))
    root, host = response.selector.root, host_key(response.url)
    for url in pagination_links(root, response.url, host):
        yield PageLink(url, "directory")
    for url in json_endpoints(root, response.url, host):
        yield PageLink(url, "json_endpoint")
    title = " ".join(response.xpath("//title//text() | //h1//text()").getall())
    for form in member_search_forms(root, response.url, host, page_is_directory(title)):
        url = form2request(response.xpath("//form")[form.number], click=False).url
        yield PageLink(url, "directory", {"form": "search_form", "letter_field": form.field})


def _parse_json(response, origin=None):
    members, issues, next_url = parse_json(response.body, response.url)
    yield from _with_cluster([*members, *issues], cluster_of(response.url, origin))
    if next_url:
        yield PageLink(next_url, "json_endpoint")


PAGE_KINDS = [
    PageKind(
        name="json_endpoint",
        url_pattern=r"(?i)(\.json(?:[?#].*)?$|/wp-json/|/api/)",
        canonical_url="https://pole.example/api/adherents.json",
        parse=_parse_json,
        sniff=looks_like_json,
        required=MEMBER_FIELDS,
    ),
    PageKind(
        name="directory",
        url_pattern=r"^https?://",
        canonical_url="https://pole.example/annuaire/",
        parse=_parse_directory,
        sniff=lambda response: True,
        listing=True,  # a directory page may hold only the way on (a pager, a search form, a JSON URL)
        required=MEMBER_FIELDS,
    ),
]
