"""Builds the sample snapshot of cnccef.org (committees and sections) from ../shared/reference.

A reconstruction, not a capture: the live site was never observed. Committees and
sections come from ``reference/facts/cce_committees.csv``; officers, companies and
member counts are invented (seeded, so the output is byte-for-byte deterministic).

    .venv/bin/python scripts/snapshots/build_cce_committees.py
"""

from __future__ import annotations

import csv
import html
import json
import random
import re
import shutil
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference" / "facts" / "cce_committees.csv"
OUT = REPO / "data" / "snapshots" / "cce_committees"
SITE = "https://www.cnccef.org"
CAPTURED_AT = "2026-11-01T06:00:00Z"
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}

# Sections beyond the 24 seen in a decree, picked to cover every continent.
EXTRA_SECTIONS = [
    "IT",
    "NL",
    "CH",
    "PL",
    "PT",
    "SE",
    "TR",
    "MA",
    "TN",
    "DZ",
    "SN",
    "CM",
    "ZA",
    "KE",
    "CN",
    "JP",
    "SG",
    "VN",
    "TW",
    "MX",
    "CL",
    "PE",
    "SA",
    "QA",
    "LB",
]
CONTINENTS = {
    "Europe": "AL BE DE ES GB GR HU IT NL CH PL PT SE TR",
    "Afrique": "CI GA BF DJ MA TN DZ SN CM ZA KE",
    "Moyen-Orient": "AE IR SA QA LB",
    "Asie-Pacifique": "HK KR IN BD ID AU CN JP SG VN TW",
    "Amériques": "US CA CO AR BR MX CL PE",
}
CONTINENT_OF = {code: c for c, codes in CONTINENTS.items() for code in codes.split()}

# Printed territory / région of the committees in France, where not the reference's own.
TERRITORY = {"Comité de Paris": "Paris"}
REGION = {
    "Comité Provence-Corse": ("Région", "Provence-Alpes-Côte d'Azur et Corse"),
    "Comité Nouvelle-Calédonie": ("Collectivité", "Nouvelle-Calédonie"),
    "Comité Polynésie française": ("Collectivité", "Polynésie française"),
}

GIVEN_M = [
    "Jean",
    "Pierre",
    "Philippe",
    "Laurent",
    "Olivier",
    "Nicolas",
    "François",
    "Christophe",
    "Éric",
    "Thierry",
    "Jean-Marc",
    "Bruno",
    "Alain",
    "Patrick",
    "Stéphane",
    "Marc",
    "Hervé",
    "Didier",
    "Guillaume",
    "Benoît",
]
GIVEN_F = [
    "Claire",
    "Isabelle",
    "Sophie",
    "Catherine",
    "Nathalie",
    "Valérie",
    "Anne",
    "Marie-Laure",
    "Sylvie",
    "Hélène",
    "Christine",
    "Caroline",
    "Agnès",
    "Véronique",
    "Émilie",
    "Florence",
    "Juliette",
    "Béatrice",
]
FAMILY = [
    "Dupont",
    "Martin-Lefèvre",
    "Bernard",
    "Lefèvre",
    "Moreau",
    "Girard",
    "Rousseau",
    "Fournier",
    "Mercier",
    "Blanc",
    "Garnier",
    "Faure",
    "Chevalier",
    "Perrin",
    "Morel",
    "Lemoine",
    "Roux",
    "Vasseur",
    "Aubert",
    "Marchand",
    "Renaud",
    "Picard",
    "Gautier",
    "Masson",
    "Brunet",
    "Colin",
    "Guérin",
    "Lacroix",
    "Carpentier",
    "Duval-Roche",
    "de Beaulieu",
    "Le Goff",
    "Kerbrat",
    "Baudry",
    "Texier",
    "Poulain",
    "Charpentier",
    "Leclerc",
    "du Mesnil",
    "Royer",
    "Hamel",
]
COMPANY_STEM = ["Exempl", "Fictiv", "Imagin", "Modél", "Témoin", "Illustr", "Prototyp"]
COMPANY_TAIL = ["ia Industrie", "a Conseil", "eo Export", "is Logistique", "ium Énergie", "ix Santé"]
COMPANY_FORM = ["SAS", "SA", "SARL"]


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str, body_class: str, breadcrumb: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="fr-FR">
<head>
<meta charset="utf-8">
<title>{esc(title)} – CNCCEF</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body class="{body_class}">
<header class="site-header">
  <a class="site-logo" href="{SITE}/">Comité national des conseillers du commerce extérieur de la France</a>
  <nav class="menu-principal">
    <ul>
      <li><a href="{SITE}/les-cce-en-france/">Les CCE en France</a></li>
      <li><a href="{SITE}/les-cce-dans-le-monde/">Les CCE dans le monde</a></li>
      <li><a href="{SITE}/contact/">Contact</a></li>
    </ul>
  </nav>
</header>
<nav class="breadcrumb" aria-label="Fil d'Ariane"><a href="{SITE}/">Accueil</a> › {breadcrumb}</nav>
<main id="main" class="site-main">
{body}
</main>
<footer class="site-footer">
  <p>© CNCCEF – <a href="{SITE}/mentions-legales/">Mentions légales</a> – <a href="{SITE}/contact/">Nous contacter</a></p>
</footer>
</body>
</html>
"""


class People:
    """Invented officers, never the same name twice."""

    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self.used: set[tuple[str, str]] = set()

    def person(self) -> tuple[bool, str, str]:
        while True:
            female = self.rng.random() < 0.4
            given = self.rng.choice(GIVEN_F if female else GIVEN_M)
            family = self.rng.choice(FAMILY)
            if (given, family) not in self.used:
                self.used.add((given, family))
                return female, given, family

    def company(self) -> str | None:
        if self.rng.random() < 0.2:
            return None
        return f"{self.rng.choice(COMPANY_STEM)}{self.rng.choice(COMPANY_TAIL)} {self.rng.choice(COMPANY_FORM)}"


def officers(people: People, abroad: bool) -> list[dict]:
    roles = [("Président", "Présidente")]
    roles += [("Vice-président", "Vice-présidente")] * (1 if abroad else people.rng.choice([1, 2]))
    roles += [("Secrétaire", "Secrétaire")] if abroad else [("Secrétaire général", "Secrétaire générale")]
    if not abroad or people.rng.random() < 0.5:
        roles.append(("Trésorier", "Trésorière"))
    out = []
    for male_role, female_role in roles:
        female, given, family = people.person()
        out.append(
            {
                "role": female_role if female else male_role,
                "honorific": "Mme" if female else "M.",
                "given": given,
                "family": family,
                "company": people.company(),
            }
        )
    return out


def display(o: dict, capitals: bool) -> str:
    family = o["family"].upper() if capitals else o["family"]
    return f"{o['honorific']} {o['given']} {family}"


def officers_ul(offs: list[dict], capitals: bool) -> str:
    lines = []
    for o in offs:
        company = f", <em>{esc(o['company'])}</em>" if o["company"] else ""
        lines.append(
            f'  <li><span class="fonction">{esc(o["role"])}</span> : {esc(display(o, capitals))}{company}</li>'
        )
    return '<h2>Le bureau</h2>\n<ul class="bureau">\n' + "\n".join(lines) + "\n</ul>"


def officers_table(offs: list[dict], capitals: bool) -> str:
    rows = []
    for o in offs:
        rows.append(
            f"    <tr><td>{esc(o['role'])}</td><td>{esc(display(o, capitals))}</td><td>{esc(o['company'] or '')}</td></tr>"
        )
    return (
        '<h2>Composition du bureau</h2>\n<table class="bureau">\n  <thead><tr><th>Fonction</th><th>Nom</th>'
        "<th>Entreprise</th></tr></thead>\n  <tbody>\n" + "\n".join(rows) + "\n  </tbody>\n</table>"
    )


def members_block(count: int | None, variant: int, what: str) -> str:
    if count is None:
        return ""
    if variant % 2 == 0:
        return f"<p>{what} compte aujourd'hui {count} conseillers du commerce extérieur de la France.</p>"
    return (
        f'<div class="chiffres-cles"><div class="chiffre"><span class="valeur">{count}</span> '
        f'<span class="libelle">conseillers</span></div></div>'
    )


def unit_page(
    i: int,
    name: str,
    facts: list[tuple[str, str]],
    url: str,
    people: People,
    abroad: bool,
    kind_class: str,
    breadcrumb: str,
) -> str:
    offs = officers(people, abroad)
    count = None if i % 7 == 3 else people.rng.randint(8, 60) if abroad else people.rng.randint(40, 420)
    facts_html = "\n".join(f"<p><strong>{esc(k)} :</strong> {esc(v)}</p>" for k, v in facts)
    what = "La section" if abroad else "Le comité"
    officer_html = officers_ul(offs, capitals=i % 3 == 0) if i % 2 == 0 else officers_table(offs, capitals=i % 3 != 1)
    contact = f"{SITE}/contact/?destinataire={url.rstrip('/').rsplit('/', 1)[-1]}"
    body = f"""<article class="{kind_class}">
<h1 class="entry-title">{esc(name)}</h1>
<div class="infos">
{facts_html}
</div>
{members_block(count, i, what)}
<p>{what} réunit des chefs d'entreprise et experts de l'international nommés par décret pour trois ans.</p>
{officer_html}
<h2>Contact</h2>
<p class="contact"><a href="{esc(contact)}">Écrire {"à la section" if abroad else "au comité"} via le formulaire de contact</a></p>
</article>"""
    return page(name, body, f"single {kind_class}", breadcrumb)


def main() -> None:
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    france = [r for r in rows if r["kind"] == "region"]
    confirmed = [r for r in rows if r["kind"] == "country" and r["source_note"].startswith("seen as country heading")]
    extra = [r for r in rows if r["kind"] == "country" and r["iso2_or_insee"] in EXTRA_SECTIONS]
    sections = confirmed + extra
    assert len(france) == 21 and len(confirmed) == 24 and len(extra) == len(EXTRA_SECTIONS)

    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "pages").mkdir(parents=True)
    responses = []

    def write(url: str, rel: str, text: str, content_type: str = "text/html; charset=utf-8") -> None:
        path = OUT / "pages" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        responses.append({"url": url, "status": 200, "headers": {"Content-Type": content_type}, "file": f"pages/{rel}"})

    write(
        f"{SITE}/robots.txt",
        "robots.txt",
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: https://www.cnccef.org/sitemap_index.xml\n",
        "text/plain; charset=utf-8",
    )

    people = People("cce_committees sample v1")

    # Committees in France: one listing, one page each.
    links = []
    for i, r in enumerate(france):
        name = r["committee_name"]
        territory = TERRITORY.get(name, re.sub(r"^Comité (de )?", "", name))
        label, region = REGION.get(name, ("Région", r["region_or_country"]))
        url = f"{SITE}/les-cce-en-france/{slug(territory)}/"
        links.append(f'  <li><a href="{url}">{esc(name)}</a></li>')
        html_ = unit_page(
            i,
            name,
            [("Territoire", territory), (label, region)],
            url,
            people,
            False,
            "comite-regional",
            f'<a href="{SITE}/les-cce-en-france/">Les CCE en France</a> › {esc(name)}',
        )
        write(url, f"les-cce-en-france/{slug(territory)}.html", html_)
    listing = (
        '<h1 class="entry-title">Les CCE en France</h1>\n<p>Les conseillers du commerce extérieur sont '
        'organisés en comités régionaux et territoriaux.</p>\n<ul class="liste-comites">\n'
        + "\n".join(links)
        + "\n</ul>"
    )
    write(
        f"{SITE}/les-cce-en-france/",
        "les-cce-en-france/index.html",
        page("Les CCE en France", listing, "page liste-comites", "Les CCE en France"),
    )

    # Sections abroad: a listing grouped by continent, two pages, one page per section.
    by_continent: dict[str, list[str]] = {c: [] for c in CONTINENTS}
    for i, r in enumerate(sections):
        name = r["committee_name"]
        country = r["region_or_country"]
        url = f"{SITE}/les-cce-dans-le-monde/{slug(country)}/"
        continent = CONTINENT_OF[r["iso2_or_insee"]]
        by_continent[continent].append(f'    <li><a href="{url}">{esc(name)}</a></li>')
        html_ = unit_page(
            i,
            name,
            [("Pays", country), ("Zone", continent)],
            url,
            people,
            True,
            "section-pays",
            f'<a href="{SITE}/les-cce-dans-le-monde/">Les CCE dans le monde</a> › {esc(name)}',
        )
        write(url, f"les-cce-dans-le-monde/{slug(country)}.html", html_)
    continents = list(CONTINENTS)
    pages = [continents[:2], continents[2:]]
    for n, group in enumerate(pages, start=1):
        blocks = []
        for c in group:
            blocks.append(
                f'<section class="continent">\n  <h2>{esc(c)}</h2>\n  <ul>\n'
                + "\n".join(sorted(by_continent[c]))
                + "\n  </ul>\n</section>"
            )
        nav = []
        if n > 1:
            prev = f"{SITE}/les-cce-dans-le-monde/" if n == 2 else f"{SITE}/les-cce-dans-le-monde/page/{n - 1}/"
            nav.append(f'<a class="prev page-numbers" href="{prev}">Précédent</a>')
        if n < len(pages):
            nav.append(f'<a class="next page-numbers" href="{SITE}/les-cce-dans-le-monde/page/{n + 1}/">Suivant</a>')
        body = (
            '<h1 class="entry-title">Les CCE dans le monde</h1>\n<p>Les conseillers établis à l\'étranger '
            "forment des sections pays.</p>\n" + "\n".join(blocks) + f'\n<nav class="pagination">{" ".join(nav)}</nav>'
        )
        url = f"{SITE}/les-cce-dans-le-monde/" if n == 1 else f"{SITE}/les-cce-dans-le-monde/page/{n}/"
        rel = "les-cce-dans-le-monde/index.html" if n == 1 else f"les-cce-dans-le-monde/page-{n}.html"
        write(url, rel, page("Les CCE dans le monde", body, "page liste-sections", "Les CCE dans le monde"))

    manifest = {
        "source": "cce_committees",
        "captured_at": CAPTURED_AT,
        "reconstruction": True,
        "responses": sorted(responses, key=lambda r: r["url"]),
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(README.format(n_france=len(france), n_sections=len(sections)), encoding="utf-8")
    print(f"wrote {len(responses)} responses to {OUT}")


README = """# Sample snapshot: cnccef.org committees and sections (reconstruction)

**This is not a capture of cnccef.org.** The live site was never observed from this
project's machines. These pages are a reconstruction, generated by
`scripts/snapshots/build_cce_committees.py` from the public facts in
`reference/facts/cce_committees.csv`, in the layout the `cce_committees` spider expects.

- {n_france} committees in France (every row of the reference table, including the overseas
  ones marked UNCERTAIN there) and {n_sections} country sections abroad (the 24 seen as headings
  in an appointment decree plus others marked "indicative" in the reference).
- **Every person named here is invented** (names drawn at random from common French given and
  family names); so are the companies (deliberately fictional names) and the member counts.
  Any resemblance to a real advisor is a coincidence.
- No e-mail address or phone number appears anywhere: each page links to a generic contact form.
- Layouts vary on purpose: officers as a `<ul>` or a `<table>`, family names in capitals or not,
  member count in a sentence, a stat block, or absent; the world listing is paginated and
  grouped by continent.
- `captured_at` ({captured_at}) is a nominal date for replay, not a capture date.

Regenerate: `.venv/bin/python scripts/snapshots/build_cce_committees.py` (deterministic).
""".replace("{captured_at}", CAPTURED_AT)

if __name__ == "__main__":
    main()
