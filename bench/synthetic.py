"""Synthetic crawl items at ``factor`` times the real sizes (part 3), grown from a real replay crawl.

At 1x: the 57 pôles and 70 committees (with their officers) of the bundled snapshots, plus
decree appointees up to ~4,500 advisors, plus one company-register answer per query. At k x:
k copies of every pôle (new names, same places and themes), k x 4,500 advisors, and the register
answers of the grown query set. Committees stay the real 70: there is one per territory or
country, so their number is bounded by geography, not by the size of the directories.

Invented names come from syllables with a fixed seed, so every run grows the same data.
Some draws collide (same folded name and first given name in one committee) and merge,
as real homonyms would, so the advisor count lands a little under the target.
"""

from __future__ import annotations

import copy
import glob
import random
from pathlib import Path

from common.places import fold
from common.sources import all_sources, source_read_by
from pipelines.clean.cce_committees import clean_cce_committees
from pipelines.clean.frames import read_jsonl, slugify
from spiders.company_register.queries import search_url

ADVISORS_AT_1X = 4_500
_SYLLABLES = (
    "ber mar tin lo ri du pon gar ni lau rent mo rel fa vre che val ro bert si mon le roy pe "
    "tit bla gi rard an dre mer cier bo fran cois ma thieu sau ge chal"
).split()
_GIVEN = (
    "Jean Marie Anne Pierre Claire Luc Sophie Paul Julie Marc Isabelle Nicolas Camille Louis Emma "
    "Hugo Léa Thomas Chloé Antoine Inès Julien Sarah Olivier Manon Éric Laura Yann Soizic Odile "
    "Bastien Claude Hélène Rémi Agnès Benoît Cécile Denis Élise François Gaëlle Henri Irène Jacques "
    "Karine Laurent Mathilde Noël Océane Pascal Quentin Rose Serge Thérèse Ulysse Valérie Xavier "
    "Yvonne Zoé Jean-Pierre Marie-Claire"
).split()
_POSITIONS = (
    "Président",
    "Directeur général",
    "Directrice export",
    "Directeur aéronautique",
    "Responsable santé",
    "Cheffe de projet numérique",
    "Directeur agroalimentaire",
    "Directrice matériaux composites",
    "Responsable énergie",
    "Directeur chimie",
    "Gérant",
    "Directrice mécanique",
    None,
)
_SECTORS = (
    "Industrie",
    "Énergie",
    "Logistique",
    "Santé",
    "Numérique",
    "Aéronautique",
    "Agroalimentaire",
    "Maritime",
    "Chimie",
    "Matériaux",
    "Conseil",
    "Textile",
)
_FORMS = ("SA", "SAS", "SARL")
_NAF = "ABCDEFGHIJKLMNOPQRSTU"


def source_names() -> list[str]:
    """Every source of the registry (sources/*.yml): the bench's inputs."""
    return [s.name for s in all_sources()]


def load_base(data_dir: Path) -> dict[str, list[dict]]:
    """The items of the latest crawl of every source under ``data_dir``/raw."""
    out = {}
    for source in source_names():
        runs = sorted(glob.glob(str(data_dir / "raw" / source / "*" / "items.jsonl")))
        if not runs:
            raise FileNotFoundError(f"no {source} crawl under {data_dir}/raw")
        out[source] = read_jsonl(runs[-1])
    return out


def _family(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()


def _company(n: int) -> str:
    stem = "".join(_SYLLABLES[(n // len(_SYLLABLES) ** k) % len(_SYLLABLES)] for k in range(3)).capitalize()
    return f"{stem} {_SECTORS[n % len(_SECTORS)]} {_FORMS[n % 3]}"


def _poles(base: list[dict], factor: int) -> list[dict]:
    out = list(base)
    for j in range(2, factor + 1):
        for item in base:
            c = copy.deepcopy(item)
            c["name"] = f"{item['name']} S{j}"
            c["short_name"] = f"{item['short_name']} S{j}" if item.get("short_name") else None
            c["source_url"] = f"{item['source_url']}-s{j}"
            out.append(c)
    return out


def _appointees(committee_items: list[dict], n: int, rng: random.Random, n_companies: int) -> list[dict]:
    committees, _ = clean_cce_committees(committee_items)
    regions = sorted(committees.loc[committees["kind"] == "regional", "region_code"].dropna().unique())
    countries = sorted(committees.loc[committees["kind"] == "country_section", "country_code"].dropna().unique())
    refs = [(f"ECOT23{k:05d}D", f"2023-{1 + k % 12:02d}-{1 + k % 28:02d}") for k in range(12)]
    out = []
    for k in range(n):
        given = [rng.choice(_GIVEN) for _ in range(rng.choice((1, 1, 2, 3)))]
        family = _family(rng)
        ref, date = refs[k % len(refs)]
        abroad = rng.random() < 0.45
        out.append(
            {
                "honorific": rng.choice(("M.", "Mme")),
                "family_name": family,
                "given_names": given,
                "display_name": " ".join(given + [family]),
                "position": rng.choice(_POSITIONS),
                "company": _company(rng.randrange(n_companies)) if rng.random() < 0.8 else None,
                "heading": "Section" if abroad else "Région",
                "country_code": rng.choice(countries) if abroad else None,
                "region_code": None if abroad else rng.choice(regions),
                "part": "2o Pour l'étranger" if abroad else "1o Pour la métropole",
                "appointment_kind": None,
                "appointment_ref": ref,
                "appointment_date": date,
                "source_url": f"https://www.legifrance.gouv.fr/jorf/id/JORFTEXT0000{48600000 + k % 12}",
            }
        )
    return out


def _register(
    base: list[dict], base_poles: list[dict], factor: int, appointees: list[dict], rng: random.Random
) -> list[dict]:
    """One answer per cluster query (the real one, renamed for copies) and per advisor company."""
    by_key = {i["key"]: i for i in base if i["kind"] == "cluster"}
    template = next(c for i in base if i["kind"] == "company" for c in i["candidates"])
    out = []
    for j in range(1, factor + 1):
        for pole in base_poles:
            real = by_key.get(slugify(pole.get("short_name") or pole["name"]))
            if real is None:
                continue
            c = copy.deepcopy(real)
            if j > 1:
                name, short = f"{pole['name']} S{j}", (f"{pole['short_name']} S{j}" if pole.get("short_name") else None)
                c["key"] = slugify(short or name)
                c["query"] = dict(c["query"], key=c["key"], name=name, q=name, short_name=short)
                c["source_url"] = c["query"]["url"] = search_url(c["query"])
                for cand in c["candidates"]:
                    cand["nom_complet"] = f"{cand.get('nom_complet') or ''} S{j}"
                    cand["nom_raison_sociale"] = f"{cand.get('nom_raison_sociale') or ''} S{j}"
            out.append(c)
    companies = sorted({a["company"] for a in appointees if a["company"]})
    for n, company in enumerate(companies):
        query = {"kind": "company", "key": fold(company), "q": company, "name": company}
        query["url"] = search_url(query)
        cand = copy.deepcopy(template)
        cand.update(
            {
                "siren": f"{700000000 + n}",
                "nom_complet": company.upper(),
                "nom_raison_sociale": company.upper(),
                "section_activite_principale": rng.choice(_NAF),
            }
        )
        out.append(
            {
                "source_url": query["url"],
                "kind": "company",
                "key": query["key"],
                "query": query,
                "page": 1,
                "total_pages": 1,
                "total_results": 1,
                "candidates": [cand],
            }
        )
    return out


def scaled_inputs(base: dict[str, list[dict]], factor: int, seed: int = 20261101) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    n_officers = sum(len(i.get("officers") or []) for i in base["cce_committees"])
    n_appointees = max(ADVISORS_AT_1X * factor - n_officers, 0)
    poles = _poles(base["poles"], factor)
    appointees = _appointees(base["cce_committees"], n_appointees, rng, n_companies=1_500 * factor)
    grown = {
        "poles": poles,
        source_read_by("merged_advisors"): appointees,
        "company_register": _register(base["company_register"], base["poles"], factor, appointees, rng),
    }
    # A source without a grower here (committees: bounded by geography) keeps its real items.
    return {name: grown.get(name, items) for name, items in base.items()}
