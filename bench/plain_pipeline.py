"""The pipeline of `make run` without Dagster: ``python -m bench.plain_pipeline [--timings FILE]``.

Same crawls (``python -m spiders.crawl`` subprocesses replaying the bundled snapshots), same
clean and join functions, same GX suites, same release writer, into $POLES_CCE_DATA_DIR.
It is the baseline the Dagster run is compared with in part 2 of the benchmark.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench import steps
from common.paths import data_dir
from common.queries import build_queries, write_queries
from common.sources import all_sources
from pipelines.clean.frames import read_jsonl


def crawl(source: str, run_dir: Path, t: steps.Timings, *args: str) -> dict:
    with t.step(f"raw_{source}"):
        subprocess.run(
            [sys.executable, "-m", "spiders.crawl", source, "--out", str(run_dir), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    stats = json.loads((run_dir / "stats.json").read_text(encoding="utf-8"))
    return {
        "source": source,
        "items": read_jsonl(run_dir / "items.jsonl"),
        "issues": read_jsonl(run_dir / "issues.jsonl"),
        "crawl": {"crawled_at": stats.get("crawled_at"), "archive": stats.get("archive"), "mode": stats["mode"]},
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.plain_pipeline", description=__doc__.splitlines()[0])
    ap.add_argument("--timings", type=Path, help="write per-step seconds to this JSON file")
    ns = ap.parse_args(argv)
    started = time.perf_counter()
    t = steps.Timings()
    base = data_dir()
    run_id = time.strftime("plain-%Y%m%dT%H%M%S")
    sources = all_sources()
    # Crawls that need no table first, then the clean tables, then the crawls whose queries
    # those tables build (their YAML's ``inputs`` and ``queries`` hook), as the asset graph orders them.
    raw = {s.name: crawl(s.name, base / "raw" / s.name / run_id, t) for s in sources if not s.inputs}
    directory, committees, merged, issues = steps.clean_directory({s: r["items"] for s, r in raw.items()}, t)
    tables = {"directory_clusters": directory, "cce_committees": committees, "merged_advisors": merged}
    pending = [s for s in sources if s.inputs]
    while pending:  # a crawl runs once every table its queries need is built (member_listings)
        ready = [s for s in pending if set(s.inputs) <= set(tables)]
        if not ready:
            raise SystemExit(f"inputs never built: {', '.join(f'{s.name}: {s.inputs}' for s in pending)}")
        for source in ready:
            pending.remove(source)
            run_dir = base / "raw" / source.name / run_id
            queries = write_queries(build_queries(source, tables), run_dir / "queries.jsonl")
            raw[source.name] = crawl(source.name, run_dir, t, "-a", f"queries={queries}")
            cleaned, more_issues = steps.clean_crawled(source.name, raw[source.name]["items"], t)
            tables.update(cleaned)
            issues += more_issues
    checks = steps.source_checks({s: (r["items"], r["issues"]) for s, r in raw.items()}, t)

    clusters, advisors, companies, more = steps.enrich(directory, merged, {s: r["items"] for s, r in raw.items()}, t)
    tables = steps.join(
        clusters,
        committees,
        advisors,
        t,
        {s: r["items"] for s, r in raw.items()},
        tables.get("member_listings"),
        advisor_companies=companies,
    )
    checks += steps.table_checks(tables, t)
    crawl_issues = [dict(i, step=f"raw_{s}") for s, r in raw.items() for i in r["issues"]]
    release = steps.publish(
        tables, base, {s: r["crawl"] for s, r in raw.items()}, crawl_issues + issues + more, checks, t
    )
    t["total"] = round(time.perf_counter() - started, 3)
    print(f"release {release.name} published in {t['total']} s: {release}")
    if ns.timings:
        ns.timings.write_text(json.dumps(t, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
