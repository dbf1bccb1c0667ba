"""The pole_sites crawl of the bundled sample, replayed in its own process, and each failure case.

Statuses expected per pôle are the layouts the sample was built with (its README), by hand.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlparse

import pytest
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from common.issues import Issue
from common.paths import SNAPSHOTS_DIR
from spiders.pole_sites.spider import PoleSitesSpider
from tests.helpers import replay_crawl

NO_WEBSITE = {"aquanova", "astech", "enter", "infra2050"}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    run = replay_crawl("pole_sites", tmp_path_factory.mktemp("pole_sites") / "run")
    items = run["items"]
    return {
        "sites": {i["cluster_id"]: i for i in items if i["kind"] == "site"},
        "seats": [i for i in items if i["kind"] == "seat"],
        "issues": run["issues"],
        "stats": run["stats"],
        "stderr": run["stderr"],
    }


def issues_of(crawl, cluster_id, code):
    return [i for i in crawl["issues"] if i["code"] == code and i["context"].get("cluster_id") == cluster_id]


def test_one_site_item_per_pole_and_no_error(crawl):
    assert len(crawl["sites"]) == 57
    assert not [i for i in crawl["issues"] if i["severity"] == "error"]
    assert crawl["stats"]["finish_reason"] == "finished"
    assert {c for c, s in crawl["sites"].items() if s["status"] == "not_crawled"} == NO_WEBSITE


def test_governance_found_for_most_of_the_sample(crawl):
    found = {c for c, s in crawl["sites"].items() if s["status"] == "found"}
    assert len(found) == 48  # 53 sites, 5 built to fail
    assert crawl["sites"]["i-r"]["governance_url"] == "https://www.images-et-reseaux.com/gouvernance/"
    assert crawl["sites"]["cap-digital"]["governance_url"].endswith("/composition-ca.pdf")
    assert crawl["sites"]["capenergies"]["has_international_contact"] is True


def test_two_clicks_deep_and_sitemap_discovery(crawl):
    assert (
        crawl["sites"]["pmm"]["governance_url"]
        == "http://polemermediterranee.com/qui-sommes-nous/conseil-d-administration"
    )
    assert (
        crawl["sites"]["atlanpole-bio"]["governance_url"]
        == "http://atlanpolebiotherapies.com/l-association/gouvernance/"
    )


def test_every_seat_has_evidence_on_its_own_site(crawl):
    hosts = {
        c: urlparse(s["site_url"]).hostname.removeprefix("www.") for c, s in crawl["sites"].items() if s["site_url"]
    }
    for seat in crawl["seats"]:
        assert seat["evidence_text"] and seat["evidence_url"] == seat["source_url"]
        assert urlparse(seat["evidence_url"]).hostname.removeprefix("www.") == hosts[seat["cluster_id"]]
        assert "@" not in seat["evidence_text"]


def test_image_only_board_is_reported(crawl):
    site = crawl["sites"]["s2e2"]
    assert (site["status"], site["governance_url"]) == ("not_found", "https://www.s2e2.fr/gouvernance/")
    assert issues_of(crawl, "s2e2", "governance_unreadable")


def test_governance_link_that_404s(crawl):
    assert crawl["sites"]["euramaterials"]["status"] == "not_found"
    [failed] = issues_of(crawl, "euramaterials", "fetch_failed")
    assert (failed["url"], failed["context"]["cause"], failed["severity"]) == (
        "http://euramaterials.eu/gouvernance/",
        "http_4xx",
        "warning",
    )


def test_robots_txt_disallowing_the_team_page(crawl):
    assert crawl["sites"]["techtera"]["status"] == "not_found"
    [failed] = issues_of(crawl, "techtera", "fetch_failed")
    assert (failed["url"], failed["context"]["cause"]) == ("http://techtera.org/equipe/", "robots")


def test_redirect_to_another_domain(crawl):
    assert crawl["sites"]["pec"]["status"] == "site_unreachable"
    [failed] = issues_of(crawl, "pec", "fetch_failed")
    assert failed["context"]["cause"] == "offsite_redirect" and "nouveau-site-du-pole.example" in failed["message"]
    assert issues_of(crawl, "pec", "site_unreachable")


def test_site_that_is_gone(crawl):
    assert crawl["sites"]["fibres-energivie"]["status"] == "site_unreachable"
    assert issues_of(crawl, "fibres-energivie", "site_unreachable")[0]["context"]["cause"] == "http_4xx"


def test_planted_advisor_seats_are_read(crawl):
    got = {(s["cluster_id"], s["person_name"]): s for s in crawl["seats"]}
    assert got[("minalogic", "R. Chabert")]["organisation"] == "Chabert Mécanique"
    assert got[("capenergies", "Béatrice Masson")]["role_kind"] == "international"
    assert ("systematic", "Guillaume Charpentier") not in got  # footer only


# --- failures that replay cannot produce: the errback on its own --------------------------


def spider_with(tmp_path, sites: list[dict]) -> tuple[PoleSitesSpider, list]:
    path = tmp_path / "sites.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sites), encoding="utf-8")
    spider = PoleSitesSpider.from_crawler(get_crawler(PoleSitesSpider), sites=str(path))

    async def collect():
        return [r async for r in spider.start()]

    return spider, asyncio.run(collect())


@pytest.mark.parametrize("exc, cause", [(DNSLookupError("no such host"), "dns"), (TxTimeoutError("slow"), "timeout")])
def test_unreachable_site_ends_as_a_site_item_not_a_failed_run(tmp_path, exc, cause):
    spider, requests = spider_with(
        tmp_path,
        [
            {"cluster_id": "a", "website": "https://pole-a.example"},
            {"cluster_id": "b", "website": "https://pole-b.example"},
        ],
    )
    failure = Failure(exc)
    failure.request = requests[0]
    out = list(spider.fetch_failed(failure))  # no CloseSpider: the other site goes on
    [item] = [o for o in out if isinstance(o, dict)]
    assert (item["cluster_id"], item["status"], item["pages_crawled"]) == ("a", "site_unreachable", 0)
    codes = {(o.code, o.severity, o.context.get("cause")) for o in out if isinstance(o, Issue)}
    assert ("fetch_failed", "warning", cause) in codes
    assert spider.sites["b"].pending == 1 and not spider.sites["b"].done


def test_bad_sites_file_names_the_line(tmp_path):
    path = tmp_path / "sites.jsonl"
    path.write_text('{"cluster_id": "a", "website": null}\n{"website": "https://x.example"}\n', encoding="utf-8")
    spider = PoleSitesSpider.from_crawler(get_crawler(PoleSitesSpider), sites=str(path))

    async def collect():
        return [r async for r in spider.start()]

    with pytest.raises(ValueError, match=r"sites.jsonl:2: field 'cluster_id' missing"):
        asyncio.run(collect())


def test_bundled_sites_match_the_pole_directory():
    lines = (SNAPSHOTS_DIR / "pole_sites" / "sites.jsonl").read_text(encoding="utf-8").splitlines()
    sites = {json.loads(line)["cluster_id"]: json.loads(line)["website"] for line in lines}
    assert len(sites) == 57 and {c for c, w in sites.items() if not w} == NO_WEBSITE
    assert sites["av"] == "https://www.aerospace-valley.com"


def test_live_settings_are_per_domain_and_across_sites():
    from scrapy.settings import Settings

    from common.sources import load_source

    limits = load_source("pole_sites").site_crawl
    live = Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOADER_MIDDLEWARES": {"x.Y": 1}})
    PoleSitesSpider.update_settings(live)
    assert live.getint("CONCURRENT_REQUESTS") == limits.concurrent_sites == 8
    assert live.get("SCHEDULER_PRIORITY_QUEUE") == "scrapy.pqueues.DownloaderAwarePriorityQueue"
    assert live.getdict("DOWNLOADER_MIDDLEWARES") == {"x.Y": 1, "spiders.pole_sites.middlewares.SiteRedirectGuard": 651}
    replay = Settings({"REPLAY_ARCHIVE": "x", "CONCURRENT_REQUESTS": 16})
    PoleSitesSpider.update_settings(replay)
    assert replay.getint("CONCURRENT_REQUESTS") == 16 and not replay.getdict("DOWNLOAD_SLOTS")
