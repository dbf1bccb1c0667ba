"""Committee and section pages in layouts the parser was not tuned to, read through
``python -m spiders.parse cce_committees PAGE --url URL``. Expected values are written by hand
from the fixture pages (tests/files/cce_committees/unseen_*.html; invented people)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from spiders.parse import main

FILES = Path(__file__).parent / "files" / "cce_committees"
SITE = "https://www.cnccef.org"


def parse(page: str, url: str):
    out, err = io.StringIO(), io.StringIO()
    code = main(["cce_committees", str(FILES / page), "--url", url], out, err)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return (
        code,
        [r for r in records if r["type"] == "item"],
        [r for r in records if r["type"] == "issue"],
        err.getvalue(),
    )


def officers(item):
    return [(o["role"], o["honorific"], o["full_name"], o["company"]) for o in item["officers"]]


@pytest.mark.parametrize(
    "page, url, expected, expected_officers",
    [
        (
            "unseen_elementor_committee.html",
            f"{SITE}/les-cce-en-france/exemple-alpes/",
            {
                "name": "Comité Exemple Alpes",
                "kind": "committee",
                "territory": "Exemple Alpes",
                "region": "Auvergne-Rhône-Alpes",
                "country": None,
                "member_count": 64,
            },
            [
                ("Présidente", "Mme", "Léa MODÈLE", "Modelia Industrie SAS"),
                ("Vice-président", "M.", "Yves-Marie d'Exemple", "Exempleo Export SARL"),
                ("Trésorière", "Mme", "Rose FICTIVE", None),
            ],
        ),
        (
            "unseen_section_table.html",
            f"{SITE}/les-cce-dans-le-monde/perou/",
            {
                "name": "Section Pérou",
                "kind": "section",
                "territory": "Pérou",
                "region": None,
                "country": "Pérou",
                "member_count": 17,
            },
            [
                ("Président", "M.", "Diego EXEMPLO", "Parana Exemplo SAC"),
                ("Secrétaire", "Mme", "Ana Modelo", "Imaginis Logistique SA"),
            ],
        ),
        (
            "unseen_list_strong.html",
            f"{SITE}/les-cce-en-france/exemple-ouest/",
            {
                "name": "Comité Exemple Ouest",
                "kind": "committee",
                "territory": "Exemple Ouest",
                "region": "Bretagne",
                "country": None,
                "member_count": 39,
            },
            [
                ("Président", "M.", "Erwan EXEMPLE", "Armor Exemple SAS"),
                ("Secrétaire général", "M.", "Tanguy Le Modèle", "Modelis Logistique SAS"),
            ],
        ),
    ],
)
def test_unseen_layout_reads_completely(page, url, expected, expected_officers):
    code, [item], issues, summary = parse(page, url)
    assert (code, issues) == (0, []), summary
    assert {k: item[k] for k in expected} == expected
    assert officers(item) == expected_officers


def test_fields_asserted_below_95_percent_do_not_fail_the_page_check(tmp_path):
    # sources/cce_committees.yml asserts officers at 90 % fill: a page without them warns, exit 0.
    page = tmp_path / "no_officers.html"
    page.write_text(
        "<html><body><main><h1>Section Chili</h1><p>Pays : Chili</p></main></body></html>", encoding="utf-8"
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["cce_committees", str(page), "--url", f"{SITE}/les-cce-dans-le-monde/chili/"], out, err)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0, err.getvalue()
    assert [(r["field"], r["severity"]) for r in records if r["type"] == "issue"] == [("officers", "warning")]


@pytest.mark.parametrize(
    "title, country", [("Section Japon", "Japon"), ("Section de l'Inde", "Inde"), ("Section Exemplie", None)]
)
def test_a_section_title_names_its_country_only_when_it_is_one(tmp_path, title, country):
    page = tmp_path / "section.html"
    page.write_text(
        f"<html><body><main><h1>{title}</h1><p>Président : M. Kenji EXEMPLE, Exemplo KK</p></main></body></html>",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["cce_committees", str(page), "--url", f"{SITE}/les-cce-dans-le-monde/x/"], out, err)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    items = [r for r in records if r["type"] == "item"]
    if country:
        assert code == 0 and [(i["country"], i["territory"]) for i in items] == [(country, country)]
    else:  # not a country: the territory is missing, an error naming it
        assert code == 1 and items == []
        assert [(r["field"], r["severity"]) for r in records if r["type"] == "issue"] == [("territory", "error")]
