"""Enrichment of clusters and advisors from the company-register items."""

from __future__ import annotations

import pandas as pd

from common.paths import SNAPSHOTS_DIR
from pipelines.enrich.register import enrich_advisors, enrich_clusters
from pipelines.schema import CLUSTERS
from spiders.company_register.parse import parse_search
from spiders.company_register.queries import read_queries, search_url
from spiders.core.archive import open_archive

SNAP = SNAPSHOTS_DIR / "company_register"
QUERIES = read_queries(SNAP / "queries.jsonl")


def register_items():
    """What the crawl yields on the snapshot: one item per query page."""
    archive, items = open_archive(SNAP), []
    for q in QUERIES:
        page = 1
        while True:
            rec = archive.get(search_url(q, page))
            item = next(o for o in parse_search(rec.body, rec.url, q) if isinstance(o, dict))
            items.append(item)
            if page >= item["total_pages"]:
                break
            page += 1
    return items


def sample_clusters() -> pd.DataFrame:
    rows = [
        {
            "cluster_id": q["key"],
            "name": q["name"],
            "short_name": q.get("short_name"),
            "postcode": q.get("code_postal"),
            "city": q.get("city"),
            "region_code": q.get("region_code"),
            "departement_code": None,
            "source_url": "https://competitivite.gouv.fr/x",
        }
        for q in QUERIES
        if q["kind"] == "cluster"
    ]
    return pd.DataFrame(rows)


def test_at_least_90_percent_of_sample_clusters_get_siren_and_coordinates():
    clusters = sample_clusters()
    out, issues = enrich_clusters(clusters, register_items())
    assert len(out) == len(clusters) == 57
    ok = out["siren"].notna() & out["latitude"].notna() & out["longitude"].notna()
    assert ok.mean() >= 0.9, out.loc[~ok, "cluster_id"].tolist()
    assert set(out.loc[~ok, "cluster_id"]) == {"hippolia", "derbi"}
    assert {(i.code, i.context["key"]) for i in issues} == {("ambiguous_match", "hippolia"), ("no_match", "derbi")}
    assert out["siren_match_score"].dropna().between(0, 1).all()
    assert (out["naf_code"].dropna() == "94.99Z").all()
    assert out["departement_code"].notna().all()
    assert out["latitude"].dtype == "float64" and out["siren_match_score"].dtype == "float64"
    assert {
        c.name
        for c in CLUSTERS.columns
        if c.name in ("siren", "siren_match_score", "naf_code", "latitude", "longitude")
    } <= set(out.columns)
    row = out.set_index("cluster_id").loc["cosmetic-valley"]
    assert 48.3 < row["latitude"] < 48.6 and 1.3 < row["longitude"] < 1.7  # Chartres, not the Paris homonym


def test_missing_items_are_reported_not_guessed():
    clusters = sample_clusters().head(3)
    out, issues = enrich_clusters(clusters, [])
    assert out["siren"].isna().all() and [i.code for i in issues] == ["not_crawled"] * 3


def test_existing_departement_is_kept():
    clusters = sample_clusters()
    clusters.loc[clusters["cluster_id"] == "i-r", "departement_code"] = "35"
    out, _ = enrich_clusters(clusters, register_items())
    assert out.set_index("cluster_id").loc["i-r", "departement_code"] == "35"


def test_advisors_get_the_naf_section_of_their_company():
    advisors = pd.DataFrame(
        {
            "advisor_id": ["a", "b", "c", "d", "e"],
            "company": [
                "Aéro Composites du Sud",
                "AERO COMPOSITES DU SUD",
                "Maison Lefort Distribution",
                "Société Imaginaire Zéro",
                None,
            ],
        }
    )
    out, issues = enrich_advisors(advisors, register_items())
    assert out["naf_section"].tolist() == ["C", "C", None, None, None]
    assert {i.code for i in issues} == {"ambiguous_match", "no_match"}
    assert list(out["advisor_id"]) == ["a", "b", "c", "d", "e"]
