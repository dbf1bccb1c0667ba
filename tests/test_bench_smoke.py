"""The benchmark harness cannot rot: every part of `make bench` runs at its smallest size.

Floors are not judged here (timings on a busy test machine mean nothing); a part that errors
(an import gone, a child process failing, a size that could not run) fails the test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.run_all import part_errors
from common.paths import REPO_ROOT

PARTS = ("end_to_end", "scale", "incremental", "crawl_overhead", "members")


@pytest.mark.slow
def test_every_bench_part_runs_at_its_smallest_size():
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run_all", "--smoke"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for part in PARTS:
        assert f"[bench] {part}: " in proc.stdout, part  # the part ran to its end


def test_part_errors_finds_failed_children_and_sizes():
    result = {
        "dagster": {"returncode": 0},
        "plain": {"returncode": 1},
        "sizes": [{"factor": 1, "pipeline_s": 3.0}, {"factor": 3, "error": "Traceback…\nModuleNotFoundError: x"}],
    }
    assert part_errors(result) == ["/plain exited 1", "/sizes[1]: ModuleNotFoundError: x"]
    assert part_errors({"sizes": [{"factor": 1, "returncode": 0}]}) == []
