"""A full replay crawl of the snapshot, in its own process (one Twisted reactor per process)."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_replay_crawl(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "cce_committees", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["items"] == 70
    assert summary["errors"] == 0
    assert summary["issues"] == 0
    items = [json.loads(l) for l in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(i["kind"] == "committee" for i in items) == 21
    assert sum(i["kind"] == "section" for i in items) == 49
    assert len({i["page_url"] for i in items}) == 70
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats.get("replay/missing", 0) == 0  # robots.txt and every page answered from the snapshot
    assert (out / "responses.warc.gz").stat().st_size > 0
