import pandas as pd

from pipelines.clean.opt_out import apply_opt_out, redact_presidents


def advisors():
    return pd.DataFrame(
        {
            "advisor_id": ["a", "b", "c"],
            "family_name": ["Lefèvre", "LEFEVRE", "Martin"],
            "given_names": [["Claire"], ["Paul"], ["Claire"]],
            "committee_id": ["fr-bretagne", "section-de", "fr-bretagne"],
        }
    )


def test_opt_out_matches_folded_names_and_optional_committee():
    out, issues = apply_opt_out(advisors(), [{"family_name": "Lefevre", "given_names": "claire", "committee_id": ""}])
    assert out["advisor_id"].tolist() == ["b", "c"]
    assert len(issues) == 1 and "Lefevre" not in issues[0].message and "1 advisor" in issues[0].message
    out, _ = apply_opt_out(advisors(), [{"family_name": "Lefèvre", "given_names": "", "committee_id": "section-de"}])
    assert out["advisor_id"].tolist() == ["a", "c"]


def test_empty_list_changes_nothing():
    out, issues = apply_opt_out(advisors(), [])
    assert len(out) == 3 and issues == []


def test_president_name_blanked():
    committees = pd.DataFrame(
        {"committee_id": ["fr-bretagne", "fr-normandie"], "president_name": ["Mme Claire Lefèvre", "M. Paul Durand"]}
    )
    out = redact_presidents(committees, [{"family_name": "Lefevre", "given_names": "", "committee_id": ""}])
    assert out["president_name"].tolist() == [None, "M. Paul Durand"]
