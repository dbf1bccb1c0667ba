"""Seats of a pôle's governance and team, read from one page of its site. Pure functions.

No single layout is assumed; every reader below runs on the page and the first to read a
person with a role keeps the seat (schema.org first, free text last):

- ``jsonld`` / ``microdata``: schema.org ``Person`` objects (extruct), with jobTitle and
  worksFor / affiliation;
- ``table``: tables whose header names a name column and a role column (or two-column
  "role | name" tables);
- ``card``: repeated sibling blocks (same tag and class) each holding a name and a role, and
  often an organisation;
- ``list`` / ``text``: lines such as "Présidente : Marie Durand (Société X)",
  "Marie Durand, présidente – Société X", definition lists;
- ``pdf``: the same lines in a board PDF's text.

Not seats: anything inside header, nav, footer, aside, news teasers (articles with a date,
blocks whose class says news / post / sidebar / widget), publication-director, host and
photo-credit lines, and vacant seats (reported). Contact details are never kept: seat
fields hold a name, a role and an organisation only, and e-mail addresses and phone
numbers are cut out of the evidence text.
"""

from __future__ import annotations

import io
import json
import re
from functools import lru_cache
from typing import Iterator

import lxml.html

from common.issues import WARNING, Issue
from spiders.core.extract import clean_text as _clean_text

from .roles import (
    body_of_heading,
    default_body,
    fold,
    is_person_name,
    is_vacant,
    looks_like_role,
    role_kind,
    strip_title,
)

SOURCE = "pole_sites"
clean_text = lru_cache(maxsize=65536)(_clean_text)  # the same names and roles recur on every page of a site
METHOD_RANK = {"jsonld": 0, "microdata": 1, "table": 2, "card": 3, "list": 4, "text": 5, "pdf": 6}
MAX_EVIDENCE = 300

# Page furniture, by tag and by class/id words.
_DROP_TAGS = ("script", "style", "noscript", "template", "header", "footer", "nav", "aside", "form", "svg", "iframe")
_DROP_CLASS = re.compile(
    r"(^|[\s_-])(footer|sidebar|news|actus?|actualites?|post|posts|blog|breadcrumbs?|cookies?|menu|navbar"
    r"|share|social|agenda|events?|newsletter|related|teaser|slider|carousel|credits?)([\s_-]|$)",
    re.I,
)
_FOOTER_LINE = re.compile(
    r"directeur de (la )?publication|directrice de (la )?publication|responsable de (la )?publication"
    r"|\bheberge|\bhosting\b|\bhosted by\b|credits? photos?|photo credits?|\bcopyright\b|©|mentions legales"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+\d{2}\s?\(?0?\)?\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
_BLOCK = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "dt",
    "dd",
    "dl",
    "td",
    "th",
    "tr",
    "table",
    "figcaption",
    "figure",
    "section",
    "article",
    "blockquote",
    "address",
    "hr",
}
_INLINE_SPLIT = {"span", "small", "em", "strong", "b", "i", "a"}  # split only when they carry a class
_HEADINGS = {"h1", "h2", "h3", "h4", "h5"}
_SEP = r"\s*(?::|–|—|\s-\s|\|)\s*"
_ROLE_FIRST = re.compile(rf"^(?P<role>[^:–—|]{{2,70}}?){_SEP}(?P<rest>.+)$")
_NOISE_SEGMENT = re.compile(
    r"^(en savoir plus|lire la suite|voir (le )?profil|linkedin|twitter|contact(er)?|e-?mail"
    r"|t[eé]l[eé]phone|read more|more)$",
    re.I,
)


def scrub(text: str) -> str:
    """Evidence text without e-mail addresses or phone numbers."""
    return _PHONE.sub("[…]", _EMAIL.sub("[…]", text))


def _evidence(text: str) -> str:
    text = scrub(clean_text(text) or "")
    return text if len(text) <= MAX_EVIDENCE else text[: MAX_EVIDENCE - 1] + "…"


def _issue(url, field, code, message, value=None, severity=WARNING, **context) -> Issue:
    return Issue(
        source=SOURCE, url=url, field=field, code=code, message=message, severity=severity, value=value, context=context
    )


class SeatSink:
    """Collects the seats of one page, keeping one per (person, role kind): the best method's."""

    def __init__(self, url: str, cluster_id: str | None, page_body: str | None):
        self.url, self.cluster_id, self.page_body = url, cluster_id, page_body
        self.seats: dict[tuple[str, str], dict] = {}
        self.issues: list[Issue] = []

    def add(
        self,
        name: str | None,
        role: str | None,
        organisation: str | None,
        evidence: str,
        method: str,
        heading: str | None = None,
    ) -> bool:
        role = clean_text(role)
        name = clean_text(name)
        if not role:
            return False
        if name is None or is_vacant(name):
            self.issues.append(
                _issue(self.url, "person_name", "vacant_seat", f"vacant seat '{role}': not a seat", role, method=method)
            )
            return False
        name = strip_title(name)
        if not is_person_name(name):
            return False
        kind = role_kind(role)
        if kind is None:
            kind = "other"
            self.issues.append(
                _issue(
                    self.url,
                    "role_kind",
                    "unknown_value",
                    f"role '{role}' of {method} seat matches no role kind: kept as 'other'",
                    role,
                )
            )
        # The heading above the seat, else the role's usual body; the page's title only for roles of no kind.
        body = body_of_heading(heading) or (self.page_body if kind == "other" else None) or default_body(kind)
        if kind in ("president", "vice_president", "treasurer", "secretary") and body == "team":
            body = "bureau"
        org = clean_text(organisation)
        if org and (_EMAIL.search(org) or _PHONE.search(org) or _NOISE_SEGMENT.match(org) or len(org) > 120):
            org = None
        key = (fold(name), kind)
        seat = {
            "kind": "seat",
            "cluster_id": self.cluster_id,
            "person_name": name,
            "role": role,
            "role_kind": kind,
            "body": body,
            "organisation": org,
            "evidence_url": self.url,
            "evidence_text": _evidence(evidence),
            "method": method,
            "source_url": self.url,
        }
        old = self.seats.get(key)
        if old is None or (
            METHOD_RANK[method] < METHOD_RANK[old["method"]] and not (org is None and old["organisation"])
        ):
            self.seats[key] = seat
        return True


# --- page preparation ---------------------------------------------------------------------


def _classes(el) -> str:
    attrib = el.attrib
    if "class" not in attrib and "id" not in attrib:
        return ""
    return f"{attrib.get('class', '')} {attrib.get('id', '')}"


def clean_tree(html: str, root=None):
    """The page's tree (``root``, parsed from ``html`` when not given) without furniture: header,
    nav, footer, aside, news teasers, sidebars. ``root`` is changed in place."""
    root = lxml.html.document_fromstring(html or "<html></html>") if root is None else root
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments
        elif el.tag in _DROP_TAGS or ((classes := _classes(el)) and _DROP_CLASS.search(classes)):
            doomed.append(el)
        elif el.tag == "article" and el.xpath(".//time"):
            doomed.append(el)  # a dated article is a news item
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return root


def segments(el) -> list[str]:
    """Text of an element as lines: split at block elements, <br>, and classed inline elements."""
    lines: list[str] = []
    buf: list[str] = []

    def flush():
        if buf:
            text = clean_text(" ".join(buf))
            if text:
                lines.append(text)
            buf.clear()

    def walk(node):
        if not isinstance(node.tag, str):
            return
        split = node.tag in _BLOCK or (node.tag in _INLINE_SPLIT and node.get("class"))
        if split:
            flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if split:
            flush()

    walk(el)
    flush()
    return lines


def _page_body(root) -> str | None:
    title = " ".join(root.xpath("//title//text()") + root.xpath("//h1//text()"))
    return body_of_heading(title)


def _headings(root) -> dict:
    """Element -> the heading in effect where it starts (nearest preceding h1-h5 not naming a person)."""
    current, out = None, {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _HEADINGS:
            text = clean_text(el.text_content())
            if text and not is_person_name(text) and not looks_like_role(text):
                current = text
        out[el] = current
    return out


# --- readers ------------------------------------------------------------------------------


def _jsonld_persons(node, out: list[tuple[dict, str | None]], role: str | None = None):
    if isinstance(node, list):
        for n in node:
            _jsonld_persons(n, out, role)
        return
    if not isinstance(node, dict):
        return
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    if "Person" in types:
        out.append((node, role))
    # schema.org Role wrappers: {"@type": "OrganizationRole", "roleName": "Président", "member": {Person}}
    role_name = node.get("roleName") if any(t in ("Role", "OrganizationRole", "EmployeeRole") for t in types) else None
    for key, value in node.items():
        if key.startswith("@") and key not in ("@graph",):
            continue
        if isinstance(value, (dict, list)):
            _jsonld_persons(value, out, role_name or role)


def _org_name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    return clean_text(value) if isinstance(value, str) else None


def _first_text(value) -> str | None:
    if isinstance(value, list):
        value = ", ".join(v for v in value if isinstance(v, str))
    return clean_text(value) if isinstance(value, str) else None


def read_schema_org(html: str, url: str, sink: SeatSink) -> None:
    import extruct

    try:
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore")
    except Exception as exc:  # a malformed block must not hide the rest of the page
        sink.issues.append(_issue(url, "json-ld", "parse_error", f"schema.org data unreadable: {exc}"))
        return
    for syntax, method in (("json-ld", "jsonld"), ("microdata", "microdata")):
        persons: list[tuple[dict, str | None]] = []
        _jsonld_persons(data.get(syntax) or [], persons)
        for person, wrapper_role in persons:
            name = _first_text(person.get("name")) or clean_text(
                f"{_first_text(person.get('givenName')) or ''} {_first_text(person.get('familyName')) or ''}"
            )
            role = wrapper_role or _first_text(person.get("jobTitle")) or _first_text(person.get("roleName"))
            org = _org_name(person.get("worksFor")) or _org_name(person.get("affiliation"))
            # The evidence is the schema.org statement as text: name, role and organisation as the data gives them.
            shown = {"name": name, "roleName" if wrapper_role else "jobTitle": role, "worksFor": org}
            sink.add(name, role, org, json.dumps({k: v for k, v in shown.items() if v}, ensure_ascii=False), method)


_NAME_COL = re.compile(
    r"^(nom|noms|name|prenom nom|nom prenom|membre|membres|administrateur|administratrice"
    r"|representant|representante|personne|full name|titulaire)\b"
)
_ROLE_COL = re.compile(r"^(fonction|fonctions|role|mandat|poste|qualite|title|position|job title|responsabilite)\b")
_ORG_COL = re.compile(
    r"^(organisation|organisme|entreprise|structure|societe|etablissement|company|organization"
    r"|organisation representee|employeur|employer|affiliation)\b"
)


def read_tables(root, url: str, sink: SeatSink, headings: dict) -> set:
    used = set()
    for table in root.iter("table"):
        rows = table.xpath(".//tr")
        if not rows:
            continue
        head = [fold(c.text_content()) for c in rows[0].xpath("th|td")]
        cols = {}
        for i, h in enumerate(head):
            for key, rx in (("name", _NAME_COL), ("role", _ROLE_COL), ("org", _ORG_COL)):
                if key not in cols and rx.search(h):
                    cols[key] = i
        found = 0
        if "name" in cols and "role" in cols:
            for tr in rows[1:]:
                cells = [clean_text(c.text_content()) for c in tr.xpath("th|td")]
                if len(cells) <= max(cols.values()):
                    continue
                org = cells[cols["org"]] if "org" in cols else None
                found += sink.add(
                    cells[cols["name"]],
                    cells[cols["role"]],
                    org,
                    " | ".join(c or "" for c in cells),
                    "table",
                    headings.get(table),
                )
        else:  # "role | name (organisation)" tables without a header row
            for tr in rows:
                cells = [clean_text(c.text_content()) for c in tr.xpath("th|td")]
                if len(cells) in (2, 3) and looks_like_role(cells[0]):
                    name, org = _name_and_org(cells[1] or "")
                    org = cells[2] if len(cells) == 3 and not org else org
                    found += sink.add(
                        name, cells[0], org, " | ".join(c or "" for c in cells), "table", headings.get(table)
                    )
        if found:
            used.add(table)
    return used


def _card_seat(segs: list[str]) -> tuple[str, str, str | None] | None:
    """(name, role, organisation) of one person's card: a name, a role, then perhaps an organisation.
    Several names *and* several roles make a list of people, not a card."""
    segs = [s for s in segs if not _NOISE_SEGMENT.match(s) and not _EMAIL.search(s) and not _PHONE.search(s)]
    roles = [i for i, s in enumerate(segs) if looks_like_role(s)]
    names = [i for i, s in enumerate(segs) if is_person_name(s) and i not in roles]
    if not roles or not names or (len(names) > 1 and len(roles) > 1):
        return None
    role_i = roles[0]
    before = [i for i in names if i < role_i]
    if len(before) > 1:
        return None
    name_i = before[0] if before else (role_i + 1 if role_i + 1 in names else None)
    if name_i is None:
        return None
    rest = [s for i, s in enumerate(segs) if i not in (name_i, role_i) and i > min(name_i, role_i) and len(s) <= 100]
    return segs[name_i], segs[role_i], (rest[0] if rest else None)


def read_cards(root, url: str, sink: SeatSink, headings: dict, skip: set) -> set:
    """Repeated sibling blocks (same tag and class), each one person's card. A block read as a
    card is not entered again; nor are the tables already read."""
    used = set()

    def visit(parent):
        groups: dict[tuple, list] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_CARDS:
                groups.setdefault((child.tag, child.get("class", "")), []).append(child)
        for members in groups.values():
            if len(members) < 2:
                continue
            read = []
            for m in members:
                segs = segments(m)
                if 2 <= len(segs) <= 6 and not any(_FOOTER_LINE.search(fold(s)) for s in segs):
                    seat = _card_seat(segs)
                    if seat:
                        read.append((m, seat, segs))
            if len(read) >= 2 and len(read) * 2 >= len(members):
                for m, (name, role, org), segs in read:
                    sink.add(name, role, org, " · ".join(segs), "card", headings.get(m))
                    used.add(m)
        for child in parent:
            if isinstance(child.tag, str) and child not in used and child not in skip:
                visit(child)

    visit(root)
    return used


_NOT_CARDS = {
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "dt",
    "dd",
    "dl",
    "ul",
    "ol",
    "table",
    "script",
    "style",
}
_PAREN_ORG = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<org>[^()]+)\)\s*$")
_COMMA_ORG = re.compile(r"^(?P<name>[^,–—|]+?)\s*(?:,|–|—|\s-\s|\|)\s*(?P<org>.+)$")


def _name_and_org(rest: str) -> tuple[str, str | None]:
    rest = rest.strip().rstrip(".;")
    m = _PAREN_ORG.match(rest)
    if m:
        return m["name"], m["org"]
    m = _COMMA_ORG.match(rest)
    if m and is_person_name(m["name"]):
        return m["name"], m["org"]
    return rest, None


def line_seats(line: str) -> list[tuple[str | None, str, str | None]]:
    """(name, role, organisation) read from one line of text: "Rôle : Nom (Organisation)",
    "Vice-présidents : A (X), B (Y)", "Nom, rôle – Organisation", "A, rôle – B, rôle", or
    a sentence holding several of them separated by semicolons ("Son bureau : Présidente : A ; …")."""
    if _FOOTER_LINE.search(fold(line)) or len(line) > 600:
        return []
    clauses = [c for c in re.split(r"\s*;\s*", line) if c.strip()] if ";" in line else [line]
    out = []
    for clause in clauses:
        parts = clause.split(":")
        # "Son bureau : Présidente : A (X)": try from each colon, the last "role : rest" that reads
        for k in range(max(len(parts) - 1, 1)):
            found = _clause_seats(":".join(parts[k:]).strip())
            if found:
                out += found
                break
    return out


def _clause_seats(line: str) -> list[tuple[str | None, str, str | None]]:
    m = _ROLE_FIRST.match(line)
    if m and looks_like_role(m["role"]) and not is_person_name(m["role"].split(",")[0]):
        role, rest = m["role"].strip(), m["rest"].strip()
        if is_vacant(rest):
            return [(None, role, None)]
        out = []
        for part in [p for p in re.split(r"(?<=\))\s*,\s*", rest) if p.strip()]:
            name, org = _name_and_org(part)
            if is_person_name(name):
                out.append((name, role, org))
        if out:
            return out
    # "Marie Durand, présidente (Société X)", "A, directeur – B, chargée de mission": name, role[, organisation]…
    parts = [p.strip() for p in re.split(r"\s*(?:,|–|—|\s-\s|\|)\s*", line) if p.strip()]
    out, i = [], 0
    while i + 1 < len(parts):
        name, role = parts[i], parts[i + 1]
        m2 = _PAREN_ORG.match(role)
        role, org = (m2["name"], m2["org"]) if m2 else (role, None)
        if not (is_person_name(name) and looks_like_role(role)):
            if out:
                break  # what follows the seats is prose, not another seat
            return []
        i += 2
        next_seat = i + 1 < len(parts) and is_person_name(parts[i]) and looks_like_role(parts[i + 1])
        if org is None and i < len(parts) and not next_seat and not looks_like_role(parts[i]):
            org = parts[i]
            i += 1
        out.append((name, role, org))
    return out


def read_lines(root, url: str, sink: SeatSink, headings: dict, skip: set) -> None:
    for el in root.iter("p", "li", "div", "td", "address", "blockquote"):
        if el in skip or any(a in skip for a in el.iterancestors()):
            continue
        if el.tag in ("div", "td") and any(isinstance(c.tag, str) and c.tag in _BLOCK - {"br"} for c in el):
            continue  # only leaf blocks: a wrapper's lines are read through its children
        method = "list" if el.tag == "li" else "text"
        for line in segments(el):
            for name, role, org in line_seats(line):
                sink.add(name, role, org, line, method, headings.get(el))
    for dt in root.iter("dt"):
        dd = dt.getnext()
        if dd is None or dd.tag != "dd" or any(a in skip for a in dt.iterancestors()):
            continue
        role = clean_text(dt.text_content())
        lines = segments(dd)
        if looks_like_role(role) and lines:
            # <dd>Name<br>Organisation</dd> or <dd>Name (Organisation)</dd>
            name, org = _name_and_org(lines[0])
            org = org or (lines[1] if len(lines) > 1 else None)
            if sink.add(name, role, org, f"{role} : {' · '.join(lines)}", "list", headings.get(dt)):
                skip.update((dt, dd))


def read_pairs(root, url: str, sink: SeatSink, headings: dict, skip: set) -> None:
    """A name on its own line followed by a role on the next (a single card, h3 + p): read in
    document order over the leaf blocks left by the other readers."""
    leaves = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _BLOCK or el.tag in ("br", "hr", "table", "tr"):
            continue
        if any(isinstance(c.tag, str) and c.tag in _BLOCK - {"br"} for c in el):
            continue
        if el in skip or any(a in skip for a in el.iterancestors()):
            continue
        leaves += [(el, line) for line in segments(el)]
    for i, (el, text) in enumerate(leaves[:-1]):
        role = leaves[i + 1][1]
        if not is_person_name(text) or not looks_like_role(role) or line_seats(role) or line_seats(text):
            continue
        org = leaves[i + 2][1] if i + 2 < len(leaves) else None
        next_seat = org and is_person_name(org) and i + 3 < len(leaves) and looks_like_role(leaves[i + 3][1])
        if org and (
            next_seat
            or looks_like_role(org)
            or _NOISE_SEGMENT.match(org)
            or len(org) > 100
            or line_seats(org)
            or _FOOTER_LINE.search(fold(org))
        ):
            org = None
        sink.add(text, role, org, " · ".join(x for x in (text, role, org) if x), "card", headings.get(el))


# --- entry points -------------------------------------------------------------------------


def parse_html(
    html: str, url: str, cluster_id: str | None = None, schema_only: bool = False, root=None
) -> tuple[list[dict], list[Issue]]:
    """Seats and issues of one HTML page. ``schema_only``: read schema.org data only (home pages,
    whose visible text is mostly news). ``root``: the page's lxml tree when already parsed (it is
    changed in place: furniture removed)."""
    if root is None or not hasattr(root, "drop_tree"):
        root = lxml.html.document_fromstring(html or "<html></html>")
    sink = SeatSink(url, cluster_id, _page_body(root))
    if "application/ld+json" in html or "itemscope" in html:  # extruct parses the page again: only when worth it
        read_schema_org(html, url, sink)
    if not schema_only:
        root = clean_tree(html, root)
        headings = _headings(root)
        used = read_tables(root, url, sink, headings)
        used |= read_cards(root, url, sink, headings, used)
        read_lines(root, url, sink, headings, used)  # adds the <dt>/<dd> pairs it read to `used`
        read_pairs(root, url, sink, headings, used)
    return sorted(sink.seats.values(), key=_order), sink.issues


def _order(seat: dict) -> tuple:
    return (seat["body"], seat["person_name"], seat["role"])


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def parse_pdf(body: bytes, url: str, cluster_id: str | None = None) -> tuple[list[dict], list[Issue]]:
    """Seats of a board PDF with text; an issue when it has none (a scan)."""
    try:
        text = pdf_text(body)
    except Exception as exc:
        return [], [_issue(url, "body", "parse_error", f"PDF unreadable: {type(exc).__name__}: {exc}")]
    if not text.strip():
        return [], [_issue(url, "body", "no_text", "PDF without text (a scan): the board cannot be read")]
    sink = SeatSink(url, cluster_id, None)
    heading = None
    for raw in text.splitlines():
        line = clean_text(raw)
        if not line:
            continue
        found = line_seats(line)
        if not found and len(line) <= 60 and body_of_heading(line):
            heading = line
        for name, role, org in found:
            sink.add(name, role, org, line, "pdf", heading)
    return sorted(sink.seats.values(), key=_order), sink.issues


def is_pdf(response) -> bool:
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return "application/pdf" in ctype or response.body[:5] == b"%PDF-"


def parse_page(response, cluster_id: str | None = None, schema_only: bool = False, root=None) -> Iterator[dict | Issue]:
    """Seats (items) then issues of one response, HTML or PDF (``root``: see :func:`parse_html`)."""
    if is_pdf(response):
        seats, issues = parse_pdf(response.body, response.url, cluster_id)
    else:
        seats, issues = parse_html(response.text, response.url, cluster_id, schema_only, root)
    yield from seats
    yield from issues


def readable_text_length(html: str, root=None) -> tuple[int, int]:
    """(characters of main text, images) of a page once its furniture is gone: an image-only board
    has images and next to no text. ``root``: an already cleaned tree."""
    root = clean_tree(html) if root is None else root
    main = (root.xpath("//main") or root.xpath("//body") or [root])[0]
    text = clean_text(main.text_content()) or ""
    return len(text), len(main.xpath(".//img"))
