"""python -m pipelines.checks RELEASE_DIR: 0 on a good release, 1 naming each failure, 2 on bad arguments."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from common.paths import REPO_ROOT


def checks(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.checks", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def corrupted(good_release, tmp_path_factory):
    """A copy of the good release with three corruptions: empty advisors, candidate ranks from 5,
    every region_summary count 0."""
    folder = tmp_path_factory.mktemp("releases") / good_release.name
    shutil.copytree(good_release, folder)
    advisors = pq.read_table(folder / "advisors.parquet")
    pq.write_table(advisors.slice(0, 0), folder / "advisors.parquet")
    cand = pq.read_table(folder / "cluster_advisor_candidates.parquet")
    i = cand.schema.get_field_index("rank")
    cand = cand.set_column(i, "rank", pa.compute.add(cand.column("rank"), 4))
    pq.write_table(cand, folder / "cluster_advisor_candidates.parquet")
    summary = pq.read_table(folder / "region_summary.parquet")
    for name in ("n_clusters", "n_committees", "n_advisors"):
        i = summary.schema.get_field_index(name)
        summary = summary.set_column(i, summary.schema.field(i), pa.array([0] * summary.num_rows, pa.int64()))
    pq.write_table(summary, folder / "region_summary.parquet")
    return folder


def test_a_good_release_exits_0(good_release):
    out = checks(good_release)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout
    assert ": 0 failed" in out.stderr


def test_a_corrupted_release_exits_1_naming_each_failure(corrupted):
    out = checks(corrupted)
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("FAIL advisors:content: advisors: table_not_empty") for line in lines), lines
    assert any(
        line.startswith("FAIL cluster_advisor_candidates:content: cluster_advisor_candidates: rank: ranks_start_at_1")
        and "'rank': 5" in line
        for line in lines
    ), lines
    assert any(
        line.startswith("FAIL region_summary:reconciliation: region_summary: counts_match_clusters_committees_advisors")
        and "'published': 0" in line
        for line in lines
    ), lines
    # Candidates now name advisors the empty table lacks: the foreign key says so too.
    assert any(line.startswith("FAIL cluster_advisor_candidates:fk_advisor_id") for line in lines), lines


def test_a_file_off_the_contract_fails(good_release, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(good_release, folder)
    clusters = pq.read_table(folder / "clusters.parquet").drop_columns(["website"])
    pq.write_table(clusters, folder / "clusters.parquet")
    out = checks(folder)
    assert out.returncode == 1
    assert (
        "FAIL clusters:schema: clusters: parquet_schema_is_the_contract" in out.stdout
        and "'column': 'website'" in out.stdout
    )


def test_a_missing_table_fails(good_release, tmp_path):
    folder = tmp_path / "release"
    shutil.copytree(good_release, folder)
    (folder / "advisors.parquet").unlink()
    out = checks(folder)
    assert out.returncode == 1
    assert out.stdout.startswith("FAIL advisors:") and "advisors.parquet is missing" in out.stdout


@pytest.mark.parametrize("args", [[], ["/nonexistent/release"], ["a", "b"], ["--bogus"], [REPO_ROOT / "reference"]])
def test_bad_arguments_exit_2_with_one_line(args):
    out = checks(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith("python -m pipelines.checks: ")
