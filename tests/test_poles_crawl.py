"""Whole crawls of the pôles snapshot, each in its own process (Twisted's reactor cannot restart)."""

from __future__ import annotations

import json
import subprocess
import sys

from common.paths import REPO_ROOT


def crawl(out, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "poles", "--out", str(out), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def sorted_lines(path) -> list[bytes]:
    return sorted(path.read_bytes().splitlines())


def test_replay_of_snapshot_then_of_its_warc(tmp_path):
    first = tmp_path / "run"
    summary = crawl(first)
    assert summary["items"] == 57
    assert summary["errors"] == 0
    assert summary["failure"] is None
    issues = [json.loads(line) for line in (first / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [i for i in issues if i["severity"] == "error"] == []
    # Only the four pôles whose website the reference does not know.
    assert sorted(i["url"].rsplit("/", 1)[1] for i in issues) == [
        "aquanova",
        "astech-paris-region",
        "enter",
        "infr-2050",
    ]
    items = [json.loads(line) for line in (first / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({i["source_url"] for i in items}) == 57
    assert {i["layout"] for i in items} == {"dl", "table", "text", "jsonld"}
    ceramique = next(i for i in items if i["source_url"].endswith("/pole-europeen-de-la-ceramique"))
    assert ceramique["name"] == "Pôle Européen de la Céramique"
    stats = json.loads((first / "stats.json").read_text(encoding="utf-8"))
    assert stats["warc/records"] == 63  # robots.txt, 5 listing pages, 57 detail pages

    second = tmp_path / "replayed"
    summary2 = crawl(second, "--replay", str(first / "responses.warc.gz"))
    assert summary2["items"] == 57 and summary2["errors"] == 0
    assert sorted_lines(second / "items.jsonl") == sorted_lines(first / "items.jsonl")
    assert sorted_lines(second / "issues.jsonl") == sorted_lines(first / "issues.jsonl")
