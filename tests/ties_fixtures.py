"""Small hand-written frames for the ties and governance tests (every person invented)."""

from __future__ import annotations

import pandas as pd

from pipelines.clean.governance import clean_seats, clean_sites

COMMITTEES = pd.DataFrame(
    [
        {
            "committee_id": "fr-bretagne",
            "kind": "regional",
            "country_code": "FR",
            "region_code": "53",
            "departement_codes": ["22", "29", "35", "56"],
        },
        {
            "committee_id": "fr-occitanie",
            "kind": "regional",
            "country_code": "FR",
            "region_code": "76",
            "departement_codes": ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
        },
        {
            "committee_id": "section-de",
            "kind": "country_section",
            "country_code": "DE",
            "region_code": None,
            "departement_codes": [],
        },
        {
            "committee_id": "section-jp",
            "kind": "country_section",
            "country_code": "JP",
            "region_code": None,
            "departement_codes": [],
        },
    ]
)

CLUSTERS = pd.DataFrame(
    [
        {
            "cluster_id": "mer",
            "name": "Pôle Mer",
            "website": "https://www.pole-mer.example",
            "departement_code": "29",
            "region_code": "53",
            "other_region_codes": [],
            "source_url": "https://dir.example/mer",
        },
        {
            "cluster_id": "agri",
            "name": "Agri Pôle",
            "website": "https://agri.example",
            "departement_code": "31",
            "region_code": "76",
            "other_region_codes": [],
            "source_url": "https://dir.example/agri",
        },
        {
            "cluster_id": "far",
            "name": "Pôle Lointain",
            "website": "https://far.example",
            "departement_code": "35",
            "region_code": "53",
            "other_region_codes": [],
            "source_url": "https://dir.example/far",
        },
    ]
)


def advisor(advisor_id, family, given, committee, company=None):
    return {
        "advisor_id": advisor_id,
        "family_name": family,
        "given_names": given,
        "display_name": " ".join(given + [family]),
        "committee_id": committee,
        "company": company,
    }


ADVISORS = pd.DataFrame(
    [
        advisor("a-kervella", "Kervella", ["Soizic"], "fr-bretagne"),
        advisor("a-roquebrune", "de Roquebrune", ["Jean", "Hubert"], "fr-bretagne"),
        advisor("a-chabert", "Chabert", ["Rémi", "Louis"], "fr-occitanie", "Chabert Mécanique"),
        advisor("a-faure-oc", "Faure", ["Mathieu"], "fr-occitanie", "Garonne Composites"),
        advisor("a-faure-de", "Faure", ["Mathieu"], "section-de"),
        advisor("a-lacroix", "Lacroix", ["Sylvie"], "section-jp", "Modélium Énergie SARL"),
        advisor("a-dupont", "DUPONT", ["Véronique"], "fr-bretagne", "Imagineo Export SA"),
        advisor("a-lebihan", "Le Bihan", ["Gwenaëlle"], "fr-bretagne", "Armor Cidres"),
        advisor("a-guerin", "GUÉRIN", ["Marie-Laure"], "fr-occitanie"),
        advisor("a-berthelin", "Berthelin", ["Odile"], "section-jp"),
    ]
)


def seat_item(
    cluster_id, name, role_kind="board_member", body="board", organisation=None, url=None, role="Administrateur"
):
    url = (
        url
        or {
            "mer": "https://www.pole-mer.example/gouvernance",
            "agri": "https://agri.example/ca",
            "far": "https://far.example/bureau",
        }[cluster_id]
    )
    return {
        "kind": "seat",
        "cluster_id": cluster_id,
        "person_name": name,
        "role": role,
        "role_kind": role_kind,
        "body": body,
        "organisation": organisation,
        "evidence_url": url,
        "evidence_text": f"{name} — {role} — {organisation or ''}",
        "method": "card",
        "source_url": url,
    }


def site_item(cluster_id, status="found"):
    site = CLUSTERS.set_index("cluster_id").loc[cluster_id, "website"]
    return {
        "kind": "site",
        "cluster_id": cluster_id,
        "site_url": site,
        "status": status,
        "governance_url": site + "/gouvernance" if status == "found" else None,
        "pages_crawled": 3,
        "has_international_contact": False,
        "source_url": site,
    }


def seats_and_sites(items, opt_out=()):
    ids = CLUSTERS["cluster_id"].tolist()
    seats, _ = clean_seats(items, ids, list(opt_out))
    sites, _ = clean_sites(items, ids)
    return seats, sites
