"""The pipeline's steps without Dagster: the same pure functions the assets call, in the same order.

Used by the plain script (part 2) and the scale runs (part 3). Each step returns its outputs;
``Timings`` records how long each took.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from common.sources import all_sources, load_source, row_sources, source_read_by
from pipelines.checks.gx_suite import ExpectationOutcome, foreign_key_suite, run_suite
from pipelines.clean.advisors import merge_advisors
from pipelines.clean.cce_committees import clean_cce_committees, officers_of
from pipelines.clean.clusters import clean_clusters
from pipelines.clean.frames import conform
from pipelines.clean.governance import add_governance_columns, clean_seats, clean_sites, governance_table
from pipelines.enrich.register import advisor_company_matches, company_matches, enrich_advisors, enrich_clusters
from pipelines.join.candidates import cluster_advisor_candidates
from pipelines.join.coverage import cluster_committee_coverage
from pipelines.join.members import (
    add_member_counts,
    advisor_company_frame,
    directories_read,
    member_company_ties,
    members_table,
)
from pipelines.join.region_summary import region_summary
from pipelines.join.ties import apply_judgements, load_judgements, match_ties
from pipelines.publish.release import publish_release
from pipelines.schema import ADVISORS, CCE_COMMITTEES, CLUSTERS, TABLES

# Published table -> the source whose row counts its suite adds (as pipelines/definitions.py).
PUBLISHED_TABLES = row_sources(TABLES)
TOP_N = 20


class Timings(dict):
    @contextmanager
    def step(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self[name] = round(self.get(name, 0.0) + time.perf_counter() - started, 3)


def clean_directory(items: dict[str, list[dict]], t: Timings):
    """Clean steps that need no company register, from {source: crawled items}:
    (directory_clusters, committees, merged advisors, issues)."""
    poles_items, committee_items = items["poles"], items["cce_committees"]
    appointee_items = items[source_read_by("merged_advisors")]
    with t.step("directory_clusters"):
        directory, i1 = clean_clusters(poles_items)
    with t.step("cce_committees"):
        committees, i2 = clean_cce_committees(committee_items)
        committees = conform(committees, CCE_COMMITTEES)
    with t.step("cce_officers"):
        officers = officers_of(committee_items)
    with t.step("merged_advisors"):
        merged, i3 = merge_advisors(appointee_items, officers, committees)
    return directory, committees, merged, i1 + i2 + i3


def clean_crawled(source: str, items: list[dict], t: Timings) -> tuple[dict, list]:
    """Clean tables built from a crawl that itself needed tables (the asset graph's clean
    assets downstream of such a crawl): {table: frame}, issues."""
    if source != "pole_members":
        return {}, []
    from pipelines.clean.members import clean_member_listings

    with t.step("member_listings"):
        members, issues = clean_member_listings(items)
    return {"member_listings": members}, issues


def enrich(directory, merged, items: dict[str, list[dict]], t: Timings):
    register_items = items[source_read_by("advisors")]  # the register crawl
    with t.step("clusters"):
        clusters, i1 = enrich_clusters(directory, register_items)
        clusters = conform(clusters, CLUSTERS)
    with t.step("advisors"):  # as the multi-asset: one matching gives advisors and advisor_companies
        matches, i2 = company_matches(merged, register_items)
        advisors, _ = enrich_advisors(merged, [], matches=matches)
        advisors = conform(advisors, ADVISORS)
        companies = advisor_company_frame(advisor_company_matches(advisors, [], matches=matches))
    return clusters, advisors, companies, i1 + i2


def join(
    clusters,
    committees,
    advisors,
    t: Timings,
    items: dict[str, list[dict]] | None = None,
    member_listings: pd.DataFrame | None = None,
    advisor_companies: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    # The join functions return contract-shaped frames (as the join assets publish them).
    from pipelines.clean.members import clean_member_listings
    from pipelines.enrich.members import resolve_members
    from pipelines.schema import CLUSTER_CCE_TIES

    items = items or {}
    register_items = list(items.get(source_read_by("advisors"), []))  # the register crawl
    # As the assets pole_site_status, pole_seats, member_listings, cluster_members, advisor_companies,
    # tie_matches, cluster_governance, clusters, cluster_cce_ties.
    site_items = items.get("pole_sites", [])
    member_items = list(items.get("pole_members", []))
    ids = clusters["cluster_id"].tolist()
    with t.step("pole_site_status"):
        sites, _ = clean_sites(site_items, ids)
    with t.step("pole_seats"):
        seats, _ = clean_seats(site_items, ids)
    if member_listings is None:  # the scale runs: cleaned here (the plain script did it after the crawl)
        with t.step("member_listings"):
            member_listings, _ = clean_member_listings(member_items)
    listings = member_listings
    with t.step("cluster_members"):
        members, _ = members_table(resolve_members(listings, register_items)[0])
    companies = advisor_companies
    if companies is None:  # not from enrich(): matched here
        with t.step("advisor_companies"):
            companies = advisor_company_frame(advisor_company_matches(advisors, register_items))
    with t.step("tie_matches"):
        proposed, _ = match_ties(
            seats[~seats["opted_out"].astype(bool)],
            advisors,
            clusters,
            committees,
            sites,
            advisor_sirens=dict(zip(companies["advisor_id"], companies["siren"])),
        )
        ties = conform(apply_judgements(proposed, load_judgements())[0], CLUSTER_CCE_TIES)
    with t.step("cluster_governance"):
        governance = governance_table(seats, ties)
    with t.step("clusters"):
        clusters = add_governance_columns(clusters, sites, ties)
        clusters = conform(add_member_counts(clusters, listings, directories_read(member_items)), CLUSTERS)
    with t.step("cluster_cce_ties"):
        member_ties = member_company_ties(members, advisors, companies)
        ties = conform(pd.concat([ties, member_ties], ignore_index=True), CLUSTER_CCE_TIES)

    with t.step("cluster_committee_coverage"):
        coverage = cluster_committee_coverage(clusters, committees)
    with t.step("cluster_advisor_candidates"):
        candidates = cluster_advisor_candidates(clusters, committees, advisors, coverage, top_n=TOP_N)
    with t.step("region_summary"):
        summary = region_summary(clusters, committees, advisors, coverage, ties)
    return {
        "clusters": clusters,
        "cce_committees": committees,
        "advisors": advisors,
        "cluster_committee_coverage": coverage,
        "cluster_advisor_candidates": candidates,
        "region_summary": summary,
        "cluster_governance": governance,
        "cluster_members": members,
        "cluster_cce_ties": ties,
    }


def _record(table, check, source_name, outcome) -> dict:
    failures, warnings = outcome.failures, outcome.warnings
    return {
        "table": table,
        "check": check,
        "source": source_name,
        "passed": not failures,
        "severity": "error" if failures else ("warning" if warnings else "none"),
        "failures": [f.describe() for f in failures],
        "warnings": [w.describe() for w in warnings],
        "expectations": len(outcome.results),
    }


def source_checks(raw: dict[str, tuple[list, list]], t: Timings) -> list[dict]:
    """``raw_<source>:source_assertions`` of every source: {source: (items, issues)}."""
    records = []
    with t.step("checks/source_assertions"):
        for name, (items, issues) in raw.items():
            source = load_source(name)
            outcome = run_suite(f"raw_{name}", pd.DataFrame(items), source, suite={"expectations": []})
            errors = [i for i in issues if i["severity"] == "error"]
            outcome.results.append(
                ExpectationOutcome(
                    "issue_log_errors_at_most",
                    None,
                    len(errors) <= source.assertions.max_errors,
                    "error",
                    len(errors),
                    origin="source assertions",
                )
            )
            records.append(_record(f"raw_{name}", "source_assertions", name, outcome))
    return records


def table_checks(tables: dict[str, pd.DataFrame], t: Timings) -> list[dict]:
    """Every published table's GX suite and foreign keys, as the blocking asset checks run them."""
    records = []
    for table, source_name in PUBLISHED_TABLES.items():
        with t.step(f"checks/{table}"):
            source = load_source(source_name) if source_name else None
            records.append(
                _record(table, "gx_suite", source_name, run_suite(table, tables[table], source, fill_rates=False))
            )
            for fk in TABLES[table].foreign_keys:
                suite = foreign_key_suite(tables[table], tables[fk.table], fk.columns, fk.ref_columns)
                records.append(
                    _record(table, f"fk_{'_'.join(fk.columns)}", None, run_suite(table, tables[table], suite=suite))
                )
    return records


def publish(tables, data_dir: Path, crawls: dict, issues: list, checks: list, t: Timings) -> Path:
    with t.step("release"):
        return publish_release(
            tables,
            releases_dir=data_dir / "releases",
            runs_dir=data_dir / "runs",
            run_date=dt.date.today(),
            sources=all_sources(),
            crawls=crawls,
            issues=[i.to_dict() if hasattr(i, "to_dict") else i for i in issues],
            checks=checks,
        )
