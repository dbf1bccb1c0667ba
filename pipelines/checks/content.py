"""Content checks of one table: volume, cardinality and spread, entity-level uniqueness, ranks.

GX checks a table's shape (keys, codes, formats); these check what it says. Each function takes
the table and a :class:`CheckContext` and returns ExpectationOutcomes whose messages name the
table, the expectation and example rows. The thresholds are stated here, with why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from common.places import fold
from common.sources import load_source, row_sources, source_read_by
from pipelines.checks.gx_suite import ExpectationOutcome
from pipelines.checks.outcomes import WARNING, outcome, text
from pipelines.schema import TABLES


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the tables: the previous release's row counts."""

    previous_release: str | None = None
    previous_counts: dict[str, int] = field(default_factory=dict)


# --- volume ------------------------------------------------------------------------------


def volume_sources() -> dict[str, str]:
    """Row-count floor of each table from the sources' assertions (sources/<source>.yml min_items):
    clusters and committees are one row per crawled item (the YAML's ``row_table``); every placed
    appointee (the crawl ``merged_advisors`` reads) is an advisor row; every pôle has at least one
    covering committee and one candidate in a sound run."""
    per_item = {table: source for table, source in row_sources(TABLES).items() if source}
    return {
        **per_item,
        "advisors": source_read_by("merged_advisors"),
        "cluster_committee_coverage": per_item["clusters"],
        "cluster_advisor_candidates": per_item["clusters"],
        "cluster_members": source_read_by("member_listings"),  # one row per member item of the directories
    }


# Against the previous release: a drop of more than MAX_DROP of the rows fails (a source lost
# pages), a rise of more than MAX_RISE warns (a layout change duplicating rows, or real growth).
MAX_DROP = 0.2
MAX_RISE = 0.5


def volume(table: str):
    """Row count against the source's minimum and against the previous release."""

    def check(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
        n = len(frame)
        results = []
        sources = volume_sources()
        if table in sources:
            source = sources[table]
            floor = load_source(source).assertions.min_items
            results.append(
                outcome(
                    table,
                    f"row_count_at_least_min_items_of_{source}",
                    n >= floor,
                    observed=f"{n} rows, sources/{source}.yml min_items {floor}",
                )
            )
        results.append(outcome(table, "table_not_empty", n > 0, observed=f"{n} rows"))
        before = ctx.previous_counts.get(table)
        if before:
            where = f"{n} rows, {before} in release {ctx.previous_release}"
            results.append(
                outcome(table, f"row_count_drop_at_most_{MAX_DROP:.0%}", n >= before * (1 - MAX_DROP), observed=where)
            )
            results.append(
                outcome(
                    table,
                    f"row_count_rise_at_most_{MAX_RISE:.0%}",
                    n <= before * (1 + MAX_RISE),
                    observed=where,
                    severity=WARNING,
                )
            )
        return results

    check.__name__ = f"volume_{table}"
    return check


# --- cardinality and spread --------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """A column's distinct values: at least ``min_distinct``; the most frequent at most ``max_share``."""

    column: str
    min_distinct: int
    max_share: float
    where: str | None = None  # pandas query selecting the rows it applies to
    why: str = ""


SPREADS = {
    # 57 pôles in the 13 metropolitan régions; the biggest (84) has 9 (16 %).
    "clusters": [Spread("region_code", 8, 0.35, why="pôles sit in most régions")],
    # ~150 committees and sections, the bundled 70 in 50 countries; France holds 21 (30 %).
    "cce_committees": [
        Spread("country_code", 20, 0.5, why="sections in many countries"),
        Spread("region_code", 10, 0.3, where="kind != 'country_section'", why="committees in most régions"),
    ],
    # 293 advisors on 70 committees, the biggest holds 8 (3 %); French advisors in 13 régions.
    "advisors": [
        Spread("committee_id", 10, 0.25, why="advisors on many committees"),
        Spread("region_code", 5, 0.6, where="region_code.notna()", why="French advisors in many régions"),
    ],
    "cluster_committee_coverage": [Spread("committee_id", 5, 0.5, why="pôles covered by many committees")],
    # Scores take few values (sums of three weights) but never one for every pair.
    "cluster_advisor_candidates": [
        Spread("cluster_id", 10, 0.2, why="candidates for many pôles"),
        Spread("score", 2, 0.9, why="scores differ between pairs"),
    ],
    "region_summary": [Spread("n_clusters", 3, 0.8, why="pôles are not spread evenly, nor all in one région")],
    # Seats read on 48 of the sample's 53 sites, at most ~4 % on one pôle: one pôle holding a
    # quarter of every seat means a page that is not a board (a members directory) was read as one.
    "cluster_governance": [
        Spread("cluster_id", 10, 0.25, why="seats on many pôles' sites"),
        Spread("role_kind", 3, 0.9, why="boards have presidents, officers and members"),
    ],
    # Directories of 100 to ~2,000 members each: one pôle holding more than 40 % of all members
    # means a page that is not a directory (a partners' logo wall, a news list) was read as one.
    "cluster_members": [
        Spread("cluster_id", 10, 0.4, why="members on many pôles' directories"),
        Spread("category", 3, 0.9, where="category.notna()", why="start-ups, SMEs, labs, schools..."),
    ],
}


def spread(table: str):
    def check(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
        results = []
        for s in SPREADS.get(table, []):
            if s.column not in frame.columns:
                results.append(outcome(table, "column_exists", False, column=s.column, observed="missing"))
                continue
            rows = frame.query(s.where, engine="python") if s.where and len(frame) else frame
            counts = rows[s.column].dropna().astype(str).value_counts()
            distinct = len(counts)
            share = counts.iloc[0] / counts.sum() if distinct else 1.0
            top = counts.index[0] if distinct else None
            results.append(
                outcome(
                    table,
                    f"distinct_values_at_least_{s.min_distinct}",
                    distinct >= s.min_distinct,
                    column=s.column,
                    observed=f"{distinct} distinct ({s.why})",
                )
            )
            results.append(
                outcome(
                    table,
                    f"most_frequent_value_share_at_most_{s.max_share:.0%}",
                    share <= s.max_share,
                    column=s.column,
                    observed=f"{top!r} in {share:.0%} of {int(counts.sum())} rows",
                )
            )
        return results

    check.__name__ = f"spread_{table}"
    return check


# --- entity-level uniqueness -------------------------------------------------------------


def _first(values) -> str:
    items = (
        list(values) if values is not None and not isinstance(values, str) and hasattr(values, "__iter__") else [values]
    )
    items = [v for v in items if v is not None and str(v).strip()]
    return fold(str(items[0])) if items else ""


def same_person_under_two_ids(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
    """advisors: one person (folded family name, first given name, committee, appointment) has one id."""
    table = "advisors"
    person = pd.DataFrame(
        {
            "family": frame["family_name"].map(lambda v: fold(str(v)).replace(" ", "") if v is not None else ""),
            "given": frame["given_names"].map(_first),
            "committee_id": text(frame["committee_id"]).fillna(""),
            "appointment_ref": text(frame["appointment_ref"]).fillna(""),
        },
        index=frame.index,
    )
    dup = person.duplicated(keep=False)
    bad = frame[dup].sort_values(["committee_id", "display_name", "advisor_id"])
    return [
        outcome(
            table,
            "one_advisor_id_per_person",
            not dup.any(),
            column="advisor_id",
            observed=f"{int(dup.sum())} rows share a person with another id",
            bad=bad,
            show=["advisor_id", "display_name", "committee_id", "appointment_ref"],
        )
    ]


def unique_folded(table: str, column: str, key: str):
    """Names that differ only by case, accents or punctuation are the same entity twice."""

    def check(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
        folded = frame[column].map(lambda v: fold(str(v)) if v is not None and not pd.isna(v) else None)
        dup = folded.notna() & folded.duplicated(keep=False)
        bad = frame[dup].sort_values(column)
        return [
            outcome(
                table,
                "folded_values_unique",
                not dup.any(),
                column=column,
                bad=bad,
                show=[key, column],
                observed=f"{int(dup.sum())} rows",
            )
        ]

    check.__name__ = f"unique_folded_{table}_{column}"
    return check


# --- scores and ranks --------------------------------------------------------------------


def ranks_follow_scores(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
    """cluster_advisor_candidates: within each pôle, ranks are 1..n with no gap or repeat, and
    a better rank never has a lower score (ties broken by advisor_id, per docs/scoring.md)."""
    table = "cluster_advisor_candidates"
    cols = ["cluster_id", "rank", "score", "advisor_id"]
    df = frame[cols].copy()
    df["rank"] = pd.to_numeric(df["rank"], errors="coerce")
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    df = df.sort_values(["cluster_id", "rank", "advisor_id"], kind="stable")
    expected_rank = df.groupby("cluster_id").cumcount() + 1
    not_dense = df[df["rank"].ne(expected_rank)]
    first = df.groupby("cluster_id")["rank"].min()
    bad_start = df[df["cluster_id"].isin(first[first.ne(1)].index) & df["rank"].eq(df["cluster_id"].map(first))]
    prev_score = df.groupby("cluster_id")["score"].shift()
    prev_id = df.groupby("cluster_id")["advisor_id"].shift()
    rises = df[
        prev_score.notna() & ((df["score"] > prev_score) | ((df["score"] == prev_score) & (df["advisor_id"] < prev_id)))
    ]
    return [
        outcome(
            table,
            "ranks_start_at_1",
            bad_start.empty,
            column="rank",
            bad=bad_start,
            show=cols,
            observed=f"{len(bad_start)} pôles",
        ),
        outcome(
            table,
            "ranks_dense_within_cluster",
            not_dense.empty,
            column="rank",
            bad=not_dense,
            show=cols,
            observed=f"{len(not_dense)} rows",
        ),
        outcome(
            table,
            "scores_non_increasing_with_rank",
            rises.empty,
            column="score",
            bad=rises,
            show=cols,
            observed=f"{len(rises)} rows score above the rank before them",
        ),
    ]


# docs/scoring.md: territory weight (same_committee 0.5, member_region 0.35, same_region 0.25)
# + sector 0.35 + keyword 0.15, clipped to [0, 1]. Written out here, not imported from the scorer.
TERRITORY_WEIGHTS = {"same_committee": 0.5, "member_region": 0.35, "same_region": 0.25}
SECTOR_WEIGHT, KEYWORD_WEIGHT = 0.35, 0.15


def scores_match_their_reasons(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
    """A pair scores at least its territory weight (plus the sector weight when sector_match), and
    at most what its territory, sector and keyword could add up to: never 0 for a candidate."""
    table = "cluster_advisor_candidates"
    base = frame["territory_match"].map(TERRITORY_WEIGHTS)
    sector = frame["sector_match"].map(lambda v: isinstance(v, (bool, np.bool_)) and bool(v))  # null: no sector known
    low = base + SECTOR_WEIGHT * sector.astype(float)
    high = (base + SECTOR_WEIGHT * sector.astype(float) + KEYWORD_WEIGHT).clip(upper=1.0)
    score = pd.to_numeric(frame["score"], errors="coerce")
    tol = 1e-6
    bad = frame[base.isna() | score.isna() | (score < low - tol) | (score > high + tol)]
    return [
        outcome(
            table,
            "score_within_its_weights",
            bad.empty,
            column="score",
            bad=bad,
            show=["cluster_id", "advisor_id", "score", "territory_match", "sector_match"],
            observed=f"{len(bad)} pairs",
        )
    ]
