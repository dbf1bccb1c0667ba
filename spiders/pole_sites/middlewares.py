"""A redirect that leaves a pôle's site fails that request (each site is its own domain)."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from .discover import same_site


class SiteRedirectGuard:
    """The multi-site version of spiders.core.middlewares.OffsiteRedirectGuard: the allowed host
    is the request's own site (``meta["site_host"]``), not the source's. At 651, before
    RedirectMiddleware (600) on the way back; the target is never fetched."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _refuse(self, origin: str, target: str):
        self.crawler.stats.inc_value("pole_sites/offsite_redirect")
        raise IgnoreRequest(f"redirect to another host refused: {origin} -> {target}")

    def process_response(self, request, response, spider=None):
        site = request.meta.get("site_host")
        location = response.headers.get("Location")
        if site and response.status in (301, 302, 303, 307, 308) and location:
            target = safe_url_string(response.urljoin(location.decode("latin-1")))
            if not same_site(target, site):
                self._refuse(request.url, target)
        return response

    def process_request(self, request, spider=None):
        site = request.meta.get("site_host")
        if site and request.meta.get("redirect_urls") and not same_site(request.url, site):
            self._refuse(request.meta["redirect_urls"][0], request.url)
        return None
