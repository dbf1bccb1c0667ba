"""Publish: the release, written only when every blocking check upstream has passed.

Dagster does not start this asset if a blocking check failed; ``publish_release``
refuses again if a saved check outcome says "failed" (belt and braces), and records
the run either way.
"""

import datetime as dt
import json
import os

import dagster as dg
import pandas as pd

from common.sources import Source
from pipelines.checks.fill_drift import crawl_fill_rates
from pipelines.issue_log import read_issues
from pipelines.publish import datagouv
from pipelines.publish.release import latest_release, publish_release
from pipelines.resources import PipelineSettings


def saved_check_outcomes(settings: PipelineSettings, run_id: str) -> list[dict]:
    folder = settings.run_dir(run_id) / "checks"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


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
        return publish(
            context, settings, {name: inputs[name] for name in tables}, [inputs[name] for name in raw_names], sources
        )

    return _release


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
        issues=read_issues(settings.run_dir(context.run_id)),
        checks=saved_check_outcomes(settings, context.run_id),
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
