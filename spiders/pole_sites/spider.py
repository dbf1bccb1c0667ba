"""Crawl of the pôles' own sites: home page, then the links that lead to governance and team pages.

Each site is crawled on its own terms: robots.txt (Scrapy's RobotsTxtMiddleware, per host), a
download slot per host with the source's delay and concurrency (``site_crawl.domain_politeness``
overrides one host), at most ``page_budget`` pages and ``max_depth`` clicks from the home page;
``concurrent_sites`` sites at once. One site failing never fails the crawl: it ends as a site
item with its status and a warning naming the cause. Every request ends as a seat, a link
followed, or an issue; every site ends as one ``site`` item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from common.issues import WARNING, Issue
from spiders.core.routing import Link
from spiders.core.spider import SourceSpider, classify_failure

from .discover import candidate_links, heading_score, host_key, same_site
from .parse import is_pdf, readable_text_length
from .routes import ROUTES
from .sites import BUNDLED_SITES, read_sites

SITE_STATUSES = ("found", "not_found", "site_unreachable", "not_crawled")


@dataclass
class Site:
    cluster_id: str
    url: str
    host: str
    pending: int = 0
    requested: int = 0
    responses: int = 0
    reached: bool = False
    home_failure: str | None = None
    seen: set = field(default_factory=set)
    seats_by_url: dict = field(default_factory=dict)  # url -> officer seats (bureau, board, executive)
    seats: int = 0
    international: bool = False
    unreadable_url: str | None = None
    over_budget: int = 0
    sitemap_tried: bool = False
    done: bool = False


class PoleSitesSpider(SourceSpider):
    name = "pole_sites"
    source_name = "pole_sites"
    required_fields = ("source_url", "kind")
    routes = ROUTES

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        from common.sources import load_source

        limits = load_source(cls.source_name).site_crawl
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares["spiders.pole_sites.middlewares.SiteRedirectGuard"] = 651
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")
        settings.set("DEPTH_STATS_VERBOSE", False, priority="spider")
        if not settings.get("REPLAY_ARCHIVE"):
            # Many hosts at once: hand requests to the least busy download slot (Scrapy's broad-crawl queue).
            settings.set("SCHEDULER_PRIORITY_QUEUE", "scrapy.pqueues.DownloaderAwarePriorityQueue", priority="spider")
            per_domain = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1
            settings.set("CONCURRENT_REQUESTS", limits.concurrent_sites * per_domain, priority="spider")
            settings.set(
                "DOWNLOAD_SLOTS",
                {
                    host: {"delay": p.delay, "concurrency": p.concurrency, "randomize_delay": True}
                    for host, p in limits.domain_politeness.items()
                },
                priority="spider",
            )

    def __init__(
        self,
        *args,
        sites: str | None = None,
        queries: str | None = None,
        limit: str | None = None,
        page_budget: str | None = None,
        max_depth: str | None = None,
        **kwargs,
    ):
        """``-a sites=PATH`` or ``-a queries=PATH`` (the pipeline's name for an input list: JSON Lines of
        cluster_id, website), ``-a limit=N`` (first N sites only),
        ``-a page_budget=N`` / ``-a max_depth=N`` (override the YAML's, e.g. for the benchmark)."""
        super().__init__(*args, **kwargs)
        sites = sites or queries
        self.sites_path = Path(sites) if sites else BUNDLED_SITES
        self.limit = int(limit) if limit else None
        limits = self.source.site_crawl
        self.page_budget = int(page_budget) if page_budget else limits.page_budget
        self.max_depth = int(max_depth) if max_depth else limits.max_depth
        self.max_pdf_bytes = limits.max_pdf_bytes
        self.sites: dict[str, Site] = {}

    async def start(self):
        for n, entry in enumerate(read_sites(self.sites_path)):
            cid, website = entry["cluster_id"], entry["website"]
            if not website or (self.limit is not None and n >= self.limit):
                yield self._site_item(cid, website, "not_crawled", None, 0, False)
                yield self.not_crawled(cid, website)
                continue
            url = website if "://" in website else f"https://{website}"
            site = self.sites[cid] = Site(cid, url, host_key(url))
            yield self._follow(site, url, self.parse_page, depth=0, score=0)

    def not_crawled(self, cid: str, website: str | None) -> Issue:
        """The warning for a pôle whose site is not crawled: none in the directory, or beyond ``-a limit``."""
        why = "no website in the directory" if not website else f"beyond -a limit={self.limit}"
        return Issue(
            self.source_name,
            website or f"cluster:{cid}",
            "website",
            "not_crawled",
            f"pôle {cid}: not crawled ({why})",
            WARNING,
            website,
            {"cluster_id": cid},
        )

    # --- requests ------------------------------------------------------------------------

    def _follow(self, site: Site, url: str, callback, depth: int, score: int):
        site.seen.add(url)
        site.requested += 1
        site.pending += 1
        meta = {"site_host": site.host, "cluster_id": site.cluster_id, "site_depth": depth}
        if url.lower().split("?")[0].endswith(".pdf"):
            meta["download_maxsize"] = self.max_pdf_bytes
        return self.request(url, callback, priority=score, dont_filter=True, meta=meta)

    def _links(self, site: Site, response, depth: int):
        if depth >= self.max_depth:
            return
        for cand in candidate_links(response, site.host):
            if cand.url in site.seen:
                continue
            if site.requested >= self.page_budget:
                site.over_budget += 1
                site.seen.add(cand.url)
                continue
            yield self._follow(site, cand.url, self.parse_page, depth + 1, cand.score)

    # --- callbacks -----------------------------------------------------------------------

    def parse_page(self, response):
        """Every page of every site: its route (``routes.py``) reads it; the site's bookkeeping here."""
        site = self.sites[response.meta["cluster_id"]]
        depth = response.meta["site_depth"]
        site.pending -= 1
        site.responses += 1
        if depth == 0:
            site.reached = True
            if not same_site(response.url, site.host):  # followed a same-site redirect to a new host name
                site.host = host_key(response.url)
        route = self.route(response)
        if route.kind == "sitemap":
            yield from self._sitemap_links(site, route.parse(response, cluster_id=site.cluster_id), response.url)
            yield from self._maybe_done(site)
            return
        links, title = [], ""
        if route.kind == "governance":
            # Links and title first: the seat readers then strip the same parsed tree of its furniture.
            links = list(self._links(site, response, depth))
            title = " ".join(response.xpath("//title//text() | //h1//text() | //h2//text()").getall())
        out = list(route.parse(response, cluster_id=site.cluster_id, home=depth == 0))
        seats = [o for o in out if not isinstance(o, Issue)]
        issues = [o for o in out if isinstance(o, Issue)]
        yield from self._record(site, response, seats, issues, depth, title)
        yield from links
        if depth == 0 and not links and route.kind == "governance" and not site.sitemap_tried:
            site.sitemap_tried = True
            yield self._follow(site, response.urljoin("/sitemap.xml"), self.parse_page, 1, 1)
        yield from self._maybe_done(site)

    def _sitemap_links(self, site: Site, links, sitemap_url: str):
        found = 0
        for link in links:
            if not isinstance(link, Link):
                yield link
                continue
            if same_site(link.url, site.host) and link.url not in site.seen:
                if site.requested >= self.page_budget:
                    site.over_budget += 1
                    continue
                found += 1
                yield self._follow(site, link.url, self.parse_page, 1, link.shown["score"])
        if not found:
            yield Issue(
                self.source_name,
                sitemap_url,
                "sitemap",
                "no_governance_link",
                "the sitemap lists no governance or team page",
                WARNING,
                context={"cluster_id": site.cluster_id},
            )

    def _record(self, site: Site, response, seats, issues, depth, title=""):
        for seat in seats:
            site.seats += 1
            site.international |= seat["role_kind"] == "international"
            if seat["body"] in ("bureau", "board", "executive"):
                site.seats_by_url[response.url] = site.seats_by_url.get(response.url, 0) + 1
            else:
                site.seats_by_url.setdefault(response.url, 0)
            yield seat
        for issue in issues:
            issue.context.setdefault("cluster_id", site.cluster_id)
            yield issue
        if not seats and depth > 0 and not is_pdf(response) and hasattr(response, "text"):
            chars, images = readable_text_length(response.text)
            if heading_score(title) >= 3 and images and chars < 400:
                site.unreadable_url = site.unreadable_url or response.url
                yield Issue(
                    self.source_name,
                    response.url,
                    "seats",
                    "governance_unreadable",
                    f"pôle {site.cluster_id}: the governance page shows {images} image(s) and no readable "
                    "names (an image-only board): nothing read",
                    WARNING,
                    context={"cluster_id": site.cluster_id},
                )
        if is_pdf(response) and not seats:
            site.unreadable_url = site.unreadable_url or response.url

    def fetch_failed(self, failure):
        request = failure.request
        self.ledger.close(request, "reported")  # the issue below names it (crawl accounting)
        code, cause = classify_failure(failure)
        self.crawler.stats.inc_value(f"fetch_failed/{code}")
        site = self.sites.get(request.meta.get("cluster_id"))
        if site is None:  # not a site page (cannot happen: every request carries its site)
            yield Issue(
                self.source_name, request.url, "response", "fetch_failed", cause, WARNING, context={"cause": code}
            )
            return
        site.pending -= 1
        if request.meta.get("site_depth") == 0:
            site.home_failure = f"{code}: {cause}"
        self.logger.warning("[%s] %s: %s: %s", self.source_name, site.cluster_id, request.url, cause)
        yield Issue(
            self.source_name,
            request.url,
            "response",
            "fetch_failed",
            f"pôle {site.cluster_id}: {cause}",
            WARNING,
            context={"cause": code, "cluster_id": site.cluster_id},
        )
        yield from self._maybe_done(site)

    # --- end of a site ---------------------------------------------------------------------

    def unreachable_issue(self, site) -> Issue:
        """The warning for a pôle whose home page was never reached (its cause: the failure's kind)."""
        return Issue(
            self.source_name,
            site.url,
            "website",
            "site_unreachable",
            f"pôle {site.cluster_id}: site not reached ({site.home_failure})",
            WARNING,
            site.url,
            {"cluster_id": site.cluster_id, "cause": (site.home_failure or "").split(":")[0]},
        )

    def _maybe_done(self, site: Site):
        if site.pending > 0 or site.done:
            return
        site.done = True
        ctx = {"cluster_id": site.cluster_id}
        if site.over_budget:
            yield Issue(
                self.source_name,
                site.url,
                "pages",
                "page_budget_reached",
                f"pôle {site.cluster_id}: {site.over_budget} governance-like link(s) left after "
                f"{self.page_budget} pages",
                WARNING,
                str(site.over_budget),
                ctx,
            )
        if site.seats:
            best = max(site.seats_by_url.items(), key=lambda kv: kv[1])[0]
            yield self._site_item(site.cluster_id, site.url, "found", best, site.responses, site.international)
        elif not site.reached:
            yield self._site_item(site.cluster_id, site.url, "site_unreachable", None, site.responses, False)
            yield self.unreachable_issue(site)
        else:
            yield self._site_item(site.cluster_id, site.url, "not_found", site.unreadable_url, site.responses, False)
            why = (
                f"the governance page {site.unreadable_url} has nothing to read"
                if site.unreadable_url
                else f"no governance or team page with names in {site.responses} page(s)"
            )
            yield Issue(
                self.source_name,
                site.url,
                "seats",
                "governance_not_found",
                f"pôle {site.cluster_id}: {why}",
                WARNING,
                site.url,
                ctx,
            )

    def _site_item(self, cluster_id, site_url, status, governance_url, pages, international) -> dict:
        assert status in SITE_STATUSES
        return {
            "kind": "site",
            "cluster_id": cluster_id,
            "site_url": site_url,
            "status": status,
            "governance_url": governance_url,
            "pages_crawled": pages,
            "has_international_contact": international,
            "source_url": governance_url or site_url or f"https://competitivite.gouv.fr/#{cluster_id}",
        }
