"""Put a release on data.gouv.fr (or any udata portal) through its API v1.

``python -m pipelines.publish.datagouv RELEASE_DIR --dataset DATASET_ID [--api-base URL]
[--dry-run] [--allow-sample]``; the API key is read from ``DATAGOUV_API_KEY``.

One resource per published file (each table's Parquet and CSV, datapackage.json, the
README), found again on the next release by the extra ``poles_cce:file`` and updated in
place, so resource ids (and the portal's stable ``/datasets/r/<id>`` links) never change.
A file is uploaded only when its SHA-1 differs from the checksum the portal reports;
metadata is sent only when it differs. A failure part-way raises :class:`PartialPublish`
naming what was done and what was not; running again finishes the job.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from pipelines.schema import TABLES

from . import provenance
from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE

DEFAULT_API_BASE = "https://www.data.gouv.fr/api/1"
API_KEY_ENV = "DATAGOUV_API_KEY"
FILE_EXTRA = "poles_cce:file"  # which release file a resource holds
LICENCE_ID = "lov2"  # Licence Ouverte / Open Licence 2.0 on data.gouv.fr
FREQUENCY = "weekly"  # the Monday refreshes
RETRY_STATUSES = (429, 500, 502, 503, 504)


class PublishError(RuntimeError):
    """Refused or failed; the message is meant for the person running the command."""


class SampleRefused(PublishError):
    pass


class PartialPublish(PublishError):
    def __init__(self, done: list[str], not_done: list[str], cause: BaseException):
        self.done, self.not_done, self.cause = done, not_done, cause
        super().__init__(
            f"publication stopped part-way: {cause}\n"
            f"  done ({len(done)}): {', '.join(done) or 'nothing'}\n"
            f"  NOT done ({len(not_done)}): {', '.join(not_done)}\n"
            "  run the same command again to finish (what is done will not be redone)"
        )


@dataclass(frozen=True)
class ReleaseFile:
    """One file of the release as a portal resource."""

    name: str  # file name in the release, also the FILE_EXTRA value
    upload_name: str  # file name sent to the portal (its extension must be one it accepts)
    title: str
    description: str
    format: str  # as the portal names it from the upload's extension
    mime: str
    type: str  # udata resource type: main, documentation, …
    schema_of: str | None = None  # table whose schema datapackage.json holds

    def metadata(self, schema_url: str | None) -> dict:
        # format and mime of a hosted file are the portal's own reading of the upload (udata
        # ignores them in an update): set by ``upload_name``'s extension and ``mime``, not sent here
        meta = {
            "title": self.title,
            "description": self.description,
            "type": self.type,
            "extras": {FILE_EXTRA: self.name},
        }
        if self.schema_of and schema_url:
            meta["extras"]["poles_cce:schema"] = f"{schema_url}#{self.schema_of}"
        return meta


def release_files(release_dir: Path, meta: dict) -> list[ReleaseFile]:
    """The files to publish, datapackage.json first (the others' schema link points at it)."""
    release_id = meta["release_id"]
    files = [
        ReleaseFile(
            "datapackage.json",
            "datapackage.json",
            "datapackage.json — schemas, keys, licence and sources (Frictionless)",
            f"Frictionless Data Package of release {release_id}: every table's columns, types, keys and foreign keys, "
            "the licence and the sources.",
            "json",
            "application/json",
            "documentation",
        ),
    ]
    for name in (n for n in TABLES if n in meta["tables"]):
        table = TABLES[name]
        rows = meta["tables"][name]["rows"]
        base = f"{table.description} {rows} rows, release {release_id}. Columns and types: datapackage.json, resource `{name}`."
        files.append(
            ReleaseFile(
                f"{name}.parquet",
                f"{name}.parquet",
                f"{name} — {table.title} (Parquet)",
                base + " Typed, zstd-compressed Parquet.",
                "parquet",
                "application/vnd.apache.parquet",
                "main",
                name,
            )
        )
        files.append(
            ReleaseFile(
                f"{name}.csv",
                f"{name}.csv",
                f"{name} — {table.title} (CSV)",
                base + " UTF-8 CSV with a byte-order mark; lists joined by ';'; read codes as text.",
                "csv",
                "text/csv",
                "main",
                name,
            )
        )
    book = (meta.get("workbook") or {}).get("path")
    if book:
        files.append(
            ReleaseFile(
                book,
                book,
                "Workbook — every table, one sheet each (.xlsx)",
                f"Every table of release {release_id} in one spreadsheet workbook; codes are stored as text.",
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "main",
            )
        )
    # README.md: uploaded as .txt, an extension every udata accepts
    files.append(
        ReleaseFile(
            "README.md",
            "README.txt",
            "README — data dictionary (Markdown text)",
            f"Data dictionary of release {release_id}: files, tables, columns, personal data, sources.",
            "txt",
            "text/plain",
            "documentation",
        )
    )
    missing = [f.name for f in files if not (release_dir / f.name).is_file()]
    if missing:
        raise PublishError(f"{release_dir.name}: missing file(s) {', '.join(missing)}; is this a release folder?")
    return files


def sha1_of(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def dataset_metadata(meta: dict, existing: dict) -> dict:
    """What the dataset page should say for this release (temporal coverage grows, never shrinks)."""
    run_date = meta["run_date"]
    start = ((existing.get("temporal_coverage") or {}).get("start") or run_date)[:10]
    description = DATASET_DESCRIPTION + f"\n\nLatest release: {meta['release_id']} ({run_date})."
    if meta.get("notice"):
        description = f"**DEMONSTRATION DATA.** {meta['notice']}\n\n" + description
    publisher = meta.get("publisher") or {}
    if publisher.get("name"):
        description += (
            f"\n\nPublished by {publisher['name']}"
            + (f" ({publisher['contact_url']})" if publisher.get("contact_url") else "")
            + "."
        )
    return {
        "title": DATASET_TITLE + (" (DEMONSTRATION DATA)" if meta.get("notice") else ""),
        "description": description,
        "license": LICENCE_ID,
        "frequency": FREQUENCY,
        "temporal_coverage": {"start": min(start, run_date), "end": run_date},
    }


def _session(api_key: str | None, retries: int, backoff: float) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # PUT/POST too: every call here is safe to repeat
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers["User-Agent"] = "poles-cce-opendata publisher"
    if api_key:
        session.headers["X-API-KEY"] = api_key
    return session


@dataclass
class Action:
    label: str  # what a person reads: "upload clusters.csv (new resource)"
    kind: str  # create, replace, metadata, dataset
    file: ReleaseFile | None = None
    changes: dict = field(default_factory=dict)


class PortalClient:
    def __init__(
        self,
        api_base: str,
        dataset: str,
        api_key: str | None,
        *,
        retries: int = 5,
        backoff: float = 0.5,
        timeout: float = 120,
    ):
        self.api = api_base.rstrip("/")
        self.dataset = dataset
        self.timeout = timeout
        self.session = _session(api_key, retries, backoff)

    def _call(self, method: str, path: str, **kwargs) -> dict:
        url = f"{self.api}{path}"
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise PublishError(f"{method} {url}: {exc}") from exc
        if response.status_code >= 400:
            raise PublishError(f"{method} {url}: HTTP {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else {}

    def get_dataset(self) -> dict:
        return self._call("GET", f"/datasets/{self.dataset}/")

    # --- planning -------------------------------------------------------------------
    def plan(self, release_dir: Path, meta: dict) -> tuple[list[Action], dict]:
        dataset = self.get_dataset()
        by_file = {}
        for r in dataset.get("resources", []):
            key = (r.get("extras") or {}).get(FILE_EXTRA)
            if key and key not in by_file:
                by_file[key] = r
        actions: list[Action] = []
        for f in release_files(release_dir, meta):
            remote = by_file.get(f.name)
            local_sha1 = sha1_of(release_dir / f.name)
            if remote is None:
                actions.append(Action(f"upload {f.name} (new resource)", "create", f))
                continue
            checksum = remote.get("checksum") or {}
            changed = _differences(f.metadata(self._schema_url(by_file)), remote)
            if checksum.get("type") != "sha1" or checksum.get("value") != local_sha1:
                actions.append(
                    Action(
                        f"upload {f.name} (replaces the file of resource {remote['id']})",
                        "replace",
                        f,
                        {"id": remote["id"]},
                    )
                )
            elif changed:
                actions.append(
                    Action(
                        f"update metadata of {f.name} ({', '.join(sorted(changed))})",
                        "metadata",
                        f,
                        {"id": remote["id"]},
                    )
                )
        wanted = dataset_metadata(meta, dataset)
        changed = _dataset_differences(wanted, dataset)
        if changed:
            actions.append(Action(f"update dataset metadata ({', '.join(sorted(changed))})", "dataset", None, wanted))
        return actions, by_file

    def _schema_url(self, by_file: dict) -> str | None:
        package = by_file.get("datapackage.json")
        return f"{self.api}/datasets/r/{package['id']}" if package else None

    # --- doing ----------------------------------------------------------------------
    def run(self, release_dir: Path, meta: dict, actions: list[Action], by_file: dict, log=print) -> list[str]:
        done: list[str] = []
        for i, action in enumerate(actions):
            try:
                self._do(release_dir, action, by_file)
            except Exception as exc:
                raise PartialPublish(done, [a.label for a in actions[i:]], exc) from exc
            done.append(action.label)
            log(f"  done: {action.label}")
        return done

    def _do(self, release_dir: Path, action: Action, by_file: dict) -> None:
        f = action.file
        if action.kind == "dataset":
            self._call("PUT", f"/datasets/{self.dataset}/", json=action.changes)
            return
        if action.kind in ("create", "replace"):
            path = (
                f"/datasets/{self.dataset}/upload/"
                if action.kind == "create"
                else f"/datasets/{self.dataset}/resources/{action.changes['id']}/upload/"
            )
            with (release_dir / f.name).open("rb") as fh:
                resource = self._call("POST", path, files={"file": (f.upload_name, fh, f.mime)})
            by_file[f.name] = resource
        resource = by_file[f.name]
        desired = f.metadata(self._schema_url(by_file))
        if _differences(desired, resource):
            # the upload sets title and mime from the file; the rest comes from the contract
            by_file[f.name] = self._call("PUT", f"/datasets/{self.dataset}/resources/{resource['id']}/", json=desired)


def _differences(desired: dict, remote: dict) -> set[str]:
    out = set()
    for key, value in desired.items():
        if key == "extras":
            if any((remote.get("extras") or {}).get(k) != v for k, v in value.items()):
                out.add("extras")
        elif (remote.get(key) or None) != (value or None):
            out.add(key)
    return out


def _dataset_differences(wanted: dict, dataset: dict) -> set[str]:
    out = set()
    for key, value in wanted.items():
        remote = dataset.get(key)
        if key == "license":
            remote = remote if isinstance(remote, str) else (remote or {}).get("id")
        if key == "temporal_coverage":
            remote = {k: (v or "")[:10] for k, v in (remote or {}).items()}
        if remote != value:
            out.add(key)
    return out


def read_release(release_dir: Path) -> dict:
    path = release_dir / "release.json"
    if not path.is_file():
        raise PublishError(
            f"{release_dir}: no release.json; pass a release folder (data/releases/<id> or data/releases/latest)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def refuse_sample(meta: dict, allow_sample: bool) -> None:
    samples = meta.get("sample_sources") or provenance.sample_sources(meta.get("crawls") or {})
    if samples and not allow_sample:
        raise SampleRefused(
            f"release {meta['release_id']} is not publishable: it was built from the bundled sample "
            f"({', '.join(samples)}), reconstructed demonstration data whose people and companies are invented. "
            "Publish a release crawled live (make live) or replayed from recorded archives; pass --allow-sample "
            "only to try a test portal."
        )


def publish(
    release_dir: Path,
    dataset: str,
    *,
    api_base: str = DEFAULT_API_BASE,
    api_key: str | None = None,
    dry_run: bool = False,
    allow_sample: bool = False,
    log=print,
    **client_options,
) -> list[Action]:
    """Plan and (unless ``dry_run``) carry out the publication; returns the actions planned."""
    release_dir = Path(release_dir)
    meta = read_release(release_dir)
    refuse_sample(meta, allow_sample)
    if not dry_run and not api_key:
        raise PublishError(f"no API key: set {API_KEY_ENV} (data.gouv.fr: your profile, 'API key')")
    client = PortalClient(api_base, dataset, api_key, **client_options)
    actions, by_file = client.plan(release_dir, meta)
    log(
        f"release {meta['release_id']} -> dataset {dataset} on {api_base}: {len(actions)} change(s)"
        + (" (dry run)" if dry_run else "")
    )
    for a in actions:
        log(f"  {'would ' if dry_run else ''}{a.label}")
    if not actions:
        log("  nothing to do: the portal already holds this release")
    if not dry_run and actions:
        client.run(release_dir, meta, actions, by_file, log=log)
    return actions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pipelines.publish.datagouv", description="Publish a release on data.gouv.fr (udata API v1)."
    )
    ap.add_argument("release_dir", type=Path, help="release folder, e.g. data/releases/latest")
    ap.add_argument(
        "--dataset", required=True, help="id or slug of the dataset on the portal (create it once on the portal)"
    )
    ap.add_argument("--api-base", default=DEFAULT_API_BASE, help=f"API root (default {DEFAULT_API_BASE})")
    ap.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
    ap.add_argument(
        "--allow-sample",
        action="store_true",
        help="publish even a release built from the bundled sample (test portals only)",
    )
    ap.error = lambda message: (
        print(f"error: {message} (see --help)", file=sys.stderr),
        sys.exit(2),
    )  # one line, no usage dump
    try:
        ns = ap.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        publish(
            ns.release_dir,
            ns.dataset,
            api_base=ns.api_base,
            api_key=os.environ.get(API_KEY_ENV),
            dry_run=ns.dry_run,
            allow_sample=ns.allow_sample,
        )
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
