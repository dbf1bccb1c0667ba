"""Field lexicons: which labels, schema.org properties, icons and value shapes mean which field.

A source keeps its lexicon in one reviewable file (``spiders/<source>/lexicon.yml``)::

    fields:
      themes:
        labels: [Thématiques, Secteur(s), Domaines d'activité, Themes, Sectors]
        schema: [knowsAbout]              # schema.org property paths (JSON-LD, microdata)
        icons: [fr-icon-price-tag-3-line] # an icon that stands for the label
        shape: postcode_city              # optional: how to recognise the value unlabelled

:func:`find_values` reads a page with it and returns every value it finds for each field,
wherever it stands: definition lists, table rows and header/row tables, "Label : value"
lines, a label element followed by its value (headings, cards, Drupal-style field
wrappers), icon-prefixed lines, links whose text, title or aria-label is a label, schema.org
data, and values recognised by their shape. Labels match whatever their accents, case,
plural or "(s)": "Région(s)", "Régions" and "REGION :" are one label.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import etree
from parsel import Selector

from common.places import fold
from spiders.core.extract import clean_text

_MAX_LABEL_WORDS = 7
_SKIP = ("script", "style", "noscript", "template", "nav", "header", "footer")
_BLOCKS = {"p", "li", "div", "dd", "td", "span", "address", "section", "article", "small"}
_LINE_LABEL = re.compile(r"^\s*([^:]{2,50}?)\s*:\s*(.+)$", re.S)
POSTCODE_CITY = re.compile(r"\b(\d{5})\s+([A-ZÀ-Ý][^\d,;:()]{1,50}?)\s*(?:,\s*France|\bFrance)?\s*$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+33\s?(?:\(0\)\s?)?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")
# Hosts of links that are never an organisation's own website (sharing, social networks).
SOCIAL = (
    "linkedin.com",
    "twitter.com",
    "x.com",
    "facebook.com",
    "youtube.com",
    "instagram.com",
    "wikipedia.org",
    "mastodon",
    "bsky.app",
    "viadeo.com",
    "flickr.com",
    "dailymotion.com",
)


def label_key(text: str | None) -> str:
    """A label folded for matching: accents, case, punctuation, "(s)" and plurals ignored."""
    words = [w for w in fold(text or "").split() if w not in ("s", "es", "x")]
    return " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    labels: tuple[str, ...] = ()  # label keys
    schema: tuple[str, ...] = ()  # schema.org property paths, e.g. "address.postalCode"
    icons: tuple[str, ...] = ()  # CSS classes of icons standing for the label
    shape: str | None = None  # name of a shape recogniser (see SHAPES)


@dataclass(frozen=True)
class Lexicon:
    source: str
    fields: dict[str, FieldSpec]
    extra: dict = field(default_factory=dict)  # other top-level sections of the file (roles, columns…)

    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def classify(self, label: str | None, exact: bool = False) -> str | None:
        """The field a printed label stands for (longest matching synonym), or None.
        Unless ``exact``, a label starting with a synonym matches too."""
        key = (label, exact)
        if key not in self._memo:
            if len(self._memo) > 50_000:  # labels repeat across pages; free text does not
                self._memo.clear()
            self._memo[key] = _classify(self, label_key(label), exact)
        return self._memo[key]

    def __hash__(self) -> int:
        return hash(self.source)


def _classify(lexicon: Lexicon, key: str, exact: bool) -> str | None:
    if not key or len(key.split()) > _MAX_LABEL_WORDS:
        return None
    best, best_len = None, 0
    for spec in lexicon.fields.values():
        for syn in spec.labels:
            if key == syn or not exact and key.startswith(syn + " "):
                n = len(syn) + (1000 if key == syn else 0)
                if n > best_len:
                    best, best_len = spec.name, n
    return best


def load_lexicon(path: str | Path, source: str | None = None) -> Lexicon:
    """Read a lexicon file; a malformed one fails naming the file and the field."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = {}
    for name, raw in (data.get("fields") or {}).items():
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: field '{name}' must be a mapping (labels, schema, icons, shape)")
        unknown = set(raw) - {"labels", "schema", "icons", "shape"}
        if unknown:
            raise ValueError(f"{path}: field '{name}' has unknown keys {sorted(unknown)}")
        if raw.get("shape") and raw["shape"] not in SHAPES:
            raise ValueError(
                f"{path}: field '{name}' names an unknown shape '{raw['shape']}' (known: {sorted(SHAPES)})"
            )
        specs[name] = FieldSpec(
            name=name,
            labels=tuple(dict.fromkeys(k for k in (label_key(l) for l in raw.get("labels") or []) if k)),
            schema=tuple(raw.get("schema") or []),
            icons=tuple(raw.get("icons") or []),
            shape=raw.get("shape"),
        )
    extra = {k: v for k, v in data.items() if k != "fields"}
    return Lexicon(source or data.get("source") or path.parent.name, specs, extra)


@dataclass
class Found:
    """One value of a field on a page, and where it was read."""

    field: str
    text: str | None
    origin: str  # dl, table, columns, pair, line, icon, link, jsonld, microdata, shape
    label: str | None = None
    el: object = None  # the lxml element holding the value
    hrefs: list[str] = field(default_factory=list)
    values: list[str] | None = None  # schema.org values come as a list already

    @property
    def node(self) -> Selector | None:
        """The value's element as a parsel Selector (built on demand: most values never need one)."""
        return _wrap(self.el) if self.el is not None else None

    def items(self) -> list[str]:
        """The value's parts as the page lists them: schema.org list, DSFR tags, list items, lines."""
        if self.values is not None:
            return self.values
        if self.el is not None:
            tags = [n for n in self.el.iter() if isinstance(n.tag, str) and _has_class(n, "fr-tag")]
            parts = [_text(n) for n in tags or self.el.iter("li")]
            parts = [p for p in parts if p]
            if parts:
                return parts
        return [self.text] if self.text else []


@dataclass
class Extraction:
    found: dict[str, list[Found]]
    schema_items: list[dict]  # schema.org items of the page (JSON-LD and microdata), main entity first
    tags: list[str]  # texts of DSFR tags standing under no label

    def all(self, name: str) -> list[Found]:
        return self.found.get(name, [])

    def first(self, name: str, origins: tuple[str, ...] | None = None) -> Found | None:
        return next((f for f in self.all(name) if origins is None or f.origin in origins), None)

    def text(self, name: str) -> str | None:
        f = self.first(name)
        return f.text if f else None


def find_values(lexicon: Lexicon, page, scope: str = "//main | //body") -> Extraction:
    """Every value of every lexicon field on ``page`` (a Scrapy response or a parsel Selector).

    Values come in priority order: schema.org data, then labelled values in document order,
    then values recognised by their shape."""
    sel = getattr(page, "selector", page)
    root = next((r for r in (sel.xpath(alt.strip()) for alt in scope.split("|")) if r), None)
    root_el = root[0].root if root else sel.root
    out: dict[str, list[Found]] = {}

    def add(f: Found) -> None:
        if f.text or f.values or f.hrefs:
            out.setdefault(f.field, []).append(f)

    items = schema_items(sel, getattr(page, "url", None))
    for f in _schema_values(lexicon, items):
        add(f)
    labelled_nodes: set = set()
    _SKIPPED[id(root_el)] = _skipped_under(root_el)
    try:
        for f in _labelled(lexicon, root_el, labelled_nodes):
            add(f)
        for name, spec in lexicon.fields.items():
            if spec.shape and name not in out:
                for f in SHAPES[spec.shape](name, root_el, getattr(page, "url", "")):
                    add(f)
        tags = [
            t
            for t in (
                _text(el) for el in _TAGS(root_el) if not _in_skipped(el, root_el) and not _inside(el, labelled_nodes)
            )
            if t
        ]
    finally:
        del _SKIPPED[id(root_el)]
        _TEXTS.clear()
    return Extraction(out, items, tags)


# --- labelled values -----------------------------------------------------------------


_NO_TEXT = ("script", "style", "noscript", "template")
_LINE_END = {"p", "li", "div", "dd", "td", "span"}  # as spiders.core.extract.node_lines


_TEXTS: dict = {}  # element -> its text, for the find_values call under way (labels are read twice)


def _text(el) -> str | None:
    if not isinstance(el.tag, str) or el.tag in _SKIP:
        return None
    if el in _TEXTS:
        return _TEXTS[el]
    if next(el.iter(*_NO_TEXT), None) is None:  # the common case: lxml's own walk, in C
        text = clean_text(" ".join(el.itertext()))
    else:
        text = clean_text(" ".join(t for t in _itertext(el)))
    _TEXTS[el] = text
    return text


def _itertext(el):
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NO_TEXT:
            yield from _itertext(child)
        if child.tail:
            yield child.tail


def lines_of(el) -> list[str]:
    """Text of an element split on <br> and block ends, each line cleaned (node_lines on lxml)."""
    parts: list[str] = []

    def walk(node):
        if node.text and node.tag not in _NO_TEXT:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _NO_TEXT:
                if child.tag == "br":
                    parts.append("\n")
                else:
                    walk(child)
                    if child.tag in _LINE_END:
                        parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    if el is None:
        return []
    walk(el)
    return [line for line in (clean_text(x) for x in "".join(parts).split("\n")) if line]


def _has_class(el, token: str) -> bool:
    return token in (el.get("class") or "").split()


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _inside(el, nodes: set) -> bool:
    return any(a in nodes for a in el.iterancestors()) or el in nodes


_SKIPPED: dict[int, set] = {}  # id(root) -> elements inside site chrome, for the find_values call under way


_BREADCRUMB = etree.XPath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-breadcrumb ')]")
_TAGS = etree.XPath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-tag ')]")


def _skipped_under(root) -> set:
    """Elements inside navigation, header, footer, breadcrumb, scripts: never values."""
    out = set()
    for el in list(root.iter(*_SKIP)) + _BREADCRUMB(root):
        if el not in out:
            out.update(el.iterdescendants())
    return out


def _in_skipped(el, root) -> bool:
    skipped = _SKIPPED.get(id(root))
    if skipped is not None:
        return el in skipped
    for a in el.iterancestors():
        if a is root:
            return False
        if a.tag in _SKIP or _has_class(a, "fr-breadcrumb"):
            return True
    return False


def _wrap(el) -> Selector:
    return Selector(root=el, type="html")


def _hrefs(el) -> list[str]:
    if el is None:
        return []
    links = [el] if el.tag == "a" else []
    links += list(el.iter("a"))
    return [h.strip() for h in (a.get("href") for a in links) if h and h.strip()]


def _label_text(text: str | None) -> str | None:
    return clean_text((text or "").rstrip(" :\u00a0")) if text else None


def _labelled(lexicon: Lexicon, root, nodes: set):
    icon_field = {icon: spec.name for spec in lexicon.fields.values() for icon in spec.icons}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP or _in_skipped(el, root):
            continue
        tag = el.tag
        if tag == "dt":
            dd = next(el.itersiblings("dd"), None)
            name = lexicon.classify(_label_text(_text(el)))
            if dd is not None and name:
                nodes.add(dd)
                yield Found(name, _text(dd), "dl", _text(el), dd, _hrefs(dd))
            continue
        if tag == "tr":
            cells = [c for c in el if c.tag in ("th", "td")]
            if len(cells) == 2 and (cells[0].tag == "th" or cells[1].tag == "td"):
                name = lexicon.classify(_label_text(_text(cells[0])))
                if name:
                    nodes.add(cells[1])
                    yield Found(name, _text(cells[1]), "table", _text(cells[0]), cells[1], _hrefs(cells[1]))
            continue
        if tag == "table":
            yield from _column_table(lexicon, el, nodes)
            continue
        # An icon that stands for the label: the value is the element's text, else its parent's.
        cls = el.get("class") or ""
        icons = _classes(el) & icon_field.keys() if "icon" in cls or "fa" in cls else None
        own = _text(el) if icons else None
        if icons and not (own and lexicon.classify(_label_text(own), exact=True)):  # else a label with an icon
            name = icon_field[sorted(icons)[0]]
            host = el if own else el.getparent()
            text = _text(host)
            if text and len(text) <= 300:
                nodes.add(host)
                yield Found(name, text, "icon", None, host, _hrefs(host))
            continue
        if tag == "a":
            yield from _link(lexicon, el)
            continue
        children = [c.tag for c in el if isinstance(c.tag, str) and c.tag not in ("br", "wbr")]
        blocks = sum(t in _CONTAINERS for t in children)
        if len(children) > 6 or blocks > 1:
            continue  # a container: neither a label nor a block of "Label : value" lines (saves reading its text)
        text = _text(el)
        if not text:
            continue
        # A label standing alone: exact, unless it says it is one (a colon, a "label" class).
        name = None
        if len(text) <= 60 and len(text.split()) <= 5:
            label = _label_text(text)
            name = lexicon.classify(label, exact=True)
            if name is None and (text.rstrip().endswith(":") or _label_class(el)):
                name = lexicon.classify(label)
        if name:
            value = _value_after(el)
            if value is not None:
                node, vtext = value
                nodes.add(node)
                yield Found(name, vtext, "pair", _label_text(text), node, _hrefs(node))
                continue
        if ":" in text and tag in _BLOCKS and not any(t in _BLOCKS and t != "span" for t in children):
            yield from _lines(lexicon, el, nodes)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LABEL_CLASS = {"label", "libelle", "title", "term", "key", "intitule"}
_CONTAINERS = {
    "p",
    "div",
    "ul",
    "ol",
    "dl",
    "table",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "address",
    "form",
}
_CLASS_PARTS = re.compile(r"[-_]+")


def _label_class(el) -> bool:
    """A class that says the element is a label ("field__label", "fr-card__title", "info-key")."""
    return any(_CLASS_PARTS.split(token)[-1] in _LABEL_CLASS for token in (el.get("class") or "").lower().split())


def _value_after(label_el):
    """(node, text) of the value a label element introduces: the rest of its parent's text
    ("<strong>Région :</strong> Occitanie"), else its next sibling element (heading → list,
    "field__label" → "field__item"). None when the label stands alone."""
    tail = clean_text((label_el.tail or "").lstrip(" :\u00a0"))
    inline_value = label_el.getparent() is not None and label_el.getnext() is not None and _inline_rest(label_el)
    if tail or inline_value:
        # "<strong>Région :</strong> Occitanie": the rest of the parent is the value.
        wrapper = etree.Element("div")
        wrapper.text = _CONTROL.sub("", tail) if tail else tail  # lxml refuses control characters
        for sib in label_el.itersiblings():
            wrapper.append(_copy(sib, keep_tail=True))
        text = _text(wrapper)
        return (wrapper, text) if text else None
    sib = label_el.getnext()
    while sib is not None and not isinstance(sib.tag, str):
        sib = sib.getnext()
    if sib is not None and sib.tag not in ("dd", "td", "th"):
        siblings = [sib]
        # Several value elements in a row (Drupal "field__item"s) until the next label.
        for more in sib.itersiblings():
            if (
                isinstance(more.tag, str)
                and more.tag == sib.tag
                and (more.get("class") == sib.get("class"))
                and more.get("class")
            ):
                siblings.append(more)
            else:
                break
        text = clean_text("\n".join(t for t in (_text(s) for s in siblings) if t))
        if len(siblings) == 1:
            return (sib, text) if text else None
        wrapper = etree.Element("div")
        for s in siblings:
            wrapper.append(_copy(s))
        return (wrapper, text) if text else None
    return None


def _copy(el, keep_tail: bool = False):
    c = copy.deepcopy(el)
    if not keep_tail:
        c.tail = None
    return c


def _inline_rest(label_el) -> bool:
    """The label is followed, in the same parent, by inline elements only (a link, a tag)."""
    return all(
        not isinstance(s.tag, str) or s.tag in ("a", "span", "em", "b", "i", "strong", "br", "time", "abbr")
        for s in label_el.itersiblings()
    )


def _lines(lexicon: Lexicon, el, nodes: set):
    """ "Label : value" lines of a block, split on <br> and inner blocks."""
    if el in nodes:
        return
    for line in lines_of(el):
        m = _LINE_LABEL.match(line)
        if not m:
            continue
        name = lexicon.classify(m.group(1))
        if name:
            value = clean_text(m.group(2).lstrip(" :"))
            hrefs = [h for a in el.iter("a") if (t := _text(a)) and t in value for h in _hrefs(a)]
            yield Found(name, value, "line", m.group(1), el, hrefs)


def _column_table(lexicon: Lexicon, table, nodes: set):
    """A table whose header row labels the columns of its one data row."""
    rows = [tr for tr in table.iter("tr")]
    header = [c for c in rows[0] if c.tag in ("th", "td")] if rows else []
    body = [tr for tr in rows[1:] if any(c.tag == "td" for c in tr)]
    if len(body) != 1 or not header or not all(c.tag == "th" for c in header):
        return
    cells = [c for c in body[0] if c.tag in ("th", "td")]
    for th, td in zip(header, cells):
        name = lexicon.classify(_label_text(_text(th)))
        if name:
            nodes.add(td)
            yield Found(name, _text(td), "columns", _text(th), td, _hrefs(td))


def _link(lexicon: Lexicon, a):
    href = (a.get("href") or "").strip()
    if not href:
        return
    for label in (a.get("title"), a.get("aria-label"), _text(a)):
        label = clean_text(re.sub(r"\s*[-–(]\s*nouvelle fen[eê]tre\)?\s*$", "", label or "", flags=re.I))
        name = lexicon.classify(label) if label and len(label) <= 60 else None
        if name:
            yield Found(name, href, "link", label, a, [href])
            return


# --- normalising values ----------------------------------------------------------------------

LIST_SEPARATORS = re.compile(r"[;,/\n•·|]")


def split_values(parts: list[str], separators=LIST_SEPARATORS) -> list[str]:
    """Each part split on ``separators`` outside parentheses, cleaned, first letter capitalised."""
    out = []
    for part in parts:
        depth, cur = 0, ""
        for ch in (part or "") + "\n":
            depth += ch == "("
            depth -= ch == ")" and depth > 0
            if depth == 0 and separators.match(ch):
                value = clean_text(cur)
                if value:
                    out.append(value[0].upper() + value[1:])
                cur = ""
            else:
                cur += ch
    return list(dict.fromkeys(out))


# --- schema.org ------------------------------------------------------------------------

_ORG_TYPES = ("Organization", "Corporation", "NGO", "GovernmentOrganization", "LocalBusiness", "ResearchOrganization")


def schema_items(sel, url: str | None = None) -> list[dict]:
    """schema.org items of the page from JSON-LD and microdata, organisations first."""
    items: list[dict] = []
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        for block in data if isinstance(data, list) else [data]:
            if isinstance(block, dict):
                graph = block.get("@graph")
                items.extend(
                    {**n, "_origin": "jsonld"}
                    for n in (graph if isinstance(graph, list) else [block])
                    if isinstance(n, dict)
                )
    if sel.xpath("//*[@itemscope]"):
        from extruct.w3cmicrodata import MicrodataExtractor  # lazily: only pages with microdata

        for item in MicrodataExtractor().extract_items(sel.root, url or ""):
            items.append({**_flatten_microdata(item), "_origin": "microdata"})
    return sorted(items, key=lambda i: not _is_org(i))


def _flatten_microdata(item):
    """extruct's microdata item ({"type", "properties"}) as a JSON-LD-like dict."""
    if not isinstance(item, dict) or "properties" not in item:
        return item
    types = item.get("type") or []
    types = [t.rsplit("/", 1)[-1] for t in (types if isinstance(types, list) else [types])]
    out = {"@type": types[0] if len(types) == 1 else types}
    for key, value in item["properties"].items():
        out[key] = [_flatten_microdata(v) for v in value] if isinstance(value, list) else _flatten_microdata(value)
    return out


def _is_org(item: dict) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and (k in _ORG_TYPES or k.endswith("Organization")) for k in kinds)


def schema_strings(value) -> list[str]:
    """A schema.org value as strings: lists flattened, things by their name, addresses joined."""
    if value is None:
        return []
    if isinstance(value, list):
        return [s for v in value for s in schema_strings(v)]
    if isinstance(value, dict):
        if value.get("name"):
            return schema_strings(value["name"])
        parts = [
            value.get(k) for k in ("streetAddress", "postalCode", "addressLocality") if isinstance(value.get(k), str)
        ]
        if parts:
            return [clean_text(" ".join(parts))]
        return schema_strings(value.get("@value") or value.get("@id"))
    if isinstance(value, (str, int, float)):
        text = clean_text(str(value))
        return [text] if text else []
    return []


def schema_path(item: dict, path: str):
    value = item
    for part in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _schema_values(lexicon: Lexicon, items: list[dict]):
    # The organisation the page is about; never a WebPage's or a breadcrumb's name.
    main = [i for i in items if _is_org(i)][:1]
    if not main:
        main = [{"address": i, "_origin": i.get("_origin")} for i in items if i.get("@type") == "PostalAddress"][:1]
    for item in main:
        origin = item.get("_origin", "jsonld")
        for spec in lexicon.fields.values():
            for path in spec.schema:
                values = schema_strings(schema_path(item, path))
                if values:
                    yield Found(
                        spec.name,
                        values[0] if len(values) == 1 else "; ".join(values),
                        origin,
                        path,
                        values=values,
                        hrefs=[v for v in values if v.startswith(("http://", "https://", "mailto:"))],
                    )


# --- values recognised by their shape ---------------------------------------------------------


def _postcode_city(name: str, root, url: str):
    """A line ending in a French postcode and a city, with the street before it if any."""
    for el in root.iter("p", "address", "li", "div", "span", "dd", "td"):
        if _in_skipped(el, root) or any(
            isinstance(c.tag, str) and c.tag in ("p", "li", "div", "ul", "ol", "address") for c in el
        ):
            continue
        lines = lines_of(el)
        for i, line in enumerate(lines):
            if POSTCODE_CITY.search(line) and len(line) <= 150:
                text = line if "," in line or i == 0 else f"{lines[i - 1]}, {line}"
                yield Found(name, text, "shape", None, el)
                return
        whole = _text(el)  # inline pieces (<span>s) of one address
        if whole and len(whole) <= 150 and POSTCODE_CITY.search(whole):
            yield Found(name, whole, "shape")
            return


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:  # "http://[": not a URL
        return ""


def _external_url(name: str, root, url: str):
    """A link to another domain in the page's content (not sharing or social networks)."""
    host = _host(url)
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if _in_skipped(a, root) or not href.startswith(("http://", "https://")):
            continue
        h = _host(href)
        same_site = h == host or h.endswith("." + host) or host.endswith("." + h)
        if (
            h
            and not same_site
            and not any(s in h for s in SOCIAL)
            and not h.endswith("gouv.fr")
            and _in_contact_block(a, root)
        ):
            yield Found(name, href, "shape", None, a, [href])
            return


def _in_contact_block(a, root) -> bool:
    """The link sits with contact details: a block around it (up to 3 levels) holds a postcode,
    an e-mail, a phone number or a mailto:/tel: link."""
    el = a.getparent()
    for _ in range(3):
        if el is None or el is root:
            return False
        if any((h.get("href") or "").lower().startswith(("mailto:", "tel:")) for h in el.iter("a")):
            return True
        text = _text(el) or ""
        if POSTCODE_CITY.search(text) or re.search(r"\b\d{5}\s+\w", text) or EMAIL.search(text) or PHONE.search(text):
            return True
        el = el.getparent()
    return False


def _email(name: str, root, url: str):
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href.lower().startswith("mailto:") and not _in_skipped(a, root):
            yield Found(name, href[7:].split("?")[0], "shape", None, a, [href])
            return
    m = EMAIL.search(_text(root) or "")
    if m:
        yield Found(name, m.group(0), "shape")


def _phone(name: str, root, url: str):
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href.lower().startswith("tel:") and not _in_skipped(a, root):
            yield Found(name, clean_text(_text(a)) or href[4:], "shape", None, a, [href])
            return
    m = PHONE.search(_text(root) or "")
    if m:
        yield Found(name, m.group(0), "shape")


_LABEL_STATUS = re.compile(r"^(?:p[oô]le\s+)?(labellis[ée]|en probation|probatoire)\b.{0,40}$", re.I)


def _label_status(name: str, root, url: str):
    """A badge or short line such as "Labellisé 2023-2026" or "En probation"."""
    for el in root.iter():
        if not isinstance(el.tag, str) or _in_skipped(el, root) or el.tag in _SKIP:
            continue
        text = _text(el)
        if (
            text
            and len(text) <= 50
            and _LABEL_STATUS.match(text)
            and not any(isinstance(c.tag, str) and _text(c) == text for c in el)
        ):
            yield Found(name, text, "shape", None, el)
            return


SHAPES = {
    "postcode_city": _postcode_city,
    "external_url": _external_url,
    "email": _email,
    "phone": _phone,
    "label_status": _label_status,
}
