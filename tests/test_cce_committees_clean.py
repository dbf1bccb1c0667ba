"""clean_cce_committees and officers_of, on the snapshot's items and on edge cases."""

import json
from functools import cache

import pandas as pd
import pytest

from common.issues import Issue
from pipelines.clean.cce_committees import clean_cce_committees, officers_of
from pipelines.schema import CCE_COMMITTEES
from spiders.cce_committees.parse import parse_listing, parse_page
from tests.helpers import archived_response

SITE = "https://www.cnccef.org"


@cache
def snapshot_items() -> tuple:
    """Every item of the snapshot, parsed without Scrapy's engine (listing -> pages)."""
    items = []
    for listing in (
        f"{SITE}/les-cce-en-france/",
        f"{SITE}/les-cce-dans-le-monde/",
        f"{SITE}/les-cce-dans-le-monde/page/2/",
    ):
        for entry in parse_listing(archived_response("cce_committees", listing)):
            if "url" in entry:
                items += [
                    r
                    for r in parse_page(archived_response("cce_committees", entry["url"]), kind=entry["kind"])
                    if not isinstance(r, Issue)
                ]
    return tuple(json.dumps(i, ensure_ascii=False) for i in items)


def items():
    return [json.loads(i) for i in snapshot_items()]


@pytest.fixture(scope="module")
def cleaned():
    return clean_cce_committees(items())


def test_columns_follow_the_contract(cleaned):
    df, issues = cleaned
    assert list(df.columns) == [c.name for c in CCE_COMMITTEES.columns if c.name not in ("first_seen", "last_seen")]
    assert issues == []
    assert len(df) == 70
    for col in (c.name for c in CCE_COMMITTEES.columns if c.required and c.name in df.columns):
        assert df[col].notna().all(), col


def test_ids_stable_and_unique(cleaned):
    df, _ = cleaned
    assert df["committee_id"].is_unique
    ids = set(df["committee_id"])
    assert {
        "fr-provence-corse",
        "fr-nice-cote-d-azur",
        "fr-paris",
        "fr-ile-de-france",
        "fr-la-reunion",
        "section-de",
        "section-hk",
        "section-tw",
        "section-gb",
        "section-ae",
    } <= ids
    # Same input in another order, or a renamed title: same ids.
    shuffled = list(reversed(items()))
    for i in shuffled:
        i["name"] = i["name"].upper()
    df2, _ = clean_cce_committees(shuffled)
    assert list(df2["committee_id"]) == list(df["committee_id"])


def test_kinds_and_codes(cleaned):
    df, _ = cleaned
    by_id = df.set_index("committee_id")
    assert df["kind"].value_counts().to_dict() == {"country_section": 49, "regional": 19, "territorial": 2}
    assert by_id.loc["fr-paris", "kind"] == by_id.loc["fr-nice-cote-d-azur", "kind"] == "territorial"
    assert by_id.loc["fr-provence-corse", "kind"] == "regional"
    assert (by_id.loc[by_id["kind"] != "country_section", "country_code"] == "FR").all()
    assert by_id.loc["section-de", "country_code"] == "DE"
    assert pd.isna(by_id.loc["section-de", "region_code"])
    assert by_id.loc["section-de", "departement_codes"] == []
    assert by_id.loc["fr-provence-corse", "departement_codes"] == ["04", "05", "13", "83", "84", "2A", "2B"]
    assert by_id.loc["fr-provence-corse", "region_code"] == "93"
    assert pd.isna(by_id.loc["fr-nouvelle-caledonie", "region_code"])
    assert by_id.loc["fr-nouvelle-caledonie", "departement_codes"] == ["988"]
    assert "ASSUMPTION" in by_id.loc["fr-nice-cote-d-azur", "territory_note"]


def test_president_and_member_count(cleaned):
    df, _ = cleaned
    by_id = df.set_index("committee_id")
    assert by_id.loc["fr-provence-corse", "president_name"] == "Béatrice MASSON"
    assert by_id.loc["fr-provence-corse", "member_count"] == 122
    assert by_id.loc["section-de", "president_name"] == "Jean-Marc Le Goff"
    assert df["member_count"].isna().sum() == 10
    assert df["president_name"].notna().all()


def test_unmappable_country_dropped_with_an_issue():
    bad = {
        "source_url": f"{SITE}/les-cce-dans-le-monde/atlantide/",
        "page_url": f"{SITE}/les-cce-dans-le-monde/atlantide/",
        "name": "Section Atlantide",
        "kind": "section",
        "territory": "Atlantide",
        "country": "Atlantide",
        "region": None,
        "member_count": 3,
        "officers": [],
    }
    df, issues = clean_cce_committees(items()[:3] + [bad])
    assert len(df) == 3 and "Atlantide" not in set(df["name"])
    [issue] = issues
    assert (issue.field, issue.code, issue.severity, issue.url) == (
        "country_code",
        "unknown_value",
        "error",
        bad["source_url"],
    )


def test_committee_outside_the_reference_is_reported_not_guessed():
    odd = {
        "source_url": f"{SITE}/les-cce-en-france/lyon/",
        "page_url": f"{SITE}/les-cce-en-france/lyon/",
        "name": "Comité de Lyon",
        "kind": "committee",
        "territory": "Lyon",
        "country": None,
        "region": "Auvergne-Rhône-Alpes",
        "member_count": None,
        "officers": [],
    }
    df, issues = clean_cce_committees([odd])
    row = df.iloc[0]
    assert (row["committee_id"], row["kind"], row["region_code"], row["departement_codes"]) == (
        "fr-lyon",
        "territorial",
        "84",
        [],
    )
    assert [(i.field, i.code, i.severity) for i in issues] == [("territory", "unknown_value", "warning")]


def test_duplicate_pages_keep_one_row():
    one = items()[0]
    twin = {**one, "page_url": one["page_url"] + "?lang=fr", "source_url": one["source_url"] + "?lang=fr"}
    df, issues = clean_cce_committees([one, twin])
    assert len(df) == 1 and df.iloc[0]["page_url"] == one["page_url"]
    assert [i.code for i in issues] == ["duplicate_key"]


def test_officers_of():
    df, _ = clean_cce_committees(items())
    officers = officers_of(items())
    assert list(officers.columns) == [
        "committee_id",
        "role",
        "honorific",
        "given_names",
        "family_name",
        "full_name",
        "company",
        "source_url",
    ]
    assert len(officers) == sum(len(i["officers"]) for i in items())
    assert set(officers["committee_id"]) <= set(df["committee_id"])
    first = officers[officers["committee_id"] == "fr-provence-corse"].iloc[0]
    assert (first["role"], first["honorific"], first["given_names"], first["family_name"]) == (
        "Présidente",
        "Mme",
        ["Béatrice"],
        "MASSON",
    )
    assert officers["honorific"].isin(["M.", "Mme"]).all()
