"""Screenshots of a release's landing page for docs/screenshots/, in headless Chromium.

    .venv/bin/python scripts/screenshot_landing.py data/releases/latest

Writes docs/screenshots/landing-1400.png and landing-390.png (whole page, as laid out at
that width). Uses the DevTools client of tests/test_release_landing.py.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_release_landing import Browser, _full_page  # noqa: E402


def main(release: str) -> None:
    page = (Path(release).resolve() / "index.html").as_uri()
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            browser.load(page)
            for width in (1400, 390):
                sizes = _full_page(browser, width, out / f"landing-{width}.png")
                print(
                    f"landing-{width}.png: page {sizes['scroll']} x {sizes['height']} px, errors: {browser.console_errors()}"
                )
        finally:
            browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "index.html").is_file():
        sys.exit("usage: python scripts/screenshot_landing.py RELEASE_DIR (a folder holding index.html)")
    main(sys.argv[1])
