"""Part 6: pôle members resolved to SIREN, (a) against a synthetic SIRENE stock in DuckDB,
(b) a second weekly run through the lookup cache.

(a) ``members`` names (default 20,000) resolved against a synthetic stock of ``units`` legal
units (default 5,000,000, one head office each) written as the stock files' Parquet: the
time from opening the files to the resolved frame (the register spider's stock.py: DuckDB
blocking, then pipelines/enrich/members.py: the matcher), and the process's peak RSS. Run in
its own process, so the peak is its own. Names: invented brands (three syllables) + a trade
word + a legal form, so a name recurs in several départements, like real homonyms; 90% of
the members are units of the stock printed in title case, 10% are not in the stock.

(b) The company-register crawl, replayed from a synthetic archive with the lookup cache on,
twice: ``weekly`` members, then the same list with 2% replaced by new members. The second
run's lookups (``lookup_cache/asked``, requests that passed the cache) against the first's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PY, REPO


def register():
    """The source with SIRENE stock files (sources/*.yml ``stock``): the company register."""
    from common.sources import all_sources

    return next(s for s in all_sources() if s.stock is not None)


def stock_module():
    import importlib

    return importlib.import_module(register().spider_module + ".stock")


UNITS, MEMBERS, WEEKLY = 5_000_000, 20_000, 5_000
FLOOR_S, FLOOR_MB, FLOOR_SHARE = 120.0, 4096.0, 0.03
S1 = "ar bel cal dor ev gar hal kel lum mir nau or pel quen ri sol tal ul ven zor bri cor ast ber cy ly sa ter vel mo".split()
S2 = "tis via nor lyx dra mia ron zen lio vor nea gal teo rix phan quin sys mel ova dis ka lo ne ri su ta ve xo yu za".split()
S3 = "a on is ex um ia eo ix o al en ar el ys us ok an in et ot ea ou ad er im ul af ez ob ir".split()
WORDS = (
    "industrie mecanique ingenierie plasturgie usinage electronique automatismes agro robotics analytics biotech "
    "labs sensing data tech drones conseil logistique energie sante export distribution services systemes "
    "technologies composites materiaux optique photonique chimie pharma medical aero naval ferroviaire "
    "numerique logiciel reseaux securite"
).split()
FORMS = ["SAS", "SARL", "SA", ""]


def _sql_list(values) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def write_stock(folder: Path, units: int) -> None:
    """The synthetic stock: StockUniteLegale / StockEtablissement Parquet with the columns stock mode reads."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    db = duckdb.connect()
    db.execute("SET preserve_insertion_order = false")
    pick = "list_element({values}, (hash(i, {salt}) % {n})::INTEGER + 1)"
    name = " || ".join(
        [
            "upper(" + pick.format(values=_sql_list(S1), salt=1, n=len(S1)),
            pick.format(values=_sql_list(S2), salt=2, n=len(S2)),
            pick.format(values=_sql_list(S3), salt=3, n=len(S3)) + ")",
            "' '",
            "upper(" + pick.format(values=_sql_list(WORDS), salt=4, n=len(WORDS)) + ")",
            pick.format(values=_sql_list([f" {f}" if f else "" for f in FORMS]), salt=5, n=len(FORMS)),
        ]
    )
    deps = [f"{d:02d}" for d in range(1, 96) if d != 20]
    db.execute(
        f"""CREATE TABLE u AS SELECT i, lpad((300000000 + i)::VARCHAR, 9, '0') AS siren, {name} AS name,
            {pick.format(values=_sql_list(deps), salt=6, n=len(deps))} AS dep,
            lpad(((hash(i, 7) % 20) * 10)::VARCHAR, 3, '0') AS commune_no
        FROM range({units}) t(i)"""
    )
    db.execute(
        f"""COPY (SELECT siren, name AS denominationUniteLegale, NULL::VARCHAR AS sigleUniteLegale,
                NULL::VARCHAR AS denominationUsuelle1UniteLegale,
                CASE WHEN name LIKE '% SA' THEN '5599' WHEN name LIKE '% SARL' THEN '5499' ELSE '5710' END
                    AS categorieJuridiqueUniteLegale,
                '62.01Z' AS activitePrincipaleUniteLegale, 'A' AS etatAdministratifUniteLegale,
                '00012' AS nicSiegeUniteLegale
            FROM u) TO '{folder / "StockUniteLegale_utf8.parquet"}' (FORMAT parquet)"""
    )
    db.execute(
        f"""COPY (SELECT siren, siren || '00012' AS siret, true AS etablissementSiege, 'A' AS etatAdministratifEtablissement,
                dep || commune_no AS codePostalEtablissement, 'COMMUNE ' || dep || commune_no AS libelleCommuneEtablissement,
                dep || commune_no AS codeCommuneEtablissement, '62.01Z' AS activitePrincipaleEtablissement,
                NULL::VARCHAR AS enseigne1Etablissement, NULL::VARCHAR AS coordonneeLambertAbscisseEtablissement,
                NULL::VARCHAR AS coordonneeLambertOrdonneeEtablissement
            FROM u) TO '{folder / "StockEtablissement_utf8.parquet"}' (FORMAT parquet)"""
    )
    db.close()


def member_listings(folder: Path, n: int, seed: int = 29):
    """``n`` members: 90% units of the stock (title case, their head office's postcode), 10% new names."""
    import duckdb
    import pandas as pd

    rng = random.Random(seed)
    db = duckdb.connect()
    units = db.execute(
        f"""SELECT u.siren, u.denominationUniteLegale, e.codePostalEtablissement, e.libelleCommuneEtablissement
            FROM read_parquet('{folder / "StockUniteLegale_utf8.parquet"}') u
            JOIN read_parquet('{folder / "StockEtablissement_utf8.parquet"}') e USING (siren)
            USING SAMPLE reservoir({int(n * 0.9)} ROWS) REPEATABLE ({seed})"""
    ).fetchall()
    db.close()
    rows = [
        {"organisation": name.title(), "postcode": pc, "city": city.title(), "truth": siren}
        for siren, name, pc, city in units
    ]
    while len(rows) < n:
        rows.append(
            {
                "organisation": f"Zz{rng.choice(S1)}{rng.choice(S2)}{len(rows)} {rng.choice(WORDS).title()}",
                "postcode": f"{rng.randint(1, 95):02d}000",
                "city": "Nulle Part",
                "truth": None,
            }
        )
    df = pd.DataFrame(rows)
    df["cluster_id"] = [f"pole-{i % 57}" for i in range(len(df))]
    df["member_id"] = [f"{i:016x}" for i in range(len(df))]
    df["evidence_url"] = [f"https://pole-{i % 57}.example/membres" for i in range(len(df))]
    return df


def generate(work: Path, units: int, members: int) -> None:
    """The synthetic stock and the members, in their own process (outside the measured peak)."""
    write_stock(work, units)
    member_listings(work, members).to_parquet(work / "members.parquet")


def stock_child(units: int, members: int) -> dict:
    import pandas as pd

    from pipelines.enrich.members import member_queries, resolve_members

    StockIndex = stock_module().StockIndex
    work = Path(tempfile.mkdtemp(prefix="bench-stock-"))
    started = time.perf_counter()
    cmd = [PY, "-m", "bench.members", "--generate", str(work), "--units", str(units), "--members", str(members)]
    subprocess.run(cmd, cwd=REPO, check=True)
    listings = pd.read_parquet(work / "members.parquet")
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    index = StockIndex(work)
    load_s = time.perf_counter() - started
    items = index.answer(member_queries(listings), "https://stock.example")
    answer_s = time.perf_counter() - started - load_s
    resolved, issues = resolve_members(listings.drop(columns="truth"), items)
    total_s = time.perf_counter() - started
    confirmed = resolved["match_confidence"] == "confirmed"
    in_stock = listings["truth"].notna()
    right = (resolved["siren"] == listings["truth"]) & confirmed
    return {
        "units": units,
        "members": len(listings),
        "generate_s": round(generate_s, 1),
        "load_s": round(load_s, 2),
        "answer_s": round(answer_s, 2),
        "match_s": round(total_s - load_s - answer_s, 2),
        "total_s": round(total_s, 2),
        "candidates": sum(len(i["candidates"]) for i in items),
        "confidence": resolved["match_confidence"].value_counts().to_dict(),
        "issues": len(issues),
        "confirmed_right_share_of_members_in_stock": round(float(right.sum() / in_stock.sum()), 4),
        "confirmed_wrong": int((confirmed & (resolved["siren"] != listings["truth"])).sum()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _answer(query: dict, siren: str) -> bytes:
    pc = query.get("code_postal")
    siege = {"siret": siren + "00012", "code_postal": pc, "libelle_commune": query.get("city"), "departement": query.get("departement")}  # fmt: skip
    result = {"siren": siren, "nom_complet": query["name"].upper(), "nom_raison_sociale": query["name"].upper(), "siege": siege}  # fmt: skip
    return json.dumps({"results": [result], "total_results": 1, "page": 1, "total_pages": 1}).encode()


def weekly(work: Path, n: int) -> dict:
    """Two replayed register crawls through the lookup cache: n members, then 2% of them new."""
    import pandas as pd

    from common.queries import write_queries
    from pipelines.enrich.members import member_queries

    rng = random.Random(31)
    first = pd.DataFrame(
        {"organisation": [f"{rng.choice(S1).title()}{rng.choice(S2)}{i} {rng.choice(WORDS).title()}" for i in range(n)],
         "postcode": [f"{rng.randint(1, 95):02d}{rng.randint(0, 9)}00" for _ in range(n)]}
    )  # fmt: skip
    second = first.copy()
    new = rng.sample(range(n), max(1, round(n * 0.02)))
    second.loc[new, "organisation"] = [f"Nouveau Membre {i}" for i in range(len(new))]
    archive = work / "archive"
    (archive / "pages").mkdir(parents=True, exist_ok=True)
    responses, queries = [], {}
    for week, frame in (("1", first), ("2", second)):
        queries[week] = member_queries(frame.assign(city=None))
        write_queries(queries[week], work / f"queries-{week}.jsonl")
    seen = {}
    for q in queries["1"] + queries["2"]:
        if q["url"] not in seen:
            seen[q["url"]] = f"pages/{len(seen)}.json"
            (archive / seen[q["url"]]).write_bytes(_answer(q, f"{300000000 + len(seen):09d}"))
            responses.append({"url": q["url"], "status": 200, "headers": {"Content-Type": "application/json"}, "file": seen[q["url"]]})  # fmt: skip
    source = register().name
    manifest = {"source": source, "captured_at": "2026-11-01T06:00:00Z", "reconstruction": True, "responses": responses}  # fmt: skip
    (archive / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    runs = {}
    for week in ("1", "2"):
        out = work / f"run-{week}"
        cmd = [PY, "-m", "spiders.crawl", source, "--replay", str(archive), "--out", str(out),
               "-a", f"queries={work / f'queries-{week}.jsonl'}", "-s", "LOOKUP_CACHE_ENABLED=true",
               "-s", f"LOOKUP_CACHE_PATH={work / 'lookups.sqlite'}"]  # fmt: skip
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        stats = json.loads((out / "stats.json").read_text(encoding="utf-8")) if (out / "stats.json").exists() else {}
        runs[week] = {
            "returncode": proc.returncode,
            "wall_s": round(time.perf_counter() - started, 1),
            "queries": len(queries[week]),
            "asked": stats.get("lookup_cache/asked", 0),
            "from_cache": stats.get("lookup_cache/hit", 0),
            "items": sum(1 for _ in (out / "items.jsonl").open()) if (out / "items.jsonl").exists() else 0,
        }
        if proc.returncode:
            runs[week]["error"] = proc.stderr[-2000:]
    share = runs["2"]["asked"] / runs["1"]["asked"] if runs["1"]["asked"] else 1.0
    return {
        "members": n,
        "new_members": len(new),
        "first": runs["1"],
        "second": runs["2"],
        "asked_share": round(share, 4),
    }


def run(work: Path, units: int = UNITS, members: int = MEMBERS, weekly_n: int = WEEKLY) -> dict:
    proc = subprocess.run(
        [PY, "-m", "bench.members", "--child", "--units", str(units), "--members", str(members)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    result = {"command": f"python -m bench.members --units {units} --members {members} --weekly {weekly_n}"}
    if proc.returncode != 0:
        result["stock"] = {"error": proc.stderr[-2000:]}
        stock_ok = False
    else:
        result["stock"] = json.loads(proc.stdout)
        stock_ok = True
    result["weekly"] = weekly(work, weekly_n)
    s = result["stock"]
    result["floors"] = {
        f"{members} members x {units:,} units in DuckDB in <= {FLOOR_S:.0f} s": stock_ok and s["total_s"] <= FLOOR_S,
        f"stock mode peak memory <= {FLOOR_MB / 1024:.0f} GB": stock_ok and s["peak_rss_mb"] <= FLOOR_MB,
        f"second weekly run (2% new members) asks <= {FLOOR_SHARE:.0%} of the first run's lookups": (
            result["weekly"]["asked_share"] <= FLOOR_SHARE
        ),
    }
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.members", description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=UNITS, help="legal units of the synthetic stock")
    ap.add_argument("--members", type=int, default=MEMBERS, help="member names to resolve against it")
    ap.add_argument("--weekly", type=int, default=WEEKLY, help="members of the two weekly API runs")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    ns = ap.parse_args(argv)
    if min(ns.units, ns.members, ns.weekly) < 1:
        ap.error("--units, --members and --weekly must be at least 1")
    if ns.generate:
        generate(ns.generate, ns.units, ns.members)
        return 0
    if ns.child:
        out = stock_child(ns.units, ns.members)
    else:
        out = run(Path(tempfile.mkdtemp(prefix="bench-members-")), ns.units, ns.members, ns.weekly)
    print(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
