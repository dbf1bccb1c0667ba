"""The run lock and the intermediate tables' writes (issue 11, observation 5), without Dagster runs."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
import pytest

from common.paths import REPO_ROOT
from common.runlock import RunLockBusy, run_lock
from pipelines.contract import TableValidationError
from pipelines.resources import _TypedStorage


def test_lock_is_reentrant_in_a_process_and_exclusive_between_processes(tmp_path):
    holder = (
        "import sys, time; from common.runlock import run_lock; from pathlib import Path\n"
        "with run_lock(Path(sys.argv[1]), holder='other'):\n    print('held', flush=True); time.sleep(30)"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", holder, str(tmp_path)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "held"
        with pytest.raises(RunLockBusy, match=r"another pipeline run is using this data folder \(pid \d+, other"):
            with run_lock(tmp_path, timeout=0.2):
                pass
    finally:
        other.kill()
        other.wait()
    # The holder died without releasing: the operating system dropped its lock.
    with run_lock(tmp_path, timeout=0), run_lock(tmp_path, timeout=0):  # re-entrant (the command, then its steps)
        seen = []
        t = threading.Thread(target=lambda: seen.append(_try(tmp_path)))
        t.start()
        t.join()
        assert seen == ["held"]  # another thread of the same run (a Dagster step) shares it


def _try(path):
    with run_lock(path, timeout=0):
        return "held"


class _Context:
    step_context = None
    has_asset_key = False  # not a contract table: pickled


def test_intermediate_table_is_replaced_whole_or_not_at_all(tmp_path):
    io = _TypedStorage(base_dir=str(tmp_path))
    path = tmp_path / "storage" / "clusters"
    io.dump_to_path(_Context(), pd.DataFrame({"a": [1, 2]}), path)
    assert pickle.loads(path.read_bytes())["a"].tolist() == [1, 2]

    class Unpicklable:
        def __reduce__(self):
            raise pickle.PicklingError("half-way failure")

    with pytest.raises(pickle.PicklingError):
        io.dump_to_path(_Context(), [pd.DataFrame({"a": range(100_000)}), Unpicklable()], path)
    assert pickle.loads(path.read_bytes())["a"].tolist() == [1, 2]  # the previous table, whole
    assert [p.name for p in path.parent.iterdir()] == ["clusters"]  # no temporary file left


def test_typed_table_is_replaced_whole_or_not_at_all(tmp_path):
    io = _TypedStorage(base_dir=str(tmp_path))
    context = dg.build_output_context(asset_key=dg.AssetKey("region_summary"))
    path = tmp_path / "storage" / "region_summary.parquet"
    good = pd.DataFrame(
        {
            "region_code": ["76"],
            "region_name": ["Occitanie"],
            "n_clusters": pd.array([3], dtype="Int64"),
            "n_committees": pd.array([1], dtype="Int64"),
            "n_advisors": pd.array([10], dtype="Int64"),
            "advisors_per_cluster": [3.3],
            "clusters_without_committee": [[]],
            "n_clusters_with_cce_in_governance": pd.array([1], dtype="Int64"),
            "n_clusters_governance_unknown": pd.array([0], dtype="Int64"),
            "n_members": pd.array([40], dtype="Int64"),
            "n_members_advisor_companies": pd.array([2], dtype="Int64"),
            "n_clusters_members_unknown": pd.array([2], dtype="Int64"),
            "source_url": ["https://example.org/r"],
        }
    )
    io.dump_to_path(context, good, path)
    assert pq.read_table(path).column("n_clusters").to_pylist() == [3]
    with pytest.raises(TableValidationError, match="(?s)region_summary.*n_clusters"):
        io.dump_to_path(context, good.assign(n_clusters=["three"]), path)
    assert pq.read_table(path).column("n_clusters").to_pylist() == [3]  # the previous table, whole
    assert [p.name for p in path.parent.iterdir()] == ["region_summary.parquet"]  # no temporary file left
