"""A local mirror of the source sites, reached through an HTTP proxy, with injectable faults.

A crawl reaches it exactly as in live mode: ``python -m spiders.crawl SOURCE --live`` with
``https_proxy``/``http_proxy`` set to :attr:`Mirror.proxy_url` (Scrapy's HttpProxyMiddleware
reads them). The mirror answers ``CONNECT`` by terminating TLS itself with a throwaway
self-signed certificate (Scrapy does not verify certificates by default), and serves plain
absolute-URI ``GET``s too. Nothing leaves 127.0.0.1: a URL it does not hold gets a 404.

Responses come from any archive (:func:`spiders.core.archive.open_archive`: the bundled
snapshots, a run's WARC) or from a ``routes`` mapping ``URL -> (status, headers, body)``
(synthetic pages for benchmarks). Faults are added per URL pattern (:class:`Fault`), and
every request is counted per URL (:attr:`Mirror.counts`).

    with Mirror.from_snapshots("poles") as mirror:
        mirror.add_fault(r"/annuaire-des-poles$", Fault(status=503, times=2))
        env = {**os.environ, **mirror.proxy_env()}
        subprocess.run([sys.executable, "-m", "spiders.crawl", "poles", "--live"], env=env)
        assert mirror.counts["https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"] == 3

Run on its own (``python -m tests.mirror [SOURCE ...] [--port N]``) it serves the bundled
snapshots until interrupted and prints the proxy URL.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Mapping

from spiders.core.archive import ArchivedResponse, open_archive, url_key

Route = tuple[int, Mapping[str, str], bytes]


@dataclass
class Fault:
    """What to do instead of (or on top of) the archived response, for matching URLs.

    ``times``: apply to the first N matching requests only (None: always), e.g. a burst of
    503 then recovery. ``status``/``headers``/``body`` replace the archived ones; ``transform``
    rewrites the body; ``delay`` sleeps before answering; ``reset`` drops the connection with
    a TCP RST; ``redirect`` answers 302 to that URL; ``truncate`` declares the full
    Content-Length but sends only that many bytes, then closes.
    """

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    transform: Callable[[bytes], bytes] | None = None
    delay: float = 0.0
    reset: bool = False
    redirect: str | None = None
    truncate: int | None = None
    times: int | None = None
    hits: int = 0

    def applies(self) -> bool:
        return self.times is None or self.hits < self.times


class Mirror:
    """Threaded proxy + origin server on 127.0.0.1; ``start()``/``stop()`` or a ``with`` block."""

    def __init__(self, archives=(), routes: Mapping[str, Route] | None = None, port: int = 0, validators: bool = False):
        self._responses: dict[str, ArchivedResponse | Route] = {}
        for archive in archives:
            archive = open_archive(archive) if isinstance(archive, (str, Path)) else archive
            for url in archive.urls():
                self._responses[url_key(url)] = archive.get(url)
        for url, route in (routes or {}).items():
            self._responses[url_key(url)] = route
        # Adds an ETag and a Last-Modified to every 200 and answers conditional requests with 304.
        self.validators = validators
        self.faults: list[tuple[re.Pattern, Fault]] = []
        self.counts: Counter[str] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (time, method, url), every request in order
        self.conditional: Counter[str] = Counter()  # URLs asked with If-None-Match / If-Modified-Since
        self.statuses: Counter[int] = Counter()  # statuses served (304s included)
        self.body_bytes = 0  # page-body bytes sent
        self._lock = threading.Lock()
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._tls = _tls_context()

    @classmethod
    def from_snapshots(cls, *sources: str, **kwargs) -> "Mirror":
        from common.sources import load_source

        return cls([load_source(s).snapshot_path for s in sources], **kwargs)

    # -- control ---------------------------------------------------------------------------
    def add_fault(self, pattern: str, fault: Fault) -> Fault:
        """``pattern`` is a regex searched in the full URL; the first matching fault wins."""
        with self._lock:
            self.faults.append((re.compile(pattern), fault))
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def set_route(self, url: str, status: int, headers: Mapping[str, str], body: bytes) -> None:
        with self._lock:
            self._responses[url_key(url)] = (status, headers, body)

    def urls(self) -> list[str]:
        return [r.url if isinstance(r, ArchivedResponse) else k for k, r in self._responses.items()]

    def start(self) -> "Mirror":
        self._server = _QuietServer(("127.0.0.1", self._port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "Mirror":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def proxy_env(self) -> dict[str, str]:
        """Environment variables that send a crawl (Scrapy, urllib, requests) through the mirror."""
        p = self.proxy_url
        return {"https_proxy": p, "http_proxy": p, "HTTPS_PROXY": p, "HTTP_PROXY": p, "no_proxy": "", "NO_PROXY": ""}

    # -- serving ---------------------------------------------------------------------------
    def _fault_for(self, url: str) -> Fault | None:
        with self._lock:
            for pattern, fault in self.faults:
                if pattern.search(url) and fault.applies():
                    fault.hits += 1
                    return fault
        return None

    def _lookup(self, url: str) -> Route:
        found = self._responses.get(url_key(url))
        if found is None:
            return 404, {"Content-Type": "text/plain; charset=utf-8"}, b"not in the mirror\n"
        if isinstance(found, ArchivedResponse):
            return found.status, dict(found.headers), found.body
        return found


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-answer (timeouts, size limits) is expected here


def _handler_for(mirror: Mirror):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        tunnel_origin: str | None = None  # "https://host[:port]" once a CONNECT is terminated

        def log_message(self, format, *args):  # quiet: the counts and the log say what happened
            pass

        def do_CONNECT(self):
            host, _, port = self.path.rpartition(":")
            self.send_response(200, "Connection established")
            self.end_headers()
            try:
                tls = mirror._tls.wrap_socket(self.connection, server_side=True)
            except (ssl.SSLError, OSError):
                self.close_connection = True
                return
            self.connection = tls
            self.rfile = tls.makefile("rb", -1)
            self.wfile = tls.makefile("wb", 0)
            self.tunnel_origin = f"https://{host}" + ("" if port in ("443", "") else f":{port}")
            self.close_connection = False

        def do_GET(self):
            self._serve(send_body=True)

        def do_HEAD(self):
            self._serve(send_body=False)

        def _url(self) -> str:
            if self.tunnel_origin:
                return self.tunnel_origin + self.path
            if self.path.startswith(("http://", "https://")):
                return self.path
            return f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}"

        def _serve(self, send_body: bool):
            url = self._url()
            with mirror._lock:
                mirror.counts[url] += 1
                mirror.log.append((time.monotonic(), self.command, url))
            fault = mirror._fault_for(url)
            status, headers, body = mirror._lookup(url)
            headers = {k: v for k, v in headers.items() if k.lower() not in _HOP_HEADERS}
            if fault is not None:
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.reset:
                    return self._reset()
                if fault.redirect:
                    status, headers, body = 302, {"Location": fault.redirect, "Content-Type": "text/html"}, b""
                if fault.status is not None:
                    status = fault.status
                if fault.body is not None:
                    body = fault.body
                if fault.transform is not None:
                    body = fault.transform(body)
                # A header value may be a callable, evaluated when served (e.g. an HTTP-date ahead of now).
                headers.update({k: (v() if callable(v) else v) for k, v in fault.headers.items()})
            if mirror.validators and status == 200:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers.setdefault("ETag", etag)
                headers.setdefault("Last-Modified", _LAST_MODIFIED)
                if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                    with mirror._lock:
                        mirror.conditional[url] += 1
                    if self.headers.get("If-None-Match") == headers["ETag"] or (
                        not self.headers.get("If-None-Match")
                        and self.headers.get("If-Modified-Since") == headers["Last-Modified"]
                    ):
                        status, body = 304, b""
            with mirror._lock:
                mirror.statuses[status] += 1
                mirror.body_bytes += len(body) if send_body else 0
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not send_body:
                return
            if fault is not None and fault.truncate is not None:
                self.wfile.write(body[: fault.truncate])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

        def _reset(self):
            try:
                raw = self.connection
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                raw.close()
            except OSError:
                pass
            self.close_connection = True

    return Handler


_HOP_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
_LAST_MODIFIED = format_datetime(datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc), usegmt=True)


def _tls_context() -> ssl.SSLContext:
    """A server context with a throwaway self-signed certificate for every source's domains."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "poles-cce local mirror")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in _hostnames()]), critical=False)
        .sign(key, hashes.SHA256())
    )
    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
    return ctx


def _hostnames() -> list[str]:
    from common.sources import all_sources

    names = {"localhost"}
    for source in all_sources():
        for domain in source.allowed_domains:
            names.update((domain, f"*.{domain}"))
    return sorted(names)


def main(argv: list[str] | None = None) -> int:
    from common.sources import all_sources

    ap = argparse.ArgumentParser(prog="python -m tests.mirror", description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="*", help="sources whose snapshots to serve (default: all)")
    ap.add_argument("--port", type=int, default=8899)
    ns = ap.parse_args(argv)
    names = ns.sources or [s.name for s in all_sources()]
    mirror = Mirror.from_snapshots(*names, port=ns.port).start()
    print(f"mirror of {', '.join(names)} ({len(mirror.urls())} URLs) on {mirror.proxy_url}")
    print(f"  https_proxy={mirror.proxy_url} .venv/bin/python -m spiders.crawl SOURCE --live")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        mirror.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
