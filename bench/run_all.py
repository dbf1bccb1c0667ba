"""``make bench``: every part of the benchmark in one run; writes bench/results.json and bench/results.md.

Order: end to end (part 2; its plain run's crawls seed part 3), scale (part 3), ties (part 5),
incremental re-crawl (part 4), crawl overhead (part 1, the longest). ``--quick`` runs smaller sizes to
try the harness (results are then written under the temporary folder, not bench/).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import crawl, end_to_end, report, scale, ties
from bench.common import REPO, machine, write_json


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, results kept in the temporary folder")
    ns = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    out_dir = work if ns.quick else REPO / "bench"
    started = time.perf_counter()
    results = {"machine": machine(), "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "git_commit": os.popen(f"git -C {REPO} rev-parse --short HEAD").read().strip(), "load_average": {}, "parts": {}}

    def part(name, fn):
        results["load_average"][f"{name} (before)"] = _load()
        t = time.perf_counter()
        print(f"[bench] {name} ...", flush=True)
        results["parts"][name] = fn()
        results["parts"][name]["bench_seconds"] = round(time.perf_counter() - t, 1)
        print(f"[bench] {name}: {results['parts'][name].get('floors')} in {results['parts'][name]['bench_seconds']} s", flush=True)

    part("end_to_end", lambda: end_to_end.run(work / "e2e"))
    base = Path(results["parts"]["end_to_end"]["plain_data_dir"])
    part("scale", lambda: scale.run(base, work / "scale", (1, 3) if ns.quick else scale.FACTORS))
    part("ties", lambda: ties.run(500 if ns.quick else ties.SIZE))
    part("incremental", lambda: crawl.incremental(work / "crawl", 100 if ns.quick else 1_000))
    part("crawl_overhead", lambda: crawl.overhead(work / "crawl", (200,) if ns.quick else (1_000, 10_000)))

    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["floors"] = {f"{p}: {k}": v for p, r in results["parts"].items() for k, v in r.get("floors", {}).items()}
    results["floors"]["make bench < 15 min"] = results["total_seconds"] < 15 * 60
    write_json(results, out_dir / "results.json")
    (out_dir / "results.md").write_text(report.markdown(results), encoding="utf-8")
    print(f"[bench] {len(results['floors'])} floors, {sum(results['floors'].values())} held; total {results['total_seconds']} s")
    print(f"[bench] wrote {out_dir / 'results.md'} and results.json")
    return 0 if all(results["floors"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
