"""The baseline of the pole_sites benchmark: a plain Scrapy spider over the same replayed pages.

No project settings, archive, issue log or validation: a minimal downloader middleware answers
from the same snapshot folder; robots.txt obeyed (the same pages fetched); the same links
followed (same host, two clicks deep), and one dict per card read with plain CSS.
``python -m bench.pole_sites_bare SNAPSHOT_DIR OUT_DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlparse

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import HtmlResponse, Response, TextResponse


class FolderReplay:
    """Answers every request from the snapshot folder's manifest (404 when absent)."""

    def __init__(self, folder: str):
        root = Path(folder)
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        self.pages = {e["url"]: (e["headers"], (root / e["file"]).read_bytes()) for e in manifest["responses"]}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings["BARE_SNAPSHOT"])

    def process_request(self, request, spider=None):
        found = self.pages.get(request.url)
        if found is None:
            return Response(request.url, status=404, request=request)
        headers, body = found
        cls = TextResponse if headers["Content-Type"].startswith("text/plain") else HtmlResponse
        return cls(request.url, status=200, headers=headers, body=body, request=request)


class BareSitesSpider(scrapy.Spider):
    name = "bare_sites"

    def __init__(self, sites: str, **kwargs):
        super().__init__(**kwargs)
        self.sites = [json.loads(line) for line in Path(sites).read_text(encoding="utf-8").splitlines()]

    async def start(self):
        for site in self.sites:
            yield scrapy.Request(site["website"] + "/", self.parse, cb_kwargs={"cluster_id": site["cluster_id"]})

    def parse(self, response, cluster_id):
        host = urlparse(response.url).hostname
        for card in response.css("main .team-member"):
            yield {
                "cluster_id": cluster_id,
                "person_name": card.css("h3::text").get(),
                "role": card.css(".role::text").get(),
                "organisation": card.css(".company::text").get(),
                "evidence_url": response.url,
            }
        if response.meta.get("depth", 0) < 2:
            for href in response.css("a::attr(href)").getall():
                url = response.urljoin(href)
                if urlparse(url).hostname == host and "actualites" not in url:
                    yield scrapy.Request(url, self.parse, cb_kwargs={"cluster_id": cluster_id})


def main(snapshot: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "WARNING",
            "ROBOTSTXT_OBEY": True,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "BARE_SNAPSHOT": str(snapshot),
            "DOWNLOADER_MIDDLEWARES": {"bench.pole_sites_bare.FolderReplay": 950},
            "FEEDS": {str(out_dir / "items.jsonl"): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
        }
    )
    crawler = process.create_crawler(BareSitesSpider)
    process.crawl(crawler, sites=str(snapshot / "sites.jsonl"))
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()}
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
