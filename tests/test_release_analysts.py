"""What an analyst meets first: labels beside codes, a workbook with codes as text, the README's help."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from common.sources import all_sources
from pipelines.publish import write_release
from pipelines.publish.dictionary import DEFAULT_NULL_MEANING, null_meanings
from pipelines.publish.labels import normalise_family_name, role_kind
from pipelines.publish.sample import sample_checks, sample_crawls, sample_issues, sample_tables
from pipelines.schema import TABLES


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    tables = sample_tables()
    advisors = tables["advisors"]
    advisors.loc[0, ["family_name", "display_name"]] = ["LE GALL", "Claire LE GALL"]
    advisors.loc[3, "roles"] = ["appointee", "Trésorière"]
    advisors.loc[4, "naf_section"] = "C"
    clusters = tables["clusters"]
    clusters.loc[1, ["postcode", "departement_code", "name"]] = ["01000", "01", '=HYPERLINK("http://x")']
    return write_release(
        tables,
        releases_dir=tmp_path_factory.mktemp("r"),
        run_date=dt.date(2026, 11, 2),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
    )


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("MARTIN", "Martin"),
        ("LE GALL", "Le Gall"),
        ("DE LA FONTAINE", "de la Fontaine"),
        ("D'ALEMBERT", "d'Alembert"),
        ("DUPONT-MOREAU", "Dupont-Moreau"),
        ("Martin", "Martin"),
        ("de Gaulle", "de Gaulle"),
        ("N", "N"),
        (None, None),
    ],
)
def test_family_names_in_capitals_are_normalised(printed, expected):
    assert normalise_family_name(printed) == expected


@pytest.mark.parametrize(
    "role, kind",
    [
        ("présidente", "president"),
        ("Président", "president"),
        ("Vice-présidente", "vice_president"),
        ("trésorière", "treasurer"),
        ("Trésorier", "treasurer"),
        ("secrétaire générale", "secretary"),
        ("déléguée", "delegate"),
        ("appointee", "appointee"),
        ("Chef de section", "section_head"),
        ("porte-parole", "porte_parole"),
    ],
)
def test_role_spellings_fold_to_one_kind(role, kind):
    assert role_kind(role) == kind


def test_advisors_carry_the_printed_and_the_normalised_name(release):
    rows = {r["advisor_id"]: r for r in pq.read_table(release / "advisors.parquet").to_pylist()}
    assert (rows["a1"]["family_name"], rows["a1"]["family_name_as_printed"], rows["a1"]["display_name"]) == (
        "Le Gall",
        "LE GALL",
        "Claire Le Gall",
    )
    assert rows["a4"]["role_kinds"] == ["appointee", "treasurer"] and rows["a4"]["roles"] == ["appointee", "Trésorière"]
    assert rows["a1"]["role_kinds"] == ["president"]
    assert (rows["a5"]["naf_section"], rows["a5"]["naf_section_label"]) == ("C", "Industrie manufacturière")
    assert (rows["a6"]["region_code"], rows["a6"]["region_name"]) == (None, None)  # abroad
    assert (rows["a2"]["region_code"], rows["a2"]["region_name"]) == ("76", "Occitanie")


def test_every_code_has_its_label_beside_it(release):
    for name in (n for n in TABLES if (release / f"{n}.parquet").exists()):
        names = pq.read_schema(release / f"{name}.parquet").names
        for i, column in enumerate(names):
            if column.endswith(("_code", "_codes")) and column not in ("country_code",) or column == "naf_section":
                label = names[i + 1]
                assert label.endswith(("_name", "_names", "_label")), (name, column, label)
    clusters = {r["cluster_id"]: r for r in pq.read_table(release / "clusters.parquet").to_pylist()}
    av = clusters["aerospace-valley"]
    assert (av["departement_code"], av["departement_name"], av["naf_code"], av["naf_label"]) == (
        "31",
        "Haute-Garonne",
        "94.99Z",
        "Autres organisations fonctionnant par adhésion volontaire",
    )


def test_other_region_codes_have_names_too(release):
    """A list of codes gets a list of names (cce_committees.departement_codes)."""
    rows = pq.read_table(release / "cce_committees.parquet").to_pylist()
    bretagne = next(r for r in rows if r["committee_id"] == "regional-bretagne")
    assert bretagne["departement_names"] == ["Côtes-d'Armor", "Finistère", "Ille-et-Vilaine", "Morbihan"]


def test_workbook_keeps_codes_as_text(release):
    from openpyxl import load_workbook

    book = load_workbook(release / "poles-cce.xlsx")
    assert book.sheetnames == [n for n in TABLES if n in sample_tables()]
    sheet = book["clusters"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "agri-sud-ouest-innovation")
    cells = dict(zip(header, row))
    assert cells["departement_code"].value == "01" and cells["departement_code"].data_type == "s"
    assert cells["departement_code"].number_format == "@"
    assert cells["postcode"].value == "01000"
    assert cells["name"].data_type == "s" and cells["name"].value.startswith("=HYPERLINK")  # text, never a formula
    assert cells["label_start_year"].value == 2023  # numbers stay numbers
    assert book["advisors"].max_row == 7  # header + 6


def test_every_empty_cell_has_a_meaning():
    # The six tables of this contract; a table added later gets the default meaning until
    # NULL_MEANINGS (pipelines/publish/dictionary.py) documents its columns.
    for name in (
        "clusters",
        "cce_committees",
        "advisors",
        "cluster_committee_coverage",
        "cluster_advisor_candidates",
        "region_summary",
        "cluster_governance",
        "cluster_members",
        "cluster_cce_ties",
    ):
        for column, meaning in null_meanings(name):
            assert meaning != DEFAULT_NULL_MEANING, f"{name}.{column}: no documented meaning for an empty cell"


def test_readme_helps_read_codes_and_explains_the_score(release):
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert 'pd.read_csv("clusters.csv", dtype=str' in readme
    assert "all_varchar = true" in readme
    assert "`poles-cce.xlsx`" in readme
    assert (
        "(`same_committee`, 0.5)" in readme
        and "(`member_region`, 0.35)" in readme
        and "(`same_region`, 0.25)" in readme
    )
    assert "(+0.35)" in readme and "(+0.15)" in readme
    assert "Ties are broken by `advisor_id` (ascending)" in readme
    assert "- `cluster_advisor_candidates.sector_match`: the advisor's sector is unknown (naf_section empty)" in readme


def test_no_workbook_for_a_release_too_large_for_a_spreadsheet(tmp_path, monkeypatch):
    from pipelines.publish import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 10)  # the sample has 31 rows
    release = write_release(
        sample_tables(),
        releases_dir=tmp_path,
        run_date=dt.date(2026, 11, 2),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
    )
    assert not (release / "poles-cce.xlsx").exists()
    assert "too large for a spreadsheet workbook" in (release / "README.md").read_text(encoding="utf-8")
    import json

    assert json.loads((release / "release.json").read_text(encoding="utf-8"))["workbook"] is None
