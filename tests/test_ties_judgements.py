"""The review loop: reference/tie_judgements.csv honoured on the next run."""

from pathlib import Path

import pytest

from pipelines.join.ties import apply_judgements, awaiting_review, load_judgements, match_ties
from tests.ties_fixtures import ADVISORS, CLUSTERS, COMMITTEES, seat_item, seats_and_sites, site_item


def proposed():
    items = [
        seat_item("mer", "Soizic Kervella", "treasurer", "bureau"),  # confirmed
        seat_item("mer", "Véronique Dupont", organisation="Hôpital"),  # possible
        seat_item("agri", "Mathieu Faure", organisation="Vignobles du Lez"),  # possible (homonyms)
        site_item("mer"),
        site_item("agri"),
    ]
    seats, sites = seats_and_sites(items)
    ties, _ = match_ties(seats, ADVISORS, CLUSTERS, COMMITTEES, sites)
    return ties, seats


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "tie_judgements.csv"
    path.write_text(
        "cluster_id,advisor_id,verdict,note,date\n" + "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return path


def test_yes_reviews_no_removes_stale_reported(tmp_path):
    ties, _ = proposed()
    assert dict(zip(ties["advisor_id"], ties["match"])) == {
        "a-kervella": "confirmed",
        "a-dupont": "possible",
        "a-faure-oc": "possible",
    }
    path = write(
        tmp_path,
        [
            "agri,a-faure-oc,yes,checked with the pôle,2026-11-20",
            "mer,a-dupont,no,a homonym,2026-11-20",
            "mer,a-lacroix,yes,tie from an older crawl,2026-10-01",
        ],
    )
    judged, issues = apply_judgements(ties, load_judgements(path))
    assert dict(zip(judged["advisor_id"], judged["match"])) == {"a-kervella": "confirmed", "a-faure-oc": "reviewed"}
    reasons = judged.set_index("advisor_id").loc["a-faure-oc", "reasons"]
    assert reasons[-1] == "reviewed: checked with the pôle (2026-11-20)"
    assert [(i.code, i.value) for i in issues] == [("stale_judgement", "a-lacroix")]


def test_no_removes_even_a_confirmed_tie(tmp_path):
    ties, _ = proposed()
    judged, issues = apply_judgements(
        ties, load_judgements(write(tmp_path, ["mer,a-kervella,no,not the same person,2026-11-21"]))
    )
    assert "a-kervella" not in set(judged["advisor_id"]) and issues == []


def test_latest_judgement_wins(tmp_path):
    ties, _ = proposed()
    path = write(tmp_path, ["mer,a-dupont,yes,first look,2026-11-01", "mer,a-dupont,no,second look,2026-11-15"])
    judged, _ = apply_judgements(ties, load_judgements(path))
    assert "a-dupont" not in set(judged["advisor_id"])


@pytest.mark.parametrize(
    "line, message",
    [
        ("mer,a-dupont,maybe,,2026-11-01", r"tie_judgements.csv:2: field verdict is 'maybe'"),
        ("mer,,yes,,2026-11-01", r"tie_judgements.csv:2: field advisor_id is empty"),
        ("mer,a-dupont,yes,,01/11/2026", r"tie_judgements.csv:2: field date is '01/11/2026'"),
    ],
)
def test_malformed_line_names_file_line_and_field(tmp_path, line, message):
    with pytest.raises(ValueError, match=message):
        load_judgements(write(tmp_path, [line]))


def test_missing_file_means_no_judgements(tmp_path):
    assert load_judgements(tmp_path / "absent.csv") == []


def test_awaiting_review_lists_possible_ties_without_seat_names():
    ties, seats = proposed()
    todo = awaiting_review(ties, ADVISORS, seats.drop(columns=["person_name"]))
    assert todo[["cluster_id", "advisor_id", "advisor"]].values.tolist() == [
        ["agri", "a-faure-oc", "Mathieu Faure"],
        ["mer", "a-dupont", "Véronique DUPONT"],
    ]
    assert "person_name" not in todo.columns


def test_repository_judgements_file_is_valid():
    for j in load_judgements():
        assert j["verdict"] in ("yes", "no")
