"""`python -m spiders.cce_appointments PATH`: exact output on both sample decrees, errors, exit status."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from common.paths import REPO_ROOT, SNAPSHOTS_DIR

SNAPSHOT = SNAPSHOTS_DIR / "cce_appointments"
EXPECTED = Path(__file__).parent / "files" / "cce_appointments"
DECREES = ["JORFTEXT000048601234", "JORFTEXT000052583419"]


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "spiders.cce_appointments", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.parametrize("decree", DECREES)
@pytest.mark.parametrize("folder, suffix", [("text", ".txt"), ("pages", ".html")])
def test_cli_output_matches_the_hand_checked_jsonl(decree, folder, suffix):
    proc = run(SNAPSHOT / folder / f"{decree}{suffix}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == (EXPECTED / f"{decree}.jsonl").read_text(encoding="utf-8")
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        assert rec["source_url"] == f"https://www.legifrance.gouv.fr/jorf/id/{decree}"


def test_cli_unknown_heading_is_an_error_with_exit_status_1(tmp_path):
    text = (
        (SNAPSHOT / "text" / "JORFTEXT000048601234.txt").read_text(encoding="utf-8").replace("HONG KONG", "ATLANTIDE")
    )
    path = tmp_path / "decree.txt"
    path.write_text(text, encoding="utf-8")
    proc = run(path, "--url", "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234")
    assert proc.returncode == 1
    assert "error: unknown_heading" in proc.stderr and "ATLANTIDE" in proc.stderr
    assert len(proc.stdout.splitlines()) == 16  # nothing dropped: Wei Laurent Tan is kept, unplaced
    tan = [json.loads(l) for l in proc.stdout.splitlines() if "Tan" in l][0]
    assert (tan["heading"], tan["country_code"]) == ("ATLANTIDE", None)
