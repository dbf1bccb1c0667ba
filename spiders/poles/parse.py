"""Parsers of the competitivite.gouv.fr directory of pôles (DSFR pages). Pure functions.

Detail pages come in layouts this parser was not tuned to. Fields are found by meaning, through
the lexicon in ``lexicon.yml`` (labels wherever they stand, schema.org data, icons, value shapes:
see spiders/core/lexicon.py); schema.org values win over labelled ones. Values are normalised
the same way whatever the layout: régions split into the head office's and the others, themes
into a list, "Labellisé 2023-2026" into a status and a period. Names stay as printed (the clean
step maps them to codes). A head-office région that is not one région is an error, not an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from common.issues import ERROR, WARNING, Issue, missing
from common.places import departement_of_postcode, fold, region_code, region_of_departement
from spiders.core.extract import clean_text, node_text
from spiders.core.lexicon import EMAIL, PHONE, Extraction, Found, find_values, lines_of, load_lexicon, split_values

SOURCE = "poles"

DETAIL = "detail"
NEXT_PAGE = "next_page"


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # DETAIL or NEXT_PAGE


LEXICON = load_lexicon(Path(__file__).with_name("lexicon.yml"), SOURCE)
STATUSES = ("Labellisé", "Labellisé (probatoire)", "En probation")
KNOWN_STATUSES = {fold(s) for s in STATUSES}

# contains(@class, 'fr-card') first: a cheap necessary condition, so the class token test runs on few elements.
_CARD = "//*[contains(@class, 'fr-card')][contains(concat(' ', normalize-space(@class), ' '), ' fr-card ')]"
_CLASS_TAG = "//*[contains(concat(' ', normalize-space(@class), ' '), ' fr-tag ')]"
_POSTCODE_CITY = re.compile(r"^(?P<street>.*?)[\s,]*\b(?P<postcode>\d{5})\s+(?P<city>[^\d,][^,]*?)\s*(?:,\s*France)?$")
_PERIOD = re.compile(r"(\d{4})\s*(?:-|–|—|/|à|au|a)\s*(\d{4})")
_DOMAIN = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?$", re.I)
_NAME_SHORT = re.compile(r"^(?P<name>.{3,}?)\s+\((?P<short>[^()\s][^()]{0,14})\)$")


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
    ex = find_values(LEXICON, response)
    name = ex.text("name") or node_text_or_none(response.xpath("//main//h1 | //h1"))
    short_name = ex.text("short_name")
    m = _NAME_SHORT.match(name or "")
    if m and (short_name is None or short_name == m["short"]):  # "Pôle Exemple (PEX)" in the title
        name, short_name = m["name"], m["short"]
    street, postcode, city = _address(ex)
    head, others, bad = _regions(ex, postcode)
    if not name:
        yield missing(SOURCE, url, "name")
    if bad:
        yield Issue(
            SOURCE,
            url,
            "region",
            "invalid_value",
            f"'{bad}' is not one région (expected a région name, or a list of them)",
            ERROR,
            bad,
        )
    elif not head:
        yield missing(SOURCE, url, "region")
    if not (name and head) or bad:
        return

    status, period = _label(ex)
    item = {
        "source_url": url,
        "name": name,
        "short_name": short_name,
        "themes": _themes(ex),
        "region": head,
        "other_regions": others,
        "website": _website(ex.all("website")),
        "street": street,
        "postcode": postcode,
        "city": city,
        "contact_email": _email(ex),
        "contact_phone": _phone(ex),
        "description": _schema_text(ex, "description") or _description(response) or ex.text("description"),
        "label_status": status,
        "label_period": period,
        "layout": _layout(ex),
    }
    for expected in ("website", "themes"):
        if not item[expected]:
            yield Issue(SOURCE, url, expected, "missing_expected_field", f"no {expected} on the page", WARNING)
    if item["label_status"] and fold(item["label_status"]) not in KNOWN_STATUSES:
        yield Issue(
            SOURCE,
            url,
            "label_status",
            "unknown_value",
            "label status not in the known list",
            WARNING,
            item["label_status"],
        )
    yield item


def node_text_or_none(sel) -> str | None:
    return node_text(sel[0]) if sel else None


def _schema_text(ex: Extraction, name: str) -> str | None:
    f = ex.first(name, ("jsonld", "microdata"))
    return f.text if f else None


def _layout(ex: Extraction) -> str:
    if ex.schema_items and ex.first("region", ("jsonld", "microdata")):
        return "jsonld" if ex.first("region").origin == "jsonld" else "microdata"
    f = ex.first("region")
    origin = f.origin if f else "unknown"
    return {"pair": "text", "line": "text"}.get(origin, origin)


def _parts(f: Found) -> list[str]:
    """A value's parts: its list items, else its lines (<br>), else its text."""
    if f.values is not None:
        return f.values
    if f.origin == "line":
        return [f.text] if f.text else []
    items = f.items()
    if len(items) > 1 or f.node is None or f.origin == "line":
        return items
    return lines_of(f.el) or items


def _themes(ex: Extraction) -> list[str]:
    f = ex.first("themes")
    if f:
        return split_values(_parts(f))
    # Unlabelled tag group under the title (outside the breadcrumb and labelled values).
    return split_values(ex.tags, re.compile(r"\n"))


_HEAD_NOTE = re.compile(r"\((?:[^)]*\b(?:si[eè]ge|head office|hq)\b[^)]*)\)", re.I)


def _region_parts(f: Found) -> list[str]:
    return split_values(_parts(f))


def _split_et(parts: list[str]) -> list[str]:
    out = []
    for p in parts:
        out += [x for x in (clean_text(y) for y in re.split(r"\s+(?:et|and|&)\s+", p)) if x]
    return out


def _regions(ex: Extraction, postcode: str | None) -> tuple[str | None, list[str], str | None]:
    """(head-office région, other régions, the part that is not a région) as printed.

    The head office is the région marked "(siège)", else the one the postcode lies in,
    else the first listed."""
    found = ex.all("region")
    if not found:
        return None, [], None
    listed = _split_et(_region_parts(found[0]))
    # A schema.org addressRegion comes with areaServed: both lists count.
    for f in found[1:]:
        if f.origin in ("jsonld", "microdata") and found[0].origin == f.origin:
            listed += _split_et(_region_parts(f))
    head_marked, names = None, []
    for part in listed:
        clean = clean_text(re.sub(r"\([^)]*\)", "", part)) or ""
        if _HEAD_NOTE.search(part):
            head_marked = clean
        if region_code(clean) is None:
            return None, [], part
        if region_code(clean) not in {region_code(n) for n in names}:
            names.append(clean)
    if not names:
        return None, [], None
    home = region_of_departement(departement_of_postcode(postcode))
    head = head_marked or next((n for n in names if region_code(n) == home), names[0])
    others = [n for n in names if region_code(n) != region_code(head)]
    extra = ex.first("other_regions")
    if extra:
        for part in _split_et(_region_parts(extra)):
            part = clean_text(re.sub(r"\([^)]*\)", "", part))
            code = region_code(part)
            if part and code != region_code(head) and (code is None or code not in {region_code(o) for o in others}):
                others.append(part)
    return head, others, None


def _website(found: list[Found]) -> str | None:
    for f in found:
        web = [h for h in f.hrefs if h.lower().startswith(("http://", "https://"))]
        if web:
            return web[0]
        text = (f.values or [f.text or ""])[0].strip()
        if _DOMAIN.match(text):
            return text
    return None


def _address(ex: Extraction) -> tuple[str | None, str | None, str | None]:
    street, postcode, city = (_schema_text(ex, k) for k in ("street", "postcode", "city"))
    if postcode:
        return street, postcode, city
    for f in ex.all("address"):
        if f.origin in ("jsonld", "microdata") and f.values and len(f.values) > 1:
            continue
        text = clean_text(" ".join(lines_of(f.el))) if f.el is not None and f.origin != "line" else f.text
        m = _POSTCODE_CITY.match(text or "")
        if m:
            return clean_text(m["street"].rstrip(" ,-–—")) or None, m["postcode"], clean_text(m["city"])
    f = ex.first("address")
    postcode, city = ex.text("postcode"), ex.text("city")
    return (f.text if f else None), postcode, city


def _email(ex: Extraction) -> str | None:
    for f in ex.all("email") + ex.all("contact"):
        mailto = [h[7:].split("?")[0] for h in f.hrefs if h.lower().startswith("mailto:")]
        if mailto:
            return mailto[0]
        m = EMAIL.search(f.text or "")
        if m:
            return m.group(0)
    return None


def _phone(ex: Extraction) -> str | None:
    for f in ex.all("phone") + ex.all("contact"):
        tel = [h[4:] for h in f.hrefs if h.lower().startswith("tel:")]
        m = PHONE.search(f.text or "")
        if m:
            return m.group(0)
        if tel:
            return clean_text(tel[0])
    return None


def parse_label(text: str | None) -> tuple[str | None, str | None]:
    """ "Labellisé 2023-2026" -> ("Labellisé", "2023-2026"); "label phase V" -> ("Labellisé", None);
    "en probation" -> ("En probation", None). Text that names no known status is kept as printed."""
    text = clean_text(text)
    if not text:
        return None, None
    m = _PERIOD.search(text)
    period = f"{m.group(1)}-{m.group(2)}" if m else None
    folded = fold(text)
    if re.search(r"\b(non|plus|retire|perdu|ancien)\b", folded):
        status = clean_text(_PERIOD.sub("", text).strip(" ,:-–()"))  # "non labellisé": kept, reported
    elif "probation" in folded:
        status = "En probation"
    elif "probatoire" in folded:
        status = "Labellisé (probatoire)"
    elif re.search(r"\blabel", folded) or "phase" in folded:
        status = "Labellisé"
    else:
        rest = clean_text(_PERIOD.sub("", text).strip(" ,:-–()"))
        status = rest or None
    return status, period


def _label(ex: Extraction) -> tuple[str | None, str | None]:
    status, period = parse_label(ex.text("label_status"))
    p_status, p_period = parse_label(ex.text("label_period"))
    if status is None and p_status in STATUSES:
        status = p_status
    return status, period or p_period


def _description(response) -> str | None:
    """Paragraphs under the "Présentation" heading, else a DSFR callout's text."""
    paras = response.xpath("//main//*[self::h2 or self::h3][normalize-space(.)='Présentation']/following-sibling::*")
    texts = []
    for node in paras:
        if node.root.tag in ("h2", "h3"):
            break
        if node.root.tag == "p":
            texts.append(node_text(node))
    text = clean_text(" ".join(t for t in texts if t))
    return text or node_text_or_none(response.xpath("//main//*[contains(@class, 'fr-callout__text')]"))
