"""Page kinds of the appointment decrees, for ``python -m spiders.parse cce_appointments PAGE``.

One kind: a Légifrance decree, as its HTML page or as plain text (the text kept beside the
snapshot, or pasted by hand). The parsers and the URL-from-file-name rule are the ones of
``spiders.cce_appointments`` (and its own command, ``python -m spiders.cce_appointments``)."""
from __future__ import annotations

from pathlib import Path

from common.places import fold
from spiders.pages import PageKind

from .__main__ import LEGIFRANCE_TEXT_URL, url_for
from .parse import parse_decree, parse_decree_text


def _decree(response, origin=None):
    text = response.text
    if text.lstrip()[:1] == "<":
        yield from parse_decree(response)
    else:
        yield from parse_decree_text(text, response.url)


def _url_from_path(path: Path) -> str | None:
    url = url_for(path)
    return None if url.startswith("file:") else url


PAGE_KINDS = [
    PageKind(
        name="decree",
        url_pattern=r"^https?://(?:www\.)?legifrance\.gouv\.fr/(?:jorf/id|jorf/texte|loda/id)/",
        canonical_url=LEGIFRANCE_TEXT_URL.format("JORFTEXT000000000000"),
        parse=_decree,
        sniff=lambda r: "conseillers du commerce exterieur" in fold(r.text[:5000]),
        url_from_path=_url_from_path,
    ),
]
