"""Queries of a crawl that needs upstream tables (a source YAML's ``inputs`` and ``queries``).

The hook ("package.module:function") receives the input tables' frames in the YAML's order
and returns one dict per query; the list is written as JSON lines and reaches the spider
as ``-a queries=PATH``. Shared by the ingest assets and the bench's plain pipeline.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from common.sources import Source


def build_queries(source: Source, tables: dict) -> list[dict]:
    """Runs ``source``'s queries hook on the frames of its ``inputs`` (``tables``: name -> frame)."""
    module, _, name = (source.queries or "").partition(":")
    hook = getattr(importlib.import_module(module), name)
    return hook(*(tables[table] for table in source.inputs))


def write_queries(queries: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for q in queries:
            fh.write(json.dumps(q, ensure_ascii=False, sort_keys=True) + "\n")
    return path
