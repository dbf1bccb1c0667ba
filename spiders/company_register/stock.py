"""Stock mode: the register queries answered locally by DuckDB over the monthly SIRENE stock
files of data.gouv.fr (StockUniteLegale / StockEtablissement, Parquet), no rate limit.

Each query gets one item in the crawl's item shape (kind, key, query, candidates with the
fields ``parse.py`` keeps), so the same matcher scores the same candidates either way.

Candidate generation by blocking, as the API's full-text search would find them:
- the query's name folded into tokens (the matcher's generic words left out);
- the rarest of them in the stock's name index (legal units' dénomination, sigle and usual
  names) when held by at most ``COMMON_FIRST`` units, and the next two when each is held by
  at most ``COMMON`` units, pick the candidates: units holding one of them. A word as common
  as "industrie" never widens a block; a name made of such words only gets no candidate (its
  ``no_match`` issue says the register returned none), where the API would rank thousands;
- with a département (pôles, members with a postcode), only units with an open
  établissement in it (the API's ``departement`` filter matches établissements too);
- the 30 sharing most tokens with the query are kept (the API crawl reads up to 3 pages of 10).

The head office (``nicSiegeUniteLegale``) gives the candidate's ``siege``: postcode, commune,
département, SIRET, as the API's ``siege`` object does.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from common.places import departement_of_postcode, fold, region_of_departement

UNITS = "StockUniteLegale_utf8.parquet"
ETABS = "StockEtablissement_utf8.parquet"
MAX_CANDIDATES = 30
BLOCKING_TOKENS = 3
COMMON_FIRST = 20_000
COMMON = 2_000
# Same words as the matcher leaves out of names (pipelines/enrich/match.py), plus one-letter ones.
GENERIC = (
    "association asso pole poles de du des la le les l d et competitivite the of for sa sas sarl ex a en au aux sur"
).split()

# NAF rev. 2 division (two digits) -> section, for the API's section_activite_principale.
_SECTIONS = [
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
    ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
    ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
]  # fmt: skip


def naf_section(naf: str | None) -> str | None:
    if not naf or not naf[:2].isdigit():
        return None
    division = int(naf[:2])
    return next((s for s, low, high in _SECTIONS if low <= division <= high), None)


def _fold_sql(column: str) -> str:
    """DuckDB's version of common.places.fold (accents, œ/æ, punctuation to spaces, lower case)."""
    text = f"replace(replace(lower(coalesce({column}, '')), 'œ', 'oe'), 'æ', 'ae')"
    return f"trim(regexp_replace(strip_accents({text}), '[^a-z0-9]+', ' ', 'g'))"


def query_tokens(query: dict) -> list[str]:
    return [t for t in dict.fromkeys(fold(query.get("name") or query.get("q") or "").split()) if t not in GENERIC]


class StockIndex:
    """The stock files loaded into DuckDB once; :meth:`answer` then serves any number of queries."""

    def __init__(self, folder: Path, memory_limit: str = "3GB", threads: int | None = None):
        import duckdb

        self.folder = Path(folder)
        units, etabs = self.folder / UNITS, self.folder / ETABS
        for path in (units, etabs):
            if not path.exists():
                raise FileNotFoundError(f"company_register stock mode: {path} is missing")
        self.db = duckdb.connect()
        self.db.execute(f"SET memory_limit = '{memory_limit}'")
        self.db.execute("SET preserve_insertion_order = false")
        if threads:
            self.db.execute(f"SET threads = {int(threads)}")
        started = time.perf_counter()
        self.db.execute(
            f"""CREATE TABLE units AS SELECT siren, denominationUniteLegale AS name, sigleUniteLegale AS sigle,
                concat_ws(' ', denominationUniteLegale, sigleUniteLegale, denominationUsuelle1UniteLegale) AS names,
                categorieJuridiqueUniteLegale AS nature, activitePrincipaleUniteLegale AS naf,
                etatAdministratifUniteLegale AS etat, nicSiegeUniteLegale AS nic_siege
            FROM read_parquet('{units}') WHERE denominationUniteLegale IS NOT NULL"""
        )
        self.db.execute(
            f"""CREATE TABLE etabs AS SELECT siren, siret, etablissementSiege AS siege,
                etatAdministratifEtablissement AS etat, codePostalEtablissement AS code_postal,
                libelleCommuneEtablissement AS libelle_commune, codeCommuneEtablissement AS commune,
                activitePrincipaleEtablissement AS naf,
                TRY_CAST(coordonneeLambertAbscisseEtablissement AS DOUBLE) AS x,
                TRY_CAST(coordonneeLambertOrdonneeEtablissement AS DOUBLE) AS y,
                CASE WHEN starts_with(codeCommuneEtablissement, '97') THEN left(codeCommuneEtablissement, 3)
                     ELSE left(codeCommuneEtablissement, 2) END AS dep
            FROM read_parquet('{etabs}')"""
        )
        generic = ", ".join(f"'{w}'" for w in GENERIC)
        self.db.execute(
            f"""CREATE TABLE tokens AS SELECT DISTINCT token, siren FROM (
                SELECT siren, unnest(string_split({_fold_sql("names")}, ' ')) AS token FROM units)
            WHERE token <> '' AND token NOT IN ({generic})"""
        )
        self.db.execute("CREATE TABLE df AS SELECT token, count(*) AS n FROM tokens GROUP BY token")
        self.load_seconds = round(time.perf_counter() - started, 2)

    def answer(self, queries: list[dict], source_url: str) -> list[dict]:
        """One item per query, in the crawl's shape (page 1 of 1), candidates as parse.py gives them."""
        rows = [(i, t) for i, q in enumerate(queries) for t in query_tokens(q)]
        deps = [(i, q.get("departement")) for i, q in enumerate(queries)]
        self.db.register("qtok_df", pd.DataFrame(rows, columns=["qid", "token"]).astype({"qid": "int64"}))
        self.db.register("qdep_df", pd.DataFrame(deps, columns=["qid", "dep"]).astype({"qid": "int64"}))
        found = self.db.execute(
            f"""
            WITH qtok AS (SELECT * FROM qtok_df),
            blocking AS (  -- each query's rarest tokens present in the stock
                SELECT qid, token FROM (
                    SELECT q.qid, q.token, d.n, row_number() OVER (PARTITION BY q.qid ORDER BY d.n, q.token) AS r
                    FROM qtok q JOIN df d USING (token))
                WHERE (r = 1 AND n <= {COMMON_FIRST}) OR (r <= {BLOCKING_TOKENS} AND n <= {COMMON})),
            pairs AS (SELECT DISTINCT b.qid, t.siren FROM blocking b JOIN tokens t USING (token)),
            placed AS (  -- the département filter: an open établissement there
                SELECT p.* FROM pairs p JOIN qdep_df q USING (qid)
                WHERE q.dep IS NULL OR EXISTS (
                    SELECT 1 FROM etabs e WHERE e.siren = p.siren AND e.dep = q.dep AND e.etat = 'A')),
            ranked AS (
                SELECT qid, siren FROM (
                    SELECT p.qid, p.siren, row_number() OVER (
                        PARTITION BY p.qid ORDER BY count(t.token) DESC, p.siren) AS r
                    FROM placed p LEFT JOIN qtok q ON q.qid = p.qid
                    LEFT JOIN tokens t ON t.siren = p.siren AND t.token = q.token
                    GROUP BY p.qid, p.siren) WHERE r <= {MAX_CANDIDATES})
            SELECT r.qid, u.siren, u.name, u.sigle, u.nature, u.naf, u.etat,
                   h.siret, h.code_postal, h.commune, h.libelle_commune, h.naf AS siege_naf, h.etat AS siege_etat,
                   h.x, h.y
            FROM ranked r JOIN units u USING (siren)
            LEFT JOIN etabs h ON h.siret = u.siren || u.nic_siege
            ORDER BY r.qid, u.siren"""
        ).fetchall()
        self.db.unregister("qtok_df")
        self.db.unregister("qdep_df")
        by_query: dict[int, list[dict]] = {}
        projected = []
        for qid, *row, x, y in found:
            cand = _candidate(*row)
            by_query.setdefault(qid, []).append(cand)
            if x is not None and y is not None:
                projected.append((cand["siege"], x, y))
        add_coordinates(projected)
        items = []
        for i, q in enumerate(queries):
            candidates = by_query.get(i, [])
            items.append(
                {
                    "source_url": source_url,
                    "kind": q.get("kind"),
                    "key": q.get("key"),
                    "query": q,
                    "page": 1,
                    "total_pages": 1 if candidates else 0,
                    "total_results": len(candidates),
                    "candidates": candidates,
                }
            )
        return items

    def close(self) -> None:
        self.db.close()


def _candidate(siren, name, sigle, nature, naf, etat, siret, code_postal, commune, libelle, siege_naf, siege_etat):
    dep = departement_of_postcode(code_postal) or (
        commune[:3] if (commune or "").startswith("97") else (commune or "")[:2] or None
    )
    return {
        "siren": siren,
        "nom_complet": f"{name} ({sigle})" if sigle else name,
        "nom_raison_sociale": name,
        "sigle": sigle,
        "nature_juridique": nature,
        "activite_principale": naf,
        "section_activite_principale": naf_section(naf),
        "etat_administratif": etat,
        "nombre_etablissements": None,
        "siege": {
            "siret": siret,
            "adresse": None,
            "code_postal": code_postal,
            "commune": commune,
            "libelle_commune": libelle,
            "departement": dep,
            "region": region_of_departement(dep),
            "activite_principale": siege_naf,
            "est_siege": True,
            "etat_administratif": siege_etat,
            "latitude": None,  # from the Lambert coordinates (add_coordinates)
            "longitude": None,
        },
    }


# The stock's projected coordinates: Lambert-93 in metropolitan France, UTM overseas (INSEE's
# documentation of coordonneeLambertAbscisseEtablissement), by département.
PROJECTIONS = {"971": "EPSG:5490", "972": "EPSG:5490", "973": "EPSG:2972", "974": "EPSG:2975", "976": "EPSG:4471"}
METROPOLE = "EPSG:2154"


def projection_of(dep: str | None) -> str:
    return PROJECTIONS.get(dep or "", METROPOLE)


def add_coordinates(projected: list[tuple[dict, float, float]]) -> None:
    """Fills each siege's latitude and longitude (WGS84, 6 decimals, as the API gives them) from
    its projected x, y; one pyproj transformer per projection, arrays at once."""
    from pyproj import Transformer

    by_crs: dict[str, list[tuple[dict, float, float]]] = {}
    for siege, x, y in projected:
        by_crs.setdefault(projection_of(siege.get("departement")), []).append((siege, x, y))
    for crs, rows in by_crs.items():
        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
            [r[1] for r in rows], [r[2] for r in rows]
        )
        for (siege, _, _), la, lo in zip(rows, lat, lon):
            siege["latitude"], siege["longitude"] = round(float(la), 6), round(float(lo), 6)


def stock_folder(source, live: bool, data_dir: Path) -> Path:
    """Where the stock files are: the bundled extract in replay mode; in live mode the data
    folder's copy, downloaded from data.gouv.fr's stable URLs when missing or older than
    ``refresh_days`` (the files are published monthly)."""
    from common.paths import REPO_ROOT

    config = source.stock
    if not live:
        return REPO_ROOT / config.sample
    folder = data_dir / config.path
    folder.mkdir(parents=True, exist_ok=True)
    for url, name in ((config.unite_legale_url, UNITS), (config.etablissement_url, ETABS)):
        target = folder / name
        if not target.exists() or time.time() - target.stat().st_mtime > config.refresh_days * 86400:
            download(str(url), target)
    return folder


def download(url: str, target: Path, chunk: int = 1 << 20) -> None:
    """Streams ``url`` to ``target`` through a temporary file (never a half-written Parquet)."""
    import requests

    tmp = target.with_suffix(target.suffix + ".part")
    try:
        with requests.get(url, stream=True, timeout=60) as response:
            response.raise_for_status()
            with tmp.open("wb") as fh:
                for block in response.iter_content(chunk):
                    fh.write(block)
    except requests.RequestException as exc:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"company_register stock mode: download of {url} failed: {exc}") from None
    tmp.replace(target)
