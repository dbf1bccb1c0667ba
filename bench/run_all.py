"""``make bench``: every part of the benchmark in one run; writes bench/results.json and bench/results.md.

Order: end to end (part 2; its plain run's crawls seed part 3), scale (part 3), incremental
re-crawl (part 4), ties (part 5), members (part 7), crawl overhead (part 1, the longest). ``--quick`` runs smaller sizes to
try the harness, ``--smoke`` the smallest (`make test` runs it); results are then written under
the temporary folder, not bench/. A part that errors (a child process failing, a size that
could not run) exits 2 whatever the floors say.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench import crawl, end_to_end, members, pole_sites_crawl, report, scale, ties
from bench.common import REPO, machine, write_json

FULL = {
    "scale": scale.FACTORS,
    "ties": ties.SIZE,
    "pole_sites": (500, 40),
    "incremental": 1_000,
    "crawl_overhead": (1_000, 10_000),
    "members": (members.UNITS, members.MEMBERS, members.WEEKLY),
}
QUICK = {
    "scale": (1, 3),
    "ties": 500,
    "pole_sites": (50, 10),
    "incremental": 100,
    "crawl_overhead": (200,),
    "members": (200_000, 2_000, 500),
}
SMOKE = {
    "scale": (1,),
    "ties": 100,
    "pole_sites": (5, 4),
    "incremental": 20,
    "crawl_overhead": (20,),
    "members": (2_000, 100, 50),
}


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run_all", description=__doc__.splitlines()[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, results kept in the temporary folder")
    size.add_argument("--smoke", action="store_true", help="the smallest sizes: does every part run? (make test)")
    ns = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    out_dir = work if ns.quick or ns.smoke else REPO / "bench"
    sizes = SMOKE if ns.smoke else QUICK if ns.quick else FULL
    started = time.perf_counter()
    results = {
        "machine": machine(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "git_commit": os.popen(f"git -C {REPO} rev-parse --short HEAD").read().strip(),
        "load_average": {},
        "parts": {},
    }

    def part(name, fn):
        results["load_average"][f"{name} (before)"] = _load()
        t = time.perf_counter()
        print(f"[bench] {name} ...", flush=True)
        results["parts"][name] = fn()
        results["parts"][name]["bench_seconds"] = round(time.perf_counter() - t, 1)
        print(
            f"[bench] {name}: {results['parts'][name].get('floors')} in {results['parts'][name]['bench_seconds']} s",
            flush=True,
        )

    part("end_to_end", lambda: end_to_end.run(work / "e2e"))
    base = Path(results["parts"]["end_to_end"]["plain_data_dir"])
    part("scale", lambda: scale.run(base, work / "scale", sizes["scale"]))
    part("ties", lambda: ties.run(sizes["ties"]))
    part("members", lambda: members.run(work / "members", *sizes["members"]))
    part("pole_sites_crawl", lambda: pole_sites_crawl.run(work / "pole_sites", *sizes["pole_sites"]))
    part("incremental", lambda: crawl.incremental(work / "crawl", sizes["incremental"]))
    part("crawl_overhead", lambda: crawl.overhead(work / "crawl", sizes["crawl_overhead"]))

    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["floors"] = {f"{p}: {k}": v for p, r in results["parts"].items() for k, v in r.get("floors", {}).items()}
    results["floors"]["make bench < 15 min"] = results["total_seconds"] < 15 * 60
    write_json(results, out_dir / "results.json")
    (out_dir / "results.md").write_text(report.markdown(results), encoding="utf-8")
    print(
        f"[bench] {len(results['floors'])} floors, {sum(results['floors'].values())} held; total {results['total_seconds']} s"
    )
    print(f"[bench] wrote {out_dir / 'results.md'} and results.json")
    errors = [f"{name}: {e}" for name, r in results["parts"].items() for e in part_errors(r)]
    for error in errors:
        print(f"[bench] ERROR {error}", file=sys.stderr)
    if errors:
        return 2
    return 0 if ns.smoke or all(results["floors"].values()) else 1


def part_errors(result, path: str = "") -> list[str]:
    """Where a part's result records a failure: a non-zero ``returncode`` or an ``error``."""
    out = []
    if isinstance(result, dict):
        if result.get("returncode") not in (None, 0):
            out.append(f"{path or '.'} exited {result['returncode']}")
        if result.get("error"):
            out.append(f"{path or '.'}: {str(result['error']).strip().splitlines()[-1][:300]}")
        for key, value in result.items():
            out += part_errors(value, f"{path}/{key}")
    elif isinstance(result, list):
        for i, value in enumerate(result):
            out += part_errors(value, f"{path}[{i}]")
    return out


if __name__ == "__main__":
    sys.exit(main())
