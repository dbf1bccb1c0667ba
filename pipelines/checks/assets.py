"""Blocking asset checks: each published table's GX suite, plus its source's assertions.

A failed ERROR-level check stops every downstream asset, so the release is never
written; each outcome is also saved for the release's landing page and the run record.
"""

import json

import dagster as dg
import pandas as pd

from pipelines.checks.gx_suite import ExpectationOutcome, foreign_key_suite, run_suite
from pipelines.clean.frames import read_jsonl
from pipelines.resources import PipelineSettings
from common.issues import describe, read_errors
from pipelines.schema import TABLES, ForeignKey
from common.sources import load_source


def save_outcome(settings: PipelineSettings, run_id: str, record: dict) -> None:
    path = settings.run_dir(run_id) / "checks" / f"{record['table']}.{record['check']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def table_suite_check(table: str, source_name: str | None = None) -> dg.AssetChecksDefinition:
    """``<table>:gx_suite``: expectations/<table>.json, plus the row counts of
    sources/<source_name>.yml when that source feeds the table one row per item."""
    source = load_source(source_name) if source_name else None
    description = f"Great Expectations suite expectations/{table}.json"
    if source:
        description += f" and the row-count assertions of sources/{source_name}.yml"

    @dg.asset_check(asset=table, name="gx_suite", blocking=True, description=description)
    def _check(context: dg.AssetCheckExecutionContext, settings: PipelineSettings, frame: pd.DataFrame) -> dg.AssetCheckResult:
        outcome = run_suite(table, frame, source, fill_rates=False)
        return _result(context, settings, table, "gx_suite", source_name, description, outcome)

    return _check


def source_assertions_check(source_name: str) -> dg.AssetChecksDefinition:
    """``raw_<source>:source_assertions``: the crawl's items against sources/<source>.yml
    (minimum count and fill rates fail, maximum count warns) and its issue log's errors."""
    source = load_source(source_name)
    description = (
        f"assertions of sources/{source_name}.yml on the crawled items: at least {source.assertions.min_items} items, "
        f"fill rates {dict(source.assertions.fill_rates)}, at most {source.assertions.max_errors} error(s) in the issue log"
        + (f", shares of sites {dict(source.assertions.site_shares)}" if source.assertions.site_shares else "")
    )

    @dg.asset_check(asset=f"raw_{source_name}", name="source_assertions", blocking=True, description=description)
    def _check(context: dg.AssetCheckExecutionContext, settings: PipelineSettings, raw: dict) -> dg.AssetCheckResult:
        items = pd.DataFrame(read_jsonl(raw["items"]))
        outcome = run_suite(f"raw_{source_name}", items, source, suite={"expectations": []})
        errors = read_errors(raw["issues"])
        outcome.results.append(
            ExpectationOutcome(
                expectation="issue_log_errors_at_most",
                column=None,
                success=len(errors) <= source.assertions.max_errors,
                severity="error",
                observed=len(errors),
                unexpected_examples=[describe(e) for e in errors[:5]],
                origin="source assertions",
            )
        )
        outcome.results.extend(site_share_outcomes(items, source.assertions.site_shares))
        return _result(context, settings, f"raw_{source_name}", "source_assertions", source_name, description, outcome)

    return _check


# A multi-site crawl's site items (``kind == "site"``): which statuses count as reached / found.
_SITE_SHARES = {"reached": ("found", "not_found"), "governance_found": ("found",)}


def site_share_outcomes(items: pd.DataFrame, shares: dict[str, float]) -> list[ExpectationOutcome]:
    """Minimum shares of the crawled sites (status != not_crawled) reached / with governance found."""
    if not shares:
        return []
    sites = items[items["kind"] == "site"] if "kind" in items else items.iloc[0:0]
    crawled = sites[sites["status"] != "not_crawled"] if len(sites) else sites
    out = []
    for name, minimum in sorted(shares.items()):
        if name not in _SITE_SHARES:
            raise ValueError(f"unknown site share '{name}' in the source assertions (known: {', '.join(_SITE_SHARES)})")
        share = float(crawled["status"].isin(_SITE_SHARES[name]).mean()) if len(crawled) else 0.0
        failing = crawled[~crawled["status"].isin(_SITE_SHARES[name])] if len(crawled) else crawled
        out.append(ExpectationOutcome(
            expectation=f"share_of_sites_{name}_at_least",
            column="status",
            success=share >= minimum,
            severity="error",
            observed=f"{share:.2f} of {len(crawled)} sites (minimum {minimum})",
            unexpected_examples=[f"{r.cluster_id}: {r.status}" for r in failing.head(5).itertuples()],
            origin="source assertions",
        ))
    return out


def foreign_key_check(table: str, fk: ForeignKey) -> dg.AssetChecksDefinition:
    """Referential integrity from the data contract: every ``fk.columns`` value exists in ``fk.table``."""
    name = f"fk_{'_'.join(fk.columns)}"
    description = f"every {table}.{', '.join(fk.columns)} exists in {fk.table}.{', '.join(fk.ref_columns)}"

    @dg.asset_check(
        asset=table,
        name=name,
        blocking=True,
        description=description,
        additional_ins={"parent": dg.AssetIn(fk.table)},
    )
    def _check(context: dg.AssetCheckExecutionContext, settings: PipelineSettings, frame: pd.DataFrame, parent: pd.DataFrame) -> dg.AssetCheckResult:
        outcome = run_suite(table, frame, suite=foreign_key_suite(frame, parent, fk.columns, fk.ref_columns))
        return _result(context, settings, table, name, None, description, outcome)

    return _check


def _result(context, settings, table, check, source_name, description, outcome) -> dg.AssetCheckResult:
    failures, warnings = outcome.failures, outcome.warnings
    save_outcome(
        settings,
        context.op_execution_context.run_id,
        {
            "table": table,
            "check": check,
            "source": source_name,
            "passed": not failures,
            "severity": "error" if failures else ("warning" if warnings else "none"),
            "description": description,
            "failures": [f.describe() for f in failures],
            "warnings": [w.describe() for w in warnings],
            "expectations": len(outcome.results),
        },
    )
    return dg.AssetCheckResult(
        passed=not failures and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if failures else dg.AssetCheckSeverity.WARN,
        description="; ".join(f.describe() for f in failures + warnings)[:1000] or None,
        metadata={
            "expectations": len(outcome.results),
            "failed": len(failures),
            "warnings": len(warnings),
            "results": dg.MetadataValue.json(outcome.to_records()),
        },
    )


def contract_checks(table_sources: dict[str, str | None]) -> list[dg.AssetChecksDefinition]:
    """Every published table's suite and foreign keys, from the data contract."""
    checks = []
    for table, source_name in table_sources.items():
        checks.append(table_suite_check(table, source_name))
        checks.extend(foreign_key_check(table, fk) for fk in TABLES[table].foreign_keys)
    if "region_summary" in table_sources:
        checks.append(coverage_complete_check())
    return checks


def coverage_complete_check() -> dg.AssetChecksDefinition:
    """Every pôle is either covered by a committee or listed as uncovered in its région's row."""
    description = "every cluster_id is in cluster_committee_coverage or in region_summary.clusters_without_committee"

    @dg.asset_check(
        asset="region_summary",
        name="every_cluster_covered_or_listed",
        blocking=True,
        description=description,
        additional_ins={"clusters": dg.AssetIn("clusters"), "coverage": dg.AssetIn("cluster_committee_coverage")},
    )
    def _check(
        context: dg.AssetCheckExecutionContext,
        settings: PipelineSettings,
        frame: pd.DataFrame,
        clusters: pd.DataFrame,
        coverage: pd.DataFrame,
    ) -> dg.AssetCheckResult:
        listed = {c for cs in frame["clusters_without_committee"] for c in cs}
        accounted = clusters[["cluster_id"]].assign(
            accounted=clusters["cluster_id"].isin(set(coverage["cluster_id"]) | listed)
        )
        suite = {
            "expectations": [
                {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "accounted", "value_set": [True]}}
            ]
        }
        outcome = run_suite("region_summary", accounted, suite=suite)
        return _result(context, settings, "region_summary", "every_cluster_covered_or_listed", None, description, outcome)

    return _check
