"""The sites to crawl: one line per pôle, ``{"cluster_id", "website"}``, from the clusters table.

Like the company register's queries, the list is written beside the crawl by the ingest
asset (``data/raw/pole_sites/<run_id>/sites.jsonl``); the bundled sample has its own.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from common.paths import SNAPSHOTS_DIR

BUNDLED_SITES = SNAPSHOTS_DIR / "pole_sites" / "sites.jsonl"


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = str(value).strip()
    return value or None


def build_sites(clusters) -> list[dict]:
    """One entry per cluster (``cluster_id``, ``website``: None when the directory gives none), by id."""
    rows = clusters[["cluster_id", "website"]].to_dict("records")
    return sorted(
        ({"cluster_id": r["cluster_id"], "website": _text(r["website"])} for r in rows), key=lambda s: s["cluster_id"]
    )


def write_sites(sites: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sites), encoding="utf-8")
    return path


def read_sites(path: Path) -> list[dict]:
    """The sites file; a line without a cluster_id is an error naming the file and the line."""
    sites = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
        if not isinstance(entry, dict) or not _text(entry.get("cluster_id")):
            raise ValueError(f"{path}:{n}: field 'cluster_id' missing")
        sites.append({"cluster_id": entry["cluster_id"], "website": _text(entry.get("website"))})
    return sites
