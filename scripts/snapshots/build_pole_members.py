"""Build the pole_members sample snapshot: member directories on the pôles' reconstructed sites.

    .venv/bin/python scripts/snapshots/build_pole_members.py

Same replay format as ``data/snapshots/pole_sites`` (``manifest.json`` + ``pages/``) and the same
sites (``sites.jsonl`` is the pole_sites one: cluster ids and websites of the ``clusters`` table).
Fourteen pôles publish a directory, in the four forms of ``FORMS`` (static list, paginated
listing, GET search form, JSON endpoint loaded by JavaScript); ``s2e2`` links a members page that
lists nobody; every other site has a home page and a sitemap that lead to no directory.

Every organisation is invented, except ``ADVISOR_COMPANIES``: companies of advisors of the
(equally invented) CCE sample, printed with the head office the company-register sample gives
them; ``LOOK_ALIKES`` are invented names close to those. Contact people named beside some
members are invented too, and their e-mail addresses use reserved ``.example`` domains.
Deterministic: everything is drawn from ``random.Random(cluster_id)``.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlencode, urlparse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from common.places import fold  # noqa: E402

OUT = REPO / "data" / "snapshots" / "pole_members"
SITES = REPO / "data" / "snapshots" / "pole_sites" / "sites.jsonl"
CAPTURED_AT = "2026-11-01T06:00:00Z"
HTML = {"Content-Type": "text/html; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
XML = {"Content-Type": "application/xml"}
TEXT = {"Content-Type": "text/plain"}

# cluster_id -> (form, layout, région code, number of members)
FORMS = {
    "aquimer": ("static_list", "dash_list", "32", 18),
    "valorial": ("static_list", "cards_by_section", "53", 18),
    "capenergies": ("static_list", "table", "93", 18),
    "axelera": ("static_list", "cards_with_contacts", "84", 18),
    "av": ("paginated", "table_pages", "76", 26),
    "alpha-rlh": ("paginated", "wp_cards_pages", "75", 24),
    "minalogic": ("paginated", "pager_loop", "84", 24),
    "id4car": ("paginated", "list_rel_next", "52", 22),
    "pmba": ("search_form", "form_all_at_once", "53", 16),
    "systematic": ("search_form", "form_letter_select", "11", 22),
    "vitagora": ("search_form", "form_letter_text", "27", 20),
    "cap-digital": ("json_endpoint", "data_endpoint", "11", 24),
    "safe": ("json_endpoint", "inline_fetch_pages", "93", 22),
    "team2": ("json_endpoint", "yaml_hint", "32", 18),
}

# Companies of advisors of the sample (advisors.company), with the register sample's head office.
ADVISOR_COMPANIES = {
    "valorial": [("Armor Cidres", "PME", "29200", "Brest")],
    "alpha-rlh": [("Chabert Mécanique", "PME", "33170", "Gradignan")],
    "aquimer": [("Calanques Marine", "PME", "62200", "Boulogne-sur-Mer")],
    "id4car": [("Imagineo Export SAS", "PME", "44000", "Nantes")],
    "safe": [("Garonne Composites", "SME", "84000", "Avignon")],
    "systematic": [("Lutèce Diagnostics SAS", "PME", "87000", "Limoges")],
    "av": [("Prototypia Industrie SAS", "ETI", "31000", "Toulouse")],
    "vitagora": [("Exempla Conseil SA", "PME", "21000", "Dijon")],
    "capenergies": [("Fictiveo Export SAS", "PME", "06410", "Biot")],
    "cap-digital": [("Modélix Santé SARL", "PME", "67400", "Illkirch-Graffenstaden")],
    "team2": [("Prototypis Logistique SAS", "PME", "59200", "Tourcoing")],
    "pmba": [("Imaginium Énergie SAS", "ETI", "25000", "Besançon")],
}
# Invented names close to an advisor company, belonging to other (invented) organisations.
LOOK_ALIKES = {
    "pmba": [("Armor Cidres Distribution", "PME", "29000", "Quimper")],
    "minalogic": [
        ("Chabert Mécanique de Précision", "PME", "38000", "Grenoble"),
        ("Esquisso Numérique SAS", "Start-up", "38000", "Grenoble"),
    ],
    "capenergies": [("Calanques Marine Services", "TPE", "13007", "Marseille")],
    "valorial": [("Imagineo Conseil SAS", "PME", "35000", "Rennes")],
    "av": [
        ("Garonne Composites Aéro", "PME", "31700", "Blagnac"),
        ("Prototypia Ingénierie SAS", "PME", "31400", "Toulouse"),
    ],
    "systematic": [("Lutèce Diagnostic Vétérinaire", "Start-up", "75015", "Paris")],
    "vitagora": [("Exempla Conseil Bourgogne", "PME", "71100", "Chalon-sur-Saône")],
    "safe": [("Fictiveo Import SARL", "SME", "83000", "Toulon")],
    "cap-digital": [
        ("Modélix Santé Animale", "Start-up", "75012", "Paris"),
        ("Esquisso Numérique Conseil", "PME", "75011", "Paris"),
    ],
}

# (postcode, city) by région code, real communes; postcodes checked against reference/departements.csv.
PLACES = {
    "11": [
        ("75013", "Paris"),
        ("91120", "Palaiseau"),
        ("92130", "Issy-les-Moulineaux"),
        ("78280", "Guyancourt"),
        ("94200", "Ivry-sur-Seine"),
        ("93200", "Saint-Denis"),
        ("77420", "Champs-sur-Marne"),
    ],
    "27": [
        ("21000", "Dijon"),
        ("25000", "Besançon"),
        ("71100", "Chalon-sur-Saône"),
        ("89000", "Auxerre"),
        ("39100", "Dole"),
        ("58000", "Nevers"),
    ],
    "32": [
        ("59000", "Lille"),
        ("62200", "Boulogne-sur-Mer"),
        ("80000", "Amiens"),
        ("59300", "Valenciennes"),
        ("60200", "Compiègne"),
        ("62000", "Arras"),
        ("59140", "Dunkerque"),
    ],
    "52": [
        ("44000", "Nantes"),
        ("49000", "Angers"),
        ("72000", "Le Mans"),
        ("85000", "La Roche-sur-Yon"),
        ("44600", "Saint-Nazaire"),
        ("53000", "Laval"),
    ],
    "53": [
        ("35000", "Rennes"),
        ("29200", "Brest"),
        ("56100", "Lorient"),
        ("22000", "Saint-Brieuc"),
        ("29000", "Quimper"),
        ("56000", "Vannes"),
    ],
    "75": [
        ("33000", "Bordeaux"),
        ("33400", "Talence"),
        ("87000", "Limoges"),
        ("86000", "Poitiers"),
        ("64000", "Pau"),
        ("17000", "La Rochelle"),
        ("33600", "Pessac"),
    ],
    "76": [
        ("31000", "Toulouse"),
        ("31700", "Blagnac"),
        ("34000", "Montpellier"),
        ("65000", "Tarbes"),
        ("81000", "Albi"),
        ("30000", "Nîmes"),
        ("66000", "Perpignan"),
    ],
    "84": [
        ("69007", "Lyon"),
        ("38000", "Grenoble"),
        ("42000", "Saint-Étienne"),
        ("63000", "Clermont-Ferrand"),
        ("73000", "Chambéry"),
        ("74000", "Annecy"),
        ("26000", "Valence"),
    ],
    "93": [
        ("13007", "Marseille"),
        ("06560", "Valbonne"),
        ("83000", "Toulon"),
        ("84000", "Avignon"),
        ("13100", "Aix-en-Provence"),
        ("06000", "Nice"),
    ],
}

SYLLABLES_A = [
    "Nau",
    "Ter",
    "Vel",
    "Or",
    "Cal",
    "Bri",
    "Lum",
    "Sol",
    "Hal",
    "Cor",
    "Ven",
    "Ast",
    "Ber",
    "Dor",
    "Ly",
    "Ri",
    "Sa",
    "Tal",
    "Ul",
    "Gar",
    "Kel",
    "Mir",
    "Pel",
    "Quen",
    "Zor",
    "Ar",
    "Bel",
    "Cy",
    "Ev",
]
SYLLABLES_B = [
    "tis",
    "via",
    "nor",
    "lyx",
    "dra",
    "mia",
    "ron",
    "zen",
    "lio",
    "vor",
    "nea",
    "gal",
    "teo",
    "rix",
    "phan",
    "quin",
    "sys",
    "mel",
    "ova",
    "dis",
]
WORDS = {
    "startup": ["Robotics", "Analytics", "Biotech", "Labs", "Sensing", "Data", "Tech", "Drones"],
    "pme": ["Industrie", "Mécanique", "Ingénierie", "Plasturgie", "Usinage", "Électronique", "Automatismes", "Agro"],
    "eti": ["Groupe"],
    "grand_groupe": ["France", "Group"],
    "laboratoire": ["Laboratoire", "Institut", "Centre de recherche"],
    "formation": ["École supérieure", "Institut de formation", "Campus"],
    "collectivite": ["Communauté d'agglomération", "Communauté de communes"],
    "association": ["Association", "Cluster", "Réseau"],
    "autre": ["Fonds", "Capital"],
}
FORMS_LEGAL = ["SAS", "SARL", "SA", ""]
# Printed category labels, per site style.
LABELS_FR = {
    "startup": "Start-up",
    "pme": "PME",
    "eti": "ETI",
    "grand_groupe": "Grand groupe",
    "laboratoire": "Laboratoire",
    "formation": "Établissement de formation",
    "collectivite": "Collectivité",
    "association": "Association",
    "autre": "Partenaire financier",
}
LABELS_ALT = {
    "startup": "Jeune pousse",
    "pme": "TPE/PME",
    "eti": "Entreprise de taille intermédiaire",
    "grand_groupe": "Grande entreprise",
    "laboratoire": "Organisme de recherche",
    "formation": "Enseignement supérieur",
    "collectivite": "Collectivité territoriale",
    "association": "Fédération / association",
    "autre": "Autre",
}
LABELS_EN = {
    "startup": "Startup",
    "pme": "SME",
    "eti": "Mid-cap",
    "grand_groupe": "Large company",
    "laboratoire": "Research lab",
    "formation": "Higher education",
    "collectivite": "Local authority",
    "association": "Association",
    "autre": "Other",
}
CATEGORY_WEIGHTS = [
    ("pme", 9),
    ("startup", 5),
    ("eti", 2),
    ("grand_groupe", 2),
    ("laboratoire", 3),
    ("formation", 2),
    ("collectivite", 1),
    ("association", 1),
    ("autre", 1),
]
CONTACT_PEOPLE = [
    "Maëlle Quintard",
    "Loïc Ravenel",
    "Bérénice Castagnet",
    "Tanguy Le Bihan",
    "Ophélie Darrigrand",
    "Hugues Vaillandet",
    "Inès Boucheron",
    "Rodolphe Lestrade",
]


LE_POLE = "<p>Le pôle fédère entreprises, laboratoires et centres de formation autour de projets d'innovation.</p>"


def region_of_postcode(postcode: str) -> str:
    with (REPO / "reference" / "departements.csv").open(encoding="utf-8") as fh:
        deps = {r["departement_code"]: r["region_code"] for r in csv.DictReader(fh)}
    return deps[postcode[:3]] if postcode[:3] in deps else deps[postcode[:2]]


def slug(text: str) -> str:
    return "-".join(fold(text).split())


def invented_member(rng: random.Random, region: str, used: set) -> dict:
    while True:
        category = rng.choices([c for c, _ in CATEGORY_WEIGHTS], [w for _, w in CATEGORY_WEIGHTS])[0]
        coined = rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)
        word = rng.choice(WORDS[category])
        postcode, city = rng.choice(PLACES[region])
        if category in ("startup",):
            name = f"{coined} {word}"
        elif category == "pme":
            name = " ".join(x for x in (coined, word, rng.choice(FORMS_LEGAL)) if x)
        elif category == "eti":
            name = f"Groupe {coined}"
        elif category == "grand_groupe":
            name = f"{coined} {word} SA"
        elif category == "collectivite":
            name = f"{word} du Val {'d' + chr(39) if coined[0] in 'AEIOUY' else 'de '}{coined}"
        elif category == "autre":
            name = f"{coined} {word} Partenaires"
        else:
            name = f"{word} {coined}"
        if fold(name) in used or fold(coined) in used:
            continue
        used.update({fold(name), fold(coined)})
        website = f"https://www.{slug(coined)}.example" if rng.random() < 0.7 else None
        return {"name": name, "category": category, "postcode": postcode, "city": city, "website": website}


def members_of(cluster_id: str, used: set) -> list[dict]:
    form, layout, region, count = FORMS[cluster_id]
    rng = random.Random(cluster_id)
    out = []
    for name, label, postcode, city in ADVISOR_COMPANIES.get(cluster_id, []) + LOOK_ALIKES.get(cluster_id, []):
        used.add(fold(name))
        out.append(
            {
                "name": name,
                "label": label,
                "postcode": postcode,
                "city": city,
                "website": f"https://www.{slug(name)}.example",
            }
        )
    while len(out) < count:
        m = invented_member(rng, region, used)
        labels = (
            LABELS_EN
            if layout in ("inline_fetch_pages", "list_rel_next")
            else (LABELS_ALT if layout in ("cards_by_section", "form_letter_text", "yaml_hint") else LABELS_FR)
        )
        m["label"] = labels[m.pop("category")]
        out.append(m)
    rng.shuffle(out)
    return out


# --- pages ------------------------------------------------------------------------------------


def page(site: str, title: str, main: str, nav: list[tuple[str, str]], head: str = "") -> str:
    links = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in nav)
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} | {escape(site)}</title>'
        f"{head}</head><body>"
        f'<header class="site-header"><a class="logo" href="/">{escape(site)}</a><nav class="main-menu"><ul>'
        f'<li><a href="/">Accueil</a></li>{links}<li><a href="/actualites/">Actualités</a></li>'
        '<li><a href="/adherer/">Devenir adhérent</a></li><li><a href="/espace-adherents/">Espace adhérents</a></li>'
        '</ul></nav><form class="site-search" role="search" action="/recherche/"><input name="s"></form></header>'
        f"<main><h1>{escape(title)}</h1>{main}</main>"
        '<footer class="site-footer"><p>Directeur de la publication : Yannick Ourliac</p>'
        '<p><a href="/mentions-legales/">Mentions légales</a> © 2026</p></footer></body></html>\n'
    )


def place(m: dict) -> str:
    return f"{m['postcode']} {m['city']}"


def site_link(m: dict, text: str = "Site web") -> str:
    return f'<a class="site" href="{escape(m["website"])}">{text}</a>' if m.get("website") else ""


def dash_list(ms):
    items = "".join(
        f"<li>{site_link(m, escape(m['name'])) if m.get('website') else escape(m['name'])} – {escape(m['label'])} – "
        f"{escape(place(m))}</li>"
        for m in ms
    )
    return f'<section class="liste-adherents"><h2>Nos adhérents</h2><ul>{items}</ul></section>'


def card(m, cls="adherent-card", heading="h3", extra=""):
    return (
        f'<div class="{cls}"><{heading}>{escape(m["name"])}</{heading}><span class="categorie">{escape(m["label"])}'
        f'</span><p class="ville">{escape(place(m))}</p>{site_link(m)}{extra}</div>'
    )


def table(ms, headers=("Nom", "Type", "Ville", "Site internet")):
    head = "".join(f"<th>{h}</th>" for h in headers)
    rows = "".join(
        f"<tr><td>{escape(m['name'])}</td><td>{escape(m['label'])}</td><td>{escape(place(m))}</td>"
        f"<td>{site_link(m, escape(m['website'] or '')) if m.get('website') else ''}</td></tr>"
        for m in ms
    )
    return f'<table class="table members"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def chunks(ms, size):
    return [ms[i : i + size] for i in range(0, len(ms), size)]


def build_site(cluster_id: str, website: str, used: set) -> tuple[list, dict]:
    """(responses, planted-members record) of one site."""
    host = urlparse(website).hostname
    base = f"{urlparse(website).scheme}://{host}"
    out = []

    def add(path, body, headers=HTML, status=200):
        out.append((base + path, status, headers, body.encode("utf-8") if isinstance(body, str) else body))

    robots = "User-agent: *\nDisallow: /espace-adherents/\n"
    if cluster_id == "techtera":  # the directory exists, but robots.txt forbids it
        robots += "Disallow: /annuaire/\n"
    add("/robots.txt", robots, TEXT)
    site = cluster_id.upper()
    if cluster_id not in FORMS:
        nav = [("Le pôle", "/le-pole/"), ("Contact", "/contact/")]
        if cluster_id == "techtera":
            add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Annuaire", "/annuaire/")]))
            add(
                "/annuaire/",
                page(
                    site,
                    "Annuaire",
                    table(
                        [
                            {
                                "name": "Filature Fictive du Rhône",
                                "label": "PME",
                                "postcode": "69007",
                                "city": "Lyon",
                                "website": None,
                            }
                        ]
                    ),
                    nav,
                ),
            )
        elif cluster_id == "s2e2":
            add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Nos adhérents", "/nos-adherents/")]))
            add(
                "/nos-adherents/",
                page(
                    site,
                    "Nos adhérents",
                    "<p>L'annuaire des adhérents sera bientôt en ligne."
                    '</p><img src="/img/logos-adherents.png" alt="">',
                    nav,
                ),
            )
        else:
            add("/", page(site, "Accueil", "<p>Bienvenue sur le site du pôle.</p>", nav))
        add("/le-pole/", page(site, "Le pôle", LE_POLE, nav))
        return out, {}
    form, layout, region, _ = FORMS[cluster_id]
    ms = members_of(cluster_id, used)
    for m in ms:
        assert region_of_postcode(m["postcode"]) == region or m["name"] in {
            n for n, *_ in ADVISOR_COMPANIES.get(cluster_id, []) + LOOK_ALIKES.get(cluster_id, [])
        }, (cluster_id, m)
    nav = [("Le pôle", "/le-pole/"), ("Contact", "/contact/")]
    add("/le-pole/", page(site, "Le pôle", LE_POLE, nav))
    directory = "/annuaire/"
    if layout == "dash_list":
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Nos adhérents", "/nos-adherents/")]))
        add("/nos-adherents/", page(site, "Nos adhérents", dash_list(ms), nav))
        directory = "/nos-adherents/"
    elif layout == "cards_by_section":
        # Two clicks away (home -> l'écosystème -> annuaire); one member listed under two sections.
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("L'écosystème", "/ecosysteme/")]))
        add(
            "/ecosysteme/",
            page(
                site,
                "L'écosystème",
                '<p>Découvrez <a href="/ecosysteme/annuaire-des-adherents/">l\'annuaire des adhérents</a>.</p>',
                nav,
            ),
        )
        half = len(ms) // 2
        body = (
            f"<section><h2>Entreprises</h2>{''.join(card(m) for m in ms[:half])}</section>"
            f"<section><h2>Recherche et formation</h2>{''.join(card(m) for m in ms[half:])}"
            f"{card(ms[0])}</section>"
        )
        add("/ecosysteme/annuaire-des-adherents/", page(site, "Annuaire des adhérents", body, nav))
        directory = "/ecosysteme/annuaire-des-adherents/"
    elif layout == "table":
        # The menu is built by a script: no link on the home page, the sitemap lists the directory.
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [("Contact", "/contact/")]))
        add(
            "/sitemap.xml",
            f'<?xml version="1.0"?><urlset><url><loc>{base}/</loc></url>'
            f"<url><loc>{base}/actualites/</loc></url><url><loc>{base}/annuaire/</loc></url></urlset>",
            XML,
        )
        add("/annuaire/", page(site, "Annuaire des membres", table(ms), nav))
    elif layout == "cards_with_contacts":
        # Cards that print a contact person with an e-mail and a phone: the organisation is kept, not them.
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Nos membres", "/nos-membres/")]))
        cards = []
        for n, m in enumerate(ms):
            who = CONTACT_PEOPLE[n % len(CONTACT_PEOPLE)]
            mail = f"{slug(who).replace('-', '.')}@{slug(m['name'])[:20]}.example"
            extra = (
                f'<p class="contact">Contact : {escape(who)} – <a href="mailto:{mail}">{mail}</a> – '
                f"04 72 {10 + n:02d} 3{n % 10} 4{n % 10}</p>"
            )
            cards.append(card(m, "member", "h4", extra))
        add("/nos-membres/", page(site, "Nos membres", f'<div class="members-grid">{"".join(cards)}</div>', nav))
        directory = "/nos-membres/"
    elif layout in ("table_pages", "wp_cards_pages", "pager_loop", "list_rel_next"):
        size = {"table_pages": 10, "wp_cards_pages": 9, "pager_loop": 8, "list_rel_next": 10}[layout]
        pages = chunks(ms, size)
        if layout == "pager_loop":  # one member printed again on the next page (dedupe)
            pages[1] = [*pages[1], pages[0][0]]
        urls = {
            "table_pages": lambda k: "/annuaire/" if k == 1 else f"/annuaire/?page={k}",
            "wp_cards_pages": lambda k: "/annuaire/" if k == 1 else f"/annuaire/page/{k}/",
            "pager_loop": lambda k: f"/annuaire/?p={k}",
            "list_rel_next": lambda k: "/members/" if k == 1 else f"/members/?start={(k - 1) * 10}",
        }[layout]
        label = "Members" if layout == "list_rel_next" else "Annuaire"
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, (label, urls(1))]))
        directory = urls(1)
        for k, chunk in enumerate(pages, 1):
            if layout == "table_pages":
                body = table(chunk, ("Raison sociale", "Catégorie", "Localisation", "Site web"))
                pager = "".join(f'<a href="{urls(j)}">{j}</a> ' for j in range(1, len(pages) + 1) if j != k)
                if k < len(pages):
                    pager += f'<a rel="next" href="{urls(k + 1)}">Suivant »</a>'
                body += f'<nav class="pagination" aria-label="Pagination">{pager}</nav>'
            elif layout == "wp_cards_pages":
                cards = "".join(card(m, "member-card", "h2") for m in chunk)
                if k == 1 and cluster_id == "alpha-rlh":  # a card whose name did not render
                    cards += '<div class="member-card"><h2></h2><span class="categorie">PME</span><p class="ville">33600 Pessac</p></div>'
                links = "".join(
                    f'<a class="page-numbers" href="{urls(j)}">{j}</a>' for j in range(1, len(pages) + 1) if j != k
                )
                if k < len(pages):
                    links += f'<a class="next page-numbers" href="{urls(k + 1)}">Page suivante</a>'
                body = f'<div class="members">{cards}</div><div class="nav-links">{links}</div>'
            elif layout == "pager_loop":
                nxt = urls(k + 1) if k < len(pages) else urls(1)  # the last page's "next" loops back to page 1
                body = table(chunk) + f'<ul class="pager"><li><a href="{nxt}">Suivant</a></li></ul>'
            else:
                items = "".join(
                    f"<li><strong>{escape(m['name'])}</strong> | {escape(m['label'])} | {escape(place(m))}"
                    f"{' | ' + site_link(m, escape(m['website'])) if m.get('website') else ''}</li>"
                    for m in chunk
                )
                body = f'<ul class="member-list">{items}</ul>'
                if k < len(pages):
                    body += f'<p><a rel="next" href="{urls(k + 1)}">Next page</a></p>'
            add(urls(k), page(site, label if k == 1 else f"{label} – page {k}", body, nav))
    elif layout.startswith("form_"):
        add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Annuaire des adhérents", "/annuaire/")]))
        if layout == "form_all_at_once":
            fields = (
                '<input type="search" name="q" placeholder="Nom"><select name="categorie">'
                '<option value="">Toutes catégories</option><option value="pme">PME</option></select>'
            )
            empty = {"q": "", "categorie": ""}
        elif layout == "form_letter_select":
            letters = "".join(f'<option value="{c}">{c}</option>' for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            fields = f'<select name="lettre"><option value="">Choisir une lettre</option>{letters}</select>'
            empty = {"lettre": ""}
        else:
            fields = '<label>Nom <input type="text" name="nom"></label>'
            empty = {"nom": ""}
        form_html = (
            f'<form class="member-search" method="get" action="/annuaire/resultats">{fields}'
            '<button type="submit">Rechercher</button></form>'
        )
        add("/annuaire/", page(site, "Annuaire des adhérents", "<p>Recherchez un adhérent.</p>" + form_html, nav))

        def results(chunk, note=""):
            if layout == "form_all_at_once":
                return table(chunk)
            if layout == "form_letter_select":
                return note + "".join(card(m, "resultat-adherent", "h3") for m in chunk)
            return (
                note
                + '<ul class="resultats">'
                + "".join(
                    f'<li><a href="{escape(m["website"] or "#")}">{escape(m["name"])}</a> — {escape(m["label"])} — '
                    f"{escape(m['city'])} ({m['postcode'][:2]})</li>"
                    if m.get("website")
                    else f"<li>{escape(m['name'])} — {escape(m['label'])} — {escape(m['city'])} ({m['postcode'][:2]})</li>"
                    for m in chunk
                )
                + "</ul>"
            )

        def results_url(params):
            return "/annuaire/resultats?" + urlencode(params)

        if layout == "form_all_at_once":
            add(results_url(empty), page(site, "Résultats", form_html + results(ms), nav))
        else:
            add(
                results_url(empty),
                page(site, "Résultats", form_html + "<p>Choisissez une lettre pour afficher les adhérents.</p>", nav),
            )
            key = next(iter(empty))
            for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
                chunk = [m for m in ms if fold(m["name"])[:1] == c.lower()]
                body = results(chunk) if chunk else "<p>Aucun adhérent pour cette lettre.</p>"
                add(results_url({key: c}), page(site, f"Adhérents – {c}", form_html + body, nav))
        directory = "/annuaire/"
    else:  # JSON endpoints

        def record(m, en=False, flat=True):
            if layout == "data_endpoint":
                return {
                    "nom": m["name"],
                    "categorie": m["label"],
                    "ville": m["city"],
                    "code_postal": m["postcode"],
                    "site_web": m["website"],
                    "logo": f"/media/logos/{slug(m['name'])}.png",
                }
            if layout == "inline_fetch_pages":
                return {
                    "name": m["name"],
                    "type": m["label"],
                    "city": m["city"],
                    "zip": m["postcode"],
                    "url": m["website"],
                }
            return {
                "raisonSociale": m["name"],
                "typologie": m["label"],
                "adresse": {"cp": m["postcode"], "commune": m["city"]},
                "siteInternet": m["website"],
                "referent": {"nom": CONTACT_PEOPLE[len(m["name"]) % len(CONTACT_PEOPLE)]},
            }

        if layout == "data_endpoint":
            add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Nos adhérents", "/nos-adherents/")]))
            add(
                "/nos-adherents/",
                page(
                    site,
                    "Nos adhérents",
                    '<div id="annuaire" data-endpoint="/api/adherents.json">'
                    'Chargement…</div><script src="/static/annuaire.js"></script>',
                    nav,
                ),
            )
            add("/api/adherents.json", json.dumps([record(m) for m in ms], ensure_ascii=False, indent=1), JSON)
            directory = "/nos-adherents/"
        elif layout == "inline_fetch_pages":
            add("/", page(site, "Accueil", "<p>Welcome.</p>", [*nav, ("Our members", "/members/")]))
            script = (
                "<script>document.addEventListener('DOMContentLoaded',function(){"
                "fetch('/wp-json/safe/v1/members?page=1').then(function(r){return r.json()})"
                ".then(render)});</script>"
            )
            add("/members/", page(site, "Our members", '<div id="members-app"></div>' + script, nav))
            first, second = ms[:12], ms[12:]
            add(
                "/wp-json/safe/v1/members?page=1",
                json.dumps(
                    {"results": [record(m) for m in first], "next": "/wp-json/safe/v1/members?page=2"},
                    ensure_ascii=False,
                ),
                JSON,
            )
            add(
                "/wp-json/safe/v1/members?page=2",
                json.dumps({"results": [record(m) for m in second], "next": None}, ensure_ascii=False),
                JSON,
            )
            directory = "/members/"
        else:  # yaml_hint: the page loads an external script; sources/pole_members.yml names the endpoint
            add("/", page(site, "Accueil", "<p>Bienvenue.</p>", [*nav, ("Nos membres", "/membres/")]))
            add(
                "/membres/",
                page(site, "Nos membres", '<div id="app"></div><script src="/static/js/membres.js"></script>', nav),
            )
            add(
                "/data/membres.json",
                json.dumps({"total": len(ms), "membres": [record(m) for m in ms]}, ensure_ascii=False),
                JSON,
            )
            directory = "/membres/"
    return out, {
        "cluster_id": cluster_id,
        "form": form,
        "layout": layout,
        "directory_url": base + directory,
        "members": len(ms) + (1 if layout == "cards_by_section" else 0),
        "unique": len(ms),
    }


def main() -> int:
    sites = [json.loads(line) for line in SITES.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_id = {s["cluster_id"]: s for s in sites}
    missing = set(FORMS) - {s["cluster_id"] for s in sites if s["website"]}
    if missing:
        raise SystemExit(f"pôles without a website in the sample: {sorted(missing)}")
    shutil.rmtree(OUT / "pages", ignore_errors=True)
    (OUT / "pages").mkdir(parents=True, exist_ok=True)
    used: set = {fold(n) for group in (ADVISOR_COMPANIES, LOOK_ALIKES) for ms in group.values() for n, *_ in ms}
    responses, layouts = [], {}
    for cid in sorted(by_id):
        website = by_id[cid]["website"]
        if not website:
            continue
        pages, record = build_site(cid, website, used)
        if record:
            layouts[cid] = record
        for url, status, headers, body in pages:
            parsed = urlparse(url)
            name = parsed.path.strip("/") or "index"
            if parsed.query:
                name += "__" + slug(parsed.query.replace("=", " ").replace("&", " "))
            ext = (
                ""
                if name.endswith((".json", ".xml", ".txt"))
                else (".json" if "json" in headers["Content-Type"] else ".html")
            )
            file = f"pages/{parsed.hostname}/{name}{ext}"
            (OUT / file).parent.mkdir(parents=True, exist_ok=True)
            (OUT / file).write_bytes(body)
            responses.append({"url": url, "status": status, "headers": headers, "file": file})
    files = [r["file"] for r in responses]
    assert len(files) == len(set(files)), "two responses share a file"
    manifest = {"source": "pole_members", "captured_at": CAPTURED_AT, "reconstruction": True, "responses": responses}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copy(SITES, OUT / "sites.jsonl")
    (OUT / "layouts.json").write_text(
        json.dumps(layouts, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    total = sum(r["unique"] for r in layouts.values())
    print(f"{len(layouts)} directories, {total} members, {len(responses)} responses -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
