"""The five mutations issue 17 found surviving, applied one at a time: each must fail a test.

    .venv/bin/python scripts/mutation/named_mutations.py     (run by `make mutation`)

Each mutation is written into the file, the tests meant to kill it run, and the file is put
back byte for byte (in a ``finally``), whatever happens. Exit 1 if one survives.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MUTATIONS = [
    (
        "Corsica 2A/2B swapped",
        "common/places.py",
        '"2A" if int(pc) <= CORSE_DU_SUD_LAST_POSTCODE else "2B"',
        '"2B" if int(pc) <= CORSE_DU_SUD_LAST_POSTCODE else "2A"',
        ["tests/test_places.py"],
    ),
    (
        "fuzzy threshold 90 -> 80",
        "pipelines/clean/advisors.py",
        "FAMILY_FUZZY_THRESHOLD = 90",
        "FAMILY_FUZZY_THRESHOLD = 80",
        ["tests/test_advisors_merge_pairs.py"],
    ),
    (
        "'le' dropped from the particles",
        "pipelines/clean/advisors.py",
        '"la", "le", "l"',
        '"la", "l"',
        ["tests/test_advisors_merge_pairs.py"],
    ),
    (
        "candidates score bound loosened",
        "expectations/cluster_advisor_candidates.json",
        '"min_value": 0,\n    "max_value": 1',
        '"min_value": 0,\n    "max_value": 2',
        ["tests/checks/test_corruption.py", "-k", "score_above_1"],
    ),
    (
        "advisor_id uniqueness removed from the suite",
        "expectations/advisors.json",
        '{\n   "type": "expect_column_values_to_be_unique",\n   "kwargs": {\n    "column": "advisor_id"\n   }\n  },',
        "",
        ["tests/checks/test_corruption.py", "-k", "repeated_advisor_id"],
    ),
]


def main() -> int:
    survived = 0
    for label, rel, old, new, tests in MUTATIONS:
        path = ROOT / rel
        original = path.read_bytes()
        text = original.decode("utf-8")
        if old not in text:
            print(f"CANNOT APPLY {label}: {rel} no longer holds {old!r}")
            survived += 1
            continue
        try:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
        finally:
            path.write_bytes(original)
        killed = run.returncode != 0
        survived += not killed
        first = next((line for line in run.stdout.splitlines() if line.startswith("FAILED")), "")
        print(f"{'killed  ' if killed else 'SURVIVED'} {label} ({rel}) {first[:120]}")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
