"""Writes reference/committee_departements.csv: each CCE committee in France -> its départements.

Régions expand to all their départements from reference/departements.csv. Where a région
has more than one committee, the split is stated in ``basis`` and ``note`` (see
reference/committee_departements.md). Deterministic: run again after departements.csv changes.
"""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

with (REPO / "reference" / "departements.csv").open(encoding="utf-8") as fh:
    DEPS = list(csv.DictReader(fh))


def of_region(code: str) -> list[str]:
    return [d["departement_code"] for d in DEPS if d["region_code"] == code]


REGIONAL = [  # (committee_id, name, region_code)
    ("fr-auvergne-rhone-alpes", "Comité Auvergne-Rhône-Alpes", "84"),
    ("fr-bourgogne-franche-comte", "Comité Bourgogne-Franche-Comté", "27"),
    ("fr-bretagne", "Comité Bretagne", "53"),
    ("fr-centre-val-de-loire", "Comité Centre-Val de Loire", "24"),
    ("fr-grand-est", "Comité Grand Est", "44"),
    ("fr-hauts-de-france", "Comité Hauts-de-France", "32"),
    ("fr-normandie", "Comité Normandie", "28"),
    ("fr-nouvelle-aquitaine", "Comité Nouvelle-Aquitaine", "75"),
    ("fr-occitanie", "Comité Occitanie", "76"),
    ("fr-pays-de-la-loire", "Comité Pays de la Loire", "52"),
]
rows = []
for cid, name, region in REGIONAL:
    rows.append((cid, name, "regional", region, of_region(region), "region", "All départements of the région (INSEE)."))
rows += [
    (
        "fr-ile-de-france",
        "Comité Île-de-France",
        "regional",
        "11",
        of_region("11"),
        "region",
        "All 8 départements of Île-de-France, Paris included: it overlaps the Comité de Paris (assumption: the site does not say Paris is excluded).",
    ),
    (
        "fr-paris",
        "Comité de Paris",
        "territorial",
        "11",
        ["75"],
        "city",
        "Paris (75) only; sub-regional committee inside Île-de-France, whose committee also covers 75.",
    ),
    (
        "fr-provence-corse",
        "Comité Provence-Corse",
        "regional",
        "93",
        [c for c in of_region("93") if c != "06"] + of_region("94"),
        "assumption",
        "ASSUMPTION: PACA except Alpes-Maritimes (04, 05, 13, 83, 84) plus Corse (2A, 2B), the complement of Nice Côte d'Azur; région 93, spans 94 too.",
    ),
    (
        "fr-nice-cote-d-azur",
        "Comité Nice Côte d'Azur",
        "territorial",
        "93",
        ["06"],
        "assumption",
        "ASSUMPTION: Alpes-Maritimes (06) only, the area of Nice and the Côte d'Azur; second PACA committee.",
    ),
]
for cid, name, region, dep in [
    ("fr-guadeloupe", "Comité Guadeloupe", "01", "971"),
    ("fr-martinique", "Comité Martinique", "02", "972"),
    ("fr-guyane", "Comité Guyane", "03", "973"),
    ("fr-la-reunion", "Comité La Réunion", "04", "974"),
    ("fr-mayotte", "Comité Mayotte", "06", "976"),
]:
    rows.append(
        (
            cid,
            name,
            "regional",
            region,
            [dep],
            "overseas_departement",
            "Overseas département and région (DROM); committee existence not verified.",
        )
    )
for cid, name, dep in [
    ("fr-nouvelle-caledonie", "Comité Nouvelle-Calédonie", "988"),
    ("fr-polynesie-francaise", "Comité Polynésie française", "987"),
]:
    rows.append(
        (
            cid,
            name,
            "regional",
            "",
            [dep],
            "overseas_collectivity",
            "Overseas collectivity (COM), no INSEE région; committee existence not verified.",
        )
    )

with (REPO / "reference" / "committee_departements.csv").open("w", encoding="utf-8", newline="") as fh:
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["committee_id", "committee_name", "kind", "region_code", "departement_codes", "basis", "note"])
    for cid, name, kind, region, deps, basis, note in rows:
        w.writerow([cid, name, kind, region, " ".join(deps), basis, note])
print(f"wrote {len(rows)} committees")
