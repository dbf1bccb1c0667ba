"""Item pipelines: the last gate before an item is written."""

from __future__ import annotations

from dataclasses import replace

from scrapy.exceptions import DropItem

from common.issues import Issue
from common.personal_data import scrub, scrub_record


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


def scrub_output(source: str, record, keep=()) -> list:
    """A parser's output as it may leave the parser: an item without personal contacts
    (preceded by one warning per field it lost one in), an issue whose value and message
    hold none. Shared by the crawl (:class:`PersonalDataGuard`) and ``spiders.parse``."""
    if isinstance(record, Issue):
        value = scrub(record.value)[0] if isinstance(record.value, str) else record.value
        return [replace(record, value=value, message=scrub(record.message)[0])]
    if isinstance(record, dict):
        item, issues = scrub_record(source, str(record.get("source_url") or ""), record, keep=keep)
        return [*issues, item]
    return [record]  # requests


class PersonalDataGuard:
    """Spider middleware: every item and issue a spider yields goes through :func:`scrub_output`
    (fields the spider lists in ``organisation_contact_fields`` keep the organisation's contact)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _scrub(self, record) -> list:
        spider = self.crawler.spider
        out = scrub_output(
            getattr(spider, "source_name", spider.name), record, getattr(spider, "organisation_contact_fields", ())
        )
        if len(out) > 1:
            self.crawler.stats.inc_value("items/personal_contact_removed")
        return out

    def process_spider_output(self, response, result, spider=None):
        for record in result:
            yield from self._scrub(record)

    async def process_spider_output_async(self, response, result, spider=None):
        async for record in result:
            for out in self._scrub(record):
                yield out
