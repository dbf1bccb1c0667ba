"""A replayed crawl of the bundled snapshot, in its own process (one reactor per process)."""

from __future__ import annotations

import json
import subprocess
import sys

from common.paths import REPO_ROOT, SNAPSHOTS_DIR


def test_replay_crawl_yields_one_item_per_query_page_and_no_error(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "company_register", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    queries = (SNAPSHOTS_DIR / "company_register" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    assert summary["errors"] == 0 and summary["issues"] == 0
    log = (out / "crawl.log").read_text(encoding="utf-8")  # Scrapy's own log, kept off the console
    assert "spiders.core.middlewares.RetryAfterMiddleware" in log  # the project's Retry-After backoff
    assert "spiders.core.middlewares.ReplayMiddleware" in log
    assert summary["items"] == len(queries) + 1  # Aerospace Valley has two pages
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats.get("replay/missing", 0) == 0 and stats["finish_reason"] == "finished"
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    av = sorted(i["page"] for i in items if i["key"] == "av")
    assert av == [1, 2]
    assert sum(1 for i in items if i["candidates"]) >= 0.9 * len(items)


def test_queries_argument_selects_the_queries(tmp_path):
    queries = tmp_path / "q.jsonl"
    lines = (SNAPSHOTS_DIR / "company_register" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    queries.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "company_register", "--out", str(out), "-a", f"queries={queries}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["items"] == 3
