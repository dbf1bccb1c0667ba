"""Drift between runs: each crawl's per-field fill rates against the last published release's.

A field whose fill rate drops by more than 10 points since the last release warns; by more
than 30 points it fails the source's assertions (``raw_<source>`` / ``source_assertions``).
The message names the field, both rates and a few URLs of items that lost it, so a
maintainer can run ``python -m spiders.parse`` on them. A release stores each crawl's fill
rates under ``crawls.<source>.fill_rates`` in its ``release.json`` (``crawl_fill_rates``, called by the publish step);
a release without them (older releases) is reported and not compared.

Pure functions: no Dagster here (the check in ``pipelines/checks/assets.py`` calls them).
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.checks.gx_suite import ExpectationOutcome
from pipelines.clean.frames import read_jsonl

WARN_DROP = 0.10
FAIL_DROP = 0.30
EXAMPLE_URLS = 3


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def fill_rates(items: list[dict]) -> dict[str, float]:
    """Share of items with a non-empty value, per field (rounded to 4 places, for release.json)."""
    if not items:
        return {}
    fields = dict.fromkeys(k for item in items for k in item)
    return {f: round(sum(_filled(item.get(f)) for item in items) / len(items), 4) for f in fields}


def crawl_fill_rates(items_path: str | Path) -> dict[str, float]:
    """The fill rates a release stores for one crawl (its ``items.jsonl``)."""
    return fill_rates(read_jsonl(items_path))


def previous_release(releases_dir: str | Path) -> tuple[str | None, dict]:
    """(release id, release.json) of ``releases_dir/latest``; (None, {}) when there is none."""
    path = Path(releases_dir) / "latest" / "release.json"
    if not path.exists():
        return None, {}
    record = json.loads(path.read_text(encoding="utf-8"))
    return record.get("release_id") or path.parent.resolve().name, record


def compare(source: str, items: list[dict], previous: dict[str, float], release_id: str) -> list[ExpectationOutcome]:
    """One outcome per field the previous release filled: error above FAIL_DROP, warning above WARN_DROP."""
    now = fill_rates(items)
    outcomes = []
    for field, before in sorted(previous.items()):
        after = now.get(field, 0.0)
        drop = before - after
        severity = "error" if drop > FAIL_DROP else "warning"
        lost = [i.get("source_url") or i.get("page_url") for i in items if not _filled(i.get(field))]
        outcomes.append(
            ExpectationOutcome(
                expectation=f"fill_rate_drop_at_most_{round(100 * (FAIL_DROP if severity == 'error' else WARN_DROP))}_points",
                column=field,
                success=drop <= WARN_DROP,
                severity=severity,
                observed=(
                    f"{source}.{field} filled in {after:.0%} of {len(items)} items, {before:.0%} in release {release_id} "
                    f"({-100 * drop:+.0f} points)"
                ),
                unexpected_count=len(lost),
                unexpected_examples=[u for u in lost if u][:EXAMPLE_URLS],
                origin="fill-rate drift",
            )
        )
    return outcomes


def drift_outcomes(source: str, items: list[dict], releases_dir: str | Path) -> list[ExpectationOutcome]:
    """The drift outcomes of a crawl against the last release (a warning when it cannot compare)."""
    release_id, record = previous_release(releases_dir)
    previous = ((record.get("crawls") or {}).get(source) or {}).get("fill_rates")
    if release_id is None or not previous:
        why = "no previous release" if release_id is None else f"release {release_id} stores no fill rates for {source}"
        return [
            ExpectationOutcome(
                expectation="fill_rates_comparable_with_last_release",
                column=None,
                success=True,
                severity="warning",
                observed=f"not compared: {why}",
                origin="fill-rate drift",
            )
        ]
    return compare(source, items, previous, release_id)
