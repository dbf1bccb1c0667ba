"""Build the pole_sites sample snapshot: a reconstructed website for every pôle that has one.

    .venv/bin/python scripts/snapshots/build_pole_sites.py

The pôles and their websites come from the bundled ``poles`` snapshot, read with the poles
parser and cleaned with the pipeline's own ``clean_clusters`` (so ``sites.jsonl`` holds the
same cluster ids and website URLs as the ``clusters`` table). Each site gets one layout of
``LAYOUTS`` (WordPress team grid, Drupal text fields, Bootstrap table, JSON-LD app, board PDF,
image-only board, dead governance link, robots.txt refusal, redirect to another domain, lists,
definition lists, English microdata cards, sitemap-only navigation, a site that is gone).

Every person is invented (names drawn from ``GIVEN`` / ``FAMILY``, which share no family name
with the sample's advisors, checked against the cce snapshots), except the seats of
``PLANTED``: names of advisors of the sample (and homonyms who are not them), placed on purpose
for the ties matcher; ``tests/files/pole_sites/expected_ties.csv`` lists them, by hand.
Deterministic: everything is drawn from ``random.Random(cluster_id)``.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from html import escape
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from common.issues import Issue  # noqa: E402
from common.places import fold  # noqa: E402
from common.sources import all_sources  # noqa: E402
from spiders.core.archive import open_archive  # noqa: E402

OUT = REPO / "data" / "snapshots" / "pole_sites"
CAPTURED_AT = "2026-11-01T06:00:00Z"
HTML = {"Content-Type": "text/html; charset=utf-8"}

GIVEN_F = [
    "Anne-Claire",
    "Hélène",
    "Solène",
    "Maëlle",
    "Agathe",
    "Bérénice",
    "Inès",
    "Joséphine",
    "Clémence",
    "Margaux",
    "Noémie",
    "Aurélie",
    "Léa",
    "Florence",
    "Gaëlle",
    "Isaure",
    "Ophélie",
    "Mathilde",
]
GIVEN_M = [
    "Jean-Baptiste",
    "Grégoire",
    "Yannick",
    "Thibault",
    "Loïc",
    "Arnaud",
    "Benoît",
    "Cédric",
    "Hugues",
    "Mathis",
    "Édouard",
    "Gaël",
    "Tanguy",
    "Rodolphe",
    "Sébastien",
    "Aurélien",
    "Quentin",
    "Félix",
]
FAMILY = [
    "Lemarchal",
    "Brossard",
    "Tessier",
    "Ferrand",
    "Castel",
    "Jacquet",
    "Barbier",
    "Hamonic",
    "Rivière",
    "Pons",
    "Arnal",
    "Guillot",
    "Bertin",
    "Maillard",
    "Cordier",
    "Lebrun",
    "Collet",
    "Prévost",
    "Huet",
    "Besson",
    "Rolland",
    "Charrier",
    "Vidal",
    "Blanchard",
    "Gilles",
    "Lucas",
    "Mallet",
    "Pasquier",
    "Bouvier",
    "Le Floch",
    "de Kergariou",
    "Saint-Aubin",
    "Du Plessis",
    "Nguyen-Duval",
    "Ollivier",
    "Marchetti",
    "Lagarde",
    "Fontaine-Roy",
    "Cazenave",
    "Etchebarne",
]
ORG_STEM = ["Esquisso", "Maquetta", "Brouillor", "Ébauchix", "Croquis", "Patronix", "Gabarit", "Calquo"]
ORG_KIND = [
    "Composites",
    "Robotique",
    "Agroalimentaire",
    "Photonique",
    "Numérique",
    "Matériaux",
    "Biotech",
    "Hydraulique",
]
ORG_FORM = ["SAS", "SA", "", "SARL"]
ACADEMIC = [
    "Université de Démonstration",
    "École d'ingénieurs Exemple",
    "Laboratoire Fictif (CNRS)",
    "Institut Modèle de Recherche",
    "CCI Exemple",
]

# Seats placed on purpose: advisors of the sample (exact, accented, initial, compound,
# particle variants) and homonyms who are not them. cluster_id -> [(name, role, organisation, body)].
PLANTED = {
    "i-r": [("Valérie Brunet", "Vice-présidente", "Imaginium Énergie SAS", "bureau")],
    "pmm": [("Paul-Henri GIRAUD", "Trésorier", "Calanques Marine", "bureau")],
    "minalogic": [("R. Chabert", "Administrateur", "Chabert Mécanique", "board")],
    "av": [("Laurent Aubert", "Administrateur", "Prototypis Logistique", "board")],
    "cap-digital": [("Veronique Dupont", "Vice-présidente", "Imagineo Export", "bureau")],
    "nextmove": [("Isabelle GIRARD", "Administratrice", "Témoinix Santé SARL", "board")],
    "hippolia": [("Nicolas Baudry", "Administrateur", None, "board")],
    "vitagora": [("François de Beaulieu", "Treasurer", "Modélis Logistique SA", "bureau")],
    "capenergies": [("Béatrice Masson", "Référente internationale (CCE)", "Illustreo Export SA", "team")],
    "pmt": [("Laurent Picard", "Secrétaire", "Imaginia Industrie", "bureau")],
    # homonyms: same name as an advisor, another company, a pôle outside the advisor's committee
    "valorial": [("Didier Carpentier", "Administrateur", "Carpentier Salaisons", "board")],
    "tenerrdis": [("Sylvie Lacroix", "Administratrice", "Université Grenoble Alpes", "board")],
    "derbi": [("Marc Marchand", "Administrateur", "Marchand Solaire", "board")],
    "b4c": [("Nathalie Dupont", "Administratrice", "Coopérative Dupont Agri", "board")],
    "agri-soi": [("Philippe Aubert", "Administrateur", "Aubert Semences", "board")],
    "id4car": [("Jean de Beaulieu", "Administrateur", "Beaulieu Automobiles", "board")],
}
# Advisors named only where no seat is: a footer's publication director, a news item.
FOOTER_PERSON = {"systematic": "Guillaume Charpentier"}
NEWS_PERSON = {"medicen": "Catherine Brunet", "lyonbiopole": "Jean Masson"}

# Layout of each pôle; the failure cases and the planted seats are placed by hand, the rest cycle.
FIXED_LAYOUT = {
    "i-r": "wp_team_grid",
    "capenergies": "wp_team_grid",
    "pmm": "drupal_fields",
    "pmt": "drupal_fields",
    "minalogic": "bootstrap_table",
    "av": "jsonld_app",
    "cap-digital": "pdf_board",
    "nextmove": "list_dashes",
    "hippolia": "dl_definitions",
    "vitagora": "microdata_en",
    "atlanpole-bio": "sitemap_only",
    "euramaterials": "governance_404",
    "techtera": "robots_disallow",
    "pec": "offsite_redirect",
    "s2e2": "image_only",
    "fibres-energivie": "site_gone",
}
READABLE = [
    "wp_team_grid",
    "drupal_fields",
    "bootstrap_table",
    "jsonld_app",
    "pdf_board",
    "list_dashes",
    "dl_definitions",
    "microdata_en",
    "sitemap_only",
]
LAYOUTS = READABLE + ["image_only", "governance_404", "robots_disallow", "offsite_redirect", "site_gone"]


# --- the pôles, as the pipeline sees them ---------------------------------------------------


def clusters() -> list[dict]:
    from pipelines.clean.clusters import clean_clusters
    from spiders.core.routing import route_for
    from spiders.parse import build_response
    from spiders.poles.routes import ROUTES

    archive = open_archive(REPO / "data" / "snapshots" / "poles")
    detail = route_for(ROUTES, None, kind="detail")
    items = []
    for url in sorted(archive.urls()):
        if detail.matches_url(url):
            rec = archive.get(url)
            items += [x for x in detail.parse(build_response(rec.body, rec.headers, url)) if not isinstance(x, Issue)]
    frame, _ = clean_clusters(items)
    return frame[["cluster_id", "name", "short_name", "website"]].to_dict("records")


def cce_sources() -> list[str]:
    """The sources whose own crawl feeds the advisors table (committees, decrees), as the registry says."""
    return [s.name for s in all_sources() if "advisors" in s.tables and not s.inputs]


def advisors_text() -> str:
    """Folded text of the CCE snapshots: invented family names must not appear in it."""
    parts = []
    for source in cce_sources():
        for path in sorted((REPO / "data" / "snapshots" / source / "pages").rglob("*")):
            if path.is_file():
                parts.append(path.read_bytes().decode("utf-8", "replace"))
    return " " + fold(" ".join(parts)) + " "


# --- invented people ------------------------------------------------------------------------


def person(rng: random.Random, used: set) -> tuple[str, str]:
    while True:
        gender = rng.choice("FM")
        given = rng.choice(GIVEN_F if gender == "F" else GIVEN_M)
        family = rng.choice(FAMILY)
        if rng.random() < 0.2:
            family = family.upper()
        name = f"{given} {family}"
        if fold(name) not in used:
            used.add(fold(name))
            return name, gender


def organisation(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(ACADEMIC)
    return " ".join(x for x in (rng.choice(ORG_STEM), rng.choice(ORG_KIND), rng.choice(ORG_FORM)) if x)


ROLE_LABELS = {
    ("president", "F"): "Présidente",
    ("president", "M"): "Président",
    ("vice_president", "F"): "Vice-présidente",
    ("vice_president", "M"): "Vice-président",
    ("treasurer", "F"): "Trésorière",
    ("treasurer", "M"): "Trésorier",
    ("secretary", "F"): "Secrétaire",
    ("secretary", "M"): "Secrétaire général",
    ("board_member", "F"): "Administratrice",
    ("board_member", "M"): "Administrateur",
    ("director", "F"): "Directrice générale",
    ("director", "M"): "Délégué général",
    ("international", "F"): "Chargée de mission Europe & International",
    ("international", "M"): "Responsable des affaires internationales",
    ("staff", "F"): "Chargée de mission innovation",
    ("staff", "M"): "Chef de projet",
}
EN_LABELS = {
    "president": "Chair",
    "vice_president": "Vice-Chair",
    "treasurer": "Treasurer",
    "secretary": "Secretary",
    "board_member": "Board member",
    "director": "Managing Director",
    "international": "Head of International Affairs",
    "staff": "Project Manager",
}


def seats_of(cluster_id: str, rng: random.Random, used: set, english: bool = False) -> list[dict]:
    """The pôle's invented governance: bureau, board, executive and team, plus its planted seats."""
    plan = [("president", "bureau"), ("vice_president", "bureau"), ("treasurer", "bureau"), ("secretary", "bureau")]
    plan += [("board_member", "board")] * rng.randint(2, 3)
    plan += [("director", "executive"), ("staff", "team")]
    if rng.random() < 0.6:
        plan.append(("international", "team"))
    out = []
    for kind, body in plan:
        name, gender = person(rng, used)
        label = EN_LABELS[kind] if english else ROLE_LABELS[(kind, gender)]
        org = organisation(rng) if body in ("bureau", "board") else None
        out.append({"name": name, "role": label, "kind": kind, "body": body, "org": org})
    for name, role, org, body in PLANTED.get(cluster_id, []):
        out.append({"name": name, "role": role, "kind": None, "body": body, "org": org})
    return out


# --- page furniture ---------------------------------------------------------------------------


def shell(
    title: str,
    main: str,
    nav: list[tuple[str, str]],
    news_person: str | None,
    director: str,
    site_name: str,
    sidebar: bool = True,
) -> str:
    links = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for t, h in nav)
    aside = ""
    if sidebar:
        who = news_person or "Agathe Lemarchal"
        aside = (
            '<aside class="sidebar-news"><h2>Actualités</h2>'
            f'<article><time datetime="2026-10-12">12 octobre 2026</time><h3>{escape(who)}, nouvelle présidente '
            "de la commission innovation</h3><p>Présidente : " + escape(who) + " (Esquisso Numérique)</p></article>"
            '<div class="widget"><p>Nomination : Hugues Cazenave, Directeur général de Gabarit Robotique</p></div>'
            "</aside>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>'
        f"{escape(title)} | {escape(site_name)}</title></head><body>"
        f'<header class="site-header"><a class="logo" href="/">{escape(site_name)}</a>'
        f'<nav class="main-menu"><ul><li><a href="/">Accueil</a></li>{links}'
        '<li><a href="/actualites/">Actualités</a></li><li><a href="/adherer/">Adhérer</a></li></ul></nav></header>'
        f"<main><h1>{escape(title)}</h1>{main}</main>{aside}"
        '<footer class="site-footer"><p>Directeur de la publication : ' + escape(director) + "</p>"
        "<p>Hébergeur : Hébergement Exemple SAS, 1 rue du Serveur, 59000 Lille</p>"
        "<p>Crédits photo : Tanguy Etchebarne</p>"
        '<p><a href="/mentions-legales/">Mentions légales</a> © 2026</p></footer>'
        "</body></html>\n"
    )


def home(site_name: str, nav, news_person, director, schema: str = "") -> str:
    who = news_person or "Solène Arnal"
    main = (
        f"<p>{escape(site_name)} fédère entreprises, laboratoires et centres de formation de son territoire.</p>"
        '<section class="news-list"><h2>À la une</h2>'
        f'<article class="post"><time datetime="2026-10-02">2 octobre 2026</time><h3>{escape(who)} élu(e) '
        "président(e) du comité des financeurs</h3><p>Vice-président : Grégoire Lagarde (Calquo Photonique)</p></article>"
        "</section>"
    )
    page = shell("Accueil", main, nav, None, director, site_name, sidebar=False)
    return page.replace("</head>", schema + "</head>") if schema else page


# --- governance layouts ------------------------------------------------------------------------

HEADINGS_FR = {
    "bureau": "Le bureau",
    "board": "Le conseil d'administration",
    "executive": "La direction",
    "team": "L'équipe permanente",
}
HEADINGS_EN = {"bureau": "Officers", "board": "Board of Directors", "executive": "Management", "team": "Our team"}


def _by_body(seats):
    for body in ("bureau", "board", "executive", "team"):
        group = [s for s in seats if s["body"] == body]
        if group:
            yield body, group


def wp_team_grid(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        cards = "".join(
            '<div class="wp-block-column team-member">'
            f'<figure class="wp-block-image"><img src="/wp-content/uploads/portrait-{i}.jpg" alt=""></figure>'
            f'<h3 class="team-member__name">{escape(s["name"])}</h3>'
            f'<p class="team-member__role">{escape(s["role"])}</p>'
            + (f'<p class="team-member__company">{escape(s["org"])}</p>' if s["org"] else "")
            + '<p><a href="https://www.linkedin.com/">LinkedIn</a></p></div>'
            for i, s in enumerate(group)
        )
        parts.append(
            f'<h2 class="wp-block-heading">{HEADINGS_FR[body]}</h2><div class="wp-block-columns team-grid">{cards}</div>'
        )
    return "".join(parts)


def drupal_fields(seats, vacant: bool) -> str:
    parts = []
    for body, group in _by_body(seats):
        lines = "<br>\n".join(
            f"<strong>{escape(s['role'])} :</strong> {escape(s['name'])}"
            + (f" ({escape(s['org'])})" if s["org"] else "")
            for s in group
        )
        if body == "bureau" and vacant:
            lines += "<br>\n<strong>Secrétaire adjoint :</strong> poste vacant"
        parts.append(f'<h2 class="field__label">{HEADINGS_FR[body]}</h2><div class="field__item"><p>{lines}</p></div>')
    return f'<div class="field field--name-body field--type-text-with-summary">{"".join(parts)}</div>'


def bootstrap_table(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        rows = "".join(
            f"<tr><td>{escape(s['name'])}</td><td>{escape(s['role'])}</td><td>{escape(s['org'] or '')}</td></tr>"
            for s in group
        )
        parts.append(
            f'<h2 class="h4 mt-4">{HEADINGS_FR[body]}</h2><div class="table-responsive"><table class="table table-striped">'
            f"<thead><tr><th>Nom</th><th>Fonction</th><th>Entreprise / organisme</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    return '<div class="container"><div class="row"><div class="col-12">' + "".join(parts) + "</div></div></div>"


def jsonld_app(seats, site_name: str, site_url: str) -> str:
    members = []
    for s in seats:
        person = {"@type": "Person", "name": s["name"], "jobTitle": s["role"]}
        if s["org"]:
            person["worksFor"] = {"@type": "Organization", "name": s["org"]}
        members.append({"@type": "OrganizationRole", "roleName": s["role"], "member": person})
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": site_name,
        "url": site_url,
        "member": members,
    }
    return '<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False) + "</script>"


def list_dashes(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        items = "".join(
            f"<li>{escape(s['name'])} – {escape(s['role'])}" + (f" – {escape(s['org'])}" if s["org"] else "") + "</li>"
            for s in group
        )
        parts.append(f'<h3>{HEADINGS_FR[body]}</h3><ul class="liste-membres">{items}</ul>')
    return "".join(parts)


def dl_definitions(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        items = "".join(
            f"<dt>{escape(s['role'])}</dt><dd>{escape(s['name'])}"
            + (f"<br>{escape(s['org'])}" if s["org"] else "")
            + "</dd>"
            for s in group
        )
        parts.append(f'<h2>{HEADINGS_FR[body]}</h2><dl class="instances">{items}</dl>')
    return "".join(parts)


def microdata_en(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        cards = "".join(
            '<div class="person-card" itemscope itemtype="https://schema.org/Person">'
            f'<span class="person-name" itemprop="name">{escape(s["name"])}</span>'
            f'<span class="person-title" itemprop="jobTitle">{escape(s["role"])}</span>'
            + (
                f'<span class="person-org" itemprop="worksFor" itemscope itemtype="https://schema.org/Organization">'
                f'<span itemprop="name">{escape(s["org"])}</span></span>'
                if s["org"]
                else ""
            )
            + "</div>"
            for s in group
        )
        parts.append(f'<h2>{HEADINGS_EN[body]}</h2><div class="people">{cards}</div>')
    return "".join(parts)


def text_lines(seats) -> str:
    parts = []
    for body, group in _by_body(seats):
        lines = "".join(
            f"<p>{escape(s['role'])} : {escape(s['name'])}" + (f", {escape(s['org'])}" if s["org"] else "") + "</p>"
            for s in group
        )
        parts.append(f"<h2>{HEADINGS_FR[body]}</h2>{lines}")
    return "".join(parts)


def pdf_board(lines: list[str]) -> bytes:
    """A one-page PDF whose text is ``lines`` (Helvetica, WinAnsiEncoding: accents survive)."""

    def literal(text: str) -> str:
        raw = text.encode("cp1252")
        return "".join(chr(b) if 32 <= b < 127 and chr(b) not in "()\\" else f"\\{b:03o}" for b in raw)

    ops = ["BT", "/F1 10 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        ops.append(f"({literal(line)}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- one site ------------------------------------------------------------------------------


def build_site(cluster: dict, layout: str, used: set) -> list[tuple[str, int, dict, bytes]]:
    """(url, status, headers, body) of every response of one pôle's site."""
    cid, root = cluster["cluster_id"], cluster["website"].rstrip("/")
    rng = random.Random(cid)
    name = cluster["short_name"] or cluster["name"]
    director, _ = person(rng, used)
    director = FOOTER_PERSON.get(cid, director)
    news = NEWS_PERSON.get(cid)
    robots = "User-agent: *\nDisallow: /wp-admin/\nAllow: /\n"
    out = []

    def add(path, body, status=200, headers=HTML):
        out.append((root + path, status, headers, body.encode("utf-8") if isinstance(body, str) else body))

    if layout == "site_gone":
        return []  # nothing answers: the home page is not in the archive (a 404 on replay)
    if layout == "offsite_redirect":
        add("/robots.txt", robots, headers={"Content-Type": "text/plain"})
        add("/", b"", 301, {"Location": "https://www.nouveau-site-du-pole.example/", "Content-Type": "text/html"})
        return out

    seats = seats_of(cid, rng, used, english=layout == "microdata_en")
    gov_path = {
        "wp_team_grid": "/gouvernance/",
        "drupal_fields": "/qui-sommes-nous/conseil-d-administration",
        "bootstrap_table": "/le-pole/instances",
        "jsonld_app": "/equipe",
        "pdf_board": "/gouvernance/",
        "list_dashes": "/a-propos/gouvernance/",
        "dl_definitions": "/nos-instances/",
        "microdata_en": "/en/about-us/board/",
        "sitemap_only": "/l-association/gouvernance/",
        "image_only": "/gouvernance/",
        "governance_404": "/gouvernance/",
        "robots_disallow": "/equipe/",
    }[layout]
    link_text = {
        "drupal_fields": "Qui sommes-nous ?",
        "microdata_en": "Board",
        "jsonld_app": "Équipe",
        "robots_disallow": "Notre équipe",
        "bootstrap_table": "Instances",
        "dl_definitions": "Nos instances",
    }.get(layout, "Gouvernance")
    nav = (
        []
        if layout == "sitemap_only"
        else [(link_text, "/qui-sommes-nous/" if layout == "drupal_fields" else gov_path)]
    )
    schema = ""
    if layout == "sitemap_only":
        schema = '<script src="/assets/menu.js" defer></script>'
    add(
        "/robots.txt",
        robots + ("Disallow: /equipe/\n" if layout == "robots_disallow" else ""),
        headers={"Content-Type": "text/plain"},
    )
    add("/", home(name, nav, news, director, schema))

    def page(title, main, sidebar=True):
        return shell(title, main, nav, news, director, name, sidebar)

    if layout == "wp_team_grid":
        gov = [s for s in seats if s["body"] != "team"]
        team = [s for s in seats if s["body"] == "team"]
        add(gov_path, page("Gouvernance", wp_team_grid(gov) + '<p><a href="/equipe/">Découvrir l\'équipe</a></p>'))
        add("/equipe/", page("L'équipe", wp_team_grid(team)))
    elif layout == "drupal_fields":
        add(
            "/qui-sommes-nous/",
            page(
                "Qui sommes-nous ?",
                "<p>Le pôle est une association loi 1901.</p>"
                f'<p><a href="{gov_path}">Le conseil d\'administration et le bureau</a></p>',
            ),
        )
        add(gov_path, page("Conseil d'administration", drupal_fields(seats, vacant=cid in ("pmt",))))
    elif layout == "bootstrap_table":
        add(gov_path, page("Les instances du pôle", bootstrap_table(seats)))
    elif layout == "jsonld_app":
        app = '<div id="app" data-page="equipe"></div><noscript>Activez JavaScript pour afficher l\'équipe.</noscript>'
        body = page("L'équipe", app, sidebar=False).replace("</head>", jsonld_app(seats, name, root + "/") + "</head>")
        add(gov_path, body)
    elif layout == "pdf_board":
        lines = [f"Composition du conseil d'administration de {name} (assemblée générale 2026)", ""]
        for body, group in _by_body(seats):
            lines.append(HEADINGS_FR[body])
            lines += [f"{s['role']} : {s['name']}" + (f" ({s['org']})" if s["org"] else "") for s in group]
        pdf = pdf_board(lines)
        add(
            gov_path,
            page(
                "Gouvernance",
                "<p>Le pôle est gouverné par son conseil d'administration, élu par "
                'l\'assemblée générale.</p><p><a href="/wp-content/uploads/2026/06/composition-ca.pdf">'
                "Composition du conseil d'administration (PDF)</a></p>",
            ),
        )
        add("/wp-content/uploads/2026/06/composition-ca.pdf", pdf, headers={"Content-Type": "application/pdf"})
    elif layout == "list_dashes":
        add(gov_path, page("Gouvernance", list_dashes(seats)))
    elif layout == "dl_definitions":
        add(gov_path, page("Nos instances", dl_definitions(seats)))
    elif layout == "microdata_en":
        add(gov_path, page("Board and team", microdata_en(seats)))
    elif layout == "sitemap_only":
        urls = [root + "/", root + gov_path, root + "/actualites/"]
        sitemap = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{u}</loc></url>" for u in urls)
            + "</urlset>\n"
        )
        add("/sitemap.xml", sitemap, headers={"Content-Type": "application/xml"})
        add(gov_path, page("Gouvernance", text_lines(seats)))
    elif layout == "image_only":
        add(
            gov_path,
            page("Gouvernance", '<figure><img src="/images/organigramme-ca-2026.png" alt="Organigramme"></figure>'),
        )
    elif layout == "robots_disallow":
        add(gov_path, page("Notre équipe", wp_team_grid(seats)))  # archived, but robots.txt forbids it
    # governance_404: the link is there, the page is not (a 404 on replay)
    return out


def main() -> int:
    forbidden = advisors_text()
    clash = [f for f in FAMILY if f" {fold(f)} " in forbidden]
    if clash:
        raise SystemExit(f"invented family names found in the CCE snapshots: {clash}")
    if OUT.exists():
        shutil.rmtree(OUT / "pages", ignore_errors=True)
    (OUT / "pages").mkdir(parents=True, exist_ok=True)
    poles = clusters()
    used: set = set()
    responses, sites, layouts = [], [], {}
    readable = iter(READABLE * 10)
    for cluster in poles:
        sites.append({"cluster_id": cluster["cluster_id"], "website": cluster["website"]})
        if not cluster["website"]:
            continue
        layout = FIXED_LAYOUT.get(cluster["cluster_id"]) or next(readable)
        layouts[cluster["cluster_id"]] = layout
        for url, status, headers, body in build_site(cluster, layout, used):
            parsed = urlparse(url)
            path = parsed.path.strip("/") or "index"
            ext = "" if path.endswith((".pdf", ".xml", ".txt")) else ".html"
            file = f"pages/{parsed.hostname}/{path}{ext}"
            (OUT / file).parent.mkdir(parents=True, exist_ok=True)
            (OUT / file).write_bytes(body)
            responses.append(
                {"url": url if parsed.path else url + "/", "status": status, "headers": headers, "file": file}
            )
    missing = set(PLANTED) - set(layouts)
    if missing:
        raise SystemExit(f"planted seats on pôles without a site: {sorted(missing)}")
    manifest = {"source": "pole_sites", "captured_at": CAPTURED_AT, "reconstruction": True, "responses": responses}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "sites.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sites), encoding="utf-8")
    (OUT / "layouts.json").write_text(json.dumps(layouts, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(layouts)} sites, {len(set(layouts.values()))} layouts, {len(responses)} responses -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
