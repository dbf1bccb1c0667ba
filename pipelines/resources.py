"""Resources and run-wide settings, in one place."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

import dagster as dg
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

from common.paths import data_dir
from common.runlock import run_lock

# A step started while another run holds the data folder waits this long (the UI path:
# `make ui` runs queue behind a `make run`), then fails naming the holder.
STEP_LOCK_WAIT_S = 3600.0


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

    @property
    def releases_dir(self) -> Path:
        return self.data_path / "releases"

    @property
    def run_records_dir(self) -> Path:
        return self.data_path / "runs"


class _AtomicPickles(PickledObjectFilesystemIOManager):
    """Each intermediate table is written to a temporary file beside it, then renamed over it
    (os.replace): a reader sees the previous table or the new one, never half of one."""

    def dump_to_path(self, context, obj, path) -> None:
        path = Path(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(obj, fh, pickle.HIGHEST_PROTOCOL)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


class RunStorageIOManager(dg.FilesystemIOManager):
    """Intermediate tables under ``<data>/warehouse/storage``, written atomically, each step
    holding the data folder's run lock (common.runlock) while it runs."""

    data_dir: str = str(data_dir())

    def create_io_manager(self, context) -> PickledObjectFilesystemIOManager:
        return _AtomicPickles(base_dir=self.base_dir)

    @contextlib.contextmanager
    def yield_for_execution(self, context):
        with run_lock(Path(self.data_dir), timeout=STEP_LOCK_WAIT_S, holder="a Dagster step"):
            with super().yield_for_execution(context) as io_manager:
                yield io_manager


def resources() -> dict:
    settings = PipelineSettings()
    return {
        "settings": settings,
        "pipes_subprocess_client": dg.PipesSubprocessClient(cwd=str(Path(__file__).resolve().parents[1])),
        # Intermediate tables between steps (pickled DataFrames keep list cells as lists).
        "io_manager": RunStorageIOManager(
            base_dir=str(Path(settings.data_dir) / "warehouse" / "storage"), data_dir=settings.data_dir
        ),
    }
