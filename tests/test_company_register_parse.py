"""Parsing /search answers: items from the real shape, named issues for anything else."""

from __future__ import annotations

import json

import pandas as pd

from common.issues import Issue
from common.paths import SNAPSHOTS_DIR
from spiders.company_register.parse import parse_response, parse_search
from spiders.company_register.queries import build_queries, read_queries, search_url
from spiders.core.middlewares import retry_after_seconds
from tests.helpers import archived_response

QUERIES = {(q["kind"], q["key"]): q for q in read_queries(SNAPSHOTS_DIR / "company_register" / "queries.jsonl")}
URL = "https://recherche-entreprises.api.gouv.fr/search?q=X&page=1&per_page=10"


def split(out):
    out = list(out)
    return [o for o in out if isinstance(o, dict)], [o for o in out if isinstance(o, Issue)]


def test_a_snapshot_answer_gives_one_item_with_typed_candidates():
    q = QUERIES[("cluster", "cosmetic-valley")]
    items, issues = split(parse_response(archived_response("company_register", q["url"]), q))
    assert issues == [] and len(items) == 1
    item = items[0]
    assert item["source_url"] == q["url"] and item["kind"] == "cluster" and item["key"] == "cosmetic-valley"
    assert item["page"] == 1 and item["total_pages"] == 1 and len(item["candidates"]) == 2
    cand = item["candidates"][1]
    assert len(cand["siren"]) == 9 and cand["nature_juridique"] == "9220"
    assert isinstance(cand["siege"]["latitude"], float) and cand["siege"]["code_postal"] == "28000"


def test_not_json_is_a_parse_error_naming_the_body():
    items, issues = split(parse_search(b"<html>502 Bad Gateway</html>", URL, {}))
    assert items == [] and issues[0].field == "body" and issues[0].code == "parse_error" and issues[0].url == URL


def test_missing_results_is_a_missing_field_and_no_item():
    items, issues = split(parse_search(json.dumps({"total_results": 3, "page": 1, "total_pages": 1}), URL, {}))
    assert items == [] and issues[0].field == "results" and issues[0].code == "missing_required_field"


def test_wrong_type_is_named():
    body = {"results": {"siren": "1"}, "total_results": 1, "page": 1, "total_pages": 1}
    items, issues = split(parse_search(json.dumps(body), URL, {}))
    assert items == [] and issues[0].field == "results" and "expected list" in issues[0].message


def test_a_candidate_without_siren_or_siege_is_dropped_with_its_index():
    good = {"siren": "356000000", "nom_complet": "LA POSTE", "siege": {"code_postal": "75015", "latitude": "48.8"}}
    body = {
        "results": [{"nom_complet": "X", "siege": {}}, {"siren": "123456789", "nom_complet": "Y"}, good],
        "total_results": 3,
        "page": 1,
        "total_pages": 1,
    }
    items, issues = split(parse_search(json.dumps(body), URL, {"kind": "company", "key": "x"}))
    assert [i.field for i in issues] == ["results[0].siren", "results[1].siege"]
    assert [c["siren"] for c in items[0]["candidates"]] == ["356000000"]


def test_unknown_codes_and_bad_coordinates_are_warnings():
    cand = {
        "siren": "356000000",
        "nom_complet": "X",
        "nature_juridique": "9999",
        "activite_principale": "99.99X",
        "section_activite_principale": "Z",
        "siege": {"latitude": "north", "longitude": "2.3"},
    }
    body = {"results": [cand], "total_results": 1, "page": 1, "total_pages": 1}
    items, issues = split(parse_search(json.dumps(body), URL, {}))
    assert {i.field for i in issues} == {
        "results[0].nature_juridique",
        "results[0].activite_principale",
        "results[0].section_activite_principale",
        "results[0].siege.latitude",
    }
    assert all(i.severity == "warning" for i in issues)
    assert items[0]["candidates"][0]["siege"]["latitude"] is None
    assert items[0]["candidates"][0]["siege"]["longitude"] == 2.3


def test_queries_are_deterministic_sorted_and_url_encoded():
    clusters = pd.DataFrame(
        [
            {
                "cluster_id": "i-r",
                "name": "Images & Réseaux",
                "short_name": "I&R",
                "postcode": "35000",
                "city": "Rennes",
            },
            {"cluster_id": "axelera", "name": "Axelera", "short_name": None, "postcode": None, "city": None},
        ]
    )
    advisors = pd.DataFrame({"company": ["Société Générale Export", "SOCIETE GENERALE EXPORT", None]})
    qs = build_queries(clusters, advisors)
    assert [(q["kind"], q["key"]) for q in qs] == [
        ("cluster", "axelera"),
        ("cluster", "i-r"),
        ("company", "societe generale export"),
    ]
    assert qs[1]["url"] == (
        "https://recherche-entreprises.api.gouv.fr/search?q=Images%20%26%20R%C3%A9seaux"
        "&departement=35&page=1&per_page=10"
    )
    assert qs[0]["url"].endswith("search?q=Axelera&page=1&per_page=10")
    assert search_url(qs[1], 2).endswith("&page=2&per_page=10")
    assert build_queries(clusters.iloc[::-1], advisors) == qs


def test_retry_after_header_in_seconds_or_http_date_is_read():
    # The cap (RETRY_BACKOFF_MAX) is applied by spiders.core.middlewares.RetryAfterMiddleware.
    from datetime import datetime, timezone

    assert retry_after_seconds(b"2") == 2.0
    assert retry_after_seconds("600") == 600.0
    now = datetime(2026, 10, 21, 7, 27, 30, tzinfo=timezone.utc)
    assert retry_after_seconds(b"Wed, 21 Oct 2026 07:28:00 GMT", now=now) == 30.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
