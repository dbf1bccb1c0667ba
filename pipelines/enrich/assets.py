"""Enrich: the clean pôles, advisors and pôle members completed from the company-register crawl,
whose queries the clean tables built (the register's YAML ``inputs``). Which crawl is the register
comes from the registry: the source whose YAML ``read_by`` lists these assets."""

import dagster as dg
import pandas as pd

from common.sources import source_read_by
from pipelines.clean.assets import log_issues
from pipelines.clean.frames import conform, read_jsonl
from pipelines.clean.governance import add_governance_columns
from pipelines.clean.opt_out import apply_opt_out
from pipelines.enrich.register import advisor_company_matches, company_matches, enrich_advisors, enrich_clusters
from pipelines.issue_log import issue_metadata
from pipelines.join.members import add_member_counts, advisor_company_frame, directories_read, members_table
from pipelines.join.ties import apply_judgements, load_judgements, match_ties
from pipelines.metadata import table_metadata
from pipelines.resources import PipelineSettings
from pipelines.schema import ADVISORS, CLUSTER_CCE_TIES, CLUSTER_MEMBERS, CLUSTERS

# The register crawl's ingest asset, named by the registry: the source whose YAML ``read_by``
# lists these assets.
REGISTER = {"register": dg.AssetIn(f"raw_{source_read_by('advisors')}")}


@dg.asset(
    group_name="enrich",
    kinds={"pandas"},
    description=CLUSTERS.description
    + " Enriched from the company register (SIREN, coordinates, NAF) and the pôles' own sites (governance, members).",
    ins=REGISTER,
)
def clusters(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    directory_clusters: pd.DataFrame,
    register: dict,
    pole_site_status: pd.DataFrame,
    tie_matches: pd.DataFrame,
    member_listings: pd.DataFrame,
    raw_pole_members: dict,
) -> dg.Output[pd.DataFrame]:
    df, issues = enrich_clusters(directory_clusters, read_jsonl(register["items"]))
    df = add_governance_columns(df, pole_site_status, tie_matches)
    # Counted from the listings, not from cluster_members: cluster_members' checks read clusters
    # (foreign key), so clusters must not wait for them; cluster_members:members_count reconciles both.
    read = directories_read(read_jsonl(raw_pole_members["items"]))
    df = conform(add_member_counts(df, member_listings, read), CLUSTERS)
    meta = log_issues(context, settings, "clusters", issues, register)
    matched = int(df["siren"].notna().sum())
    return dg.Output(df, metadata={**table_metadata("clusters", df), **meta, "with_siren": matched})


ADVISOR_COMPANIES_DESCRIPTION = (
    "The company of each advisor matched in the company register (advisor_id, siren, match_score): "
    "only matches above the register threshold and clear of the runner-up. Read by the governance ties "
    "(organisation: SIREN equal) and the member_company ties."
)


@dg.multi_asset(
    outs={
        "advisors": dg.AssetOut(
            group_name="enrich",
            kinds={"pandas"},
            description=ADVISORS.description + " Company sector from the company register where it matched.",
        ),
        "advisor_companies": dg.AssetOut(
            group_name="enrich", kinds={"pandas"}, description=ADVISOR_COMPANIES_DESCRIPTION
        ),
    },
    ins=REGISTER,
    can_subset=True,
)
def advisors(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    merged_advisors: pd.DataFrame,
    register: dict,
):
    """Both from one register matching of the advisors' companies (it was run twice: 11 s at 100x)."""
    matches, issues = company_matches(merged_advisors, read_jsonl(register["items"]))
    df, _ = enrich_advisors(merged_advisors, [], matches=matches)
    df, opted_out = apply_opt_out(df)
    issues += opted_out
    df = conform(df, ADVISORS)
    selected = context.selected_output_names
    if "advisors" in selected:
        meta = log_issues(context, settings, "advisors", issues)
        yield dg.Output(df, output_name="advisors", metadata={**table_metadata("advisors", df), **meta})
    if "advisor_companies" in selected:
        companies = advisor_company_frame(advisor_company_matches(df, [], matches=matches))
        yield dg.Output(
            companies,
            output_name="advisor_companies",
            metadata={"dagster/row_count": len(companies), "advisors": len(df)},
        )


@dg.asset(
    group_name="enrich",
    kinds={"pandas"},
    description=CLUSTER_MEMBERS.description
    + " The clean member listings resolved to SIREN against the company register (resolve_members).",
    ins=REGISTER,
)
def cluster_members(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    member_listings: pd.DataFrame,
    register: dict,
) -> dg.Output[pd.DataFrame]:
    from pipelines.enrich.members import resolve_members

    resolved, issues = resolve_members(member_listings, read_jsonl(register["items"]))
    df, duplicates = members_table(resolved)
    meta = log_issues(context, settings, "cluster_members", issues + duplicates)
    confidence = df["match_confidence"].value_counts().to_dict()
    return dg.Output(
        df,
        metadata={
            **table_metadata("cluster_members", df),
            **meta,
            "poles": int(df["cluster_id"].nunique()),
            "with_siren": int(df["siren"].notna().sum()),
            **{f"confidence/{k}": int(v) for k, v in confidence.items()},
        },
    )


@dg.asset(
    group_name="enrich",
    kinds={"pandas"},
    metadata={"contract_table": "cluster_cce_ties"},  # stored as typed Parquet like the table it feeds
    description="Ties the matcher proposes between seats and advisors, after the reviewers' judgements (reference/tie_judgements.csv): the governance part of cluster_cce_ties, and what clusters counts.",
)
def tie_matches(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    pole_seats: pd.DataFrame,
    pole_site_status: pd.DataFrame,
    directory_clusters: pd.DataFrame,
    cce_committees: pd.DataFrame,
    advisors: pd.DataFrame,
    advisor_companies: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    seats = pole_seats[~pole_seats["opted_out"].astype(bool)]  # an opted-out person is never tied
    sirens = dict(zip(advisor_companies["advisor_id"], advisor_companies["siren"]))
    proposed, issues = match_ties(
        seats, advisors, directory_clusters, cce_committees, pole_site_status, advisor_sirens=sirens
    )
    df, stale = apply_judgements(proposed, load_judgements())
    counts = df["match"].value_counts().to_dict()
    return dg.Output(
        conform(df, CLUSTER_CCE_TIES),
        metadata={
            "dagster/row_count": len(df),
            **{f"match/{k}": int(v) for k, v in counts.items()},
            "stale_judgements": len(stale),
            "off_domain_dropped": sum(1 for i in issues if i.code == "off_domain_evidence"),
            **issue_metadata("tie_matches", issues + stale),
        },
    )
