"""Build the sample snapshot of the cce_appointments source (a reconstruction, not a capture).

Two CCE appointment decrees as Légifrance text pages, in the two layouts the parser
reads: an older OCR-style transcription (2023) and a newer layout with positions,
companies and nomination / renouvellement sections (2025). Every person and company
is invented. Headings are checked against reference/facts/cce_committees.csv so
every appointee maps to a committee of the reference (and of the cce_committees sample).

Writes data/snapshots/cce_appointments/{manifest.json, README.md, pages/, text/}.
Deterministic: run it twice, get the same bytes.
"""

from __future__ import annotations

import csv
import html
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from common.countries import country_code  # noqa: E402
from common.places import region_code  # noqa: E402

REFERENCE = REPO / "reference" / "facts" / "cce_committees.csv"
OUT = REPO / "data" / "snapshots" / "cce_appointments"
SITE = "https://www.legifrance.gouv.fr"
CAPTURED_AT = "2026-11-01T06:00:00Z"
TITLE = "portant nomination de conseillers du commerce extérieur de la France"

# Sections the cce_committees sample holds (so replayed tables join end to end).
COMMITTEE_SAMPLE_SECTIONS = set(
    "AL BE DE ES GB GR HU IT NL CH PL PT SE TR CI GA BF DJ MA TN DZ SN CM ZA KE "
    "AE IR SA QA LB HK KR IN BD ID AU CN JP SG VN TW US CA CO AR BR MX CL PE".split()
)

# (a) Older layout: OCR "1o"/"M m e", UPPERCASE unaccented countries, names only.
OLD = {
    "text_id": "JORFTEXT000048601234",
    "title": f"Décret du 14 décembre 2023 {TITLE}",
    "jorf": "JORF n°0290 du 15 décembre 2023",
    "texte": "Texte n° 61",
    "nor": "ECOT2333861D",
    "intro": "Par décret du Président de la République en date du 14 décembre 2023, sont nommés "
    "conseillers du commerce extérieur de la France pour une durée de trois ans :",
    "sections": [
        (
            None,
            [
                (
                    "1o Pour la métropole",
                    [
                        ("Région Auvergne-Rhône-Alpes", ["M. Arnoult (Bastien, Claude).", "M m e Berthelin (Odile)."]),
                        ("Région Bretagne", ["Mme Kervella (Soizic).", "M. Le Goff (Yann, Marie, Joseph)."]),
                        ("Provence-Alpes-Côte d'Azur", ["M. Roquebrune (Jean, Hubert de).", "Mme Santoni (Laetitia)."]),
                        ("Région Hauts-de-France", ["M. Vandamme (Pierre)."]),
                    ],
                ),
                (
                    "2o Pour l'outre-mer",
                    [
                        ("La Réunion", ["M. Payet (Rudy)."]),
                    ],
                ),
                (
                    "3o A l'étranger",
                    [
                        ("ALLEMAGNE", ["M. Faure (Mathieu).", "M m e Hoffmann-Roux (Claire, Anne)."]),
                        ("COREE", ["M. Chassagne (Olivier)."]),
                        ("COTE D'IVOIRE", ["Mme Kouassi-Lemaire (Aminata)."]),
                        ("ETATS-UNIS", ["M. Delmas (François, Xavier).", "Mme Ortiz (Hélène)."]),
                        ("GRANDE-BRETAGNE", ["M. Arcy (Luc, d')."]),
                        ("HONG KONG", ["M. Tan (Wei, Laurent)."]),
                    ],
                ),
            ],
        ),
    ],
}

# (b) Newer layout: sections by kind, positions and companies after the name.
NEW = {
    "text_id": "JORFTEXT000052583419",
    "title": f"Décret du 18 novembre 2025 {TITLE}",
    "jorf": "JORF n°0270 du 19 novembre 2025",
    "texte": "Texte n° 44",
    "nor": "ECOT2529114D",
    "intro": "Sont nommés conseillers du commerce extérieur de la France pour une durée de trois ans :",
    "sections": [
        (
            "I. – Au titre d'une première nomination",
            [
                (
                    "1° En France",
                    [
                        ("Région Occitanie", ["M. Faure (Mathieu), directeur commercial, Garonne Composites."]),
                        (
                            "Région Île-de-France",
                            ["Mme Benali (Sarah), directrice des affaires internationales, Lutèce Diagnostics SAS."],
                        ),
                        ("Région Sud", ["M. Giraud (Paul-Henri), président, Calanques Marine."]),
                    ],
                ),
                (
                    "2° A l'étranger",
                    [
                        ("Japon", ["M. Morel (Antoine), directeur général, Morel Asia KK."]),
                        ("Brésil", ["Mme Carvalho (Inês), directrice financière, Paraná Agro Ltda."]),
                    ],
                ),
            ],
        ),
        (
            "II. – Au titre d'un renouvellement",
            [
                (
                    "1° En France",
                    [
                        (
                            "Région Auvergne-Rhône-Alpes",
                            ["M. Chabert (Rémi, Louis), président-directeur général, Chabert Mécanique."],
                        ),
                        ("Région Bretagne", ["Mme Le Bihan (Gwenaëlle), directrice export, Armor Cidres."]),
                    ],
                ),
                (
                    "2° A l'étranger",
                    [
                        ("États-Unis", ["M. Lacombe (Thierry, de), vice-président, Lacombe Logistics Inc."]),
                    ],
                ),
            ],
        ),
    ],
}


def reference_places() -> tuple[set[str], set[str]]:
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    countries = {r["iso2_or_insee"] for r in rows if r["kind"] == "country"}
    regions = {c for r in rows if r["kind"] == "region" for c in r["iso2_or_insee"].split(";")}
    return countries, regions


def check_headings(decree: dict, countries: set[str], regions: set[str]) -> None:
    for _, parts in decree["sections"]:
        for part, headings in parts:
            for heading, _ in headings:
                if "tranger" in part:
                    code = country_code(heading)
                    assert code in countries and code in COMMITTEE_SAMPLE_SECTIONS, (heading, code)
                else:
                    assert region_code(heading) in regions, heading


def body_lines(decree: dict) -> list[str]:
    lines = [decree["intro"]]
    for kind, parts in decree["sections"]:
        if kind:
            lines.append(kind)
        for part, headings in parts:
            lines.append(part)
            for heading, people in headings:
                lines.append(heading)
                lines.extend(people)
    return lines


CLOSING = [
    "Article 2",
    "Le ministre de l'économie, des finances et de la souveraineté industrielle et numérique "
    "est chargé de l'exécution du présent décret, qui sera publié au Journal officiel de la République française.",
    "Fait le 18 novembre 2025.",
]


def page(decree: dict, newer: bool) -> str:
    e = html.escape
    lines = body_lines(decree)
    if newer:
        # Newer pages: one <p> per line, an article heading, the execution clause.
        body = '<p class="article-title">Article 1</p>\n' + "\n".join(f"<p>{e(l)}</p>" for l in lines)
        body += "\n" + "\n".join(f"<p>{e(l)}</p>" for l in CLOSING)
    else:
        # Older transcriptions: the whole list in one paragraph, lines cut by <br/>.
        body = "<p>" + "<br/>\n".join(e(l) for l in lines) + "</p>"
    url = f"{SITE}/jorf/id/{decree['text_id']}"
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{e(decree["title"])} - Légifrance</title>
<link rel="canonical" href="{url}">
</head>
<body>
<header role="banner"><a href="/" title="Accueil Légifrance">Légifrance</a>
<nav><a href="/liste/jo">Journal officiel</a> <a href="/rechercher">Rechercher</a></nav></header>
<main id="main" role="main">
<div class="main-col">
<nav class="breadcrumb"><a href="/">Accueil</a> &gt; <a href="/liste/jo">JORF</a> &gt; {e(decree["jorf"])}</nav>
<h1 class="main-title">{e(decree["title"])}</h1>
<div class="jo-reference"><p>{e(decree["jorf"])}<br/>{e(decree["texte"])}</p></div>
<ul class="list-informations">
<li>NOR : {e(decree["nor"])}</li>
<li>ELI : Non disponible</li>
</ul>
<div class="page-content folding-element">
<article>
<div class="content">
{body}
</div>
</article>
</div>
<p class="version-info">Version initiale</p>
</div>
</main>
<footer role="contentinfo"><a href="/contenu/pied-de-page/mentions-legales">Mentions légales</a></footer>
</body>
</html>
"""


def text(decree: dict, newer: bool) -> str:
    lines = [decree["title"], decree["jorf"], decree["texte"], f"NOR : {decree['nor']}"]
    lines += (["Article 1"] if newer else []) + body_lines(decree) + (CLOSING if newer else [])
    return "\n".join(lines) + "\n"


ROBOTS = """User-agent: *
Disallow: /rechercher
Disallow: /search/
Disallow: /contenu/menu/
Allow: /jorf/id/
"""

README = """# Sample snapshot: CCE appointment decrees on Légifrance (reconstruction)

**This is not a capture of legifrance.gouv.fr.** The live site was never observed from
this project's machines. These two pages are a reconstruction, generated by
`scripts/snapshots/build_cce_appointments.py`, in the layout the `cce_appointments`
parser expects, with headings checked against `reference/facts/cce_committees.csv`.

- **Every person named here is invented**, and so is every company; any resemblance to a
  real advisor is a coincidence. The JORF numbers, NOR references and JORFTEXT ids are
  invented too (well-formed, not real texts).
- `JORFTEXT000048601234` — "Décret du 14 décembre 2023 …": an older-style transcription
  (OCR forms `1o`, `M m e`; UPPERCASE unaccented country headings such as COREE,
  GRANDE-BRETAGNE, COTE D'IVOIRE, HONG KONG, ETATS-UNIS; particles inside the brackets,
  `M. Roquebrune (Jean, Hubert de).` = Jean Hubert de Roquebrune; names only).
- `JORFTEXT000052583419` — "Décret du 18 novembre 2025 …": a newer layout, with sections
  "Au titre d'une première nomination" / "Au titre d'un renouvellement", région and country
  headings, and the position and company after each name.
- One homonym on purpose: "Mathieu Faure" is appointed for Germany (2023) and for Occitanie
  (2025): two advisors, in two committees.
- `text/` holds the same decrees as plain text, for `python -m spiders.cce_appointments PATH`.
- `captured_at` (2026-11-01T06:00:00Z) is a nominal date for replay, not a capture date.

Regenerate: `.venv/bin/python scripts/snapshots/build_cce_appointments.py` (deterministic).
"""


def main() -> None:
    countries, regions = reference_places()
    responses = [
        {
            "url": f"{SITE}/robots.txt",
            "status": 200,
            "headers": {"Content-Type": "text/plain; charset=utf-8"},
            "file": "pages/robots.txt",
        },
    ]
    (OUT / "pages").mkdir(parents=True, exist_ok=True)
    (OUT / "text").mkdir(parents=True, exist_ok=True)
    (OUT / "pages" / "robots.txt").write_text(ROBOTS, encoding="utf-8")
    for decree, newer in ((OLD, False), (NEW, True)):
        check_headings(decree, countries, regions)
        name = decree["text_id"]
        (OUT / "pages" / f"{name}.html").write_text(page(decree, newer), encoding="utf-8")
        (OUT / "text" / f"{name}.txt").write_text(text(decree, newer), encoding="utf-8")
        responses.append(
            {
                "url": f"{SITE}/jorf/id/{name}",
                "status": 200,
                "headers": {"Content-Type": "text/html; charset=utf-8"},
                "file": f"pages/{name}.html",
            }
        )
    manifest = {
        "source": "cce_appointments",
        "captured_at": CAPTURED_AT,
        "reconstruction": True,
        "responses": responses,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(README, encoding="utf-8")


if __name__ == "__main__":
    main()
