"""Provenance a reader cannot miss, and no path of the building machine in a published file."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path

import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from common.sources import all_sources
from pipelines.publish import write_release
from pipelines.publish.provenance import SAMPLE_NOTICE, source_provenance
from pipelines.publish.publisher import Publisher, PublisherConfigError, load_publisher
from pipelines.publish.sample import sample_checks, sample_issues, sample_tables

DAY = dt.date(2026, 11, 2)
PUBLISHER = Publisher(
    name="Exemple Open Data", contact_url="https://example.org/contact", homepage="https://example.org/"
)


def _release(tmp_path: Path, crawls: dict, publisher=PUBLISHER) -> Path:
    return write_release(
        sample_tables(),
        releases_dir=tmp_path / "releases",
        run_date=DAY,
        sources=all_sources(),
        crawls=crawls,
        issues=sample_issues(),
        checks=sample_checks(),
        publisher=publisher,
    )


def _machine_paths(*extra: Path) -> list[str]:
    """Absolute folders of this machine that must never appear in a release."""
    paths = {
        str(REPO_ROOT),
        str(REPO_ROOT.resolve()),
        str(Path.home()),
        tempfile.gettempdir(),
        "/tmp/",
        "/home/",
        "/root/",
    }
    paths |= {str(p) for p in extra}
    if os.environ.get("POLES_CCE_DATA_DIR"):
        paths.add(os.environ["POLES_CCE_DATA_DIR"])
    return sorted(p for p in paths if p not in ("", "/"))


def _files_mentioning(release: Path, needles: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in sorted(release.iterdir()):
        data = path.read_bytes()
        hits = [n for n in needles if n.encode() in data]
        if hits:
            found[path.name] = hits
    return found


def _bundled_crawls() -> dict:
    """As the ingest step reports a replay of the bundled snapshots: absolute archive paths."""
    return {
        s.name: {"mode": "replay", "archive": str(SNAPSHOTS_DIR / s.name), "crawled_at": "2026-11-01T06:00:00Z"}
        for s in all_sources()
    }


def test_bundled_snapshots_are_a_sample_with_the_notice_in_all_four_places(tmp_path):
    release = _release(tmp_path, _bundled_crawls())
    meta = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert meta["crawls"]["poles"] == {
        "mode": "sample",
        "crawled_at": "2026-11-01T06:00:00Z",
        "archive": "data/snapshots/poles",
    }
    assert meta["sample_sources"] == [
        "cce_appointments",
        "cce_committees",
        "company_register",
        "pole_members",
        "pole_sites",
        "poles",
    ]
    assert meta["notice"] == SAMPLE_NOTICE
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["x-notice"] == SAMPLE_NOTICE
    assert package["description"].startswith("Reconstructed demonstration data")
    assert "DEMONSTRATION" in package["title"]
    assert {s["x-name"]: s["x-mode"] for s in package["sources"]} == {
        "cce_appointments": "sample",
        "cce_committees": "sample",
        "company_register": "sample",
        "pole_members": "sample",
        "pole_sites": "sample",
        "poles": "sample",
    }
    readme = (release / "README.md").read_text(encoding="utf-8").splitlines()
    assert readme[2].startswith("> **DEMONSTRATION DATA.** Reconstructed demonstration data")  # right under the title
    assert "invented" in readme[2]
    html = (release / "index.html").read_text(encoding="utf-8")
    body = html.index("<body>")
    assert html.index('id="sample-notice"') < html.index("<header>")
    assert body < html.index("invented", body) < html.index("<header>")


def test_no_machine_path_in_any_published_file(tmp_path):
    outside = tmp_path / "recorded" / "poles.warc.gz"  # an archive somebody recorded elsewhere
    outside.parent.mkdir()
    outside.write_bytes(b"")
    crawls = _bundled_crawls()
    crawls["poles"] = {"mode": "replay", "archive": str(outside), "crawled_at": "2026-11-03T06:00:00Z"}
    crawls["cce_committees"] = {"mode": "live", "archive": None, "crawled_at": "2026-11-03T07:00:00Z"}
    release = _release(tmp_path, crawls)
    meta = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert meta["crawls"]["poles"] == {
        "mode": "archive",
        "crawled_at": "2026-11-03T06:00:00Z",
        "archive": "poles.warc.gz",
    }
    assert meta["crawls"]["cce_committees"] == {"mode": "live", "crawled_at": "2026-11-03T07:00:00Z"}
    needles = _machine_paths(tmp_path, SNAPSHOTS_DIR)
    assert str(tmp_path) in needles and str(REPO_ROOT) in needles
    assert _files_mentioning(release, needles) == {}
    assert len(list(release.iterdir())) >= 15  # every file was looked at: 6 tables x 2, changes x 2, json, html, sums


def test_the_grep_finds_a_path_when_there_is_one(tmp_path):
    """The check above can fail: a file holding the repo root is reported."""
    release = _release(tmp_path, _bundled_crawls())
    (release / "leak.txt").write_text(f"built in {REPO_ROOT}/data", encoding="utf-8")
    found = _files_mentioning(release, _machine_paths())
    assert list(found) == ["leak.txt"] and str(REPO_ROOT) in found["leak.txt"]


def test_a_live_release_has_no_notice(tmp_path):
    crawls = {s.name: {"mode": "live", "archive": None, "crawled_at": "2026-11-03T06:00:00Z"} for s in all_sources()}
    release = _release(tmp_path, crawls)
    meta = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert meta["notice"] is None and meta["sample_sources"] == []
    assert "x-notice" not in json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert "DEMONSTRATION" not in (release / "README.md").read_text(encoding="utf-8")
    assert 'id="sample-notice"' not in (release / "index.html").read_text(encoding="utf-8")
    assert "live, crawled at 2026-11-03T06:00:00Z" in (release / "README.md").read_text(encoding="utf-8")


def test_an_archive_inside_the_data_folder_is_named_relative_to_it(tmp_path, monkeypatch):
    monkeypatch.setenv("POLES_CCE_DATA_DIR", str(tmp_path / "data"))
    warc = tmp_path / "data" / "raw" / "poles" / "run-1" / "responses.warc.gz"
    assert source_provenance({"mode": "replay", "archive": str(warc), "crawled_at": "x"}) == {
        "mode": "archive",
        "crawled_at": "x",
        "archive": "raw/poles/run-1/responses.warc.gz",
    }


def test_a_reconstruction_copied_elsewhere_is_still_a_sample(tmp_path):
    copy = tmp_path / "poles"
    copy.mkdir()
    (copy / "manifest.json").write_text(
        '{"reconstruction": true, "captured_at": "2026-11-01T06:00:00Z"}', encoding="utf-8"
    )
    assert source_provenance({"mode": "replay", "archive": str(copy), "crawled_at": "x"}) == {
        "mode": "sample",
        "crawled_at": "x",
        "archive": "poles",
    }


def test_publisher_printed_and_opt_out_points_to_it(tmp_path):
    release = _release(tmp_path, _bundled_crawls())
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert "Publisher: Exemple Open Data · https://example.org/ · contact: https://example.org/contact." in readme
    assert "To ask, contact the publisher, Exemple Open Data: https://example.org/contact." in readme
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["contributors"] == [
        {"title": "Exemple Open Data", "role": "publisher", "path": "https://example.org/"}
    ]
    html = (release / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.org/contact"' in html and "Exemple Open Data" in html


def test_publisher_from_yaml_and_environment(tmp_path):
    config = tmp_path / "publisher.yml"
    config.write_text("name: Yaml Org\ncontact_url: https://yaml.example/contact\n", encoding="utf-8")
    assert load_publisher(config, environ={}) == Publisher(name="Yaml Org", contact_url="https://yaml.example/contact")
    env = {"POLES_CCE_PUBLISHER_NAME": "Env Org"}
    assert load_publisher(config, environ=env).name == "Env Org"
    config.write_text("name: X\nphone: 0102030405\n", encoding="utf-8")
    with pytest.raises(PublisherConfigError, match="unknown key.*phone"):
        load_publisher(config, environ={})


def test_deploy_env_is_git_ignored():
    import subprocess

    out = subprocess.run(["git", "check-ignore", "deploy/.env"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert out.returncode == 0, "deploy/.env must be git-ignored"
