"""Where each source's data came from, in words a reader of the release cannot miss.

A crawl is ``live`` (fetched from the site at ``crawled_at``), ``archive`` (replayed
from an archive someone recorded) or ``sample`` (replayed from the bundled
reconstruction in data/snapshots/, whose people and companies are invented). An
archive is named relative to the project (or data) folder, else by its file name:
published files never carry a path of the machine that built them.
"""

from __future__ import annotations

import json
from pathlib import Path

from common.paths import REPO_ROOT, SNAPSHOTS_DIR, data_dir

LIVE, ARCHIVE, SAMPLE = "live", "archive", "sample"
MODES = (LIVE, ARCHIVE, SAMPLE)

SAMPLE_NOTICE = (
    "Reconstructed demonstration data, not a publication of the official sources: built from the bundled "
    "sample snapshots (pages generated offline), so the people, companies, SIRENs, addresses and contacts "
    "in it are invented. Do not publish or reuse it as fact."
)


def _is_reconstruction(path: Path) -> bool:
    """A snapshot folder whose manifest says it was generated, not captured."""
    manifest = path / "manifest.json"
    try:
        return bool(json.loads(manifest.read_text(encoding="utf-8")).get("reconstruction"))
    except (OSError, ValueError, AttributeError):
        return False


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def archive_name(path: str | Path) -> str:
    """An archive as the release names it: relative to the project or the data folder, else its file name."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    resolved = p.resolve()
    for base in (REPO_ROOT, data_dir()):
        if _within(resolved, base):
            return resolved.relative_to(base.resolve()).as_posix()
    return p.name


def source_provenance(crawl: dict) -> dict:
    """One crawl record (mode "live" or "replay", archive, crawled_at) -> {mode, crawled_at[, archive]}."""
    mode = crawl.get("mode")
    if mode == LIVE:
        return {"mode": LIVE, "crawled_at": crawl.get("crawled_at")}
    # replayed ("replay", or already "archive"/"sample"): the bundled reconstruction, or a recorded archive
    archive = crawl.get("archive")
    path = Path(str(archive)) if archive else SNAPSHOTS_DIR
    absolute = path if path.is_absolute() else REPO_ROOT / path
    sample = (
        mode == SAMPLE
        or _within(absolute.resolve(), SNAPSHOTS_DIR)
        or (absolute.is_dir() and _is_reconstruction(absolute))
    )
    return {
        "mode": SAMPLE if sample else ARCHIVE,
        "crawled_at": crawl.get("crawled_at"),
        "archive": archive_name(absolute),
    }


# Per-crawl facts carried through unchanged (fill rates: read back by pipelines/checks/fill_drift.py).
CARRIED = ("fill_rates",)


def normalise(crawls: dict[str, dict]) -> dict[str, dict]:
    return {
        name: {**source_provenance(crawl), **{k: crawl[k] for k in CARRIED if k in crawl}}
        for name, crawl in crawls.items()
    }


def sample_sources(crawls: dict[str, dict]) -> list[str]:
    """Names of the sources read from the bundled reconstruction (``crawls`` already normalised)."""
    return sorted(name for name, c in crawls.items() if c.get("mode") == SAMPLE)


def describe(crawl: dict) -> str:
    """One line for a reader: "live, crawled at …", "replayed from archive …", "bundled sample …"."""
    mode = crawl.get("mode")
    when = crawl.get("crawled_at") or "unknown time"
    if mode == LIVE:
        return f"live, crawled at {when}"
    if mode == ARCHIVE:
        return f"replayed from archive {crawl.get('archive')} (captured {when})"
    if mode == SAMPLE:
        return f"bundled sample (reconstruction dated {when}; invented people and companies)"
    return f"unknown ({mode})"
