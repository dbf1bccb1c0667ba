"""Shared fixtures: a good release, made once per test session by the real pipeline on the bundled sample."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT


@pytest.fixture(scope="session")
def good_release(tmp_path_factory) -> Path:
    # A release built beforehand by `make run` (the mutation runs reuse one instead of re-running the pipeline).
    if os.environ.get("POLES_CCE_TEST_RELEASE"):
        return Path(os.environ["POLES_CCE_TEST_RELEASE"]).resolve()
    data = tmp_path_factory.mktemp("checks_data")
    env = dict(os.environ, POLES_CCE_DATA_DIR=str(data), DAGSTER_HOME=str(data / "dagster_home"))
    env.pop("POLES_CCE_MODE", None)
    env.pop("POLES_CCE_ARCHIVES_DIR", None)
    (data / "dagster_home").mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return (data / "releases" / "latest").resolve()


@pytest.fixture(scope="session")
def good_frames(good_release):
    from pipelines.checks.release import read_release

    return read_release(good_release)
