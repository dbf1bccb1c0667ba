"""The Dagster code location: every asset, check, job, schedule and sensor, grouped by domain.

ingest (one crawl per source) -> clean (one table each) -> join (marts) -> publish (release).
"""
import dagster as dg

from pipelines.checks.assets import contract_checks, source_assertions_check
from pipelines.clean import assets as clean_assets
from pipelines.ingest.assets import crawl_asset, raw_company_register, raw_pole_sites
from pipelines.join import assets as join_assets
from pipelines.publish import assets as publish_assets
from pipelines.resources import resources
from pipelines.run_records import record_failed_run
from pipelines.alerts import alert_failed_run
from pipelines.schedules import refresh_jobs_and_schedules, with_freshness_policies

SOURCES = ("poles", "cce_committees", "cce_appointments", "company_register", "pole_sites")

# Published table -> the source that feeds it one row per crawled item, whose row-count
# assertions its suite adds (the joins and merged tables have their counts in their suites).
PUBLISHED_TABLES = {
    "clusters": "poles",
    "cce_committees": "cce_committees",
    "advisors": None,
    "cluster_committee_coverage": None,
    "cluster_advisor_candidates": None,
    "region_summary": None,
}

# Sources whose crawl needs an upstream table have their own asset (queries / sites written beside the crawl).
UPSTREAM_FED = {"company_register": raw_company_register, "pole_sites": raw_pole_sites}
ingest_assets = [crawl_asset(name) for name in SOURCES if name not in UPSTREAM_FED] + list(UPSTREAM_FED.values())
all_assets = [
    *ingest_assets,
    *dg.load_assets_from_modules([clean_assets], group_name="clean"),
    *dg.load_assets_from_modules([join_assets], group_name="join"),
    *dg.load_assets_from_modules([publish_assets], group_name="publish"),
]
all_checks = [*(source_assertions_check(name) for name in SOURCES), *contract_checks(PUBLISHED_TABLES)]

# Steps run in one process for the small default run (a fresh process per step costs
# seconds each on 2 cores); crawls still get their own child processes through Pipes.
release_job = dg.define_asset_job(
    "release_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Crawl every source (replayed from the bundled snapshots unless POLES_CCE_MODE=live), clean, join, check and publish a release.",
)


@dg.run_failure_sensor(
    description="Records every failed run in data/runs/<run_id>.json (which checks, which source) and alerts (log, webhook).",
    default_status=dg.DefaultSensorStatus.RUNNING,  # unattended: on as soon as the daemon runs
)
def record_failed_runs(context: dg.RunFailureSensorContext):
    path = record_failed_run(context.instance, context.dagster_run.run_id)
    context.log.error(f"run {context.dagster_run.run_id} failed; record: {path}")
    alert_failed_run(path, context.log)  # logged; POSTed when POLES_CCE_ALERT_WEBHOOK is set


# Per-source refresh jobs and schedules from sources/*.yml (pipelines/schedules.py).
refresh_jobs, refresh_schedules = refresh_jobs_and_schedules(all_assets)

defs = dg.Definitions(
    assets=with_freshness_policies(all_assets),
    asset_checks=all_checks,
    jobs=[release_job, *refresh_jobs],
    schedules=refresh_schedules,
    sensors=[record_failed_runs],
    resources=resources(),
)
