"""One routing table per source: the crawl and the page check (``python -m spiders.parse``) read
every saved page with the same route.

The crawl's side is observed, not recomputed: each source's snapshot is crawled (in its own
process) with DEBUG logging, and the spider's ``route <kind>: <url>`` lines say which route read
each page. The page check's side is the kind its summary line names. Every source of the
registry is covered, so a new source is checked as soon as it has a snapshot.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT
from common.sources import all_sources, load_source
from spiders.core.archive import url_key
from spiders.core.runner import load_spider_class
from spiders.parse import main
from tests.helpers import file_response

FILES = Path(__file__).parent / "files"
POLES = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
CNCCEF = "https://www.cnccef.org"


def page_check_kind(source: str, page, *args: str) -> str:
    """The route the page check read ``page`` with (its summary line: ``[source] kind url: …``)."""
    out, err = io.StringIO(), io.StringIO()
    code = main([source, str(page), *args], out, err)
    assert code in (0, 1), err.getvalue()  # 1: the page lacks a field; the route was still chosen
    found = re.search(rf"^\[{source}\] (\S+) ", err.getvalue(), re.M)
    assert found, err.getvalue()
    return found.group(1)


# --- the snapshots: every page the crawl read -------------------------------------------------

_crawls: dict[str, dict[str, str]] = {}


def crawl_routes(source: str, tmp_path_factory) -> dict[str, str]:
    """url_key -> the kind of the route the spider read it with, in a replay of the snapshot."""
    if source not in _crawls:
        out = tmp_path_factory.mktemp(f"crawl_{source}")
        proc = subprocess.run(
            [sys.executable, "-m", "spiders.crawl", source, "--out", str(out), "-s", "LOG_LEVEL=DEBUG"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        log = (out / "crawl.log").read_text(encoding="utf-8")
        _crawls[source] = {url_key(url): kind for kind, url in re.findall(r"DEBUG: route (\S+): (\S+)$", log, re.M)}
    return _crawls[source]


# Snapshot pages the crawl must not read, and why (written by hand).
NOT_CRAWLED = {
    "http://techtera.org/equipe/": "its robots.txt disallows /equipe/",  # pole_sites
    "http://techtera.org/annuaire/": "its robots.txt disallows /annuaire/",  # pole_members
}


def snapshot_pages() -> list:
    params = []
    for source in all_sources():
        manifest = json.loads((source.snapshot_path / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["responses"]:
            if entry["status"] == 200 and not entry["url"].endswith("/robots.txt"):
                params.append(pytest.param(source.name, entry["url"], id=f"{source.name}:{entry['file']}"))
    return params


@pytest.mark.parametrize("source, url", snapshot_pages())
def test_page_check_reads_a_snapshot_page_with_the_route_the_crawl_used(source, url, tmp_path_factory):
    routed = crawl_routes(source, tmp_path_factory)
    if url in NOT_CRAWLED:
        assert url_key(url) not in routed, f"the {source} crawl read {url}, though {NOT_CRAWLED[url]}"
        return
    assert url_key(url) in routed, f"the {source} crawl never read {url}"
    assert page_check_kind(source, url) == routed[url_key(url)]


def test_the_crawl_counts_its_routes(tmp_path_factory):
    # The directory's sample: 5 listing pages, 57 pôles (tests/test_poles_crawl.py).
    kinds = list(crawl_routes("poles", tmp_path_factory).values())
    assert (kinds.count("listing"), kinds.count("detail")) == (5, 57)


# --- saved pages (tests/files): the URL each would have, and its kind, written by hand ----------

SAVED_PAGES = {
    "poles": {
        "region_not_one.html": "detail",
        "drupal_fields_microdata.html": "detail",
        "missing_themes.html": "detail",
        "issue14_jsonld_only.html": "detail",
        "issue14_dsfr_card_icons.html": "detail",
        "detail_no_region.html": "detail",
        "accordion_icon_headings.html": "detail",
        "issue14_dsfr_table.html": "detail",
    },
    "cce_committees": {
        "personal_contact.html": ("/les-cce-dans-le-monde/portugal/", "section"),
        "unseen_section_table.html": ("/les-cce-dans-le-monde/perou/", "section"),
        "unseen_list_strong.html": ("/les-cce-en-france/exemple-ouest/", "committee"),
        "unseen_elementor_committee.html": ("/les-cce-en-france/exemple-alpes/", "committee"),
        "missing_territory.html": ("/les-cce-en-france/somewhere/", "committee"),
    },
    "pole_sites": {
        **dict.fromkeys(
            [
                "variants/one_paragraph.html",
                "variants/table_college.html",
                "variants/english_cards.html",
                "variants/headless_table.html",
                "variants/elementor.html",
                "variants/jsonld_graph.html",
                "variants/mixed_news.html",
                "variants/caps_lines.html",
                "holdout/table_reordered.html",
                "holdout/wix_nested.html",
                "holdout/ul_team.html",
                "holdout/squarespace.html",
            ],
            "governance",
        )
    },
    # Any HTML page of a pôle's site is a directory page (a JSON answer is told by its content).
    "pole_members": dict.fromkeys(
        ["static_list.html", "paginated_page2.html", "search_results.html", "json_page.html"], "directory"
    ),
}


def saved_page_url(source: str, name: str, expected) -> tuple[str, str]:
    if source == "poles":
        return f"{POLES}/{Path(name).stem.replace('_', '-')}", expected
    if source == "cce_committees":
        return CNCCEF + expected[0], expected[1]
    return f"https://pole.example/{Path(name).stem.replace('_', '-')}", expected


def saved_pages() -> list:
    return [
        pytest.param(source, name, *saved_page_url(source, name, expected), id=f"{source}:{name}")
        for source, pages in SAVED_PAGES.items()
        for name, expected in pages.items()
    ]


def test_every_saved_page_has_a_hand_written_kind():
    on_disk = {
        (folder.name, path.relative_to(folder).as_posix())
        for folder in FILES.iterdir()
        if folder.is_dir()
        for path in folder.rglob("*.html")
    }
    listed = {(source, name) for source, pages in SAVED_PAGES.items() for name in pages}
    assert on_disk == listed


@pytest.mark.parametrize("source, name, url, kind", saved_pages())
def test_spider_and_page_check_read_a_saved_page_with_the_same_route(source, name, url, kind):
    path = FILES / source / name
    spider = load_spider_class(load_source(source))()
    # A page no link named (a start URL, Scrapy's default callback): routed by URL, then content.
    assert spider.route(file_response(path, url)).kind == kind
    assert page_check_kind(source, path, "--url", url) == kind
    # Without its URL the page check tells the kind from the content: the sniffers agree.
    assert page_check_kind(source, path) == kind


def test_a_link_names_the_route_that_reads_its_page():
    spider = load_spider_class(load_source("cce_committees"))()
    page = file_response(
        FILES / "cce_committees" / "unseen_section_table.html", f"{CNCCEF}/les-cce-dans-le-monde/perou/"
    )
    # The listing said "committee": the crawl reads it as a committee whatever its URL says.
    assert spider.route(page, "committee").kind == "committee"
    assert spider.route(page).kind == "section"
