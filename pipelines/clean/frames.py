"""Shared DataFrame helpers for the clean and join steps."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

# The typed boundary lives in pipelines/contract.py; conform is re-exported for the steps.
from pipelines.contract import HISTORY_COLUMNS, conform  # noqa: F401


def read_jsonl(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def slugify(text: str) -> str:
    """ASCII slug: 'Images & Réseaux' -> 'images-reseaux'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def stable_hash(*parts: str, length: int = 16) -> str:
    """Short stable ID from the fewest raw fields (joined with a separator no field contains)."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]
