"""Publishing: the release writer (pure functions; the Dagster asset only calls them)."""

from .release import (
    ReleaseRefused,
    ReleaseUnchanged,
    latest_release,
    prune_releases,
    publish_release,
    record_run,
    run_record,
    write_release,
)
from .validate import TableValidationError

__all__ = [
    "ReleaseRefused",
    "ReleaseUnchanged",
    "prune_releases",
    "TableValidationError",
    "latest_release",
    "publish_release",
    "record_run",
    "run_record",
    "write_release",
]
