"""Fewer, meaningful releases: identical runs publish nothing new; retention keeps the last N."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from common.paths import REPO_ROOT
from common.sources import all_sources
from pipelines.publish import latest_release, prune_releases, publish_release
from pipelines.publish.sample import sample_checks, sample_crawls, sample_issues, sample_tables


def _publish(tmp_path, day, tables=None, **kw):
    return publish_release(
        tables or sample_tables(),
        releases_dir=tmp_path / "releases",
        runs_dir=tmp_path / "runs",
        run_date=day,
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
        **kw,
    )


def _records(tmp_path):
    return sorted(
        (json.loads(p.read_text()) for p in (tmp_path / "runs").glob("*.json")), key=lambda r: r["recorded_at"]
    )


def test_three_identical_refreshes_make_one_release(tmp_path):
    first = _publish(tmp_path, dt.date(2026, 11, 2), skip_unchanged=True)
    second = _publish(tmp_path, dt.date(2026, 11, 9), skip_unchanged=True)
    third = _publish(tmp_path, dt.date(2026, 11, 16), skip_unchanged=True)
    assert first == second == third
    assert sorted(p.name for p in (tmp_path / "releases").iterdir() if not p.name.startswith(".")) == [
        "2026-11-02.1",
        "latest",
    ]
    statuses = [r["status"] for r in _records(tmp_path)]
    assert statuses.count("published") == 1 and statuses.count("unchanged") == 2
    assert {r["release_id"] for r in _records(tmp_path)} == {"2026-11-02.1"}


def test_a_changed_row_makes_a_new_release(tmp_path):
    _publish(tmp_path, dt.date(2026, 11, 2), skip_unchanged=True)
    changed = sample_tables()
    changed["advisors"].loc[0, "company"] = "Nouvelle Société Fictive"
    second = _publish(tmp_path, dt.date(2026, 11, 9), changed, skip_unchanged=True)
    assert second.name == "2026-11-09.1" and latest_release(tmp_path / "releases") == second


def test_unchanged_runs_can_still_be_published_when_configured(tmp_path, monkeypatch):
    monkeypatch.setenv("POLES_CCE_UNCHANGED_RELEASES", "publish")
    _publish(tmp_path, dt.date(2026, 11, 2))
    assert _publish(tmp_path, dt.date(2026, 11, 9)).name == "2026-11-09.1"
    monkeypatch.setenv("POLES_CCE_UNCHANGED_RELEASES", "skip")
    assert _publish(tmp_path, dt.date(2026, 11, 16)).name == "2026-11-09.1"
    monkeypatch.setenv("POLES_CCE_UNCHANGED_RELEASES", "sometimes")
    with pytest.raises(ValueError, match="POLES_CCE_UNCHANGED_RELEASES='sometimes'"):
        _publish(tmp_path, dt.date(2026, 11, 23))


def test_retention_keeps_the_last_n(tmp_path):
    for i, day in enumerate((2, 9, 16, 23)):
        tables = sample_tables()
        tables["clusters"].loc[0, "name"] = f"Aerospace Valley {i}"
        _publish(tmp_path, dt.date(2026, 11, day), tables, keep=2)
    kept = sorted(p.name for p in (tmp_path / "releases").iterdir() if not p.name.startswith("."))
    assert kept == ["2026-11-16.1", "2026-11-23.1", "latest"]
    assert latest_release(tmp_path / "releases").name == "2026-11-23.1"


def test_retention_never_removes_the_release_latest_points_to(tmp_path):
    for i, day in enumerate((2, 9, 16)):
        tables = sample_tables()
        tables["clusters"].loc[0, "name"] = f"Aerospace Valley {i}"
        _publish(tmp_path, dt.date(2026, 11, day), tables)
    releases = tmp_path / "releases"
    os.replace(_relink(releases, "2026-11-02.1"), releases / "latest")  # latest rolled back to the oldest
    removed = prune_releases(releases, keep=1)
    assert removed == ["2026-11-09.1"]
    assert sorted(p.name for p in releases.iterdir() if not p.name.startswith(".")) == [
        "2026-11-02.1",
        "2026-11-16.1",
        "latest",
    ]


def _relink(releases, target):
    tmp = releases / ".relink"
    os.symlink(target, tmp)
    return tmp


def test_the_datagouv_asset_is_off_unless_configured():
    code = "from pipelines.definitions import defs; print(sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys() if 'datagouv' in k.to_user_string()))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAGOUV_")}
    off = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    on = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**env, "DATAGOUV_DATASET": "my-dataset"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert off.stdout.strip().splitlines()[-1] == "[]", off.stderr[-2000:]
    assert on.stdout.strip().splitlines()[-1] == "['datagouv_publication']", on.stderr[-2000:]
