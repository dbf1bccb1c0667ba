"""Run records for runs that never reached the release step (a blocking check or a step failed).

Used by ``python -m pipelines.run`` and by the run-failure sensor, so a scheduled run
that fails leaves the same record as a manual one: ``data/runs/<run_id>.json``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg

from pipelines.issue_log import run_check_outcomes
from pipelines.publish.release import record_run, run_record
from pipelines.resources import PipelineSettings


def step_failures(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    out = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = entry.dagster_event
        err = event.step_failure_data.error if event and event.step_failure_data else None
        # Dagster wraps the user's error ("Error occurred while executing op …"): report the cause.
        while err is not None and err.cause is not None and "Error occurred while executing" in err.message:
            err = err.cause
        message = err.message.strip() if err else "failed"
        out.append(f"{event.step_key}: {message}")
    return out


def record_failed_run(instance: dg.DagsterInstance, run_id: str, settings: PipelineSettings | None = None) -> Path:
    settings = settings or PipelineSettings()
    checks = run_check_outcomes(instance, run_id)
    failures = step_failures(instance, run_id)
    record = run_record(
        status="failed",
        checks=checks,
        error="; ".join(failures) or "run failed before publishing",
        run_id=run_id,
        run_date=dt.date.today(),
    )
    record["failed_steps"] = failures
    return record_run(settings.run_records_dir, record)
