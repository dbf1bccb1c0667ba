"""A full replay crawl of the snapshot, in its own process (one Twisted reactor per process)."""

import json

from tests.helpers import replay_crawl


def test_replay_crawl(tmp_path):
    out = tmp_path / "run"
    run = replay_crawl("cce_committees", out)
    summary = json.loads(run["stdout"].strip().splitlines()[-1])
    assert summary["items"] == 70
    assert summary["errors"] == 0
    assert summary["issues"] == 0
    items = run["items"]
    assert sum(i["kind"] == "committee" for i in items) == 21
    assert sum(i["kind"] == "section" for i in items) == 49
    assert len({i["page_url"] for i in items}) == 70
    stats = run["stats"]
    assert stats.get("replay/missing", 0) == 0  # robots.txt and every page answered from the snapshot
    assert (out / "responses.warc.gz").stat().st_size > 0
