"""Archives of raw responses: the bundled snapshot folders and per-run WARC files.

Both kinds open through :func:`open_archive` and replay through the same
downloader middleware, so a snapshot, a WARC written by a live run, and a WARC
written by a replay all go through one path.
"""
from __future__ import annotations

import atexit
import json
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from w3lib.url import canonicalize_url


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    date: str  # ISO 8601, when it was captured (or reconstructed)
    meta: dict = field(default_factory=dict)


def url_key(url: str) -> str:
    # Query order and fragments must not make a replay miss.
    return canonicalize_url(url, keep_fragments=False)


class Archive:
    """A read-only mapping of URL -> archived response."""

    def __init__(self, path: Path, responses: list[ArchivedResponse], captured_at: str):
        self.path = path
        self.captured_at = captured_at
        self._by_url = {url_key(r.url): r for r in responses}

    def get(self, url: str) -> ArchivedResponse | None:
        return self._by_url.get(url_key(url))

    def __len__(self) -> int:
        return len(self._by_url)

    def urls(self) -> list[str]:
        return [r.url for r in self._by_url.values()]


def open_archive(path: str | Path) -> Archive:
    path = Path(path)
    if path.is_dir():
        return _open_snapshot(path)
    if path.name.endswith((".warc", ".warc.gz")):
        return _open_warc(path)
    raise FileNotFoundError(f"not an archive (snapshot folder or .warc[.gz] file): {path}")


def _open_snapshot(folder: Path) -> Archive:
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise FileNotFoundError(f"snapshot folder has no manifest.json: {folder}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    captured_at = manifest["captured_at"]
    responses = []
    for entry in manifest["responses"]:
        body = (folder / entry["file"]).read_bytes()
        responses.append(
            ArchivedResponse(
                url=entry["url"],
                status=int(entry.get("status", 200)),
                headers=dict(entry.get("headers", {})),
                body=body,
                date=entry.get("date", captured_at),
                meta={"file": str(folder / entry["file"])},
            )
        )
    return Archive(folder, responses, captured_at)


def _open_warc(path: Path) -> Archive:
    from warcio.archiveiterator import ArchiveIterator

    responses = []
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            status = int(rec.http_headers.get_statuscode())
            headers = {k: v for k, v in rec.http_headers.headers}
            responses.append(
                ArchivedResponse(
                    url=rec.rec_headers.get_header("WARC-Target-URI"),
                    status=status,
                    headers=headers,
                    body=rec.raw_stream.read(),
                    date=rec.rec_headers.get_header("WARC-Date"),
                    meta={"warc": str(path), "record_id": rec.rec_headers.get_header("WARC-Record-ID")},
                )
            )
    captured_at = min((r.date for r in responses), default=datetime.now(timezone.utc).isoformat())
    return Archive(path, responses, captured_at)


class WarcRecorder:
    """Appends every response of a run to one gzipped WARC file.

    Records are built, digested and compressed by a writer *process*, in the order they were
    given: the crawl only sends (url, status, headers, body, date) down a pipe. A writer thread
    would compete with the crawl for the GIL (measured: a quarter of the crawl rate); a process
    does not. The queue is bounded, so a slow disk slows the crawl instead of filling memory.
    :meth:`close` waits for every queued record, then raises if the writer failed."""

    def __init__(self, path: Path):
        import multiprocessing

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # spawn: the crawl runs threads (Twisted's pool), which fork would copy half-held.
        ctx = multiprocessing.get_context("spawn")
        self._queue = ctx.Queue(maxsize=256)
        self._process = ctx.Process(target=_write_warc, args=(str(path), self._queue), name="warc-writer", daemon=True)
        self._process.start()
        self._lock = threading.Lock()
        self._closed = False
        atexit.register(self.close)
        self.count = 0

    def record(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes, date: str):
        with self._lock:
            if self._closed:
                raise ValueError(f"WARC already closed: {self.path}")
            if not self._process.is_alive():
                raise RuntimeError(f"writing {self.path} failed: the writer process exited ({self._process.exitcode})")
            self.count += 1
            self._queue.put((url, status, reason, headers, body, date))

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._process.is_alive():
                self._queue.put(None)
        self._process.join()
        atexit.unregister(self.close)
        if self._process.exitcode != 0:
            raise RuntimeError(f"writing {self.path} failed: the writer process exited with {self._process.exitcode}")


def _write_warc(path: str, records) -> None:
    """The writer process: one gzip member per record, at level 1 (warcio's own gzip is level 9:
    several times the CPU for a few percent of disk)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    with open(path, "wb") as fh:
        while (entry := records.get()) is not None:
            url, status, reason, headers, body, date = entry
            http_headers = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
            rec = writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=http_headers, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(rec)
            compressor = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS + 16)
            fh.write(compressor.compress(buffer.getvalue()) + compressor.flush())
            buffer.seek(0)
            buffer.truncate()
