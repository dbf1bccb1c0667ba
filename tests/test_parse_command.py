"""`python -m spiders.parse SOURCE PATH`: every source's pages, encodings, WARC input, failures, no network."""

import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from spiders.core.archive import WarcRecorder
from spiders.parse import main

FILES = Path(__file__).parent / "files"
POLES = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
CERAMIQUE = SNAPSHOTS_DIR / "poles" / "pages" / "poles" / "pole-europeen-de-la-ceramique.html"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(self, address):
        raise AssertionError(f"the parse command tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def parse(*argv):
    """Exit code, the JSON records printed, and the stderr summary."""
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def of_type(records, kind):
    return [r for r in records if r["type"] == kind]


def test_poles_listing_page_yields_links_to_detail_pages_and_the_next_page():
    code, records, err = parse("poles", SNAPSHOTS_DIR / "poles" / "pages" / "annuaire-des-poles-page-1.html")
    assert code == 0, err
    links = of_type(records, "link")
    assert not of_type(records, "item")
    assert [l["kind"] for l in links].count("detail") == 12
    assert {"type": "link", "url": f"{POLES}?page=2", "kind": "listing"} in links
    assert "[poles] listing" in err and "-> ok" in err


def test_poles_detail_page_by_snapshot_url_gives_the_spiders_item():
    code, records, _ = parse("poles", f"{POLES}/aquanova")
    assert code == 0
    [item] = of_type(records, "item")
    assert item["source_url"] == f"{POLES}/aquanova"
    assert item["region"] == "Centre-Val de Loire"
    [issue] = of_type(records, "issue")  # Aquanova has no known website: a warning, not a failure
    assert (issue["field"], issue["severity"]) == ("website", "warning")


def test_windows_1252_page_saved_without_headers_decodes(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_bytes(CERAMIQUE.read_bytes())  # no manifest beside it: no Content-Type
    code, records, err = parse("poles", saved, "--url", f"{POLES}/pole-europeen-de-la-ceramique")
    assert code == 0, err
    [item] = of_type(records, "item")
    assert item["name"] == "Pôle Européen de la Céramique"
    assert "l’œuvre" in item["description"]


def test_saved_page_without_url_is_sniffed_as_a_detail_page(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_bytes(CERAMIQUE.read_bytes())
    code, records, err = parse("poles", saved)
    assert code == 0
    assert "[poles] detail" in err
    assert of_type(records, "item")[0]["source_url"].startswith(POLES + "/")


def test_declared_encoding_can_be_overridden(tmp_path):
    # A windows-1252 page that claims to be UTF-8: read as declared, then as it really is.
    saved = tmp_path / "page.html"
    saved.write_bytes(CERAMIQUE.read_bytes().replace(b'<meta charset="windows-1252">', b'<meta charset="utf-8">'))
    code, records, _ = parse("poles", saved)
    assert code == 1  # "Région" itself decodes wrong, so the label is not found
    code, records, _ = parse("poles", saved, "--content-type", "text/html; charset=windows-1252")
    assert code == 0 and "l’œuvre" in of_type(records, "item")[0]["description"]
    code, records, _ = parse("poles", saved, "--encoding", "cp1252")
    assert code == 0 and of_type(records, "item")[0]["name"] == "Pôle Européen de la Céramique"


def test_page_missing_a_required_field_fails_naming_field_and_url():
    url = f"{POLES}/some-pole"
    code, records, err = parse("poles", FILES / "poles" / "detail_no_region.html", "--url", url)
    assert code == 1
    assert not of_type(records, "item")
    issue = next(r for r in of_type(records, "issue") if r["code"] == "missing_required_field")
    assert (issue["field"], issue["url"], issue["severity"]) == ("region", url, "error")
    assert "FAILED: missing required field region" in err


def test_cce_committee_page_and_section_listing():
    code, records, _ = parse(
        "cce_committees", SNAPSHOTS_DIR / "cce_committees" / "pages" / "les-cce-dans-le-monde" / "allemagne.html"
    )
    assert code == 0
    [item] = of_type(records, "item")
    assert (item["kind"], item["country"], item["page_url"]) == (
        "section",
        "Allemagne",
        "https://www.cnccef.org/les-cce-dans-le-monde/allemagne/",
    )
    code, records, _ = parse("cce_committees", "https://www.cnccef.org/les-cce-dans-le-monde/")
    links = of_type(records, "link")
    assert code == 0 and links and {l["kind"] for l in links} <= {"section", "listing"}
    assert any(l["kind"] == "listing" and "/page/2/" in l["url"] for l in links)


def test_cce_committee_page_without_territory_fails():
    url = "https://www.cnccef.org/les-cce-en-france/somewhere/"
    code, records, _ = parse("cce_committees", FILES / "cce_committees" / "missing_territory.html", "--url", url)
    assert code == 1
    [issue] = of_type(records, "issue")
    assert (issue["field"], issue["url"], issue["code"]) == ("territory", url, "missing_required_field")


@pytest.mark.parametrize("path", ["pages/JORFTEXT000048601234.html", "text/JORFTEXT000048601234.txt"])
def test_decree_page_or_text_gives_the_same_appointees_as_the_appointments_command(path):
    code, records, _ = parse("cce_appointments", SNAPSHOTS_DIR / "cce_appointments" / path)
    assert code == 0
    items = [{k: v for k, v in r.items() if k != "type"} for r in of_type(records, "item")]
    expected = (FILES / "cce_appointments" / "JORFTEXT000048601234.jsonl").read_text(encoding="utf-8").splitlines()
    assert items == [json.loads(line) for line in expected]


def test_decree_without_appointees_fails(tmp_path):
    text = (SNAPSHOTS_DIR / "cce_appointments" / "text" / "JORFTEXT000048601234.txt").read_text(encoding="utf-8")
    saved = tmp_path / "decree.txt"
    saved.write_text(
        "\n".join(l for l in text.splitlines() if not l.startswith(("M. ", "Mme", "M m e"))), encoding="utf-8"
    )
    code, records, _ = parse(
        "cce_appointments", saved, "--url", "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
    )
    assert code == 1
    assert any(r["code"] == "missing_required_field" and r["field"] == "appointees" for r in of_type(records, "issue"))


def test_company_register_answer_finds_its_query():
    url = "https://recherche-entreprises.api.gouv.fr/search?q=Agri%20Sud-Ouest%20Innovation&departement=31&page=1&per_page=10"
    code, records, _ = parse("company_register", url)
    assert code == 0
    [item] = of_type(records, "item")
    assert (item["kind"], item["key"], item["source_url"]) == ("cluster", "agri-soi", url)
    assert item["candidates"]


def test_company_register_answer_without_results_fails(tmp_path):
    saved = tmp_path / "answer.json"
    saved.write_text(json.dumps({"total_results": 0, "page": 1, "total_pages": 0}), encoding="utf-8")
    code, records, _ = parse("company_register", saved, "--kind", "search")
    assert code == 1
    assert any(r["field"] == "results" and r["code"] == "missing_required_field" for r in of_type(records, "issue"))


def test_warc_of_a_run_picks_the_record_for_url(tmp_path):
    warc = tmp_path / "run" / "responses.warc.gz"
    recorder = WarcRecorder(warc)
    for slug in ("pole-europeen-de-la-ceramique", "aquanova"):
        body = (SNAPSHOTS_DIR / "poles" / "pages" / "poles" / f"{slug}.html").read_bytes()
        charset = "windows-1252" if slug.startswith("pole-europeen") else "utf-8"
        recorder.record(
            f"{POLES}/{slug}",
            200,
            "OK",
            [("Content-Type", f"text/html; charset={charset}")],
            body,
            "2026-11-01T06:00:00Z",
        )
    recorder.close()
    code, records, _ = parse("poles", warc, "--url", f"{POLES}/pole-europeen-de-la-ceramique")
    assert code == 0
    assert of_type(records, "item")[0]["name"] == "Pôle Européen de la Céramique"
    code, _, err = parse("poles", warc)  # two pages: it asks which, and lists them
    assert code == 2 and f"{POLES}/aquanova" in err


def test_usage_errors_exit_2():
    assert parse("nope", CERAMIQUE)[0] == 2
    assert parse("poles", CERAMIQUE, "--kind", "nope")[0] == 2
    assert parse("poles", f"{POLES}/not-in-the-snapshot")[0] == 2


def test_command_as_a_subprocess():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "spiders.parse",
            "poles",
            str(FILES / "poles" / "detail_no_region.html"),
            "--url",
            f"{POLES}/x",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 1
    [line] = proc.stdout.splitlines()
    assert json.loads(line)["field"] == "region"
    assert proc.stderr.strip().endswith("FAILED: missing required field region")
