"""Appointment decrees of Conseillers du commerce extérieur (CCE): one item per appointee.

Pure functions over a decree as Légifrance shows it (HTML) or as plain text (title
line, "JORF n°…", "NOR : …", then the body). Two layouts are read:

- older transcriptions (OCR): ``1o Pour la métropole`` / ``2o Pour l'outre-mer`` /
  ``3o A l'étranger``, région headings, UPPERCASE unaccented country headings, one
  line per person ``M. Nom (Prénom, Prénom2).``, ``M m e Nom (Prénom).``, with a
  particle at the end of the brackets (``M. Nom (Jean, Hubert de).`` = Jean Hubert de Nom);
- newer decrees: sections ``I. – Au titre d'une première nomination`` /
  ``II. – Au titre d'un renouvellement``, parts ``1° En France`` / ``2° A l'étranger``,
  and position and company after the name (``M. Dupont (Jean), directeur, Société X.``).

Every line of the list is mapped (appointee, part, section, heading), explicitly
ignored (introductions ending with ':'), or reported as an Issue. A heading that is
neither a French région nor a country is an error Issue (code ``unknown_heading``);
its appointees are still yielded, with no place, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from parsel import Selector

from common.countries import country_code
from common.issues import ERROR, WARNING, Issue, missing
from common.personal_data import contact_removed, scrub
from common.places import fold, region_code
from spiders.core.extract import clean_text, node_lines

SOURCE = "cce_appointments"

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}

_NOR = re.compile(r"\bNOR\s*:\s*([A-Z]{4}\d{7}[A-Z])\b")
_JORFTEXT = re.compile(r"(JORFTEXT\d{12})")
_DATE = re.compile(r"\b(\d{1,2})(?:er)?\s+([a-zéû]+)\s+(\d{4})\b", re.I)
# "1o Pour la métropole" (OCR of 1°), "1° En France", "3 o A l'étranger".
_PART = re.compile(r"^(\d{1,2})\s?[o°º]\s+(\S.*)$")
# "I. – Au titre d'une première nomination", "Renouvellements".
_KIND_PREFIX = re.compile(r"^[IVX]+\s*[.)]?\s*[-–—]?\s*")
_ARTICLE_LINE = re.compile(r"^(?:Article|Art\.)\s+(?:\d+|premier|1er)\b", re.I)
_END = re.compile(r"^(?:Fait\s+(?:le|à)|Par le Président|Le Premier ministre)", re.I)
# Honorifics, with the OCR form "M m e" and a stray space "M ."
_HONORIFIC = re.compile(r"^(M\s?m\s?e|Mme|M\s?\.)\s+")
_PERSON = re.compile(r"^(?P<family>[^()]+?)\s*\((?P<given>[^()]*)\)\s*(?P<rest>.*)$")
# Particles printed at the end of the brackets, longest first.
_PARTICLES = ("de la", "de l'", "van der", "van den", "de", "d'", "du", "des", "von", "van", "le", "la")


def parse_decree(response) -> Iterator[dict | Issue]:
    """Items and issues of one decree page (a Scrapy response)."""
    yield from parse_decree_html(response.text, response.url)


def parse_decree_html(html: str, url: str) -> Iterator[dict | Issue]:
    sel = Selector(text=html)
    title = clean_text(" ".join(sel.xpath("//h1//text()").getall()))
    if not title:
        page_title = clean_text(sel.xpath("//title/text()").get())
        title = re.sub(r"\s*-\s*Légifrance\s*$", "", page_title or "") or None
    header = [
        clean_text(t)
        for t in sel.xpath(
            "//*[contains(@class,'jo-reference') or contains(@class,'list-informations')]//text()"
        ).getall()
    ]
    body = sel.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' content ')]")
    body = body or sel.xpath("//article") or sel.xpath("//main") or sel.xpath("//body")
    lines = node_lines(body[0]) if body else []
    yield from parse_decree_lines(title, [h for h in header if h], lines, url)


def parse_decree_text(text: str, url: str) -> Iterator[dict | Issue]:
    """A decree as plain text: the title is the first line starting with "Décret"."""
    lines = [l for l in (clean_text(x) for x in text.splitlines()) if l]
    title = next((l for l in lines if fold(l).startswith("decret")), None)
    header = [l for l in lines if _NOR.search(l) or fold(l).startswith("jorf n")]
    body = [l for l in lines if l != title and l not in header]
    yield from parse_decree_lines(title, header, body, url)


def parse_decree_lines(title: str | None, header: list[str], body: list[str], url: str) -> Iterator[dict | Issue]:
    if not title:
        yield missing(SOURCE, url, "title", "no <h1> or 'Décret …' line")
        return
    if "conseillers du commerce exterieur" not in fold(title):
        yield Issue(
            SOURCE,
            url,
            "title",
            "not_an_appointment_decree",
            "the page is not a CCE appointment decree; nothing read",
            WARNING,
            value=title,
        )
        return
    decree_date = french_date(title)
    if decree_date is None:
        yield missing(SOURCE, url, "appointment_date", f"no date in the title {title!r}")
        return
    nor = next((m.group(1) for m in map(_NOR.search, header + body) if m), None)
    ref = nor or (m.group(1) if (m := _JORFTEXT.search(url)) else None)
    if ref is None:
        yield missing(SOURCE, url, "appointment_ref", "no 'NOR :' line and no JORFTEXT id in the URL")
        return
    decree = {"appointment_ref": ref, "appointment_date": decree_date.isoformat(), "source_url": url}
    yield from _read_list(body, decree)


def _read_list(lines: list[str], decree: dict) -> Iterator[dict | Issue]:
    url = decree["source_url"]
    started = False
    part = kind = heading = None
    place: dict = {"country_code": None, "region_code": None}
    n_items = 0
    for line in lines:
        # Contacts go before the line is split into name, position and company (and before
        # any issue quotes the line); the record-level pass would find them too late.
        line, kinds = scrub(line)
        if kinds:
            yield contact_removed(SOURCE, url, "appointee", kinds)
        folded = fold(line)
        if _ARTICLE_LINE.match(line):
            if started:
                break  # Article 2 onwards: execution clause, signatures
            continue
        if started and _END.match(line):
            break
        if _PART.match(line):
            started = True
            part, heading = line, None
            place = {"country_code": None, "region_code": None}
            continue
        if (k := _kind(line)) is not None:
            started = True
            kind, part, heading = k, None, None
            continue
        if not started:
            # Preamble: "Par décret … sont nommés … :". The list starts after it.
            if line.endswith(":") and "nomm" in folded:
                started = True
            continue
        if _HONORIFIC.match(line):
            person = parse_person(line)
            if person is None:
                yield Issue(
                    SOURCE,
                    url,
                    "appointee",
                    "unparsed_appointee",
                    "a line starts with an honorific but is not 'Nom (Prénoms)…'",
                    ERROR,
                    value=line,
                )
                continue
            if heading is None:
                yield Issue(
                    SOURCE,
                    url,
                    "heading",
                    "appointee_without_heading",
                    "appointee listed before any région or country heading",
                    ERROR,
                    value=line,
                )
            n_items += 1
            yield {**person, "heading": heading, **place, "part": part, "appointment_kind": kind, **decree}
            continue
        if line.endswith(":"):
            continue  # an introduction ("Sont nommés … :"), not data
        if line.endswith(".") or len(line) > 80:
            yield Issue(
                SOURCE,
                url,
                "line",
                "unparsed_line",
                "a line of the list is neither an appointee nor a heading",
                WARNING,
                value=line,
            )
            continue
        heading = line
        place = _place(heading, part)
        if place is None:
            yield Issue(
                SOURCE,
                url,
                "heading",
                "unknown_heading",
                f"heading {heading!r} is neither a French région nor a known country"
                f" (part {part!r}); its appointees are kept with no place",
                ERROR,
                value=heading,
                context={"part": part},
            )
            place = {"country_code": None, "region_code": None}
    if n_items == 0:
        yield missing(SOURCE, url, "appointees", "no 'M. Nom (Prénom)' line in the decree body")


def _kind(line: str) -> str | None:
    """'nomination' / 'renouvellement' for a section line of the newer layout, else None."""
    key = fold(_KIND_PREFIX.sub("", line)) if _KIND_PREFIX.match(line) else fold(line)
    if len(key) > 60 or line.endswith("."):
        return None
    if re.fullmatch(r"(?:au titre d (?:une|un|des) )?(?:premieres? )?nominations?(?: nouvelles?)?", key):
        return "nomination"
    if re.fullmatch(r"(?:au titre d (?:un|une|des) )?renouvellements?(?: de mandat)?", key):
        return "renouvellement"
    return None


def _place(heading: str, part: str | None) -> dict | None:
    """Région (in France) or country (abroad) of a heading; None when it is neither."""
    abroad = part is not None and "etranger" in fold(part)
    in_france = part is not None and not abroad
    if not abroad:
        code = region_code(heading)
        if code:
            return {"country_code": None, "region_code": code}
    if not in_france:
        code = country_code(heading)
        if code and code != "FR":
            return {"country_code": code, "region_code": None}
    return None


def french_date(text: str) -> date | None:
    """First French date in ``text``: '14 décembre 2023', '1er mars 2025'."""
    for m in _DATE.finditer(text):
        month = MONTHS.get(fold(m.group(2)))
        if month:
            try:
                return date(int(m.group(3)), month, int(m.group(1)))
            except ValueError:
                return None
    return None


# Abbreviations whose dot is part of the company name, not the end of the line.
_ABBREVIATIONS = {"inc", "ltd", "ltda", "corp", "co", "cie", "bros", "s a", "s a s", "s p a", "s r l", "jr"}


def _drop_final_period(text: str) -> str:
    if not text.endswith("."):
        return text
    last = fold(re.split(r"[\s,]+", text[:-1].strip())[-1]) if text[:-1].strip() else ""
    return text if last in _ABBREVIATIONS else text[:-1]


def parse_person(line: str) -> dict | None:
    """'M. Nom (Jean, Hubert de), directeur, Société X.' -> name parts, position, company."""
    m = _HONORIFIC.match(line)
    if not m:
        return None
    honorific = "Mme" if m.group(1).replace(" ", "") == "Mme" else "M."
    p = _PERSON.match(line[m.end() :].strip())
    if not p:
        return None
    family = clean_text(p.group("family").rstrip(","))
    given_parts = [g.strip() for g in p.group("given").split(",") if g.strip()]
    particle = None
    if given_parts:
        last = given_parts[-1]
        for part in _PARTICLES:
            if last.lower() == part or last.lower().endswith(" " + part):
                particle = last[len(last) - len(part) :]
                rest = last[: len(last) - len(part)].strip()
                given_parts[-1:] = [rest] if rest else []
                break
    if not family or not given_parts:
        return None
    if particle:
        family = f"{particle}{family}" if particle.endswith("'") else f"{particle} {family}"
    rest = [r.strip() for r in _drop_final_period(p.group("rest").strip().lstrip(",")).split(",")]
    rest = [r for r in rest if r]
    position = ", ".join(rest[:-1]) if len(rest) > 1 else (rest[0] if rest else None)
    company = rest[-1] if len(rest) > 1 else None
    return {
        "honorific": honorific,
        "family_name": family,
        "given_names": given_parts,
        "display_name": " ".join(given_parts + [family]),
        "position": position,
        "company": company,
    }
