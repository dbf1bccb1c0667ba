"""Item pipelines: the last gate before an item is written."""
from __future__ import annotations

from scrapy.exceptions import DropItem

from common.issues import Issue


class RequiredFieldsPipeline:
    """Drops (loudly) a data item whose required field is empty.

    Parsers already report a missing required field as an issue and do not emit the
    item; this is the safety net for a parser bug, counted in the stats."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        spider = self.crawler.spider
        stats = self.crawler.stats
        if isinstance(item, Issue):
            stats.inc_value(f"issues/{item.severity}")
            stats.inc_value(f"issues/{item.severity}/{item.code}")
            return item
        empty = [f for f in getattr(spider, "required_fields", ()) if item.get(f) in (None, "", [])]
        if empty:
            stats.inc_value("items/dropped_missing_required")
            raise DropItem(f"item from {item.get('source_url')} lacks required fields {empty}")
        stats.inc_value("items/valid")
        return item


class DataItemsOnly:
    """Feed filter: data items to items.jsonl, issues to their own feed."""

    def __init__(self, feed_options):
        pass

    def accepts(self, item) -> bool:
        return not isinstance(item, Issue)
