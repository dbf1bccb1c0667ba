"""Which links of a pôle's site lead to its governance or team: link text, URL, sitemap. Pure.

A link's score is the best of its text's and its URL's: 3 for the words of governance pages
(gouvernance, conseil d'administration, bureau, instances, équipe, board, team…), 2 for the
pages that usually link to them (qui sommes-nous, à propos, organisation, l'association,
international…). News, events, legal pages, files other than PDF and other hosts score 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlparse

from common.places import fold

_STRONG = re.compile(
    r"\b(gouvernance|governance|conseil d administration|conseil administration|bureau|instances|nos instances"
    r"|equipe|notre equipe|l equipe|team|our team|the team|board|board of directors|trombinoscope|administrateurs"
    r"|direction|organigramme|comite de direction|who we are|leadership|staff|permanents)\b"
)
_MEDIUM = re.compile(
    r"\b(qui sommes nous|a propos|about|about us|organisation|l association|le pole|presentation|international"
    r"|europe international|nous connaitre|le cluster|la structure|composition)\b"
)
_EXCLUDED = re.compile(
    r"\b(actualites?|news|blog|agenda|evenements?|events?|mentions legales|legal|cookies?|login|connexion|compte"
    r"|recrutement|offres? d emploi|jobs?|careers?|newsletter|presse|press|webinaires?|projets? labellises?)\b"
)
_SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|pptx?|mp4|mp3|ics|css|js)(\?|$)", re.I)
_PDF = re.compile(r"\.pdf(\?|$)", re.I)


def link_score(text: str | None, url: str) -> int:
    """How strongly a link points at a governance or team page (0: not followed)."""
    if _SKIP_EXT.search(url) or url.startswith(("mailto:", "tel:", "javascript:")):
        return 0
    path = urlparse(url).path
    words = fold(text or "")
    path_words = fold(path.replace("-", " ").replace("_", " ").replace("/", " "))
    if _EXCLUDED.search(path_words) or _EXCLUDED.search(words):
        return 0
    if _PDF.search(url) and not (
        _STRONG.search(words)
        or _STRONG.search(path_words)
        or re.search(r"\b(ca|composition)\b", words + " " + path_words)
    ):
        return 0  # a PDF is followed only when it says it is the board
    return keyword_strength((words, path_words), _STRONG, _MEDIUM)


def keyword_strength(texts, strong: re.Pattern, medium: re.Pattern) -> int:
    """3 when a strong keyword is in one of the folded ``texts``, 2 for a medium one, else 0."""
    return max((3 if strong.search(t) else 2 if medium.search(t) else 0 for t in texts), default=0)


def heading_score(title_and_headings: str) -> int:
    folded = fold(title_and_headings)
    return 3 if _STRONG.search(folded) else 2 if _MEDIUM.search(folded) else 0


def host_key(url_or_host: str) -> str:
    """A site's host without ``www.``: www.x.fr and x.fr are one site."""
    host = (urlparse(url_or_host).hostname if "//" in url_or_host else url_or_host) or ""
    return host.lower().removeprefix("www.")


def same_site(url: str, site_host: str) -> bool:
    host = host_key(url)
    return host == site_host or host.endswith("." + site_host)


@dataclass(frozen=True)
class Candidate:
    url: str
    score: int
    text: str


def candidate_links(response, site_host: str, score_of=None) -> list[Candidate]:
    """Links of a page to governance-like pages of the same site (``score_of(text, url)``: another
    scorer, e.g. member directories), best first, each URL once.
    Walks the lxml tree itself: a parsel selector per link costs more than the crawl's own work."""
    score_of = score_of or link_score
    from scrapy.utils.response import get_base_url

    base = get_base_url(response)
    best: dict[str, Candidate] = {}
    for a in response.selector.root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if not url.startswith(("http://", "https://")) or not same_site(url, site_host):
            continue
        text = " ".join(x for x in (a.text_content(), a.get("title"), a.get("aria-label")) if x)
        score = score_of(text, url)
        if score and (url not in best or best[url].score < score):
            best[url] = Candidate(url, score, " ".join(text.split())[:80])
    return sorted(best.values(), key=lambda c: (-c.score, c.url))


def sitemap_urls(body: bytes | str) -> list[str]:
    """<loc> URLs of a sitemap or sitemap index."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [u.strip() for u in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", text)]
