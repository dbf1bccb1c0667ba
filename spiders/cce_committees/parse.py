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
from urllib.parse import urljoin, urlparse

from common.personal_data import scrub_record
from spiders.core.extract import clean_text, labelled_values, node_text
from common.issues import WARNING, Issue, missing
from common.places import fold

SOURCE = "cce_committees"

FRANCE_PATH = "/les-cce-en-france/"
WORLD_PATH = "/les-cce-dans-le-monde/"
KIND_OF_PATH = {FRANCE_PATH: "committee", WORLD_PATH: "section"}

HONORIFICS = {"m": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}
PARTICLES = {"de", "du", "des", "d", "le", "la", "van", "von", "da", "di", "del", "della", "dos"}
# Officer roles the site is expected to show (folded prefixes); others are reported.
KNOWN_ROLES = re.compile(
    r"^(president|presidente|vice president|vice presidente|secretaire|tresorier|tresoriere|"
    r"delegue|deleguee|conseiller|conseillere|membre du bureau|chef de section)\b"
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
        rest = path[len(prefix):].strip("/") if prefix else ""
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
        issues.append(Issue(SOURCE, url, "officers.role", "unknown_value", "officer role not in the known list",
                            WARNING, value=role))
    return {"role": role, **person, "company": clean_text(company) or None}


def _officers(main, url: str, issues: list) -> list[dict]:
    out = []
    # Table layout: Fonction | Nom | Entreprise (columns found by header, not position).
    for table in main.xpath(".//table"):
        headers = [fold(node_text(th) or "") for th in table.xpath(".//thead//th | .//tr[1]/th")]
        if not any(h.startswith(("fonction", "role")) for h in headers):
            continue
        col = {h: i for i, h in enumerate(headers)}
        i_role = next(i for h, i in col.items() if h.startswith(("fonction", "role")))
        i_name = next((i for h, i in col.items() if h.startswith("nom")), None)
        i_company = next((i for h, i in col.items() if h.startswith(("entreprise", "societe"))), None)
        for tr in table.xpath(".//tbody/tr | ./tr[td]"):
            cells = [node_text(td) for td in tr.xpath("./td")]
            if i_name is None or len(cells) <= max(i_role, i_name):
                continue
            company = cells[i_company] if i_company is not None and i_company < len(cells) else None
            off = _officer(cells[i_role], cells[i_name], company, url, issues)
            if off:
                out.append(off)
    # List layout: "<span class=fonction>Président</span> : M. Jean DUPONT, <em>Société</em>"
    for li in main.xpath(".//ul[contains(@class,'bureau')]/li"):
        role = node_text(li.xpath("./*[contains(@class,'fonction')]")) if li.xpath("./*[contains(@class,'fonction')]") else None
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
    return out


def _member_count(main) -> int | None:
    stat = main.xpath(".//*[contains(@class,'chiffre')][.//*[contains(@class,'libelle')]]")
    for block in stat:
        label = fold(node_text(block.xpath(".//*[contains(@class,'libelle')]")) or "")
        value = node_text(block.xpath(".//*[contains(@class,'valeur')]")) or ""
        if label.startswith(("conseiller", "membre", "cce")) and re.sub(r"\D", "", value):
            return int(re.sub(r"\D", "", value))
    for p in main.xpath(".//p"):
        m = MEMBER_COUNT.search(node_text(p) or "")
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
    fields = labelled_values(response, "//main")
    country = fields.text("Pays") if kind == "section" else None
    territory = fields.text("Territoire") or country
    if not territory:
        yield missing(SOURCE, url, "territory", "no 'Territoire' or 'Pays' label")
        return
    region = fields.text("Région", "Collectivité") if kind == "committee" else None

    officers = _officers(main, url, issues)
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
        "member_count": _member_count(main),
        "officers": officers,
    }
    # Officers' warnings may repeat per officer: one per (field, code) is enough.
    seen = set()
    for issue in issues:
        key = (issue.field, issue.code, issue.value)
        if key not in seen:
            seen.add(key)
            yield issue
