"""Publish: the release, written only when every blocking check upstream has passed.

Dagster does not start this asset if a blocking check failed; ``publish_release``
refuses again if a saved check outcome says "failed" (belt and braces), and records
the run either way.
"""
import datetime as dt
import json

import dagster as dg
import pandas as pd

from pipelines.issue_log import read_issues
from pipelines.publish.release import publish_release
from pipelines.resources import PipelineSettings
from common.sources import all_sources


def saved_check_outcomes(settings: PipelineSettings, run_id: str) -> list[dict]:
    folder = settings.run_dir(run_id) / "checks"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


@dg.asset(group_name="publish", kinds={"parquet"}, description="An immutable, versioned release in data/releases/<release_id>/; data/releases/latest moves to it.")
def release(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    clusters: pd.DataFrame,
    cce_committees: pd.DataFrame,
    advisors: pd.DataFrame,
    cluster_committee_coverage: pd.DataFrame,
    cluster_advisor_candidates: pd.DataFrame,
    region_summary: pd.DataFrame,
    cluster_governance: pd.DataFrame,
    cluster_cce_ties: pd.DataFrame,
    raw_poles: dict,
    raw_cce_committees: dict,
    raw_cce_appointments: dict,
    raw_company_register: dict,
    raw_pole_sites: dict,
) -> dg.MaterializeResult:
    tables = {
        "clusters": clusters,
        "cce_committees": cce_committees,
        "advisors": advisors,
        "cluster_committee_coverage": cluster_committee_coverage,
        "cluster_advisor_candidates": cluster_advisor_candidates,
        "region_summary": region_summary,
        "cluster_governance": cluster_governance,
        "cluster_cce_ties": cluster_cce_ties,
    }
    crawls = {
        raw["source"]: {"crawled_at": raw["crawled_at"], "archive": raw["archive"], "mode": raw["mode"]}
        for raw in (raw_poles, raw_cce_committees, raw_cce_appointments, raw_company_register, raw_pole_sites)
    }
    path = publish_release(
        tables,
        releases_dir=settings.releases_dir,
        runs_dir=settings.run_records_dir,
        run_date=dt.date.today(),
        sources=all_sources(),
        crawls=crawls,
        issues=read_issues(settings.run_dir(context.run_id)),
        checks=saved_check_outcomes(settings, context.run_id),
        run_id=context.run_id,
    )
    context.log.info(f"release written: {path}")
    # Each published table's page in the UI shows where its files landed.
    for name, df in tables.items():
        context.log_event(
            dg.AssetObservation(
                asset_key=name,
                metadata={
                    "release_id": path.name,
                    "release_path": dg.MetadataValue.path(str(path)),
                    "parquet": dg.MetadataValue.path(str(path / f"{name}.parquet")),
                    "csv": dg.MetadataValue.path(str(path / f"{name}.csv")),
                    "dagster/row_count": len(df),
                },
            )
        )
    return dg.MaterializeResult(
        metadata={
            "release_id": path.name,
            "release_path": dg.MetadataValue.path(str(path)),
            "landing_page": dg.MetadataValue.path(str(path / "index.html")),
            **{f"rows/{name}": len(df) for name, df in tables.items()},
        }
    )
