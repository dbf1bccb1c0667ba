"""``python -m spiders.cce_appointments PATH [PATH…] [--url URL]``: one JSON object per appointee.

An alias of ``python -m spiders.parse cce_appointments PATH`` for decrees: the same page
loading (any encoding, size limits, snapshot manifests) and parser, printed the way this
command always did. PATH is a decree page (.html) or its text (.txt). Its URL is ``--url``,
else the Légifrance URL of the JORFTEXT id in the file name, else the URL the snapshot
manifest next to it gives for that file. Issues go to stderr; the exit status is 1 when any
is an error (an unknown heading, an unparsed appointee, a missing field), 2 when a file
cannot be read (one line; ``--debug`` adds the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from common.cli import DEBUG_FLAG, DEBUG_HELP, run_main
from common.issues import ERROR, Issue
from common.sources import load_source
from spiders.parse import build_response, decoded_body, load_page

from .routes import ROUTES, url_for

PROG = "python -m spiders.cce_appointments"
SOURCE = "cce_appointments"


def parse_file(path: Path, url: str | None = None):
    """Items and issues of one decree file, through ``spiders.parse``'s loading and page kind."""
    source = load_source(SOURCE)
    page, origin = load_page(source, str(path), url or url_for(Path(path)))
    body = decoded_body(page, origin, source.max_response_bytes)
    headers = {k: v for k, v in page.headers.items() if k.lower() != "content-encoding"}
    [decree] = ROUTES
    yield from decree.parse(build_response(body, headers, page.url))


def _main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ap.add_argument("--url", help="URL of the decree (one PATH only)")
    ap.add_argument(DEBUG_FLAG, action="store_true", help=DEBUG_HELP)
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


def main(argv: list[str] | None = None) -> int:
    return run_main(_main, PROG, argv)


if __name__ == "__main__":
    sys.exit(main())
