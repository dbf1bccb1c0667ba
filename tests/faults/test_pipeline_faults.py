"""Pipeline-level faults: ``python -m pipelines.run --live`` with the sources' real settings,
every request through the mirror (or through a closed port: no network), against a data
folder holding a copy of a good release. The run must fail naming the source, the URL and
the cause, leave ``latest`` and the release folders untouched, and record the failed run.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from common.paths import REPO_ROOT
from common.sources import all_sources, load_source
from tests.mirror import Fault, Mirror

from .conftest import EXPECTED_IDS, proxy_env

GOOD_RELEASE = REPO_ROOT / "data" / "releases" / "latest"
SOURCES = tuple(s.name for s in all_sources())
ROOT_SOURCES = tuple(s.name for s in all_sources() if not s.inputs)  # crawls needing no upstream table

SCENARIOS = {
    "pipeline_no_network": dict(
        fault="no network (live mode)",
        injected="`https_proxy` points at a closed port on 127.0.0.1 (no mirror)",
        expected="fails (time reported; its ≤ 60 s floor is in `make bench`), naming source, URL and cause; latest untouched",
    ),
    "pipeline_robots_disallow": dict(
        fault="robots.txt disallow (every site)",
        injected="every source's robots.txt: `Disallow: /`",
        expected="fails naming source, URL and `forbidden by robots.txt`; no retry; latest untouched",
    ),
    "pipeline_offsite_redirect": dict(
        fault="redirect to another host (every start URL)",
        injected="every start URL answers 302 to https://evil.example.net/",
        expected="fails naming source, URL and the refused redirect; latest untouched",
    ),
}
EXPECTED_IDS.update(SCENARIOS)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A data folder whose releases/ holds a copy of a good release, ``latest`` pointing at it."""
    if not GOOD_RELEASE.exists():
        subprocess.run(
            [sys.executable, "-m", "pipelines.run"], cwd=REPO_ROOT, check=True, capture_output=True, timeout=600
        )
    good = GOOD_RELEASE.resolve()
    data = tmp_path / "data"
    shutil.copytree(good, data / "releases" / good.name, symlinks=True)
    (data / "releases" / "latest").symlink_to(good.name)
    return data


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_pipeline(proxy_url: str, data: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = proxy_env(proxy_url, data)
    env.update({"POLES_CCE_MODE": "live", "DAGSTER_HOME": str(tmp_path / "dagster")})
    (tmp_path / "dagster").mkdir(exist_ok=True)
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.run", "--live"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc, time.monotonic() - start


def snapshot_of(releases: Path) -> dict:
    return {
        "latest": os.readlink(releases / "latest"),
        "folders": sorted(p.name for p in releases.iterdir()),
        "files": sorted((str(p.relative_to(releases)), p.stat().st_size) for p in releases.rglob("*") if p.is_file()),
    }


def assert_failed_cleanly(proc, data: Path, before: dict, url: str, cause: str) -> str:
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert snapshot_of(data / "releases") == before  # latest and every release untouched, nothing half-written
    assert "latest unchanged" in proc.stderr
    records = list((data / "runs").glob("*.json"))
    assert len(records) == 1, records
    step = next(line for line in proc.stderr.splitlines() if "crawl of source" in line)
    assert re.search(rf"crawl of source '({'|'.join(ROOT_SOURCES)})'", step), step
    assert url in step and cause in step, step
    return step.strip()


def test_pipeline_no_network(tmp_path, data_dir, report_row):
    report_row.update(level="pipeline", order=100, **SCENARIOS["pipeline_no_network"])
    before = snapshot_of(data_dir / "releases")
    proc, seconds = run_pipeline(f"http://127.0.0.1:{closed_port()}", data_dir, tmp_path)
    step = assert_failed_cleanly(proc, data_dir, before, "https://", "connection refused")
    # How fast it fails is a speed floor, measured by bench/end_to_end.py (no-network run), not here.
    report_row["observed"] = f"fails in {seconds:.0f} s, exit 1, latest unchanged, run recorded; `{step[:170]}…`"


def test_pipeline_robots_disallow(tmp_path, data_dir, report_row):
    report_row.update(level="pipeline", order=101, **SCENARIOS["pipeline_robots_disallow"])
    before = snapshot_of(data_dir / "releases")
    with Mirror.from_snapshots(*SOURCES) as mirror:
        mirror.add_fault(r"/robots\.txt$", Fault(body=b"User-agent: *\nDisallow: /\n"))
        proc, seconds = run_pipeline(mirror.proxy_url, data_dir, tmp_path)
        fetched = {u for u in mirror.counts if not u.endswith("/robots.txt")}
    step = assert_failed_cleanly(proc, data_dir, before, "https://", "forbidden by robots.txt")
    assert fetched == set()
    report_row["observed"] = (
        f"fails in {seconds:.0f} s, exit 1, latest unchanged, only robots.txt fetched; `{step[:150]}…`"
    )


def test_pipeline_offsite_redirect(tmp_path, data_dir, report_row):
    report_row.update(level="pipeline", order=102, **SCENARIOS["pipeline_offsite_redirect"])
    before = snapshot_of(data_dir / "releases")
    with Mirror.from_snapshots(*SOURCES) as mirror:
        for name in ROOT_SOURCES:
            for url in load_source(name).start_urls:
                mirror.add_fault(re.escape(str(url)) + "$", Fault(redirect="https://evil.example.net/moved"))
        proc, seconds = run_pipeline(mirror.proxy_url, data_dir, tmp_path)
        offsite = [u for u in mirror.counts if "example.net" in u]
    step = assert_failed_cleanly(proc, data_dir, before, "https://", "redirect to another host refused")
    assert offsite == []
    report_row["observed"] = (
        f"fails in {seconds:.0f} s, exit 1, latest unchanged, other host never contacted; `{step[:150]}…`"
    )


# -- issue 11: two runs at once; a decompression bomb given as an archive ----------------------

SCENARIOS_11 = {
    "pipeline_concurrent_runs": dict(
        fault="two runs at once on one data folder",
        injected="a second `python -m pipelines.run` started while the first runs",
        expected="the first publishes; the second is refused at once with one line naming the folder and the holder, no traceback",
    ),
    "pipeline_gzip_bomb_archive": dict(
        fault="gzip bomb as a replay archive",
        injected="`POLES_CCE_ARCHIVES_DIR` holding `poles.warc.gz`: 1.1 MB expanding to 1.1 GB",
        expected="fails naming the archive and the limit (the archive reader stops within seconds: tests/test_hostile_input.py); latest untouched",
    ),
}
EXPECTED_IDS.update(SCENARIOS_11)


def replay_env(data: Path, tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLES_CCE_")}
    env.update({"POLES_CCE_DATA_DIR": str(data), "DAGSTER_HOME": str(tmp_path / "dagster"), **extra})
    (tmp_path / "dagster").mkdir(exist_ok=True)
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return env


def test_pipeline_concurrent_runs(tmp_path, data_dir, report_row):
    report_row.update(level="pipeline", order=103, **SCENARIOS_11["pipeline_concurrent_runs"])
    # The lock is under test, not the release dedup: the first run publishes even identical tables.
    env = replay_env(data_dir, tmp_path, POLES_CCE_UNCHANGED_RELEASES="publish")
    command = [sys.executable, "-m", "pipelines.run"]
    start = time.monotonic()
    first = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    owner = data_dir / ".run.lock.owner"
    while not owner.exists() and first.poll() is None and time.monotonic() - start < 120:
        time.sleep(0.1)
    second = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, out[-2000:] + err[-3000:]
    assert "published" in out
    assert second.returncode == 2, second.stdout[-1000:] + second.stderr[-2000:]
    assert "Traceback" not in second.stderr and "EOFError" not in second.stderr
    [line] = second.stderr.strip().splitlines()
    assert f"{data_dir}: another pipeline run is using this data folder (pid {first.pid}" in line, line
    latest = (data_dir / "releases" / "latest").resolve()
    assert (latest / "SHA256SUMS").exists() and latest.name != os.readlink(GOOD_RELEASE)
    report_row["observed"] = (
        f"first run published {latest.name} (exit 0); second refused: exit 2, one line `{line[:160]}…`"
    )


def test_pipeline_gzip_bomb_archive(tmp_path, data_dir, report_row):
    report_row.update(level="pipeline", order=104, **SCENARIOS_11["pipeline_gzip_bomb_archive"])
    from tests.test_hostile_input import warc_record_bomb

    archives = tmp_path / "archives"
    archives.mkdir()
    bomb = warc_record_bomb(archives / "poles.warc.gz")
    before = snapshot_of(data_dir / "releases")
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.run"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=replay_env(data_dir, tmp_path, POLES_CCE_ARCHIVES_DIR=str(archives)),
    )
    seconds = time.monotonic() - start
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert snapshot_of(data_dir / "releases") == before
    step = next(line for line in proc.stderr.splitlines() if "crawl of source 'poles' failed" in line)
    assert str(bomb) in step and "larger than the limit of 5,000,000 bytes" in step, step
    report_row["observed"] = f"fails in {seconds:.0f} s, exit 1, latest unchanged; `{step.strip()[:200]}…`"
