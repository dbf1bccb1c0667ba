"""clean_member_listings on hand-made crawl items, then on the replayed sample (expected by hand)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipelines.clean.members import CATEGORIES, COLUMNS, clean_member_listings, normalise_category

URL = "https://www.pole.example/annuaire/"


def member(name, cid="p1", **kw):
    return {
        "kind": "member",
        "cluster_id": cid,
        "organisation": name,
        "category_label": kw.get("label"),
        "postcode": kw.get("postcode"),
        "city": kw.get("city"),
        "website": kw.get("website"),
        "evidence_url": kw.get("url", URL),
        "directory_form": kw.get("form", "static_list"),
        "source_url": kw.get("url", URL),
    }


def test_columns_types_and_one_row_per_pole_and_organisation():
    items = pd.DataFrame(
        [
            member("Semences du Layon", label="PME", postcode="49000", city="Angers"),
            # listed again on page 2, printed in capitals, with its website: one row, website kept
            member(
                "SEMENCES DU LAYON", label="PME", website="https://layon.example", url=URL + "?page=2", form="paginated"
            ),
            member("Semences du Layon", cid="p2", label="Start-up"),  # another pôle: its own row
            {"kind": "site", "cluster_id": "p1", "status": "found", "site_url": "https://www.pole.example"},
        ]
    )
    df, issues = clean_member_listings(items)
    assert list(df.columns) == COLUMNS
    assert all(str(t) == "string" for t in df.dtypes)
    plain = df.astype(object).where(df.notna(), None)
    assert plain[
        ["cluster_id", "organisation", "category", "postcode", "city", "website", "evidence_url"]
    ].values.tolist() == [
        ["p1", "Semences du Layon", "pme", "49000", "Angers", "https://layon.example", URL],
        ["p2", "Semences du Layon", "startup", None, None, None, URL],
    ]
    assert issues == []
    ids = df["member_id"].tolist()
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in ids) and ids[0] != ids[1]


def test_member_id_is_stable_across_runs_and_spellings():
    a, _ = clean_member_listings([member("Bois Énergie Savoie SARL")])
    b, _ = clean_member_listings([member("BOIS ENERGIE SAVOIE SARL", label="PME")])
    assert a["member_id"].tolist() == b["member_id"].tolist()


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Start-up", "startup"),
        ("Jeune pousse", "startup"),
        ("PME", "pme"),
        ("TPE/PME", "pme"),
        ("SME", "pme"),
        ("ETI", "eti"),
        ("Entreprise de taille intermédiaire", "eti"),
        ("Mid-cap", "eti"),
        ("Grand groupe", "grand_groupe"),
        ("Grande entreprise", "grand_groupe"),
        ("Large company", "grand_groupe"),
        ("Laboratoire", "laboratoire"),
        ("Organisme de recherche", "laboratoire"),
        ("Research lab", "laboratoire"),
        ("Établissement de formation", "formation"),
        ("Enseignement supérieur", "formation"),
        ("Higher education", "formation"),
        ("Collectivité", "collectivite"),
        ("Collectivité territoriale", "collectivite"),
        ("Local authority", "collectivite"),
        ("Association", "association"),
        ("Fédération / association", "association"),
        ("Partenaire financier", "autre"),
        ("Autre", "autre"),
        ("Other", "autre"),
    ],
)
def test_category_vocabulary(label, expected):
    assert normalise_category(label) == (expected, True)
    assert expected in CATEGORIES


def test_unknown_category_is_autre_with_the_label_kept_and_an_issue():
    df, issues = clean_member_listings([member("Verrerie d'Argonne", label="Membre d'honneur")])
    assert (df.loc[0, "category"], df.loc[0, "category_label"]) == ("autre", "Membre d'honneur")
    [issue] = issues
    assert (issue.url, issue.field, issue.code, issue.value) == (
        URL,
        "category_label",
        "unknown_value",
        "Membre d'honneur",
    )
    assert normalise_category(None) == (None, True)


def test_unreadable_rows_and_values_name_the_url_and_the_field():
    items = [
        member("", label="PME"),
        member("Ardennes Composites", postcode="8000", website="mailto:contact@ardennes.example"),
        member("Gamma SA", form="carousel"),
        {
            "kind": "site",
            "cluster_id": "p9",
            "status": "not_found",
            "site_url": "https://p9.example",
            "source_url": "https://p9.example",
        },
        {"kind": "site", "cluster_id": "p8", "status": "site_unreachable", "site_url": "https://p8.example"},
    ]
    df, issues = clean_member_listings(items)
    assert df["organisation"].tolist() == ["Ardennes Composites"]
    assert df.loc[0, "postcode"] is pd.NA and df.loc[0, "website"] is pd.NA
    assert [(i.url, i.field, i.code, i.severity) for i in issues] == [
        (URL, "organisation", "unreadable_row", "warning"),
        (URL, "postcode", "invalid_value", "warning"),
        (URL, "website", "invalid_value", "warning"),
        (URL, "directory_form", "unknown_value", "warning"),
        ("https://p9.example", "directory", "directory_not_found", "warning"),
    ]


def test_empty_input_gives_the_columns():
    df, issues = clean_member_listings(pd.DataFrame())
    assert list(df.columns) == COLUMNS and len(df) == 0 and issues == []


def test_the_replayed_sample(tmp_path):
    import json
    import subprocess
    import sys

    from common.paths import REPO_ROOT

    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.crawl", "pole_members", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    df, issues = clean_member_listings(pd.DataFrame(items))
    assert len(df) == 290 and df["cluster_id"].nunique() == 14
    assert df["directory_form"].value_counts().to_dict() == {
        "paginated": 96,
        "static_list": 72,
        "json_endpoint": 64,
        "search_form": 58,
    }
    assert not df.duplicated(["cluster_id", "member_id"]).any()
    assert df["category"].notna().all() and set(df["category"]) <= set(CATEGORIES)
    # 38 sites with no directory link, and s2e2 whose members page lists nobody
    not_found = [i for i in issues if i.code == "directory_not_found"]
    assert len(not_found) == 39 and len(issues) == 39
    row = df[(df["cluster_id"] == "valorial") & (df["organisation"] == "Armor Cidres")].iloc[0]
    assert (row["category"], row["postcode"], row["city"], row["directory_form"]) == (
        "pme",
        "29200",
        "Brest",
        "static_list",
    )
    assert row["evidence_url"] == "https://www.pole-valorial.fr/ecosysteme/annuaire-des-adherents/"


def test_member_listings_asset_in_the_clean_group_after_the_crawl():
    import dagster as dg

    from pipelines import definitions

    graph = definitions.defs.resolve_asset_graph()
    node = graph.get(dg.AssetKey("member_listings"))
    assert node.group_name == "clean"
    assert {k.to_user_string() for k in node.parent_keys} == {"raw_pole_members"}
    raw = graph.get(dg.AssetKey("raw_pole_members"))
    assert {k.to_user_string() for k in raw.parent_keys} == {"directory_clusters"}  # its sites, from the YAML
    assert raw.group_name == "enrich"
    assert "raw_pole_members" in {k.to_user_string() for k in graph.get(dg.AssetKey("release")).parent_keys}
