"""The run's issue log and check outcomes, carried by Dagster's event log, not by side files.

Each step puts its issue records in its materialization's metadata (``issue_metadata``) and each
check its outcome in its evaluation's metadata (``outcome_metadata``); the release reads them
back from the instance by run id (``run_issues``, ``run_check_outcomes``). A crawl's own issue
log is its archived output (``data/raw/<source>/<run_id>/issues.jsonl``): ``crawl_issues``.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from common.issues import Issue

ISSUES_KEY = "issue_log"  # a step's issue records, in its materialization's metadata
OUTCOME_KEY = "outcome"  # a check's outcome record, in its evaluation's metadata


def issue_records(step: str, issues: list[Issue | dict]) -> list[dict]:
    out = []
    for issue in issues:
        rec = issue.to_dict() if isinstance(issue, Issue) else dict(issue)
        rec["step"] = step
        out.append(rec)
    return out


def issue_metadata(step: str, issues: list[Issue | dict]) -> dict:
    """A step's issues as materialization metadata: a summary for the UI, the records for the release."""
    records = issue_records(step, issues)
    return {
        "issues": dg.MetadataValue.json(summarise(records)),
        ISSUES_KEY: dg.MetadataValue.json({"step": step, "records": records}),
    }


def crawl_issues(raw: dict) -> list[dict]:
    """The issue log a crawl archived beside its items (``raw_<source>`` value), as release records."""
    path = Path(raw["issues"])
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return issue_records(f"raw_{raw['source']}", [json.loads(line) for line in lines if line.strip()])


def _events(instance: dg.DagsterInstance, run_id: str, event_type: dg.DagsterEventType) -> list:
    out, cursor = [], None
    while True:
        conn = instance.get_records_for_run(run_id, cursor=cursor, of_type=event_type, limit=1000)
        out.extend(r.event_log_entry.dagster_event for r in conn.records if r.event_log_entry.dagster_event)
        if not conn.has_more:
            return out
        cursor = conn.cursor


def run_issues(instance: dg.DagsterInstance, run_id: str) -> dict[str, list[dict]]:
    """Every step's issue records logged in run ``run_id``, by step (a re-executed step: its last)."""
    by_step: dict[str, list[dict]] = {}
    for event in _events(instance, run_id, dg.DagsterEventType.ASSET_MATERIALIZATION):
        logged = event.materialization.metadata.get(ISSUES_KEY)
        if logged is not None:
            by_step[logged.value["step"]] = list(logged.value["records"])
    return by_step


def run_check_outcomes(instance: dg.DagsterInstance, run_id: str) -> list[dict]:
    """Every check outcome evaluated in run ``run_id``, sorted by table and check."""
    outcomes: dict[tuple[str, str], dict] = {}
    for event in _events(instance, run_id, dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        saved = event.event_specific_data.metadata.get(OUTCOME_KEY)
        if saved is not None:
            outcomes[(saved.value["table"], saved.value["check"])] = dict(saved.value)
    return [outcomes[k] for k in sorted(outcomes)]


def run_records_of(instance: dg.DagsterInstance, run_id: str) -> tuple[set, set]:
    """The asset keys materialized and the check keys evaluated in run ``run_id``."""
    steps = {e.asset_key for e in _events(instance, run_id, dg.DagsterEventType.ASSET_MATERIALIZATION)}
    checks = {
        e.event_specific_data.asset_check_key
        for e in _events(instance, run_id, dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    }
    return steps, checks


def release_issues(by_step: dict[str, list[dict]]) -> list[dict]:
    """One list, grouped by step in name order (the order issues.json has always had)."""
    return [rec for step in sorted(by_step) for rec in by_step[step]]


def summarise(issues: list[Issue | dict]) -> dict:
    counts: dict[str, int] = {}
    for i in issues:
        rec = i.to_dict() if isinstance(i, Issue) else i
        key = f"{rec['severity']}/{rec['code']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
