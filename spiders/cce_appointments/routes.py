"""Routes of the appointment decrees: one, a Légifrance decree, as its HTML page (the crawl) or
as plain text (the text kept beside the snapshot, or pasted by hand). Read by the spider and by
``python -m spiders.parse cce_appointments PAGE``; ``python -m spiders.cce_appointments`` is an
alias of the latter for decrees, with its own output format."""

from __future__ import annotations

import re
from pathlib import Path

from common.places import fold
from spiders.core.archive import read_manifest
from spiders.core.routing import Route

from .parse import parse_decree, parse_decree_text

LEGIFRANCE_TEXT_URL = "https://www.legifrance.gouv.fr/jorf/id/{}"


def url_for(path: Path) -> str:
    """The decree's URL: the JORFTEXT id in the file name, else the snapshot manifest's entry
    for the file, else the file's own URI."""
    if m := re.search(r"JORFTEXT\d{12}", path.name):
        return LEGIFRANCE_TEXT_URL.format(m.group(0))
    for folder in path.resolve().parents:
        manifest = folder / "manifest.json"
        if manifest.is_file():
            rel = path.resolve().relative_to(folder).as_posix()
            for entry in (read_manifest(manifest) or {}).get("responses", []):
                if entry.get("file") == rel and isinstance(entry.get("url"), str):
                    return entry["url"]
            break
    return path.resolve().as_uri()


def _decree(response):
    text = response.text
    if text.lstrip()[:1] == "<":
        yield from parse_decree(response)
    else:
        yield from parse_decree_text(text, response.url)


def _url_from_path(path: Path) -> str | None:
    url = url_for(path)
    return None if url.startswith("file:") else url


ROUTES = (
    Route(
        kind="decree",
        url_pattern=r"^https?://(?:www\.)?legifrance\.gouv\.fr/(?:jorf/id|jorf/texte|loda/id)/",
        example_url=LEGIFRANCE_TEXT_URL.format("JORFTEXT000000000000"),
        parse=_decree,
        sniff=lambda r: "conseillers du commerce exterieur" in fold(r.text[:5000]),
        url_from_path=_url_from_path,
    ),
)
