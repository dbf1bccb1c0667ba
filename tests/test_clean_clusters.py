"""The clusters clean step: pure function over crawled items, no Dagster."""

from pipelines.clean.clusters import clean_clusters, normalise_phone, normalise_url
from pipelines.schema import CLUSTERS


def item(**kw):
    base = {
        "source_url": "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/x",
        "name": "  Aerospace   Valley ",
        "short_name": "AV",
        "themes": ["Aéronautique", "aéronautique ", "Spatial"],
        "region": "Occitanie",
        "other_regions": ["Nouvelle-Aquitaine", "Occitanie"],
        "website": "www.Aerospace-Valley.com/",
        "street": "118 route de Narbonne",
        "postcode": "31 400",
        "city": "Toulouse",
        "label_status": "Labellisé",
        "label_period": "2023-2026",
        "contact_email": "mailto:contact@aerospace-valley.com",
        "contact_phone": "05 61 14 80 30",
    }
    base.update(kw)
    return base


def test_clean_row_values():
    df, issues = clean_clusters([item()])
    assert issues == []
    row = df.iloc[0].to_dict()
    assert row["cluster_id"] == "av"
    assert row["name"] == "Aerospace Valley"
    assert row["themes"] == ["Aéronautique", "Spatial"]  # trimmed, de-duplicated case-insensitively
    assert row["website"] == "https://www.aerospace-valley.com"
    assert row["postcode"] == "31400" and row["departement_code"] == "31"
    assert row["region_code"] == "76" and row["region_name"] == "Occitanie"
    assert row["other_region_codes"] == ["75"]  # the head-office région is not repeated
    assert row["label_status"] == "labelled"
    assert (row["label_start_year"], row["label_end_year"]) == (2023, 2026)
    assert row["contact_email"] == "contact@aerospace-valley.com"
    assert row["contact_phone"] == "+33561148030"
    assert list(df.columns) == [c.name for c in CLUSTERS.columns if c.name not in ("first_seen", "last_seen")]


def test_unknown_label_status_is_reported_not_defaulted():
    df, issues = clean_clusters([item(label_status="Super-pôle")])
    assert df.iloc[0]["label_status"] is None
    assert [(i.field, i.code, i.value) for i in issues] == [("label_status", "unknown_value", "Super-pôle")]


def test_probation_status_and_overseas_postcode():
    df, _ = clean_clusters(
        [item(label_status="Labellisé (probatoire)", postcode="97490", region="La Réunion", other_regions=[])]
    )
    row = df.iloc[0]
    assert row["label_status"] == "probation"
    assert row["departement_code"] == "974" and row["region_code"] == "04"


def test_unknown_region_falls_back_on_postcode_with_an_issue():
    df, issues = clean_clusters([item(region="Midi-Pyrénées")])
    assert df.iloc[0]["region_code"] == "76"
    assert any(i.field == "region" and i.code == "unknown_value" for i in issues)


def test_unplaceable_pole_is_dropped_with_an_error():
    df, issues = clean_clusters([item(region="Atlantide", postcode=None)])
    assert df.empty
    assert any(i.severity == "error" and i.field == "region" for i in issues)


def test_duplicate_pages_and_slug_collisions():
    a = item()
    b = item(source_url="https://competitivite.gouv.fr/other", name="Another")
    df, issues = clean_clusters([a, dict(a), b])
    assert sorted(df["cluster_id"]) == ["av", "av-2"]
    assert [i.code for i in issues] == ["duplicate_key"]


def test_normalisers():
    assert normalise_url("http://Example.FR/path/") == "http://example.fr/path"
    assert normalise_url("not a url") is None
    assert normalise_phone("+33 1 23 45 67 89") == "+33123456789"
    assert normalise_phone("12") is None
