"""Small synthetic tables that follow pipelines/schema.py, for tests and a demo release.

Every person and figure here is invented. ``python -m pipelines.publish.sample OUT``
writes a demo release into OUT (handy to look at the landing page).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from common.sources import all_sources

BASE = "https://example.invalid"  # synthetic rows point nowhere real


def _clusters() -> pd.DataFrame:
    rows = [
        (
            "aerospace-valley",
            "Aerospace Valley",
            "AV",
            "76",
            "Occitanie",
            "Toulouse",
            "31000",
            ["75"],
            ["Aéronautique", "Spatial"],
            43.6,
            1.44,
        ),
        (
            "agri-sud-ouest-innovation",
            "Agri Sud-Ouest Innovation",
            "Agri SOI",
            "76",
            "Occitanie",
            "Auzeville-Tolosane",
            "31320",
            ["75"],
            ["Agriculture"],
            43.53,
            1.48,
        ),
        (
            "systematic-paris-region",
            "Systematic Paris-Region",
            "Systematic",
            "11",
            "Île-de-France",
            "Paris",
            "75013",
            [],
            ["Numérique", "Logiciel libre"],
            48.83,
            2.36,
        ),
        (
            "pole-mer-bretagne-atlantique",
            "Pôle Mer Bretagne Atlantique",
            "PMBA",
            "53",
            "Bretagne",
            "Brest",
            "29200",
            ["52"],
            ["Maritime"],
            48.39,
            -4.49,
        ),
        (
            "cosmetic-valley",
            "Cosmetic Valley",
            "CV",
            "24",
            "Centre-Val de Loire",
            "Chartres",
            "28000",
            ["11"],
            ["Cosmétique"],
            48.44,
            1.49,
        ),
    ]
    return pd.DataFrame(
        [
            {
                "cluster_id": cid,
                "name": name,
                "short_name": short,
                "label_status": "labelled",
                "label_period": "2023-2026",
                "label_start_year": 2023,
                "label_end_year": 2026,
                "themes": themes,
                "description": f"{name}: pôle de compétitivité (synthetic sample row).",
                "website": f"{BASE}/{cid}",
                "contact_email": None,
                "contact_phone": None,
                "address": "1 rue de l'Exemple",
                "postcode": postcode,
                "city": city,
                "departement_code": postcode[:2],
                "region_code": region,
                "region_name": region_name,
                "other_region_codes": others,
                "siren": None,
                "siren_match_score": None,
                "naf_code": "94.99Z",
                "latitude": lat,
                "longitude": lon,
                # Only PMBA's governance was read in this sample (one advisor in it, _governance below).
                "governance_status": "found" if cid == "pole-mer-bretagne-atlantique" else "not_crawled",
                "governance_url": f"{BASE}/{cid}/gouvernance" if cid == "pole-mer-bretagne-atlantique" else None,
                "n_cce_in_governance": 1 if cid == "pole-mer-bretagne-atlantique" else None,
                "has_international_contact": False if cid == "pole-mer-bretagne-atlantique" else None,
                # Only PMBA's member directory was read (_members below).
                "n_members": 3 if cid == "pole-mer-bretagne-atlantique" else None,
                "source_url": f"{BASE}/poles/{cid}",
            }
            for cid, name, short, region, region_name, city, postcode, others, themes, lat, lon in rows
        ]
    )


def _committees() -> pd.DataFrame:
    rows = [
        ("regional-occitanie", "CCE Occitanie", "regional", "FR", "76", ["09", "31", "34"], "Jeanne Exemple", 120),
        ("territorial-haute-garonne", "CCE Haute-Garonne", "territorial", "FR", "76", ["31"], None, 40),
        (
            "regional-ile-de-france",
            "CCE Île-de-France",
            "regional",
            "FR",
            "11",
            ["75", "92", "93", "94"],
            "Paul Fictif",
            300,
        ),
        ("regional-bretagne", "CCE Bretagne", "regional", "FR", "53", ["22", "29", "35", "56"], "Anne Inventée", 80),
        ("section-allemagne", "Section Allemagne", "country_section", "DE", None, [], "Karl Muster", 150),
    ]
    return pd.DataFrame(
        [
            {
                "committee_id": cid,
                "name": name,
                "kind": kind,
                "country_code": country,
                "region_code": region,
                "departement_codes": deps,
                "territory_note": None,
                "president_name": president,
                "member_count": members,
                "page_url": f"{BASE}/cce/{cid}",
                "source_url": f"{BASE}/cce/{cid}",
            }
            for cid, name, kind, country, region, deps, president, members in rows
        ]
    )


def _advisors() -> pd.DataFrame:
    rows = [
        (
            "a1",
            "Mme",
            "Martin",
            ["Claire"],
            "regional-occitanie",
            "FR",
            "76",
            "Exemple Aéro SA",
            "Directrice export",
            ["présidente"],
        ),
        (
            "a2",
            "M.",
            "Bernard",
            ["Luc", "Marie"],
            "regional-occitanie",
            "FR",
            "76",
            "Fictive Agro",
            "PDG",
            ["appointee"],
        ),
        ("a3", "M.", "Durand", ["Hugo"], "territorial-haute-garonne", "FR", "76", "Spatial Test", "DG", ["appointee"]),
        (
            "a4",
            "Mme",
            "Petit",
            ["Léa"],
            "regional-ile-de-france",
            "FR",
            "11",
            "Logiciel Imaginaire",
            "CEO",
            ["appointee", "trésorière"],
        ),
        ("a5", "M.", "Robert", ["Noé"], "regional-bretagne", "FR", "53", "Mer Factice", "Directeur", ["appointee"]),
        (
            "a6",
            "Mme",
            "Richard",
            ["Inès"],
            "section-allemagne",
            "DE",
            None,
            "Export Fantôme GmbH",
            "Geschäftsführerin",
            ["appointee"],
        ),
    ]
    return pd.DataFrame(
        [
            {
                "advisor_id": aid,
                "honorific": hon,
                "family_name": family,
                "given_names": given,
                "display_name": " ".join(given + [family]),
                "committee_id": committee,
                "country_code": country,
                "region_code": region,
                "company": company,
                "position": position,
                "naf_section": None,
                "roles": roles,
                "appointment_ref": "EAEX0000000D",
                "appointment_date": dt.date(2024, 3, 1),
                "mandate_end": dt.date(2027, 3, 1),
                "source_url": f"{BASE}/jorf/EAEX0000000D",
            }
            for aid, hon, family, given, committee, country, region, company, position, roles in rows
        ]
    )


def _coverage() -> pd.DataFrame:
    rows = [
        ("aerospace-valley", "regional-occitanie", "head_office", "31"),
        ("aerospace-valley", "territorial-haute-garonne", "head_office", "31"),
        ("agri-sud-ouest-innovation", "regional-occitanie", "head_office", "31"),
        ("systematic-paris-region", "regional-ile-de-france", "head_office", "75"),
        ("pole-mer-bretagne-atlantique", "regional-bretagne", "head_office", "29"),
    ]
    return pd.DataFrame(
        [
            {
                "cluster_id": c,
                "committee_id": k,
                "relation": rel,
                "departement_code": dep,
                "source_url": f"{BASE}/cce/{k}",
            }
            for c, k, rel, dep in rows
        ]
    )


def _candidates() -> pd.DataFrame:
    rows = [
        ("aerospace-valley", "a1", 1, 0.9, "same_committee", True, ["same committee", "sector: aéronautique"]),
        ("aerospace-valley", "a3", 2, 0.7, "same_committee", None, ["same committee"]),
        ("systematic-paris-region", "a4", 1, 0.8, "same_committee", True, ["same committee"]),
        ("pole-mer-bretagne-atlantique", "a5", 1, 0.75, "same_region", False, []),
    ]
    return pd.DataFrame(
        [
            {
                "cluster_id": c,
                "advisor_id": a,
                "rank": r,
                "score": s,
                "territory_match": t,
                "sector_match": m,
                "reasons": why,
                "source_url": f"{BASE}/poles/{c}",
            }
            for c, a, r, s, t, m, why in rows
        ]
    )


def _region_summary() -> pd.DataFrame:
    rows = [
        ("11", "Île-de-France", 1, 1, 1, []),
        ("24", "Centre-Val de Loire", 1, 0, 0, ["cosmetic-valley"]),
        ("53", "Bretagne", 1, 1, 1, []),
        ("76", "Occitanie", 2, 2, 3, []),
        ("84", "Auvergne-Rhône-Alpes", 0, 0, 0, []),
    ]
    return pd.DataFrame(
        [
            {
                "region_code": code,
                "region_name": name,
                "n_clusters": n_cl,
                "n_committees": n_co,
                "n_advisors": n_ad,
                "advisors_per_cluster": (n_ad / n_cl) if n_cl else None,
                "clusters_without_committee": gaps,
                "n_clusters_with_cce_in_governance": 1 if code == "53" else 0,
                "n_clusters_governance_unknown": n_cl - (1 if code == "53" else 0),
                "n_members": 3 if code == "53" else 0,
                "n_members_advisor_companies": 1 if code == "53" else 0,
                "n_clusters_members_unknown": n_cl - (1 if code == "53" else 0),
                "source_url": f"{BASE}/summary",
            }
            for code, name, n_cl, n_co, n_ad, gaps in rows
        ]
    )


def _governance() -> pd.DataFrame:
    url = f"{BASE}/pole-mer-bretagne-atlantique/gouvernance"
    rows = [
        (
            "0000000000000001",
            "pole-mer-bretagne-atlantique",
            "bureau",
            "Président",
            "president",
            "Mer Factice",
            "Noé Robert",
            "a5",
            "Président : Noé Robert (Mer Factice)",
        ),
        (
            "0000000000000002",
            "pole-mer-bretagne-atlantique",
            "board",
            "Administratrice",
            "board_member",
            "Océan Inventé",
            None,
            None,
            "[nom non publié] — Océan Inventé",
        ),
    ]
    return pd.DataFrame(
        [
            {
                "seat_id": sid,
                "cluster_id": cid,
                "body": body,
                "role": role,
                "role_kind": kind,
                "organisation": org,
                "person_name": name,
                "advisor_id": aid,
                "evidence_url": url,
                "evidence_text": text,
                "source_url": url,
            }
            for sid, cid, body, role, kind, org, name, aid, text in rows
        ]
    )


def _members() -> pd.DataFrame:
    url = f"{BASE}/pole-mer-bretagne-atlantique/adherents"
    rows = [
        # member_id, organisation, category, label, siren, naf, postcode, city, score, confidence
        ("00000000000000a1", "Mer Factice", "pme", "PME", "900000001", "30.11Z", "29200", "Brest", 0.93, "confirmed"),
        (
            "00000000000000a2",
            "Labo Océan Imaginaire",
            "laboratoire",
            "Laboratoire",
            None,
            None,
            "29280",
            "Plouzané",
            0.78,
            "ambiguous",
        ),
        (
            "00000000000000a3",
            "Start-up Houle Inventée",
            "startup",
            "Start-up",
            None,
            None,
            "56100",
            "Lorient",
            None,
            "no_match",
        ),
    ]
    return pd.DataFrame(
        [
            {
                "cluster_id": "pole-mer-bretagne-atlantique",
                "member_id": mid,
                "organisation": org,
                "category": cat,
                "category_label": label,
                "siren": siren,
                "siret": None,
                "naf_code": naf,
                "naf_label": "Construction de navires et de structures flottantes" if naf else None,
                "postcode": postcode,
                "city": city,
                "website": None,
                "match_score": score,
                "match_confidence": confidence,
                "match_reasons": ["name similarity 1.00", "same postcode", "any legal form"] if siren else [],
                "evidence_url": url,
                "directory_form": "static_list",
                "source_url": url,
            }
            for mid, org, cat, label, siren, naf, postcode, city, score, confidence in rows
        ]
    )


def _ties() -> pd.DataFrame:
    url = f"{BASE}/pole-mer-bretagne-atlantique/gouvernance"
    members_url = f"{BASE}/pole-mer-bretagne-atlantique/adherents"
    return pd.DataFrame(
        [
            {
                "cluster_id": "pole-mer-bretagne-atlantique",
                "advisor_id": "a5",
                "tie_kind": "governance_seat",
                "seat_id": "0000000000000001",
                "member_id": None,
                "match": "confirmed",
                "score": 0.85,
                "reasons": [
                    "name: given and family names agree",
                    "organisation: 'Mer Factice' is the advisor's company 'Mer Factice'",
                ],
                "evidence_url": url,
                "source_url": url,
            },
            {
                "cluster_id": "pole-mer-bretagne-atlantique",
                "advisor_id": "a5",
                "tie_kind": "member_company",
                "seat_id": None,
                "member_id": "00000000000000a1",
                "match": "confirmed",
                "score": 0.93,
                "reasons": [
                    "organisation: SIREN 900000001 equal: the advisor's company 'Mer Factice' is the member 'Mer Factice'",
                ],
                "evidence_url": members_url,
                "source_url": members_url,
            },
        ]
    )


def sample_tables() -> dict[str, pd.DataFrame]:
    return {
        "clusters": _clusters(),
        "cce_committees": _committees(),
        "advisors": _advisors(),
        "cluster_committee_coverage": _coverage(),
        "cluster_advisor_candidates": _candidates(),
        "region_summary": _region_summary(),
        "cluster_governance": _governance(),
        "cluster_members": _members(),
        "cluster_cce_ties": _ties(),
    }


def sample_crawls() -> dict[str, dict]:
    return {
        s.name: {"crawled_at": "2026-11-01T06:00:00Z", "archive": f"data/snapshots/{s.name}", "mode": "replay"}
        for s in all_sources()
    }


def sample_checks() -> list[dict]:
    return [
        {
            "table": "clusters",
            "check": "primary_key_unique",
            "passed": True,
            "severity": "error",
            "description": "cluster_id is unique.",
        },
        {
            "table": "clusters",
            "check": "row_count_min",
            "passed": True,
            "severity": "error",
            "description": "At least 1 row.",
        },
        {
            "table": "advisors",
            "check": "no_personal_contact",
            "passed": True,
            "severity": "error",
            "description": "No e-mail or phone column.",
        },
        {
            "table": "clusters",
            "check": "siren_fill_rate",
            "passed": False,
            "severity": "warning",
            "description": "SIREN found for at least 90% of pôles.",
        },
    ]


def sample_issues() -> list[dict]:
    return [
        {
            "source": "poles",
            "url": f"{BASE}/poles/cosmetic-valley",
            "field": "label_status",
            "code": "unknown_value",
            "message": "unknown label status 'en cours'",
            "severity": "warning",
            "value": "en cours",
            "context": {},
        },
    ]


if __name__ == "__main__":
    from .release import write_release

    out = write_release(
        sample_tables(),
        releases_dir=Path(sys.argv[1]),
        run_date=dt.date.today(),
        sources=all_sources(),
        crawls=sample_crawls(),
        issues=sample_issues(),
        checks=sample_checks(),
    )
    print(out)
