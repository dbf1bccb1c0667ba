"""Re-validate a release folder offline: every check of the published tables on its Parquet files.

    python -m pipelines.checks data/releases/latest

Runs the checks the pipeline runs before publishing (pipelines/checks/registry.py: GX suites,
foreign keys, content and reconciliation checks), plus each file's schema against the data
contract, and compares row counts with the release it followed (release.json
``previous_release``, when that folder is beside it). Prints one line per failure and warning.
Exit 0 when every check holds (warnings allowed), 1 when one fails, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.schema import TABLES


class _Args(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage block
        print(f"python -m pipelines.checks: {message} (usage: python -m pipelines.checks RELEASE_DIR)", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Args(prog="python -m pipelines.checks", description=__doc__.split("\n")[0])
    parser.add_argument("release_dir", type=Path, help="a release folder (one Parquet file per published table)")
    args = parser.parse_args(argv)
    folder: Path = args.release_dir
    if not folder.is_dir():
        parser.error(f"{folder} is not a folder")
    present = [name for name in TABLES if (folder / f"{name}.parquet").exists()]
    if not present:
        parser.error(f"{folder} holds none of the published tables ({', '.join(f'{n}.parquet' for n in TABLES)})")

    from pipelines.checks.registry import table_checks
    from pipelines.checks.release import previous_release_dir, read_release, release_context, schema_outcome
    from pipelines.definitions import PUBLISHED_TABLES

    missing = [name for name in TABLES if name not in present]
    if missing:
        for name in missing:
            print(f"FAIL {name}: {folder / (name + '.parquet')} is missing")
        return 1
    try:
        frames = read_release(folder)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is a failed release, said in one line
        print(f"FAIL cannot read the release's Parquet files: {type(exc).__name__}: {exc}")
        return 1
    ctx = release_context(previous_release_dir(folder))
    outcomes = [(f"{name}:schema", schema_outcome(folder, name)) for name in TABLES]
    outcomes += [(f"{c.table}:{c.name}", c.run(frames, ctx)) for c in table_checks(PUBLISHED_TABLES)]

    failed = 0
    for label, outcome in outcomes:
        for f in outcome.failures:
            print(f"FAIL {label}: {f.describe()}")
        for w in outcome.warnings:
            print(f"WARN {label}: {w.describe()}")
        failed += bool(outcome.failures)
    against = (
        f", row counts against release {ctx.previous_release}"
        if ctx.previous_release
        else ", no previous release beside it"
    )
    print(f"{len(outcomes)} checks on {folder}{against}: {failed} failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
