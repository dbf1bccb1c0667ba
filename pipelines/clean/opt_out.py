"""The opt-out list: people who asked to be left out of the published tables.

``reference/opt_out.csv``: family_name, given_names (space-separated, may be empty: any),
committee_id (may be empty: any committee), requested_on. Names match on folded text
(accents, case, hyphens), as the advisors merge does. The issue log only counts removals:
it never repeats the names.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from common.issues import WARNING, Issue
from common.paths import REFERENCE_DIR
from common.places import fold

OPT_OUT_PATH = REFERENCE_DIR / "opt_out.csv"


def load_opt_out(path: Path = OPT_OUT_PATH) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if (r.get("family_name") or "").strip()]


def _key(family: str | None, given) -> tuple[str, str]:
    given = " ".join(given) if isinstance(given, (list, tuple)) else (given or "")
    return fold(family or "").replace(" ", ""), fold(given).replace(" ", "")


def _matches(entry: dict, family, given, committee_id) -> bool:
    fam, giv = _key(entry["family_name"], entry.get("given_names"))
    row_fam, row_giv = _key(family, given)
    if fam != row_fam:
        return False
    if giv and not row_giv.startswith(giv):
        return False
    wanted = (entry.get("committee_id") or "").strip()
    return not wanted or wanted == committee_id


def apply_opt_out(advisors: pd.DataFrame, entries: list[dict] | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    entries = load_opt_out() if entries is None else entries
    if not entries or advisors.empty:
        return advisors, []
    drop = advisors.apply(
        lambda r: any(_matches(e, r["family_name"], r["given_names"], r["committee_id"]) for e in entries), axis=1
    )
    issues = []
    if drop.any():
        issues.append(
            Issue(
                source="opt_out",
                url=str(OPT_OUT_PATH.name),
                field="advisors",
                code="opted_out",
                message=f"{int(drop.sum())} advisor row(s) left out at the person's request",
                severity=WARNING,
            )
        )
    return advisors[~drop].reset_index(drop=True), issues


def redact_presidents(committees: pd.DataFrame, entries: list[dict] | None = None) -> pd.DataFrame:
    """Committee pages name their president: an opted-out president's name is blanked."""
    entries = load_opt_out() if entries is None else entries
    if not entries or committees.empty:
        return committees
    out = committees.copy()

    def keep(row):
        name = row["president_name"]
        if not isinstance(name, str):
            return name
        words = name.replace("M. ", "").replace("Mme ", "").split()
        for e in entries:
            fam = fold(e["family_name"]).replace(" ", "")
            if fam and fam in {fold(w).replace(" ", "") for w in words} | {fold(" ".join(words[1:])).replace(" ", "")}:
                wanted = (e.get("committee_id") or "").strip()
                if not wanted or wanted == row["committee_id"]:
                    return None
        return name

    out["president_name"] = pd.Series([keep(r) for r in out.to_dict("records")], index=out.index, dtype=object)
    return out
