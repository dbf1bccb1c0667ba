"""Blocking asset checks: each published table's GX suite, plus its source's assertions.

A failed ERROR-level check stops every downstream asset, so the release is never
written; each outcome is also saved for the release's landing page and the run record.
"""

import json

import dagster as dg
import pandas as pd

from pipelines.checks.gx_suite import run_suite
from pipelines.resources import PipelineSettings
from pipelines.schema import TABLES, ForeignKey
from spiders.core.sources import load_source


def save_outcome(settings: PipelineSettings, run_id: str, record: dict) -> None:
    path = settings.run_dir(run_id) / "checks" / f"{record['table']}.{record['check']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def table_suite_check(table: str, source_name: str | None = None) -> dg.AssetChecksDefinition:
    """``<table>:gx_suite``: expectations/<table>.json (+ assertions of sources/<source_name>.yml)."""
    source = load_source(source_name) if source_name else None
    description = f"Great Expectations suite expectations/{table}.json"
    if source:
        description += f" and the assertions of sources/{source_name}.yml (row counts, fill rates)"

    @dg.asset_check(asset=table, name="gx_suite", blocking=True, description=description)
    def _check(context: dg.AssetCheckExecutionContext, settings: PipelineSettings, frame: pd.DataFrame) -> dg.AssetCheckResult:
        outcome = run_suite(table, frame, source)
        return _result(context, settings, table, "gx_suite", source_name, description, outcome)

    return _check


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
        suite = {
            "expectations": [
                {
                    "type": "expect_column_values_to_be_in_set",
                    "kwargs": {"column": col, "value_set": sorted(parent[ref].dropna().unique().tolist())},
                }
                for col, ref in zip(fk.columns, fk.ref_columns)
            ]
        }
        outcome = run_suite(table, frame, suite=suite)
        return _result(context, settings, table, name, None, description, outcome)

    return _check


def _result(context, settings, table, check, source_name, description, outcome) -> dg.AssetCheckResult:
    failures, warnings = outcome.failures, outcome.warnings
    save_outcome(
        settings,
        context.run_id,
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
    return checks
