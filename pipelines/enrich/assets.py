"""Enrich: the clean pôles and advisors completed from the company-register crawl, whose
queries the clean tables built (sources/company_register.yml ``inputs``)."""
import dagster as dg
import pandas as pd

from pipelines.clean.assets import log_issues
from pipelines.clean.frames import conform, read_jsonl
from pipelines.clean.opt_out import apply_opt_out
from pipelines.enrich.register import enrich_advisors, enrich_clusters
from pipelines.metadata import table_metadata
from pipelines.resources import PipelineSettings
from pipelines.schema import ADVISORS, CLUSTERS


@dg.asset(group_name="enrich", kinds={"pandas"}, description=CLUSTERS.description + " Enriched from the company register (SIREN, coordinates, NAF).")
def clusters(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    directory_clusters: pd.DataFrame,
    raw_company_register: dict,
) -> dg.Output[pd.DataFrame]:
    df, issues = enrich_clusters(directory_clusters, read_jsonl(raw_company_register["items"]))
    df = conform(df, CLUSTERS)
    meta = log_issues(context, settings, "clusters", issues, raw_company_register)
    matched = int(df["siren"].notna().sum())
    return dg.Output(df, metadata={**table_metadata("clusters", df), **meta, "with_siren": matched})


@dg.asset(group_name="enrich", kinds={"pandas"}, description=ADVISORS.description + " Company sector from the company register where it matched.")
def advisors(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    merged_advisors: pd.DataFrame,
    raw_company_register: dict,
) -> dg.Output[pd.DataFrame]:
    df, issues = enrich_advisors(merged_advisors, read_jsonl(raw_company_register["items"]))
    df, opted_out = apply_opt_out(df)
    issues += opted_out
    df = conform(df, ADVISORS)
    meta = log_issues(context, settings, "advisors", issues)
    return dg.Output(df, metadata={**table_metadata("advisors", df), **meta})
