"""Drift between runs: a crawl's fill rates against the last release's (pipelines/checks/fill_drift.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from pipelines.checks.fill_drift import compare, drift_outcomes, fill_rates

URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/"


def items(n_with, n_without):
    return [{"source_url": f"{URL}a{i}", "themes": ["Mer"], "region": "Bretagne"} for i in range(n_with)] + [
        {"source_url": f"{URL}b{i}", "themes": [], "region": "Bretagne"} for i in range(n_without)
    ]


def test_fill_rates_count_empty_lists_and_strings_as_missing():
    assert fill_rates([{"a": [], "b": "x"}, {"a": ["y"], "b": ""}, {"a": None, "b": "z"}, {"a": ["w"]}]) == {
        "a": 0.5,
        "b": 0.5,
    }


def test_a_drop_of_at_most_10_points_passes():
    [themes, region] = compare("poles", items(92, 8), {"themes": 1.0, "region": 1.0}, "2026-11-30.1")
    assert themes.success and region.success


def test_a_drop_of_more_than_10_points_warns_naming_field_rates_and_urls():
    outcomes = compare("poles", items(85, 15), {"themes": 1.0, "region": 1.0}, "2026-11-30.1")
    [themes] = [o for o in outcomes if not o.success]
    assert (themes.column, themes.severity) == ("themes", "warning")
    assert themes.observed == "poles.themes filled in 85% of 100 items, 100% in release 2026-11-30.1 (-15 points)"
    assert themes.unexpected_count == 15
    assert themes.unexpected_examples == [f"{URL}b0", f"{URL}b1", f"{URL}b2"]


def test_a_drop_of_more_than_30_points_fails():
    [themes] = [o for o in compare("poles", items(60, 40), {"themes": 0.95}, "r1") if not o.success]
    assert (themes.column, themes.severity) == ("themes", "error")
    assert "(-35 points)" in themes.observed


def test_a_field_gone_from_every_item_is_a_100_point_drop():
    [gone] = compare("poles", [{"source_url": URL + "x"}], {"website": 0.9}, "r1")
    assert (gone.success, gone.severity, gone.observed) == (
        False,
        "error",
        "poles.website filled in 0% of 1 items, 90% in release r1 (-90 points)",
    )


def test_no_previous_release_or_no_stored_rates_is_said_not_failed(tmp_path):
    [o] = drift_outcomes("poles", items(1, 0), tmp_path / "releases")
    assert o.success and "no previous release" in o.observed
    release = tmp_path / "releases" / "2026-11-30.1"
    release.mkdir(parents=True)
    (release / "release.json").write_text(
        json.dumps({"release_id": "2026-11-30.1", "crawls": {"poles": {"mode": "replay"}}})
    )
    (tmp_path / "releases" / "latest").symlink_to("2026-11-30.1")
    [o] = drift_outcomes("poles", items(1, 0), tmp_path / "releases")
    assert o.success and "stores no fill rates for poles" in o.observed


def _pipeline(data: Path, dagster_home: Path, archives: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "POLES_CCE_DATA_DIR": str(data), "DAGSTER_HOME": str(dagster_home)}
    env.pop("POLES_CCE_ARCHIVES_DIR", None)
    if archives:
        env["POLES_CCE_ARCHIVES_DIR"] = str(archives)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.mark.slow
def test_a_replay_where_10_pole_pages_lose_their_themes_fails_naming_the_field(tmp_path):
    data, home = tmp_path / "data", tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    first = _pipeline(data, home)  # the last release: the bundled sample, themes on every page
    assert first.returncode == 0, first.stderr[-3000:]
    stored = json.loads((data / "releases" / "latest" / "release.json").read_text())["crawls"]["poles"]["fill_rates"]
    assert stored["themes"] == 1.0

    # The same site, where 10 detail pages lost their theme tags.
    archives = tmp_path / "archives"
    shutil.copytree(SNAPSHOTS_DIR / "poles", archives / "poles")
    stripped = []
    for page in sorted((archives / "poles" / "pages" / "poles").glob("*.html")):
        body = page.read_bytes()
        if len(stripped) < 10 and b"fr-tags-group" in body:
            page.write_bytes(re.sub(rb'<ul class="fr-tags-group">.*?</ul>', b"", body, flags=re.S))
            stripped.append(page.stem)
    assert len(stripped) == 10

    before = os.readlink(data / "releases" / "latest")
    second = _pipeline(data, home, archives)
    assert second.returncode == 1, second.stdout[-2000:]
    assert os.readlink(data / "releases" / "latest") == before
    [record] = [
        json.loads(p.read_text())
        for p in (data / "runs").glob("*.json")
        if json.loads(p.read_text())["status"] != "published"
    ]
    [check] = [c for c in record["failed_checks"] if (c["table"], c["check"]) == ("raw_poles", "source_assertions")]
    drift = [w for w in check["warnings"] + check["failures"] if "poles.themes filled in" in w]
    assert len(drift) == 1, check
    assert "82% of 57 items, 100% in release" in drift[0] and "(-18 points)" in drift[0]
    assert any(f"annuaire-des-poles/{slug}" in drift[0] for slug in stripped)  # names pages to look at
