"""The baseline of part 1: a plain Scrapy spider that follows the same links and yields the same fields.

No project settings, middlewares, archive, item validation or issue log; the same politeness-off
concurrency as ours. ``python -m bench.bare_spider START_URL OUT_DIR`` (items.jsonl, stats.json),
through the same proxy (https_proxy in the environment).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

# The labels of the three layouts (dl, table, "Label : value") and JSON-LD, read by plain XPath.
FIELDS = {
    "short_name": "Sigle", "themes": "Thématiques", "region": "Région du siège", "other_regions": "Autres régions",
    "website": "Site internet", "address": "Adresse", "email": "Courriel", "phone": "Téléphone",
    "label_status": "Statut du label", "label_period": "Période de labellisation",
}


def labelled(response, label: str) -> str | None:
    xpaths = (
        f"//main//dt[starts-with(normalize-space(.), '{label}')]/following-sibling::dd[1]",
        f"//main//tr[starts-with(normalize-space(th|td[1]), '{label}')]/td[last()]",
        f"//main//p[strong[starts-with(normalize-space(.), '{label}')]]",
    )
    for xp in xpaths:
        node = response.xpath(xp)
        if node:
            text = " ".join(" ".join(node[0].xpath(".//text()").getall()).split())
            return text.split(":", 1)[1].strip() if xp.endswith("]]") and ":" in text else text
    return None


class BareSpider(scrapy.Spider):
    name = "bare"

    def parse(self, response):
        cards = response.css(".fr-card .fr-card__title a::attr(href)").getall()
        for href in cards:
            yield response.follow(href, self.parse_detail)
        nxt = response.css("nav.fr-pagination a.fr-pagination__link--next::attr(href)").get()
        if nxt:
            yield response.follow(nxt, self.parse)

    def parse_detail(self, response):
        item = {"source_url": response.url, "name": " ".join(response.css("main h1 ::text").getall()).strip()}
        for field, label in FIELDS.items():
            item[field] = labelled(response, label)
        for raw in response.xpath("//script[@type='application/ld+json']/text()").getall():
            data = json.loads(raw)
            item["name"] = data.get("name") or item["name"]
            item["website"] = data.get("url") or item["website"]
            item["region"] = (data.get("address") or {}).get("addressRegion") or item["region"]
        item["description"] = " ".join(response.css("main .fr-callout__text ::text, main h2 ~ p ::text").getall()).strip() or None
        yield item


def main(start_url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess({
        "LOG_LEVEL": "INFO",
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "FEEDS": {str(out_dir / "items.jsonl"): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_urls=[start_url])
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()}
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
