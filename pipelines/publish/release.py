"""The release writer: immutable, versioned folders under data/releases/, and ``latest``.

A release is written into a temporary folder inside ``releases_dir``, flushed to
disk, renamed to its id (``YYYY-MM-DD.N``) and only then does ``latest`` move, by
replacing the symlink atomically. Failed blocking checks or a table that breaks
the contract stop everything before the first byte is written; the caller
records why with :func:`record_run` (or uses :func:`publish_release`, which does both).

Table files are deterministic: same inputs on the same day, same bytes. Times of
generation live only in ``release.json`` and in the run records.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.contract import check_foreign_keys, to_arrow
from pipelines.schema import TABLES

from . import datapackage, dictionary, labels, landing, provenance, workbook
from .files import (
    csv_bytes,
    csv_cells,
    fsync_dir,
    fsync_tree,
    sha256_of,
    write_csv,
    write_json,
    write_parquet,
    write_sha256sums,
)
from .history import add_history, changes_table, read_previous, table_changes_arrow
from .publisher import Publisher, load_publisher

LATEST = "latest"
RELEASE_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d+)$")


class ReleaseRefused(RuntimeError):
    """Blocking checks failed: no release was written and ``latest`` did not move."""

    def __init__(self, failed_checks: list[dict]):
        self.failed_checks = failed_checks
        names = "; ".join(f"{c.get('table', '?')}.{c.get('check', '?')}" for c in failed_checks)
        super().__init__(f"release refused: {len(failed_checks)} blocking check(s) failed: {names}")


class ReleaseUnchanged(Exception):
    """The tables are those of the latest release: no new release (the run is still recorded)."""

    def __init__(self, latest: Path):
        self.latest = latest
        super().__init__(f"tables identical to release {latest.name}: no new release")


UNCHANGED_ENV = "POLES_CCE_UNCHANGED_RELEASES"  # "skip" (default) or "publish"
KEEP_ENV = "POLES_CCE_KEEP_RELEASES"  # keep the last N releases; unset: keep all


def skip_unchanged_default() -> bool:
    value = os.environ.get(UNCHANGED_ENV, "skip").strip().lower()
    if value not in ("skip", "publish"):
        raise ValueError(f"{UNCHANGED_ENV}={value!r}: expected 'skip' or 'publish'")
    return value == "skip"


def keep_releases_default() -> int | None:
    value = os.environ.get(KEEP_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{KEEP_ENV}={value!r}: expected a whole number of releases, at least 1")
    return int(value)


def prune_releases(releases_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` releases, never the one ``latest`` points to; returns the ids removed."""
    releases_dir = Path(releases_dir)
    current = latest_release(releases_dir)
    ids = sorted(
        (p.name for p in releases_dir.iterdir() if RELEASE_ID.match(p.name) and p.is_dir() and not p.is_symlink()),
        key=lambda n: (RELEASE_ID.match(n).group(1), int(RELEASE_ID.match(n).group(2))),
    )
    doomed = [n for n in ids[: max(len(ids) - keep, 0)] if current is None or n != current.name]
    for name in doomed:
        shutil.rmtree(releases_dir / name)
    if doomed:
        fsync_dir(releases_dir)
    return doomed


def is_blocking(check: dict) -> bool:
    """Severity "error" (any case, as Dagster spells it ERROR) blocks; a missing severity too."""
    return str(check.get("severity") or "error").lower() == "error"


def failed_blocking_checks(checks: list[dict]) -> list[dict]:
    return [c for c in checks if not c.get("passed") and is_blocking(c)]


def latest_release(releases_dir: Path) -> Path | None:
    link = releases_dir / LATEST
    if not link.is_symlink():
        if link.exists():
            raise RuntimeError(f"{link} exists but is not a symlink; refusing to touch it")
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def next_release_id(releases_dir: Path, run_date: dt.date) -> str:
    day = run_date.isoformat()
    taken = [int(m.group(2)) for p in releases_dir.iterdir() if (m := RELEASE_ID.match(p.name)) and m.group(1) == day]
    return f"{day}.{max(taken, default=0) + 1}"


@contextmanager
def _exclusive(releases_dir: Path):
    """One writer at a time, so two runs cannot pick the same id or race on latest."""
    with open(releases_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _point_latest(releases_dir: Path, release_id: str) -> None:
    tmp_link = releases_dir / f".{LATEST}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
    os.symlink(release_id, tmp_link)  # relative: the releases folder can be moved or served as is
    os.replace(tmp_link, releases_dir / LATEST)
    fsync_dir(releases_dir)


def _content_sha256(table: pa.Table, cells: list[pa.Array] | None = None) -> str:
    """Checksum of the table's CSV text without last_seen: equal whenever the data did not change, on any day.

    ``cells``: the table's :func:`~pipelines.publish.files.csv_cells`, reused from writing the CSV file."""
    cells = csv_cells(table) if cells is None else cells
    kept = [i for i, n in enumerate(table.column_names) if n != "last_seen"]
    return hashlib.sha256(csv_bytes([table.column_names[i] for i in kept], [cells[i] for i in kept])).hexdigest()


def write_release(
    tables: dict,
    *,
    releases_dir: Path,
    run_date: dt.date,
    sources: list,
    crawls: dict[str, dict],
    issues: list[dict],
    checks: list[dict],
    publisher: Publisher | None = None,
    skip_unchanged: bool = False,
    keep: int | None = None,
    headline: dict | None = None,
) -> Path:
    """Write one release and move ``latest`` to it; returns the release folder.

    ``tables`` maps table names of pipelines/schema.py to DataFrames with every schema
    column except first_seen/last_seen. Raises :class:`ReleaseRefused` if a check with
    severity "error" failed, :class:`~pipelines.contract.TableValidationError`
    if a table breaks the contract; in both cases nothing is written. With
    ``skip_unchanged``, raises :class:`ReleaseUnchanged` when no row changed since the
    latest release. ``keep``: delete all but the last ``keep`` releases afterwards.
    """
    failed = failed_blocking_checks(checks)
    if failed:
        raise ReleaseRefused(failed)
    current = {name: to_arrow(name, df) for name, df in tables.items()}
    check_foreign_keys(tables)
    printed = {}
    for name in list(current):
        current[name], printed[name] = labels.normalise_names(name, current[name])
    issues = [i.to_dict() if hasattr(i, "to_dict") else dict(i) for i in issues]
    crawls = provenance.normalise(crawls)  # live / archive / sample, no machine path
    publisher = load_publisher() if publisher is None else publisher

    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    with _exclusive(releases_dir):
        for stale in releases_dir.glob(".tmp-release-*"):  # left by a writer that crashed; we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        previous_dir = latest_release(releases_dir)
        previous_id = previous_dir.name if previous_dir else None
        release_id = next_release_id(releases_dir, run_date)

        published: dict[str, pa.Table] = {}
        change_rows: list[pa.Table] = []
        for name in TABLES:
            previous = read_previous(previous_dir, name)
            if name in current:
                published[name] = labels.add_labels(
                    name, add_history(name, current[name], previous, run_date), printed.get(name)
                )
            if name in current or previous is not None:
                change_rows.append(table_changes_arrow(name, current.get(name), previous))
        changes = changes_table(change_rows)
        if skip_unchanged and previous_dir is not None and changes.num_rows == 0:
            before = {name for name in TABLES if (previous_dir / f"{name}.parquet").exists()}
            if before == set(published):
                raise ReleaseUnchanged(previous_dir)

        tmp = Path(tempfile.mkdtemp(prefix=".tmp-release-", dir=releases_dir))
        try:
            _write_files(
                tmp,
                release_id=release_id,
                previous_id=previous_id,
                run_date=run_date,
                published=published,
                changes=changes,
                sources=sources,
                crawls=crawls,
                issues=issues,
                checks=checks,
                publisher=publisher,
                headline=headline,
            )
            fsync_tree(tmp)
            final = releases_dir / release_id
            os.rename(tmp, final)
            fsync_dir(releases_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _point_latest(releases_dir, release_id)
        if keep:
            prune_releases(releases_dir, keep)
    return final


def _headline(published: dict[str, pa.Table]) -> dict | None:
    """The answer of pipelines.join.headline when the release has the clusters and their ties."""
    if "clusters" not in published or "cluster_cce_ties" not in published:
        return None
    from pipelines.join.headline import headline

    advisors = published["advisors"].to_pandas() if "advisors" in published else None
    return headline(published["clusters"].to_pandas(), published["cluster_cce_ties"].to_pandas(), advisors)


def _write_files(
    folder: Path,
    *,
    release_id,
    previous_id,
    run_date,
    published,
    changes,
    sources,
    crawls,
    issues,
    checks,
    publisher,
    headline=None,
) -> None:
    os.chmod(folder, 0o755)  # mkdtemp makes it private; a release is meant to be served
    row_counts = {name: t.num_rows for name, t in published.items()}
    content_sha256 = {}
    for name, table in published.items():
        write_parquet(table, folder / f"{name}.parquet")
        cells = csv_cells(table)  # built once: for the file and for the content checksum
        write_csv(table, folder / f"{name}.csv", cells)
        content_sha256[name] = _content_sha256(table, cells)
        del cells
    book = workbook.WORKBOOK_NAME if workbook.fits(published) else None
    if book:
        workbook.write_workbook(published, folder / book, run_date)
    write_parquet(changes, folder / "changes.parquet")
    write_csv(changes, folder / "changes.csv")
    write_json(issues, folder / "issues.json")
    write_json(checks, folder / "checks.json")
    package = datapackage.build(
        release_id=release_id,
        row_counts=row_counts,
        sources=sources,
        crawls=crawls,
        changes_arrow_schema=changes.schema,
        publisher=publisher,
    )
    write_json(package, folder / "datapackage.json")
    n_changes: dict[str, int] = {}
    for counted in pc.value_counts(changes.column("table")).to_pylist():
        n_changes[counted["values"]] = counted["counts"]
    answer = headline or _headline(published)
    (folder / "README.md").write_text(
        dictionary.build(
            release_id=release_id,
            run_date=run_date,
            row_counts=row_counts,
            sources=sources,
            crawls=crawls,
            n_changes=n_changes,
            previous_id=previous_id,
            publisher=publisher,
            workbook=book,
            headline=answer,
        ),
        encoding="utf-8",
    )
    (folder / "index.html").write_text(
        landing.build(
            release_id=release_id,
            run_date=run_date,
            previous_id=previous_id,
            tables=published,
            sources=sources,
            crawls=crawls,
            checks=checks,
            issues=issues,
            changes=changes,
            publisher=publisher,
            headline=answer,
        ),
        encoding="utf-8",
    )
    write_json(
        {
            "release_id": release_id,
            "previous_release": previous_id,
            "run_date": run_date.isoformat(),
            "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "tables": {
                name: {
                    "rows": row_counts[name],
                    "parquet": {"path": f"{name}.parquet", "sha256": sha256_of(folder / f"{name}.parquet")},
                    "csv": {"path": f"{name}.csv", "sha256": sha256_of(folder / f"{name}.csv")},
                    "content_sha256": content_sha256[name],
                }
                for name, table in published.items()
            },
            "changes": {"rows": changes.num_rows},
            "workbook": {"path": book, "sha256": sha256_of(folder / book)} if book else None,
            "crawls": crawls,
            "sample_sources": provenance.sample_sources(crawls),
            "notice": provenance.SAMPLE_NOTICE if provenance.sample_sources(crawls) else None,
            "publisher": publisher.to_dict(),
            "checks": {"total": len(checks), "passed": sum(1 for c in checks if c.get("passed"))},
            "issues": len(issues),
        },
        folder / "release.json",
    )
    write_sha256sums(folder)


# --- run records, outside the releases -------------------------------------------------


def new_run_id() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def run_record(
    *,
    status: str,
    checks: list[dict],
    release: Path | None = None,
    error: BaseException | str | None = None,
    run_id: str | None = None,
    run_date: dt.date | None = None,
) -> dict:
    """A run record: status, the failed checks with their table and source(s), error, release id."""
    failed = []
    for c in checks:
        if c.get("passed"):
            continue
        table = c.get("table")
        src = c.get("source")
        failed.append(
            {
                **c,
                "sources": [src] if src else list(TABLES[table].sources) if table in TABLES else [],
                "blocking": is_blocking(c),
            }
        )
    return {
        "run_id": run_id or new_run_id(),
        "status": status,
        "run_date": run_date.isoformat() if run_date else None,
        "release_id": release.name if release else None,
        "release_path": str(release) if release else None,
        "failed_checks": failed,
        "error": None
        if error is None
        else (f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(error)),
        "checks": {"total": len(checks), "passed": sum(1 for c in checks if c.get("passed"))},
    }


def record_run(runs_dir: Path, record: dict) -> Path:
    """Write ``runs_dir/<run_id>.json`` atomically and return its path."""
    runs_dir = Path(runs_dir)
    runs_dir.mkdir(parents=True, exist_ok=True)
    record = {"run_id": new_run_id(), **record}
    record.setdefault("recorded_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    path = runs_dir / f"{record['run_id']}.json"
    tmp = runs_dir / f".{record['run_id']}.json.tmp"
    write_json(record, tmp)
    os.replace(tmp, path)
    return path


def publish_release(
    tables: dict,
    *,
    releases_dir: Path,
    runs_dir: Path,
    run_date: dt.date,
    sources: list,
    crawls: dict[str, dict],
    issues: list[dict],
    checks: list[dict],
    run_id: str | None = None,
    publisher: Publisher | None = None,
    skip_unchanged: bool | None = None,
    keep: int | None = None,
    headline: dict | None = None,
) -> Path:
    """write_release, then a run record whatever happened; re-raises after recording a failure.

    ``skip_unchanged`` (default: $POLES_CCE_UNCHANGED_RELEASES, "skip") and ``keep`` (default:
    $POLES_CCE_KEEP_RELEASES): a run whose tables equal the latest release's is recorded as
    "unchanged" and the latest release is returned; only the last ``keep`` releases are kept.
    """
    skip_unchanged = skip_unchanged_default() if skip_unchanged is None else skip_unchanged
    keep = keep_releases_default() if keep is None else keep
    try:
        release = write_release(
            tables,
            releases_dir=releases_dir,
            run_date=run_date,
            sources=sources,
            crawls=crawls,
            issues=issues,
            checks=checks,
            publisher=publisher,
            skip_unchanged=skip_unchanged,
            keep=keep,
            headline=headline,
        )
    except ReleaseUnchanged as same:
        record_run(
            runs_dir,
            run_record(status="unchanged", checks=checks, release=same.latest, run_id=run_id, run_date=run_date),
        )
        return same.latest
    except Exception as exc:
        status = "refused" if isinstance(exc, ReleaseRefused) else "failed"
        record_run(runs_dir, run_record(status=status, checks=checks, error=exc, run_id=run_id, run_date=run_date))
        raise
    record_run(
        runs_dir, run_record(status="published", checks=checks, release=release, run_id=run_id, run_date=run_date)
    )
    return release
