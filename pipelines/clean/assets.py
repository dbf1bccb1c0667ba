"""Clean: thin assets over the pure functions of this package, one per table.

Each writes its issue log (crawl issues and its own) into the run's scratch folder,
where the release collects them into ``issues.json``.
"""

import dagster as dg
import pandas as pd

from pipelines.clean.clusters import clean_clusters
from pipelines.clean.frames import read_jsonl
from pipelines.issue_log import summarise, write_issues
from pipelines.metadata import frame_metadata, table_metadata
from pipelines.resources import PipelineSettings


def _log_issues(context, settings: PipelineSettings, step: str, raw: dict | None, issues: list) -> dict:
    run_dir = settings.run_dir(context.run_id)
    if raw is not None:
        write_issues(run_dir, f"raw_{raw['source']}", read_jsonl(raw["issues"]))
    write_issues(run_dir, step, issues)
    return {"issues": dg.MetadataValue.json(summarise(issues)) if issues else dg.MetadataValue.json({})}


@dg.asset(group_name="clean", kinds={"pandas"}, description="Pôles as the official directory states them, cleaned (before company-register enrichment).")
def directory_clusters(context: dg.AssetExecutionContext, settings: PipelineSettings, raw_poles: dict) -> dg.Output[pd.DataFrame]:
    df, issues = clean_clusters(read_jsonl(raw_poles["items"]))
    meta = _log_issues(context, settings, "directory_clusters", raw_poles, issues)
    return dg.Output(df, metadata={**frame_metadata(df), **meta})
