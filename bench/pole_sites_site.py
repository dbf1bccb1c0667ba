"""Synthetic pôle sites for the pole_sites crawl benchmark: N sites of P pages, as a snapshot folder.

Each site: robots.txt, a home page linking six governance-like sections, each section linking
its sub-pages (two clicks deep at most), every page a team grid of four cards in the sample's
WordPress layout, with the furniture of real sites (menu, news sidebar, footer). Page URLs
carry governance words, so the crawl's link scoring follows every one of them.
``write_snapshot(folder, n_sites, pages)`` writes manifest.json, pages/ and sites.jsonl.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

SECTIONS = ["gouvernance", "equipe", "instances", "bureau", "conseil-d-administration", "international"]
NAMES = [
    "Anne-Claire Brossard",
    "Grégoire Tessier",
    "Solène Ferrand",
    "Loïc Castel",
    "Maëlle Jacquet",
    "Benoît Barbier",
    "Inès Rivière",
    "Hugues Pons",
]
ROLES = [
    "Présidente",
    "Vice-président",
    "Trésorière",
    "Secrétaire général",
    "Administratrice",
    "Délégué général",
    "Chargée de mission Europe & International",
    "Chef de projet",
]


def site_paths(pages: int) -> list[str]:
    """``pages`` paths: the home page, six sections, then sub-pages of each section in turn."""
    paths = ["/"] + [f"/{s}/" for s in SECTIONS]
    k = 1
    while len(paths) < pages:
        for s in SECTIONS:
            if len(paths) < pages:
                paths.append(f"/{s}/commission-{k}/")
        k += 1
    return paths[:pages]


def page(site: int, path: str, paths: list[str]) -> bytes:
    if path == "/":
        links = [p for p in paths if p.count("/") == 2]
    elif path.count("/") == 2:
        links = [p for p in paths if p.startswith(path) and p != path]
    else:
        links = []
    nav = "".join(f'<li><a href="{p}">{p.strip("/").split("/")[-1].replace("-", " ").title()}</a></li>' for p in links)
    cards = (
        "".join(
            f'<div class="team-member"><h3>{escape(NAMES[(site + i) % 8])}</h3><p class="role">{escape(ROLES[(site + i) % 8])}'
            f'</p><p class="company">Esquisso Numérique {site} SAS</p></div>'
            for i in range(4)
        )
        if path != "/"
        else ""
    )
    html = (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{escape(path)} | Pôle {site}</title></head>'
        f'<body><header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/actualites/">Actualités</a></li>{nav}'
        f"</ul></nav></header><main><h1>{escape(path.strip('/') or 'Accueil')}</h1>"
        f'<div class="team-grid">{cards}</div></main><aside class="sidebar"><p>Nomination : Hugues Cazenave, '
        "Directeur général de Gabarit Robotique</p></aside><footer><p>Directeur de la publication : Tanguy "
        "Etchebarne</p></footer></body></html>\n"
    )
    return html.encode("utf-8")


def write_snapshot(folder: Path, n_sites: int, pages: int) -> Path:
    """A snapshot folder the crawl replays (``--replay folder -a sites=folder/sites.jsonl``)."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    responses, sites = [], []
    paths = site_paths(pages)
    for site in range(n_sites):
        host = f"www.pole-bench-{site}.example"
        sites.append({"cluster_id": f"bench-{site}", "website": f"https://{host}"})
        (folder / "pages" / host).mkdir(exist_ok=True)
        robots = folder / "pages" / host / "robots.txt"
        robots.write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
        responses.append(
            {
                "url": f"https://{host}/robots.txt",
                "status": 200,
                "headers": {"Content-Type": "text/plain"},
                "file": f"pages/{host}/robots.txt",
            }
        )
        for i, path in enumerate(paths):
            name = f"pages/{host}/{i}.html"
            (folder / name).write_bytes(page(site, path, paths))
            responses.append(
                {
                    "url": f"https://{host}{path}",
                    "status": 200,
                    "headers": {"Content-Type": "text/html; charset=utf-8"},
                    "file": name,
                }
            )
    manifest = {
        "source": "pole_sites",
        "captured_at": "2026-11-01T06:00:00Z",
        "reconstruction": True,
        "responses": responses,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "sites.jsonl").write_text("".join(json.dumps(s) + "\n" for s in sites), encoding="utf-8")
    return folder
