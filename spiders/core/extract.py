"""Extraction that keys on meaning, not position.

:func:`labelled_values` collects every "label → value" pair a page states, whatever
the markup: definition lists, two-column tables, DSFR "label : value" paragraphs,
and JSON-LD. Parsers then ask for a field by any of its labels.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from parsel import Selector

from .places import fold

_WS = re.compile(r"\s+")


def clean_text(text: str | None) -> str | None:
    """Whitespace collapsed (nbsp included), stripped; None for empty."""
    if text is None:
        return None
    text = _WS.sub(" ", text.replace("\xa0", " ")).strip()
    return text or None


def node_text(sel) -> str | None:
    """All text of a node, block elements separated by newlines collapsed to ' '."""
    parts = [t for t in sel.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()]
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
    root = root[0] if root else sel
    out = LabelledValues()
    for dt in root.xpath(".//dt"):
        dd = dt.xpath("following-sibling::dd[1]")
        if dd:
            out.add(node_text(dt) or "", Field(node_text(dt) or "", node_text(dd[0]), dd[0], "dl"))
    for tr in root.xpath(".//tr[th and td] | .//tr[count(td)=2]"):
        cells = tr.xpath("./th | ./td")
        if len(cells) >= 2:
            label = node_text(cells[0]) or ""
            out.add(label, Field(label, node_text(cells[1]), cells[1], "table"))
    # "Label : value" in paragraphs or list items, with the label often in <strong>.
    for p in root.xpath(".//p | .//li"):
        strong = p.xpath("./strong | ./b")
        full = node_text(p) or ""  # each node's text read once: this loop is most of a detail page's parse
        if strong:
            strong_text = node_text(strong[0]) or ""
            label = strong_text.rstrip(" :")
            value = clean_text(full[len(strong_text):].lstrip(" :"))
            if label and value:
                out.add(label, Field(label, value, p, "text"))
                continue
        m = _LABEL_COLON.match(full)
        if m:
            out.add(m.group(1), Field(m.group(1), clean_text(m.group(2)), p, "text"))
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        out.jsonld.extend(data if isinstance(data, list) else [data])
    return out
