"""Members of a pôle read from one directory page or one JSON answer. Pure functions.

A member is an organisation: its name as printed, the category label when the directory gives
one, its city and postcode, its website (a link to another host), and the page it was read
from. No layout is assumed; on an HTML page two readers run:

- ``table``: tables whose header names an organisation column (Nom, Raison sociale,
  Organisation, Structure, Entreprise…); the other columns are read by their header
  (catégorie / type, ville / localisation, code postal, site); contact columns are skipped;
- ``block``: repeated blocks (cards, list items) of a member context (a class or heading
  saying members, adhérents, annuaire, résultats…): the name from a heading, a name-like class,
  ``<strong>`` or the first segment of "Name – Catégorie – 75001 Paris"; the other parts by
  class or by their look (a postcode, "Ville (69)").

Contact people printed beside a member (blocks or parts with class contact / référent, lines
starting "Contact") are never read. A row or card whose name is empty is an issue naming the
URL and the field. A JSON answer is a list of records, or an object holding one (``results``,
``data``, ``membres``…); each record's keys are matched after folding (``raisonSociale`` →
``raisonsociale``), one nested level deep (``adresse.cp``).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlparse

import lxml.html

from common.issues import WARNING, Issue
from common.places import fold
from spiders.core.extract import clean_text

SOURCE = "pole_members"
FORMS = ("static_list", "paginated", "search_form", "json_endpoint")
MAX_EVIDENCE = 200

_DROP_TAGS = ("script", "style", "noscript", "template", "header", "footer", "nav", "aside", "form", "svg", "iframe")
_CONTEXT = re.compile(
    r"(adherent|membre|member|annuaire|directory|repertoire|resultat|result|ecosysteme|company|companies|entreprise)"
)
_CONTACT = re.compile(r"(contact|referent|interlocut|person|email|mail|phone|tel)", re.I)
_NAME_CLASS = re.compile(r"(^|[\s_-])(name|nom|title|titre|raison|org|organisation|company)([\s_-]|$)", re.I)
_CATEGORY_CLASS = re.compile(r"(categ|type|college|badge|statut|typolog|segment|tag)", re.I)
_PLACE_CLASS = re.compile(r"(ville|city|locali|lieu|adress|address|commune|location)", re.I)
_SEP = re.compile(r"\s+[–—|·•]\s+|\s+-\s+")
_POSTCODE_CITY = re.compile(
    r"^(?:(?P<cp>\d{5})\s+(?P<city>[^\d()].*?)|(?P<city2>[^\d()].*?)\s*\((?P<dep>\d[\dAB]|\d{3}|\d{5})\))$"
)
_SOCIAL = re.compile(r"(linkedin|twitter|facebook|youtube|instagram|x)\.com$|^t\.co$")

# Table header -> field (folded header words).
_COLUMNS = [
    ("contact", re.compile(r"\b(contact|e ?mail|courriel|telephone|tel|phone|referent|interlocuteur)\b")),
    ("website", re.compile(r"\b(site|site web|site internet|website|web|url|lien)\b")),
    ("postcode", re.compile(r"\b(code postal|cp|postcode|zip|zip code)\b")),
    ("place", re.compile(r"\b(ville|commune|localisation|lieu|city|location|siege|adresse|address|town)\b")),
    ("category", re.compile(r"\b(categorie|category|type|college|typologie|statut|segment|famille)\b")),
    (
        "organisation",
        re.compile(
            r"\b(nom|raison sociale|organisation|organisme|structure|entreprise|societe|adherent|membre|name"
            r"|company|organization|member|denomination)\b"
        ),
    ),
]


def _issue(url, field, code, message, value=None, **context) -> Issue:
    return Issue(SOURCE, url, field, code, message, WARNING, value, context)


def _text(el) -> str:
    return clean_text(" ".join(el.itertext()) if el is not None else "") or ""


def split_place(text: str | None) -> tuple[str | None, str | None]:
    """(postcode, city) of "69007 Lyon", "Lyon (69)", "Lyon"; (None, None) for nothing."""
    text = clean_text(text or "")
    if not text:
        return None, None
    m = _POSTCODE_CITY.match(text)
    if m:
        if m.group("cp"):
            return m.group("cp"), m.group("city").strip(" ,")
        dep = m.group("dep")
        return (dep if len(dep) == 5 else None), m.group("city2").strip(" ,")
    m = re.fullmatch(r"(.+?),?\s+(\d{5})", text)  # "Lyon 69007"
    if m:
        return m.group(2), m.group(1)
    return None, text


def _website(el, page_url: str) -> str | None:
    """The first link to another host that is not a social network."""
    page_host = (urlparse(page_url).hostname or "").removeprefix("www.")
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        url = urljoin(page_url, href)
        host = (urlparse(url).hostname or "").lower()
        if not url.startswith(("http://", "https://")) or not host:
            continue
        if host.removeprefix("www.") == page_host or _SOCIAL.search(host.removeprefix("www.")):
            continue
        return url
    return None


def _member(name, category, place, postcode, website, url, form, evidence, reader) -> dict:
    pc, city = split_place(place)
    pc = postcode or pc
    return {
        "kind": "member",
        "organisation": name,
        "category_label": clean_text(category) or None,
        "postcode": pc,
        "city": city or None,
        "website": website,
        "evidence_url": url,
        "evidence_text": (evidence or "")[:MAX_EVIDENCE],
        "directory_form": form,
        "reader": reader,
        "source_url": url,
    }


# --- HTML ------------------------------------------------------------------------------------


def _strip_furniture(root) -> None:
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()


def _is_contact(el) -> bool:
    return bool(_CONTACT.search(el.get("class") or "")) or fold(_text(el)).startswith("contact")


def _read_tables(root, url: str, form: str, out: list, issues: list) -> set:
    """Members of tables with an organisation column; returns the tables read."""
    read = set()
    for table in root.iter("table"):
        rows = [tr for tr in table.iter("tr")]
        if not rows:
            continue
        header = [fold(_text(c)) for c in rows[0] if c.tag in ("th", "td")]
        columns: dict[int, str] = {}
        for i, h in enumerate(header):
            for field, pattern in _COLUMNS:
                if pattern.search(h) and field not in columns.values():
                    columns[i] = field
                    break
        if "organisation" not in columns.values():
            continue
        read.add(table)
        for n, tr in enumerate(rows[1:], 2):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if not cells:
                continue
            values = {columns[i]: c for i, c in enumerate(cells) if i in columns}
            name = _text(values.get("organisation"))
            if not name:
                if any(_text(c) for c in cells):
                    issues.append(
                        _issue(url, "organisation", "unreadable_row", f"table row {n}: no organisation name", _text(tr))
                    )
                continue
            website = _website(values["website"], url) if "website" in values else None
            website = website or _website(values["organisation"], url)
            out.append(
                _member(
                    name,
                    _text(values.get("category")),
                    _text(values.get("place")),
                    _text(values.get("postcode")) or None,
                    website,
                    url,
                    form,
                    " | ".join(_text(values[f]) for f in ("organisation", "category", "place") if f in values),
                    "table",
                )
            )
    return read


def _context(el, depth: int = 4) -> bool:
    for x in [el, *list(el.iterancestors())[:depth]]:
        if _CONTEXT.search(fold(" ".join(filter(None, (x.get("class"), x.get("id")))))):
            return True
    return False


def _block(el, url: str, form: str) -> tuple[dict | None, str | None]:
    """(member, None) or (None, why) for one card or list item."""
    parts = [c for c in el.iter() if isinstance(c.tag, str) and c is not el]
    kept = [c for c in parts if not _is_contact(c)]
    name = None
    for c in kept:
        if c.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or _NAME_CLASS.search(c.get("class") or ""):
            name = _text(c)
            if not name:
                return None, "empty name heading"
            break
    category = next((_text(c) for c in kept if _CATEGORY_CLASS.search(c.get("class") or "")), None)
    place = next((_text(c) for c in kept if _PLACE_CLASS.search(c.get("class") or "")), None)
    # The block's own text, contact parts left out, split "Name – Catégorie – 75001 Paris".
    contact_text = {_text(c) for c in parts if _is_contact(c)}
    text = _text(el)
    for t in contact_text:
        text = text.replace(t, " ")
    segments = [s.strip() for s in _SEP.split(clean_text(text) or "") if s.strip()]
    if name is None:
        strong = next((c for c in kept if c.tag in ("strong", "b")), None)
        name = _text(strong) if strong is not None else (segments[0] if segments else None)
    if not name:
        return None, "no name"
    rest = [s for s in segments if fold(s) != fold(name) and fold(s) not in (fold(category or ""), fold(place or ""))]
    for s in rest:
        if re.match(r"^(https?://|www\.)|\.\w{2,}$", s) or fold(s).startswith(("site", "voir", "en savoir")):
            continue
        pc, city = split_place(s)
        if place is None and (pc or re.search(r"\(\d[\dAB]\)$", s)):
            place = s
        elif category is None and len(s) <= 60:
            category = s
    member = _member(name, category, place, None, _website(el, url), url, form, clean_text(text) or "", "block")
    return member, None


def _read_blocks(root, url: str, form: str, skip: set, page_directory: bool, out: list, issues: list) -> None:
    """Members of repeated blocks. A group of siblings (same parent, tag and class) is a candidate when
    its class says members, or it is a list whose list or surroundings say members (or the page does),
    or it is three or more classed blocks in such surroundings; a candidate holding another is a
    container (the grid, the section), not a member."""
    groups: dict[tuple, list] = {}
    for el in root.iter("li", "div", "article", "dd"):
        parent = el.getparent()
        if parent is None or any(a in skip for a in el.iterancestors()):
            continue
        groups.setdefault((id(parent), el.tag, el.get("class") or ""), []).append(el)
    candidates = []
    for (_, tag, cls), els in groups.items():
        own = bool(_CONTEXT.search(fold(cls)))
        around = _context(els[0].getparent()) or page_directory
        if tag == "li":
            ok = own or _context(els[0].getparent(), 1) or (len(els) >= 3 and around)
        else:
            ok = own or (len(els) >= 3 and bool(cls) and around)
        if ok and not all(_is_nav_item(e, url) for e in els):
            candidates.append(els)
    members_of = {id(e) for els in candidates for e in els}
    for els in candidates:
        if any(id(d) in members_of for e in els for d in e.iterdescendants()):
            continue  # a container of member blocks
        for el in els:
            member, why = _block(el, url, form)
            if member:
                out.append(member)
            elif _text(el):
                issues.append(
                    _issue(url, "organisation", "unreadable_row", f"a member block has {why}", _text(el)[:120])
                )


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def _is_nav_item(el, url: str) -> bool:
    """A list item that is only a link to another page of the site (a menu in the content)."""
    links = list(el.iter("a"))
    return len(links) == 1 and _text(links[0]) == _text(el) and _website(el, url) is None


def parse_html(html: str, url: str, form: str | None = None, root=None) -> tuple[list[dict], list[Issue]]:
    """Members of one directory page. ``form``: how the spider reached it (None: from the page)."""
    if root is None:
        try:
            root = lxml.html.fromstring(html or "<html></html>")
        except Exception as exc:  # lxml refuses empty or binary documents
            return [], [_issue(url, "body", "not_html", f"not readable as HTML: {exc}")]
    else:
        root = lxml.html.fromstring(lxml.html.tostring(root))  # the caller's tree stays whole
    title = " ".join(_text(h) for h in root.iter("title", "h1"))
    from .discover import member_search_forms, pagination_links

    if form is None:  # a saved page: its own pager or member search form tells
        host = (urlparse(url).hostname or "").removeprefix("www.")
        if pagination_links(root, url, host):
            form = "paginated"
        elif member_search_forms(root, url, host, False):
            form = "search_form"
        else:
            form = "static_list"
    _strip_furniture(root)
    members: list[dict] = []
    issues: list[Issue] = []
    tables = _read_tables(root, url, form, members, issues)
    _read_blocks(root, url, form, tables, bool(_CONTEXT.search(fold(title))), members, issues)
    return members, issues


# --- JSON ------------------------------------------------------------------------------------

_KEYS = {
    "organisation": (
        "nom",
        "name",
        "raisonsociale",
        "organisation",
        "organization",
        "denomination",
        "title",
        "titre",
        "societe",
        "entreprise",
        "company",
        "structure",
        "libelle",
    ),
    "category": ("categorie", "category", "type", "typologie", "college", "statut", "segment", "famille"),
    "city": ("ville", "city", "commune", "localite", "town", "locality"),
    "postcode": ("codepostal", "cp", "postcode", "zip", "zipcode", "postalcode"),
    "website": ("siteweb", "siteinternet", "website", "site", "url", "web", "lien", "homepage"),
}
_LIST_KEYS = ("results", "data", "items", "members", "membres", "adherents", "records", "rows", "entries")
_NEXT_KEYS = ("next", "nextpage", "nexturl")


def _fold_key(key) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(str(key)))


def _flat(record: dict) -> dict:
    """Keys folded, one nested level merged (``adresse.cp`` -> ``cp``); contact objects left out."""
    flat: dict = {}
    for key, value in record.items():
        k = _fold_key(key)
        if isinstance(value, dict):
            if _CONTACT.search(k):
                continue
            for k2, v2 in value.items():
                flat.setdefault(_fold_key(k2), v2)
        else:
            flat.setdefault(k, value)
    return flat


def _pick(flat: dict, field: str, hint_fields: dict) -> str | None:
    keys = ((_fold_key(hint_fields[field]),) if field in hint_fields else ()) + _KEYS[field]
    for k in keys:
        value = flat.get(k)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = clean_text(str(value))
            if text:
                return text
    return None


def parse_json(
    body: bytes | str, url: str, hint_fields: dict | None = None
) -> tuple[list[dict], list[Issue], str | None]:
    """(members, issues, next page URL) of one JSON answer of a directory."""
    hint_fields = hint_fields or {}
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        head = (body[:60].decode("utf-8", "replace") if isinstance(body, bytes) else body[:60]).strip()
        return (
            [],
            [_issue(url, "body", "json_unreadable", f"the directory's JSON endpoint answered no JSON ({exc})", head)],
            None,
        )
    records, next_url = None, None
    if isinstance(data, list):
        records = data
    elif isinstance(data, dict):
        for key, value in data.items():
            if _fold_key(key) in _LIST_KEYS and isinstance(value, list):
                records = value
            elif _fold_key(key) in _NEXT_KEYS and isinstance(value, str) and value.strip():
                next_url = urljoin(url, value.strip())
        if records is None:  # {"membres": [...]} and other names: the one list of objects
            lists = [v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
            records = lists[0] if len(lists) == 1 else None
    if records is None:
        return (
            [],
            [
                _issue(
                    url, "body", "json_unreadable", "the JSON answer holds no list of members", str(type(data).__name__)
                )
            ],
            None,
        )
    members, issues = [], []
    for n, record in enumerate(records):
        if not isinstance(record, dict):
            issues.append(_issue(url, "organisation", "unreadable_row", f"record {n}: not an object", str(record)[:80]))
            continue
        flat = _flat(record)
        name = _pick(flat, "organisation", hint_fields)
        if not name:
            issues.append(
                _issue(
                    url,
                    "organisation",
                    "unreadable_row",
                    f"record {n}: no organisation name",
                    json.dumps(record, ensure_ascii=False)[:120],
                )
            )
            continue
        website = _pick(flat, "website", hint_fields)
        if website and not website.startswith(("http://", "https://")):
            website = "https://" + website if re.fullmatch(r"[\w.-]+\.[a-z]{2,}(/\S*)?", website) else None
        members.append(
            _member(
                name,
                _pick(flat, "category", hint_fields),
                _pick(flat, "city", hint_fields),
                _pick(flat, "postcode", hint_fields),
                website,
                url,
                "json_endpoint",
                name,
                "json",
            )
        )
    return members, issues, next_url


def looks_like_json(response) -> bool:
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if "json" in ctype:
        return True
    head = response.body[:1].strip() if response.body else b""
    return head in (b"[", b"{") or bool(re.search(r"\.json(\?|$)", response.url))
