"""Run one source's crawl: ``python -m spiders.crawl SOURCE [--live | --replay PATH] [--out DIR]``.

Replays the bundled snapshot by default. Under Dagster Pipes it reports Scrapy's
stats as the asset's metadata; on its own it prints them. Exit status: 0 when the
crawl produced items, 2 when it did not (the reason is printed, naming the URL) or could
not start (one line naming the file and the problem, also written to the run folder's
``issues.jsonl`` for the pipeline's failure message; ``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from common.cli import DEBUG_FLAG, DEBUG_HELP, CliError, describe, run_main
from common.issues import Issue
from common.paths import data_dir
from common.sources import load_source
from spiders.core.runner import run_crawl

PROG = "python -m spiders.crawl"


def main(argv: list[str] | None = None) -> int:
    return run_main(_main, PROG, argv)


def _main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("source")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--live", action="store_true", help="fetch from the live site (needs a network)")
    mode.add_argument("--replay", type=Path, help="snapshot folder or WARC file to replay (default: bundled snapshot)")
    ap.add_argument("--out", type=Path, help="run folder (default: data/raw/<source>/<timestamp>)")
    ap.add_argument("-a", dest="args", action="append", default=[], metavar="NAME=VALUE", help="spider argument")
    ap.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    ap.add_argument(DEBUG_FLAG, action="store_true", help=DEBUG_HELP)
    ns = ap.parse_args(argv)
    for value in ns.args + ns.settings:
        if "=" not in value:
            ap.error(f"expected NAME=VALUE, got {value!r}")

    source = load_source(ns.source)
    replay = None if ns.live else (ns.replay or source.snapshot_path)
    out = ns.out or data_dir() / "raw" / source.name / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    spider_args = dict(a.split("=", 1) for a in ns.args)
    overrides = {k: _parse_setting(v) for k, v in (s.split("=", 1) for s in ns.settings)}

    pipes = _open_pipes()
    try:
        try:
            result = run_crawl(source.name, out, replay=replay, spider_args=spider_args, overrides=overrides)
        except CliError as exc:  # an archive or setting refused before the crawl started
            _record_refusal(source.name, out, replay, exc)
            raise
        reason = result.failure_reason()
        summary = {
            "source": source.name,
            "mode": result.mode,
            "run_dir": str(result.out_dir),
            "items": result.n_items,
            "issues": result.n_issues,
            "errors": result.n_errors,
            "pages": result.stats.get("response_received_count", 0),
            "failure": reason,
        }
        if pipes is not None:
            pipes.report_asset_materialization(
                metadata={
                    "run_dir": {"raw_value": str(result.out_dir), "type": "path"},
                    "items": result.n_items,
                    "issues": result.n_issues,
                    "errors": result.n_errors,
                    "mode": result.mode,
                    "archive": str(replay) if replay else "live",
                    "scrapy_stats": {"raw_value": result.stats, "type": "json"},
                },
            )
        if pipes is None:  # under Pipes, the summary is the asset's metadata
            print(json.dumps(summary, ensure_ascii=False))
        if result.n_errors and not reason:
            print(
                f"[{source.name}] {result.n_errors} error(s) in the issue log ({result.issues_path}), e.g.: "
                + "; ".join(_first_errors(result.issues_path)),
                file=sys.stderr,
            )
        if reason:
            print(f"[{source.name}] crawl failed: {reason}", file=sys.stderr)
            return 2
        return 0
    finally:
        if pipes is not None:
            pipes.__exit__(None, None, None)


def _record_refusal(source: str, out: Path, replay: Path | None, exc: Exception) -> None:
    """The crawl could not start: its run folder's issue log says why (the pipeline's failure
    message is built from it), naming the archive."""
    issue = Issue(source=source, url=str(replay or ""), field="archive", code="crawl_refused", message=describe(exc))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "issues.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(issue.to_dict(), ensure_ascii=False) + "\n")


def _first_errors(path: Path, limit: int = 3) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["severity"] == "error":
            out.append(f"{rec['url']}: {rec['field']}: {rec['message']}")
            if len(out) >= limit:
                break
    return out


def _open_pipes():
    from dagster_pipes import PipesEnvVarParamsLoader, open_dagster_pipes

    if not PipesEnvVarParamsLoader().is_dagster_pipes_process():
        return None
    return open_dagster_pipes().__enter__()


def _parse_setting(value: str):
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


if __name__ == "__main__":
    sys.exit(main())
