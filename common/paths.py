"""Where things live in the repository. Everything is relative to the checkout."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# DATA_DIR can be moved (tests use a temporary folder; publishers a volume).
DATA_DIR = Path(os.environ.get("POLES_CCE_DATA_DIR", REPO_ROOT / "data"))
SNAPSHOTS_DIR = REPO_ROOT / "data" / "snapshots"
SOURCES_DIR = REPO_ROOT / "sources"
REFERENCE_DIR = REPO_ROOT / "reference"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"


def sources_dir() -> Path:
    """The source registry; $POLES_CCE_SOURCES_DIR points elsewhere (tests add a toy source)."""
    return Path(os.environ.get("POLES_CCE_SOURCES_DIR", SOURCES_DIR))


def data_dir() -> Path:
    """Read at call time so tests can point it elsewhere with the env variable."""
    return Path(os.environ.get("POLES_CCE_DATA_DIR", REPO_ROOT / "data"))
