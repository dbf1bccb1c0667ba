"""Replay crawl of the bundled snapshot, in its own process (Twisted's reactor cannot restart)."""

import json
import subprocess
import sys

import pytest

from common.paths import REPO_ROOT

PYTHON = REPO_ROOT / ".venv" / "bin" / "python"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cce_appointments")
    python = PYTHON if PYTHON.exists() else sys.executable
    proc = subprocess.run(
        [str(python), "-m", "spiders.crawl", "cce_appointments", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, json.loads(proc.stdout.strip().splitlines()[-1])


def test_replay_counts_and_no_errors(run_dir):
    out, summary = run_dir
    assert summary["items"] == 24
    assert summary["errors"] == 0 and summary["issues"] == 0
    assert summary["pages"] == 3  # robots.txt and the two decrees
    items = [json.loads(l) for l in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    by_decree = {}
    for i in items:
        by_decree[i["appointment_ref"]] = by_decree.get(i["appointment_ref"], 0) + 1
    assert by_decree == {"ECOT2333861D": 16, "ECOT2529114D": 8}
    assert all(i["country_code"] or i["region_code"] for i in items)
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats.get("replay/missing", 0) == 0
    assert (out / "responses.warc.gz").exists()


def test_replay_items_equal_the_cli_output(run_dir):
    out, _ = run_dir
    from pathlib import Path

    expected = []
    for name in ("JORFTEXT000048601234", "JORFTEXT000052583419"):
        path = Path(__file__).parent / "files" / "cce_appointments" / f"{name}.jsonl"
        expected += [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    items = [json.loads(l) for l in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    key = lambda i: (i["appointment_ref"], i["heading"], i["display_name"])  # noqa: E731
    assert sorted(items, key=key) == sorted(expected, key=key)
