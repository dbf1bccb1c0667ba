"""Seat extraction measured on governance pages in layouts the sample snapshot does not use.

``tests/files/pole_sites/variants/*.html`` are pages written by hand (Elementor widgets,
capitalised "M. NOM – rôle, organisation" lines, header-less tables, English cards, a whole
bureau in one paragraph, JSON-LD @graph, a table keyed by college, bold-name blocks beside a
news item), with invented people; ``expected.csv`` lists, by hand, every seat a reader should
find (and, by omission, the vacant seats, news items and footers it must not).

    .venv/bin/python -m tests.test_pole_sites_variants     # prints the figures for docs/governance.md
"""

from __future__ import annotations

import csv
from pathlib import Path

from common.places import fold
from spiders.pole_sites.parse import parse_page
from tests.helpers import file_response

VARIANTS = Path(__file__).parent / "files" / "pole_sites" / "variants"
# Written after the readers were frozen, measured once before any change (docs/governance.md).
HOLDOUT = Path(__file__).parent / "files" / "pole_sites" / "holdout"
FLOOR = 0.9


def expected(folder: Path = VARIANTS) -> list[dict]:
    with (folder / "expected.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def extracted(folder: Path = VARIANTS) -> list[dict]:
    seats = []
    pages = {(row["file"], row["url"]) for row in expected(folder)}
    for file, url in sorted(pages):
        for out in parse_page(file_response(folder / file, url)):
            if isinstance(out, dict):
                seats.append({**out, "file": file})
    return seats


def measure(folder: Path = VARIANTS) -> dict:
    want, got = expected(folder), extracted(folder)
    want_people = {(w["file"], fold(w["person_name"])) for w in want}
    got_people = {(g["file"], fold(g["person_name"])) for g in got}
    found = want_people & got_people
    precise = [g for g in got if (g["file"], fold(g["person_name"])) in want_people]
    by_seat = {(g["file"], fold(g["person_name"]), g["role_kind"]): g for g in got}
    reachable = [w for w in want if (w["file"], fold(w["person_name"])) in found]
    roles_right = [w for w in reachable if (w["file"], fold(w["person_name"]), w["role_kind"]) in by_seat]
    bodies_right = [
        w for w in roles_right if by_seat[(w["file"], fold(w["person_name"]), w["role_kind"])]["body"] == w["body"]
    ]
    orgs_right = [
        w
        for w in roles_right
        if (by_seat[(w["file"], fold(w["person_name"]), w["role_kind"])]["organisation"] or "") == w["organisation"]
    ]
    return {
        "pages": len({w["file"] for w in want}),
        "expected_seats": len(want),
        "extracted_seats": len(got),
        "people_found": round(len(found) / len(want_people), 3),
        "precision": round(len(precise) / len(got), 3) if got else 0.0,
        "roles_right": round(len(roles_right) / len(reachable), 3) if reachable else 0.0,
        "bodies_right": round(len(bodies_right) / len(roles_right), 3) if roles_right else 0.0,
        "organisations_right": round(len(orgs_right) / len(roles_right), 3) if roles_right else 0.0,
        "missed": sorted(want_people - got_people),
        "false": sorted(
            {(g["file"], g["person_name"]) for g in got}
            - {(w["file"], w["person_name"]) for w in want}
            - {(g["file"], g["person_name"]) for g in precise}
        ),
        "wrong_role": sorted((w["file"], w["person_name"], w["role_kind"]) for w in reachable if w not in roles_right),
    }


def test_people_found_precision_and_roles_reach_the_bar():
    m = measure()
    assert m["people_found"] >= FLOOR, m["missed"]
    assert m["precision"] >= FLOOR, m["false"]
    assert m["roles_right"] >= FLOOR, m["wrong_role"]


def test_no_news_footer_or_vacant_seat_becomes_a_seat():
    names = {fold(g["person_name"]) for g in extracted()}
    for not_a_seat in (
        "Yves Portal",
        "Sophie Bellanger",
        "John Newsman",
        "Paul Camera",
        "Lina Article",
        "Jean Nouvelliste",
        "Alain Photographe",
        "Ancien Fondateur Nom",
    ):
        assert fold(not_a_seat) not in names
    assert not any("vacant" in n for n in names)


if __name__ == "__main__":
    import json
    import sys

    folder = HOLDOUT if sys.argv[1:] == ["holdout"] else VARIANTS
    print(json.dumps(measure(folder), indent=1, ensure_ascii=False))


def test_holdout_pages_reach_the_bar_too():
    m = measure(HOLDOUT)
    assert m["people_found"] >= FLOOR and m["precision"] >= FLOOR and m["roles_right"] >= FLOOR, m
