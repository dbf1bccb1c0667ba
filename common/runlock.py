"""One pipeline run at a time over a data folder (warehouse, raw crawls, releases, run records).

``python -m pipelines.run`` holds the lock for the whole run; every Dagster step holds it
too, through the IO manager (``pipelines.resources``), so a run started from the UI and one
started by ``make run`` never write the same intermediate tables at once. A second run is
refused at once with one line naming the data folder and the holder, or waits up to
``$POLES_CCE_RUN_LOCK_TIMEOUT`` seconds. The lock is re-entrant within a process (the
command's lock and its in-process steps' lock are one), and the operating system drops it
when the holder dies, so a crashed run never leaves the folder locked.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .cli import CliError

LOCK_FILE = ".run.lock"
OWNER_FILE = ".run.lock.owner"  # who holds it, for the refusal message (the lock file itself stays empty)
TIMEOUT_ENV = "POLES_CCE_RUN_LOCK_TIMEOUT"


class RunLockBusy(CliError):
    """Another run holds the data folder; the message names the folder and the holder."""


def lock_timeout(default: float = 0.0) -> float:
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise CliError(f"{TIMEOUT_ENV}={value!r}: expected a number of seconds") from None
    if seconds < 0:
        raise CliError(f"{TIMEOUT_ENV}={value!r}: expected a number of seconds ≥ 0")
    return seconds


@contextmanager
def run_lock(data_dir: Path, timeout: float | None = None, holder: str = "") -> Iterator[None]:
    """Holds ``data_dir``'s run lock; :class:`RunLockBusy` when another process keeps it
    longer than ``timeout`` seconds (default: ``$POLES_CCE_RUN_LOCK_TIMEOUT``, else 0)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    wait = lock_timeout() if timeout is None else timeout
    # One lock object per file in this process (re-entrant); not per thread: Dagster may run
    # a step on another thread of the process that holds the run.
    lock = FileLock(data_dir / LOCK_FILE, is_singleton=True, thread_local=False)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        owner = _read_owner(data_dir)
        raise RunLockBusy(
            f"{data_dir}: another pipeline run is using this data folder ({owner}); "
            f"{'waited ' + format(wait, 'g') + ' s; ' if wait else ''}"
            f"try again when it has finished, or set {TIMEOUT_ENV}=<seconds> to wait for it"
        ) from None
    try:
        if lock.lock_counter == 1:
            stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            (data_dir / OWNER_FILE).write_text(
                f"pid {os.getpid()}{', ' + holder if holder else ''}, since {stamp}", encoding="utf-8"
            )
        yield
    finally:
        lock.release()


def _read_owner(data_dir: Path) -> str:
    try:
        return (data_dir / OWNER_FILE).read_text(encoding="utf-8").strip() or "holder unknown"
    except OSError:
        return "holder unknown"
