"""Clean: thin assets over the pure functions of this package, one per table.

Each writes its issue log (crawl issues and its own) into the run's scratch folder,
where the release collects them into ``issues.json``.
"""

import dagster as dg
import pandas as pd

from pipelines.clean.advisors import merge_advisors
from pipelines.clean.cce_committees import clean_cce_committees, officers_of
from pipelines.clean.clusters import clean_clusters
from pipelines.clean.frames import read_jsonl
from pipelines.clean.governance import clean_seats, clean_sites
from pipelines.clean.members import clean_member_listings
from pipelines.clean.opt_out import redact_presidents
from pipelines.issue_log import summarise, write_issues
from pipelines.metadata import frame_metadata, table_metadata
from pipelines.resources import PipelineSettings
from pipelines.schema import CCE_COMMITTEES


def log_issues(context, settings: PipelineSettings, step: str, issues: list, raw: dict | None = None) -> dict:
    """Saves the step's issues (and its crawl's) for the release; returns UI metadata."""
    run_dir = settings.run_dir(context.run_id)
    if raw is not None:
        write_issues(run_dir, f"raw_{raw['source']}", read_jsonl(raw["issues"]))
    write_issues(run_dir, step, issues)
    return {"issues": dg.MetadataValue.json(summarise(issues))}


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Pôles as the official directory states them, cleaned; company-register fields still empty.",
)
def directory_clusters(
    context: dg.AssetExecutionContext, settings: PipelineSettings, raw_poles: dict
) -> dg.Output[pd.DataFrame]:
    df, issues = clean_clusters(read_jsonl(raw_poles["items"]))
    return dg.Output(
        df, metadata={**frame_metadata(df), **log_issues(context, settings, "directory_clusters", issues, raw_poles)}
    )


@dg.asset(group_name="clean", kinds={"pandas"}, description=CCE_COMMITTEES.description)
def cce_committees(
    context: dg.AssetExecutionContext, settings: PipelineSettings, raw_cce_committees: dict
) -> dg.Output[pd.DataFrame]:
    df, issues = clean_cce_committees(read_jsonl(raw_cce_committees["items"]))
    df = redact_presidents(df)
    meta = log_issues(context, settings, "cce_committees", issues, raw_cce_committees)
    return dg.Output(df, metadata={**table_metadata("cce_committees", df), **meta})


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Officers named on committee and section pages (one row per officer), for the advisors merge.",
)
def cce_officers(raw_cce_committees: dict) -> dg.Output[pd.DataFrame]:
    df = officers_of(read_jsonl(raw_cce_committees["items"]))
    return dg.Output(df, metadata=frame_metadata(df))


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Decree appointees and committee officers merged into one row per person and committee; company sector still empty.",
)
def merged_advisors(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    raw_cce_appointments: dict,
    cce_officers: pd.DataFrame,
    cce_committees: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    df, issues = merge_advisors(read_jsonl(raw_cce_appointments["items"]), cce_officers, cce_committees)
    meta = log_issues(context, settings, "merged_advisors", issues, raw_cce_appointments)
    return dg.Output(df, metadata={**frame_metadata(df), **meta})


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Per pôle, what its own website told of its governance (found, not_found, site_unreachable, not_crawled).",
)
def pole_site_status(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    raw_pole_sites: dict,
    directory_clusters: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    df, issues = clean_sites(read_jsonl(raw_pole_sites["items"]), directory_clusters["cluster_id"].tolist())
    meta = log_issues(context, settings, "pole_site_status", issues, raw_pole_sites)
    counts = df["governance_status"].value_counts().to_dict()
    return dg.Output(df, metadata={**frame_metadata(df), **meta, **{f"status/{k}": int(v) for k, v in counts.items()}})


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Seats read from the pôles' sites, every name kept (for the matcher only; cluster_governance publishes the rules' subset). Opt-out list applied.",
)
def pole_seats(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    raw_pole_sites: dict,
    directory_clusters: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    df, issues = clean_seats(read_jsonl(raw_pole_sites["items"]), directory_clusters["cluster_id"].tolist())
    meta = log_issues(context, settings, "pole_seats", issues)
    return dg.Output(df, metadata={"dagster/row_count": len(df), **meta})  # no preview: it holds every name


@dg.asset(
    group_name="clean",
    kinds={"pandas"},
    description="Members listed in the pôles' own directories, one row per pôle and organisation (category normalised, duplicates merged); not yet resolved to SIREN.",
)
def member_listings(
    context: dg.AssetExecutionContext, settings: PipelineSettings, raw_pole_members: dict
) -> dg.Output[pd.DataFrame]:
    df, issues = clean_member_listings(read_jsonl(raw_pole_members["items"]))
    meta = log_issues(context, settings, "member_listings", issues, raw_pole_members)
    counts = df["directory_form"].value_counts().to_dict()
    return dg.Output(
        df,
        metadata={
            **frame_metadata(df),
            **meta,
            "poles": int(df["cluster_id"].nunique()),
            **{f"form/{k}": int(v) for k, v in counts.items()},
        },
    )
