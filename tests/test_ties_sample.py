"""The published ties of the sample release against the hand-checked ground truth of the
pole_sites sample (tests/files/pole_sites/expected_ties.csv, written by hand beside the
snapshot): every intended tie with its match level, no tie where the file says none."""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

EXPECTED = Path(__file__).parent / "files" / "pole_sites" / "expected_ties.csv"


def _expected() -> list[dict]:
    with EXPECTED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sample_ties_are_exactly_the_intended_ones(good_release):
    ties = pd.read_parquet(good_release / "cluster_cce_ties.parquet")
    # the governance and international ties; member_company ties: tests/test_members_sample.py
    seats = ties[ties["tie_kind"] != "member_company"]
    got = {(r.cluster_id, r.advisor_id, r.tie_kind): r.match for r in seats.itertuples()}
    rows = _expected()
    want = {(r["cluster_id"], r["advisor_id"], r["tie_kind"]): r["expected_match"] for r in rows}
    intended = {k: v for k, v in want.items() if v != "none"}
    assert len(intended) == 10 and sum(v == "confirmed" for v in intended.values()) == 9
    assert got == intended
    # the homonyms and look-alikes: no tie of any kind between those pôles and advisors
    for r in rows:
        if r["expected_match"] == "none":
            assert not ((ties.cluster_id == r["cluster_id"]) & (ties.advisor_id == r["advisor_id"])).any(), r


def test_every_tie_has_evidence_on_its_poles_own_site(good_release):
    ties = pd.read_parquet(good_release / "cluster_cce_ties.parquet")
    clusters = pd.read_parquet(good_release / "clusters.parquet").set_index("cluster_id")
    governance = pd.read_parquet(good_release / "cluster_governance.parquet")
    assert len(ties) and governance["evidence_url"].notna().all() and governance["evidence_text"].notna().all()

    def host(url: str) -> str:
        return urlparse(url).hostname.removeprefix("www.")

    for t in ties.itertuples():
        assert host(t.evidence_url) == host(clusters.loc[t.cluster_id, "website"]), t


def test_the_headline_counts_the_sample(good_release):
    readme = (good_release / "README.md").read_text(encoding="utf-8")
    clusters = pd.read_parquet(good_release / "clusters.parquet")
    with_cce = int((clusters["n_cce_in_governance"] > 0).sum())
    # pôles with a confirmed governance seat in the ground truth (capenergies' tie is an
    # international contact, not a seat)
    seats = {
        r["cluster_id"]
        for r in _expected()
        if r["expected_match"] == "confirmed" and r["tie_kind"] == "governance_seat"
    }
    assert with_cce == len(seats) == 8
    assert f"**{with_cce} of 57 pôles have a CCE in their governance" in readme
    assert (clusters["governance_status"] == "found").sum() >= 15
