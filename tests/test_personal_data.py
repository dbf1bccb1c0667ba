"""The personal-contact detector (common.personal_data) and where it runs: the parsers' output
in the crawl and in ``spiders.parse``, and the release's blocking check. Expected values are
written by hand; the people are invented."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from scrapy.http import HtmlResponse, Request

from common.personal_data import find, kinds_in, scrub, scrub_record
from pipelines.checks.personal_data import outcome, scan_table
from spiders.cce_appointments.parse import parse_decree_text
from spiders.cce_committees.parse import parse_page
from spiders.core.pipelines import scrub_output

from .strategies import NOT_CONTACTS, contacts, plain_text, text_with_contacts

HYPO = settings(max_examples=300, deadline=None)
SECTION_URL = "https://www.cnccef.org/les-cce-dans-le-monde/albanie/"
COMMITTEE_URL = "https://www.cnccef.org/les-cce-en-france/hauts-de-france/"
JO_URL = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"


# --- the detector, by hand ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cleaned, kinds",
    [
        # The three values of issue 11, observation 1.
        ("Présidente (v.hamel@orange.fr, 07 81 23 45 67)", "Présidente", ["email", "phone"]),
        (
            "Témoinia Industrie SARL, marc.girard [at] gmail.com, mobile 06/12/34/56/78",
            "Témoinia Industrie SARL",
            ["email", "phone"],
        ),
        ("directeur commercial (06 98 76 54 32)", "directeur commercial", ["phone"]),
        # Spellings.
        ("M. Jean DUPONT (jean.dupont@exempla.fr)", "M. Jean DUPONT", ["email"]),
        ("Exempla SA, tél. 06.12.34.56.78", "Exempla SA", ["phone"]),
        ("Exempla SA - +33 6 12 34 56 78", "Exempla SA", ["phone"]),
        ("Exempla SA, 0033 6 12 34 56 78", "Exempla SA", ["phone"]),
        ("Exempla SA (+33 (0)6 12 34 56 78)", "Exempla SA", ["phone"]),
        ("Exempla SA, 06-12-34-56-78", "Exempla SA", ["phone"]),
        ("Exempla SA, 0612345678", "Exempla SA", ["phone"]),
        ("Exempla UK Ltd (+44 20 7946 0958)", "Exempla UK Ltd", ["phone"]),
        ("Exempla Inc., +1 (415) 555-2671", "Exempla Inc.", ["phone"]),
        ("a.martin arobase exempla point fr", "", ["email"]),
        ("Anne (a.martin(at)exempla.fr)", "Anne", ["email"]),
        ("Anne, a.martin {at} exempla [dot] fr", "Anne", ["email"]),
        ("Mme Anne MARTIN - anne.martin @ exempla.com - Directrice", "Mme Anne MARTIN - Directrice", ["email"]),
        (
            "M. Girard (Marc), directeur, Exempla SA, marc.girard [at] gmail.com, mobile 06/12/34/56/78.",
            "M. Girard (Marc), directeur, Exempla SA.",
            ["email", "phone"],
        ),
    ],
)
def test_scrub_by_hand(text, cleaned, kinds):
    assert scrub(text) == (cleaned, kinds)


@pytest.mark.parametrize(
    "text", NOT_CONTACTS + ["contact au siège", "Décret du 12/03/2024", "NAF 62.01Z", "006c94d11b52c8dd"]
)
def test_not_contacts_are_left_alone(text):
    assert scrub(text) == (text, [])


# --- the detector, by property -------------------------------------------------------------


@HYPO
@given(text_with_contacts())
def test_every_hidden_contact_is_removed_and_the_words_stay(case):
    text, hidden, words = case
    cleaned, kinds = scrub(text)
    assert kinds, (text, hidden)
    assert find(cleaned) == [], cleaned
    # The words around carry no digit and no at-sign: whatever is left of a contact would.
    assert not re.search(r"\d|@|\b(?:at|arobase|dot)\b", cleaned, re.IGNORECASE), (text, cleaned)
    for word in words:
        assert word in cleaned, (text, cleaned, word)


@HYPO
@given(contacts)
def test_a_contact_alone_is_found_whole(contact):
    assert [(s, e) for s, e, _ in find(contact)] == [(0, len(contact))], contact


@HYPO
@given(plain_text)
def test_text_without_contacts_is_unchanged(text):
    assert scrub(text) == (text, [])


@HYPO
@given(text_with_contacts())
def test_scrub_is_idempotent(case):
    once, _ = scrub(case[0])
    assert scrub(once) == (once, [])


@HYPO
@given(text_with_contacts(), text_with_contacts())
def test_scrub_record_cleans_every_field_and_never_logs_the_contact(a, b):
    record = {
        "source_url": "https://x.example/p",
        "name": "M. Jean DUPONT",
        "position": a[0],
        "roles": [b[0], "appointee"],
        "officers": [{"role": "Trésorier", "company": a[0]}],
        "member_count": 42,
    }
    cleaned, issues = scrub_record("cce_committees", record["source_url"], record)
    assert (
        cleaned["name"] == "M. Jean DUPONT"
        and cleaned["member_count"] == 42
        and cleaned["source_url"] == record["source_url"]
    )
    assert "appointee" in cleaned["roles"]
    assert all(find(v) == [] for v in json.dumps(cleaned, ensure_ascii=False).split('"'))
    assert {i.field for i in issues} == {"position", "roles", "officers.company"}
    log = json.dumps([i.to_dict() for i in issues], ensure_ascii=False)
    for contact in a[1] + b[1]:
        assert contact not in log
    assert not re.search(r"\d{2}[\s./-]?\d{2}[\s./-]?\d{2}|@", log), log
    assert all(
        i.url == record["source_url"] and i.source == "cce_committees" and i.severity == "warning" for i in issues
    )


def test_organisation_contact_fields_are_kept():
    item = {
        "source_url": "https://competitivite.gouv.fr/p",
        "contact_email": "contact@pole.fr",
        "contact_phone": "05 36 49 10 10",
        "description": "Écrire à Jean Dupont, jean.dupont@pole.fr",
    }
    out = scrub_output("poles", item, keep=("contact_email", "contact_phone"))
    assert out[-1] == {**item, "description": "Écrire à Jean Dupont"}
    assert [(i.field, i.code) for i in out[:-1]] == [("description", "personal_contact_removed")]


def test_an_issue_never_quotes_a_contact():
    from common.issues import Issue

    [issue] = scrub_output(
        "cce_appointments",
        Issue(
            "cce_appointments",
            JO_URL,
            "line",
            "unparsed_line",
            "a line…",
            "warning",
            value="Tél. : 06 12 34 56 78, bureau 12",
        ),
    )
    assert issue.value == "bureau 12"


# --- the parsers (issue 11, observation 1: the officer who was dropped) --------------------


def _section(li: str) -> list:
    body = (
        f"<html><body><main><h1>Section Albanie</h1><p><strong>Pays :</strong> Albanie</p>"
        f'<ul class="bureau">{li}</ul></main></body></html>'
    ).encode()
    return list(
        parse_page(
            HtmlResponse(url=SECTION_URL, body=body, encoding="utf-8", request=Request(SECTION_URL)), kind="section"
        )
    )


def test_officer_with_an_email_beside_the_name_keeps_his_name():
    out = _section(
        '<li><span class="fonction">Président</span> : M. Stéphane GIRARD (s.girard@exemplis.fr), '
        "<em>Exemplis Logistique SA</em></li>"
    )
    [item] = [o for o in out if isinstance(o, dict)]
    [officer] = item["officers"]
    assert (officer["honorific"], officer["given_names"], officer["family_name"], officer["company"]) == (
        "M.",
        ["Stéphane"],
        "GIRARD",
        "Exemplis Logistique SA",
    )
    issues = [o for o in out if not isinstance(o, dict)]
    assert [(i.field, i.code) for i in issues] == [("officers.name", "personal_contact_removed")]
    assert "exemplis.fr" not in repr(out)


def test_contact_beside_a_role_is_removed_and_never_logged():
    out = _section(
        '<li><span class="fonction">Présidente (v.hamel@orange.fr, 07 81 23 45 67)</span> : '
        "Mme Valérie HAMEL, <em>Exempla SA</em></li>"
    )
    [item] = [o for o in out if isinstance(o, dict)]
    assert item["officers"][0]["role"] == "Présidente"
    assert item["officers"][0]["family_name"] == "HAMEL"
    assert "orange" not in repr(out) and "81 23" not in repr(out)


def test_decree_position_keeps_its_text_and_the_company():
    text = (
        "Décret du 14 décembre 2023 portant nomination de conseillers du commerce extérieur de la France\n"
        "NOR : ECOT2333861D\n"
        "Par décret du Président de la République en date du 14 décembre 2023, sont nommés conseillers :\n"
        "1o Pour la métropole\nRégion Bretagne\n"
        "M. Arnoult (Bastien, Claude), directeur commercial (06 98 76 54 32), Exempla SA.\n"
    )
    out = list(parse_decree_text(text, JO_URL))
    [item] = [o for o in out if isinstance(o, dict)]
    assert (item["family_name"], item["position"], item["company"]) == ("Arnoult", "directeur commercial", "Exempla SA")
    assert [(i.field, i.code) for i in out if not isinstance(i, dict)] == [("appointee", "personal_contact_removed")]


def test_page_check_shows_the_item_the_crawl_keeps(tmp_path):
    """``python -m spiders.parse`` runs the same scrub as the crawl."""
    from spiders.parse import main

    page = tmp_path / "albanie.html"
    page.write_text(
        "<html><body><main><h1>Section Albanie</h1><p><strong>Pays :</strong> Albanie</p>"
        '<p>Contact : Mme Anne MARTIN, anne.martin@exempla.fr</p><ul class="bureau">'
        '<li><span class="fonction">Trésorier</span> : M. Olivier BLANC, <em>Fictivium SAS, 06 12 34 56 78</em></li>'
        "</ul></main></body></html>",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["cce_committees", str(page), "--url", SECTION_URL], out, err) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    [item] = [r for r in records if r["type"] == "item"]
    assert item["officers"][0]["company"] == "Fictivium SAS"
    assert "06 12" not in out.getvalue() and "@" not in out.getvalue()
    assert any(
        r["type"] == "issue" and r["code"] == "personal_contact_removed" and r["field"] == "officers.company"
        for r in records
    )


# --- the release check -----------------------------------------------------------------------


def _advisors(**overrides) -> pd.DataFrame:
    row = {
        "advisor_id": "a1",
        "family_name": "DUPONT",
        "display_name": "Jean DUPONT",
        "given_names": ["Jean"],
        "committee_id": "c1",
        "company": "Exempla SA",
        "position": "directeur",
        "roles": ["appointee"],
        "source_url": "https://x.example/p",
    }
    return pd.DataFrame([row, {**row, "advisor_id": "a2", **overrides}])


def test_check_passes_a_clean_table():
    assert scan_table("advisors", _advisors()) == []
    assert outcome("advisors", _advisors()).passed


@pytest.mark.parametrize(
    "column, value",
    [
        ("position", "directeur (06 98 76 54 32)"),
        ("company", "Exempla SA, marc.girard [at] gmail.com"),
        ("roles", ["Présidente (v.hamel@orange.fr)"]),
        ("display_name", "Jean DUPONT +33 6 12 34 56 78"),
    ],
)
def test_check_fails_naming_table_column_and_row_not_the_contact(column, value):
    result = outcome("advisors", _advisors(**{column: value}))
    assert not result.passed
    [failure] = result.failures
    text = failure.describe()
    assert failure.column == column and "advisor_id=a2" in text
    assert not re.search(r"\d{2} \d{2}|@|\[at\]", text), text


def test_check_exempts_organisation_contact_columns():
    clusters = pd.DataFrame(
        [
            {
                "cluster_id": "av",
                "name": "Aerospace Valley",
                "region_code": "76",
                "contact_email": "contact@aerospace-valley.com",
                "contact_phone": "+33536491010",
                "source_url": "https://x.example/p",
            }
        ]
    )
    assert scan_table("clusters", clusters) == []
    assert [f.column for f in scan_table("clusters", clusters.assign(description="Jean : 06 12 34 56 78"))] == [
        "description"
    ]


def test_kinds_in():
    assert kinds_in("a@b.fr, 06 12 34 56 78") == ["email", "phone"]
    assert kinds_in("") == []


def test_scan_release_reads_every_published_table(tmp_path):
    from pipelines.checks.personal_data import scan_release

    _advisors().to_parquet(tmp_path / "advisors.parquet")
    assert scan_release(tmp_path) == []
    _advisors(position="directeur, tél. 06 98 76 54 32").to_parquet(tmp_path / "advisors.parquet")
    [finding] = scan_release(tmp_path)
    assert (finding.table, finding.column, finding.rows, finding.example_row) == (
        "advisors",
        "position",
        1,
        "advisor_id=a2",
    )
