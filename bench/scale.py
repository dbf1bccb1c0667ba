"""Part 3: clean, join, checks and publish on synthetic inputs at 1x, 10x and 100x the real sizes.

Each size runs in its own process (``python -m bench.scale --child K``) so its peak RSS
(``ru_maxrss``) is its own. Great Expectations is imported and its context built before the
clock starts (a constant ~5 s per process, reported as ``gx_start_s``); the inputs are generated
before the clock too (``generate_s``) and stay in memory, as crawl items would.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PY, REPO

FACTORS = (1, 10, 100)
FLOOR_S, FLOOR_GB, FLOOR_GROWTH = 120, 4.0, 12.0
STAGES = {
    # "advisors" includes advisor_companies: one register matching gives both (as the multi-asset does).
    "clean": ("directory_clusters", "cce_committees", "cce_officers", "merged_advisors", "clusters", "advisors"),
    "join": (
        "cluster_committee_coverage",
        "cluster_advisor_candidates",
        "region_summary",
        "pole_site_status",
        "pole_seats",
        "tie_matches",
        "cluster_governance",
        "member_listings",
        "cluster_members",
        "cluster_cce_ties",
    ),
    "publish": ("release",),
}


def child(factor: int, base_dir: Path, workdir: Path) -> dict:
    from bench import steps
    from bench.synthetic import load_base, scaled_inputs
    from pipelines.checks.gx_suite import _context

    started = time.perf_counter()
    inputs = scaled_inputs(load_base(base_dir), factor)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    _context()
    gx_start_s = time.perf_counter() - started

    t = steps.Timings()
    started = time.perf_counter()
    directory, committees, merged, issues = steps.clean_directory(inputs, t)
    clusters, advisors, companies, more = steps.enrich(directory, merged, inputs, t)
    tables = steps.join(clusters, committees, advisors, t, inputs, advisor_companies=companies)
    checks = steps.table_checks(tables, t)
    crawls = {s: {"crawled_at": "2026-11-01T06:00:00Z", "archive": "synthetic", "mode": "replay"} for s in inputs}
    steps.publish(tables, workdir / f"x{factor}", crawls, issues + more, checks, t)
    pipeline_s = time.perf_counter() - started

    stages = {name: round(sum(t.get(s, 0) for s in names), 2) for name, names in STAGES.items()}
    stages["checks"] = round(sum(v for k, v in t.items() if k.startswith("checks/")), 2)
    return {
        "factor": factor,
        "rows": {name: len(df) for name, df in tables.items()},
        "inputs": {name: len(items) for name, items in inputs.items()},
        "generate_s": round(generate_s, 2),
        "gx_start_s": round(gx_start_s, 2),
        "pipeline_s": round(pipeline_s, 2),
        "stages_s": stages,
        "steps_s": dict(t),
        "failed_checks": [f"{c['table']}.{c['check']}: {c['failures'][:2]}" for c in checks if not c["passed"]],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(base_dir: Path, workdir: Path, factors=FACTORS) -> dict:
    sizes = []
    for factor in factors:
        out = workdir / f"x{factor}.json"
        cmd = [
            PY,
            "-m",
            "bench.scale",
            "--child",
            str(factor),
            "--base",
            str(base_dir),
            "--workdir",
            str(workdir),
            "--out",
            str(out),
        ]
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if proc.returncode != 0:
            sizes.append({"factor": factor, "error": proc.stderr[-2000:]})
            continue
        result = json.loads(out.read_text())
        result["process_wall_s"] = round(time.perf_counter() - started, 2)
        sizes.append(result)
    by = {s["factor"]: s for s in sizes}
    floors = {}
    top = by.get(max(factors), {})
    if "pipeline_s" in top:
        floors[f"{max(factors)}x time <= {FLOOR_S} s (pipeline + GX start)"] = (
            top["pipeline_s"] + top["gx_start_s"] <= FLOOR_S
        )
        floors[f"{max(factors)}x peak memory <= {FLOOR_GB} GB"] = top["peak_rss_mb"] <= FLOOR_GB * 1024
    growth = None
    if "pipeline_s" in by.get(10, {}) and "pipeline_s" in top:
        growth = round(top["pipeline_s"] / by[10]["pipeline_s"], 2)
        floors[f"growth 10x -> 100x <= {FLOOR_GROWTH}x"] = growth <= FLOOR_GROWTH
    return {
        "sizes": sizes,
        "growth_10x_to_100x": growth,
        "floors": floors,
        "command": "python -m bench.scale --child K --base DATA_DIR (one process per size)",
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    ap.add_argument(
        "--base",
        type=Path,
        required=True,
        help="data folder holding a replay crawl of every source (raw/<source>/*/items.jsonl)",
    )
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--child", type=int)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--factors", default=",".join(map(str, FACTORS)))
    ns = ap.parse_args(argv)
    workdir = ns.workdir or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    if ns.child:
        ns.out.write_text(json.dumps(child(ns.child, ns.base, workdir), indent=1, default=str))
        return 0
    print(json.dumps(run(ns.base, workdir, [int(f) for f in ns.factors.split(",")]), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
