"""Parsers of the competitivite.gouv.fr directory of pôles (DSFR pages). Pure functions.

Detail pages come in several layouts (definition list, two-column table, "Label : value"
paragraphs), some with schema.org JSON-LD. Fields are found by their label's meaning, JSON-LD
values win over labelled ones, and values are kept as printed (the clean step normalises).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from spiders.core.extract import Field, LabelledValues, clean_text, labelled_values, node_text
from common.issues import WARNING, Issue, missing
from common.places import fold

SOURCE = "poles"

DETAIL = "detail"
NEXT_PAGE = "next_page"


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # DETAIL or NEXT_PAGE


# Labels each field is printed under, across the known layouts (matched folded, by prefix too).
LABELS = {
    "short_name": ("Sigle", "Nom court", "Acronyme", "Abréviation"),
    "themes": ("Thématiques", "Thématique", "Domaines", "Thèmes"),
    "region": ("Région du siège", "Région siège", "Région"),
    "other_regions": ("Autres régions", "Régions couvertes", "Autres territoires"),
    "website": ("Site internet", "Site web", "Site"),
    "address": ("Adresse du siège", "Adresse", "Siège"),
    "contact": ("Contact", "Contacts"),
    "email": ("Courriel", "E-mail", "Email", "Mél"),
    "phone": ("Téléphone", "Tél", "Standard"),
    "label_status": ("Statut du label", "Statut", "Label", "Labellisation"),
    "label_period": ("Période de labellisation", "Période", "Période du label"),
}
KNOWN_STATUSES = {fold(s) for s in ("Labellisé", "Labellisé (probatoire)", "En probation")}

# contains(@class, 'fr-card') first: a cheap necessary condition, so the class token test runs on few elements.
_CARD = "//*[contains(@class, 'fr-card')][contains(concat(' ', normalize-space(@class), ' '), ' fr-card ')]"
_CLASS_TAG = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-tag ')]"
_POSTCODE_CITY = re.compile(r"^(?P<street>.*?)[\s,]*\b(?P<postcode>\d{5})\s+(?P<city>[^\d,][^,]*?)\s*(?:,\s*France)?$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")


def parse_listing(response) -> Iterator[Link | Issue]:
    """Detail-page links of one directory page, then the next page's link if any."""
    hrefs = response.xpath(f"{_CARD}//*[contains(@class, 'fr-card__title')]//a/@href").getall()
    if not hrefs:  # cards without the title class: any link into the directory below this page
        base = response.url.split("?")[0].rstrip("/")
        hrefs = [h for h in response.xpath("//main//a/@href").getall() if response.urljoin(h).startswith(base + "/")]
    if not hrefs:
        yield missing(SOURCE, response.url, "detail_links", "no pôle card on the directory page")
        return
    seen = set()
    for href in hrefs:
        url = response.urljoin(href.strip())
        if url not in seen:
            seen.add(url)
            yield Link(url, DETAIL)
    # The DSFR "next" class first: a listing links many pages, and text tests on each are dear.
    pagination = "//nav[contains(@class, 'fr-pagination')]//a[@href]"
    nxt = (
        response.xpath(f"{pagination}[contains(@class, 'fr-pagination__link--next') or @rel='next']/@href").get()
        or response.xpath(f"{pagination}[normalize-space(.)='Page suivante']/@href").get()
    )
    if nxt:
        yield Link(response.urljoin(nxt.strip()), NEXT_PAGE)


def parse_detail(response) -> Iterator[dict | Issue]:
    url = response.url
    fields = labelled_values(response, "//main | //body")
    org = _organization(fields.jsonld)
    address = org.get("address") if isinstance(org.get("address"), dict) else {}

    name = _str(org.get("name")) or node_text_or_none(response.xpath("//main//h1"))
    region = _str(address.get("addressRegion")) or fields.text(*LABELS["region"])
    for field_name, value in (("name", name), ("region", region)):
        if not value:
            yield missing(SOURCE, url, field_name)
    if not (name and region):
        return

    street, postcode, city = _address(fields.get(*LABELS["address"]))
    contact = fields.get(*LABELS["contact"])
    item = {
        "source_url": url,
        "name": name,
        "short_name": _str(org.get("alternateName")) or fields.text(*LABELS["short_name"]),
        "themes": _themes(response, fields),
        "region": region,
        "other_regions": _other_regions(fields.get(*LABELS["other_regions"])),
        "website": _str(org.get("url")) or _website(fields.get(*LABELS["website"])),
        "street": _str(address.get("streetAddress")) or street,
        "postcode": _str(address.get("postalCode")) or postcode,
        "city": _str(address.get("addressLocality")) or city,
        "contact_email": _str(org.get("email")) or _email(fields.get(*LABELS["email"]), contact),
        "contact_phone": _str(org.get("telephone")) or _phone(fields.get(*LABELS["phone"]), contact),
        "description": _str(org.get("description")) or _description(response),
        "label_status": fields.text(*LABELS["label_status"]),
        "label_period": fields.text(*LABELS["label_period"]),
        "layout": "jsonld" if org else _layout(fields),
    }
    for expected in ("website", "themes"):
        if not item[expected]:
            yield Issue(SOURCE, url, expected, "missing_expected_field", f"no {expected} on the page", WARNING)
    if item["label_status"] and fold(item["label_status"]) not in KNOWN_STATUSES:
        yield Issue(SOURCE, url, "label_status", "unknown_value", "label status not in the known list", WARNING, item["label_status"])
    yield item


def node_text_or_none(sel) -> str | None:
    return node_text(sel[0]) if sel else None


def _str(value) -> str | None:
    return clean_text(value) if isinstance(value, str) else None


def _organization(jsonld: list[dict]) -> dict:
    """The first schema.org Organization (or subtype) among the page's JSON-LD blocks."""
    for block in jsonld:
        for node in block.get("@graph", [block]) if isinstance(block, dict) else []:
            kind = node.get("@type") if isinstance(node, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k and ("Organization" in k or k in ("Corporation", "NGO")) for k in kinds):
                return node
    return {}


def _layout(fields: LabelledValues) -> str:
    f = fields.get(*LABELS["region"])
    return f.origin if f else "unknown"


def _themes(response, fields: LabelledValues) -> list[str]:
    f = fields.get(*LABELS["themes"])
    if f:
        return f.list_items()
    # Unlabelled tag group under the title (outside the breadcrumb and cards).
    return [t for t in (node_text(n) for n in response.xpath(f"//main{_CLASS_TAG}")) if t]


def _other_regions(f: Field | None) -> list[str]:
    if f is None:
        return []
    if f.origin == "text" or f.node is None or not f.node.xpath(".//li"):
        return [r for r in (clean_text(x) for x in re.split(r",|;|\bet\b", f.text or "")) if r]
    return f.list_items()


def _website(f: Field | None) -> str | None:
    if f is None:
        return None
    web = [h.strip() for h in f.links() if h.strip().lower().startswith(("http://", "https://"))]
    return web[0] if web else f.text


def _address(f: Field | None) -> tuple[str | None, str | None, str | None]:
    if f is None or not f.text:
        return None, None, None
    m = _POSTCODE_CITY.match(f.text)
    if not m:
        return f.text, None, None
    return clean_text(m["street"].rstrip(" ,")), m["postcode"], clean_text(m["city"])


def _email(*candidates: Field | None) -> str | None:
    for f in candidates:
        if f is None:
            continue
        mailto = [h[7:].split("?")[0] for h in f.links() if h.lower().startswith("mailto:")]
        if mailto:
            return mailto[0]
        m = _EMAIL.search(f.text or "")
        if m:
            return m.group(0)
    return None


def _phone(*candidates: Field | None) -> str | None:
    for f in candidates:
        m = _PHONE.search(f.text or "") if f else None
        if m:
            return m.group(0)
    return None


def _description(response) -> str | None:
    """Paragraphs under the "Présentation" heading, else a DSFR callout's text."""
    paras = response.xpath(
        "//main//*[self::h2 or self::h3][normalize-space(.)='Présentation']/following-sibling::*"
    )
    texts = []
    for node in paras:
        if node.root.tag in ("h2", "h3"):
            break
        if node.root.tag == "p":
            texts.append(node_text(node))
    text = clean_text(" ".join(t for t in texts if t))
    return text or node_text_or_none(response.xpath("//main//*[contains(@class, 'fr-callout__text')]"))
