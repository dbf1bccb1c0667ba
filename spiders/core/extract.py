"""Extraction that keys on meaning, not position.

:func:`labelled_values` collects every "label → value" pair a page states, whatever
the markup: definition lists, two-column tables, DSFR "label : value" paragraphs,
and JSON-LD. Parsers then ask for a field by any of its labels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree
from parsel import Selector

from common.places import fold

_WS = re.compile(r"\s+")


def clean_text(text: str | None) -> str | None:
    """Whitespace collapsed (nbsp included), stripped; None for empty."""
    if text is None:
        return None
    text = _WS.sub(" ", text.replace("\xa0", " ")).strip()
    return text or None


def node_text(sel) -> str | None:
    """All text of a node, block elements separated by newlines collapsed to ' '."""
    root = getattr(sel, "root", None)
    if isinstance(root, etree._Element):
        return _element_text(root)
    parts = [t for t in sel.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()]
    return clean_text(" ".join(parts))


_NO_TEXT = ("script", "style")


def _text_nodes(el, out: list[str]) -> None:
    """The strings of ``.//text()[not(ancestor::script) and not(ancestor::style)]`` under ``el``, in
    document order, by walking the lxml tree (a parsel XPath wraps every text node in a Selector)."""
    if el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _NO_TEXT:  # comments and PIs hold no text node
            _text_nodes(child, out)
        if child.tail:
            out.append(child.tail)


def _element_text(el, outside_script: bool = False) -> str | None:
    """:func:`node_text` of an lxml element (``outside_script``: the caller knows no ancestor is a script or style)."""
    if not isinstance(el.tag, str) or el.tag in _NO_TEXT:
        return None
    if not outside_script and any(a.tag in _NO_TEXT for a in el.iterancestors()):
        return None
    parts: list[str] = []
    _text_nodes(el, parts)
    return clean_text(" ".join(parts))


def node_lines(sel) -> list[str]:
    """Text of a node split on <br> and block boundaries, each line cleaned."""
    html = sel.get() or ""
    html = re.sub(r"(?i)<br\s*/?>|</(p|li|div|dd|td|span)>", "\n", html)
    text = Selector(text=f"<div>{html}</div>").xpath("string(.)").get() or ""
    return [line for line in (clean_text(x) for x in text.split("\n")) if line]


@dataclass
class Field:
    label: str
    text: str | None
    node: object = None  # parsel Selector of the value, for links and lists
    origin: str = ""  # "dl", "table", "text", "jsonld"

    def links(self) -> list[str]:
        if self.node is None:
            return []
        return [h for h in self.node.xpath(".//@href").getall() if h.strip()]

    def list_items(self) -> list[str]:
        if self.node is None:
            return [self.text] if self.text else []
        # DSFR tags when present (the class token "fr-tag", not "fr-tags-group"), else list items.
        nodes = self.node.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-tag ')]")
        items = [i for i in (node_text(n) for n in nodes or self.node.xpath(".//li")) if i]
        return items or node_lines(self.node)


@dataclass
class LabelledValues:
    fields: dict[str, Field] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)

    def add(self, label: str, f: Field) -> None:
        key = fold(label)
        if key and key not in self.fields:
            self.fields[key] = f

    def get(self, *labels: str) -> Field | None:
        """First field whose label equals, or starts with, one of ``labels`` (folded)."""
        wanted = [fold(l) for l in labels]
        for w in wanted:
            if w in self.fields:
                return self.fields[w]
        for w in wanted:
            for key, f in self.fields.items():
                if key.startswith(w):
                    return f
        return None

    def text(self, *labels: str) -> str | None:
        f = self.get(*labels)
        return f.text if f else None


_LABEL_COLON = re.compile(r"^\s*([^:]{2,40}?)\s*:\s*(.+)$", re.S)


def labelled_values(sel: Selector, scope: str = "//main | //body") -> LabelledValues:
    # Alternatives in ``scope`` are tried in order: "//main | //body" means main when there is one.
    root = next((r for r in (sel.xpath(alt.strip()) for alt in scope.split("|")) if r), None)
    root = root[0] if root else getattr(sel, "selector", sel)
    # One walk of the lxml tree under root (this is most of a detail page's parse): the same
    # nodes, in the same order, as ".//dt", ".//tr[th and td] | .//tr[count(td)=2]" and
    # ".//p | .//li", each node's text read once; only the nodes kept become Selectors.
    dts, trs, paras = [], [], []
    for el in root.root.iterdescendants("dt", "tr", "p", "li"):
        (dts if el.tag == "dt" else trs if el.tag == "tr" else paras).append(el)
    # No node under root can sit inside a script or style (an HTML parser gives them no child
    # elements): their texts need no ancestor check.
    top = root.root
    clear = (
        top.tag not in _NO_TEXT
        and not any(a.tag in _NO_TEXT for a in top.iterancestors())
        and not any(len(s) for s in top.iter("script", "style"))
    )
    text_of = (lambda el: _element_text(el, True)) if clear else _element_text
    out = LabelledValues()

    def offer(label: str, text: str | None, node, origin: str) -> None:
        key = fold(label)
        if key and key not in out.fields:
            out.fields[key] = Field(label, text, _wrap(root, node), origin)

    for dt in dts:
        dd = next(dt.itersiblings("dd"), None)
        if dd is not None:
            label = text_of(dt) or ""
            offer(label, text_of(dd), dd, "dl")
    for tr in trs:
        cells = [c for c in tr if c.tag in ("th", "td")]
        n_td = sum(1 for c in cells if c.tag == "td")
        if (n_td and len(cells) > n_td) or n_td == 2:
            offer(text_of(cells[0]) or "", text_of(cells[1]), cells[1], "table")
    # "Label : value" in paragraphs or list items, with the label often in <strong>.
    for p in paras:
        strong = next((c for c in p if c.tag in ("strong", "b")), None)
        full = text_of(p) or ""
        if strong is not None:
            strong_text = text_of(strong) or ""
            label = strong_text.rstrip(" :")
            value = clean_text(full[len(strong_text) :].lstrip(" :"))
            if label and value:
                offer(label, value, p, "text")
                continue
        m = _LABEL_COLON.match(full)
        if m:
            offer(m.group(1), clean_text(m.group(2)), p, "text")
    for raw in _JSONLD(getattr(sel, "selector", sel).root):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        out.jsonld.extend(data if isinstance(data, list) else [data])
    return out


_JSONLD = etree.XPath("//script[@type='application/ld+json']/text()", smart_strings=False)


def _wrap(base, el):
    """``el`` as the Selector ``base.xpath(...)`` would have returned for it."""
    return type(base)(root=el, namespaces=base.namespaces, type="xml" if base.type == "xml" else "html")
