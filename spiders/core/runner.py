"""Runs one source's crawl in this process: live, or replayed from an archive.

One crawl per process (Twisted's reactor cannot restart), so Dagster calls this
through ``python -m spiders.crawl`` in a child process (Dagster Pipes).

Outputs, in the run folder: ``items.jsonl``, ``issues.jsonl``, ``stats.json`` and
``responses.warc.gz`` (every response as received).
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from common.issues import Issue
from common.paths import data_dir
from common.sources import Source, load_source

from .archive import open_archive


@dataclass
class CrawlResult:
    source: str
    mode: str  # "replay" or "live"
    out_dir: Path
    stats: dict
    n_items: int
    n_issues: int
    n_errors: int

    @property
    def issues_path(self) -> Path:
        return self.out_dir / "issues.jsonl"

    def failure_reason(self) -> str | None:
        """Why this crawl cannot be used, or None. Too few items is the checks' call."""
        reason = self.stats.get("finish_reason")
        if reason != "finished":
            failed = _first_fetch_failures(self.issues_path)
            return f"crawl ended with finish_reason={reason!r}" + (f": {'; '.join(failed)}" if failed else "")
        if self.n_items == 0:
            failed = _first_fetch_failures(self.issues_path)
            detail = "; ".join(failed) if failed else "no page yielded an item"
            return f"no items: {detail}"
        return None


def _first_fetch_failures(path: Path, limit: int = 3) -> list[str]:
    out = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec["code"] in ("fetch_failed", "missing_required_field", "parse_error"):
                out.append(f"{rec['url']}: {rec['field']}: {rec['message']}")
            if len(out) >= limit:
                break
    return out


def load_spider_class(source: Source):
    module, _, name = source.spider.rpartition(".")
    return getattr(importlib.import_module(module), name)


CONTACT_URL_ENV = "POLES_CCE_CONTACT_URL"


def user_agent(template: str) -> str:
    """The source's user agent, its contact URL ("+https://…") replaced by $POLES_CCE_CONTACT_URL if set."""
    contact = os.environ.get(CONTACT_URL_ENV, "").strip()
    if not contact:
        return template
    replaced, n = re.subn(r"\+\S+?(?=[;)\s]|$)", "+" + contact, template, count=1)
    return replaced if n else f"{template} (+{contact})"


def settings_for(source: Source, out_dir: Path, replay: Path | None, overrides: dict | None = None) -> dict:
    p = source.politeness
    settings = {
        "USER_AGENT": user_agent(p.user_agent),
        "DOWNLOAD_DELAY": p.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": p.concurrency_per_domain,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": p.autothrottle_target,
        "RETRY_TIMES": source.retries.times,
        "RETRY_HTTP_CODES": source.retries.http_codes,
        "DOWNLOAD_TIMEOUT": source.timeout_seconds,
        "DOWNLOAD_MAXSIZE": source.max_response_bytes,
        "WARC_OUTPUT": str(out_dir / "responses.warc.gz"),
        "LOG_LEVEL": "INFO",
        # Scrapy's settings, middleware and stats dumps go to the run folder, not the console.
        "LOG_FILE": str(out_dir / "crawl.log"),
        "LOG_FILE_APPEND": False,
        "FEEDS": {
            str(out_dir / "items.jsonl"): {
                "format": "jsonlines",
                "encoding": "utf-8",
                "overwrite": True,
                "item_filter": "spiders.core.pipelines.DataItemsOnly",
            },
            str(out_dir / "issues.jsonl"): {
                "format": "jsonlines",
                "encoding": "utf-8",
                "overwrite": True,
                "item_classes": [Issue],
            },
        },
    }
    if replay is not None:
        archive = open_archive(replay, source.max_response_bytes)
        settings.update(
            {
                "REPLAY_ARCHIVE": str(replay),
                "FROZEN_TIME": archive.captured_at,
                # Nothing to be polite to: the archive answers.
                "DOWNLOAD_DELAY": 0,
                "AUTOTHROTTLE_ENABLED": False,
                "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            }
        )
    else:
        # Live only: detail pages kept between runs and revalidated (ETag / Last-Modified).
        settings.update({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": str(data_dir() / "cache" / source.name)})
    settings.update(overrides or {})
    return settings


def run_crawl(
    source_name: str,
    out_dir: Path,
    replay: Path | None = None,
    spider_args: dict | None = None,
    overrides: dict | None = None,
) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    source = load_source(source_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    settings = get_project_settings()
    settings.setmodule("spiders.settings", priority="project")
    settings.update(settings_for(source, out_dir, replay, overrides), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(load_spider_class(source))
    process.crawl(crawler, **(spider_args or {}))
    process.start()
    account_for_pages(crawler, source_name, out_dir / "issues.jsonl")
    stats = {k: _jsonable(v) for k, v in sorted(crawler.stats.get_stats().items())}
    stats["mode"] = "replay" if replay else "live"
    stats["archive"] = str(replay) if replay else None
    # Replays are frozen at the archive's capture time; live crawls are dated by their start.
    stats["crawled_at"] = settings.get("FROZEN_TIME") or stats.get("start_time")
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=2, ensure_ascii=False), encoding="utf-8")
    n_items = _count_lines(out_dir / "items.jsonl")
    n_issues = _count_lines(out_dir / "issues.jsonl")
    return CrawlResult(
        source=source_name,
        mode=stats["mode"],
        out_dir=out_dir,
        stats=stats,
        n_items=n_items,
        n_issues=n_issues,
        n_errors=int(stats.get("issues/error", 0)),
    )


def account_for_pages(crawler, source_name: str, issues_path: Path) -> None:
    """The crawl's accounting (``accounting/*`` in stats.json): page requests made = pages
    parsed + pages reported. A request that ended neither way vanished somewhere in Scrapy
    (a filter that drops silently): each is an error in the issue log, naming its URL."""
    ledger = getattr(crawler.spider, "ledger", None)
    if ledger is None:
        return
    lost = ledger.unaccounted()
    if lost:
        reason = crawler.stats.get_value("finish_reason")
        with issues_path.open("a", encoding="utf-8") as fh:
            for _, url in lost:
                issue = Issue(
                    source=source_name,
                    url=url,
                    field="response",
                    code="request_unaccounted",
                    message=f"requested but neither parsed nor reported (crawl finish_reason={reason!r})",
                    context={"cause": "unaccounted"},
                )
                fh.write(json.dumps(issue.to_dict(), ensure_ascii=False) + "\n")
        crawler.stats.inc_value("issues/error", len(lost))
        crawler.stats.inc_value("issues/error/request_unaccounted", len(lost))
    for key, value in ledger.stats().items():
        crawler.stats.set_value(key, value)
    crawler.stats.set_value("accounting/balanced", ledger.parsed + ledger.reported == len(ledger.pages))


def _count_lines(path: Path) -> int:
    if not path.exists():
        return 0
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def _jsonable(v):
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).isoformat()
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return str(v)
