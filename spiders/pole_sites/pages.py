"""Page kinds of the pôles' sites, for ``python -m spiders.parse pole_sites PAGE --url URL``.

Any page of any pôle's site is a ``governance`` page (HTML) or a ``board_pdf``: the parser
prints one item per seat. The pôle (``cluster_id``) comes from the URL's host, looked up in
the sites file beside a run's archive or in the bundled sample's; None when unknown.
"""

from __future__ import annotations

from pathlib import Path

from spiders.pages import PageKind

from .discover import host_key
from .parse import is_pdf, parse_page
from .sites import BUNDLED_SITES, read_sites

SEAT_FIELDS = ("person_name", "role", "role_kind", "body", "evidence_url", "evidence_text", "source_url")


def cluster_of(url: str, origin: Path | None = None) -> str | None:
    files = [BUNDLED_SITES]
    if origin is not None:
        for folder in [origin.resolve().parent, *origin.resolve().parents][:4]:
            if (folder / "sites.jsonl").exists():
                files.insert(0, folder / "sites.jsonl")
                break
    host = host_key(url)
    for path in files:
        if path.exists():
            for site in read_sites(path):
                if (
                    site["website"]
                    and host_key(site["website"] if "://" in site["website"] else "https://" + site["website"]) == host
                ):
                    return site["cluster_id"]
    return None


def _parse(response, origin=None):
    yield from parse_page(response, cluster_of(response.url, origin))


PAGE_KINDS = [
    PageKind(
        name="board_pdf",
        url_pattern=r"(?i)\.pdf(?:[?#].*)?$",
        canonical_url="https://pole.example/gouvernance/composition.pdf",
        parse=_parse,
        sniff=is_pdf,
        required=SEAT_FIELDS,
    ),
    PageKind(
        name="governance",
        url_pattern=r"^https?://",
        canonical_url="https://pole.example/gouvernance",
        parse=_parse,
        sniff=lambda response: True,
        required=SEAT_FIELDS,
    ),
]
