"""The company register's lookup cache: a second run asks nothing, an expired answer is asked
again, and a crawl killed mid-way resumes where it stopped (each answer committed on arrival)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from spiders.company_register.cache import LookupStore
from tests.mirror import Mirror

QUERIES = (SNAPSHOTS_DIR / "company_register" / "queries.jsonl").read_text(encoding="utf-8").splitlines()


def crawl(out, *args, env=None, wait=True):
    cmd = [sys.executable, "-m", "spiders.crawl", "company_register", "--out", str(out), *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads((out / "stats.json").read_text(encoding="utf-8"))


def test_store_answers_until_the_ttl_then_asks_again(tmp_path):
    clock = [1_000_000.0]
    store = LookupStore(tmp_path / "c.sqlite", ttl_days=30, now=lambda: clock[0])
    store.put("member", "acme|31000", 1, "https://api/search?q=acme", b'{"results": []}')
    assert store.get("member", "acme|31000", 1, "https://api/search?q=acme") == (b'{"results": []}', False)
    # Another URL under the same key (the query changed): asked again.
    assert store.get("member", "acme|31000", 1, "https://api/search?q=ACME") == (None, False)
    clock[0] += 29 * 86400
    assert store.get("member", "acme|31000", 1, "https://api/search?q=acme")[0] is not None
    clock[0] += 2 * 86400  # 31 days old
    assert store.get("member", "acme|31000", 1, "https://api/search?q=acme") == (None, True)


def test_second_run_asks_nothing_and_yields_the_same_items(tmp_path):
    cache = ["-s", "LOOKUP_CACHE_ENABLED=true", "-s", f"LOOKUP_CACHE_PATH={tmp_path / 'c.sqlite'}"]
    first = crawl(tmp_path / "1", *cache)
    second = crawl(tmp_path / "2", *cache)
    # 466 queries (57 pôles, 119 advisor companies, 290 members), Aerospace Valley on two pages:
    # 467 answers; "Exempla Conseil SA" is asked once for the company and the member printed
    # without a postcode (one URL): 466 requests.
    assert first["lookup_cache/asked"] == 466 and first.get("lookup_cache/hit", 0) == 0
    assert second["lookup_cache/hit"] == 466 and second.get("lookup_cache/asked", 0) == 0
    assert second["lookup_cache/size"] == 467
    assert second["replay/hit"] == 1  # robots.txt only: no answer came from the archive
    items = [sorted((tmp_path / r / "items.jsonl").read_text(encoding="utf-8").splitlines()) for r in ("1", "2")]
    assert len(items[1]) == 467 and items[0] == items[1]
    # An expired answer is asked again.
    third = crawl(tmp_path / "3", *cache, "-s", "LOOKUP_CACHE_TTL_DAYS=0.000001")
    assert third["lookup_cache/expired"] == 466 and third["lookup_cache/asked"] == 466


def test_a_killed_live_crawl_resumes_where_it_stopped(tmp_path):
    queries = tmp_path / "q.jsonl"
    chosen = [q for q in QUERIES if '"key": "av"' not in q][:40]  # 40 one-page queries
    queries.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    db = tmp_path / "lookups.sqlite"
    args = ["--live", "-a", f"queries={queries}", "-s", f"LOOKUP_CACHE_PATH={db}", "-s", "DOWNLOAD_DELAY=0.05"]
    with Mirror.from_snapshots("company_register") as mirror:
        env = {**os.environ, **mirror.proxy_env(), "POLES_CCE_DATA_DIR": str(tmp_path / "data")}

        def asked():
            return sum(n for url, n in mirror.counts.items() if "/search?" in url)

        proc = crawl(tmp_path / "1", *args, env=env, wait=False)
        deadline = time.monotonic() + 120
        while asked() < 15 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        first = asked()
        assert 15 <= first < 40, first
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM lookups").fetchone()[0]
        assert first - 1 <= stored <= first  # at most the answer in flight is lost
        stats = crawl(tmp_path / "2", *args, env=env)
        assert asked() - first == 40 - stored  # only what the killed run had not stored
        assert stats["lookup_cache/hit"] == stored and stats["lookup_cache/asked"] == 40 - stored
        items = (tmp_path / "2" / "items.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(items) == 40  # cached answers still reach the pipeline as items
        again = asked()
        crawl(tmp_path / "3", *args, env=env)
        assert asked() == again  # nothing changed: nothing asked
