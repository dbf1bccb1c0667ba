"""The bundled cnccef.org sample: honest about being a reconstruction, and free of personal contacts."""

import json
import re

from common.paths import SNAPSHOTS_DIR
from common.personal_data import find
from spiders.core.archive import open_archive

FOLDER = SNAPSHOTS_DIR / "cce_committees"


def test_manifest_follows_the_conventions():
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == "cce_committees"
    assert manifest["captured_at"] == "2026-11-01T06:00:00Z"
    assert manifest["reconstruction"] is True
    for r in manifest["responses"]:
        assert r["url"].startswith("https://www.cnccef.org/")
        assert r["status"] == 200 and "Content-Type" in r["headers"]
        assert (FOLDER / r["file"]).is_file()
    archive = open_archive(FOLDER)
    assert archive.get("https://www.cnccef.org/robots.txt") is not None
    assert len(archive) == 74  # robots.txt, 3 listing pages, 21 committees, 49 sections


def test_readme_says_reconstruction_and_invented_people():
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    assert "not a capture" in text and "reconstruction" in text
    assert "invented" in text


def test_no_personal_email_or_phone_in_any_page():
    for path in sorted((FOLDER / "pages").rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        assert find(text) == [], path
        assert "mailto:" not in text and "tel:" not in text, path
        # Broader than the parser's patterns: any run of 9+ digits with separators.
        assert not re.search(r"\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{2}", text), path
