"""Resources and run-wide settings, in one place."""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from common.paths import data_dir


class PipelineSettings(dg.ConfigurableResource):
    """Run-wide settings. ``mode``: "replay" (bundled snapshots, the default) or "live"."""

    mode: str = os.environ.get("POLES_CCE_MODE", "replay")
    data_dir: str = str(data_dir())
    # Replay archives other than the bundled snapshots: a folder holding one archive per
    # source (``<dir>/<source>`` snapshot folder or ``<dir>/<source>.warc.gz``).
    archives_dir: str | None = os.environ.get("POLES_CCE_ARCHIVES_DIR")
    candidates_top_n: int = 20

    def archive_for(self, source: str) -> Path | None:
        """The archive to replay for ``source`` (None: the source's bundled snapshot)."""
        if not self.archives_dir:
            return None
        base = Path(self.archives_dir)
        for candidate in (base / source, base / f"{source}.warc.gz", base / f"{source}.warc"):
            if candidate.exists():
                return candidate
        return None

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    def run_dir(self, run_id: str) -> Path:
        """Scratch space of one Dagster run: issue logs and check outcomes, read by the release."""
        return self.data_path / "warehouse" / "runs" / run_id

    @property
    def releases_dir(self) -> Path:
        return self.data_path / "releases"

    @property
    def run_records_dir(self) -> Path:
        return self.data_path / "runs"


def resources() -> dict:
    settings = PipelineSettings()
    return {
        "settings": settings,
        "pipes_subprocess_client": dg.PipesSubprocessClient(cwd=str(Path(__file__).resolve().parents[1])),
        # Intermediate tables between steps (pickled DataFrames keep list cells as lists).
        "io_manager": dg.FilesystemIOManager(base_dir=str(Path(settings.data_dir) / "warehouse" / "storage")),
    }
