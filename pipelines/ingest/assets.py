"""Ingest: one asset per source, each running its crawl in a child process through Dagster Pipes.

Twisted's reactor cannot restart in one process, so every crawl is ``python -m
spiders.crawl`` in its own process; Scrapy's stats come back as asset metadata.
"""

import json
import sys
import warnings
from pathlib import Path

import dagster as dg
from dagster._core.errors import DagsterPipesExecutionError  # not re-exported by dagster 1.13

from common.issues import describe, read_errors
from common.queries import build_queries, write_queries
from common.sources import Source, load_source
from pipelines.resources import PipelineSettings

# Dagster's own Pipes client reads a preview property on every crawl: not ours to act on.
warnings.filterwarnings(
    "ignore", message=r"Function `PipesMessageReader\.expected_writer_count`", category=dg.PreviewWarning
)

# Fetch failures a retry a minute later can cure (spiders.core.spider.classify_failure). Not
# "dns"/"refused" (no network: fail fast), robots.txt, redirects, layout or size problems.
TRANSIENT_CAUSES = {"http_5xx", "http_429", "timeout", "connection_lost"}


def _failure(source: Source, run_dir: Path, exc: Exception, live: bool) -> dg.Failure:
    """A failed crawl names the source, the URLs and the causes (from its issue log)."""
    errors = read_errors(run_dir / "issues.jsonl")
    causes = [describe(e) for e in errors]
    transient = any((e.get("context") or {}).get("cause") in TRANSIENT_CAUSES for e in errors)
    detail = "; ".join(causes[:5]) or str(exc)
    return dg.Failure(
        description=f"crawl of source '{source.name}' failed: {detail}",
        metadata={"source": source.name, "run_dir": dg.MetadataValue.path(str(run_dir)), "errors": len(causes)},
        # Retrying only helps against a live site that answered with a transient failure; a
        # replayed archive fails the same way twice, and without a network fail fast.
        allow_retries=live and transient,
    )


def run_crawl_step(
    context: dg.AssetExecutionContext,
    settings: PipelineSettings,
    client: dg.PipesSubprocessClient,
    source_name: str,
    spider_args: dict[str, str] | None = None,
) -> dg.Output[dict]:
    """Runs ``python -m spiders.crawl`` under Pipes; the value is the crawl's run folder."""
    source = load_source(source_name)
    run_dir = settings.data_path / "raw" / source_name / context.run_id
    command = [sys.executable, "-m", "spiders.crawl", source_name, "--out", str(run_dir)]
    if settings.mode == "live":
        command.append("--live")
    elif settings.mode == "replay" and settings.archive_for(source_name):
        command += ["--replay", str(settings.archive_for(source_name))]
    elif settings.mode != "replay":
        raise dg.Failure(f"unknown mode {settings.mode!r}: 'replay' or 'live'")
    for key, value in (spider_args or {}).items():
        command += ["-a", f"{key}={value}"]
    try:
        completed = client.run(context=context, command=command, env={"POLES_CCE_DATA_DIR": settings.data_dir})
    except DagsterPipesExecutionError as exc:
        raise _failure(source, run_dir, exc, live=settings.mode == "live") from exc
    reported = {}
    for result in completed.get_results():
        reported.update(result.metadata or {})
    stats = json.loads((run_dir / "stats.json").read_text(encoding="utf-8"))
    value = {
        "source": source_name,
        "run_dir": str(run_dir),
        "items": str(run_dir / "items.jsonl"),
        "issues": str(run_dir / "issues.jsonl"),
        "warc": str(run_dir / "responses.warc.gz"),
        "mode": stats["mode"],
        "archive": stats.get("archive"),
        "crawled_at": stats.get("crawled_at"),
        "errors": int(stats.get("issues/error", 0)),
    }
    return dg.Output(value, metadata=reported)


def crawl_group(source: Source) -> str:
    """Crawls that need cleaned tables (their queries come from them) enrich those tables:
    they sit in the ``enrich`` group, so no group edge points back from clean to ingest."""
    return "enrich" if source.inputs else "ingest"


def crawl_asset(source: Source) -> dg.AssetsDefinition:
    """``raw_<source>`` from sources/<source>.yml: its crawl, after building its queries from
    the tables the YAML's ``inputs`` names (through its ``queries`` hook) when it has some."""

    @dg.asset(
        name=f"raw_{source.name}",
        group_name=crawl_group(source),
        kinds={"scrapy"},
        pool=f"crawl_{source.name}",
        ins={name: dg.AssetIn(name) for name in source.inputs},
        description=f"{source.title} ({source.publisher.name}): crawl of {source.url}, live or replayed from an archive.",
        metadata={
            "source_url": dg.MetadataValue.url(str(source.url)),
            "licence": source.licence.name,
            "schedule": source.schedule,
            "snapshot": dg.MetadataValue.path(source.snapshot),
        },
        # A live site can be briefly down; a retry a minute later is cheap.
        retry_policy=dg.RetryPolicy(max_retries=1, delay=60),
    )
    def _crawl(
        context: dg.AssetExecutionContext,
        settings: PipelineSettings,
        pipes_subprocess_client: dg.PipesSubprocessClient,
        **tables,
    ) -> dg.Output[dict]:
        spider_args = {}
        if source.queries:
            queries = settings.data_path / "raw" / source.name / context.run_id / "queries.jsonl"
            spider_args["queries"] = str(write_queries(build_queries(source, tables), queries))
        return run_crawl_step(context, settings, pipes_subprocess_client, source.name, spider_args)

    return _crawl
