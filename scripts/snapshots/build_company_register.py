"""Build the company_register sample snapshot: reconstructed /search answers, real API shape.

    .venv/bin/python scripts/snapshots/build_company_register.py --from-snapshots   # what `make run` asks
    .venv/bin/python scripts/snapshots/build_company_register.py [--clusters TABLE] [--advisors TABLE]

``--from-snapshots`` replays the bundled poles, cce_committees and cce_appointments snapshots
(each crawl in its own process) and runs the same clean steps as the pipeline
(directory_clusters, merged_advisors), so the queries are exactly the ones the pipeline
will send. Re-run it whenever one of those snapshots or clean steps changes.

Without ``--clusters`` the pôles come from reference/facts/poles_phase5.csv with the
rules the poles pipeline uses (cluster_id = slug of the short name, name as listed, city
as listed, postcode from the head-office commune). To re-align the snapshot with the
clusters table the pipeline actually builds, pass it (CSV, Parquet or JSON Lines with
cluster_id or short_name, name, and postcode/city when known): queries.jsonl and every
answer are regenerated from it, with the same deliberate variants.

Deterministic: identifiers come from hashes of the query keys. Every SIREN/SIRET is invented
(valid Luhn key) and every address is invented; only communes and their coordinates are real.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from common.places import departement_of_postcode, fold, region_of_departement  # noqa: E402
from pipelines.clean.frames import slugify  # noqa: E402
from spiders.company_register.queries import PER_PAGE, build_queries, read_queries, search_url, write_queries  # noqa: E402

OUT = REPO / "data" / "snapshots" / "company_register"
REFERENCE = REPO / "reference" / "facts"
CAPTURED_AT = "2026-11-01T06:00:00Z"
JSON = {"Content-Type": "application/json"}

# Real communes: postcode, INSEE commune code, latitude, longitude (approximate centre).
COMMUNES = {
    "toulouse": ("Toulouse", "31000", "31555", 43.6045, 1.4440),
    "auzeville tolosane": ("Auzeville-Tolosane", "31320", "31035", 43.5281, 1.4828),
    "talence": ("Talence", "33400", "33522", 44.8080, -0.5890),
    "boulogne sur mer": ("Boulogne-sur-Mer", "62200", "62160", 50.7264, 1.6147),
    "nantes": ("Nantes", "44000", "44109", 47.2184, -1.5536),
    "lyon": ("Lyon", "69007", "69387", 45.7485, 4.8467),
    "laon": ("Laon", "02000", "02408", 49.5641, 3.6199),
    "illkirch graffenstaden": ("Illkirch-Graffenstaden", "67400", "67218", 48.5297, 7.7153),
    "paris": ("Paris", "75013", "75113", 48.8322, 2.3561),
    "aix en provence": ("Aix-en-Provence", "13100", "13001", 43.5297, 5.4474),
    "clermont ferrand": ("Clermont-Ferrand", "63000", "63113", 45.7772, 3.0870),
    "loos": ("Loos", "59120", "59360", 50.6128, 3.0144),
    "lille": ("Lille", "59000", "59350", 50.6292, 3.0573),
    "chartres": ("Chartres", "28000", "28085", 48.4439, 1.4890),
    "bouguenais": ("Bouguenais", "44340", "44020", 47.1777, -1.6236),
    "marseille": ("Marseille", "13006", "13206", 43.2870, 5.3810),
    "colombelles": ("Colombelles", "14460", "14167", 49.2003, -0.2967),
    "caen": ("Caen", "14000", "14118", 49.1829, -0.3707),
    "rennes": ("Rennes", "35000", "35238", 48.1173, -1.6778),
    "avignon": ("Avignon", "84000", "84007", 43.9493, 4.8055),
    "valenciennes": ("Valenciennes", "59300", "59606", 50.3570, 3.5235),
    "grenoble": ("Grenoble", "38000", "38185", 45.1885, 5.7245),
    "saint etienne du rouvray": ("Saint-Étienne-du-Rouvray", "76800", "76575", 49.3786, 1.1050),
    "rouen": ("Rouen", "76000", "76540", 49.4432, 1.0999),
    "chalon sur saone": ("Chalon-sur-Saône", "71100", "71076", 46.7806, 4.8539),
    "besancon": ("Besançon", "25000", "25056", 47.2378, 6.0241),
    "pau": ("Pau", "64000", "64445", 43.2951, -0.3708),
    "limoges": ("Limoges", "87000", "87085", 45.8336, 1.2611),
    "brest": ("Brest", "29200", "29019", 48.3904, -4.4861),
    "toulon": ("Toulon", "83000", "83137", 43.1242, 5.9280),
    "etupes": ("Étupes", "25460", "25228", 47.5050, 6.8706),
    "saint denis": ("Saint-Denis", "97400", "97411", -20.8823, 55.4504),
    "tours": ("Tours", "37000", "37261", 47.3941, 0.6848),
    "biot": ("Biot", "06410", "06018", 43.6163, 7.0552),
    "sophia antipolis": ("Biot", "06410", "06018", 43.6163, 7.0552),
    "angers": ("Angers", "49000", "49007", 47.4784, -0.5632),
    "dijon": ("Dijon", "21000", "21231", 47.3220, 5.0415),
    "gradignan": ("Gradignan", "33170", "33192", 44.7725, -0.6156),
    "bordeaux": ("Bordeaux", "33000", "33063", 44.8378, -0.5792),
    "perpignan": ("Perpignan", "66000", "66136", 42.6887, 2.8948),
    "tourcoing": ("Tourcoing", "59200", "59599", 50.7239, 3.1612),
    "strasbourg": ("Strasbourg", "67000", "67482", 48.5734, 7.7521),
    "metz": ("Metz", "57000", "57463", 49.1193, 6.1757),
    "loos en gohelle": ("Loos-en-Gohelle", "62750", "62528", 50.4578, 2.7925),
    "begles": ("Bègles", "33130", "33039", 44.8086, -0.5478),
    "montpellier": ("Montpellier", "34000", "34172", 43.6108, 3.8767),
    "orleans": ("Orléans", "45000", "45234", 47.9030, 1.9093),
    "lisieux": ("Lisieux", "14100", "14366", 49.1466, 0.2266),
    "bayeux": ("Bayeux", "14400", "14047", 49.2765, -0.7025),
}
# Communes of the pôle_members sample (its README: real communes of each pôle's région), by
# postcode: real INSEE codes, approximate centres.
MEMBER_COMMUNES = {
    "31400": ("Toulouse", "31400", "31555", 43.5800, 1.4560),
    "31700": ("Blagnac", "31700", "31069", 43.6363, 1.3899),
    "33600": ("Pessac", "33600", "33318", 44.8067, -0.6311),
    "13007": ("Marseille", "13007", "13207", 43.2840, 5.3600),
    "06000": ("Nice", "06000", "06088", 43.7102, 7.2620),
    "06560": ("Valbonne", "06560", "06152", 43.6414, 7.0089),
    "17000": ("La Rochelle", "17000", "17300", 46.1603, -1.1511),
    "86000": ("Poitiers", "86000", "86194", 46.5802, 0.3404),
    "22000": ("Saint-Brieuc", "22000", "22278", 48.5141, -2.7603),
    "29000": ("Quimper", "29000", "29232", 47.9960, -4.1024),
    "56100": ("Lorient", "56100", "56121", 47.7483, -3.3702),
    "56000": ("Vannes", "56000", "56260", 47.6582, -2.7608),
    "26000": ("Valence", "26000", "26362", 44.9334, 4.8924),
    "30000": ("Nîmes", "30000", "30189", 43.8367, 4.3601),
    "42000": ("Saint-Étienne", "42000", "42218", 45.4397, 4.3872),
    "73000": ("Chambéry", "73000", "73065", 45.5646, 5.9178),
    "74000": ("Annecy", "74000", "74010", 45.8992, 6.1294),
    "65000": ("Tarbes", "65000", "65440", 43.2328, 0.0781),
    "81000": ("Albi", "81000", "81004", 43.9289, 2.1464),
    "44600": ("Saint-Nazaire", "44600", "44184", 47.2735, -2.2138),
    "53000": ("Laval", "53000", "53130", 48.0707, -0.7734),
    "72000": ("Le Mans", "72000", "72181", 48.0061, 0.1996),
    "85000": ("La Roche-sur-Yon", "85000", "85191", 46.6705, -1.4260),
    "59140": ("Dunkerque", "59140", "59183", 51.0343, 2.3768),
    "60200": ("Compiègne", "60200", "60159", 49.4179, 2.8261),
    "62000": ("Arras", "62000", "62041", 50.2910, 2.7775),
    "80000": ("Amiens", "80000", "80021", 49.8941, 2.2958),
    "75011": ("Paris", "75011", "75111", 48.8590, 2.3800),
    "75012": ("Paris", "75012", "75112", 48.8350, 2.4210),
    "75015": ("Paris", "75015", "75115", 48.8400, 2.2930),
    "77420": ("Champs-sur-Marne", "77420", "77083", 48.8528, 2.6027),
    "78280": ("Guyancourt", "78280", "78297", 48.7734, 2.0739),
    "91120": ("Palaiseau", "91120", "91477", 48.7145, 2.2457),
    "92130": ("Issy-les-Moulineaux", "92130", "92040", 48.8245, 2.2743),
    "93200": ("Saint-Denis", "93200", "93066", 48.9362, 2.3574),
    "94200": ("Ivry-sur-Seine", "94200", "94041", 48.8157, 2.3849),
    # Listed with a city and no postcode (Bourgogne-Franche-Comté directory):
    "39100": ("Dole", "39100", "39198", 47.0920, 5.4897),
    "58000": ("Nevers", "58000", "58194", 46.9908, 3.1590),
    "89000": ("Auxerre", "89000", "89024", 47.7982, 3.5673),
}
_BY_POSTCODE = {c[1]: c for c in COMMUNES.values()}

# Deliberate variants (by cluster_id), each exercising one matcher path.
AMBIGUOUS = "hippolia"  # two associations with close names, in two other communes of the département
NO_RESULT = "derbi"  # total_results 0
PAGINATED = "av"  # total_pages 2, the pôle on page 2
HOMONYM = "cosmetic-valley"  # same name, head office in another région (établissement in the département)

STREETS = [
    ("RUE", "DE LA REPUBLIQUE"),
    ("AVENUE", "DE L EUROPE"),
    ("BOULEVARD", "PASTEUR"),
    ("RUE", "DES INNOVATEURS"),
    ("ALLEE", "DES SAVANTS"),
    ("RUE", "DU GENERAL LECLERC"),
    ("PLACE", "DE LA GARE"),
    ("CHEMIN", "DES VIGNES"),
    ("AVENUE", "JEAN JAURES"),
    ("RUE", "VICTOR HUGO"),
    ("QUAI", "DES CHARTRONS"),
    ("RUE", "DE LA TECHNOPOLE"),
]

# Invented advisor companies: (name, NAF code, NAF section, commune key[, second commune for a homonym]).
ADVISOR_COMPANIES = [
    ("Aéro Composites du Sud", "30.30Z", "C", "toulouse"),
    ("Transports Garonne Logistique", "49.41A", "H", "bordeaux"),
    ("Cabinet Export Horizon", "70.22Z", "M", "lyon"),
    ("Crédit Armoricain des Entreprises", "64.19Z", "K", "rennes"),
    ("Vignobles Delorme Frères", "01.21Z", "A", "avignon"),
    ("Numérique Rhône Solutions", "62.02A", "J", "lyon"),
    ("Maison Lefort Distribution", "46.90Z", "G", "lyon", "lille"),  # homonym in two régions: ambiguous
    ("Société Imaginaire Zéro", None, None, None),  # no result
]
_SECTION_BY_WORD = {
    "logistique": ("52.29A", "H"),
    "transport": ("49.41A", "H"),
    "conseil": ("70.22Z", "M"),
    "banque": ("64.19Z", "K"),
    "numerique": ("62.02A", "J"),
    "aero": ("30.30Z", "C"),
    "vin": ("11.02A", "C"),
    "export": ("46.90Z", "G"),
    "industrie": ("28.99B", "C"),
    "mecanique": ("25.62B", "C"),
    "cidre": ("11.03Z", "C"),
    "marine": ("30.11Z", "C"),
    "agro": ("10.89Z", "C"),
    "energie": ("35.14Z", "D"),
    "sante": ("86.22C", "Q"),
    "diagnostic": ("71.20B", "M"),
    "credit": ("64.19Z", "K"),
    "distribution": ("46.90Z", "G"),
}
_FALLBACK_NAF = [("70.22Z", "M"), ("46.69B", "G"), ("25.62B", "C"), ("62.02A", "J"), ("71.12B", "M")]


def h(*parts: str) -> int:
    return int(hashlib.sha1("\x1f".join(parts).encode()).hexdigest(), 16)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def with_luhn_key(stem: str) -> str:
    return next(stem + str(k) for k in range(10) if luhn_ok(stem + str(k)))


class Ids:
    """Invented SIREN (Luhn) and head-office SIRET (Luhn over 14 digits), unique per build."""

    def __init__(self):
        self.used: set[str] = set()
        self.entries: dict[str, dict] = {}  # seed -> result: one legal unit, whichever answer lists it
        self.secondary: dict[str, dict] = {}  # siren -> its secondary établissement (the stock extract lists it)

    def siren(self, *seed: str) -> str:
        n = 0
        while True:
            stem = f"{(h(*seed, str(n)) % 70_000_000) + 30_000_000:08d}"
            # 3xx-9xx: 1xx/2xx SIRENs belong to public bodies and collectivities.
            siren = with_luhn_key(stem)
            if siren not in self.used:
                self.used.add(siren)
                return siren
            n += 1

    @staticmethod
    def siret(siren: str) -> str:
        return with_luhn_key(siren + "0001")


def commune_for(city: str | None, postcode: str | None):
    if city:
        key = fold(city.split("(")[0])
        if key in COMMUNES:
            return COMMUNES[key]
        inner = fold(city.split("(")[1].rstrip(")")) if "(" in city else ""
        if inner in COMMUNES:
            return COMMUNES[inner]
    if postcode and postcode in _BY_POSTCODE:
        return _BY_POSTCODE[postcode]
    dep = departement_of_postcode(postcode)
    for c in COMMUNES.values():
        if dep and departement_of_postcode(c[1]) == dep:
            return c
    return COMMUNES["paris"]


def siege(siren: str, commune, seed: str, postcode: str | None = None, naf: str = "94.99Z") -> dict:
    name, pc_default, insee, lat, lon = commune
    pc = postcode or pc_default
    dep = departement_of_postcode(pc) or departement_of_postcode(pc_default)
    n = h(seed, "addr")
    type_voie, voie = STREETS[n % len(STREETS)]
    num = str(1 + n % 120)
    jlat = lat + ((n >> 8) % 200 - 100) / 10_000
    jlon = lon + ((n >> 16) % 200 - 100) / 10_000
    commune_label = fold(name).upper().replace(" ", "-") if "-" in name else fold(name).upper()
    return {
        "activite_principale": naf,
        "activite_principale_registre_metier": None,
        "annee_tranche_effectif_salarie": "2023",
        "adresse": f"{num} {type_voie} {voie} {pc} {commune_label}",
        "caractere_employeur": "O",
        "cedex": None,
        "code_pays_etranger": None,
        "code_postal": pc,
        "commune": insee,
        "complement_adresse": None,
        "coordonnees": f"{jlat:.6f},{jlon:.6f}",
        "date_creation": f"{2005 + n % 15}-0{1 + n % 9}-1{n % 10}",
        "date_debut_activite": f"{2005 + n % 15}-0{1 + n % 9}-1{n % 10}",
        "date_fermeture": None,
        "date_mise_a_jour": None,
        "date_mise_a_jour_insee": "2026-10-03T08:12:44",
        "departement": dep,
        "distribution_speciale": None,
        "epci": None,
        "est_siege": True,
        "etat_administratif": "A",
        "geo_adresse": None,
        "geo_id": None,
        "indice_repetition": None,
        "latitude": f"{jlat:.6f}",
        "libelle_cedex": None,
        "libelle_commune": commune_label,
        "libelle_commune_etranger": None,
        "libelle_pays_etranger": None,
        "libelle_voie": voie,
        "liste_enseignes": None,
        "liste_finess": None,
        "liste_id_bio": [],
        "liste_idcc": [],
        "liste_id_organisme_formation": [],
        "liste_rge": [],
        "liste_uai": [],
        "longitude": f"{jlon:.6f}",
        "nom_commercial": None,
        "numero_voie": num,
        "region": region_of_departement(dep),
        "siret": Ids.siret(siren),
        "statut_diffusion_etablissement": "O",
        "tranche_effectif_salarie": "11",
        "type_voie": type_voie,
    }


def result(
    ids: Ids,
    seed: str,
    raison: str,
    sigle: str | None,
    commune,
    *,
    postcode=None,
    naf="94.99Z",
    section="S",
    nature="9220",
    extra_etab=None,
) -> dict:
    if seed in ids.entries:  # the same legal unit in another answer (a member that is an advisor's company)
        return ids.entries[seed]
    siren = ids.siren(seed)
    head = siege(siren, commune, seed, postcode, naf)
    association = nature.startswith("92")
    matching = [{k: v for k, v in head.items() if k in _ETAB_KEYS}]
    other = None
    if extra_etab is not None:  # a secondary établissement: why a département filter returns it
        other = siege(siren, extra_etab, seed + "/etab", None, naf)
        other.update(est_siege=False, siret=with_luhn_key(siren + "0002"))
        matching = [{k: v for k, v in other.items() if k in _ETAB_KEYS}]
    entry = {
        "siren": siren,
        "nom_complet": f"{raison} ({sigle})" if sigle else raison,
        "nom_raison_sociale": raison,
        "sigle": sigle,
        "nombre_etablissements": 1 + (extra_etab is not None),
        "nombre_etablissements_ouverts": 1 + (extra_etab is not None),
        "siege": head,
        "activite_principale": naf,
        "categorie_entreprise": "PME",
        "caractere_employeur": "O",
        "annee_categorie_entreprise": "2023",
        "date_creation": head["date_creation"],
        "date_mise_a_jour": "2026-10-03T08:12:44",
        "date_mise_a_jour_insee": "2026-10-03T08:12:44",
        "date_mise_a_jour_rne": None,
        "dirigeants": [],  # persons left out of the sample on purpose
        "etat_administratif": "A",
        "nature_juridique": nature,
        "section_activite_principale": section,
        "tranche_effectif_salarie": "11",
        "annee_tranche_effectif_salarie": "2023",
        "statut_diffusion": "O",
        "matching_etablissements": matching,
        "finances": {},
        "complements": {
            "convention_collective_renseignee": False,
            "liste_idcc": [],
            "egapro_renseignee": False,
            "est_achats_responsables": False,
            "est_alim_confiance": False,
            "est_association": association,
            "est_bio": False,
            "est_entrepreneur_individuel": False,
            "est_entrepreneur_spectacle": False,
            "est_ess": association,
            "est_finess": False,
            "est_organisme_formation": False,
            "est_qualiopi": False,
            "est_rge": False,
            "est_service_public": None,
            "est_administration": False,
            "est_l100_3": None,
            "est_siae": False,
            "est_societe_mission": False,
            "est_uai": False,
            "est_patrimoine_vivant": False,
            "bilan_ges_renseigne": False,
            "identifiant_association": f"W{siren[:3]}{siren[3:]}" if association else None,
            "statut_entrepreneur_spectacle": None,
            "type_siae": None,
        },
        "tva": [] if association else [f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"],
    }
    ids.entries[seed] = entry
    if other is not None:
        ids.secondary[siren] = other
    return entry


_ETAB_KEYS = (
    "activite_principale",
    "adresse",
    "caractere_employeur",
    "code_postal",
    "commune",
    "date_creation",
    "date_debut_activite",
    "date_fermeture",
    "epci",
    "est_siege",
    "etat_administratif",
    "geo_id",
    "latitude",
    "libelle_commune",
    "liste_enseignes",
    "liste_finess",
    "liste_id_bio",
    "liste_idcc",
    "liste_id_organisme_formation",
    "liste_rge",
    "liste_uai",
    "longitude",
    "nom_commercial",
    "region",
    "siret",
    "statut_diffusion_etablissement",
    "tranche_effectif_salarie",
)

# complements.collectivite_territoriale is left out: an object (not nullable) in the spec, for collectivities only.


def _raison(name: str) -> str:
    return fold(name.split(" (")[0]).upper()


def distractor(ids: Ids, q: dict, i: int, commune) -> dict:
    """A real-looking unrelated hit sharing one word with the query (what a full-text search returns)."""
    words = [w for w in fold(q["name"]).split() if len(w) > 3] or [fold(q["name"]) or "pole"]
    word = words[i % len(words)].upper()
    suffix = [
        "CONSEIL",
        "INVEST",
        "IMMOBILIER",
        "SERVICES",
        "FORMATION",
        "DEVELOPPEMENT",
        "HOLDING",
        "INGENIERIE",
        "SYSTEMES",
        "PARTENAIRES",
        "GESTION",
        "TECHNOLOGIES",
    ][h(q["key"], str(i)) % 12]
    naf, section = _FALLBACK_NAF[h(q["key"], "naf", str(i)) % len(_FALLBACK_NAF)]
    return result(ids, f"d/{q['key']}/{i}", f"{word} {suffix}", None, commune, naf=naf, section=section, nature="5710")


def cluster_pages(ids: Ids, q: dict) -> list[dict]:
    """The answer pages (results lists) for a cluster query."""
    key = q["key"]
    home = commune_for(q.get("city"), q.get("code_postal"))
    pc = q.get("code_postal") or home[1]
    raison, sigle = _raison(q["name"]), (q.get("short_name") or "").upper() or None
    if sigle and fold(sigle) == fold(raison):
        sigle = None
    if h(key, "prefix") % 3 == 0:
        raison = "ASSOCIATION " + raison
    if key == NO_RESULT:
        return [[]]
    if key == AMBIGUOUS:
        a = result(ids, f"c/{key}/a", raison, sigle, COMMUNES["lisieux"])
        b = result(ids, f"c/{key}/b", raison + " NORMANDIE", None, COMMUNES["bayeux"])
        return [[a, b]]
    right = result(ids, f"c/{key}", raison, sigle, home, postcode=pc)
    if key == HOMONYM:
        other = result(ids, f"c/{key}/homonym", raison, None, COMMUNES["paris"], extra_etab=home)
        return [[other, right]]
    if key == PAGINATED:
        page1 = [distractor(ids, q, i, home) for i in range(PER_PAGE)]
        page2 = [distractor(ids, q, i, home) for i in range(PER_PAGE, PER_PAGE + 3)] + [right]
        return [page1, page2]
    n = h(key, "noise") % 3  # 0-2 unrelated hits after the right one
    return [[right] + [distractor(ids, q, i, home) for i in range(n)]]


def company_pages(ids: Ids, q: dict) -> list[dict]:
    known = {fold(c[0]): c for c in ADVISOR_COMPANIES}
    spec = known.get(q["key"])
    raison = fold(q["name"]).upper()
    if spec is not None and spec[3] is None:
        return [[]]
    if spec is not None:
        naf, section, where = spec[1], spec[2], spec[3]
    else:
        naf, section = next(
            (v for w, v in _SECTION_BY_WORD.items() if w in q["key"]), _FALLBACK_NAF[h(q["key"]) % len(_FALLBACK_NAF)]
        )
        where = sorted(COMMUNES)[h(q["key"], "where") % len(COMMUNES)]
    nature = company_nature(q["name"])
    out = [result(ids, f"a/{q['key']}", raison, None, COMMUNES[where], naf=naf, section=section, nature=nature)]
    if spec is not None and len(spec) > 4:  # homonym in another région
        out.append(
            result(ids, f"a/{q['key']}/2", raison, None, COMMUNES[spec[4]], naf=naf, section=section, nature="5499")
        )
    return [out]


# Pôle members (kind "member", key "<folded name>|<postcode>"): deliberate variants by folded name.
AMBIGUOUS_MEMBERS = {  # two units with the name in other communes of the département, neither at the member's
    "tallio tech",  # av, Toulouse (units in Auzeville-Tolosane and Blagnac)
    "solphan sensing",  # alpha-rlh, Bordeaux (units in Gradignan and Bègles…)
    "calrix analytics",  # team2, Lille
}
NO_RESULT_MEMBERS = {"venvor agro", "ulvor labs", "halova analytics"}  # total_results 0


def member_home(city: str | None, postcode: str | None):
    """The member's commune: by postcode, else by city name; never a commune of another département."""
    known = {**_BY_POSTCODE, **MEMBER_COMMUNES}
    if postcode and postcode in known:
        return known[postcode]
    if city:
        by_name = {fold(c[0]): c for c in [*COMMUNES.values(), *MEMBER_COMMUNES.values()]}
        c = by_name.get(fold(city))
        if c and (not postcode or departement_of_postcode(c[1]) == departement_of_postcode(postcode)):
            return c
    return commune_for(city, postcode)


_MEMBER_KINDS = [  # (words of the folded name, NAF, section, nature juridique)
    (
        ("universite", "ecole", "institut national", "cnrs", "inria", "inrae", "cea", "laboratoire"),
        "72.19Z",
        "M",
        "7383",
    ),
    (("lycee", "formation", "campus"), "85.59A", "P", "7389"),
    (("association", "cluster", "pole", "federation"), "94.99Z", "S", "9220"),
    (("communaute", "metropole", "agglomeration", "region", "departement", "conseil"), "84.11Z", "O", "7229"),
]


def _member_naf(folded: str) -> tuple[str, str, str]:
    for words, naf, section, nature in _MEMBER_KINDS:
        if any(f" {w} " in f" {folded} " for w in words):
            return naf, section, nature
    naf, section = next(
        (v for w, v in _SECTION_BY_WORD.items() if w in folded), _FALLBACK_NAF[h(folded) % len(_FALLBACK_NAF)]
    )
    return naf, section, company_nature(folded)


def company_nature(name: str) -> str:
    """The nature juridique the name states (SA 5599, SARL 5499, SAS 5710), else SAS."""
    words = fold(name).split()
    return "5599" if "sa" in words else "5499" if "sarl" in words or "eurl" in words else "5710"


def _company_entry(ids: Ids, key: str, name: str) -> dict:
    """An advisor company's legal unit: the same entry company_pages answers with."""
    known = {fold(c[0]): c for c in ADVISOR_COMPANIES}
    spec = known.get(key)
    if spec is not None and spec[3] is not None:
        naf, section, where = spec[1], spec[2], spec[3]
    else:
        naf, section = next(
            (v for w, v in _SECTION_BY_WORD.items() if w in key), _FALLBACK_NAF[h(key) % len(_FALLBACK_NAF)]
        )
        where = sorted(COMMUNES)[h(key, "where") % len(COMMUNES)]
    nature = company_nature(name)
    return result(ids, f"a/{key}", fold(name).upper(), None, COMMUNES[where], naf=naf, section=section, nature=nature)


def member_pages(ids: Ids, q: dict, companies: set[str]) -> list[list[dict]]:
    """A member's answer: its own legal unit at its postcode (or the advisor company it is),
    the advisor companies whose name its name contains (a full-text search finds them too:
    the close look-alikes, resolved on place), and 0-2 unrelated hits."""
    folded = fold(q["name"])
    unknown = {fold(c[0]) for c in ADVISOR_COMPANIES if c[3] is None}
    if folded in NO_RESULT_MEMBERS or folded in unknown:
        return [[]]
    home = member_home(q.get("city"), q.get("code_postal"))
    pc = q.get("code_postal") or home[1]
    if folded in companies:
        out = [_company_entry(ids, folded, q["name"])]
    elif folded in AMBIGUOUS_MEMBERS:
        dep = departement_of_postcode(pc)
        everywhere = sorted({*COMMUNES.values(), *MEMBER_COMMUNES.values()})
        others = [c for c in everywhere if departement_of_postcode(c[1]) == dep and c[1] != pc and c[0] != home[0]] or [
            COMMUNES["paris"],
            COMMUNES["lyon"],
        ]
        naf, section, nature = _member_naf(folded)
        raison = _raison(q["name"])
        out = [
            result(
                ids, f"m/{folded}/{i}", raison, None, others[i % len(others)], naf=naf, section=section, nature=nature
            )
            for i in range(2)
        ]
    else:
        naf, section, nature = _member_naf(folded)
        out = [
            result(
                ids, f"m/{folded}", _raison(q["name"]), None, home, postcode=pc, naf=naf, section=section, nature=nature
            )
        ]
    words = set(folded.split())
    for key in sorted(companies):
        if key != folded and key not in unknown and set(key.split()) < words:
            out.append(_company_entry(ids, key, key))
    out += [distractor(ids, q, i, home) for i in range(h(q["key"], "noise") % 3)]
    return [out]


def payload(results: list[dict], page: int, pages: list[list[dict]]) -> dict:
    total = sum(len(p) for p in pages)
    return {
        "results": results,
        "total_results": total,
        "page": page,
        "per_page": PER_PAGE,
        "total_pages": len([p for p in pages if p]),
    }


def default_clusters() -> pd.DataFrame:
    csv = pd.read_csv(REFERENCE / "poles_phase5.csv", dtype=str)
    rows = []
    for r in csv.to_dict("records"):
        commune = commune_for(r["city"], None)
        rows.append(
            {
                "cluster_id": slugify(r["acronym_or_short"]),
                "name": r["name"],
                "short_name": r["acronym_or_short"],
                "city": r["city"],
                "postcode": commune[1],
                "region_code": r["region_insee_code"],
            }
        )
    return pd.DataFrame(rows)


def read_table(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
    elif path.suffix in (".jsonl", ".json"):
        df = pd.read_json(path, lines=path.suffix == ".jsonl", dtype=False)
    else:
        df = pd.read_csv(path, dtype=str)
    if "cluster_id" not in df.columns and "short_name" in df.columns:
        df["cluster_id"] = [slugify(s or n) for s, n in zip(df["short_name"].fillna(""), df["name"])]
    return df


def build(queries: list[dict], out: Path = OUT) -> dict:
    """Answers for ``queries`` (a pure function of them), the manifest and queries.jsonl."""
    pages_dir = out / "pages"
    if pages_dir.exists():
        shutil.rmtree(pages_dir)
    (pages_dir / "search").mkdir(parents=True)
    ids = Ids()
    companies = {q["key"] for q in queries if q["kind"] == "company"}
    responses = [
        {
            "url": "https://recherche-entreprises.api.gouv.fr/robots.txt",
            "status": 200,
            "headers": {"Content-Type": "text/plain; charset=utf-8"},
            "file": "pages/robots.txt",
        }
    ]
    (pages_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    for q in queries:
        if q["kind"] == "cluster":
            pages = cluster_pages(ids, q)
        elif q["kind"] == "member":
            pages = member_pages(ids, q, companies)
        else:
            pages = company_pages(ids, q)
        for n, results in enumerate(pages, start=1):
            file = f"pages/search/{q['kind']}-{slugify(q['key'])[:60]}-p{n}.json"
            body = payload(results, n, pages)
            (out / file).write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            responses.append({"url": search_url(q, n), "status": 200, "headers": JSON, "file": file})
    write_stock(ids, out / "stock")
    manifest = {
        "source": "company_register",
        "captured_at": CAPTURED_AT,
        "reconstruction": True,
        "responses": responses,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_queries(queries, out / "queries.jsonl")
    return {"queries": len(queries), "responses": len(responses)}


# The SIRENE stock files' columns (data.gouv.fr, StockUniteLegale_utf8.parquet and
# StockEtablissement_utf8.parquet, format 3.11), in their order; the extract fills what the
# invented register knows and leaves the rest null.
UL_COLUMNS = (
    "siren statutDiffusionUniteLegale unitePurgeeUniteLegale dateCreationUniteLegale sigleUniteLegale "
    "sexeUniteLegale prenom1UniteLegale prenom2UniteLegale prenom3UniteLegale prenom4UniteLegale "
    "prenomUsuelUniteLegale pseudonymeUniteLegale identifiantAssociationUniteLegale trancheEffectifsUniteLegale "
    "anneeEffectifsUniteLegale dateDernierTraitementUniteLegale nombrePeriodesUniteLegale categorieEntreprise "
    "anneeCategorieEntreprise dateDebut etatAdministratifUniteLegale nomUniteLegale nomUsageUniteLegale "
    "denominationUniteLegale denominationUsuelle1UniteLegale denominationUsuelle2UniteLegale "
    "denominationUsuelle3UniteLegale categorieJuridiqueUniteLegale activitePrincipaleUniteLegale "
    "nomenclatureActivitePrincipaleUniteLegale nicSiegeUniteLegale economieSocialeSolidaireUniteLegale "
    "societeMissionUniteLegale caractereEmployeurUniteLegale activitePrincipaleNAF25UniteLegale"
).split()
ETAB_COLUMNS = (
    "siren nic siret statutDiffusionEtablissement dateCreationEtablissement trancheEffectifsEtablissement "
    "anneeEffectifsEtablissement activitePrincipaleRegistreMetiersEtablissement dateDernierTraitementEtablissement "
    "etablissementSiege nombrePeriodesEtablissement complementAdresseEtablissement numeroVoieEtablissement "
    "indiceRepetitionEtablissement dernierNumeroVoieEtablissement indiceRepetitionDernierNumeroVoieEtablissement "
    "typeVoieEtablissement libelleVoieEtablissement codePostalEtablissement libelleCommuneEtablissement "
    "libelleCommuneEtrangerEtablissement distributionSpecialeEtablissement codeCommuneEtablissement "
    "codeCedexEtablissement libelleCedexEtablissement codePaysEtrangerEtablissement libellePaysEtrangerEtablissement "
    "identifiantAdresseEtablissement coordonneeLambertAbscisseEtablissement coordonneeLambertOrdonneeEtablissement "
    "complementAdresse2Etablissement numeroVoie2Etablissement indiceRepetition2Etablissement typeVoie2Etablissement "
    "libelleVoie2Etablissement codePostal2Etablissement libelleCommune2Etablissement "
    "libelleCommuneEtranger2Etablissement distributionSpeciale2Etablissement codeCommune2Etablissement "
    "codeCedex2Etablissement libelleCedex2Etablissement codePaysEtranger2Etablissement "
    "libellePaysEtranger2Etablissement dateDebut etatAdministratifEtablissement enseigne1Etablissement "
    "enseigne2Etablissement enseigne3Etablissement denominationUsuelleEtablissement activitePrincipaleEtablissement "
    "nomenclatureActivitePrincipaleEtablissement caractereEmployeurEtablissement activitePrincipaleNAF25Etablissement"
).split()


def _lambert(e: dict) -> tuple[str | None, str | None]:
    """The établissement's coordinates as the stock gives them: Lambert-93, UTM overseas."""
    from pyproj import Transformer

    sys.path.insert(0, str(REPO))
    from spiders.company_register.stock import projection_of

    crs = projection_of(e.get("departement"))
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(float(e["longitude"]), float(e["latitude"]))
    return f"{x:.1f}", f"{y:.1f}"


def _etab_row(e: dict, siren: str) -> dict:
    x, y = _lambert(e)
    return {
        "coordonneeLambertAbscisseEtablissement": x,
        "coordonneeLambertOrdonneeEtablissement": y,
        "siren": siren,
        "nic": e["siret"][9:],
        "siret": e["siret"],
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": e.get("date_creation"),
        "etablissementSiege": bool(e["est_siege"]),
        "numeroVoieEtablissement": e.get("numero_voie"),
        "typeVoieEtablissement": e.get("type_voie"),
        "libelleVoieEtablissement": e.get("libelle_voie"),
        "codePostalEtablissement": e["code_postal"],
        "libelleCommuneEtablissement": e["libelle_commune"],
        "codeCommuneEtablissement": e["commune"],
        "etatAdministratifEtablissement": "A",
        "activitePrincipaleEtablissement": e.get("activite_principale"),
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }


def write_stock(ids: Ids, folder: Path) -> None:
    """The invented register as a SIRENE stock extract (the same legal units the answers hold):
    what stock mode reads with DuckDB. Every column is text, as in the real files, but
    etablissementSiege (boolean)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    units, etabs = [], []
    for entry in sorted(ids.entries.values(), key=lambda e: e["siren"]):
        siren, head = entry["siren"], entry["siege"]
        units.append(
            {
                "siren": siren,
                "statutDiffusionUniteLegale": "O",
                "unitePurgeeUniteLegale": None,
                "dateCreationUniteLegale": entry["date_creation"],
                "sigleUniteLegale": entry["sigle"],
                "identifiantAssociationUniteLegale": entry["complements"]["identifiant_association"],
                "trancheEffectifsUniteLegale": entry["tranche_effectif_salarie"],
                "categorieEntreprise": entry["categorie_entreprise"],
                "etatAdministratifUniteLegale": entry["etat_administratif"],
                "denominationUniteLegale": entry["nom_raison_sociale"],
                "categorieJuridiqueUniteLegale": entry["nature_juridique"],
                "activitePrincipaleUniteLegale": entry["activite_principale"],
                "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
                "nicSiegeUniteLegale": head["siret"][9:],
                "caractereEmployeurUniteLegale": "O",
            }
        )
        etabs.append(_etab_row(head, siren))
        if siren in ids.secondary:
            etabs.append(_etab_row(ids.secondary[siren], siren))
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows, columns in (
        ("StockUniteLegale_utf8.parquet", units, UL_COLUMNS),
        ("StockEtablissement_utf8.parquet", etabs, ETAB_COLUMNS),
    ):
        fields = [pa.field(c, pa.bool_() if c == "etablissementSiege" else pa.string()) for c in columns]
        table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=pa.schema(fields))
        pq.write_table(table, folder / name, compression="zstd")


def default_advisors() -> pd.DataFrame:
    return pd.DataFrame({"company": [c[0] for c in ADVISOR_COMPANIES]})


def from_snapshots() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The pipeline's directory_clusters, merged_advisors and member_listings, from the bundled snapshots."""
    import subprocess
    import tempfile

    from pipelines.clean.advisors import merge_advisors
    from pipelines.clean.cce_committees import clean_cce_committees, officers_of
    from pipelines.clean.clusters import clean_clusters
    from pipelines.clean.frames import read_jsonl

    with tempfile.TemporaryDirectory() as tmp:
        items = {}
        for source in ("poles", "cce_committees", "cce_appointments", "pole_members"):
            out = Path(tmp) / source
            subprocess.run(
                [sys.executable, "-m", "spiders.crawl", source, "--out", str(out)],
                cwd=REPO,
                check=True,
                capture_output=True,
            )
            items[source] = read_jsonl(out / "items.jsonl")
    clusters, _ = clean_clusters(items["poles"])
    committees, _ = clean_cce_committees(items["cce_committees"])
    advisors, _ = merge_advisors(items["cce_appointments"], officers_of(items["cce_committees"]), committees)
    from pipelines.clean.members import clean_member_listings

    members, _ = clean_member_listings(items["pole_members"])
    return clusters, advisors, members


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=Path, help="clusters table to align with (default: from poles_phase5.csv)")
    ap.add_argument("--advisors", type=Path, help="advisors table with a company column (default: invented list)")
    ap.add_argument(
        "--from-snapshots", action="store_true", help="align with the pipeline's tables from the bundled snapshots"
    )
    ap.add_argument("--members", type=Path, help="member_listings table (organisation, postcode, city)")
    ap.add_argument("--queries", type=Path, help="rebuild the answers for an existing queries.jsonl")
    ap.add_argument("--out", type=Path, default=OUT)
    ns = ap.parse_args(argv)
    if ns.queries:
        print(json.dumps(build(read_queries(ns.queries), ns.out)))
        return 0
    clusters = read_table(ns.clusters) if ns.clusters else default_clusters()
    advisors = read_table(ns.advisors) if ns.advisors else default_advisors()
    members = read_table(ns.members) if ns.members else None
    if ns.from_snapshots:
        clusters, found, members = from_snapshots()
        # The invented companies keep the variants (homonym, no result) even if the sample lacks them.
        advisors = pd.concat([found[["company"]], default_advisors()], ignore_index=True)
    print(json.dumps(build(build_queries(clusters, advisors, members), ns.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
