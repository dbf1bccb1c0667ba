"""The landing page in a real headless Chromium (Debian's, see scripts/install_test_browser.sh).

Driven over the DevTools protocol with a tiny client: console errors, uncaught
exceptions and CSP violations (anything the page tried to fetch) are collected,
the DOM is queried, and a screenshot lands in build/test-output/landing.png.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from common.paths import REPO_ROOT
from common.sources import all_sources
from pipelines.publish import write_release
from pipelines.publish.sample import sample_checks, sample_crawls, sample_issues, sample_tables

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT_DIR = REPO_ROOT / "build" / "test-output"


@pytest.fixture(autouse=True)
def _chromium_installed():
    # A missing browser is a failed setup, not a reason to skip: `make test` installs it.
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium missing: run `make test-deps` (scripts/install_test_browser.sh)")


class Browser:
    """Headless Chromium with one page, spoken to over its DevTools websocket."""

    def __init__(self, profile: Path, timeout: float = 60):
        from websockets.sync.client import connect

        self.timeout = timeout
        self.proc = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
                "--window-size=1280,2000",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited early: {self.proc.stderr.read().decode(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        self._connection = connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=timeout)
        self.ws = self._connection.__enter__()
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1280,
            height=2000,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method: str, session: bool = False, **params) -> dict:
        msg_id = next(self.ids)
        msg = {"id": msg_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv(timeout=self.timeout))
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str) -> dict:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for ev in self.events:
                if ev["method"] == method:
                    return ev
            self.events.append(json.loads(self.ws.recv(timeout=self.timeout)))
        raise TimeoutError(method)

    def load(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # let it paint

    def evaluate(self, expression: str):
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        errors = []
        for ev in self.events:
            p = ev.get("params", {})
            if ev["method"] == "Runtime.exceptionThrown":
                errors.append(
                    p["exceptionDetails"].get("exception", {}).get("description") or p["exceptionDetails"].get("text")
                )
            elif ev["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
            elif ev["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
                errors.append(p["entry"]["text"])
        return errors

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self._connection.__exit__(None, None, None)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def _release(tmp_path: Path, tables: dict) -> Path:
    return write_release(
        tables,
        releases_dir=tmp_path / "releases",
        run_date=dt.date(2026, 11, 2),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
    )


def test_console_capture_sees_errors(browser, tmp_path):
    """The harness itself: a throwing script and a blocked external load are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'\">"
        '<img src="https://tiles.example.invalid/x.png"><script>throw new Error("boom")</script>',
        encoding="utf-8",
    )
    browser.load(bad.as_uri())
    errors = browser.console_errors()
    assert any("boom" in e for e in errors), errors
    assert any("Content Security Policy" in e for e in errors), errors


def test_landing_page_renders_without_errors(browser, tmp_path):
    release = _release(tmp_path, sample_tables())
    browser.load((release / "index.html").as_uri())
    assert browser.console_errors() == []

    assert browser.evaluate("document.querySelectorAll('#france-map g.region').length") == 18
    assert browser.evaluate("document.querySelector('#region-24').classList.contains('gap')") is True
    assert browser.evaluate("document.querySelector('#region-76').classList.contains('gap')") is False
    assert "2 pôles" in browser.evaluate("document.querySelector('#region-76').textContent")
    assert "1 pôle, 1 comité CCE" in browser.evaluate("document.querySelector('#region-53').textContent")  # singulars
    legend = browser.evaluate(
        "[...document.querySelectorAll('#map-legend dt')].map(d => d.textContent + '=' + d.nextElementSibling.textContent)"
    )
    assert "OCC=Occitanie" in legend and "REU=La Réunion" in legend and len(legend) == 18
    assert "Natural Earth" in browser.evaluate("document.querySelector('#map-legend .credit').textContent")
    # rendered, not just present: the map and the chart have a size on screen
    assert browser.evaluate("document.querySelector('#france-map').getBoundingClientRect().width") > 300
    # pôles placed from their coordinates: Brest (PMBA) west of Chartres (Cosmetic Valley), Toulouse south of Paris
    dots = browser.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#france-map circle.pole')].map(c => [c.dataset.cluster, [+c.getAttribute('cx'), +c.getAttribute('cy')]]))"
    )
    assert len(dots) == 5
    assert dots["pole-mer-bretagne-atlantique"][0] < dots["cosmetic-valley"][0]
    assert dots["aerospace-valley"][1] > dots["systematic-paris-region"][1]
    # each dot lies inside its région's outline on screen
    inside = browser.evaluate("""[...document.querySelectorAll('#france-map circle.pole')].map(c => {
        const r = c.getBoundingClientRect(); const el = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)
            .find(e => e.closest && e.closest('g.region'));
        return el ? el.closest('g.region').dataset.region : null; })""")
    assert sorted(inside) == ["11", "24", "53", "76", "76"]
    assert browser.evaluate("document.querySelectorAll('#advisors-chart g.bar').length") == 4
    rows = browser.evaluate(
        "[...document.querySelectorAll('#tables tbody tr')].map(r => r.cells[0].textContent + '=' + r.cells[2].textContent)"
    )
    assert rows == [
        "clusters=5",
        "cce_committees=5",
        "advisors=6",
        "cluster_committee_coverage=5",
        "cluster_advisor_candidates=4",
        "region_summary=5",
        "cluster_governance=2",
        "cluster_members=3",
        "cluster_cce_ties=2",
    ]
    assert browser.evaluate("document.querySelector('#headline').textContent") == (
        "1 of 5 pôles have a CCE in their governance, 0 have none, 4 unknown."
    )
    assert browser.evaluate("[...document.querySelectorAll('#headline-poles a')].map(a => a.textContent)") == [
        "Noé Robert"
    ]
    # the member_company tie is said apart, never as a governance seat
    assert browser.evaluate("document.querySelector('#member-companies').textContent") == (
        "1 pôle counts a CCE advisor's company among its members (1 member_company tie, by SIREN)."
    )
    assert browser.evaluate(
        "[...document.querySelectorAll('#member-company-ties a')].map(a => a.getAttribute('href'))"
    ) == ["https://example.invalid/pole-mer-bretagne-atlantique/adherents"]
    links = browser.evaluate("[...document.querySelectorAll('#tables a')].map(a => a.getAttribute('href'))")
    assert "clusters.parquet" in links and "clusters.csv" in links
    assert all((release / link).exists() for link in links)
    sentences = browser.evaluate("[...document.querySelectorAll('#checks li')].map(li => li.textContent)")
    assert len(sentences) == len(sample_checks())
    assert "Passed: cluster_id is unique (table clusters)." in sentences
    assert (
        "Failed: SIREN found for at least 90% of pôles (table clusters; a warning: it does not block the release)."
        in sentences
    )
    assert "{" not in " ".join(sentences)  # sentences, not dicts
    assert browser.evaluate("document.querySelectorAll('#schemas details').length") == 9
    assert (
        browser.evaluate("document.querySelectorAll('#changes-summary tbody tr').length") == 9
    )  # first release: all added
    # nothing outside the file: no script, no external reference
    assert browser.evaluate("document.scripts.length") == 0
    assert browser.evaluate("[...document.querySelectorAll('[src]')].length") == 0

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    shot = OUTPUT_DIR / "landing.png"
    browser.screenshot(shot)
    assert shot.stat().st_size > 10_000
    shutil.copy(release / "index.html", OUTPUT_DIR / "landing.html")


def test_landing_page_with_clusters_only(browser, tmp_path):
    release = _release(tmp_path, {"clusters": sample_tables()["clusters"]})
    browser.load((release / "index.html").as_uri())
    assert browser.console_errors() == []
    assert browser.evaluate("document.querySelectorAll('#france-map g.region').length") == 18
    assert (
        browser.evaluate("document.querySelectorAll('#france-map g.gap').length") == 0
    )  # coverage unknown, not "none"
    assert "unknown" in browser.evaluate("document.querySelector('#regions').textContent")
    assert "2 pôles" in browser.evaluate("document.querySelector('#region-76').textContent")
    assert browser.evaluate("document.querySelector('#advisors-chart').tagName") == "P"
    assert browser.evaluate("document.querySelectorAll('#tables tbody tr').length") == 1
    browser.screenshot(tmp_path / "clusters-only.png")


def _full_page(browser, width: int, path: Path) -> dict:
    """Lay the page out at ``width`` CSS px, then screenshot it whole; returns the measured widths."""
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        session=True,
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=width < 600,
    )
    browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    sizes = browser.evaluate(
        "({inner: window.innerWidth, scroll: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,"
        " widest: Math.max(...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))})"
    )
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        session=True,
        width=width,
        height=min(int(sizes["height"]), 12000),
        deviceScaleFactor=1,
        mobile=width < 600,
    )
    browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    browser.screenshot(path)
    browser.call(
        "Emulation.setDeviceMetricsOverride", session=True, width=1280, height=2000, deviceScaleFactor=1, mobile=False
    )
    return sizes


@pytest.mark.parametrize("width", [1400, 390])
def test_landing_page_fits_desktop_and_phone(browser, tmp_path, width):
    """No horizontal scroll at 1400 px or on a 390 px phone; tables reflow into cards on the phone.
    Screenshots: build/test-output/landing-<width>.png (committed copies in docs/screenshots/)."""
    release = _release(tmp_path, sample_tables())
    browser.load((release / "index.html").as_uri())
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    sizes = _full_page(browser, width, OUTPUT_DIR / f"landing-{width}.png")
    assert browser.console_errors() == []
    assert sizes["inner"] == width
    assert sizes["scroll"] <= width, sizes  # nothing wider than the screen
    assert sizes["widest"] <= width + 0.5, sizes
    if width == 390:
        browser.call(
            "Emulation.setDeviceMetricsOverride", session=True, width=390, height=900, deviceScaleFactor=1, mobile=True
        )
        display = browser.evaluate("getComputedStyle(document.querySelector('#tables td')).display")
        label = browser.evaluate("getComputedStyle(document.querySelector('#tables td'), '::before').content")
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1280,
            height=2000,
            deviceScaleFactor=1,
            mobile=False,
        )
        assert display == "block" and label == '"table: "'
    assert (OUTPUT_DIR / f"landing-{width}.png").stat().st_size > 20_000


def test_sample_notice_is_the_first_thing_on_the_page(browser, tmp_path):
    release = _release(tmp_path, sample_tables())
    browser.load((release / "index.html").as_uri())
    first = browser.evaluate("document.body.firstElementChild.id")
    assert first == "sample-notice"
    assert "invented" in browser.evaluate("document.querySelector('#sample-notice').textContent")
    assert browser.evaluate("document.querySelector('#sample-notice').getBoundingClientRect().top") == 0


def test_headline_slot_renders_the_answer_when_given(tmp_path):
    from pipelines.publish import write_release as write

    release = write(
        sample_tables(),
        releases_dir=tmp_path / "r",
        run_date=dt.date(2026, 11, 2),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
        headline={"text": "3 of 5 <pôles> have a CCE advisor in their governance", "detail": "test input"},
    )
    html = (release / "index.html").read_text(encoding="utf-8")
    assert (
        '<p class="headline" id="headline">3 of 5 &lt;pôles&gt; have a CCE advisor in their governance</p>' in html
    )  # escaped
    assert html.index('id="headline"') < html.index('id="downloads"')
    # a release without the ties (no governance crawl): the answer is said to be pending
    no_ties = {k: v for k, v in sample_tables().items() if k not in ("cluster_governance", "cluster_cce_ties")}
    bare = _release(tmp_path / "bare", no_ties)
    assert 'id="headline-pending"' in (bare / "index.html").read_text(encoding="utf-8")


def test_check_descriptions_holding_a_dict_read_as_words():
    from pipelines.publish.landing import check_sentence

    check = {
        "table": "raw_poles",
        "passed": False,
        "severity": "ERROR",
        "description": "assertions: at least 50 items, fill rates {'website': 0.9, 'region': 1.0}, at most 0 error(s)",
    }
    assert check_sentence(check) == (
        "assertions: at least 50 items, fill rates website 90%, region 100%, at most 0 error(s) "
        "(table raw_poles; this blocks a release)."
    )


def test_no_markup_from_data_gets_through(tmp_path):
    """Autoescape: a pôle named with markup shows as text, in the map's tooltips and the tables alike."""
    tables = sample_tables()
    tables["clusters"].loc[0, "name"] = '<script>alert("x")</script>'
    release = _release(tmp_path, tables)
    html = (release / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_schemas_state_each_tables_primary_key(tmp_path):
    # a dict's "keys" read as an attribute in Jinja is the dict's method, printed as "<built-in method …>"
    html = (_release(tmp_path / "r", sample_tables()) / "index.html").read_text(encoding="utf-8")
    assert "built-in method" not in html
    assert "Primary key: cluster_id" in html
