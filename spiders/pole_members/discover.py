"""Where a pôle's member directory is and how it goes on: links, pagination, search forms, JSON. Pure.

- ``member_link_score``: 3 for the words of directories (adhérents, membres, annuaire, members,
  member directory…), 2 for the pages that usually link to them (écosystème, réseau, qui
  sommes-nous…); the members' login area, joining pages, news and legal pages score 0.
- ``pagination_links``: ``rel=next`` links and the links of a pager block (pagination, pager,
  page-numbers, nav-links) or saying "suivant" / "next".
- ``json_endpoints``: URLs a JavaScript directory loads, read from the page's own data
  attributes (``data-endpoint``, ``data-src``…) and inline scripts (``fetch('…')``,
  ``endpoint: '…'``); external scripts are not read (a per-site hint in the YAML says it instead).
- ``member_search_forms``: GET forms of the page body about members, with the field a letter
  goes in (a ``<select>`` of letters, else the first text field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlparse

from common.places import fold
from spiders.pole_sites.discover import keyword_strength, same_site

_STRONG = re.compile(
    r"\b(adherents?|nos adherents|membres|nos membres|annuaire|annuaires|members|our members|member directory"
    r"|directory|repertoire|liste des membres|ils sont membres|communaute des membres)\b"
)
_MEDIUM = re.compile(
    r"\b(ecosysteme|ecosystem|reseau|communaute|community|qui sommes nous|le pole|a propos|about|about us"
    r"|l association|le cluster)\b"
)
_EXCLUDED = re.compile(
    r"\b(espace (adherents?|membres?)|members? area|extranet|intranet|login|connexion|se connecter|mon compte"
    r"|compte|devenir (adherent|membre)|adherer|adhesion|become a member|join|rejoindre|actualites?|news|blog"
    r"|agenda|evenements?|events?|mentions legales|legal|cookies?|recrutement|jobs?|newsletter|presse|press"
    r"|contact|gouvernance|equipe|team)\b"
)
_SKIP_EXT = re.compile(r"\.(jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|pptx?|mp4|mp3|ics|css|js|pdf)(\?|$)", re.I)


def member_link_score(text: str | None, url: str) -> int:
    """How strongly a link points at a member directory (0: not followed)."""
    if _SKIP_EXT.search(url) or url.startswith(("mailto:", "tel:", "javascript:")):
        return 0
    words = fold(text or "")
    path_words = fold(urlparse(url).path.replace("-", " ").replace("_", " ").replace("/", " "))
    if _EXCLUDED.search(path_words) or _EXCLUDED.search(words):
        return 0
    return keyword_strength((words, path_words), _STRONG, _MEDIUM)


def page_is_directory(title_and_headings: str) -> bool:
    return bool(_STRONG.search(fold(title_and_headings)))


def _same_site_url(base: str, href: str | None, site_host: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urldefrag(urljoin(base, href))[0]
    return url if url.startswith(("http://", "https://")) and same_site(url, site_host) else None


_PAGER_CLASS = re.compile(r"pagination|pager|page-numbers|nav-links|paging|pages\b", re.I)
_NEXT_TEXT = re.compile(r"^(suivant|page suivante|suivante|next|next page|plus de resultats|>|>>|»|›)$")


def pagination_links(root, base: str, site_host: str) -> list[str]:
    """Same-site URLs of the page's pager, in document order, each once."""
    out: list[str] = []

    def add(href):
        url = _same_site_url(base, href, site_host)
        if url and url != urldefrag(base)[0] and url not in out:
            out.append(url)

    for el in root.iter("a", "link"):
        rel = (el.get("rel") or "").lower().split()
        if "next" in rel:
            add(el.get("href"))
    for a in root.iter("a"):
        text = fold(a.text_content() or "") or (a.text_content() or "").strip()
        in_pager = any(
            _PAGER_CLASS.search(" ".join(filter(None, (x.get("class"), x.get("id"), x.get("aria-label")))))
            for x in [a, *list(a.iterancestors())[:3]]
        )
        if in_pager or _NEXT_TEXT.match(text):
            add(a.get("href"))
    return out


_DATA_ATTRS = ("data-endpoint", "data-src", "data-url", "data-api", "data-json", "data-source", "data-feed")
_SCRIPT_URL = re.compile(
    r"""(?:fetch|axios\.get|\$\.getJSON|\$\.get|\.open\(\s*["']GET["']\s*,)\s*\(?\s*["'`]([^"'`\s]+)["'`]"""
    r"""|(?:endpoint|apiUrl|api_url|dataUrl|data_url|jsonUrl|json_url|source)\s*[:=]\s*["'`]([^"'`\s]+)["'`]""",
    re.I,
)
_NOT_DATA = re.compile(r"\.(js|css|png|jpe?g|svg|gif|webp|html?)(\?|$)", re.I)


def json_endpoints(root, base: str, site_host: str) -> list[str]:
    """Same-site URLs the page's own data attributes and inline scripts say it loads."""
    found: list[str] = []

    def add(href):
        url = _same_site_url(base, href, site_host)
        if url and not _NOT_DATA.search(urlparse(url).path) and url not in found:
            found.append(url)

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in _DATA_ATTRS:
            if el.get(attr):
                add(el.get(attr))
    for script in root.iter("script"):
        if script.get("src") or (script.get("type") or "").endswith("ld+json"):
            continue
        for m in _SCRIPT_URL.finditer(script.text or ""):
            add(m.group(1) or m.group(2))
    return found


@dataclass(frozen=True)
class SearchForm:
    number: int  # the form's position among the page's forms (FormRequest.from_response(formnumber=…))
    action: str
    field: str | None  # where a letter goes
    letters: tuple[str, ...]  # the letters to submit one by one when the empty form lists nobody


_FURNITURE = {"header", "nav", "footer", "aside"}
_FORM_WORDS = re.compile(r"\b(adherents?|membres?|members?|annuaire|directory|repertoire|resultats?)\b")
_LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def member_search_forms(root, base: str, site_host: str, is_directory: bool) -> list[SearchForm]:
    """GET forms of the body (not the header's site search) that search the members."""
    out = []
    for number, form in enumerate(root.iter("form")):
        if (form.get("method") or "get").lower() != "get" or form.get("role") == "search":
            continue
        if any(a.tag in _FURNITURE for a in form.iterancestors()):
            continue
        action = urljoin(base, form.get("action") or base)
        if not same_site(action, site_host):
            continue
        about = fold(" ".join(filter(None, (form.get("class"), form.get("id"), urlparse(action).path))))
        if not (is_directory or _FORM_WORDS.search(about.replace(" ", " "))):
            continue
        field, letters = None, ()
        for select in form.iter("select"):
            values = tuple(o.get("value", o.text_content()).strip() for o in select.iter("option"))
            single = tuple(v for v in values if re.fullmatch(r"[A-Za-z]", v or ""))
            if len(single) >= 20:
                field, letters = select.get("name"), tuple(v.upper() for v in single)
                break
        if field is None:
            for inp in form.iter("input"):
                if (inp.get("type") or "text").lower() in ("text", "search") and inp.get("name"):
                    field, letters = inp.get("name"), _LETTERS
                    break
        out.append(SearchForm(number, action, field, letters))
    return out
