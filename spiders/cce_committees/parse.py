"""Pure parsers for cnccef.org: the two listings and a committee's or section's page.

Person names ("M. Jean DUPONT", "Mme Claire Martin-Lefèvre"): the honorific is "M." or
"Mme" (also "Monsieur"/"Madame"). The family name is the trailing run of tokens written
in capitals ("DE LA TOUR"); when none is in capitals, it is the last word together with the
particles just before it ("de", "du", "Le"…: "Le Goff", "de Beaulieu"). The given names are
the tokens before it, in order (hyphenated names stay one token). Names are kept as printed.

Personal contact details are never kept: an officer's role, name and company are scrubbed by
the one detector (common.personal_data) before the name is split, so "M. Jean DUPONT
(j.dupont@x.fr)" is still M. Jean DUPONT; every other text field is scrubbed where items
leave the parser (spiders.core.pipelines). The warning names the page and field, not the value.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

from common.countries import country_code
from common.issues import WARNING, Issue, missing
from common.personal_data import scrub_record
from common.places import fold
from spiders.core.extract import clean_text, node_lines, node_text
from spiders.core.lexicon import FieldSpec, Lexicon, find_values, label_key, load_lexicon, schema_strings

SOURCE = "cce_committees"

FRANCE_PATH = "/les-cce-en-france/"
WORLD_PATH = "/les-cce-dans-le-monde/"
KIND_OF_PATH = {FRANCE_PATH: "committee", WORLD_PATH: "section"}

HONORIFICS = {"m": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}
PARTICLES = {"de", "du", "des", "d", "le", "la", "van", "von", "da", "di", "del", "della", "dos"}
LEXICON = load_lexicon(Path(__file__).with_name("lexicon.yml"), SOURCE)
# Officer roles the site is expected to show (folded prefixes, from the lexicon); others are reported.
KNOWN_ROLES = re.compile(
    r"^(" + "|".join(sorted({re.escape(fold(r)) for r in LEXICON.extra["roles"]}, key=len, reverse=True)) + r")\b"
)
# The columns of an officers' table, as a lexicon of their own.
COLUMNS = Lexicon(
    SOURCE,
    {
        name: FieldSpec(name, tuple(label_key(l) for l in labels))
        for name, labels in LEXICON.extra["officer_columns"].items()
    },
)
MEMBER_COUNT = re.compile(r"(\d[\d\s\u202f\xa0]*)\s+(?:conseillers|membres|cce)\b", re.I)


def kind_of_url(url: str) -> str | None:
    path = urlparse(url).path
    for prefix, kind in KIND_OF_PATH.items():
        if path.startswith(prefix):
            return kind
    return None


def parse_listing(response):
    """Listing page -> ``{"url", "kind", "name"}`` per committee/section page, then
    ``{"next": url}`` for the next listing page, if any."""
    main = response.xpath("//main") or response.xpath("//body")
    seen = set()
    for a in main.xpath(".//a[@href]"):
        try:
            url = urljoin(response.url, a.attrib["href"])
            path = urlparse(url).path
        except ValueError:  # an unparsable href (e.g. "http://[") is no committee link
            continue
        if url in seen or "page-numbers" in (a.attrib.get("class") or ""):
            continue
        # A page sits exactly one level below a listing path: /les-cce-en-france/<slug>/
        prefix = next((p for p in KIND_OF_PATH if path.startswith(p)), None)
        rest = path[len(prefix) :].strip("/") if prefix else ""
        if not prefix or not rest or "/" in rest or rest == "page":
            continue
        seen.add(url)
        yield {"url": url, "kind": KIND_OF_PATH[prefix], "name": node_text(a)}
    nxt = response.xpath("//a[contains(concat(' ', @class, ' '), ' next ')]/@href | //a[@rel='next']/@href").get()
    try:
        nxt = urljoin(response.url, nxt) if nxt else None
        urlparse(nxt or "")
    except ValueError:
        yield Issue(SOURCE, response.url, "next", "unknown_value", "unparsable next-page link", WARNING, nxt)
        nxt = None
    if nxt:
        yield {"next": nxt}


def parse_person(text: str) -> dict | None:
    """ "M. Jean DUPONT" -> honorific, given_names, family_name, full_name (see module doc)."""
    text = clean_text(text)
    if not text:
        return None
    tokens = text.split(" ")
    honorific = HONORIFICS.get(fold(tokens[0]))
    if honorific:
        tokens = tokens[1:]
    if not tokens:
        return None

    def upper(tok: str) -> bool:
        letters = [c for c in tok if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    cut = len(tokens)
    while cut > 0 and upper(tokens[cut - 1]):
        cut -= 1
    if cut == len(tokens) or cut == 0 and len(tokens) > 1 and all(upper(t) for t in tokens):
        # No capitals (or all capitals): last word plus the particles before it.
        cut = len(tokens) - 1
        while cut > 1 and fold(tokens[cut - 1]) in PARTICLES:
            cut -= 1
    given, family = tokens[:cut], tokens[cut:]
    return {
        "honorific": honorific,
        "given_names": given,
        "family_name": " ".join(family),
        "full_name": " ".join(given + family),
    }


def _officer(role: str | None, name: str | None, company: str | None, url: str, issues: list) -> dict | None:
    role = clean_text((role or "").rstrip(" :"))
    name = clean_text(name)
    if not role or not name:
        return None
    scrubbed, found = scrub_record(SOURCE, url, {"role": role, "name": name, "company": company}, path="officers.")
    issues.extend(found)
    role, name, company = clean_text(scrubbed["role"]), clean_text(scrubbed["name"]), scrubbed["company"]
    if not role or not name:
        return None
    name = name.rstrip(" ,;-")
    person = parse_person(name)
    if person is None:
        return None
    if not KNOWN_ROLES.match(fold(role)):
        issues.append(
            Issue(
                SOURCE, url, "officers.role", "unknown_value", "officer role not in the known list", WARNING, value=role
            )
        )
    return {"role": role, **person, "company": clean_text(company) or None}


def _officers(main, url: str, issues: list) -> list[dict]:
    out = []
    # Table layout: Fonction | Nom | Entreprise (columns found by header, not position).
    for table in main.xpath(".//table"):
        headers = [
            COLUMNS.classify(node_text(th) or "")
            for th in table.xpath(".//thead//th | .//tr[1]/th | .//tr[1][not(th)]/td[not(ancestor::tbody/tr[2])]")
        ]
        if "role" not in headers or "name" not in headers:
            continue
        i_role, i_name = headers.index("role"), headers.index("name")
        i_company = headers.index("company") if "company" in headers else None
        for tr in table.xpath(".//tr[td][not(th)]"):
            cells = [node_text(td) for td in tr.xpath("./td")]
            if len(cells) <= max(i_role, i_name):
                continue
            if [COLUMNS.classify(c or "") for c in cells] == headers:
                continue  # the header row itself, printed with <td>
            company = cells[i_company] if i_company is not None and i_company < len(cells) else None
            off = _officer(cells[i_role], cells[i_name], company, url, issues)
            if off:
                out.append(off)
    # List layout: "<span class=fonction>Président</span> : M. Jean DUPONT, <em>Société</em>"
    for li in main.xpath(".//ul[contains(@class,'bureau')]/li"):
        role = (
            node_text(li.xpath("./*[contains(@class,'fonction')]"))
            if li.xpath("./*[contains(@class,'fonction')]")
            else None
        )
        company = node_text(li.xpath("./em")[0]) if li.xpath("./em") else None
        text = node_text(li) or ""
        if role is None and ":" in text:
            role = text.split(":", 1)[0]
        rest = text.split(":", 1)[1] if ":" in text else ""
        if company:
            rest = rest.replace(company, "")
        elif "," in rest:
            rest, company = rest.split(",", 1)
        off = _officer(role, rest.strip(" ,"), company, url, issues)
        if off:
            out.append(off)
    return out or _officers_anywhere(main, url, issues)


def is_role(text: str | None) -> bool:
    return bool(text) and KNOWN_ROLES.match(fold(text)) is not None


_SEPARATOR = re.compile(r"^\s*[:–—-]\s*|\s*[:–—]\s*")
_COMPANY_MARK = "./descendant::*[self::em or self::i or self::cite or contains(@class,'entreprise') or contains(@class,'societe') or contains(@class,'company')][1]"


def _officers_anywhere(main, url: str, issues: list) -> list[dict]:
    """Officers in layouts not tuned to: any block (list item, card, paragraph, definition,
    heading and the lines after it) whose first line is a known role, followed by a name and
    optionally a company ("Président : M. Jean DUPONT, Société", or one per line)."""
    out, seen = [], set()

    def add(role, name, company):
        off = _officer(role, name, company, url, issues)
        if off and (fold(off["role"]), fold(off["full_name"])) not in seen:
            seen.add((fold(off["role"]), fold(off["full_name"])))
            out.append(off)

    for block in main.xpath(
        ".//li | .//p | .//div | .//dd | .//dt | .//article | .//section | .//h2 | .//h3 | .//h4 | .//h5 | .//strong"
    ):
        lines = node_lines(block)
        roles = [line for line in lines if is_role(line)]
        if len(roles) > 1 and all(_split_role(r)[1] for r in roles):
            # One officer per line: "Présidente – Mme Claire X (Société)".
            for line in roles:
                role, rest = _split_role(line)
                company = None
                if " (" in rest and rest.endswith(")"):
                    rest, company = rest[:-1].split(" (", 1)
                elif "," in rest:
                    rest, company = rest.split(",", 1)
                add(role, rest.strip(" ,;–-"), (company or "").strip(" ,;–-") or None)
            continue
        if not lines or not is_role(lines[0]) or len(roles) != 1 or len(lines) > 4:
            continue
        role, rest = _split_role(lines[0])
        more = lines[1:]
        if not rest and not more:
            # A role standing alone (heading, <dt>): the name follows in the next elements.
            for sib in block.xpath("following-sibling::*[position() <= 3]"):
                sib_lines = node_lines(sib)
                if not sib_lines or is_role(sib_lines[0]):
                    break
                more += sib_lines
            more = more[:2]
        name_part = " ".join([rest] if rest else []) or (more.pop(0) if more else "")
        name_part = (
            _SEPARATOR.sub("", name_part, count=1) if name_part[:2].strip() in (":", "–", "—", "-") else name_part
        )
        marked = block.xpath(_COMPANY_MARK)
        company = node_text(marked[0]) if marked else None
        if company and company in name_part:
            name_part = name_part.replace(company, "")
        elif more:
            company = more[0]
        if "," in name_part and not company:
            name_part, company = name_part.split(",", 1)
        elif " (" in name_part and name_part.endswith(")") and not company:
            name_part, company = name_part[:-1].split(" (", 1)
        name_part = name_part.split(",")[0]
        if 2 <= len(name_part.strip(" ,;")) <= 60 and not re.search(r"\d{3}", name_part):
            add(role, name_part.strip(" ,;–-"), (company or "").strip(" ,;–-") or None)
    return out


def _schema_officers(items: list[dict], url: str, issues: list) -> list[dict]:
    """Officers from schema.org: ``member`` / ``employee`` as Person (jobTitle) or OrganizationRole (roleName)."""
    out = []
    org = items[0] if items else {}
    for key in ("member", "employee", "members", "employees"):
        people = org.get(key) or []
        for person in people if isinstance(people, list) else [people]:
            if not isinstance(person, dict):
                continue
            role = person.get("roleName") or person.get("jobTitle")
            inner = person.get("member") if isinstance(person.get("member"), dict) else person
            role = role or inner.get("jobTitle")
            company = schema_strings(inner.get("worksFor") or inner.get("affiliation"))
            name = schema_strings(inner.get("name"))
            off = _officer(
                schema_strings(role)[0] if schema_strings(role) else None,
                name[0] if name else None,
                company[0] if company else None,
                url,
                issues,
            )
            if off:
                out.append(off)
    return out


def _split_role(line: str) -> tuple[str, str]:
    """ "Président : M. X" -> ("Président", "M. X"); "Présidente" -> ("Présidente", "")."""
    m = re.match(r"^(.{2,40}?)\s*[:–—]\s*(.*)$", line)
    if m and is_role(m.group(1)):
        return m.group(1), m.group(2)
    folded = fold(line)
    k = KNOWN_ROLES.match(folded)
    words = len(k.group(0).split()) if k else 0
    tokens = line.split()
    # "Vice-président" folds to two words: count the printed tokens that make the role.
    n, acc = 0, ""
    while n < len(tokens) and len(fold(acc).split()) < words:
        acc = (acc + " " + tokens[n]).strip()
        n += 1
    # A role may carry a complement ("Président d'honneur", "Secrétaire générale").
    while (
        n < len(tokens)
        and not re.match(r"^(M\.|Mme|Monsieur|Madame|Mr|Mrs|Ms|Dr)$", tokens[n])
        and not tokens[n][:1].isupper()
    ):
        acc += " " + tokens[n]
        n += 1
    return acc, " ".join(tokens[n:])


def _first_text(found, name: str) -> str | None:
    """The field's first value (the first of a schema.org list), as printed."""
    f = found.first(name)
    if f is None:
        return None
    return clean_text((f.values or [f.text])[0] if f.values else f.text)


def _member_count(main, found=None) -> int | None:
    for f in found.all("member_count") if found else []:
        digits = re.match(r"^\D{0,3}(\d[\d\s\u202f\xa0]*)", f.text or "")
        if digits and re.sub(r"\D", "", digits.group(1)):
            return int(re.sub(r"\D", "", digits.group(1)))
    stat = main.xpath(".//*[contains(@class,'chiffre')][.//*[contains(@class,'libelle')]]")
    for block in stat:
        label = fold(node_text(block.xpath(".//*[contains(@class,'libelle')]")) or "")
        value = node_text(block.xpath(".//*[contains(@class,'valeur')]")) or ""
        if label.startswith(("conseiller", "membre", "cce")) and re.sub(r"\D", "", value):
            return int(re.sub(r"\D", "", value))
    texts = [node_text(p) for p in main.xpath(".//p | .//li | .//div[not(*)] | .//span[not(*)]")]
    texts += [f.text for f in (found.all("description") if found else [])]
    for text in texts:
        m = MEMBER_COUNT.search(text or "")
        if m:
            return int(re.sub(r"\D", "", m.group(1)))
    return None


def parse_page(response, kind: str | None = None):
    """A committee's or section's page -> one item (or a missing-field issue), plus warnings."""
    url = response.url
    issues: list[Issue] = []
    main = response.xpath("//main") or response.xpath("//body")
    if not main:
        yield missing(SOURCE, url, "name", "no <main> or <body> in the page")
        return
    main = main[0]
    kind = kind or kind_of_url(url)
    if kind not in ("committee", "section"):
        yield missing(SOURCE, url, "kind", "page is under neither listing")
        return
    name = node_text(main.xpath(".//h1")) if main.xpath(".//h1") else None
    if not name:
        yield missing(SOURCE, url, "name", "no <h1> title")
        return
    found = find_values(LEXICON, response, "//main | //body")
    country = _first_text(found, "country") if kind == "section" else None
    if kind == "section" and not (country or _first_text(found, "territory")):
        # "Section Japon": the title names the country when no label does (kept only if it is one).
        titled = re.sub(r"(?i)^section\s+(?:de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|d')?", "", name).strip()
        country = titled if titled != name and country_code(titled) else None
    territory = _first_text(found, "territory") or country
    if kind == "section" and not country and territory and country_code(territory):
        country = territory  # a section's territory is its country
    if not territory:
        yield missing(SOURCE, url, "territory", "no 'Territoire' or 'Pays' label")
        return
    region = _first_text(found, "region") if kind == "committee" else None

    officers = _officers(main, url, issues) or _schema_officers(found.schema_items, url, issues)
    if not officers:
        issues.append(Issue(SOURCE, url, "officers", "not_found", "no officers found on the page", WARNING))
    yield {
        "source_url": url,
        "page_url": url,
        "name": name,
        "kind": kind,
        "territory": territory,
        "region": region,
        "country": country,
        "member_count": _member_count(main, found),
        "officers": officers,
    }
    # Officers' warnings may repeat per officer: one per (field, code) is enough.
    seen = set()
    for issue in issues:
        key = (issue.field, issue.code, issue.value)
        if key not in seen:
            seen.add(key)
            yield issue
