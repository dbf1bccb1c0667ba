"""Stand-in for ``raw_pole_sites`` until the `pole_sites` crawl (spiders/pole_sites) is wired.

Returns the same value as a crawl step (``run_crawl_step``): a run folder with items.jsonl and
issues.jsonl, here the hand-written items of tests/files/pole_sites_items/ (see its README), so
the clean and join assets downstream read it exactly as they will read the real crawl. To
connect the real crawl: replace this asset by ``crawl_asset("pole_sites")`` in
pipelines/definitions.py (and add "pole_sites" to its SOURCES); nothing downstream changes.
"""
from pathlib import Path

import dagster as dg

from common.paths import REPO_ROOT

STAND_IN_DIR = REPO_ROOT / "tests" / "files" / "pole_sites_items"


@dg.asset(
    name="raw_pole_sites",
    group_name="ingest",
    kinds={"json"},
    description="Pôles' own websites (governance and team pages): STAND-IN reading hand-written items from "
                "tests/files/pole_sites_items until the pole_sites crawl is wired.",
)
def raw_pole_sites() -> dg.Output[dict]:
    folder = Path(STAND_IN_DIR)
    value = {
        "source": "pole_sites",
        "run_dir": str(folder),
        "items": str(folder / "items.jsonl"),
        "issues": str(folder / "issues.jsonl"),
        "warc": None,
        "mode": "stand_in",
        "archive": str(folder),
        "crawled_at": None,
        "errors": 0,
    }
    return dg.Output(value, metadata={"run_dir": dg.MetadataValue.path(str(folder)), "stand_in": True})
