"""The run's issue log: crawl issues and clean-step issues, gathered for the release."""

from __future__ import annotations

import json
from pathlib import Path

from common.issues import Issue


def write_issues(run_dir: Path, step: str, issues: list[Issue | dict]) -> Path:
    path = run_dir / "issues" / f"{step}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for issue in issues:
            rec = issue.to_dict() if isinstance(issue, Issue) else dict(issue)
            rec["step"] = step
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    return path


def read_issues(run_dir: Path) -> list[dict]:
    out = []
    for path in sorted((run_dir / "issues").glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            out.extend(json.loads(line) for line in fh if line.strip())
    return out


def summarise(issues: list[Issue | dict]) -> dict:
    counts: dict[str, int] = {}
    for i in issues:
        rec = i.to_dict() if isinstance(i, Issue) else i
        key = f"{rec['severity']}/{rec['code']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
