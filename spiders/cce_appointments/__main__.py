"""``python -m spiders.cce_appointments PATH [PATH…] [--url URL]``: one JSON object per appointee.

PATH is a decree page (.html) or its text (.txt). Its URL is ``--url``, else the
Légifrance URL of the JORFTEXT id in the file name, else the URL the snapshot
manifest next to it gives for that file. Issues go to stderr; the exit status is 1
when any is an error (an unknown heading, an unparsed appointee, a missing field).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from common.issues import ERROR, Issue

from .parse import parse_decree_html, parse_decree_text

LEGIFRANCE_TEXT_URL = "https://www.legifrance.gouv.fr/jorf/id/{}"


def url_for(path: Path) -> str:
    if m := re.search(r"JORFTEXT\d{12}", path.name):
        return LEGIFRANCE_TEXT_URL.format(m.group(0))
    for folder in path.resolve().parents:
        manifest = folder / "manifest.json"
        if manifest.exists():
            rel = path.resolve().relative_to(folder).as_posix()
            for entry in json.loads(manifest.read_text(encoding="utf-8"))["responses"]:
                if entry["file"] == rel:
                    return entry["url"]
            break
    return path.resolve().as_uri()


def parse_file(path: Path, url: str | None = None):
    text = path.read_text(encoding="utf-8")
    url = url or url_for(path)
    is_html = path.suffix.lower() in (".html", ".htm") or text.lstrip()[:1] == "<"
    return (parse_decree_html if is_html else parse_decree_text)(text, url)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m spiders.cce_appointments", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ap.add_argument("--url", help="URL of the decree (one PATH only)")
    ns = ap.parse_args(argv)
    if ns.url and len(ns.paths) > 1:
        ap.error("--url takes one PATH")
    errors = 0
    for path in ns.paths:
        for rec in parse_file(path, ns.url):
            if isinstance(rec, Issue):
                errors += rec.severity == ERROR
                print(f"{rec.severity}: {rec.code}: {rec.message} [{rec.url}]", file=sys.stderr)
            else:
                print(json.dumps(rec, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
