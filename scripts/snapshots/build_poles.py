"""Build the `poles` sample snapshot: a RECONSTRUCTION of the competitivite.gouv.fr directory.

Not a capture: the live site was never observed. Pages are generated, deterministically,
from the public facts in reference/facts/poles_phase5.csv, in plausible DSFR markup,
with deliberate layout variants (see data/snapshots/poles/README.md for where they are).

Run: .venv/bin/python scripts/snapshots/build_poles.py  (rewrites data/snapshots/poles/)
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import unicodedata
from html.entities import codepoint2name
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference" / "facts" / "poles_phase5.csv"
OUT = REPO / "data" / "snapshots" / "poles"
SITE = "https://competitivite.gouv.fr"
LISTING_PATH = "/les-poles-de-competitivite/annuaire-des-poles"
LISTING = SITE + LISTING_PATH
CAPTURED_AT = "2026-11-01T06:00:00Z"
PER_PAGE = 12
CP1252_SHORT = "PEC"  # the one page served in windows-1252

# Other régions each pôle covers, read by hand from the source_note column ("also …").
# Monaco (Capenergies) is not a French région and is left out.
OTHER_REGIONS = {
    "AV": ["Nouvelle-Aquitaine"],
    "Agri SOI": ["Nouvelle-Aquitaine"],
    "B4C": ["Grand Est"],
    "Capenergies": ["Corse", "Guadeloupe", "La Réunion"],
    "CARA": ["Centre-Val de Loire"],
    "Eurobiomed": ["Occitanie"],
    "iD4CAR": ["Bretagne", "Nouvelle-Aquitaine"],
    "I&R": ["Pays de la Loire"],
    "Innov'Alliance": ["Auvergne-Rhône-Alpes", "Occitanie"],
    "NextMove": ["Île-de-France"],
    "Nuclear Valley": ["Auvergne-Rhône-Alpes"],
    "PMBA": ["Pays de la Loire"],
    "PMM": ["Occitanie", "Corse"],
    "PVF": ["Grand Est"],
    "Valorial": ["Pays de la Loire", "Normandie"],
    "Infra2050": ["Bourgogne-Franche-Comté"],
    "Aqua-Valley": ["Région Sud"],  # PACA under its official short name, as sites print it
    "Aquanova": ["Grand Est"],
}

# A real postcode of each head-office city (city = the CSV city without its parenthesised note).
POSTCODES = {
    "Toulouse": "31000",
    "Auzeville-Tolosane": "31320",
    "Talence": "33400",
    "Boulogne-sur-Mer": "62200",
    "Nantes": "44000",
    "Lyon": "69007",
    "Laon": "02000",
    "Illkirch-Graffenstaden": "67400",
    "Paris": "75011",
    "Aix-en-Provence": "13100",
    "Clermont-Ferrand": "63000",
    "Lille": "59000",
    "Chartres": "28000",
    "Bouguenais": "44340",
    "Marseille": "13002",
    "Colombelles": "14460",
    "Rennes": "35000",
    "Avignon": "84000",
    "Valenciennes": "59300",
    "Grenoble": "38000",
    "Saint-Étienne-du-Rouvray": "76800",
    "Chalon-sur-Saône": "71100",
    "Besançon": "25000",
    "Pau": "64000",
    "Limoges": "87000",
    "Brest": "29200",
    "Toulon": "83000",
    "Étupes": "25460",
    "Saint-Denis": "97400",
    "Tours": "37000",
    "Sophia Antipolis": "06410",
    "Caen": "14000",
    "Angers": "49000",
    "Dijon": "21000",
    "Gradignan": "33170",
    "Perpignan": "66000",
    "Tourcoing": "59200",
    "Strasbourg": "67000",
    "Metz": "57000",
    "Loos-en-Gohelle": "62750",
    "Bègles": "33130",
    "Montpellier": "34000",
    "Orléans": "45000",
}

# Invented street addresses (plausible forms, not the pôles' real addresses).
STREETS = [
    "12 rue de la République",
    "3 avenue Jean Jaurès",
    "Bâtiment B, 8 allée des Sciences",
    "45 boulevard Pasteur",
    "2 place de l'Hôtel de Ville",
    "17 rue Ampère",
    "Technopôle, 5 rue Gustave Eiffel",
    "28 avenue de la Gare",
    "9 rue des Entrepreneurs",
    "Parc d'activités, 14 rue Marie Curie",
    "6 rue du Général de Gaulle",
    "31 avenue de l'Europe",
    "1 rue de l'Innovation",
]

# Fictional telephone ranges reserved by ARCEP for works of fiction, by numbering zone.
FICTION_PHONE = {"01": "01 99 00", "02": "02 61 91", "03": "03 53 01", "04": "04 65 71", "05": "05 36 49"}
ZONE = {  # INSEE région code -> numbering zone
    "11": "01",
    "24": "02",
    "28": "02",
    "52": "02",
    "53": "02",
    "04": "02",
    "27": "03",
    "32": "03",
    "44": "03",
    "84": "04",
    "93": "04",
    "94": "04",
    "75": "05",
    "76": "05",
}


def slugify(text: str) -> str:
    text = re.sub(r"\s*\(.*?\)", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_outside_parens(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p.strip() for p in parts + [cur] if p.strip()]


def themes_of(theme: str) -> list[str]:
    tags = [re.sub(r"\s*\(ex .*?\)", "", t) for t in split_outside_parens(theme)]
    return [t[0].upper() + t[1:] for t in tags][:4]


def label_of(row: dict) -> tuple[str, str]:
    """Printed label status and period (the rule, documented in the README):
    phase V 4-year list -> Labellisé 2023-2026; labelled in January 2024 (Aqua-Valley,
    Aquanova, and Derbi once merged with Cemater) -> Labellisé 2024-2026; on probation
    in March 2023 -> En probation 2023-2026; new in phase V with a 2-year label ->
    Labellisé (probatoire) 2023-2026."""
    note = row["source_note"]
    if "Labelled Jan 2024" in note or "relabelled early 2024" in note:
        return "Labellisé", "2024-2026"
    if "on probation" in note:
        return "En probation", "2023-2026"
    if "New in phase V" in note:
        return "Labellisé (probatoire)", "2023-2026"
    return "Labellisé", "2023-2026"


def pole_facts(idx: int, row: dict) -> dict:
    short = row["acronym_or_short"]
    city = re.sub(r"\s*\(.*?\)", "", row["city"]).strip()
    domain = row["website"].strip()
    themes = themes_of(row["theme"])
    status, period = label_of(row)
    if idx % 10 == 7:
        period = period.replace("-", " – ")  # an en dash with spaces, as editors type it
    website = None
    if domain:
        website = [f"https://www.{domain}/", f"http://{domain}", f"www.{domain}"][(idx // 3) % 3]
    zone = ZONE[row["region_insee_code"]]
    phone_digits = f"{FICTION_PHONE[zone]} {10 + idx:02d} {(idx * 37) % 90 + 10:02d}"
    phone = [phone_digits, "+33 " + phone_digits[1:], phone_digits.replace(" ", ".")][(idx // 2) % 3]
    email = f"contact@{domain}" if domain else None
    if idx % 6 == 1:
        phone = None  # e-mail only
    if idx % 11 == 6:
        email = phone = None  # no contact block at all
    description = None
    if idx % 9 != 4:
        words = [t.lower().replace(":", "") for t in themes]
        joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]
        description = (
            f"{short} fédère entreprises, laboratoires de recherche et établissements de formation "
            f"autour {'de la thématique' if len(words) == 1 else 'des thématiques'} {joined}. Il accompagne les projets collaboratifs de R&D et "
            f"le développement des PME de la région {row['region']}."
        )
    if short == CP1252_SHORT and description:
        # Characters that differ between windows-1252 and latin-1 (’ and œ), on purpose.
        description = description.replace(" Il accompagne", " Il accompagne l’œuvre collective des industriels et")
    return {
        "idx": idx,
        "name": row["name"],
        "short": short,
        "slug": slugify(row["name"]),
        "themes": themes,
        "region": row["region"],
        "other_regions": OTHER_REGIONS.get(short, []),
        "website": website,
        "street": STREETS[idx % len(STREETS)],
        "postcode": POSTCODES[city],
        "city": city,
        "email": email,
        "phone": phone,
        "description": description,
        "status": status,
        "period": period,
        "layout": ["dl", "table", "text"][idx % 3],
        "jsonld": idx % 5 == 3,
        "entities": idx % 4 == 1,
        "cp1252": short == CP1252_SHORT,
    }


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def to_named_entities(markup: str) -> str:
    """Non-ASCII characters as named entities (&eacute; …), the way some CMS editors save them."""
    return "".join(f"&{codepoint2name[ord(c)]};" if ord(c) > 127 and ord(c) in codepoint2name else c for c in markup)


def website_href(printed: str) -> str:
    return printed if printed.startswith("http") else "https://" + printed


def tags_html(tags: list[str]) -> str:
    items = "".join(f'<li><p class="fr-tag">{esc(t)}</p></li>' for t in tags)
    return f'<ul class="fr-tags-group">{items}</ul>'


def link_html(href: str, text: str) -> str:
    return (
        f'<a href="{esc(href)}" target="_blank" rel="noopener" title="{esc(text)} - nouvelle fenêtre">{esc(text)}</a>'
    )


def phone_html(phone: str) -> str:
    return esc(phone).replace(" ", "&nbsp;")


def details_dl(p: dict) -> str:
    rows = [("Sigle", esc(p["short"])), ("Thématiques", tags_html(p["themes"])), ("Région du siège", esc(p["region"]))]
    if p["other_regions"]:
        rows.append(("Autres régions", "<ul>" + "".join(f"<li>{esc(r)}</li>" for r in p["other_regions"]) + "</ul>"))
    if p["website"]:
        rows.append(("Site internet", link_html(website_href(p["website"]), p["website"])))
    rows.append(("Adresse", f"{esc(p['street'])}<br>{p['postcode']} {esc(p['city'])}"))
    contact = []
    if p["email"]:
        contact.append(f'<a href="mailto:{p["email"]}">{p["email"]}</a>')
    if p["phone"]:
        contact.append(f"Standard&nbsp;: {phone_html(p['phone'])}")
    if contact:
        rows.append(("Contact", "<br>".join(contact)))
    rows += [("Statut", esc(p["status"])), ("Période de labellisation", esc(p["period"]))]
    body = "\n".join(f"  <dt>{label}</dt>\n  <dd>{value}</dd>" for label, value in rows)
    desc = f'<h2 class="fr-h4">Présentation</h2>\n<p>{esc(p["description"])}</p>\n' if p["description"] else ""
    return f'{desc}<h2 class="fr-h4">Fiche d&#039;identité</h2>\n<dl class="pole-fiche">\n{body}\n</dl>'


def details_table(p: dict) -> str:
    rows = [("Nom court", esc(p["short"])), ("Thématiques", tags_html(p["themes"])), ("Région", esc(p["region"]))]
    if p["other_regions"]:
        rows.append(
            (
                "Autres régions d'implantation",
                "<ul>" + "".join(f"<li>{esc(r)}</li>" for r in p["other_regions"]) + "</ul>",
            )
        )
    if p["website"]:
        rows.append(("Site web", link_html(website_href(p["website"]), p["website"])))
    rows.append(("Adresse du siège", f"{esc(p['street'])}, {p['postcode']} {esc(p['city'])}"))
    if p["email"]:
        rows.append(("Courriel", f'<a href="mailto:{p["email"]}">{p["email"]}</a>'))
    if p["phone"]:
        rows.append(("Téléphone", phone_html(p["phone"])))
    rows += [("Statut du label", esc(p["status"])), ("Période", esc(p["period"]))]
    body = "\n".join(f'    <tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    desc = (
        f'<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">{esc(p["description"])}</p></div>\n'
        if p["description"]
        else ""
    )
    return (
        f'{desc}<div class="fr-table fr-table--no-caption"><div class="fr-table__wrapper"><div class="fr-table__container">'
        f'<div class="fr-table__content">\n<table>\n  <caption>Informations sur le pôle</caption>\n  <tbody>\n{body}\n  </tbody>\n'
        f"</table>\n</div></div></div></div>"
    )


def details_text(p: dict) -> str:
    def line(label: str, value: str) -> str:
        return f"<p><strong>{label}&nbsp;:</strong> {value}</p>"

    parts = [tags_html(p["themes"])]
    if p["description"]:
        parts.append(f'<h2 class="fr-h4">Présentation</h2>\n<p>{esc(p["description"])}</p>')
    parts.append('<h2 class="fr-h4">Coordonnées</h2>')
    parts.append(line("Acronyme", esc(p["short"])))
    parts.append(line("Région", esc(p["region"])))
    if p["other_regions"]:
        parts.append(line("Autres régions", esc(", ".join(p["other_regions"]))))
    if p["website"]:
        w = p["website"]
        parts.append(line("Site", esc(w) if w.startswith("www.") else link_html(w, w)))
    parts.append(line("Adresse", f"{esc(p['street'])}, {p['postcode']} {esc(p['city'])}"))
    contact = " – ".join(x for x in (p["email"], p["phone"] and phone_html(p["phone"])) if x)
    if contact:
        parts.append(line("Contact", contact))
    parts.append(line("Label", esc(p["status"])))
    parts.append(line("Période", esc(p["period"])))
    return "\n".join(parts)


def jsonld(p: dict) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": p["name"],
        "alternateName": p["short"],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": p["street"],
            "postalCode": p["postcode"],
            "addressLocality": p["city"],
            "addressRegion": p["region"],
            "addressCountry": "FR",
        },
    }
    if p["website"]:
        # Canonical https form, whatever the visible page prints.
        data["url"] = "https://" + re.sub(r"^https?://", "", p["website"]).rstrip("/") + "/"
    if p["email"]:
        data["email"] = p["email"]
    if p["phone"]:
        data["telephone"] = p["phone"]
    if p["description"]:
        data["description"] = p["description"]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


HEADER = """<header role="banner" class="fr-header">
  <div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
    <div class="fr-header__brand fr-enlarge-link">
      <div class="fr-header__brand-top"><div class="fr-header__logo"><p class="fr-logo">République<br>Française</p></div></div>
      <div class="fr-header__service"><a href="/" title="Accueil - Les pôles de compétitivité"><p class="fr-header__service-title">Les pôles de compétitivité</p></a>
        <p class="fr-header__service-tagline">Direction générale des Entreprises</p></div>
    </div>
  </div></div></div>
  <div class="fr-header__menu fr-modal" id="modal-menu"><div class="fr-container">
    <nav class="fr-nav" role="navigation" aria-label="Menu principal"><ul class="fr-nav__list">
      <li class="fr-nav__item"><a class="fr-nav__link" href="/les-poles-de-competitivite" aria-current="true">Les pôles de compétitivité</a></li>
      <li class="fr-nav__item"><a class="fr-nav__link" href="/actualites">Actualités</a></li>
      <li class="fr-nav__item"><a class="fr-nav__link" href="/appels-a-projets">Appels à projets</a></li>
    </ul></nav>
  </div></div>
</header>"""

FOOTER = """<footer class="fr-footer" role="contentinfo" id="footer"><div class="fr-container">
  <div class="fr-footer__body">
    <div class="fr-footer__brand fr-enlarge-link"><a href="/" title="Retour à l'accueil"><p class="fr-logo">République<br>Française</p></a></div>
    <div class="fr-footer__content">
      <p class="fr-footer__content-desc">Le site des pôles de compétitivité est édité par la Direction générale des Entreprises.</p>
      <ul class="fr-footer__content-list">
        <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.economie.gouv.fr">economie.gouv.fr</a></li>
        <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.entreprises.gouv.fr">entreprises.gouv.fr</a></li>
        <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.service-public.fr">service-public.fr</a></li>
        <li class="fr-footer__content-item"><a class="fr-footer__content-link" href="https://www.data.gouv.fr">data.gouv.fr</a></li>
      </ul>
    </div>
  </div>
  <div class="fr-footer__bottom">
    <ul class="fr-footer__bottom-list">
      <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/plan-du-site">Plan du site</a></li>
      <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité&nbsp;: non conforme</a></li>
      <li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="/mentions-legales">Mentions légales</a></li>
    </ul>
    <div class="fr-footer__bottom-copy"><p>Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous <a href="https://github.com/etalab/licence-ouverte/blob/master/LO.md" target="_blank" rel="noopener">licence etalab-2.0</a></p></div>
  </div>
</div></footer>"""


def page(title: str, charset: str, head_extra: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr" dir="ltr" data-fr-scheme="system">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>{title} | Les pôles de compétitivité</title>
<link rel="stylesheet" href="/themes/custom/dsfr/dist/dsfr.min.css">
{head_extra}</head>
<body>
<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list"><li><a class="fr-link" href="#contenu">Contenu</a></li><li><a class="fr-link" href="#footer">Pied de page</a></li></ul></nav></div>
{HEADER}
<main role="main" id="contenu">
<div class="fr-container fr-mb-8w">
{main}
</div>
</main>
{FOOTER}
</body>
</html>
"""


def breadcrumb(trail: list[tuple[str, str | None]]) -> str:
    items = []
    for text, href in trail:
        if href:
            items.append(f'<li><a class="fr-breadcrumb__link" href="{href}">{esc(text)}</a></li>')
        else:
            items.append(f'<li><a class="fr-breadcrumb__link" aria-current="page">{esc(text)}</a></li>')
    return (
        '<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">'
        '<button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="breadcrumb-1">Voir le fil d’Ariane</button>'
        f'<div class="fr-collapse" id="breadcrumb-1"><ol class="fr-breadcrumb__list">{"".join(items)}</ol></div></nav>'
    )


TRAIL = [("Accueil", "/"), ("Les pôles de compétitivité", "/les-poles-de-competitivite")]


def detail_page(p: dict) -> tuple[str, bytes, str]:
    main_parts = [
        breadcrumb(TRAIL + [("Annuaire des pôles", LISTING_PATH), (p["name"], None)]),
        f'<h1 class="fr-h1">{esc(p["name"])}</h1>',
        {"dl": details_dl, "table": details_table, "text": details_text}[p["layout"]](p),
        f'<p class="fr-mt-4w"><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="{LISTING_PATH}">Retour à l’annuaire</a></p>',
    ]
    main = "\n".join(main_parts)
    if p["entities"]:
        main = to_named_entities(main)
    charset = "windows-1252" if p["cp1252"] else "utf-8"
    text = page(esc(p["name"]), charset, jsonld(p) if p["jsonld"] else "", main)
    return text, text.encode("cp1252" if p["cp1252"] else "utf-8"), f"text/html; charset={charset}"


def listing_url(n: int) -> str:
    return LISTING if n == 1 else f"{LISTING}?page={n}"


def pagination(n: int, last: int) -> str:
    def link(cls: str, target: int | None, text: str, current: bool = False) -> str:
        if current:
            return f'<li><a class="fr-pagination__link" aria-current="page" title="Page {target}">{text}</a></li>'
        if target is None:
            return f'<li><a class="fr-pagination__link {cls}" aria-disabled="true" role="link">{text}</a></li>'
        href = LISTING_PATH if target == 1 else f"?page={target}"
        return f'<li><a class="fr-pagination__link {cls}" href="{href}" title="Page {target}">{text}</a></li>'

    items = [
        link("fr-pagination__link--first", 1 if n > 1 else None, "Première page"),
        link("fr-pagination__link--prev fr-pagination__link--lg-label", n - 1 if n > 1 else None, "Page précédente"),
    ]
    # The DSFR component shows a window of pages around the current one, not every page.
    shown = sorted({1, last, *range(max(1, n - 3), min(last, n + 3) + 1)})
    for prev, k in zip([0, *shown], shown):
        if k - prev > 1:
            items.append('<li><span class="fr-pagination__link fr-displayed-lg">…</span></li>')
        items.append(link("", k, str(k), current=k == n))
    items += [
        link("fr-pagination__link--next fr-pagination__link--lg-label", n + 1 if n < last else None, "Page suivante"),
        link("fr-pagination__link--last", last if n < last else None, "Dernière page"),
    ]
    return f'<nav role="navigation" class="fr-pagination" aria-label="Pagination"><ul class="fr-pagination__list">{"".join(items)}</ul></nav>'


def listing_page(n: int, last: int, poles: list[dict], total: int) -> str:
    cards = []
    for p in poles:
        cards.append(
            f"""<div class="fr-col-12 fr-col-md-6 fr-col-lg-4">
  <div class="fr-card fr-enlarge-link">
    <div class="fr-card__body"><div class="fr-card__content">
      <h3 class="fr-card__title"><a href="{LISTING_PATH}/{p["slug"]}">{esc(p["name"])}</a></h3>
      <p class="fr-card__desc">{esc(", ".join(p["themes"]))}</p>
      <div class="fr-card__start"><ul class="fr-tags-group"><li><p class="fr-tag fr-tag--sm">{esc(p["region"])}</p></li></ul></div>
    </div></div>
  </div>
</div>"""
        )
    main = "\n".join(
        [
            breadcrumb(TRAIL + [("Annuaire des pôles", None)]),
            '<h1 class="fr-h1">Annuaire des pôles de compétitivité</h1>',
            f'<p class="fr-text--lead">{total} pôles de compétitivité sont labellisés pour la phase V (2023-2026).</p>',
            '<div class="fr-grid-row fr-grid-row--gutters">',
            *cards,
            "</div>",
            pagination(n, last),
        ]
    )
    return page("Annuaire des pôles" + (f" - page {n}" if n > 1 else ""), "utf-8", "", main)


def main() -> None:
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    poles = [pole_facts(i, r) for i, r in enumerate(rows)]
    assert len({p["slug"] for p in poles}) == len(poles), "slugs must be unique"
    assert sum(p["cp1252"] for p in poles) == 1

    if OUT.exists():
        shutil.rmtree(OUT / "pages", ignore_errors=True)
    (OUT / "pages" / "poles").mkdir(parents=True, exist_ok=True)
    responses = []

    def add(url: str, file: str, body: bytes, content_type: str) -> None:
        (OUT / file).write_bytes(body)
        responses.append({"url": url, "status": 200, "headers": {"Content-Type": content_type}, "file": file})

    add(
        SITE + "/robots.txt",
        "pages/robots.txt",
        b"User-agent: *\nAllow: /\n\nSitemap: https://competitivite.gouv.fr/sitemap.xml\n",
        "text/plain; charset=utf-8",
    )
    last = (len(poles) + PER_PAGE - 1) // PER_PAGE
    for n in range(1, last + 1):
        chunk = poles[(n - 1) * PER_PAGE : n * PER_PAGE]
        add(
            listing_url(n),
            f"pages/annuaire-des-poles-page-{n}.html",
            listing_page(n, last, chunk, len(poles)).encode("utf-8"),
            "text/html; charset=utf-8",
        )
    for p in poles:
        _, body, ctype = detail_page(p)
        add(f"{LISTING}/{p['slug']}", f"pages/poles/{p['slug']}.html", body, ctype)

    manifest = {"source": "poles", "captured_at": CAPTURED_AT, "reconstruction": True, "responses": responses}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # The variant map, for the README and the tests' choice of pages.
    variants = [
        {k: p[k] for k in ("idx", "slug", "short", "layout", "jsonld", "entities", "cp1252")}
        | {
            "no_description": p["description"] is None,
            "no_contact": not (p["email"] or p["phone"]),
            "no_website": p["website"] is None,
            "other_regions": len(p["other_regions"]),
        }
        for p in poles
    ]
    (OUT / "variants.json").write_text(json.dumps(variants, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(responses)} responses ({len(poles)} pôles, {last} listing pages) to {OUT}")


if __name__ == "__main__":
    main()
