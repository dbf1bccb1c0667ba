"""Fixture pages as Scrapy responses with their real URL (city-scrapers style)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scrapy.http import Request
from scrapy.responsetypes import responsetypes

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from spiders.core.archive import open_archive

_archives: dict[str, object] = {}


def archived_response(source: str, url: str):
    """The response the bundled snapshot of ``source`` holds for ``url``."""
    if source not in _archives:
        _archives[source] = open_archive(SNAPSHOTS_DIR / source)
    rec = _archives[source].get(url)
    if rec is None:
        raise KeyError(f"{url} is not in the {source} snapshot")
    cls = responsetypes.from_args(headers=rec.headers, url=url, body=rec.body)
    return cls(url=url, status=rec.status, headers=rec.headers, body=rec.body, request=Request(url))


def file_response(path: str | Path, url: str, headers: dict | None = None):
    body = Path(path).read_bytes()
    headers = headers or {"Content-Type": "text/html; charset=utf-8"}
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=200, headers=headers, body=body, request=Request(url))


def replay_crawl(source: str, out: Path, *args: str) -> dict:
    """``python -m spiders.crawl SOURCE --out OUT`` on the bundled snapshot, in its own process (one
    Twisted reactor per process): its items, issues and stats, the process's stdout and stderr.
    Fails the test with the crawl's stderr when it does not exit 0."""
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", source, "--out", str(out), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    def lines(name: str) -> list[dict]:
        return [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]

    return {
        "items": lines("items.jsonl"),
        "issues": lines("issues.jsonl"),
        "stats": json.loads((out / "stats.json").read_text(encoding="utf-8")),
        "stdout": proc.stdout,
        "stderr": proc.stderr,
    }


def reference_csv(table) -> str:
    """The CSV text the release writer must give for an Arrow ``table``, cell by cell in plain Python:
    the reference its Arrow path is compared with. RFC 4180: a field holding a comma, a quote, a CR
    or a LF is quoted, its quotes doubled; rows end with LF; a row of one empty field is ``""``."""
    from pipelines.publish.files import _csv_column

    def field(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    columns = [_csv_column(table.column(i).to_pylist(), table.schema.field(i).type) for i in range(table.num_columns)]
    rows = [table.column_names, *zip(*columns)]
    return "".join(('""' if list(row) == [""] else ",".join(map(field, row))) + "\n" for row in rows)
