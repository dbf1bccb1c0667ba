"""The release writer: immutability, determinism, history, refusal, run records."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from common.sources import all_sources
from pipelines.publish import (
    ReleaseRefused,
    TableValidationError,
    latest_release,
    publish_release,
    record_run,
    write_release,
)
from pipelines.publish.sample import sample_checks, sample_crawls, sample_issues, sample_tables

DAY1 = dt.date(2026, 11, 2)
DAY2 = dt.date(2026, 11, 9)
TABLE_FILES = (
    "clusters",
    "cce_committees",
    "advisors",
    "cluster_committee_coverage",
    "cluster_advisor_candidates",
    "region_summary",
)


def release(tmp_path: Path, tables=None, *, run_date=DAY1, checks=None) -> Path:
    return write_release(
        sample_tables() if tables is None else tables,
        releases_dir=tmp_path / "releases",
        run_date=run_date,
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks() if checks is None else checks,
    )


def sums(folder: Path) -> dict[str, str]:
    return {name: h for h, name in (line.split("  ") for line in (folder / "SHA256SUMS").read_text().splitlines())}


def changes(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "changes.parquet")


def test_two_runs_same_inputs_same_content(tmp_path):
    first = release(tmp_path)
    second = release(tmp_path)
    assert (first.name, second.name) == ("2026-11-02.1", "2026-11-02.2")
    assert latest_release(tmp_path / "releases") == second
    assert os.readlink(tmp_path / "releases" / "latest") == "2026-11-02.2"  # relative link
    assert len(changes(first)) == sum(len(df) for df in sample_tables().values())  # first release: all added
    assert set(changes(first)["change"]) == {"added"}
    assert changes(second).empty
    s1, s2 = sums(first), sums(second)
    for name in TABLE_FILES:
        for ext in ("parquet", "csv"):
            assert s1[f"{name}.{ext}"] == s2[f"{name}.{ext}"], f"{name}.{ext} differs"
    # the folder holds exactly what it lists, and the checksums are right
    listed = set(s2) | {"SHA256SUMS"}
    assert listed == {p.name for p in second.iterdir()}
    import hashlib

    assert all(hashlib.sha256((second / n).read_bytes()).hexdigest() == h for n, h in s2.items())
    # no temporary leftovers
    assert not [p for p in (tmp_path / "releases").iterdir() if p.name.startswith(".tmp")]


def test_crashed_writer_leftovers_are_cleaned(tmp_path):
    stale = tmp_path / "releases" / ".tmp-release-crashed"
    stale.mkdir(parents=True)
    (stale / "clusters.parquet").write_bytes(b"half")
    out = release(tmp_path)
    assert not stale.exists() and out.name == "2026-11-02.1"


def test_next_week_keeps_first_seen_and_content_checksum(tmp_path):
    first = release(tmp_path)
    later = release(tmp_path, run_date=DAY2)
    assert later.name == "2026-11-09.1"
    clusters = pd.read_parquet(later / "clusters.parquet")
    assert set(clusters["first_seen"]) == {DAY1}
    assert set(clusters["last_seen"]) == {DAY2}
    assert changes(later).empty
    m1 = json.loads((first / "release.json").read_text())
    m2 = json.loads((later / "release.json").read_text())
    for name in TABLE_FILES:  # last_seen moved, the content did not
        assert m1["tables"][name]["content_sha256"] == m2["tables"][name]["content_sha256"]
    assert m2["previous_release"] == "2026-11-02.1"


def test_added_modified_removed(tmp_path):
    release(tmp_path)
    tables = sample_tables()
    clusters = tables["clusters"]
    av = clusters.index[clusters.cluster_id == "aerospace-valley"][0]
    clusters.at[av, "website"] = "https://example.invalid/av-new"
    clusters["themes"] = [
        ["Aéronautique", "Spatial", "Défense"] if i == av else t for i, t in clusters["themes"].items()
    ]
    extra = clusters.iloc[[0]].assign(cluster_id="new-pole", name="Nouveau pôle")
    tables["clusters"] = pd.concat([clusters, extra], ignore_index=True)
    tables["cluster_advisor_candidates"] = tables["cluster_advisor_candidates"].iloc[1:]  # drop (aerospace-valley, a1)
    second = release(tmp_path, tables, run_date=DAY2)

    got = {(r.table, r.key, r.change): list(r.changed_columns) for r in changes(second).itertuples()}
    assert got == {
        ("clusters", "new-pole", "added"): [],
        ("clusters", "aerospace-valley", "modified"): ["themes", "website"],
        ("cluster_advisor_candidates", "aerospace-valley|a1", "removed"): [],
    }
    ch = changes(second)
    assert list(ch.loc[ch.change == "removed", "key_values"].iloc[0]) == ["aerospace-valley", "a1"]

    clusters = pd.read_parquet(second / "clusters.parquet").set_index("cluster_id")
    assert clusters.loc["new-pole", "first_seen"] == DAY2
    assert clusters.loc["aerospace-valley", "first_seen"] == DAY1  # modified rows keep their first_seen
    assert (clusters["last_seen"] == DAY2).all()
    # the changed row reads back as the new value
    assert list(clusters.loc["aerospace-valley", "themes"]) == ["Aéronautique", "Spatial", "Défense"]


def test_dropped_table_is_reported_removed(tmp_path):
    release(tmp_path)
    tables = sample_tables()
    del tables["cluster_advisor_candidates"]
    second = release(tmp_path, tables)
    ch = changes(second)
    assert set(ch["table"]) == {"cluster_advisor_candidates"} and set(ch["change"]) == {"removed"}
    assert not (second / "cluster_advisor_candidates.parquet").exists()


def test_failing_check_writes_nothing_and_keeps_latest(tmp_path):
    first = release(tmp_path)
    before = sorted(p.name for p in (tmp_path / "releases").iterdir())
    checks = sample_checks() + [
        {
            "table": "advisors",
            "check": "row_count_min",
            "passed": False,
            "severity": "error",
            "description": "At least 4000 advisors.",
            "source": "cce_appointments",
        },
    ]
    with pytest.raises(ReleaseRefused, match="advisors.row_count_min"):
        publish_release(
            sample_tables(),
            releases_dir=tmp_path / "releases",
            runs_dir=tmp_path / "runs",
            run_date=DAY2,
            sources=all_sources(),
            crawls=sample_crawls(),
            issues=[],
            checks=checks,
            run_id="run-42",
        )
    assert sorted(p.name for p in (tmp_path / "releases").iterdir()) == before
    assert latest_release(tmp_path / "releases") == first

    record = json.loads((tmp_path / "runs" / "run-42.json").read_text())
    assert record["status"] == "refused" and record["release_id"] is None
    blocking = [c for c in record["failed_checks"] if c["blocking"]]
    assert [(c["table"], c["check"], c["sources"]) for c in blocking] == [
        ("advisors", "row_count_min", ["cce_appointments"])
    ]
    # the warning that failed is recorded too, with the table's sources from the contract
    warning = next(c for c in record["failed_checks"] if not c["blocking"])
    assert warning["table"] == "clusters" and warning["sources"] == [
        "poles",
        "company_register",
        "pole_members",
        "pole_sites",
    ]
    assert "advisors.row_count_min" in record["error"]


def test_publish_release_records_success(tmp_path):
    path = publish_release(
        sample_tables(),
        releases_dir=tmp_path / "releases",
        runs_dir=tmp_path / "runs",
        run_date=DAY1,
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
        run_id="run-1",
    )
    record = json.loads((tmp_path / "runs" / "run-1.json").read_text())
    assert record["status"] == "published" and record["release_id"] == path.name
    assert not (path / "run-1.json").exists()  # run records live outside the releases


def test_record_run_generates_an_id(tmp_path):
    path = record_run(tmp_path / "runs", {"status": "failed", "error": "crawl of poles yielded 3 items"})
    assert path.parent == tmp_path / "runs"
    assert json.loads(path.read_text())["run_id"] == path.stem


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t["clusters"].drop(columns=["website"]), "clusters.*missing column.*website"),
        (lambda t: t["clusters"].assign(colour="blue"), "clusters.*not in the schema: colour"),
        (
            lambda t: t["clusters"].assign(region_code=[None, "76", "11", "53", "24"]),
            "clusters.*'region_code' is required but has 1 null",
        ),
        (
            lambda t: pd.concat([t["clusters"], t["clusters"].iloc[[0]]]),
            r"clusters.*primary key \(cluster_id\).*aerospace-valley",
        ),
        (
            lambda t: t["clusters"].assign(label_start_year=["2023"] * 5),
            "clusters.*'label_start_year' cannot be read as int64",
        ),
        (lambda t: t["clusters"].assign(themes="Aéronautique"), "clusters.*'themes' cannot be read as list"),
    ],
)
def test_contract_violations_are_named_and_block(tmp_path, mutate, message):
    tables = sample_tables()
    tables["clusters"] = mutate(tables)
    with pytest.raises(TableValidationError, match="(?s)" + message):
        release(tmp_path, tables)
    assert not list((tmp_path / "releases").glob("2026-*"))


def test_orphan_foreign_key_blocks(tmp_path):
    tables = sample_tables()
    tables["advisors"].loc[0, "committee_id"] = "regional-atlantide"
    with pytest.raises(TableValidationError, match="(?s)advisors.*committee_id.*regional-atlantide"):
        release(tmp_path, tables)


def test_input_order_does_not_matter(tmp_path):
    a = release(tmp_path / "a")
    shuffled = {n: df.sample(frac=1, random_state=1)[list(reversed(df.columns))] for n, df in sample_tables().items()}
    b = release(tmp_path / "b", shuffled)
    sa, sb = sums(a), sums(b)
    assert all(sa[f"{n}.parquet"] == sb[f"{n}.parquet"] for n in TABLE_FILES)


def test_writes_partial_table_sets(tmp_path):
    out = release(tmp_path, {"clusters": sample_tables()["clusters"]})
    assert {p.name for p in out.glob("*.parquet")} == {"clusters.parquet", "changes.parquet"}
    assert "clusters" in (out / "README.md").read_text()


def test_readme_is_a_data_dictionary(tmp_path):
    out = release(tmp_path)
    readme = (out / "README.md").read_text()
    assert "| `cluster_id` | text | yes |" in readme
    assert "| `themes` | list of text |" in readme
    assert "| `appointment_date` | date |" in readme
    assert "never publishes personal e-mail addresses or phone numbers" in readme
    assert "opt-out" in readme
    assert "2026-11-01T06:00:00Z" in readme  # crawl dates of the sources
    issues = json.loads((out / "issues.json").read_text())
    assert issues == sample_issues()


def test_accepts_pandas_nullable_and_datetime_dtypes(tmp_path):
    """Clean steps may hand over Int64, string dtypes, pd.NA, datetime64 or ISO strings for dates."""
    plain = release(tmp_path / "plain")
    tables = sample_tables()
    c = tables["clusters"]
    c["label_start_year"] = c["label_start_year"].astype("Int64")
    c["siren"] = pd.array([pd.NA] * len(c), dtype="string")
    c["short_name"] = c["short_name"].astype("string")
    c["latitude"] = c["latitude"].astype("Float64")
    a = tables["advisors"]
    a["appointment_date"] = pd.to_datetime(a["appointment_date"])
    a["mandate_end"] = a["mandate_end"].map(lambda d: d.isoformat())
    a["naf_section"] = pd.Series([pd.NA] * len(a), dtype=object)
    typed = release(tmp_path / "typed", tables)
    s1, s2 = sums(plain), sums(typed)
    assert s1["clusters.parquet"] == s2["clusters.parquet"]
    assert s1["advisors.parquet"] == s2["advisors.parquet"]
