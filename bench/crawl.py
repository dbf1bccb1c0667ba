"""Parts 1 and 4: crawl overhead against a bare spider, and an incremental re-crawl.

The synthetic directory (bench/site.py) is served by tests.mirror.Mirror on 127.0.0.1 and
reached exactly as in live mode, through its proxy (https_proxy). Our crawl is
``python -m spiders.crawl poles --live`` (spiders.core.runner: every middleware, the WARC
archive, item validation, the issue log and, live, the HTTP cache) with politeness off;
the bare one is bench/bare_spider.py. Each crawl is its own process (the reactor cannot
restart). Rates are responses received / Scrapy's elapsed_time_seconds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PY, REPO
from bench.site import routes, start_url
from tests.mirror import Mirror

POLITENESS_OFF = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "CONCURRENT_REQUESTS=16",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]
RATE_FLOOR = 0.8
BYTES_FLOOR = 0.10


def _env(mirror: Mirror, data_dir: Path) -> dict:
    env = {**os.environ, **mirror.proxy_env(), "POLES_CCE_DATA_DIR": str(data_dir)}
    env.pop("no_proxy", None)
    env.pop("NO_PROXY", None)
    return env


def _rate(out: Path, wall: float, returncode: int) -> dict:
    stats = json.loads((out / "stats.json").read_text()) if (out / "stats.json").exists() else {}
    pages = int(stats.get("response_received_count", 0))
    elapsed = float(stats.get("elapsed_time_seconds") or wall)
    items = sum(1 for _ in (out / "items.jsonl").open()) if (out / "items.jsonl").exists() else 0
    return {
        "pages": pages,
        "items": items,
        "elapsed_s": round(elapsed, 2),
        "process_wall_s": round(wall, 2),
        "pages_per_s": round(pages / elapsed, 1) if elapsed else None,
        "returncode": returncode,
        "response_bytes": stats.get("downloader/response_bytes"),
    }


def ours(mirror: Mirror, workdir: Path, name: str, data_dir: Path | None = None) -> dict:
    out = workdir / name
    cmd = [PY, "-m", "spiders.crawl", "poles", "--live", "--out", str(out), *POLITENESS_OFF, "-s", "LOG_LEVEL=WARNING"]
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=REPO, env=_env(mirror, data_dir or workdir / f"{name}-data"), capture_output=True, text=True
    )
    result = _rate(out, time.perf_counter() - started, proc.returncode)
    stats = json.loads((out / "stats.json").read_text()) if (out / "stats.json").exists() else {}
    result["httpcache"] = {k: v for k, v in stats.items() if k.startswith("httpcache/")}
    return result


def bare(mirror: Mirror, workdir: Path, name: str) -> dict:
    out = workdir / name
    started = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "bench.bare_spider", start_url(), str(out)],
        cwd=REPO,
        env=_env(mirror, workdir / f"{name}-data"),
        capture_output=True,
        text=True,
    )
    return _rate(out, time.perf_counter() - started, proc.returncode)


def overhead(workdir: Path, sizes=(1_000, 10_000)) -> dict:
    """Part 1: ours and bare, one after the other, against the same mirror, per size."""
    results = []
    for n in sizes:
        with Mirror(routes=routes(n)) as mirror:
            mine = ours(mirror, workdir, f"ours-{n}")
            baseline = bare(mirror, workdir, f"bare-{n}")
        ratio = (
            round(mine["pages_per_s"] / baseline["pages_per_s"], 2)
            if mine["pages_per_s"] and baseline["pages_per_s"]
            else None
        )
        results.append(
            {
                "detail_pages": n,
                "ours": mine,
                "bare": baseline,
                "ratio": ratio,
                "floor_holds": ratio is not None and ratio >= RATE_FLOOR,
            }
        )
    return {
        "sizes": results,
        "floor": f"ours >= {RATE_FLOOR}x bare pages/s",
        "floors": {f"{r['detail_pages']} pages: ours >= {RATE_FLOOR}x bare": r["floor_holds"] for r in results},
    }


def _body_bytes(mirror: Mirror, bodies: dict[str, int]) -> int:
    """Body bytes the mirror sent: a conditional request of an unchanged page was a 304."""
    return sum((mirror.counts[u] - mirror.conditional[u]) * bodies.get(u, 0) for u in mirror.counts)


def incremental(workdir: Path, n: int = 1_000) -> dict:
    """Part 4: two crawls of an unchanged mirror (ETag / Last-Modified on), one data folder (the HTTP cache)."""
    pages = routes(n)
    bodies = {url: len(body) for url, (_, _, body) in pages.items()}
    data_dir = workdir / "incremental-data"
    with Mirror(routes=pages, validators=True) as mirror:
        first = ours(mirror, workdir, "incremental-1", data_dir)
        first["body_bytes"] = _body_bytes(mirror, bodies)
        first["requests"] = sum(mirror.counts.values())
        mirror.counts.clear()
        mirror.conditional.clear()
        second = ours(mirror, workdir, "incremental-2", data_dir)
        second["body_bytes"] = _body_bytes(mirror, bodies)
        second["requests"] = sum(mirror.counts.values())
        second["conditional_requests"] = sum(mirror.conditional.values())
        listing = [u for u in mirror.counts if "page=" in u or u == start_url()]
        second["listing_body_bytes"] = sum((mirror.counts[u] - mirror.conditional[u]) * bodies[u] for u in listing)
    share = round(second["body_bytes"] / first["body_bytes"], 4) if first["body_bytes"] else None
    return {
        "detail_pages": n,
        "first": first,
        "second": second,
        "re_downloaded_share": share,
        "floors": {
            f"re-downloaded body bytes <= {BYTES_FLOOR:.0%} of the first crawl": share is not None
            and share <= BYTES_FLOOR
        },
    }


if __name__ == "__main__":
    work = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    what = sys.argv[1] if len(sys.argv) > 1 else "both"
    sizes = tuple(int(s) for s in sys.argv[2].split(",")) if len(sys.argv) > 2 else (1_000, 10_000)
    out = {}
    if what in ("overhead", "both"):
        out["overhead"] = overhead(work, sizes)
    if what in ("incremental", "both"):
        out["incremental"] = incremental(work)
    print(json.dumps(out, indent=1))
