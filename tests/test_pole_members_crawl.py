"""The pole_members crawl of the bundled sample, replayed in its own process, and the spider's
hostile cases (a pagination loop, a JSON endpoint answering HTML) on pages made here.

Expected forms and member counts per pôle are the sample's README table, by hand; the planted
members are ``data/snapshots/pole_members/planted.csv``, written by hand from that README.
"""

from __future__ import annotations

import asyncio
import csv
import json
import subprocess
import sys

import pytest
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from common.issues import Issue
from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from common.personal_data import find
from spiders.pole_members.spider import PoleMembersSpider
from tests.helpers import replay_crawl

# pôle -> (form, distinct members), from the sample's README
EXPECTED = {
    "aquimer": ("static_list", 18),
    "valorial": ("static_list", 18),
    "capenergies": ("static_list", 18),
    "axelera": ("static_list", 18),
    "av": ("paginated", 26),
    "alpha-rlh": ("paginated", 24),
    "minalogic": ("paginated", 24),
    "id4car": ("paginated", 22),
    "pmba": ("search_form", 16),
    "systematic": ("search_form", 22),
    "vitagora": ("search_form", 20),
    "cap-digital": ("json_endpoint", 24),
    "safe": ("json_endpoint", 22),
    "team2": ("json_endpoint", 18),
}
NO_WEBSITE = {"aquanova", "astech", "enter", "infra2050"}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    run = replay_crawl("pole_members", tmp_path_factory.mktemp("pole_members") / "run")
    items = run["items"]
    return {
        "items": items,
        "sites": {i["cluster_id"]: i for i in items if i["kind"] == "site"},
        "members": [i for i in items if i["kind"] == "member"],
        "issues": run["issues"],
        "stats": run["stats"],
    }


def test_fourteen_directories_in_four_forms(crawl):
    found = {cid: s for cid, s in crawl["sites"].items() if s["status"] == "found"}
    assert {cid: s["directory_forms"] for cid, s in found.items()} == {c: [f] for c, (f, _) in EXPECTED.items()}
    assert {m["directory_form"] for m in crawl["members"]} == {
        "static_list",
        "paginated",
        "search_form",
        "json_endpoint",
    }
    assert len(crawl["sites"]) == 57
    assert {c for c, s in crawl["sites"].items() if s["status"] == "not_crawled"} == NO_WEBSITE
    assert {c for c, s in crawl["sites"].items() if s["status"] == "not_found"} >= {"s2e2", "techtera", "pec"}


def test_every_member_of_every_directory_is_read(crawl):
    by_pole: dict[str, set] = {}
    for m in crawl["members"]:
        by_pole.setdefault(m["cluster_id"], set()).add(m["organisation"].casefold())
    assert {c: len(names) for c, names in by_pole.items()} == {c: n for c, (_, n) in EXPECTED.items()}
    assert sum(len(names) for names in by_pole.values()) == 290 >= 250
    assert len(crawl["members"]) == 292  # valorial and minalogic each print one member twice


def test_no_page_unaccounted_and_no_error(crawl):
    stats = crawl["stats"]
    assert stats["accounting/unaccounted"] == 0 and stats["accounting/balanced"] is True
    assert stats["finish_reason"] == "finished"
    assert not [i for i in crawl["issues"] if i["severity"] == "error"]
    # the sample has every page it links; techtera's robots.txt forbids its directory
    assert [(i["url"], i["context"]["cause"]) for i in crawl["issues"] if i["code"] == "fetch_failed"] == [
        ("http://techtera.org/annuaire/", "robots")
    ]
    assert stats["accounting/reported"] == 1


def test_search_forms_submitted_empty_then_by_letter(crawl):
    # pmba lists everyone on the empty submission; systematic and vitagora ask for a letter (26 more pages)
    pages = {c: crawl["sites"][c]["pages_crawled"] for c in ("pmba", "systematic", "vitagora")}
    assert pages == {"pmba": 4, "systematic": 30, "vitagora": 30}  # home, le pôle, form, empty (+ 26 letters)
    urls = {m["evidence_url"] for m in crawl["members"] if m["cluster_id"] == "vitagora"}
    assert "https://www.vitagora.com/annuaire/resultats?nom=B" in urls


def test_json_endpoints_from_attribute_inline_script_and_yaml_hint(crawl):
    urls = {m["cluster_id"]: set() for m in crawl["members"]}
    for m in crawl["members"]:
        urls[m["cluster_id"]].add(m["evidence_url"])
    assert urls["cap-digital"] == {"https://www.capdigital.com/api/adherents.json"}
    assert urls["safe"] == {
        "https://www.safecluster.com/wp-json/safe/v1/members?page=1",
        "https://www.safecluster.com/wp-json/safe/v1/members?page=2",
    }
    assert urls["team2"] == {"https://www.team2.fr/data/membres.json"}


def test_pagination_followed_and_its_loop_ended(crawl):
    urls = {m["evidence_url"] for m in crawl["members"] if m["cluster_id"] == "minalogic"}
    assert urls == {f"https://www.minalogic.com/annuaire/?p={k}" for k in (1, 2, 3)}
    assert (
        crawl["sites"]["minalogic"]["pages_crawled"] == 5
    )  # home, le pôle, 3 pages: the loop back to p=1 not refetched
    assert crawl["sites"]["capenergies"]["directory_url"] == "https://www.capenergies.fr/annuaire/"  # via the sitemap


def test_unreadable_card_reported_with_url_and_field(crawl):
    [issue] = [i for i in crawl["issues"] if i["code"] == "unreadable_row"]
    assert (issue["url"], issue["field"], issue["context"]["cluster_id"]) == (
        "https://www.alpha-rlh.com/annuaire/",
        "organisation",
        "alpha-rlh",
    )


def test_no_contact_person_email_or_phone_published(crawl):
    axelera = [m for m in crawl["members"] if m["cluster_id"] == "axelera"]
    assert len(axelera) == 18
    for item in crawl["items"]:
        for value in item.values():
            assert not (isinstance(value, str) and find(value)), (item, value)
    assert "Quintard" not in json.dumps(crawl["items"], ensure_ascii=False)  # a contact person of axelera


def test_planted_members_read_with_their_place(crawl):
    with (SNAPSHOTS_DIR / "pole_members" / "planted.csv").open(encoding="utf-8") as fh:
        planted = list(csv.DictReader(fh))
    assert len(planted) == 24
    read = {(m["cluster_id"], m["organisation"]): m for m in crawl["members"]}
    for p in planted:
        m = read[(p["cluster_id"], p["organisation"])]
        # vitagora's list prints "Dijon (21)": the département, no postcode (README)
        postcode = None if p["cluster_id"] == "vitagora" else p["postcode"]
        assert (m["postcode"], m["city"]) == (postcode, p["city"]), p


# --- the spider on pages made here -------------------------------------------------------------


def spider_with(tmp_path, sites):
    path = tmp_path / "sites.jsonl"
    path.write_text("".join(json.dumps(s) + "\n" for s in sites), encoding="utf-8")
    spider = PoleMembersSpider.from_crawler(get_crawler(PoleMembersSpider), sites=str(path))

    async def collect():
        return [r async for r in spider.start()]

    return spider, asyncio.run(collect())


def respond(request, body: str, cls=HtmlResponse, headers=None):
    return cls(url=request.url, body=body.encode("utf-8"), encoding="utf-8", request=request, headers=headers)


def split(out):
    out = list(out)
    requests = [o for o in out if hasattr(o, "callback")]
    return requests, [o for o in out if isinstance(o, Issue)], [o for o in out if isinstance(o, dict)]


TABLE = "<table><tr><th>Nom</th><th>Ville</th></tr>{rows}</table>"


def test_a_pager_that_serves_the_same_members_again_is_a_loop_not_a_crawl_without_end(tmp_path):
    spider, [home] = spider_with(tmp_path, [{"cluster_id": "x", "website": "https://x.example"}])
    requests, _, _ = split(spider.parse_page(respond(home, '<a href="/annuaire/">Annuaire</a>')))
    [directory] = requests
    rows = "<tr><td>Alpha SAS</td><td>69007 Lyon</td></tr><tr><td>Beta SARL</td><td>38000 Grenoble</td></tr>"
    page = (
        "<h1>Annuaire</h1>" + TABLE.format(rows=rows) + '<nav class="pagination"><a href="?page={n}">Suivant</a></nav>'
    )
    requests, issues, items = split(spider.parse_page(respond(directory, page.format(n=2))))
    assert [r.url for r in requests] == ["https://x.example/annuaire/?page=2"] and len(items) == 2
    # page 2 serves page 1's members again and offers page 3: reported, page 3 never asked for
    requests, issues, items = split(spider.parse_page(respond(requests[0], page.format(n=3))))
    assert requests == []
    assert [(i.code, i.url, i.field) for i in issues] == [
        ("pagination_loop", "https://x.example/annuaire/?page=2", "pagination")
    ]
    assert spider.sites["x"].done and [i for i in items if i["kind"] == "site"][0]["status"] == "found"
    assert list(spider.ledger.pages.values()) == [  # page 3 was never requested
        "https://x.example",
        "https://x.example/annuaire/",
        "https://x.example/annuaire/?page=2",
    ]


def test_json_endpoint_answering_html_ends_as_an_issue_and_the_site_ends(tmp_path):
    spider, [home] = spider_with(tmp_path, [{"cluster_id": "x", "website": "https://x.example"}])
    requests, _, _ = split(spider.parse_page(respond(home, '<a href="/membres/">Nos membres</a>')))
    [members_page] = requests
    shell = "<h1>Nos membres</h1><div id='app' data-endpoint='/api/membres'></div>"
    [endpoint], _, _ = split(spider.parse_page(respond(members_page, shell)))
    assert endpoint.url == "https://x.example/api/membres" and endpoint.callback == spider.parse_json
    out = list(spider.parse_json(respond(endpoint, "<html><body>Erreur 500</body></html>")))
    _, issues, items = split(out)
    assert [(i.code, i.url, i.field) for i in issues] == [("json_unreadable", "https://x.example/api/membres", "body")]
    assert items == [
        {
            "kind": "site",
            "cluster_id": "x",
            "site_url": "https://x.example",
            "status": "not_found",
            "directory_url": None,
            "directory_forms": [],
            "members": 0,
            "pages_crawled": 3,
            "source_url": "https://x.example",
        }
    ]


def test_yaml_hint_requests_the_endpoint_from_the_start(tmp_path):
    spider, requests = spider_with(tmp_path, [{"cluster_id": "team2", "website": "https://www.team2.fr"}])
    assert [r.url for r in requests] == ["https://www.team2.fr", "https://www.team2.fr/data/membres.json"]
    assert requests[1].meta["form"] == "json_endpoint"


def test_json_served_from_a_link_is_read_as_json(tmp_path):
    spider, [home] = spider_with(tmp_path, [{"cluster_id": "x", "website": "https://x.example"}])
    [link], _, _ = split(spider.parse_page(respond(home, '<a href="/adherents.json">Adhérents</a>')))
    body = json.dumps([{"nom": "Gamma SA", "ville": "Lyon"}])
    _, _, items = split(spider.parse_page(respond(link, body, TextResponse, {"Content-Type": "application/json"})))
    assert [(i["organisation"], i["directory_form"]) for i in items if i["kind"] == "member"] == [
        ("Gamma SA", "json_endpoint")
    ]


def test_page_budget_bounds_a_long_directory_and_says_so(tmp_path):
    path = tmp_path / "sites.jsonl"
    path.write_text(json.dumps({"cluster_id": "x", "website": "https://x.example"}) + "\n", encoding="utf-8")
    spider = PoleMembersSpider.from_crawler(get_crawler(PoleMembersSpider), sites=str(path), page_budget="2")

    async def collect():
        return [r async for r in spider.start()]

    [home] = asyncio.run(collect())
    [directory], _, _ = split(spider.parse_page(respond(home, '<a href="/annuaire/">Annuaire</a>')))
    rows = "<tr><td>Alpha SAS</td><td>69007 Lyon</td></tr>"
    page = TABLE.format(rows=rows) + '<a rel="next" href="/annuaire/?page=2">Suivant</a>'
    requests, issues, items = split(spider.parse_page(respond(directory, page)))
    assert requests == []  # page 2 would be the third page of a 2-page budget
    [issue] = issues
    assert (issue.code, issue.url, issue.value) == ("page_budget_reached", "https://x.example", "1")
    assert [i["members"] for i in items if i["kind"] == "site"] == [1]


def test_parse_command_reads_a_saved_directory_page():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "spiders.parse",
            "pole_members",
            "tests/files/pole_members/search_results.html",
            "--url",
            "https://www.tenerrdis.fr/annuaire/resultats?lettre=B",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    items = [x for x in lines if x["type"] == "item"]
    assert [(x["organisation"], x["cluster_id"], x["directory_form"]) for x in items] == [
        ("Belledonne Hydrogène", "tenerrdis", "search_form"),
        ("Bois Énergie Savoie SARL", "tenerrdis", "search_form"),
    ]
    assert [x["url"] for x in lines if x["type"] == "link"] == [
        "https://www.tenerrdis.fr/annuaire/resultats?categorie=&lettre="
    ]


def test_sample_replays_through_the_snapshot_named_in_the_yaml():
    from common.sources import load_source

    source = load_source("pole_members")
    assert source.snapshot_path == SNAPSHOTS_DIR / "pole_members" and (source.snapshot_path / "manifest.json").exists()
    assert source.schedule == "0 7 2 * *" and source.tables == [
        "cluster_members",
        "cluster_cce_ties",
        "clusters",
        "region_summary",
    ]
    assert source.site_crawl.page_budget >= 100
    assert str(source.site_crawl.directory_hints["team2.fr"].json_endpoint) == "https://www.team2.fr/data/membres.json"


def test_a_site_never_reached_ends_as_a_site_item_and_an_unreachable_warning(tmp_path):
    spider, [home] = spider_with(tmp_path, [{"cluster_id": "x", "website": "https://x.example"}])
    failure = Failure(DNSLookupError("no such host"))
    failure.request = home
    _, issues, items = split(spider.fetch_failed(failure))
    assert [(i["cluster_id"], i["status"]) for i in items if i["kind"] == "site"] == [("x", "site_unreachable")]
    [unreachable] = [i for i in issues if i.code == "site_unreachable"]
    assert (unreachable.source, unreachable.url, unreachable.field) == ("pole_members", "https://x.example", "website")
    assert unreachable.context == {"cluster_id": "x", "cause": "dns"}
