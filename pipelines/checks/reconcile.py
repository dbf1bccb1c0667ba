"""Reconciliation: facts of one table recomputed from other tables and the reference files.

Nothing here calls the join code that built the tables (pipelines/join/): the committees'
territories are read from ``reference/committee_departements.csv`` and the INSEE tables, and
the rules are those the tables' docstrings and docs/scoring.md state, written out again. A
check that only re-ran the builder would hold by construction.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from common.paths import REFERENCE_DIR
from common.places import departements, regions
from pipelines.checks.content import CheckContext
from pipelines.checks.gx_suite import ExpectationOutcome
from pipelines.checks.outcomes import outcome, text

ORIGIN = "reconciliation"


def _list(value) -> list:
    if value is None or isinstance(value, str):
        return [value] if isinstance(value, str) and value else []
    if hasattr(value, "tolist"):
        value = value.tolist()
    try:
        return [v for v in value if v is not None]
    except TypeError:
        return []


@cache
def reference_territories() -> dict[str, dict]:
    """reference/committee_departements.csv: committee_id -> {region_code, departements}."""
    with (REFERENCE_DIR / "committee_departements.csv").open(encoding="utf-8") as fh:
        return {
            r["committee_id"]: {
                "region_code": r["region_code"] or None,
                "departements": frozenset(r["departement_codes"].split()),
            }
            for r in csv.DictReader(fh)
        }


def _french(committees: pd.DataFrame) -> pd.DataFrame:
    kind = text(committees["kind"])
    country = text(committees["country_code"])
    return committees[(kind != "country_section") & (country == "FR")]


def expected_coverage(clusters: pd.DataFrame, committees: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(cluster_id, committee_id, relation) per the territory table, for the committees crawled.

    head_office: the committee's territory holds the head-office département (or, the département
    unknown, the committee sits in the head-office région); member_region: it sits in another
    région of the pôle. A committee "sits in" its own région and in those of its départements."""
    ref = reference_territories()
    present = [c for c in text(_french(committees)["committee_id"]).dropna() if c in ref]
    region_of = {code: row["region_code"] or None for code, row in departements().items()}

    def in_region(region: str) -> set[str]:
        return {
            c
            for c in present
            if ref[c]["region_code"] == region or any(region_of.get(d) == region for d in ref[c]["departements"])
        }

    pairs = set()
    for cluster_id, dep, region, others in zip(
        clusters["cluster_id"],
        text(clusters["departement_code"]),
        text(clusters["region_code"]),
        clusters["other_region_codes"],
    ):
        head = {c for c in present if dep in ref[c]["departements"]} if dep in region_of else in_region(region)
        member = set()
        for other in _list(others):
            if other != region and other in regions():
                member |= in_region(other)
        pairs |= {(cluster_id, c, "head_office") for c in head}
        pairs |= {(cluster_id, c, "member_region") for c in member - head}
    return pairs


def coverage_agrees_with_territory_table(
    frames: dict[str, pd.DataFrame], ctx: CheckContext
) -> list[ExpectationOutcome]:
    """cluster_committee_coverage holds exactly the pairs the territory table implies, with the
    head-office département on head_office rows."""
    table = "cluster_committee_coverage"
    coverage, clusters = frames[table], frames["clusters"]
    want = expected_coverage(clusters, frames["cce_committees"])
    got = set(zip(coverage["cluster_id"], coverage["committee_id"], coverage["relation"]))
    cols = ["cluster_id", "committee_id", "relation"]
    missing = pd.DataFrame(sorted(want - got), columns=cols)
    extra = pd.DataFrame(sorted(got - want), columns=cols)
    dep_of = dict(zip(clusters["cluster_id"], text(clusters["departement_code"])))
    head = coverage[text(coverage["relation"]) == "head_office"]
    wrong_dep = head[
        [text(pd.Series([d]))[0] != dep_of.get(c) for c, d in zip(head["cluster_id"], head["departement_code"])]
    ]
    uncovered = sorted(set(clusters["cluster_id"]) - {c for c, _, _ in want})
    return [
        outcome(
            table,
            "every_territory_pair_present",
            missing.empty,
            bad=missing,
            origin=ORIGIN,
            observed=f"{len(missing)} pairs of reference/committee_departements.csv missing",
        ),
        outcome(
            table,
            "no_pair_outside_the_territory_table",
            extra.empty,
            bad=extra,
            origin=ORIGIN,
            observed=f"{len(extra)} pairs no territory in reference/committee_departements.csv implies",
        ),
        outcome(
            table,
            "head_office_departement_is_the_clusters",
            wrong_dep.empty,
            column="departement_code",
            bad=wrong_dep,
            show=["cluster_id", "committee_id", "departement_code"],
            origin=ORIGIN,
            observed=f"{len(wrong_dep)} rows",
        ),
        # Not a failure by itself (a pôle can sit where no committee is), but said.
        outcome(
            table,
            "every_cluster_has_a_committee",
            not uncovered,
            origin=ORIGIN,
            severity="warning",
            observed=f"{len(uncovered)} pôles without a committee in the territory table: {uncovered[:5]}",
        ),
    ]


def committees_agree_with_territory_table(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
    """cce_committees: a French committee of the territory table has its région and départements."""
    table = "cce_committees"
    ref = reference_territories()
    fr = _french(frame)
    rows = []
    for cid, region, deps in zip(fr["committee_id"], text(fr["region_code"]), fr["departement_codes"]):
        if cid in ref and (region != ref[cid]["region_code"] or frozenset(_list(deps)) != ref[cid]["departements"]):
            rows.append(
                {
                    "committee_id": cid,
                    "region_code": region,
                    "departement_codes": sorted(_list(deps)),
                    "reference": [ref[cid]["region_code"], sorted(ref[cid]["departements"])],
                }
            )
    bad = pd.DataFrame(rows, columns=["committee_id", "region_code", "departement_codes", "reference"])
    return [
        outcome(
            table,
            "territory_as_in_reference_committee_departements",
            bad.empty,
            bad=bad,
            origin=ORIGIN,
            observed=f"{len(bad)} committees",
        )
    ]


def clusters_region_of_their_departement(frame: pd.DataFrame, ctx: CheckContext) -> list[ExpectationOutcome]:
    """clusters: the head-office région is the région of the head-office département (INSEE)."""
    table = "clusters"
    region_of = {code: row["region_code"] or None for code, row in departements().items()}
    dep, region = text(frame["departement_code"]), text(frame["region_code"])
    known = dep.isin(list(region_of))
    bad = frame[known & (region != dep.map(region_of))]
    return [
        outcome(
            table,
            "region_code_is_the_region_of_departement_code",
            bad.empty,
            column="region_code",
            bad=bad,
            show=["cluster_id", "departement_code", "region_code"],
            origin=ORIGIN,
            observed=f"{len(bad)} rows",
        )
    ]


def advisors_agree_with_their_committee(frames: dict[str, pd.DataFrame], ctx: CheckContext) -> list[ExpectationOutcome]:
    """advisors: the committee exists; the advisor's country and région are the committee's."""
    table = "advisors"
    advisors, committees = frames[table], frames["cce_committees"]
    known = committees.drop_duplicates("committee_id").set_index("committee_id")
    cid = advisors["committee_id"]
    orphan = advisors[~cid.isin(known.index)]
    placed = advisors[cid.isin(known.index)]
    want_region = text(placed["committee_id"].map(known["region_code"]))
    want_country = text(placed["committee_id"].map(known["country_code"]))
    have_region, have_country = text(placed["region_code"]), text(placed["country_code"])
    region_bad = placed[~((have_region == want_region) | (have_region.isna() & want_region.isna()))]
    country_bad = placed[have_country != want_country]
    show = ["advisor_id", "committee_id", "country_code", "region_code"]
    return [
        outcome(
            table,
            "committee_id_in_cce_committees",
            orphan.empty,
            column="committee_id",
            bad=orphan,
            show=show,
            origin=ORIGIN,
            observed=f"{len(orphan)} rows",
        ),
        outcome(
            table,
            "region_code_is_the_committees",
            region_bad.empty,
            column="region_code",
            bad=region_bad,
            show=show,
            origin=ORIGIN,
            observed=f"{len(region_bad)} rows",
        ),
        outcome(
            table,
            "country_code_is_the_committees",
            country_bad.empty,
            column="country_code",
            bad=country_bad,
            show=show,
            origin=ORIGIN,
            observed=f"{len(country_bad)} rows",
        ),
    ]


def region_summary_recomputed(frames: dict[str, pd.DataFrame], ctx: CheckContext) -> list[ExpectationOutcome]:
    """region_summary: every count recomputed from clusters, committees and advisors, and the
    pôles without a committee from the territory table (not from the coverage table)."""
    table = "region_summary"
    summary, clusters, committees, advisors = (
        frames[table],
        frames["clusters"],
        frames["cce_committees"],
        frames["advisors"],
    )
    fr = _french(committees)
    committee_region = dict(zip(fr["committee_id"], text(fr["region_code"])))
    n_clusters = text(clusters["region_code"]).value_counts()
    n_committees = text(fr["region_code"]).value_counts()
    n_advisors = advisors.drop_duplicates("advisor_id")["committee_id"].map(committee_region).value_counts()
    covered = {c for c, _, _ in expected_coverage(clusters, committees)}
    gaps: dict[str, list[str]] = {}
    for cid, region in zip(clusters["cluster_id"], text(clusters["region_code"])):
        if cid not in covered:
            gaps.setdefault(region, []).append(cid)

    rows = []
    published = summary.set_index(text(summary["region_code"]))
    for code in regions():
        want = {
            "n_clusters": int(n_clusters.get(code, 0)),
            "n_committees": int(n_committees.get(code, 0)),
            "n_advisors": int(n_advisors.get(code, 0)),
            "clusters_without_committee": sorted(gaps.get(code, [])),
        }
        want["advisors_per_cluster"] = round(want["n_advisors"] / want["n_clusters"], 6) if want["n_clusters"] else None
        if code not in published.index:
            rows.append({"region_code": code, "column": "(row)", "published": None, "recomputed": "one row per région"})
            continue
        got = published.loc[code]
        for column, value in want.items():
            have = got[column]
            if column == "clusters_without_committee":
                have = sorted(_list(have))
            elif column == "advisors_per_cluster":
                have = None if pd.isna(have) else round(float(have), 6)
            else:
                have = None if pd.isna(have) else int(have)
            if have != value:
                rows.append({"region_code": code, "column": column, "published": have, "recomputed": value})
    bad = pd.DataFrame(rows, columns=["region_code", "column", "published", "recomputed"], dtype=object)
    return [
        outcome(
            table,
            "counts_match_clusters_committees_advisors",
            bad.empty,
            bad=bad,
            origin=ORIGIN,
            observed=f"{len(bad)} values differ",
        )
    ]


def candidates_agree_with_coverage(frames: dict[str, pd.DataFrame], ctx: CheckContext) -> list[ExpectationOutcome]:
    """cluster_advisor_candidates: the territory a pair claims holds in the other tables (same_committee:
    the advisor's committee covers the head office; member_region: another région; same_region:
    the advisor's région is the pôle's)."""
    table = "cluster_advisor_candidates"
    cand, coverage, advisors, clusters = (
        frames[table],
        frames["cluster_committee_coverage"],
        frames["advisors"],
        frames["clusters"],
    )
    pairs = set(zip(coverage["cluster_id"], coverage["committee_id"], coverage["relation"]))
    adv = advisors.drop_duplicates("advisor_id").set_index("advisor_id")
    committee = cand["advisor_id"].map(adv["committee_id"])
    adv_region = text(cand["advisor_id"].map(adv["region_code"]))
    cluster_region = text(
        cand["cluster_id"].map(clusters.drop_duplicates("cluster_id").set_index("cluster_id")["region_code"])
    )
    ok = []
    for cl, com, match, ar, cr in zip(
        cand["cluster_id"], committee, cand["territory_match"], adv_region, cluster_region
    ):
        if match == "same_committee":
            ok.append((cl, com, "head_office") in pairs)
        elif match == "member_region":
            ok.append((cl, com, "member_region") in pairs)
        elif match == "same_region":
            ok.append(ar is not None and ar == cr)
        else:
            ok.append(False)
    bad = cand[[not v for v in ok]]
    return [
        outcome(
            table,
            "territory_match_holds_in_coverage_and_advisors",
            bad.empty,
            column="territory_match",
            bad=bad,
            show=["cluster_id", "advisor_id", "territory_match", "score"],
            origin=ORIGIN,
            observed=f"{len(bad)} pairs",
        )
    ]
