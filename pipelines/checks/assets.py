"""Blocking asset checks: each crawl's source assertions, and every check of the registry
(pipelines/checks/registry.py) on the published tables.

A failed ERROR-level check stops every downstream asset, so the release is never
written; each outcome travels in its evaluation's metadata (pipelines/issue_log.py), read back
from the instance for the release's landing page and the run record.
"""

import inspect
import json

import dagster as dg
import pandas as pd

from common.issues import describe, read_errors
from common.sources import load_source
from pipelines.checks.content import CheckContext
from pipelines.checks.fill_drift import drift_outcomes
from pipelines.checks.gx_suite import ExpectationOutcome, run_suite
from pipelines.checks.registry import Check, table_checks
from pipelines.checks.release import release_context
from pipelines.clean.frames import read_jsonl
from pipelines.issue_log import OUTCOME_KEY
from pipelines.resources import PipelineSettings


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
        records = read_jsonl(raw["items"])
        items = pd.DataFrame(records)
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
                table=f"raw_{source_name}",
            )
        )
        # Fill rates against the last release: > 10 points lost warns, > 30 fails (fill_drift.py).
        outcome.results.extend(drift_outcomes(source_name, records, settings.releases_dir))
        outcome.results.extend(site_share_outcomes(items, source.assertions.site_shares))
        return _result(f"raw_{source_name}", "source_assertions", source_name, description, outcome)

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
        out.append(
            ExpectationOutcome(
                expectation=f"share_of_sites_{name}_at_least",
                column="status",
                success=share >= minimum,
                severity="error",
                observed=f"{share:.2f} of {len(crawled)} sites (minimum {minimum})",
                unexpected_examples=[f"{r.cluster_id}: {r.status}" for r in failing.head(5).itertuples()],
                origin="source assertions",
            )
        )
    return out


def _result(table, check, source_name, description, outcome) -> dg.AssetCheckResult:
    failures, warnings = outcome.failures, outcome.warnings
    record = {
        "table": table,
        "check": check,
        "source": source_name,
        "passed": not failures,
        "severity": "error" if failures else ("warning" if warnings else "none"),
        "description": description,
        "failures": [f.describe() for f in failures],
        "warnings": [w.describe() for w in warnings],
        "expectations": len(outcome.results),
    }
    return dg.AssetCheckResult(
        passed=not failures and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if failures else dg.AssetCheckSeverity.WARN,
        description="; ".join(f.describe() for f in failures + warnings)[:1000] or None,
        metadata={
            "expectations": len(outcome.results),
            "failed": len(failures),
            "warnings": len(warnings),
            "results": dg.MetadataValue.json(outcome.to_records()),
            # the release's checks.json and the run record read it back from the instance
            OUTCOME_KEY: dg.MetadataValue.json(json.loads(json.dumps(record, default=str))),
        },
    )


def registry_check(check: Check) -> dg.AssetChecksDefinition:
    """A blocking Dagster asset check running ``check`` (pipelines/checks/registry.py) on the
    materialised tables: the table itself and the ``inputs`` it reads."""

    def _check(
        context: dg.AssetCheckExecutionContext, settings: PipelineSettings, frame: pd.DataFrame, **inputs
    ) -> dg.AssetCheckResult:
        frames = {check.table: frame, **inputs}
        outcome = check.run(frames, previous_release_context(settings.releases_dir))
        return _result(check.table, check.name, check.source, check.description, outcome)

    # Dagster reads a check's inputs from its parameters: one per table the check reads.
    P = inspect.Parameter
    _check.__signature__ = inspect.Signature(
        [
            P("context", P.POSITIONAL_OR_KEYWORD, annotation=dg.AssetCheckExecutionContext),
            P("settings", P.POSITIONAL_OR_KEYWORD, annotation=PipelineSettings),
            P("frame", P.POSITIONAL_OR_KEYWORD, annotation=pd.DataFrame),
            *(P(name, P.POSITIONAL_OR_KEYWORD, annotation=pd.DataFrame) for name in check.inputs),
        ],
        return_annotation=dg.AssetCheckResult,
    )
    _check.__name__ = f"{check.table}__{check.name}"
    return dg.asset_check(
        asset=check.table,
        name=check.name,
        blocking=True,
        description=check.description,
        additional_ins={name: dg.AssetIn(name) for name in check.inputs},
    )(_check)


def previous_release_context(releases_dir) -> CheckContext:
    """The row counts of the release ``latest`` points to: the one this run would follow."""
    from pipelines.publish.release import latest_release

    return release_context(latest_release(releases_dir))


def contract_checks(table_sources: dict[str, str | None]) -> list[dg.AssetChecksDefinition]:
    """Every published table's checks (suite, foreign keys, content, reconciliations): the registry's."""
    return [registry_check(check) for check in table_checks(table_sources)]
