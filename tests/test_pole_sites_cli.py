"""The page check: ``python -m spiders.parse pole_sites PAGE --url URL`` prints one item per seat."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from spiders.parse import main

HOLDOUT = Path(__file__).parent / "files" / "pole_sites" / "holdout"
SEAT_FIELDS = {
    "kind",
    "cluster_id",
    "person_name",
    "role",
    "role_kind",
    "body",
    "organisation",
    "evidence_url",
    "evidence_text",
    "method",
    "source_url",
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(self, address):
        raise AssertionError(f"the parse command tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def parse(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def items(records):
    return [r for r in records if r["type"] == "item"]


def test_saved_page_of_an_unknown_site_gives_one_item_per_seat():
    url = "https://www.pole-exemple-loire.example/instances"
    code, records, err = parse("pole_sites", HOLDOUT / "wix_nested.html", "--url", url)
    assert code == 0, err
    seats = items(records)
    assert [s["person_name"] for s in seats] == ["Gilles Tardieu", "Jean-Philippe Aumont", "Sandrine Lécuyer"]
    assert all(set(s) == SEAT_FIELDS | {"type"} for s in seats)
    assert seats[0]["cluster_id"] is None and seats[0]["evidence_url"] == url
    assert "[pole_sites] governance" in err and "3 items" in err


def test_snapshot_url_knows_its_pole():
    code, records, _ = parse("pole_sites", "https://www.minalogic.com/le-pole/instances")
    assert code == 0
    seats = items(records)
    assert len(seats) == 11 and {s["cluster_id"] for s in seats} == {"minalogic"}


def test_board_pdf_is_read_as_a_pdf():
    url = "https://www.capdigital.com/wp-content/uploads/2026/06/composition-ca.pdf"
    code, records, err = parse("pole_sites", url)
    assert code == 0 and "board_pdf" in err
    assert {s["method"] for s in items(records)} == {"pdf"}


def test_image_only_board_exits_1():
    code, records, err = parse("pole_sites", "https://www.s2e2.fr/gouvernance/")
    assert code == 1 and not items(records) and "nothing extracted" in err


def test_as_a_command(tmp_path):
    page = tmp_path / "board.html"
    page.write_text(
        "<html><body><main><h1>Bureau</h1><p>Présidente : Aline Exemple (Exemple SAS)</p></main></body></html>",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "spiders.parse", "pole_sites", str(page), "--url", "https://pole.example/bureau"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    [seat] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (seat["type"], seat["person_name"], seat["role_kind"], seat["body"], seat["organisation"]) == (
        "item",
        "Aline Exemple",
        "president",
        "bureau",
        "Exemple SAS",
    )


def test_bad_arguments_answer_in_one_line():
    code, _, err = parse("pole_sites", "/no/such/page.html")
    assert code == 2 and err.strip().count("\n") == 0
    code, _, err = parse("pole_sites", SNAPSHOTS_DIR / "pole_sites" / "manifest.json", "--kind", "nope")
    assert code == 2 and "unknown kind 'nope'" in err
