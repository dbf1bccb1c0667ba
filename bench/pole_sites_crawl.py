"""pole_sites crawl benchmark: N synthetic sites x P pages, replayed, ours against bare Scrapy.

    .venv/bin/python -m bench.pole_sites_crawl [N_SITES] [PAGES]      # default 500 x 40 (the floor's size)

Both crawls replay the same snapshot folder (bench/pole_sites_site.py) in their own process:
ours is ``python -m spiders.crawl pole_sites --replay`` (every project middleware, the WARC
archive, the issue log, item validation, seat extraction by every reader) with the page budget
raised to the site size; the bare one is bench/pole_sites_bare.py. Rates are responses
received / Scrapy's elapsed time. Floor: ours >= 0.8x bare's pages/s.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PY, REPO
from bench.crawl import _rate as crawl_rate
from bench.pole_sites_site import write_snapshot

RATE_FLOOR = 0.8


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _rate(out: Path, wall: float, proc: subprocess.CompletedProcess, cpu: float) -> dict:
    """bench.crawl's rate of a crawl folder, plus the CPU seconds of the process tree (start-up
    included): steadier than wall rates on a busy machine."""
    rate = crawl_rate(out, wall, proc.returncode)
    return {
        **rate,
        "cpu_s": round(cpu, 2),
        "pages_per_cpu_s": round(rate["pages"] / cpu, 1) if cpu else None,
        "stderr_tail": proc.stderr[-500:] if proc.returncode else "",
    }


def ours(snapshot: Path, out: Path, pages: int) -> dict:
    cmd = [
        PY,
        "-m",
        "spiders.crawl",
        "pole_sites",
        "--replay",
        str(snapshot),
        "--out",
        str(out),
        "-a",
        f"sites={snapshot / 'sites.jsonl'}",
        "-a",
        f"page_budget={pages}",
        "-a",
        "max_depth=2",
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        "CONCURRENT_REQUESTS=16",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    ]
    started, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    return _rate(out, time.perf_counter() - started, proc, _cpu() - cpu)


def bare(snapshot: Path, out: Path) -> dict:
    started, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(
        [PY, "-m", "bench.pole_sites_bare", str(snapshot), str(out)], cwd=REPO, capture_output=True, text=True
    )
    return _rate(out, time.perf_counter() - started, proc, _cpu() - cpu)


def run(workdir: Path, n_sites: int = 500, pages: int = 40) -> dict:
    snapshot = write_snapshot(workdir / "snapshot", n_sites, pages)
    mine = ours(snapshot, workdir / "ours", pages)
    baseline = bare(snapshot, workdir / "bare")
    ratio = (
        round(mine["pages_per_s"] / baseline["pages_per_s"], 2)
        if mine["pages_per_s"] and baseline["pages_per_s"]
        else None
    )
    cpu_ratio = (
        round(mine["pages_per_cpu_s"] / baseline["pages_per_cpu_s"], 2)
        if mine["pages_per_cpu_s"] and baseline["pages_per_cpu_s"]
        else None
    )
    return {
        "sites": n_sites,
        "pages_per_site": pages,
        "ours": mine,
        "bare": baseline,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "floors": {
            f"{n_sites} sites x {pages} pages: ours >= {RATE_FLOOR}x bare pages/s": ratio is not None
            and ratio >= RATE_FLOOR
        },
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    p = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    print(json.dumps(run(Path(tempfile.mkdtemp(prefix="bench-pole-sites-")), n, p), indent=1))
