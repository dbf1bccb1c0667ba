"""Join: the marts that put pôles, committees and advisors side by side (thin assets)."""

import dagster as dg
import pandas as pd

from common.issues import WARNING, Issue
from pipelines.clean.frames import conform
from pipelines.clean.governance import governance_table
from pipelines.issue_log import issue_metadata
from pipelines.join.candidates import cluster_advisor_candidates as score_candidates
from pipelines.join.coverage import cluster_committee_coverage as cover
from pipelines.join.members import member_company_ties
from pipelines.join.region_summary import region_summary as summarise_regions
from pipelines.join.themes import unmapped_themes
from pipelines.join.ties import awaiting_review
from pipelines.metadata import preview_markdown, table_metadata
from pipelines.resources import PipelineSettings
from pipelines.schema import (
    CLUSTER_ADVISOR_CANDIDATES,
    CLUSTER_CCE_TIES,
    CLUSTER_COMMITTEE_COVERAGE,
    CLUSTER_GOVERNANCE,
    REGION_SUMMARY,
)


@dg.asset(group_name="join", kinds={"pandas"}, description=CLUSTER_COMMITTEE_COVERAGE.description)
def cluster_committee_coverage(clusters: pd.DataFrame, cce_committees: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    df = cover(clusters, cce_committees)  # the join functions return contract-shaped frames
    return dg.Output(df, metadata=table_metadata("cluster_committee_coverage", df))


@dg.asset(
    group_name="join", kinds={"pandas"}, description=CLUSTER_ADVISOR_CANDIDATES.description + " See docs/scoring.md."
)
def cluster_advisor_candidates(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    clusters: pd.DataFrame,
    cce_committees: pd.DataFrame,
    advisors: pd.DataFrame,
    cluster_committee_coverage: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    df = score_candidates(
        clusters, cce_committees, advisors, cluster_committee_coverage, top_n=settings.candidates_top_n
    )
    # A theme the mapping does not know gives no sector affinity: say so, so the mapping grows.
    unmapped = unmapped_themes(clusters)
    issues = [
        Issue(
            source="poles",
            url="reference/theme_naf_sections.csv",
            field="themes",
            code="unmapped_theme",
            message="theme maps to no NAF section: add it to the mapping",
            severity=WARNING,
            value=theme,
        )
        for theme in unmapped
    ]
    return dg.Output(
        df,
        metadata={
            **table_metadata("cluster_advisor_candidates", df),
            "top_n": settings.candidates_top_n,
            "unmapped_themes": len(unmapped),
            **issue_metadata("cluster_advisor_candidates", issues),
        },
    )


@dg.asset(group_name="join", kinds={"pandas"}, description=REGION_SUMMARY.description)
def region_summary(
    clusters: pd.DataFrame,
    cce_committees: pd.DataFrame,
    advisors: pd.DataFrame,
    cluster_committee_coverage: pd.DataFrame,
    cluster_cce_ties: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    df = summarise_regions(clusters, cce_committees, advisors, cluster_committee_coverage, cluster_cce_ties)
    return dg.Output(df, metadata=table_metadata("region_summary", df))


@dg.asset(
    group_name="join",
    kinds={"pandas"},
    description=CLUSTER_CCE_TIES.description
    + " Reviewers' judgements (governance ties only): reference/tie_judgements.csv.",
)
def cluster_cce_ties(
    tie_matches: pd.DataFrame,
    advisors: pd.DataFrame,
    cluster_governance: pd.DataFrame,
    cluster_members: pd.DataFrame,
    advisor_companies: pd.DataFrame,
) -> dg.Output[pd.DataFrame]:
    # Ties by identifier (same SIREN), not name matches: the reviewers' judgements do not apply to them.
    members = member_company_ties(cluster_members, advisors, advisor_companies)
    ties = conform(pd.concat([tie_matches, members], ignore_index=True), CLUSTER_CCE_TIES)
    todo = awaiting_review(ties, advisors, cluster_governance)
    return dg.Output(
        ties,
        metadata={
            **table_metadata("cluster_cce_ties", ties),
            **{f"kind/{k}": int(v) for k, v in ties["tie_kind"].value_counts().to_dict().items()},
            # The reviewer's to-do list: one line per pair in reference/tie_judgements.csv settles it.
            "awaiting_review": dg.MetadataValue.md(
                preview_markdown(todo, n=200) if len(todo) else "Nothing awaits review."
            ),
            "n_awaiting_review": len(todo),
        },
    )


@dg.asset(group_name="join", kinds={"pandas"}, description=CLUSTER_GOVERNANCE.description)
def cluster_governance(pole_seats: pd.DataFrame, tie_matches: pd.DataFrame) -> dg.Output[pd.DataFrame]:
    df = governance_table(pole_seats, tie_matches)
    return dg.Output(df, metadata=table_metadata("cluster_governance", df))
