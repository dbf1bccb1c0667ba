"""What every part of the benchmark shares: the machine, timers, memory of a process tree."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import threading
import time
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
PACKAGES = ("dagster", "great-expectations", "pandas", "pyarrow", "scrapy", "twisted", "rapidfuzz", "numpy")


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, summed (one instant)."""
    kids = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack.extend(kids.get(pid, []))
    return total


class TreeMemorySampler:
    """Peak of the summed RSS of a process tree, sampled every ``interval`` seconds from /proc.

    Sampling can miss a spike shorter than the interval; ``ru_maxrss`` of the parent and of
    the largest child bound it from below and are reported beside it."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.samples: list[tuple[float, int]] = []  # (epoch seconds, tree RSS kB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            rss = tree_rss_kb(self.pid)
            self.samples.append((time.time(), rss))
            self.peak_kb = max(self.peak_kb, rss)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_measured(
    cmd: list[str], env: dict | None = None, cwd: Path = REPO, log: Path | None = None, samples: list | None = None
) -> dict:
    """Run ``cmd``; wall time, peak tree RSS (sampled) and the exit status. ``samples`` receives the RSS series."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    with TreeMemorySampler(proc.pid) as sampler:
        # wait4 gives the child's own ru_maxrss (the largest single process of the tree, where it is the parent).
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if samples is not None:
        samples.extend(sampler.samples)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
    return {
        "wall_s": round(wall, 2),
        "peak_tree_rss_mb": round(sampler.peak_kb / 1024, 1),
        "parent_maxrss_mb": round(usage.ru_maxrss / 1024, 1),
        "returncode": proc.returncode,
    }


def clean_env(tmp: Path) -> dict:
    """Environment of a pipeline run with its own Dagster instance and data folder under ``tmp``."""
    home = tmp / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = dict(os.environ)
    env.update({"DAGSTER_HOME": str(home), "POLES_CCE_DATA_DIR": str(tmp / "data"), "PYTHONUNBUFFERED": "1"})
    env.pop("POLES_CCE_MODE", None)
    env.pop("POLES_CCE_ARCHIVES_DIR", None)
    return env


def write_json(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
