"""The whole pipeline on the bundled snapshots, as `make run` runs it, in a temporary data folder.

Three runs share one data folder: a good run, the same run again (recorded, no new release:
the tables did not change), and a run on a drifted snapshot whose blocking check must stop the release.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from common.sources import all_sources
from pipelines.schema import TABLES


def test_definitions_load():
    from pipelines.definitions import PUBLISHED_TABLES, defs

    dg.Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {f"raw_{s.name}" for s in all_sources()} | {"release"} <= keys
    assert set(PUBLISHED_TABLES) <= keys
    checked = {k.asset_key.to_user_string() for k in graph.asset_check_keys}
    assert set(PUBLISHED_TABLES) <= checked  # every published table is gated
    for table in PUBLISHED_TABLES:
        assert graph.get(dg.AssetKey(table)).description


def _run(data_dir: Path, *args: str, archives: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, POLES_CCE_DATA_DIR=str(data_dir), DAGSTER_HOME=str(data_dir / "dagster_home"))
    env.pop("POLES_CCE_MODE", None)
    if archives:
        env["POLES_CCE_ARCHIVES_DIR"] = str(archives)
    (data_dir / "dagster_home").mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.run", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    first = _run(data)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    release_1 = (data / "releases" / "latest").resolve()
    second = _run(data)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    release_2 = (data / "releases" / "latest").resolve()
    return {"data": data, "release_1": release_1, "release_2": release_2, "stdout": (first.stdout, second.stdout)}


def test_each_published_table_shows_its_release_in_the_ui(runs):
    instance = dg.DagsterInstance.from_config(str(runs["data"] / "dagster_home"))
    for table in TABLES:
        obs = instance.fetch_observations(dg.AssetKey(table), limit=1).records[0].asset_observation
        assert obs.metadata["release_path"].value == str(runs["release_2"])
        mat = instance.get_latest_materialization_event(dg.AssetKey(table)).asset_materialization
        assert {"dagster/row_count", "dagster/column_schema", "preview"} <= set(mat.metadata)


def test_release_has_every_table(runs):
    release = runs["release_1"]
    for table in (
        "clusters",
        "cce_committees",
        "advisors",
        "cluster_committee_coverage",
        "cluster_advisor_candidates",
        "region_summary",
    ):
        assert (release / f"{table}.parquet").exists(), table
        assert (release / f"{table}.csv").exists(), table
    for name in ("datapackage.json", "README.md", "SHA256SUMS", "changes.parquet", "issues.json", "index.html"):
        assert (release / name).exists(), name


def test_clusters_values(runs):
    df = pd.read_parquet(runs["release_1"] / "clusters.parquet").set_index("cluster_id")
    assert len(df) == 57
    assert (
        df["region_code"]
        .isin(
            ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
        )
        .all()
    )
    assert df["themes"].map(len).gt(0).mean() >= 0.95
    assert df["website"].notna().mean() >= 0.9  # 4 of 57 have no website in the public facts
    av = df.loc["av"]
    assert av["name"] == "Aerospace Valley"
    assert (av["region_code"], av["departement_code"], list(av["other_region_codes"])) == ("76", "31", ["75"])
    assert av["website"] == "https://www.aerospace-valley.com"
    qualitropic = df.loc["qualitropic"]  # overseas: La Réunion
    assert (qualitropic["region_code"], qualitropic["departement_code"]) == ("04", "974")
    pec = df.loc["pec"]  # the page served in windows-1252
    assert pec["name"] == "Pôle Européen de la Céramique" and pec["city"] == "Limoges"
    assert df.loc["cosmetic-valley", "region_code"] == "24"
    assert df["siren"].notna().mean() >= 0.9 and df["latitude"].notna().mean() >= 0.9
    assert df["label_period"].str.fullmatch(r"\d{4}-\d{4}").all()


def test_cce_tables_and_marts(runs):
    release = runs["release_1"]
    committees = pd.read_parquet(release / "cce_committees.parquet")
    advisors = pd.read_parquet(release / "advisors.parquet")
    coverage = pd.read_parquet(release / "cluster_committee_coverage.parquet")
    candidates = pd.read_parquet(release / "cluster_advisor_candidates.parquet")
    summary = pd.read_parquet(release / "region_summary.parquet")
    assert (committees["country_code"] == "FR").sum() == 21
    assert (committees["kind"] == "country_section").sum() >= 40
    assert advisors["committee_id"].isin(committees["committee_id"]).all()
    assert candidates["score"].between(0, 1).all()
    assert len(summary) == 18
    # every pôle is covered by a committee or listed as uncovered in its région
    uncovered = {c for cs in summary["clusters_without_committee"] for c in cs}
    clusters = pd.read_parquet(release / "clusters.parquet")
    assert set(clusters["cluster_id"]) == set(coverage["cluster_id"]) | uncovered
    # no personal e-mail or phone in the advisors table
    text = advisors.astype(str).to_csv()
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)


def test_second_identical_run_publishes_no_new_release(runs):
    """Same snapshots, same tables: the run is recorded as "unchanged" and latest stays (issue 15)."""
    r1, r2 = runs["release_1"], runs["release_2"]
    assert r1 == r2 and r1.exists()
    assert sorted(p.name for p in (runs["data"] / "releases").iterdir() if not p.name.startswith(".")) == [
        r1.name,
        "latest",
    ]
    statuses = sorted(json.loads(p.read_text())["status"] for p in (runs["data"] / "runs").glob("*.json"))
    assert statuses.count("published") == 1 and statuses.count("unchanged") == 1, statuses
    # and the console says so: the second run published nothing
    first, second = runs["stdout"]
    assert f"release {r1.name} published" in first and "published" not in second, second
    assert f"tables identical to release {r1.name}, no new release" in second


def test_replaying_a_runs_warcs_reproduces_its_tables(runs, tmp_path):
    """Every crawl archived its responses; replaying those WARCs gives the same tables, byte for byte."""
    data = runs["data"]
    archives = tmp_path / "archives"
    archives.mkdir()
    for source in (s.name for s in all_sources()):
        warcs = sorted((data / "raw" / source).glob("*/responses.warc.gz"), key=lambda p: p.stat().st_mtime)
        (archives / f"{source}.warc.gz").symlink_to(warcs[-1])
    replay_data = tmp_path / "replay"
    result = _run(replay_data, archives=archives)
    assert result.returncode == 0, result.stderr[-3000:]
    replayed = (replay_data / "releases" / "latest").resolve()
    for table in (
        "clusters",
        "cce_committees",
        "advisors",
        "cluster_committee_coverage",
        "cluster_advisor_candidates",
        "region_summary",
    ):
        assert (replayed / f"{table}.csv").read_bytes() == (runs["release_2"] / f"{table}.csv").read_bytes(), table


def test_failing_check_blocks_the_release(runs, tmp_path):
    """Layout drift on ten pôle pages: their région is gone. The crawl still yields 47 items,
    but its blocking check fails (fewer than 50 items, errors in the issue log): no release is
    written, latest stays, and the run record names the check and the source."""
    data = runs["data"]
    latest_before = (data / "releases" / "latest").resolve()
    releases_before = sorted(p.name for p in (data / "releases").iterdir())
    drifted = tmp_path / "archives" / "poles"
    shutil.copytree(SNAPSHOTS_DIR / "poles", drifted)
    details = sorted((drifted / "pages" / "poles").glob("*.html"))
    assert len(details) == 57
    for page in details[:10]:
        raw = page.read_bytes()
        # The label and the JSON-LD address region go: the parser has nothing to key on.
        raw = re.sub(rb"R\xc3\xa9gion|R\xe9gion|R&eacute;gion", b"Zone", raw)
        raw = re.sub(rb'"addressRegion"\s*:\s*"[^"]*",?', b"", raw)
        page.write_bytes(raw)

    result = _run(data, archives=tmp_path / "archives")

    assert result.returncode == 1
    assert "FAILED, no release written" in result.stderr
    assert (data / "releases" / "latest").resolve() == latest_before
    assert sorted(p.name for p in (data / "releases").iterdir()) == releases_before
    records = [json.loads(p.read_text()) for p in (data / "runs").glob("*.json")]
    failed = [r for r in records if r["status"] == "failed"]
    assert failed, records
    checks = [c for r in failed for c in r["failed_checks"]]
    assert any(
        c["table"] == "raw_poles" and c["check"] == "source_assertions" and "poles" in c["sources"] for c in checks
    )
    assert "raw_poles.source_assertions" in result.stderr
