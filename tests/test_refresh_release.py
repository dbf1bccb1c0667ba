"""A per-source refresh publishes a whole release: its issue log and check outcomes cover
every table and every source, as release_job's do, though it re-crawls one source only."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from common.paths import REPO_ROOT

REFRESH = """
import dagster as dg
from pipelines.definitions import defs
result = defs.resolve_job_def("refresh_cce_appointments").execute_in_process(instance=dg.DagsterInstance.get())
assert result.success
crawled = sorted(e.step_key for e in result.all_events if e.event_type_value == "STEP_SUCCESS"
                 and e.step_key.startswith("raw_") and not e.step_key.endswith("_source_assertions"))
print(" ".join(crawled))
"""


def _release(data):
    latest = (data / "releases" / "latest").resolve()
    checks = json.loads((latest / "checks.json").read_text(encoding="utf-8"))
    issues = json.loads((latest / "issues.json").read_text(encoding="utf-8"))
    return latest, {(c["table"], c["check"]) for c in checks}, {i["step"] for i in issues}


@pytest.mark.slow
def test_refresh_publishes_every_check_and_step_issue_log(tmp_path):
    data, home = tmp_path / "data", tmp_path / "dagster_home"
    home.mkdir()
    # Identical tables would publish no new release; here the refresh's release is under test.
    env = dict(os.environ, POLES_CCE_DATA_DIR=str(data), DAGSTER_HOME=str(home), POLES_CCE_UNCHANGED_RELEASES="publish")
    env.pop("POLES_CCE_MODE", None)
    first = subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert first.returncode == 0, first.stderr[-3000:]
    full, full_checks, full_steps = _release(data)

    refresh = subprocess.run(
        [sys.executable, "-c", REFRESH], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert refresh.returncode == 0, refresh.stderr[-3000:]
    # Only the refreshed source and the crawl whose queries come from clean tables ran again.
    assert refresh.stdout.strip().splitlines()[-1].split() == ["raw_cce_appointments", "raw_company_register"]
    refreshed, checks, steps = _release(data)
    assert refreshed != full
    assert ("raw_poles", "source_assertions") in checks and ("raw_cce_committees", "source_assertions") in checks
    assert checks == full_checks
    # the pôles crawl was not redone, yet its issues (the sample's pages missing a field) are published
    assert "raw_poles" in full_steps and steps == full_steps
