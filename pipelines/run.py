"""``python -m pipelines.run [--live]``: the whole pipeline, as `make run` does.

Runs the release job in this process against the Dagster instance in $DAGSTER_HOME
(so the run shows in `make ui`), then prints where the release landed, or why not.
Holds the data folder's run lock throughout (common.runlock): a second run at the same
time is refused with one line (or waits up to $POLES_CCE_RUN_LOCK_TIMEOUT seconds).
Exit status 0 when a release was published, 1 when the run failed, 2 when it could not
start (one line naming the problem; ``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

PROG = "python -m pipelines.run"


def main(argv: list[str] | None = None) -> int:
    from common.cli import run_main

    return run_main(_main, PROG, argv)


def _main(argv: list[str]) -> int:
    from common.cli import DEBUG_FLAG, DEBUG_HELP
    from common.paths import data_dir
    from common.runlock import run_lock

    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("--live", action="store_true", help="crawl the live sites instead of the bundled snapshots")
    ap.add_argument(DEBUG_FLAG, action="store_true", help=DEBUG_HELP)
    ns = ap.parse_args(argv)
    if ns.live:
        os.environ["POLES_CCE_MODE"] = "live"
    with run_lock(data_dir(), holder=PROG + (" --live" if ns.live else "")):
        return _run()


def _run() -> int:
    import dagster as dg

    step_lines = dg.logger(description="one line per step on the console")(_step_lines_logger)

    from pipelines.definitions import defs
    from pipelines.resources import PipelineSettings
    from pipelines.run_records import record_failed_run

    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    # One line per step on the console; every event still reaches the instance (and `make ui`).
    job = defs.resolve_job_def("release_job").with_logger_defs({"steps": step_lines})
    result = job.execute_in_process(run_config={"loggers": {"steps": {}}}, instance=instance, raise_on_error=False)
    settings = PipelineSettings()
    if result.success:
        latest = settings.releases_dir / "latest"
        release = latest.resolve()
        record = settings.run_records_dir / f"{result.run_id}.json"
        status = json.loads(record.read_text(encoding="utf-8")).get("status") if record.exists() else "published"
        if status == "unchanged":  # same rows as the latest release: none written, the run recorded
            print(f"run {result.run_id}: tables identical to release {release.name}, no new release")
        else:
            print(f"run {result.run_id}: release {release.name} published")
        print(f"  {latest} -> {release}")
        print(f"  checks passed: {_StepLines.checks_passed}")
        for line in _row_counts(release):
            print(f"  {line}")
        print(f"  landing page: {release / 'index.html'}")
        return 0
    record = record_failed_run(instance, result.run_id, settings)
    data = json.loads(Path(record).read_text(encoding="utf-8"))
    print(f"run {result.run_id}: FAILED, no release written; data/releases/latest unchanged", file=sys.stderr)
    for check in data.get("failed_checks", []):
        print(
            f"  check failed: {check.get('table')}.{check.get('check')} ({', '.join(check.get('sources', []))}): "
            f"{'; '.join(check.get('failures', []))[:300]}",
            file=sys.stderr,
        )
    for step in data.get("failed_steps", []):
        print(f"  step failed: {step[:500]}", file=sys.stderr)
    print(f"  run record: {record}", file=sys.stderr)
    return 1


class _StepLines(logging.Handler):
    """Prints an asset step's outcome when it ends, and any warning or error a step logs;
    check steps are counted (``checks_passed``), and listed only when they fail."""

    check_steps: set = set()
    checks_passed = 0

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        kind = event.event_type_value if event is not None else None
        if kind == "ASSET_CHECK_EVALUATION":  # checks are counted, not listed: one line per asset step
            self.check_steps.add(event.step_key)
        elif kind == "STEP_SUCCESS" and event.step_key in self.check_steps:
            _StepLines.checks_passed += 1
        elif kind == "STEP_SUCCESS":
            print(f"  ok    {event.step_key} ({event.event_specific_data.duration_ms / 1000:.1f} s)", flush=True)
        elif kind == "STEP_FAILURE":
            error = event.event_specific_data.error
            print(
                f"  FAIL  {event.step_key}: {(error.message if error else '').strip().splitlines()[0][:800]}",
                file=sys.stderr,
                flush=True,
            )
        elif kind is None and record.levelno >= logging.WARNING:
            message = meta.get("orig_message", record.getMessage())
            if not message.startswith("Dependencies for step"):  # a step skipped after a failure: the FAIL says why
                print(f"  {record.levelname.lower()}: {message[:300]}", file=sys.stderr, flush=True)


def _step_lines_logger(init_context) -> logging.Logger:
    logger = logging.getLogger("poles_cce.steps")
    logger.setLevel(logging.DEBUG)
    logger.handlers = [_StepLines()]
    logger.propagate = False
    return logger


def _row_counts(release: Path) -> list[str]:
    import pyarrow.parquet as pq

    return [f"{p.stem}: {pq.ParquetFile(p).metadata.num_rows} rows" for p in sorted(release.glob("*.parquet"))]


if __name__ == "__main__":
    sys.exit(main())
