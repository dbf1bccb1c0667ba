"""Part 2: `make run`'s pipeline (``python -m pipelines.run``) against the plain script, in one run,
and how fast the live pipeline fails without a network (every request to a closed local port).

Both start from a set-up environment, each with a fresh data folder and Dagster instance
in a temporary directory. Memory is the summed RSS of the whole process tree (the Pipes
crawl subprocesses included), sampled from /proc every 50 ms; per-asset wall times come
from the run's STEP_START / STEP_SUCCESS events in the Dagster event log, and each step's
peak memory is the largest tree sample inside its window.
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
from pathlib import Path

from bench.common import PY, clean_env, run_measured, write_json

WALL_FLOOR_S = 60
RATIO_FLOOR = 3.0
NO_NETWORK_FLOOR_S = 60  # the live pipeline without a network fails (exit 1) within this


def _dagster_steps(dagster_home: Path, samples: list[tuple[float, int]]) -> list[dict]:
    import os

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    instance = dg.DagsterInstance.get()
    run = instance.get_runs(limit=1)[0]
    starts, steps = {}, []
    for rec in instance.all_logs(run.run_id):
        ev = rec.dagster_event
        if ev is None or not rec.step_key:
            continue
        if ev.event_type_value == "STEP_START":
            starts[rec.step_key] = rec.timestamp
        elif ev.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and rec.step_key in starts:
            begin, end = starts[rec.step_key], rec.timestamp
            window = [kb for ts, kb in samples if begin <= ts <= end]
            steps.append(
                {
                    "step": rec.step_key,
                    "status": ev.event_type_value,
                    "seconds": round(end - begin, 3),
                    "peak_tree_rss_mb": round(max(window) / 1024, 1) if window else None,
                }
            )
    instance.dispose()
    return sorted(steps, key=lambda s: -s["seconds"])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def no_network(workdir: Path) -> dict:
    """``python -m pipelines.run --live`` with every request sent through a proxy on a closed port of
    127.0.0.1 (the fault suite's scenario "no network"): it must fail, exit 1, without waiting long."""
    env = {k: v for k, v in clean_env(workdir).items() if k.lower() not in ("https_proxy", "http_proxy", "all_proxy")}
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env.update({"https_proxy": proxy, "http_proxy": proxy, "no_proxy": "", "POLES_CCE_MODE": "live"})
    workdir.mkdir(parents=True, exist_ok=True)
    result = run_measured([PY, "-m", "pipelines.run", "--live"], env=env, log=workdir / "run.log")
    # exit 1 is the expected outcome: kept out of ``returncode``, which run_all reads as a failed child.
    result["exit_status"] = result.pop("returncode")
    if result["exit_status"] != 1:
        result["error"] = f"expected exit 1 (a crawl failed), got {result['exit_status']}; see {workdir / 'run.log'}"
    return result


def run(workdir: Path) -> dict:
    dagster_tmp, plain_tmp = workdir / "dagster", workdir / "plain"
    samples: list = []
    cmd_dagster = [PY, "-m", "pipelines.run"]
    dagster = run_measured(cmd_dagster, env=clean_env(dagster_tmp), log=dagster_tmp / "run.log", samples=samples)
    dagster["steps"] = _dagster_steps(dagster_tmp / "dagster_home", samples) if dagster["returncode"] == 0 else []
    cmd_plain = [PY, "-m", "bench.plain_pipeline", "--timings", str(plain_tmp / "timings.json")]
    plain = run_measured(cmd_plain, env=clean_env(plain_tmp), log=plain_tmp / "run.log")
    if plain["returncode"] == 0:
        plain["steps"] = json.loads((plain_tmp / "timings.json").read_text())
    ratio = round(dagster["wall_s"] / plain["wall_s"], 2)
    offline = no_network(workdir / "no_network")
    return {
        "commands": {
            "dagster": "python -m pipelines.run",
            "plain": "python -m bench.plain_pipeline",
            "no_network": "python -m pipelines.run --live (https_proxy: a closed port on 127.0.0.1)",
        },
        "dagster": dagster,
        "plain": plain,
        "no_network": offline,
        "ratio": ratio,
        "plain_data_dir": str(plain_tmp / "data"),
        "floors": {
            f"wall <= {WALL_FLOOR_S} s": dagster["returncode"] == 0 and dagster["wall_s"] <= WALL_FLOOR_S,
            f"<= {RATIO_FLOOR}x plain script": dagster["returncode"] == 0
            and plain["returncode"] == 0
            and ratio <= RATIO_FLOOR,
            f"no network: fails (exit 1) in <= {NO_NETWORK_FLOOR_S} s": offline["exit_status"] == 1
            and offline["wall_s"] <= NO_NETWORK_FLOOR_S,
        },
    }


if __name__ == "__main__":
    out = run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="bench-e2e-")))
    write_json(out, Path("/dev/stdout"))
