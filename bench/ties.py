"""Part 5: match N seats against N advisors (pipelines/join/ties.py) without comparing every pair.

Synthetic, deterministic inputs (invented names): advisors on the French committees of
reference/committee_departements.csv and on country sections, pôles in random départements,
seats that are advisors (exact, capitals, initial, compound-name variants), homonyms, and
strangers. The matcher looks each name reading up by folded family name; the figure that shows
it is ``comparisons`` (seat reading x advisor pairs looked at) against the N x N pairs a pairwise
matcher would score. Run in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time

from bench.common import PY, REPO

SIZE = 5_000
FLOOR_S = 60.0  # matching N x N on 2 cores
FLOOR_SHARE = 0.01  # comparisons at most 1% of the N x N pairs
GIVEN = [
    "Jean",
    "Marie",
    "Pierre",
    "Claire",
    "Luc",
    "Anne",
    "Paul",
    "Sophie",
    "Marc",
    "Julie",
    "Hervé",
    "Élise",
    "Jean-Marc",
    "Marie-Laure",
    "Rémi",
    "Odile",
    "Yann",
    "Gaëlle",
    "Hugo",
    "Léa",
]
SYLLABLES = [
    "ker",
    "bel",
    "mar",
    "lan",
    "dou",
    "vil",
    "ros",
    "tan",
    "gué",
    "pel",
    "rin",
    "mon",
    "bras",
    "cha",
    "lor",
    "vel",
]
PARTICLES = ["", "", "", "", "de ", "Le ", "du "]
ORGS = ["Industrie", "Conseil", "Énergie", "Santé", "Logistique", "Export"]


def _family(rng: random.Random) -> str:
    return rng.choice(PARTICLES) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def inputs(n: int, seed: int = 13):
    import pandas as pd

    rng = random.Random(seed)
    with (REPO / "reference" / "committee_departements.csv").open(encoding="utf-8") as fh:
        french = [r for r in csv.DictReader(fh) if r["kind"] == "regional"]
    committees = [
        {
            "committee_id": r["committee_id"],
            "kind": "regional",
            "country_code": "FR",
            "region_code": r["region_code"],
            "departement_codes": r["departement_codes"].split(),
        }
        for r in french
    ]
    committees += [
        {
            "committee_id": f"section-{c}",
            "kind": "country_section",
            "country_code": c.upper(),
            "region_code": None,
            "departement_codes": [],
        }
        for c in ("de", "jp", "us", "br", "cn")
    ]
    deps = [(d, r["region_code"]) for r in french for d in r["departement_codes"].split()]
    clusters = []
    for i in range(57):
        dep, region = rng.choice(deps)
        clusters.append(
            {
                "cluster_id": f"pole-{i}",
                "name": f"Pôle {i}",
                "website": f"https://pole-{i}.example",
                "departement_code": dep,
                "region_code": region,
                "other_region_codes": [],
                "source_url": f"https://dir.example/{i}",
            }
        )
    advisors = []
    for i in range(n):
        family, given = _family(rng), [rng.choice(GIVEN)]
        advisors.append(
            {
                "advisor_id": f"{i:016x}",
                "family_name": family,
                "given_names": given,
                "display_name": f"{given[0]} {family}",
                "committee_id": rng.choice(committees)["committee_id"],
                "company": f"{family} {rng.choice(ORGS)} SAS",
            }
        )
    seats = []
    for i in range(n):
        cluster = rng.choice(clusters)
        kind = rng.random()
        truth = None
        if kind < 0.3:  # an advisor, printed one of the ways pages print names
            a = rng.choice(advisors)
            truth = a["advisor_id"]
            g, f = a["given_names"][0], a["family_name"]
            name = rng.choice([f"{g} {f}", f"{f.upper()} {g}", f"{g[0]}. {f}", f"{g.replace('-', ' ')} {f}"])
            org = a["company"] if rng.random() < 0.5 else "Autre Organisation"
        elif kind < 0.4:  # a homonym: an advisor's family name, another given name
            a = rng.choice(advisors)
            name, org = f"{rng.choice(GIVEN)} {a['family_name']}", "Homonyme SA"
        else:  # a stranger
            name, org = f"{rng.choice(GIVEN)} {_family(rng)}", "Inconnue SARL"
        url = f"{cluster['website']}/gouvernance"
        seats.append(
            {
                "seat_id": f"s{i}",
                "cluster_id": cluster["cluster_id"],
                "person_name": name,
                "role": "Administrateur",
                "role_kind": "board_member",
                "body": "board",
                "organisation": org,
                "evidence_url": url,
                "evidence_text": name,
                "siren": None,
                "opted_out": False,
                "source_url": url,
                "truth": truth,
            }
        )
    return pd.DataFrame(seats), pd.DataFrame(advisors), pd.DataFrame(clusters), pd.DataFrame(committees)


def child(n: int) -> dict:
    from pipelines.join.ties import AdvisorIndex, match_ties

    started = time.perf_counter()
    seats, advisors, clusters, committees = inputs(n)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    index = AdvisorIndex(advisors)
    ties, issues = match_ties(seats, advisors, clusters, committees, index=index)
    match_s = time.perf_counter() - started
    # Against the generator's truth (which advisor a seat was printed from): a confirmed tie to any
    # other advisor is false. Synthetic names come from a small pool, so chance homonyms are far
    # more frequent than among real names: a pessimistic precision.
    truth = dict(zip(seats["seat_id"], seats["truth"]))
    confirmed = ties[ties["match"] == "confirmed"]
    right = sum(truth[s] == a for s, a in zip(confirmed["seat_id"], confirmed["advisor_id"]))
    printed_from_advisors = int(seats["truth"].notna().sum())
    return {
        "seats": len(seats),
        "advisors": len(advisors),
        "generate_s": round(generate_s, 2),
        "match_s": round(match_s, 2),
        "comparisons": index.comparisons,
        "pairwise": len(seats) * len(advisors),
        "ties": ties["match"].value_counts().to_dict(),
        "issues": len(issues),
        "confirmed_precision": round(right / len(confirmed), 4) if len(confirmed) else None,
        "confirmed_recall": round(right / printed_from_advisors, 4) if printed_from_advisors else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(n: int = SIZE) -> dict:
    proc = subprocess.run(
        [PY, "-m", "bench.ties", "--child", "--size", str(n)], cwd=REPO, capture_output=True, text=True
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "floors": {f"ties {n}x{n}: ran": False}}
    result = json.loads(proc.stdout)
    share = result["comparisons"] / result["pairwise"]
    result["comparison_share"] = round(share, 6)
    result["floors"] = {
        f"ties {n} seats x {n} advisors in <= {FLOOR_S:.0f} s": result["match_s"] <= FLOOR_S,
        f"ties comparisons <= {FLOOR_SHARE:.0%} of the pairs (no pairwise matching)": share <= FLOOR_SHARE,
    }
    result["command"] = f"python -m bench.ties --size {n}"
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ties", description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=SIZE, help="seats and advisors (each)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if ns.size < 1:
        ap.error("--size must be at least 1")
    print(json.dumps(child(ns.size) if ns.child else run(ns.size), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
