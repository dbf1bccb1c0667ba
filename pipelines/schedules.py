"""Unattended operation, built from ``sources/<source>.yml``: one refresh job and one
schedule per source, and freshness policies on the published assets.

What a per-source refresh includes: the source's crawl (``raw_<source>``) and every table,
check and the release; the other sources' crawls are not redone but read from their last
materialization (the IO manager's storage) and their assertions checked again, so a refresh
re-crawls only its source and publishes a release whose issue log and check outcomes cover
every table, as ``release_job``'s do. A crawl whose YAML declares ``inputs`` (the company register's queries come
from the clean pôles and advisors) is downstream of those tables: refreshing poles or CCE
data therefore re-runs it (new pôles and companies need new queries), while refreshing it
alone reuses the last clean tables. On a fresh instance those tables do not exist yet:
the schedule then skips its tick and says to run ``release_job`` once (see deploy/README.md).

Schedules are evaluated in UTC (the YAML crons are written in UTC). They are created
STOPPED; publishers turn them on in the UI, or all at once with POLES_CCE_SCHEDULES=on in
the code server's environment.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

import dagster as dg
from dagster._utils.schedules import cron_string_iterator  # stable helper of the pinned dagster

from common.sources import Source, all_sources
from pipelines.schema import TABLES

TIMEZONE = "UTC"
SCHEDULES_ENV = "POLES_CCE_SCHEDULES"
# Run-queue tags (deploy/dagster.yaml limits them): one run per source at a time, and one
# release writer at a time (every refresh ends in the release and shares the IO storage).
SOURCE_TAG = "poles_cce/source"
RELEASE_TAG = "poles_cce/writes_release"

PUBLISHED_ASSETS = (*TABLES, "release")
# A scheduled run may start late (queue, retries) and take a while: grace before failing.
FRESHNESS_GRACE = dt.timedelta(days=1)
FRESHNESS_WARN_AFTER = dt.timedelta(hours=6)


def schedules_enabled() -> bool:
    return os.environ.get(SCHEDULES_ENV, "").strip().lower() in {"on", "1", "true", "yes"}


def _asset_keys(selection: dg.AssetSelection, assets: Sequence[dg.AssetsDefinition]) -> set[dg.AssetKey]:
    return set(selection.resolve(assets))


def refresh_selection(source_name: str, assets: Sequence[dg.AssetsDefinition]) -> dg.AssetSelection:
    """The source's crawl and every table, check and the release, but not the other crawls:
    their last crawls are read back, and their assertions checked again, so the release's issue
    log and check outcomes cover the whole run, not part of it. A crawl whose queries come from
    tables (its YAML's ``inputs``) runs again only when those tables depend on the refreshed
    crawl (the pôles' sites when the directory changes, not when a decree does)."""
    downstream = _asset_keys(dg.AssetSelection.assets(f"raw_{source_name}").downstream(), assets)
    kept = [
        f"raw_{s.name}"
        for s in all_sources()
        if s.name != source_name and not (s.inputs and dg.AssetKey(f"raw_{s.name}") in downstream)
    ]
    return dg.AssetSelection.all() - dg.AssetSelection.assets(*kept) | dg.AssetSelection.checks_for_assets(*kept)


def prerequisites(source_name: str, assets: Sequence[dg.AssetsDefinition]) -> list[dg.AssetKey]:
    """Assets a refresh reads but does not rebuild: they must have been materialized once."""
    selection = refresh_selection(source_name, assets)
    return sorted(_asset_keys(selection.upstream() - selection, assets), key=lambda k: k.to_user_string())


def refresh_job(source: Source, assets: Sequence[dg.AssetsDefinition]) -> dg.UnresolvedAssetJobDefinition:
    # Deployments run a fresh process per step (multiprocess executor): steps of one run
    # can run side by side and a crashed step does not take the run worker with it.
    return dg.define_asset_job(
        f"refresh_{source.name}",
        selection=refresh_selection(source.name, assets),
        executor_def=dg.multiprocess_executor,
        tags={SOURCE_TAG: source.name, RELEASE_TAG: "true"},
        description=(
            f"Crawl {source.title} ({source.name}), then rebuild, check and publish every table; "
            "the other sources' crawls are their last materializations."
        ),
    )


def refresh_schedule(
    source: Source, job: dg.UnresolvedAssetJobDefinition, needs: list[dg.AssetKey]
) -> dg.ScheduleDefinition:
    status = dg.DefaultScheduleStatus.RUNNING if schedules_enabled() else dg.DefaultScheduleStatus.STOPPED

    @dg.schedule(
        name=f"refresh_{source.name}_schedule",
        cron_schedule=source.schedule,
        execution_timezone=TIMEZONE,
        job=job,
        default_status=status,
        description=f"sources/{source.name}.yml schedule '{source.schedule}' ({TIMEZONE}).",
    )
    def _schedule(context: dg.ScheduleEvaluationContext):
        missing = [k.to_user_string() for k in needs if context.instance.get_latest_materialization_event(k) is None]
        if missing:
            return dg.SkipReason(
                f"refresh_{source.name} reads {', '.join(missing)}, never materialized on this instance: "
                "run release_job once (Dagster UI, Jobs) and the next tick will run."
            )
        return dg.RunRequest(tags={"poles_cce/scheduled": "true"})

    return _schedule


def refresh_jobs_and_schedules(assets: Sequence[dg.AssetsDefinition]) -> tuple[list, list]:
    """One ``refresh_<source>`` job and ``refresh_<source>_schedule`` per sources/*.yml."""
    present = {k.to_user_string() for a in assets for k in a.keys}
    jobs, schedules = [], []
    for source in all_sources():
        if f"raw_{source.name}" not in present:
            raise ValueError(f"sources/{source.name}.yml has no ingest asset raw_{source.name}")
        job = refresh_job(source, assets)
        jobs.append(job)
        schedules.append(refresh_schedule(source, job, prerequisites(source.name, assets)))
    return jobs, schedules


def schedule_period(cron: str, timezone: str = TIMEZONE) -> dt.timedelta:
    """The longest gap between two ticks of ``cron`` over a year (monthly crons: 31 days)."""
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp()
    ticks = cron_string_iterator(start, cron, timezone)
    previous, longest = next(ticks), dt.timedelta(0)
    for tick in ticks:
        longest = max(longest, tick - previous)
        if tick.timestamp() - start > 400 * 86400:
            break
        previous = tick
    return longest


def freshness_policy(periods: list[dt.timedelta]) -> dg.FreshnessPolicy:
    """An asset rebuilt by every refresh upstream of it is as fresh as its most frequent
    source: warn 6 hours past that period, fail one day past it (8 days for weekly)."""
    period = min(periods)
    return dg.FreshnessPolicy.time_window(
        fail_window=period + FRESHNESS_GRACE, warn_window=period + FRESHNESS_WARN_AFTER
    )


def with_freshness_policies(assets: Sequence[dg.AssetsDefinition]) -> list:
    """``assets`` with a freshness policy on each published asset, from its sources' schedules."""
    periods = {s.name: schedule_period(s.schedule) for s in all_sources()}
    policies = {}
    for name in PUBLISHED_ASSETS:
        upstream = _asset_keys(dg.AssetSelection.assets(name).upstream(), assets)
        feeding = [k.path[-1].removeprefix("raw_") for k in upstream if k.path[-1].startswith("raw_")]
        policies[dg.AssetKey(name)] = freshness_policy([periods[s] for s in feeding if s in periods])

    def attach(spec: dg.AssetSpec) -> dg.AssetSpec:
        policy = policies.get(spec.key)
        return dg.apply_freshness_policy(spec, policy) if policy else spec

    return list(dg.map_asset_specs(attach, assets))
