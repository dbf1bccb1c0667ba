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
    "short_name": "Sigle",
    "themes": "Thématiques",
    "region": "Région du siège",
    "other_regions": "Autres régions",
    "website": "Site internet",
    "address": "Adresse",
    "email": "Courriel",
    "phone": "Téléphone",
    "label_status": "Statut du label",
    "label_period": "Période de labellisation",
}


def labelled(response) -> dict[str, str]:
    """Label -> text of the three layouts in one pass: <dt>/<dd>, <th>/<td>, <p><strong>Label :</strong> value."""
    out = {}
    for dt in response.xpath("//main//dt"):
        out[" ".join(dt.xpath(".//text()").getall()).strip()] = " ".join(
            dt.xpath("following-sibling::dd[1]//text()").getall()
        )
    for tr in response.xpath("//main//tr[count(th|td)=2]"):
        cells = tr.xpath("th|td")
        out[" ".join(cells[0].xpath(".//text()").getall()).strip()] = " ".join(cells[1].xpath(".//text()").getall())
    for p in response.xpath("//main//p[strong]"):
        text = " ".join(p.xpath(".//text()").getall())
        label, _, value = text.partition(":")
        out[label.strip()] = value
    return {k.rstrip(" :"): " ".join(v.split()) for k, v in out.items()}


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
        found = labelled(response)
        for field, label in FIELDS.items():
            item[field] = next((v for k, v in found.items() if k.startswith(label)), None)
        for raw in response.xpath("//script[@type='application/ld+json']/text()").getall():
            data = json.loads(raw)
            item["name"] = data.get("name") or item["name"]
            item["website"] = data.get("url") or item["website"]
            item["region"] = (data.get("address") or {}).get("addressRegion") or item["region"]
        item["description"] = (
            " ".join(response.css("main .fr-callout__text ::text, main h2 ~ p ::text").getall()).strip() or None
        )
        yield item


def main(start_url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(
        {
            "LOG_LEVEL": "INFO",
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "FEEDS": {str(out_dir / "items.jsonl"): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
        }
    )
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_urls=[start_url])
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in crawler.stats.get_stats().items()}
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
