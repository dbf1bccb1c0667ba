"""Every command-line entry point answers a bad file, folder or setting with one line naming
it and exit status 2, never a traceback (``--debug`` adds it); source YAML is loaded strictly
(issue 11, observation 6). Expected messages written by hand."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from common.paths import REPO_ROOT, SNAPSHOTS_DIR, SOURCES_DIR
from common.runlock import run_lock
from common.sources import SourceConfigError, load_source_file

DECREE = "JORFTEXT000048601234"
DECREE_TEXT = SNAPSHOTS_DIR / "cce_appointments" / "text" / f"{DECREE}.txt"
EXPECTED_DECREE = Path(__file__).parent / "files" / "cce_appointments" / f"{DECREE}.jsonl"
AQUANOVA = SNAPSHOTS_DIR / "poles" / "pages" / "poles" / "aquanova.html"
AQUANOVA_URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/aquanova"


def run(*args, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def one_line_error(proc, prog: str, *words: str) -> str:
    """Exit 2, stderr a single ``PROG: error: …`` line holding every word, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"python -m {prog}: error: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# -- bad files -------------------------------------------------------------------------------


@pytest.fixture
def folder_with(tmp_path):
    """A folder holding a copy of a decree text and a parent ``manifest.json`` with the given text."""

    def make(manifest: str | None) -> Path:
        (tmp_path / "saved").mkdir(exist_ok=True)
        page = tmp_path / "saved" / "decree.txt"
        page.write_bytes(DECREE_TEXT.read_bytes())
        if manifest is not None:
            (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
        return page

    return make


@pytest.mark.parametrize("prog", ["spiders.parse", "spiders.cce_appointments"])
def test_missing_file_and_directory(tmp_path, prog):
    lead = ["cce_appointments"] if prog == "spiders.parse" else []
    one_line_error(run("-m", prog, *lead, tmp_path / "nope.txt"), prog, str(tmp_path / "nope.txt"), "no such file")
    one_line_error(run("-m", prog, *lead, tmp_path), prog, str(tmp_path), "is a directory")


@pytest.mark.parametrize("prog", ["spiders.parse", "spiders.cce_appointments"])
@pytest.mark.parametrize(
    "manifest, words",
    [
        ("{not json", ["not valid JSON", "line 1"]),
        ('{"responses": [1, 2]}', ['"responses" must be a list of objects']),
        (b"\xff\xfe{}".decode("latin-1"), ["not valid JSON"]),  # written as UTF-8: Ã¿Ã¾{} is not JSON
    ],
)
def test_invalid_parent_manifest_is_named(folder_with, prog, manifest, words):
    page = folder_with(manifest)
    lead = ["cce_appointments"] if prog == "spiders.parse" else []
    one_line_error(
        run("-m", prog, *lead, page, "--url", f"https://www.legifrance.gouv.fr/jorf/id/{DECREE}"),
        prog,
        str(page.parent.parent / "manifest.json"),
        *words,
    )


@pytest.mark.parametrize("manifest", ['{"name": "my web app", "icons": []}', '["a", "list"]', '{"responses": "no"}'])
def test_unrelated_parent_manifest_is_ignored(folder_with, manifest):
    """A manifest.json that is not a snapshot manifest (another tool's) does not stop the parse."""
    page = folder_with(manifest)
    proc = run("-m", "spiders.cce_appointments", page, "--url", f"https://www.legifrance.gouv.fr/jorf/id/{DECREE}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == EXPECTED_DECREE.read_text(encoding="utf-8")


def test_cp1252_decree_parses_like_the_utf8_one(tmp_path):
    """Was: UnicodeDecodeError traceback. Now the alias decodes like spiders.parse and prints
    exactly the hand-checked output of the UTF-8 file."""
    page = tmp_path / f"{DECREE}.txt"
    page.write_bytes(DECREE_TEXT.read_text(encoding="utf-8").encode("cp1252"))
    proc = run("-m", "spiders.cce_appointments", page)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == EXPECTED_DECREE.read_text(encoding="utf-8")


def test_cp1252_page_parses_with_spiders_parse(tmp_path):
    page = tmp_path / "aquanova.html"
    page.write_bytes(AQUANOVA.read_text(encoding="utf-8").replace('charset="utf-8"', "").encode("cp1252"))
    proc = run("-m", "spiders.parse", "poles", page, "--url", AQUANOVA_URL)
    assert proc.returncode == 0, proc.stderr
    [item] = [r for r in map(json.loads, proc.stdout.splitlines()) if r["type"] == "item"]
    assert item["city"] == "Orléans"


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage, not gzip\n" * 3, gzip.compress(b"WARC/1.0\r\nWARC-Type: resp", mtime=0)[:-9]],
    ids=["empty", "not_gzip", "truncated_gzip"],  # stable ids: pytest-xdist workers must collect the same tests
)
def test_corrupt_warc(tmp_path, content):
    warc = tmp_path / "responses.warc.gz"
    warc.write_bytes(content)
    if content:
        one_line_error(run("-m", "spiders.parse", "poles", warc, "--url", AQUANOVA_URL), "spiders.parse", str(warc))
        one_line_error(
            run("-m", "spiders.crawl", "poles", "--replay", warc, "--out", tmp_path / "run"), "spiders.crawl", str(warc)
        )
    else:  # an empty WARC holds no page: said so, naming it
        one_line_error(
            run("-m", "spiders.parse", "poles", warc, "--url", AQUANOVA_URL), "spiders.parse", str(warc), "0 records"
        )


def test_debug_adds_the_traceback(tmp_path):
    proc = run("-m", "spiders.parse", "poles", tmp_path / "garbage.warc.gz", "--debug")
    assert proc.returncode == 2 and "no such file" in proc.stderr
    warc = tmp_path / "garbage.warc.gz"
    warc.write_bytes(b"garbage\n" * 3)
    proc = run("-m", "spiders.parse", "poles", warc, "--url", AQUANOVA_URL, "--debug")
    assert proc.returncode == 2 and "Traceback" in proc.stderr and str(warc) in proc.stderr.splitlines()[-1]


# -- spiders.crawl and pipelines.run ---------------------------------------------------------


def test_crawl_bad_arguments(tmp_path):
    one_line_error(run("-m", "spiders.crawl", "nope"), "spiders.crawl", "unknown source 'nope'", "poles")
    one_line_error(
        run("-m", "spiders.crawl", "poles", "--replay", tmp_path / "none.warc.gz"),
        "spiders.crawl",
        str(tmp_path / "none.warc.gz"),
        "no such file",
    )
    one_line_error(
        run("-m", "spiders.crawl", "poles", "--replay", tmp_path), "spiders.crawl", str(tmp_path), "no manifest.json"
    )
    proc = run("-m", "spiders.crawl", "poles", "-a", "nonsense")
    assert (
        proc.returncode == 2 and "expected NAME=VALUE, got 'nonsense'" in proc.stderr and "Traceback" not in proc.stderr
    )


def test_pipeline_run_refused_while_another_holds_the_data_folder(tmp_path):
    data = tmp_path / "data"
    env = {"POLES_CCE_DATA_DIR": str(data), "DAGSTER_HOME": str(tmp_path / "dagster")}
    with run_lock(data, holder="the test"):
        line = one_line_error(
            run("-m", "pipelines.run", env=env),
            "pipelines.run",
            str(data),
            "another pipeline run is using this data folder",
            "the test",
            "POLES_CCE_RUN_LOCK_TIMEOUT",
        )
        waited = one_line_error(
            run("-m", "pipelines.run", env={**env, "POLES_CCE_RUN_LOCK_TIMEOUT": "1.5"}),
            "pipelines.run",
            "waited 1.5 s",
        )
    assert f"pid {os.getpid()}" in line and waited
    one_line_error(
        run("-m", "pipelines.run", env={**env, "POLES_CCE_RUN_LOCK_TIMEOUT": "soon"}),
        "pipelines.run",
        "POLES_CCE_RUN_LOCK_TIMEOUT='soon'",
        "number of seconds",
    )
    assert not (data / "warehouse").exists()  # nothing started


# -- source YAML -----------------------------------------------------------------------------

POLES_YML = (SOURCES_DIR / "poles.yml").read_text(encoding="utf-8")


def _error(path: Path) -> str:
    with pytest.raises(SourceConfigError) as info:
        load_source_file(path)
    assert str(path) in str(info.value)
    return str(info.value)


@pytest.mark.parametrize(
    "change, words",
    [
        (
            lambda t: t + "max_response_bytes: 100\n",
            ["duplicate key 'max_response_bytes' (first at line ", ") (line ", ", column 1)"],
        ),
        (lambda t: t.replace("  min_items: 50", "  min_items: 50\n  min_items: 5"), ["duplicate key 'min_items'"]),
        (
            lambda t: t.replace("allowed_domains: [competitivite.gouv.fr]", "allowed_domains: []"),
            ["allowed_domains must list at least one host"],
        ),
        (
            lambda t: t.replace("allowed_domains: [competitivite.gouv.fr]", "allowed_domains: ['https://x.fr/']"),
            ["not a host name"],
        ),
        (lambda t: t.replace("max_items: 80", "max_items: -5"), ["assertions.max_items", "greater than or equal to 0"]),
        (lambda t: t.replace("max_items: 80", "max_items: 20"), ["max_items (20) is below assertions.min_items (50)"]),
        (lambda t: t.replace("min_items: 50", "min_items: -1"), ["assertions.min_items", "greater than or equal to 0"]),
        (lambda t: "- just\n- a list\n", ["expected a mapping, got list"]),
    ],
)
def test_strict_source_yaml(tmp_path, change, words):
    path = tmp_path / "poles.yml"
    path.write_text(change(POLES_YML), encoding="utf-8")
    message = _error(path)
    for word in words:
        assert word in message, message


def test_non_utf8_source_yaml_names_the_file(tmp_path):
    path = tmp_path / "poles.yml"
    path.write_bytes(POLES_YML.encode("cp1252"))
    assert "poles.yml: not UTF-8 text (byte 0xf4 at offset 42)" in _error(path)  # the ô of "pôles", line 1


def test_duplicate_key_check_keeps_plain_yaml_working():
    assert yaml.safe_load(POLES_YML) == yaml.load(
        POLES_YML, Loader=__import__("common.sources", fromlist=["x"])._UniqueKeyLoader
    )


@pytest.mark.parametrize(
    "prog, args",
    [
        ("spiders.parse", ["poles", str(AQUANOVA)]),
        ("spiders.crawl", ["poles", "--out", "OUT"]),
    ],
)
def test_invalid_source_file_is_one_line_for_the_commands(tmp_path, prog, args):
    """Was: the message under a 25-line traceback."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "poles.yml").write_text(
        POLES_YML.replace("max_items: 80", "max_items: -5\n  max_items: 3"), encoding="utf-8"
    )
    args = [a.replace("OUT", str(tmp_path / "run")) for a in args]
    code = (
        f"import os, sys; os.environ['POLES_CCE_SOURCES_DIR'] = {str(sources)!r}; "
        f"from {prog} import main; sys.exit(main({args!r}))"
    )
    one_line_error(run("-c", code), prog, str(sources / "poles.yml"), "duplicate key 'max_items'")
