"""Synthetic directory of N pôles in the snapshot's DSFR layout, as mirror routes (parts 1 and 4).

Pages come from scripts/snapshots/build_poles.py (the generator of the bundled snapshot):
the 57 reference pôles cycled with numbered names, every layout variant (definition list,
table, "Label : value", JSON-LD, named entities), 12 per listing page as on the real site.
"""

from __future__ import annotations

import csv
import importlib.util
from functools import cache

from bench.common import REPO


@cache
def _builder():
    spec = importlib.util.spec_from_file_location("build_poles", REPO / "scripts" / "snapshots" / "build_poles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def routes(n: int) -> dict[str, tuple[int, dict, bytes]]:
    """URL -> (status, headers, body) of robots.txt, the listing pages and ``n`` detail pages."""
    b = _builder()
    with b.REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    poles = []
    for i in range(n):
        row = dict(rows[i % len(rows)])
        if i >= len(rows):
            k = i // len(rows) + 1
            row["name"] = f"{row['name']} {k}"
            row["acronym_or_short"] = f"{row['acronym_or_short']} {k}"
        poles.append(b.pole_facts(i, row))
    html = {"Content-Type": "text/html; charset=utf-8"}
    out = {b.SITE + "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")}
    last = (n + b.PER_PAGE - 1) // b.PER_PAGE
    for page in range(1, last + 1):
        chunk = poles[(page - 1) * b.PER_PAGE : page * b.PER_PAGE]
        out[b.listing_url(page)] = (200, html, b.listing_page(page, last, chunk, n).encode("utf-8"))
    for p in poles:
        _, body, ctype = b.detail_page(p)
        out[f"{b.LISTING}/{p['slug']}"] = (200, {"Content-Type": ctype}, body)
    return out


def start_url() -> str:
    return _builder().LISTING
