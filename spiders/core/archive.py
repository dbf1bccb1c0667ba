"""Archives of raw responses: the bundled snapshot folders and per-run WARC files.

Both kinds open through :func:`open_archive` and replay through the same
downloader middleware, so a snapshot, a WARC written by a live run, and a WARC
written by a replay all go through one path.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from w3lib.url import canonicalize_url

from common.cli import CliError

# Bodies larger than this are refused when the caller does not pass the source's
# max_response_bytes (sources/<source>.yml).
DEFAULT_MAX_BODY_BYTES = 10_000_000
# One archive, decompressed, may hold at most this many bytes (every body is kept in memory
# for the replay): POLES_CCE_ARCHIVE_MAX_BYTES overrides it.
ARCHIVE_MAX_BYTES_ENV = "POLES_CCE_ARCHIVE_MAX_BYTES"
DEFAULT_ARCHIVE_MAX_BYTES = 1 << 30
MANIFEST_MAX_BYTES = 50_000_000


class ArchiveError(CliError):
    """An archive that cannot be replayed (corrupt, oversized, not an archive); the message names the file."""


def archive_max_bytes() -> int:
    value = os.environ.get(ARCHIVE_MAX_BYTES_ENV, "").strip()
    if not value:
        return DEFAULT_ARCHIVE_MAX_BYTES
    if not value.isdigit() or int(value) <= 0:
        raise ArchiveError(f"{ARCHIVE_MAX_BYTES_ENV}={value!r}: expected a positive number of bytes")
    return int(value)


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


def open_archive(path: str | Path, max_body_bytes: int | None = None) -> Archive:
    """The archive at ``path``; bodies above ``max_body_bytes`` (the source's
    ``max_response_bytes``) and archives above :func:`archive_max_bytes` decompressed are
    refused with an :class:`ArchiveError` naming the file, before they are read whole."""
    path = Path(path)
    limits = _Limits(max_body_bytes or DEFAULT_MAX_BODY_BYTES, archive_max_bytes())
    if path.is_dir():
        return _open_snapshot(path, limits)
    if path.name.endswith((".warc", ".warc.gz")):
        if not path.is_file():
            raise ArchiveError(f"{path}: no such file")
        return _open_warc(path, limits)
    if not path.exists():
        raise ArchiveError(f"{path}: no such file or folder")
    raise ArchiveError(f"{path}: not an archive (snapshot folder or .warc[.gz] file)")


@dataclass
class _Limits:
    body: int
    total: int
    used: int = 0

    def take(self, n: int, what: str) -> None:
        self.used += n
        if self.used > self.total:
            raise ArchiveError(
                f"{what}: archive larger than the limit of {self.total:,} bytes decompressed ({ARCHIVE_MAX_BYTES_ENV})"
            )


def _open_snapshot(folder: Path, limits: _Limits) -> Archive:
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ArchiveError(f"{folder}: snapshot folder has no manifest.json")
    manifest = read_manifest(manifest_path)
    if manifest is None or "captured_at" not in manifest:
        raise ArchiveError(
            f'{manifest_path}: not a snapshot manifest (an object with "captured_at" and a "responses" list)'
        )
    captured_at = manifest["captured_at"]
    responses = []
    for n, entry in enumerate(manifest["responses"]):
        if not isinstance(entry.get("url"), str) or not isinstance(entry.get("file"), str):
            raise ArchiveError(f'{manifest_path}: responses[{n}] needs a "url" and a "file"')
        file = folder / entry["file"]
        if not file.resolve().is_relative_to(folder.resolve()):
            raise ArchiveError(f"{manifest_path}: responses[{n}] file {entry['file']!r} is outside the snapshot folder")
        try:
            size = file.stat().st_size
        except OSError as exc:
            raise ArchiveError(f"{file}: {exc.strerror} (listed in {manifest_path})") from None
        if size > limits.body:
            raise ArchiveError(f"{file}: {size:,} bytes, above the limit of {limits.body:,} bytes (max_response_bytes)")
        limits.take(size, str(folder))
        try:
            status = int(entry.get("status", 200))
        except (TypeError, ValueError):
            raise ArchiveError(
                f"{manifest_path}: responses[{n}] status {entry.get('status')!r} is not a number"
            ) from None
        responses.append(
            ArchivedResponse(
                url=entry["url"],
                status=status,
                headers=dict(entry.get("headers") or {}),
                body=file.read_bytes(),
                date=entry.get("date", captured_at),
                meta={"file": str(file)},
            )
        )
    return Archive(folder, responses, captured_at)


def read_manifest(path: Path) -> dict | None:
    """A snapshot manifest (an object with a ``responses`` list of objects); None when the
    file is valid JSON but not a snapshot manifest (an unrelated ``manifest.json``);
    :class:`ArchiveError` naming the file when it is not JSON or too large."""
    try:
        size = path.stat().st_size
        if size > MANIFEST_MAX_BYTES:
            raise ArchiveError(
                f"{path}: {size:,} bytes, above the limit of {MANIFEST_MAX_BYTES:,} bytes for a manifest"
            )
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: {exc.strerror or exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("responses"), list):
        return None
    if not all(isinstance(e, dict) for e in data["responses"]):
        raise ArchiveError(f'{path}: "responses" must be a list of objects')
    return data


class _BoundedGunzip(io.RawIOBase):
    """A .warc.gz (or .warc) file as its decompressed bytes, decompressed as read, never more
    than the archive limit in all, and never a run longer than ``max_line`` bytes without a line
    break (a record's header is lines; a body longer than that is refused anyway), so a
    decompression bomb costs a few MB of memory and stops within the limit."""

    CHUNK = 1 << 16

    def __init__(self, path: Path, limits: _Limits, max_line: int):
        self.path = path
        self.fh = path.open("rb")
        self.limits = limits
        self.max_line = max_line
        self.gzip = self.fh.read(2) == b"\x1f\x8b"
        self.fh.seek(0)
        self._inflater = self._new_inflater() if self.gzip else None
        self._pending = b""
        self._since_newline = 0
        self._position = 0

    @staticmethod
    def _new_inflater():
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self.fh.close()
        super().close()

    def _more(self) -> bytes:
        if not self.gzip:
            return self.fh.read(self.CHUNK)
        while True:
            if self._inflater.eof:  # next gzip member (one per WARC record)
                # At the end of a member CPython keeps the input left over in unused_data (and in
                # unconsumed_tail too: take it once).
                rest = self._inflater.unused_data or self.fh.read(self.CHUNK)
                if not rest:
                    return b""
                self._inflater = self._new_inflater()
                data = rest
            elif self._inflater.unconsumed_tail:
                data = self._inflater.unconsumed_tail
            else:
                data = self.fh.read(self.CHUNK)
                if not data:
                    raise ArchiveError(f"{self.path}: corrupt gzip: the file ends inside a compressed member")
            try:
                out = self._inflater.decompress(data, self.CHUNK)
            except zlib.error as exc:
                raise ArchiveError(f"{self.path}: corrupt gzip at byte {self.fh.tell():,}: {exc}") from None
            if out:
                return out

    def readinto(self, buffer) -> int:
        chunk = self._pending or self._more()
        self._pending = b""
        if not chunk:
            return 0
        n = min(len(buffer), len(chunk))
        chunk, self._pending = chunk[:n], chunk[n:]
        self.limits.take(n, str(self.path))
        newline = chunk.rfind(b"\n")
        self._since_newline = n - newline - 1 if newline >= 0 else self._since_newline + n
        if self._since_newline > self.max_line:
            raise ArchiveError(
                f"{self.path}: {self._since_newline:,} bytes without a line break at byte {self._position:,} "
                f"decompressed: not a WARC, or a record above the limit of {self.limits.body:,} bytes"
            )
        buffer[:n] = chunk
        self._position += n
        return n


def _open_warc(path: Path, limits: _Limits) -> Archive:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    responses = []
    # Slack over the body limit: a record's WARC and HTTP headers sit on the same lines budget.
    stream = _BoundedGunzip(path, limits, max_line=limits.body + (1 << 20))
    try:
        for rec in ArchiveIterator(io.BufferedReader(stream, buffer_size=1 << 16)):
            if rec.rec_type != "response":
                continue
            url = rec.rec_headers.get_header("WARC-Target-URI")
            body = rec.raw_stream.read(limits.body + 1)
            if len(body) > limits.body:
                raise ArchiveError(
                    f"{path}: the record of {url} is larger than the limit of {limits.body:,} bytes (max_response_bytes)"
                )
            status = int(rec.http_headers.get_statuscode())
            headers = {k: v for k, v in rec.http_headers.headers}
            responses.append(
                ArchivedResponse(
                    url=url,
                    status=status,
                    headers=headers,
                    body=body,
                    date=rec.rec_headers.get_header("WARC-Date"),
                    meta={"warc": str(path), "record_id": rec.rec_headers.get_header("WARC-Record-ID")},
                )
            )
    except ArchiveError:
        raise
    except (ArchiveLoadFailed, ValueError, TypeError, AttributeError, EOFError) as exc:
        raise ArchiveError(
            f"{path}: not a readable WARC: {' '.join(str(exc).split())[:200] or type(exc).__name__}"
        ) from None
    finally:
        stream.close()
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
