"""``python -m pipelines.run [--live]``: the whole pipeline, as `make run` does.

Runs the release job in this process against the Dagster instance in $DAGSTER_HOME
(so the run shows in `make ui`), then prints where the release landed, or why not.
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.run", description=__doc__.splitlines()[0])
    ap.add_argument("--live", action="store_true", help="crawl the live sites instead of the bundled snapshots")
    ns = ap.parse_args(argv)
    if ns.live:
        os.environ["POLES_CCE_MODE"] = "live"

    import dagster as dg

    from pipelines.definitions import defs

    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("release_job")
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    print(f"run {result.run_id}: {'success' if result.success else 'FAILED'}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
