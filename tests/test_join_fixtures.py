"""Small hand-built tables for the join tests (columns per pipelines/schema.py), plus a synthetic generator."""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.places import departements, regions


def departements_of_region(region: str) -> list[str]:
    """INSEE départements of a région (the overseas régions have one each)."""
    return sorted(code for code, row in departements().items() if row["region_code"] == region)


IDF = departements_of_region("11")
OCCITANIE = departements_of_region("76")


def committee(committee_id, name, region, deps, kind="regional", country="FR"):
    return {
        "committee_id": committee_id,
        "name": name,
        "kind": kind,
        "country_code": country,
        "region_code": region,
        "departement_codes": deps,
        "territory_note": None,
        "president_name": None,
        "member_count": None,
        "page_url": f"https://www.cnccef.org/comites/{committee_id}",
        "source_url": f"https://www.cnccef.org/comites/{committee_id}",
    }


def committees_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            committee("fr-ile-de-france", "Comité Île-de-France", "11", IDF),
            committee("fr-paris", "Comité de Paris", "11", ["75"], kind="territorial"),
            committee("fr-provence-corse", "Comité Provence-Corse", "93", ["04", "05", "13", "83", "84", "2A", "2B"]),
            committee("fr-nice-cote-d-azur", "Comité Nice Côte d'Azur", "93", ["06"], kind="territorial"),
            committee("fr-occitanie", "Comité Occitanie", "76", OCCITANIE),
            committee("fr-la-reunion", "Comité La Réunion", "04", ["974"]),
            committee("fr-normandie", "Comité Normandie", "28", departements_of_region("28")),
            committee("section-allemagne", "Section Allemagne", None, None, kind="country_section", country="DE"),
        ]
    )


def cluster(cluster_id, region, dep, themes, others=(), name=None):
    return {
        "cluster_id": cluster_id,
        "name": name or cluster_id,
        "short_name": cluster_id,
        "themes": list(themes),
        "departement_code": dep,
        "region_code": region,
        "region_name": regions()[region],
        "other_region_codes": list(others),
        "source_url": f"https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles/{cluster_id}",
    }


def clusters_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            cluster(
                "scs", "93", "06", ["Numérique", "IoT", "microélectronique", "cybersécurite"]
            ),  # Sophia Antipolis (Biot)
            cluster("eurobiomed", "93", "13", ["Santé", "biotech", "medtech"]),  # Marseille
            cluster("systematic", "11", "75", ["Deep tech", "logiciels", "numérique"]),  # Paris
            cluster("qualitropic", "04", "974", ["Bioéconomie tropicale"]),  # Saint-Denis (La Réunion)
            cluster("aerospace-valley", "76", "31", ["Aéronautique", "spatial", "systèmes embarqués"], others=["75"]),
            cluster(
                "capenergies", "93", None, ["Énergie", "transition énergétique"], others=["94"]
            ),  # head-office département unknown
            cluster("vitagora", "27", "21", ["Agroalimentaire", "goût-nutrition-santé"]),  # no committee in 27 here
            cluster("hippolia", "28", "14", ["Filière équine"], others=["76"]),
        ]
    )


def advisor(advisor_id, committee_id, region, company=None, position=None, naf=None, country="FR"):
    return {
        "advisor_id": advisor_id,
        "honorific": None,
        "family_name": advisor_id.upper(),
        "given_names": ["Camille"],
        "display_name": f"Camille {advisor_id.upper()}",
        "committee_id": committee_id,
        "country_code": country,
        "region_code": region,
        "company": company,
        "position": position,
        "naf_section": naf,
        "roles": ["appointee"],
        "appointment_ref": None,
        "appointment_date": None,
        "mandate_end": None,
        "source_url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000000001",
    }


def advisors_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            advisor("a01", "fr-occitanie", "76", "Airbus Aéronautique", "Directrice export", "C"),
            advisor("a02", "fr-occitanie", "76", "Banque du Sud", "Directeur", "K"),
            advisor("a03", "fr-occitanie", "76", "Transports Garonne", "Président", "H"),
            advisor("a04", "fr-nice-cote-d-azur", "93", "Azur Logiciel", "PDG", "J"),
            advisor("a05", "fr-provence-corse", "93", "Biotech Provence", "Directeur santé", "M"),
            advisor("a06", "fr-paris", "11", "Paris Numérique", "Directrice générale", "J"),
            advisor("a07", "fr-ile-de-france", "11", "Conseil IDF", "Associé", None),
            advisor("a08", "fr-la-reunion", "04", "Sucrerie de Bourbon", "Directeur bioéconomie", "C"),
            advisor("a09", "section-allemagne", None, "Deutsche Luftfahrt", "Aéronautique", "C", country="DE"),
            advisor("a10", "fr-normandie", "28", "Haras du Pin", "Gérant filière équine", "A"),
        ]
    )


def synthetic(n_clusters: int, n_advisors: int, n_french_committees: int, seed: int = 7):
    """Random tables of the given sizes over the real régions and départements.

    Committees in France cover 1-3 départements of one région; a third of the advisors are in
    France, the rest in country sections; pôles take 1-4 real themes and 0-2 other régions."""
    rng = np.random.default_rng(seed)
    deps = pd.DataFrame([{"dep": d, "region": r["region_code"]} for d, r in departements().items() if r["region_code"]])
    by_region = deps.groupby("region")["dep"].agg(list).to_dict()
    region_codes = sorted(by_region)
    themes = [
        "Aéronautique",
        "spatial",
        "Santé",
        "medtech",
        "Numérique",
        "logiciels",
        "Agroalimentaire",
        "Énergie",
        "Eau",
        "Finance",
        "Automobile",
        "mobilités",
        "Chimie",
        "Matériaux",
        "Photonique",
        "Produits de la mer",
        "Infrastructures",
        "Cosmétique",
        "Textiles",
        "recyclage",
    ]
    committees = []
    for i in range(n_french_committees):
        region = region_codes[i % len(region_codes)]
        pool = by_region[region]
        chosen = sorted(rng.choice(pool, size=min(len(pool), int(rng.integers(1, 4))), replace=False).tolist())
        committees.append(committee(f"fr-{i:05d}", f"Comité {i}", region, chosen))
    n_sections = max(1, n_french_committees * 7)
    for i in range(n_sections):
        committees.append(
            committee(f"section-{i:05d}", f"Section {i}", None, None, kind="country_section", country="DE")
        )
    committees = pd.DataFrame(committees)

    dep_rows = deps.sample(n=n_clusters, replace=True, random_state=seed).reset_index(drop=True)
    theme_idx = rng.integers(0, len(themes), size=(n_clusters, 4))
    n_themes = rng.integers(1, 5, size=n_clusters)
    n_others = rng.integers(0, 3, size=n_clusters)
    clusters = pd.DataFrame(
        {
            "cluster_id": [f"pole-{i:06d}" for i in range(n_clusters)],
            "name": [f"Pôle {i}" for i in range(n_clusters)],
            "short_name": None,
            "themes": [[themes[j] for j in theme_idx[i, : n_themes[i]]] for i in range(n_clusters)],
            "departement_code": dep_rows["dep"].where(rng.random(n_clusters) > 0.05, None),
            "region_code": dep_rows["region"],
            "other_region_codes": [
                rng.choice(region_codes, size=n_others[i], replace=False).tolist() for i in range(n_clusters)
            ],
            "source_url": [f"https://competitivite.gouv.fr/annuaire/pole-{i}" for i in range(n_clusters)],
        }
    )

    french = rng.random(n_advisors) < 1 / 3
    committee_ix = np.where(
        french,
        rng.integers(0, n_french_committees, n_advisors),
        n_french_committees + rng.integers(0, n_sections, n_advisors),
    )
    committee_ids = committees["committee_id"].to_numpy()[committee_ix]
    committee_regions = committees["region_code"].to_numpy()[committee_ix]
    words = np.array(
        [
            "Directeur",
            "Directrice export",
            "PDG",
            "Gérant",
            "Directeur aéronautique",
            "Responsable santé",
            "Directeur numérique",
            "Président Transports",
            "Directrice énergie",
            "Associée",
        ]
    )
    naf = np.array(list("ABCDEFGHIJKLMNQ") + [None] * 3, dtype=object)
    advisors = pd.DataFrame(
        {
            "advisor_id": [f"{i:08x}" for i in rng.permutation(n_advisors)],
            "committee_id": committee_ids,
            "country_code": np.where(french, "FR", "DE"),
            "region_code": committee_regions,
            "company": [f"Société {i % 5000}" for i in range(n_advisors)],
            "position": words[rng.integers(0, len(words), n_advisors)],
            "naf_section": naf[rng.integers(0, len(naf), n_advisors)],
            "roles": [["appointee"]] * n_advisors,
            "source_url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000000001",
        }
    )
    return clusters, committees, advisors


def test_fixtures_are_consistent():
    committees = committees_frame()
    assert committees["committee_id"].is_unique
    assert set(advisors_frame()["committee_id"]) <= set(committees["committee_id"])
    clusters, committees, advisors = synthetic(50, 500, 20)
    assert len(clusters) == 50 and len(advisors) == 500 and advisors["advisor_id"].is_unique
