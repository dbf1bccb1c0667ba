"""Every check of the published tables, in one list, run by Dagster and by the command line alike.

A :class:`Check` is attached to one table (its Dagster asset), reads that table and the
``inputs`` it names, and returns ExpectationOutcomes. ``pipelines/checks/assets.py`` turns each
into a blocking Dagster asset check; ``python -m pipelines.checks RELEASE_DIR`` runs the same
list on a release folder's Parquet files. One implementation, two runners.

Per published table (``<table>:<name>`` in the Dagster UI):
- ``gx_suite``: the hand-reviewed GX suite expectations/<table>.json (+ the source's row counts);
- ``fk_<column>``: the data contract's foreign keys;
- ``content``: the pandas functions of :data:`TABLE_CHECKS` (volume, spread, uniqueness, ranks...);
- cross-table reconciliations (:data:`CROSS_TABLE_CHECKS`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from common.sources import load_source
from pipelines.checks import content, members, reconcile
from pipelines.checks.content import CheckContext
from pipelines.checks.gx_suite import ExpectationOutcome, SuiteOutcome, foreign_key_suite, run_suite
from pipelines.schema import TABLES

# A table-level check: ``fn(frame)`` or ``fn(frame, ctx)`` returning ExpectationOutcomes (a list,
# or a SuiteOutcome). Its messages should name the table, the expectation and an example row
# (pipelines/checks/outcomes.py: ``outcome(table, expectation, success, bad=rows, show=columns)``).
TableCheck = Callable[..., "Iterable[ExpectationOutcome] | SuiteOutcome"]

# The ``<table>:content`` check runs every function listed for the table. To add a check of one
# table (e.g. pipelines/checks/personal_data.py), append its function to the table's list here:
#     from pipelines.checks.personal_data import check_personal_data
#     TABLE_CHECKS["advisors"].append(check_personal_data)
TABLE_CHECKS: dict[str, list[TableCheck]] = {
    "clusters": [
        content.volume("clusters"),
        content.spread("clusters"),
        content.unique_folded("clusters", "name", "cluster_id"),
        reconcile.clusters_region_of_their_departement,
    ],
    "cce_committees": [
        content.volume("cce_committees"),
        content.spread("cce_committees"),
        content.unique_folded("cce_committees", "name", "committee_id"),
        reconcile.committees_agree_with_territory_table,
    ],
    "advisors": [
        content.volume("advisors"),
        content.spread("advisors"),
        content.same_person_under_two_ids,
    ],
    "cluster_committee_coverage": [
        content.volume("cluster_committee_coverage"),
        content.spread("cluster_committee_coverage"),
    ],
    "cluster_advisor_candidates": [
        content.volume("cluster_advisor_candidates"),
        content.spread("cluster_advisor_candidates"),
        content.ranks_follow_scores,
        content.scores_match_their_reasons,
    ],
    "region_summary": [
        content.volume("region_summary"),
        content.spread("region_summary"),
    ],
    "cluster_governance": [
        content.volume("cluster_governance"),
        content.spread("cluster_governance"),
    ],
    "cluster_members": [
        content.volume("cluster_members"),
        content.spread("cluster_members"),
    ],
    # No spread: a handful of ties is normal; losing them (vs the previous release) is not.
    "cluster_cce_ties": [content.volume("cluster_cce_ties")],
}


@dataclass(frozen=True)
class Check:
    table: str  # the table (Dagster asset) the check belongs to
    name: str  # the check's name: <table>:<name>
    description: str
    evaluate: Callable[[dict[str, pd.DataFrame], CheckContext], list[ExpectationOutcome]]
    inputs: tuple[str, ...] = ()  # other tables it reads
    source: str | None = None  # the source whose assertions it applies, for the run record

    def run(self, frames: dict[str, pd.DataFrame], ctx: CheckContext | None = None) -> SuiteOutcome:
        """The outcome; a check that cannot be evaluated (a column gone, a bad type) fails, naming why."""
        try:
            results = list(self.evaluate(frames, ctx or CheckContext()))
        except Exception as exc:  # noqa: BLE001 - a broken table must fail the check, not crash the run
            results = [_not_evaluated(self.name, exc)]
        for r in results:
            r.table = r.table or self.table
        return SuiteOutcome(table=self.table, results=results)


def _not_evaluated(name: str, exc: Exception) -> ExpectationOutcome:
    return ExpectationOutcome(
        expectation=f"{name}_could_be_evaluated",
        column=None,
        success=False,
        severity="error",
        observed=f"{type(exc).__name__}: {exc}",
        origin="content",
    )


def _as_outcomes(value) -> list[ExpectationOutcome]:
    return list(value.results) if isinstance(value, SuiteOutcome) else list(value)


def _call(fn: TableCheck, frame: pd.DataFrame, ctx: CheckContext):
    takes_ctx = len(inspect.signature(fn).parameters) >= 2
    return fn(frame, ctx) if takes_ctx else fn(frame)


def gx_check(table: str, source_name: str | None) -> Check:
    source = load_source(source_name) if source_name else None
    description = f"Great Expectations suite expectations/{table}.json"
    if source:
        description += f" and the row-count assertions of sources/{source_name}.yml"
    return Check(
        table,
        "gx_suite",
        description,
        lambda f, ctx: run_suite(table, f[table], source, fill_rates=False).results,
        source=source_name,
    )


def foreign_key_checks(table: str) -> list[Check]:
    checks = []
    for fk in TABLES[table].foreign_keys:
        description = f"every {table}.{', '.join(fk.columns)} exists in {fk.table}.{', '.join(fk.ref_columns)}"

        def evaluate(f, ctx, fk=fk):
            return run_suite(
                table, f[table], suite=foreign_key_suite(f[table], f[fk.table], fk.columns, fk.ref_columns)
            ).results

        checks.append(Check(table, f"fk_{'_'.join(fk.columns)}", description, evaluate, inputs=(fk.table,)))
    return checks


def content_check(table: str) -> Check:
    fns = TABLE_CHECKS.get(table, [])
    names = ", ".join(getattr(fn, "__name__", "check") for fn in fns)
    description = f"content of {table}: {names}"

    def evaluate(f, ctx):
        results = []
        for fn in fns:  # one broken function fails alone; the others still report
            try:
                results += _as_outcomes(_call(fn, f[table], ctx))
            except Exception as exc:  # noqa: BLE001 - a broken table must fail the check, not crash the run
                results.append(_not_evaluated(getattr(fn, "__name__", "check"), exc))
        return results

    return Check(table, "content", description, evaluate)


CROSS_TABLE_CHECKS = [
    Check(
        "region_summary",
        "reconciliation",
        "every count recomputed from clusters, cce_committees and advisors; pôles without a committee from "
        "reference/committee_departements.csv",
        reconcile.region_summary_recomputed,
        inputs=("clusters", "cce_committees", "advisors"),
    ),
    Check(
        "cluster_committee_coverage",
        "territory",
        "exactly the (pôle, committee) pairs reference/committee_departements.csv implies for the crawled committees",
        reconcile.coverage_agrees_with_territory_table,
        inputs=("clusters", "cce_committees"),
    ),
    Check(
        "advisors",
        "committee_agreement",
        "every advisor's committee is in cce_committees, with the same country and région",
        reconcile.advisors_agree_with_their_committee,
        inputs=("cce_committees",),
    ),
    Check(
        "cluster_advisor_candidates",
        "territory_agreement",
        "each pair's territory_match holds in cluster_committee_coverage, advisors and clusters",
        reconcile.candidates_agree_with_coverage,
        inputs=("cluster_committee_coverage", "advisors", "clusters"),
    ),
    # On cluster_members, not on clusters: cluster_members' checks already read clusters (foreign
    # key), and two blocking checks each reading the other's table would wait for each other.
    Check(
        "cluster_members",
        "members_count",
        "every pôle's clusters.n_members is its number of cluster_members rows (null only for a pôle without any)",
        members.clusters_count_their_members,
        inputs=("clusters",),
    ),
    Check(
        "cluster_cce_ties",
        "member_company",
        "every member_company tie points at a cluster_members row of its pôle whose confirmed SIREN is the one its "
        "reasons name, with that row's directory page as evidence",
        members.member_company_ties_agree_with_members,
        inputs=("cluster_members",),
    ),
    Check(
        "region_summary",
        "members_reconciliation",
        "the members counts recounted from cluster_members, the member_company ties and clusters.n_members",
        members.region_summary_members_recomputed,
        inputs=("clusters", "cluster_members", "cluster_cce_ties"),
    ),
]


def personal_data_check(table: str) -> Check:
    """No personal e-mail or phone in any text or list column (pipelines/checks/personal_data.py)."""

    def evaluate(f, ctx):
        from pipelines.checks.personal_data import outcome

        return outcome(table, f[table]).results

    return Check(table, "no_personal_contact", f"no personal e-mail or phone in any text column of {table}", evaluate)


def table_checks(table_sources: dict[str, str | None]) -> list[Check]:
    """Every check of the published tables ``table_sources`` (table -> the source feeding it one row per item)."""
    checks = []
    for table, source_name in table_sources.items():
        checks.append(gx_check(table, source_name))
        checks.extend(foreign_key_checks(table))
        checks.append(content_check(table))
        checks.append(personal_data_check(table))
    tables = set(table_sources)
    checks.extend(c for c in CROSS_TABLE_CHECKS if c.table in tables and set(c.inputs) <= tables)
    return checks
