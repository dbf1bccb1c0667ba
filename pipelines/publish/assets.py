"""Publish: the release, written only when every blocking check upstream has passed.

Dagster does not start this asset if a blocking check failed; ``publish_release``
refuses again if a check outcome of the run says "failed" (belt and braces), and records
the run either way. The issue log and the check outcomes are read from the Dagster instance
(this run's events, pipelines/issue_log.py); a run that did not rebuild every step or evaluate
every check upstream of the release publishes nothing, so a release never holds part of a run.
"""

import datetime as dt
import os

import dagster as dg
import pandas as pd

from common.sources import Source
from pipelines.checks.fill_drift import crawl_fill_rates
from pipelines.issue_log import crawl_issues, release_issues, run_check_outcomes, run_issues, run_records_of
from pipelines.publish import datagouv
from pipelines.publish.release import latest_release, publish_release
from pipelines.resources import PipelineSettings


def release_asset(sources: list[Source], tables: dict) -> dg.AssetsDefinition:
    """``release``: reads every published table of the data contract and every source's crawl
    (its provenance: when, from which archive, in which mode)."""
    raw_names = [f"raw_{s.name}" for s in sources]

    @dg.asset(
        name="release",
        group_name="publish",
        kinds={"parquet"},
        ins={name: dg.AssetIn(name) for name in [*tables, *raw_names]},
        description="An immutable, versioned release in data/releases/<release_id>/; data/releases/latest moves to it.",
    )
    def _release(context: dg.AssetExecutionContext, settings: PipelineSettings, **inputs) -> dg.MaterializeResult:
        require_whole_run(context, crawls=raw_names)
        return publish(
            context, settings, {name: inputs[name] for name in tables}, [inputs[name] for name in raw_names], sources
        )

    return _release


def require_whole_run(context: dg.AssetExecutionContext, crawls: list[str]) -> None:
    """Refuses (dg.Failure) unless this run materialized every asset upstream of the release but
    the crawls (a crawl not redone is read from its last materialization, its issue log from its
    archive) and evaluated every check on them: otherwise issues.json and checks.json would hold
    part of the run's records."""
    job_graph = context.job_def.asset_layer.asset_graph
    graph = getattr(job_graph, "source_asset_graph", job_graph)  # the whole graph, not the job's selection
    upstream = dg.AssetSelection.assets(context.asset_key).upstream(include_self=False).resolve(graph)
    wanted_steps = {k for k in upstream if k.to_user_string() not in crawls}
    wanted_checks = {k for k in graph.asset_check_keys if k.asset_key in upstream}
    done_steps, done_checks = run_records_of(context.instance, context.run_id)
    missing = sorted(k.to_user_string() for k in wanted_steps - done_steps)
    missing += sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in wanted_checks - done_checks)
    if missing:
        raise dg.Failure(
            f"release refused: run {context.run_id} did not rebuild or check {', '.join(missing)}; "
            "a release must cover every step and check of its run (select the whole graph upstream of 'release')"
        )


def publish(
    context, settings: PipelineSettings, tables: dict[str, pd.DataFrame], raws: list[dict], sources: list[Source]
) -> dg.MaterializeResult:
    crawls = {
        raw["source"]: {
            "crawled_at": raw["crawled_at"],
            "archive": raw["archive"],
            "mode": raw["mode"],
            "fill_rates": crawl_fill_rates(raw["items"]),
        }  # read back by pipelines/checks/fill_drift.py
        for raw in raws
    }
    before = latest_release(settings.releases_dir)
    previous = before.name if before else None
    path = publish_release(
        tables,
        releases_dir=settings.releases_dir,
        runs_dir=settings.run_records_dir,
        run_date=dt.date.today(),
        sources=sources,
        crawls=crawls,
        # every crawl's archived issue log, then each step's from this run's materializations
        issues=release_issues(
            {
                **{f"raw_{raw['source']}": crawl_issues(raw) for raw in raws},
                **run_issues(context.instance, context.run_id),
            }
        ),
        checks=run_check_outcomes(context.instance, context.run_id),
        run_id=context.run_id,
    )
    context.log.info(
        f"release written: {path.name}"
        if path.name != previous
        else f"tables identical to release {path.name}: no new release (run recorded)"
    )
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


# --- data.gouv.fr, after the release: only when DATAGOUV_DATASET is set ----------------

DATASET_ENV = "DATAGOUV_DATASET"


def datagouv_asset(dataset: str) -> dg.AssetsDefinition:
    @dg.asset(
        name="datagouv_publication",
        group_name="publish",
        deps=["release"],
        description=f"The latest release on data.gouv.fr, dataset {dataset} (updated in place; unchanged files are not re-sent).",
    )
    def _publish(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
        latest = latest_release(settings.releases_dir)
        if latest is None:
            raise dg.Failure("no release to publish")
        try:
            actions = datagouv.publish(
                latest,
                dataset,
                api_base=os.environ.get("DATAGOUV_API_BASE", datagouv.DEFAULT_API_BASE),
                api_key=os.environ.get(datagouv.API_KEY_ENV),
                allow_sample=os.environ.get("DATAGOUV_ALLOW_SAMPLE") == "1",
                log=context.log.info,
            )
        except datagouv.PublishError as exc:
            raise dg.Failure(str(exc)) from exc
        return dg.MaterializeResult(
            metadata={
                "release_id": latest.name,
                "dataset": dataset,
                "changes": len(actions),
                "actions": "\n".join(a.label for a in actions) or "nothing to do",
            }
        )

    return _publish


def optional_assets() -> list[dg.AssetsDefinition]:
    """The data.gouv.fr publication, only when DATAGOUV_DATASET names the dataset."""
    return [datagouv_asset(os.environ[DATASET_ENV])] if os.environ.get(DATASET_ENV) else []
