"""Hostile input: every parser of every source, fed arbitrary HTML, text, JSON and bytes
(hypothesis), returns items or Issue records (or raises common.issues.ParseError),
never another exception, and within a deadline. Then (issue 11) decompression bombs,
oversized and corrupt archives, generated redirect chains and gzip member splits, and
page paths that try to reach a shell through ``make parse``."""

from __future__ import annotations

import json
import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse

from common.issues import Issue, ParseError
from spiders.cce_appointments.parse import parse_decree, parse_decree_text
from spiders.cce_committees.parse import parse_listing as committees_listing
from spiders.cce_committees.parse import parse_page as committee_page
from spiders.company_register.parse import parse_response as company_response
from spiders.company_register.parse import parse_search
from spiders.poles.parse import Link
from spiders.poles.parse import parse_detail as poles_detail
from spiders.poles.parse import parse_listing as poles_listing

DEADLINE_S = 5  # per example; hypothesis' own deadline is per example too (below)
HYPO = settings(
    max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

POLES_URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
CCE_URL = "https://www.cnccef.org/les-cce-en-france/"
JO_URL = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
API_URL = "https://recherche-entreprises.api.gouv.fr/search?q=X&page=1&per_page=10"
QUERY = {
    "key": "k",
    "kind": "cluster",
    "q": "X",
    "name": "X",
    "departement": "31",
    "code_postal": "31320",
    "city": "Toulouse",
}

# Words the parsers key on, so generated pages reach past the first "not found".
WORDS = [
    "Région",
    "Région du siège",
    "Site internet",
    "Adresse",
    "Thématiques",
    "Sigle",
    "Statut",
    "Territoire",
    "Pays",
    "Président",
    "Présidente",
    "Vice-président",
    "Délégué",
    "membres",
    "Décret",
    "portant nomination",
    "conseillers du commerce extérieur",
    "Art. 1er",
    "M.",
    "Mme",
    "1er janvier 2026",
    "31000 Toulouse",
    "http://x.fr",
    "a@b.fr",
    "01 23 45 67 89",
    "Suivant",
    "Page suivante",
    ":",
    ";",
    ",",
    "—",
    "\u00a0",
    "\ufffd",
]
TAGS = [
    "main",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "th",
    "td",
    "p",
    "ul",
    "li",
    "div",
    "span",
    "nav",
    "a",
    "strong",
    "section",
]
ATTRS = [
    "",
    ' class="fr-card"',
    ' class="fr-card__title"',
    ' class="fr-tag"',
    ' class="fr-pagination__link--next"',
    ' href="/les-poles-de-competitivite/annuaire-des-poles/x"',
    ' href="?page=2"',
    ' href="/les-cce-en-france/x/"',
    ' href="mailto:a@b.fr"',
    ' rel="next"',
    ' href="javascript:void(0)"',
    ' href="http://[::1"',
]

text = st.one_of(st.text(max_size=200), st.sampled_from(WORDS))
html_fragment = st.recursive(
    text,
    lambda inner: st.builds(
        lambda t, a, kids: f"<{t}{a}>{''.join(kids)}</{t}>",
        st.sampled_from(TAGS),
        st.sampled_from(ATTRS),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)
jsonld = st.builds(
    lambda v: f'<script type="application/ld+json">{v}</script>',
    st.one_of(
        st.text(max_size=60),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda c: (
                st.lists(c, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["@type", "name", "address", "url", "@graph", "addressRegion", "Organization"]),
                    c,
                    max_size=4,
                )
            ),
            max_leaves=10,
        ).map(json.dumps),
    ),
)
html_page = st.builds(
    lambda head, body: f"<html><head>{head}</head><body>{''.join(body)}</body></html>",
    st.one_of(st.just(""), jsonld),
    st.lists(html_fragment, max_size=5),
)
any_html = st.one_of(html_page, html_fragment, st.text(max_size=500))
raw_bytes = st.binary(max_size=500)


@contextmanager
def deadline(seconds: int = DEADLINE_S):
    """Fails a parser that hangs (hypothesis' deadline only reports slowness after the fact)."""

    def _timeout(signum, frame):
        raise TimeoutError(f"parser took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def outputs(gen_fn, *args, **kwargs) -> list:
    with deadline():
        try:
            out = list(gen_fn(*args, **kwargs))
        except ParseError as exc:
            assert isinstance(exc.issue, Issue)
            return [exc.issue]
    for o in out:
        assert isinstance(o, (dict, Issue, Link)), type(o)
        if isinstance(o, Issue):
            assert o.url and o.code and o.message
    return out


def html_response(url: str, body: str | bytes, charset: str = "utf-8") -> HtmlResponse:
    if isinstance(body, str):
        body = body.encode(charset, "surrogatepass") if charset == "utf-8" else body.encode(charset, "replace")
    return HtmlResponse(
        url=url, body=body, headers={"Content-Type": f"text/html; charset={charset}"}, request=Request(url)
    )


def data_items(out) -> list[dict]:
    return [o for o in out if isinstance(o, dict)]


@HYPO
@given(any_html)
def test_poles_listing(page):
    for o in outputs(poles_listing, html_response(POLES_URL, page)):
        if isinstance(o, Link):
            assert o.url.startswith("http")


@HYPO
@given(any_html)
def test_poles_detail(page):
    for item in data_items(outputs(poles_detail, html_response(POLES_URL + "/x", page))):
        assert item["source_url"] and item["name"] and item["region"]


@HYPO
@given(any_html)
def test_committees_listing(page):
    outputs(committees_listing, html_response(CCE_URL, page))


@HYPO
@given(any_html, st.sampled_from([None, "regional", "territorial", "country_section", "nonsense"]))
def test_committee_page(page, kind):
    for item in data_items(outputs(committee_page, html_response(CCE_URL + "x/", page), kind=kind)):
        assert item["source_url"]


@HYPO
@given(any_html)
def test_appointments_html(page):
    for item in data_items(outputs(parse_decree, html_response(JO_URL, page))):
        assert item["source_url"]


@HYPO
@given(
    st.lists(
        st.one_of(
            text,
            st.sampled_from(
                [
                    "DÉCRET",
                    "Décret du 1er janvier 2026 portant nomination de conseillers du commerce extérieur de la France",
                    "FRANCE",
                    "ALLEMAGNE",
                    "Auvergne-Rhône-Alpes",
                    "M. Dupont (Jean), directeur, Exempla SA.",
                    "Mme Martin (Anne).",
                    "Art. 1er. - Sont nommés",
                    "1o",
                    "M m e",
                ]
            ),
        ),
        max_size=20,
    ).map("\n".join)
)
def test_appointments_text(body):
    outputs(parse_decree_text, body, JO_URL)


@HYPO
@given(
    st.one_of(
        st.text(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
            lambda c: (
                st.lists(c, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "results",
                            "total_pages",
                            "page",
                            "siege",
                            "nom_complet",
                            "siren",
                            "latitude",
                            "longitude",
                            "code_postal",
                            "libelle_commune",
                            "activite_principale",
                            "matching_etablissements",
                            "x",
                        ]
                    ),
                    c,
                    max_size=6,
                )
            ),
            max_leaves=20,
        ).map(json.dumps),
    )
)
def test_company_register_json(body):
    for item in data_items(outputs(parse_search, body, API_URL, QUERY)):
        assert item["source_url"]


@HYPO
@given(raw_bytes, st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "utf-16", "x-unknown"]))
def test_every_parser_on_raw_bytes(body, charset):
    headers = {"Content-Type": f"text/html; charset={charset}"}
    for fn, url, kwargs in [
        (poles_listing, POLES_URL, {}),
        (poles_detail, POLES_URL + "/x", {}),
        (committees_listing, CCE_URL, {}),
        (committee_page, CCE_URL + "x/", {"kind": None}),
        (parse_decree, JO_URL, {}),
    ]:
        outputs(fn, HtmlResponse(url=url, body=body, headers=headers, request=Request(url)), **kwargs)
    json_response = TextResponse(
        url=API_URL, body=body, headers={"Content-Type": "application/json"}, request=Request(API_URL)
    )
    outputs(company_response, json_response, QUERY)


# -- issue 11: decompression bombs and oversized files, bounded in time and memory ----------

import gzip as _gzip  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from common.paths import REPO_ROOT  # noqa: E402
from spiders.core.archive import ArchiveError, open_archive  # noqa: E402

BOMB_URL = POLES_URL + "/aquanova"
GIB = 1 << 30
ZEROS_MEMBER_BYTES = 16 << 20  # one gzip member: 16 MiB of zeros, about 16 KB compressed
MAX_RSS_MB = 300  # Python + Scrapy + parsel is about 100 MB; a bomb read whole would be > 1,000


def _zeros_members(total: int) -> bytes:
    """Gzip members of zeros that decompress to ``total`` bytes (a multi-member gzip, as a
    .warc.gz is), built from one compressed member repeated: a few MB, in well under a second."""
    member = _gzip.compress(b"\0" * ZEROS_MEMBER_BYTES, 9)
    n = -(-total // ZEROS_MEMBER_BYTES)
    return member * n


def _warc_head(url: str, body_length: int, encoding: str | None = None) -> bytes:
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + (f"Content-Encoding: {encoding}\r\n".encode() if encoding else b"")
        + b"\r\n"
    )
    warc = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2026-11-01T06:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http) + body_length}\r\n\r\n"
    ).encode()
    return warc + http


def warc_record_bomb(path: Path, expands_to: int = GIB + (100 << 20)) -> Path:
    """A .warc.gz whose one response record declares (and holds) a body of > 1 GiB of zeros."""
    path.write_bytes(_gzip.compress(_warc_head(BOMB_URL, expands_to)) + _zeros_members(expands_to))
    return path


def plain_gzip_bomb(path: Path, expands_to: int = GIB + (100 << 20)) -> Path:
    """Not a WARC at all: > 1 GiB of zeros, gzipped, named .warc.gz (one endless 'line')."""
    path.write_bytes(_zeros_members(expands_to))
    return path


def many_records_bomb(path: Path, records: int = 300, each: int = 4_000_000) -> Path:
    """Records each under the body limit, 1.2 GB in all: the archive limit must stop it."""
    record = _gzip.compress(_warc_head(BOMB_URL, each) + b"\0" * each + b"\r\n\r\n", 9)
    path.write_bytes(record * records)
    return path


def content_encoding_bomb(path: Path, expands_to: int = GIB) -> Path:
    """A small, well-formed WARC record whose body is gzip (Content-Encoding) of > 1 GiB: as a
    live run archives it (bodies are stored as received)."""
    body = _zeros_members(expands_to)
    path.write_bytes(_gzip.compress(_warc_head(BOMB_URL, len(body), "gzip") + body + b"\r\n\r\n", 1))
    return path


# Runs ``python -m MODULE ARGS`` and, on exit, writes the process's peak RSS (VmHWM: the high
# water mark of this program's own memory, reset at exec; getrusage of a child would count the
# forking parent's size too) to the file named by the first argument.
_PEAK_LAUNCHER = """
import atexit, runpy, sys
peak_file, module = sys.argv[1], sys.argv[2]
def _peak():
    with open("/proc/self/status") as fh:
        kb = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv = [module, *sys.argv[3:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""


def run_measured(args: list[str], env: dict | None = None, timeout: float = 120) -> tuple[int, str, float, float]:
    """(exit status, stderr, seconds, peak RSS in MB) of ``python -m MODULE ARGS`` (args[0] == "-m")."""
    import tempfile

    assert args[0] == "-m"
    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", _PEAK_LAUNCHER, str(peak_file), *args[1:]],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
        )
        seconds = time.monotonic() - start
        peak_mb = int(peak_file.read_text()) / 1024
    return proc.returncode, proc.stderr, seconds, peak_mb


def assert_refused(code: int, stderr: str, rss: float, path: Path, words: str) -> None:
    # No time bound here (a speed floor in a unit test only measures the machine's load): the
    # peak RSS shows the bomb was not read whole, and the in-process test below counts the bytes
    # decompressed before the refusal.
    assert code == 2, stderr
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr and len(lines) == 1, stderr
    assert str(path) in lines[0] and words in lines[0], lines[0]
    assert rss < MAX_RSS_MB, f"peak RSS {rss:.0f} MB"


def test_warc_record_bomb_is_refused_by_the_parse_command(tmp_path):
    bomb = warc_record_bomb(tmp_path / "bomb.warc.gz")
    assert bomb.stat().st_size < 5_000_000
    code, err, _, rss = run_measured(["-m", "spiders.parse", "poles", str(bomb), "--url", BOMB_URL])
    assert_refused(code, err, rss, bomb, "larger than the limit of 5,000,000 bytes (max_response_bytes)")
    assert BOMB_URL in err


def test_plain_gzip_bomb_named_warc_is_refused_by_the_crawl(tmp_path):
    bomb = plain_gzip_bomb(tmp_path / "poles.warc.gz")
    out = tmp_path / "run"
    code, err, _, rss = run_measured(["-m", "spiders.crawl", "poles", "--replay", str(bomb), "--out", str(out)])
    assert_refused(code, err, rss, bomb, "without a line break")
    # The run folder says why too: the pipeline's failure message is built from it.
    [issue] = [json.loads(line) for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    assert issue["severity"] == "error" and issue["code"] == "crawl_refused" and str(bomb) in issue["message"]


def test_many_records_stop_at_the_archive_limit(tmp_path):
    bomb = many_records_bomb(tmp_path / "many.warc.gz")
    code, err, _, rss = run_measured(
        ["-m", "spiders.parse", "poles", str(bomb), "--url", BOMB_URL], env={"POLES_CCE_ARCHIVE_MAX_BYTES": "50000000"}
    )
    assert_refused(code, err, rss, bomb, "archive larger than the limit of 50,000,000 bytes decompressed")


def test_content_encoding_bomb_is_refused_by_the_page_check(tmp_path):
    bomb = content_encoding_bomb(tmp_path / "encoded.warc.gz")
    code, err, _, rss = run_measured(["-m", "spiders.parse", "poles", str(bomb), "--url", BOMB_URL])
    assert_refused(code, err, rss, bomb, "decompresses to more than max_response_bytes (5,000,000 bytes)")


def test_oversized_saved_page_and_snapshot_file_are_refused_unread(tmp_path):
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:  # sparse: 3 GB on paper, nothing on disk
        fh.truncate(3 * GIB)
    code, err, _, rss = run_measured(["-m", "spiders.parse", "poles", str(huge), "--url", BOMB_URL])
    assert_refused(code, err, rss, huge, "3,221,225,472 bytes, above poles's max_response_bytes (5,000,000)")

    snapshot = tmp_path / "snapshot"
    (snapshot / "pages").mkdir(parents=True)
    os.replace(huge, snapshot / "pages" / "huge.html")
    (snapshot / "manifest.json").write_text(
        json.dumps(
            {
                "source": "poles",
                "captured_at": "2026-11-01T06:00:00Z",
                "responses": [{"url": BOMB_URL, "status": 200, "headers": {}, "file": "pages/huge.html"}],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ArchiveError, match=r"huge\.html: 3,221,225,472 bytes, above the limit of 5,000,000 bytes"):
        open_archive(snapshot, max_body_bytes=5_000_000)


def test_archive_readers_refuse_in_process_within_bounds(tmp_path, monkeypatch):
    """The reader itself (no subprocess): every bomb refused, naming the file, after decompressing a
    few times the body limit at most (not the 1.1 GB it expands to), without growing the memory."""
    import resource

    from spiders.core.archive import _BoundedGunzip

    decompressed = []  # sizes of the chunks the reader inflated
    more = _BoundedGunzip._more

    def counted(self):
        chunk = more(self)
        decompressed.append(len(chunk))
        return chunk

    monkeypatch.setattr(_BoundedGunzip, "_more", counted)
    for make in (warc_record_bomb, plain_gzip_bomb):
        bomb = make(tmp_path / f"{make.__name__}.warc.gz")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        decompressed.clear()
        with pytest.raises(ArchiveError, match=re.escape(str(bomb))):
            open_archive(bomb, max_body_bytes=5_000_000)
        assert 0 < sum(decompressed) <= 3 * 5_000_000, f"{make.__name__}: {sum(decompressed):,} bytes decompressed"
        grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert grown_mb < 100, f"{make.__name__}: peak RSS grew {grown_mb:.0f} MB"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "flipped"])
def test_corrupt_warc_is_one_line_naming_the_file(tmp_path, damage):
    good = _gzip.compress(_warc_head(BOMB_URL, 20) + b"<html></html>       \r\n\r\n")
    bad = {
        "truncated": good[: len(good) // 2],
        "garbage": b"not a warc at all\n" * 10,
        "flipped": good[:20] + bytes(b ^ 0xFF for b in good[20:40]) + good[40:],
    }[damage]
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bad)
    with pytest.raises(ArchiveError, match=re.escape(str(path))):
        open_archive(path)


def test_make_parse_passes_paths_without_a_shell(tmp_path):
    """A page path holding a quote works; a crafted one runs nothing (issue 11, observation 8)."""
    page = tmp_path / "it's a page.html"
    page.write_bytes((REPO_ROOT / "data" / "snapshots" / "poles" / "pages" / "poles" / "aquanova.html").read_bytes())
    make = ["make", "-s", "--no-print-directory", "-o", ".venv/.installed", "parse", "SOURCE=poles", f"URL={BOMB_URL}"]
    env = {**os.environ, "PYTHON": sys.executable}
    ok = subprocess.run([*make, f"PAGE={page}"], cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert ok.returncode == 0, ok.stderr
    [item] = [r for r in map(json.loads, ok.stdout.splitlines()) if r["type"] == "item"]
    assert item["name"].startswith("Aquanova")

    witness = tmp_path / "pwned"
    for crafted in (
        f"x'; touch {witness}; '",
        f"$(shell touch {witness})",
        f"x`touch {witness}`",
        f'x"; touch {witness}; "',
    ):
        proc = subprocess.run(
            [*make, f"PAGE={crafted}"], cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode != 0 and "no such file" in proc.stderr, proc.stderr
        assert not witness.exists(), crafted


# -- issue 11: generated redirect chains and gzip streams -------------------------------------

from scrapy.http import Request as _Request  # noqa: E402

from spiders.core import middlewares as _mw  # noqa: E402
from spiders.core.archive import _BoundedGunzip, _Limits  # noqa: E402

SITE_URLS = [POLES_URL, POLES_URL + "?page=2", POLES_URL + "/a", POLES_URL + "/b", POLES_URL + "/a?x=1"]
redirect_chain = st.lists(st.sampled_from(SITE_URLS), min_size=0, max_size=6)


class _FakeCrawler:
    class signals:
        @staticmethod
        def connect(*args, **kwargs):
            pass

    class stats:
        @staticmethod
        def inc_value(*args, **kwargs):
            pass

    def __init__(self, spider):
        self.spider = spider


class _FakeSpider:
    source_name = "poles"
    name = "poles"


@HYPO
@given(redirect_chain, st.sampled_from(SITE_URLS))
def test_every_request_the_duplicate_filter_drops_is_reported(chain, target):
    """Whatever chain of redirects ends in a URL already requested, the page it started from
    is closed in the ledger by exactly one issue naming that first URL: an error when the page
    is lost (a redirect), a warning for a second link to a page requested already."""
    spider = _FakeSpider()
    spider.ledger = _mw.PageLedger()
    page = spider.ledger.new(chain[0] if chain else target)
    reported = []
    accounting = _mw.PageAccounting(_FakeCrawler(spider))
    original = _mw.report_issue
    _mw.report_issue = lambda crawler, issue, request=None: (
        reported.append(issue),
        spider.ledger.close(request, "reported"),
    )
    try:
        request = _Request(target, meta={_mw.PAGE_ID: page, **({"redirect_urls": chain} if chain else {})})
        accounting.request_dropped(request)
        accounting.request_dropped(request)  # a second drop of a closed page says nothing more
    finally:
        _mw.report_issue = original
    assert len(reported) == 1 and spider.ledger.unaccounted() == []
    issue = reported[0]
    assert issue.url == (chain[0] if chain else target)
    if chain:
        assert issue.severity == "error" and issue.context["cause"] == (
            "redirect_loop" if target in chain else "redirect_duplicate"
        )
        assert target in issue.message or "itself" in issue.message
    else:
        assert issue.severity == "warning" and issue.code == "duplicate_request"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=3000), min_size=1, max_size=6), st.integers(1, 20_000), st.integers(1, 8))
def test_bounded_gunzip_reads_any_member_split_exactly(members, limit, level):
    """Any multi-member gzip reads back byte for byte; past the limit it stops, naming the file."""
    import io as _io
    import tempfile

    data = b"".join(members)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.warc.gz"
        path.write_bytes(b"".join(_gzip.compress(m, level) for m in members))
        stream = _io.BufferedReader(_BoundedGunzip(path, _Limits(body=limit, total=limit), max_line=1 << 30), 997)
        try:
            if len(data) <= limit:
                assert stream.read() == data
            else:
                with pytest.raises(ArchiveError, match=re.escape(str(path))):
                    stream.read()
        finally:
            stream.close()
