"""The Dagster code location: every asset, check, job, schedule and sensor, grouped by domain.

ingest (one crawl per source) -> clean (one table each) -> join (marts) -> publish (release).
"""
from __future__ import annotations

import dagster as dg

from pipelines.checks.assets import contract_checks
from pipelines.clean import assets as clean_assets
from pipelines.ingest.assets import crawl_asset, crawl_errors_check
from pipelines.resources import resources

CRAWLED_SOURCES = ("poles",)

ingest = [crawl_asset(name) for name in CRAWLED_SOURCES]
crawl_checks = [crawl_errors_check(name) for name in CRAWLED_SOURCES]

all_assets = [*ingest, *dg.load_assets_from_modules([clean_assets])]

# Steps run in one process for the small default run (a fresh process per step costs
# seconds each on 2 cores); crawls still get their own child processes through Pipes.
release_job = dg.define_asset_job(
    "release_job",
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Crawl every source (replayed from the bundled snapshots unless POLES_CCE_MODE=live), clean, join, check and publish a release.",
)

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=[*crawl_checks],
    jobs=[release_job],
    resources=resources(),
)
