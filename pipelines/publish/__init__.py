"""Publishing: the release writer (pure functions; the Dagster asset only calls them)."""

from pipelines.contract import TableValidationError

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
