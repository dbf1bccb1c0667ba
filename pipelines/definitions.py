"""The Dagster code location: every asset, check, job, schedule and sensor, grouped by domain.

ingest (one crawl per source) -> clean (one table each) -> enrich (the company register's crawl
and matches) -> join (marts) -> checks -> publish (release).
"""

import dagster as dg

from common.sources import all_sources, row_sources
from pipelines.alerts import alert_failed_run
from pipelines.checks.assets import contract_checks, source_assertions_check
from pipelines.clean import assets as clean_assets
from pipelines.enrich import assets as enrich_assets
from pipelines.ingest.assets import crawl_asset
from pipelines.join import assets as join_assets
from pipelines.publish.assets import optional_assets, release_asset
from pipelines.resources import resources
from pipelines.run_records import record_failed_run
from pipelines.schedules import refresh_jobs_and_schedules, with_freshness_policies
from pipelines.schema import TABLES

# The registry (sources/*.yml) and the data contract (pipelines/schema.py) are the only lists:
# a source's YAML gives its crawl asset, its assertions check, its refresh job and schedule.
SOURCES = all_sources()
# Published table -> the source whose items are its rows (its suite adds that source's counts).
PUBLISHED_TABLES = row_sources(TABLES)

all_assets = [
    *(crawl_asset(source) for source in SOURCES),
    *dg.load_assets_from_modules([clean_assets], group_name="clean"),
    *dg.load_assets_from_modules([enrich_assets], group_name="enrich"),
    *dg.load_assets_from_modules([join_assets], group_name="join"),
    release_asset(SOURCES, TABLES),
    *optional_assets(),  # data.gouv.fr, when configured
]
all_checks = [
    *(source_assertions_check(s.name) for s in SOURCES),
    *contract_checks(PUBLISHED_TABLES),
]

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
