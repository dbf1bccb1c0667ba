"""Resources and run-wide settings, in one place."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

from common.paths import data_dir
from common.runlock import run_lock
from pipelines.contract import to_arrow, to_frame
from pipelines.schema import TABLES, Table

# Asset metadata naming the contract table an asset's value follows when its name is not one.
CONTRACT_TABLE = "contract_table"

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


def _replace_atomically(path: Path, write) -> None:
    """``write(tmp)`` to a temporary file beside ``path``, then rename it over ``path`` (os.replace):
    a reader sees the previous file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def contract_of(context: dg.InputContext | dg.OutputContext) -> Table | None:
    """The contract table an asset's value follows: its ``contract_table`` metadata, else its
    name when pipelines/schema.py has a table of that name; None for anything else."""
    if not context.has_asset_key:
        return None
    output = context if isinstance(context, dg.OutputContext) else context.upstream_output
    declared = (output.definition_metadata or {}).get(CONTRACT_TABLE) if output is not None else None
    name = getattr(declared, "value", declared) or context.asset_key.path[-1]
    return TABLES.get(name)


class _TypedStorage(PickledObjectFilesystemIOManager):
    """Contract tables as typed Parquet (``<asset>.parquet``, written and read back through
    pipelines/contract.py), anything else (a crawl's folder, a working frame) pickled; every
    file written atomically."""

    def get_asset_relative_path(self, context):
        path = super().get_asset_relative_path(context)
        return path.with_name(path.name + ".parquet") if contract_of(context) else path

    def dump_to_path(self, context, obj, path) -> None:
        table = contract_of(context)
        if table is None:
            _replace_atomically(Path(str(path)), lambda tmp: Path(tmp).write_bytes(pickle.dumps(obj, 5)))
            return
        if not isinstance(obj, pd.DataFrame):
            raise TypeError(
                f"asset {context.asset_key.to_user_string()} follows table {table.name}: expected a DataFrame, got {type(obj).__name__}"
            )
        arrow = to_arrow(table, obj, coerce=False, validate=False)  # the checks judge nulls and keys
        _replace_atomically(Path(str(path)), lambda tmp: pq.write_table(arrow, tmp, compression="zstd"))

    def load_from_path(self, context, path):
        if contract_of(context) is None:
            return super().load_from_path(context, path)
        return to_frame(pq.read_table(str(path)))


class RunStorageIOManager(dg.FilesystemIOManager):
    """Intermediate values under ``<data>/warehouse/storage`` (contract tables as typed Parquet),
    written atomically, each step holding the data folder's run lock (common.runlock) while it runs."""

    data_dir: str = str(data_dir())

    def create_io_manager(self, context) -> PickledObjectFilesystemIOManager:
        return _TypedStorage(base_dir=self.base_dir)

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
        # Values between steps: contract tables as typed Parquet, the rest pickled.
        "io_manager": RunStorageIOManager(
            base_dir=str(Path(settings.data_dir) / "warehouse" / "storage"), data_dir=settings.data_dir
        ),
    }
