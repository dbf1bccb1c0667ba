"""Crawl of the pôles' own sites for their member directories (adhérents, membres, annuaire).

The pôle-website crawler (``spiders.pole_sites``) with other targets: its politeness (robots.txt,
a download slot per host, ``site_crawl`` limits, the redirect guard), its sites file and its
request accounting are reused as they are; only the links followed and what a page yields
differ. From the home page, links scored by :func:`member_link_score` (the sitemap when the home
page has none) lead to directory pages, read in the four forms directories take:

- ``static_list`` / ``paginated``: members read from the page; the pager's links followed (a page
  repeating the members of one already read is a pagination loop: reported, not followed);
- ``search_form``: a GET form about members submitted empty (``form2request``, which Scrapy
  recommends over its deprecated ``FormRequest.from_response``);
  when that lists nobody, submitted once per letter;
- ``json_endpoint``: the URL the page's own scripts or data attributes load, or the per-site
  hint of the YAML (``site_crawl.directory_hints``), read as JSON, its ``next`` pages followed.

Every request ends as members, a link followed or an issue; every site ends as one ``site``
item (found / not_found / site_unreachable / not_crawled) with the forms it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from form2request import form2request

from common.issues import WARNING, Issue
from common.places import fold
from spiders.core.routing import Link
from spiders.pole_sites.discover import candidate_links, host_key, same_site
from spiders.pole_sites.sites import read_sites
from spiders.pole_sites.spider import PoleSitesSpider, Site

from .discover import json_endpoints, member_link_score, member_search_forms, page_is_directory, pagination_links
from .parse import SOURCE
from .routes import ROUTES
from .sites import BUNDLED_SITES

SITE_STATUSES = ("found", "not_found", "site_unreachable", "not_crawled")


@dataclass
class MemberSite(Site):
    members: int = 0
    forms: set = field(default_factory=set)
    directory_url: str | None = None
    signatures: set = field(default_factory=set)  # the member lists already read (pagination loops)
    form_pages: dict = field(default_factory=dict)  # form key -> the page holding it (for letters)
    hint_fields: dict = field(default_factory=dict)


class PoleMembersSpider(PoleSitesSpider):
    name = "pole_members"
    source_name = "pole_members"
    required_fields = ("source_url", "kind")
    routes = ROUTES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (kwargs.get("sites") or kwargs.get("queries")):
            self.sites_path = BUNDLED_SITES
        self.hints = {host_key(h): hint for h, hint in self.source.site_crawl.directory_hints.items()}

    async def start(self):
        for n, entry in enumerate(read_sites(self.sites_path)):
            cid, website = entry["cluster_id"], entry["website"]
            if not website or (self.limit is not None and n >= self.limit):
                yield self._site_item(cid, website, "not_crawled")
                yield self.not_crawled(cid, website)
                continue
            url = website if "://" in website else f"https://{website}"
            site = self.sites[cid] = MemberSite(cid, url, host_key(url))
            yield self._follow(site, url, self.parse_page, depth=0, score=0)
            hint = self.hints.get(site.host)
            if hint and hint.json_endpoint:
                site.hint_fields = dict(hint.fields)
                yield self._follow(site, str(hint.json_endpoint), self.parse_json, 1, 3, form="json_endpoint")

    # --- requests ------------------------------------------------------------------------

    def _follow(self, site: MemberSite, url: str, callback, depth: int, score: int, **meta):
        site.seen.add(url)
        site.requested += 1
        site.pending += 1
        meta = {"site_host": site.host, "cluster_id": site.cluster_id, "site_depth": depth, **meta}
        return self.request(url, callback, priority=score, dont_filter=True, meta=meta)

    def _budget_left(self, site: MemberSite) -> bool:
        if site.requested >= self.page_budget:
            site.over_budget += 1
            return False
        return True

    def _links(self, site: MemberSite, response, depth: int):
        if depth >= self.max_depth:
            return
        for cand in candidate_links(response, site.host, member_link_score):
            if cand.url not in site.seen and self._budget_left(site):
                yield self._follow(site, cand.url, self.parse_page, depth + 1, cand.score)
            site.seen.add(cand.url)

    def _submit(self, site: MemberSite, response, form, letter: str | None):
        """A search form submitted (empty, or with one letter in its letter field), built by
        form2request from the page's own form (field defaults kept, no button clicked)."""
        data = {form.field: letter} if letter and form.field else None
        url = form2request(response.xpath("//form")[form.number], data, click=False).url
        if url in site.seen:
            return None
        return self._follow(
            site,
            url,
            self.parse_page,
            response.meta["site_depth"],
            3,
            form="search_form",
            form_key=(response.url, form.number),
            letter=letter,
        )

    # --- callbacks -----------------------------------------------------------------------

    def _arrived(self, response) -> MemberSite:
        site = self.sites[response.meta["cluster_id"]]
        site.pending -= 1
        site.responses += 1
        if response.meta["site_depth"] == 0:
            site.reached = True
            if not same_site(response.url, site.host):  # a same-site redirect to a new host name
                site.host = host_key(response.url)
        return site

    def parse_page(self, response):
        """Every page a link led to: its route (``routes.py``) reads it; the site's bookkeeping here."""
        site = self._arrived(response)
        depth = response.meta["site_depth"]
        route = self.route(response)
        if route.kind == "sitemap":
            yield from self._sitemap(site, route, response)
            return
        if route.kind == "json_endpoint" and depth > 0:
            yield from self._json(site, route, response)
            return
        if route.kind != "directory":  # neither HTML nor JSON; or a home page answering JSON
            yield self._issue(site, response.url, "body", "not_html", "neither HTML nor JSON: nothing read")
            yield from self._maybe_done(site)
            return
        root = response.selector.root
        # Links and title first: the member readers then strip the same parsed tree of its furniture.
        links = list(self._links(site, response, depth))
        title = " ".join(response.xpath("//title//text() | //h1//text() | //h2//text()").getall())
        form = response.meta.get("form")
        members, issues = [], []
        if depth > 0:  # the home page: only its links are read
            # The route's links are the page check's: the crawl goes on itself (budget, loops, letters).
            for out in route.parse(response, cluster_id=site.cluster_id, form=form):
                if isinstance(out, Issue):
                    issues.append(out)
                elif isinstance(out, dict):
                    members.append(out)
        is_directory = depth > 0 and (bool(members) or bool(form) or page_is_directory(title))
        follow = []
        if members:
            signature = frozenset(fold(m["organisation"]) for m in members)
            if signature in site.signatures:
                issues.append(
                    self._issue(
                        site,
                        response.url,
                        "pagination",
                        "pagination_loop",
                        "this page repeats the members of a page already read: its pager is not followed",
                    )
                )
            else:
                site.signatures.add(signature)
                for url in pagination_links(root, response.url, site.host):
                    if url not in site.seen and self._budget_left(site):
                        follow.append(self._follow(site, url, self.parse_page, depth, 3, form=form or "paginated"))
                    site.seen.add(url)
        if is_directory:
            for url in json_endpoints(root, response.url, site.host):
                if url not in site.seen and self._budget_left(site):
                    follow.append(self._follow(site, url, self.parse_json, depth, 3, form="json_endpoint"))
            if form != "search_form":
                for search in member_search_forms(root, response.url, site.host, True):
                    site.form_pages[(response.url, search.number)] = (response, search)
                    if self._budget_left(site):
                        follow.append(self._submit(site, response, search, None))
        if form == "search_form" and not members and response.meta.get("letter") is None:
            # The empty submission listed nobody: one submission per letter.
            origin, search = site.form_pages.get(response.meta.get("form_key"), (None, None))
            if origin is not None and search.field:
                for letter in search.letters:
                    if self._budget_left(site):
                        follow.append(self._submit(site, origin, search, letter))
        yield from self._record(site, response, members, issues)
        yield from (r for r in [*links, *follow] if r is not None)
        if depth == 0 and not links and not site.sitemap_tried:
            site.sitemap_tried = True
            yield self._follow(site, response.urljoin("/sitemap.xml"), self.parse_sitemap, 1, 1)
        yield from self._maybe_done(site)

    def parse_json(self, response):
        """A JSON endpoint (the link named it: read as JSON whatever it answers)."""
        site = self._arrived(response)
        yield from self._json(site, self.route(response, "json_endpoint"), response)

    def _json(self, site: MemberSite, route, response):
        members, issues, next_url = [], [], None
        for out in route.parse(response, cluster_id=site.cluster_id, fields=site.hint_fields):
            if isinstance(out, Link):
                next_url = out.url
            elif isinstance(out, Issue):
                issues.append(out)
            else:
                members.append(out)
        follow = None
        if next_url and same_site(next_url, site.host) and next_url not in site.seen and self._budget_left(site):
            follow = self._follow(site, next_url, self.parse_json, response.meta["site_depth"], 3, form="json_endpoint")
        yield from self._record(site, response, members, issues)
        if follow is not None:
            yield follow
        yield from self._maybe_done(site)

    def parse_sitemap(self, response):
        site = self._arrived(response)
        yield from self._sitemap(site, self.route(response, "sitemap"), response)

    def _sitemap(self, site: MemberSite, route, response):
        for link in route.parse(response, cluster_id=site.cluster_id):
            if same_site(link.url, site.host) and link.url not in site.seen and self._budget_left(site):
                yield self._follow(site, link.url, self.parse_page, 1, link.shown["score"])
        yield from self._maybe_done(site)

    def _issue(self, site, url, field_name, code, message, value=None) -> Issue:
        return Issue(
            SOURCE,
            url,
            field_name,
            code,
            f"pôle {site.cluster_id}: {message}",
            WARNING,
            value,
            {"cluster_id": site.cluster_id},
        )

    def _record(self, site: MemberSite, response, members, issues):
        for member in members:
            site.members += 1
            site.forms.add(member["directory_form"])
            site.directory_url = site.directory_url or response.url
            yield {"cluster_id": site.cluster_id, **member}
        for issue in issues:
            issue.context.setdefault("cluster_id", site.cluster_id)
            yield issue

    # --- end of a site ---------------------------------------------------------------------

    def _maybe_done(self, site: MemberSite):
        if site.pending > 0 or site.done:
            return
        site.done = True
        if site.over_budget:
            yield self._issue(
                site,
                site.url,
                "pages",
                "page_budget_reached",
                f"{site.over_budget} directory link(s) or page(s) left after {self.page_budget} pages",
                str(site.over_budget),
            )
        if site.members:
            yield self._site_item(site.cluster_id, site.url, "found", site)
        elif not site.reached:
            yield self._site_item(site.cluster_id, site.url, "site_unreachable", site)
            yield self.unreachable_issue(site)
        else:
            yield self._site_item(site.cluster_id, site.url, "not_found", site)

    def _site_item(self, cluster_id, site_url, status, site: MemberSite | None = None) -> dict:
        assert status in SITE_STATUSES
        return {
            "kind": "site",
            "cluster_id": cluster_id,
            "site_url": site_url,
            "status": status,
            "directory_url": site.directory_url if site else None,
            "directory_forms": sorted(site.forms) if site else [],
            "members": site.members if site else 0,
            "pages_crawled": site.responses if site else 0,
            "source_url": (site and site.directory_url) or site_url or f"https://competitivite.gouv.fr/#{cluster_id}",
        }
