"""Ties between pôles and CCE advisors: the seats of a pôle's governance held by an advisor.

Precision first: a false claim that someone is a CCE on a pôle's board is worse than a missed one.

Names are compared as the advisors merge compares them (``pipelines.clean.advisors``): folded
family names without particles, first given names agreeing (an initial matches a full name, a
compound name its parts). A seat's printed name is split into (given names, family name) every
way it can be read ("Jean Hubert de Roquebrune", "DUPONT Véronique": a word in capitals is the
family name); each reading is looked up by folded family name in an index of the advisors, so
seats and advisors are never compared pairwise.

A name match alone proves nothing. Something independent must agree:
- ``organisation``: the seat's organisation is the advisor's company (SIREN equal, or names equal
  by rapidfuzz once legal forms are removed);
- ``territory``: the advisor's committee covers the pôle (head-office département or one of its
  régions) -- proof only when the name is ``rare``: the family name is not among France's most
  frequent (reference/common_family_names.csv) and no other advisor carries it.

The verdict for each (seat, advisor) pair:
- ``confirmed``: one advisor only answers to the seat's name (or the organisation tells the
  homonyms apart) and the organisation agrees, or the full name is rare and the territory agrees;
- ``possible``: an agreement that is not enough on its own: the territory with a frequent name or
  an initial, a rare full name whose committee is elsewhere, homonyms whose committees cover the
  pôle but that nothing tells apart, or several homonyms at the same organisation;
- nothing otherwise (a frequent name or an initial and nothing else, a homonym whose committee is
  elsewhere when another one's covers the pôle).
A homonym in another committee therefore never yields a confirmed tie on territory.

Reviewers' judgements (reference/tie_judgements.csv) come last: ``yes`` makes the pair
``reviewed`` (kept), ``no`` removes it; a judgement about a pair the matcher no longer proposes
is reported as stale.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
from rapidfuzz import fuzz

from common.issues import WARNING, Issue
from common.paths import REFERENCE_DIR
from common.places import fold
from pipelines.clean.advisors import _given_compatible, family_key, given_keys
from pipelines.join.coverage import cluster_committee_coverage

SOURCE = "pole_sites"
JUDGEMENTS_PATH = REFERENCE_DIR / "tie_judgements.csv"
COMMON_NAMES_PATH = REFERENCE_DIR / "common_family_names.csv"

CONFIRMED, POSSIBLE, REVIEWED = "confirmed", "possible", "reviewed"
GOVERNANCE_SEAT, INTERNATIONAL_CONTACT = "governance_seat", "international_contact"
MEMBER_COMPANY = "member_company"  # an advisor's company is a member of the pôle (pipelines/join/members.py)
GOVERNANCE_BODIES = {"bureau", "board", "executive"}
ORGANISATION_THRESHOLD = 90  # rapidfuzz token_sort_ratio (0-100) on organisation names without legal forms

# Score: how much each piece of evidence weighs; the verdict follows the rules above, not the score.
WEIGHTS = {"full_name": 0.5, "initial": 0.3, "organisation": 0.35, "siren": 0.4, "territory": 0.1, "rare": 0.05}

_HONORIFICS = {"m", "mme", "mlle", "madame", "monsieur", "mr", "mrs", "ms", "dr", "pr", "prof", "me"}
_LEGAL_FORMS = {
    "sa",
    "sas",
    "sasu",
    "sarl",
    "eurl",
    "se",
    "sca",
    "snc",
    "sci",
    "gie",
    "scop",
    "scic",
    "ltd",
    "gmbh",
    "inc",
    "plc",
    "llc",
    "bv",
    "nv",
}
_CAPITALS = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-])+$")  # a word of two letters or more


# --- names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NameReading:
    family: str  # family_key
    given: tuple[str, ...]  # given_keys


def name_splits(person_name: str | None) -> list[tuple[list[str], list[str]]]:
    """Every (family words, given words) reading of a printed name, most likely first.

    A word in capitals ("DUPONT Véronique", "Guillaume LE GOFF") is the family name, and then
    it is the only reading; otherwise the family name is the last word(s), particles included
    ("Jean Hubert de Roquebrune" reads as family 'de Roquebrune', then 'Hubert de Roquebrune')."""
    words = (person_name or "").replace(",", " ").split()
    while words and fold(words[0]) in _HONORIFICS:  # "Mme", "M.", "Dr"
        words = words[1:]
    if len(words) < 2:
        return []
    capitals = [w.isupper() and bool(_CAPITALS.match(w)) for w in words]
    if any(capitals) and not all(capitals):
        return [([w for w, c in zip(words, capitals) if c], [w for w, c in zip(words, capitals) if not c])]
    return [(words[k:], words[:k]) for k in range(len(words) - 1, 0, -1)]


def name_readings(person_name: str | None) -> list[NameReading]:
    """The splits of :func:`name_splits` as folded keys (family_key, given_keys), without repeats."""
    out: list[NameReading] = []
    for family, given in name_splits(person_name):
        reading = NameReading(family_key(" ".join(family)), tuple(given_keys([g.rstrip(".") for g in given])))
        if reading.family and reading.given and reading not in out:
            out.append(reading)
    return out


@cache
def common_family_names(path: Path = COMMON_NAMES_PATH) -> frozenset[str]:
    with path.open(encoding="utf-8") as fh:
        return frozenset(family_key(r["family_name"]) for r in csv.DictReader(fh))


# --- organisations ------------------------------------------------------------------------


def organisation_key(name: str | None) -> str:
    """Folded organisation name without legal forms: 'Modélium Énergie S.A.S.' -> 'modelium energie'."""
    name = name if isinstance(name, str) else ""  # null company (None or NaN)
    tokens = fold(re.sub(r"(?<=\b[A-Za-z])\.", "", name)).split()
    return " ".join(t for t in tokens if t not in _LEGAL_FORMS)


def organisations_agree(a: str | None, b: str | None) -> bool:
    ka, kb = organisation_key(a), organisation_key(b)
    if len(ka) < 3 or len(kb) < 3:
        return False
    return ka == kb or fuzz.token_sort_ratio(ka, kb) >= ORGANISATION_THRESHOLD


# --- domains ------------------------------------------------------------------------------


def site_host(url: str | None) -> str:
    """Lower-case host without 'www.': the pôle's own domain."""
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def on_domain(url: str | None, *sites: str | None) -> bool:
    """Whether ``url`` is on one of the sites' domains (the domain itself or a subdomain)."""
    host = (urlsplit(url or "").hostname or "").lower()
    if not host or urlsplit(url or "").scheme not in ("http", "https"):
        return False
    return any(base and (host == base or host.endswith("." + base)) for base in map(site_host, sites))


# --- the matcher --------------------------------------------------------------------------


@dataclass
class _Candidate:
    advisor: dict
    reading: NameReading
    full_name: bool  # first given names agree in full, not only by initial
    organisation: bool = False
    siren: bool = False
    siren_differs: bool = False
    territory: bool = False
    rare: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return (self.organisation or self.siren) and not self.siren_differs

    def score(self) -> float:
        s = WEIGHTS["full_name"] if self.full_name else WEIGHTS["initial"]
        if self.siren:
            s += WEIGHTS["siren"]
        elif self.agrees:
            s += WEIGHTS["organisation"]
        s += WEIGHTS["territory"] * self.territory + WEIGHTS["rare"] * self.rare
        return round(min(s, 1.0), 3)


class AdvisorIndex:
    """Advisors by folded family name: a seat is only compared with the advisors of its family names."""

    def __init__(self, advisors: pd.DataFrame, sirens: dict[str, str] | None = None):
        self.by_family: dict[str, list[dict]] = {}
        for a in advisors.to_dict("records"):
            a = {**a, "_given": given_keys(a.get("given_names")), "_siren": (sirens or {}).get(a["advisor_id"])}
            self.by_family.setdefault(family_key(a.get("family_name")), []).append(a)
        self.comparisons = 0  # (seat reading, advisor) pairs compared: the benchmark reads it

    def candidates(self, person_name: str | None) -> list[_Candidate]:
        found: dict[str, _Candidate] = {}
        for reading in name_readings(person_name):
            for a in self.by_family.get(reading.family, ()):
                self.comparisons += 1
                if a["advisor_id"] in found or not _given_compatible(a["_given"], list(reading.given)):
                    continue
                full = len(a["_given"][0]) > 1 and len(reading.given[0]) > 1
                found[a["advisor_id"]] = _Candidate(a, reading, full)
        return list(found.values())


def _covering(clusters: pd.DataFrame, committees: pd.DataFrame) -> set[tuple[str, str]]:
    cov = cluster_committee_coverage(clusters, committees)
    return set(zip(cov["cluster_id"], cov["committee_id"]))


def tie_kind(seat: dict) -> str | None:
    """international_contact for the international lead; governance_seat for the bureau, board,
    executive or director; None for the rest of the team (staff: not governance)."""
    if seat.get("role_kind") == "international":
        return INTERNATIONAL_CONTACT
    if seat.get("body") in GOVERNANCE_BODIES or seat.get("role_kind") == "director":
        return GOVERNANCE_SEAT
    return None


def _judge(
    seat: dict, cands: list[_Candidate], common: frozenset[str], covering: set, index: AdvisorIndex
) -> list[tuple[_Candidate, str]]:
    """The verdict per candidate advisor of one seat, by the rules of the module docstring."""
    n = len(cands)
    for c in cands:
        a = c.advisor
        c.reasons.append(
            f"name: {'given and family names agree' if c.full_name else 'family name agrees, given name by its initial'}"
        )
        seat_siren, adv_siren = seat.get("siren"), a["_siren"]
        if seat_siren and adv_siren:
            c.siren = seat_siren == adv_siren
            c.siren_differs = not c.siren
            c.reasons.append(f"organisation: SIREN {'equal' if c.siren else 'differs'} ({seat_siren})")
        if not c.siren_differs and organisations_agree(seat.get("organisation"), a.get("company")):
            c.organisation = True
            c.reasons.append(
                f"organisation: '{seat.get('organisation')}' is the advisor's company '{a.get('company')}'"
            )
        c.territory = (seat["cluster_id"], a.get("committee_id")) in covering
        if c.territory:
            c.reasons.append(f"territory: committee {a.get('committee_id')} covers the pôle")
        c.rare = n == 1 and c.reading.family not in common and len(index.by_family.get(c.reading.family, ())) == 1
        if n > 1:
            c.reasons.append(f"homonyms: {n} advisors answer to this name")
        elif c.rare:
            c.reasons.append("rare name: not a frequent French family name, one advisor carries it")

    agreeing = [c for c in cands if c.agrees]
    if len(agreeing) == 1:  # the organisation tells the advisor (and any homonym) apart
        return [(agreeing[0], CONFIRMED)]
    if len(agreeing) > 1:
        return [(c, POSSIBLE) for c in agreeing]
    if n == 1:
        c = cands[0]
        if c.full_name and c.rare and c.territory:
            return [(c, CONFIRMED)]
        if c.territory or (c.full_name and c.rare):
            return [(c, POSSIBLE)]
        return []
    return [(c, POSSIBLE) for c in cands if c.territory and c.full_name]


TIE_COLUMNS = [
    "cluster_id",
    "advisor_id",
    "tie_kind",
    "seat_id",
    "member_id",  # member_company ties only (pipelines/join/members.py)
    "match",
    "score",
    "reasons",
    "evidence_url",
    "source_url",
]


def match_ties(
    seats: pd.DataFrame,
    advisors: pd.DataFrame,
    clusters: pd.DataFrame,
    committees: pd.DataFrame,
    sites: pd.DataFrame | None = None,
    *,
    advisor_sirens: dict[str, str] | None = None,
    common: frozenset[str] | None = None,
    index: AdvisorIndex | None = None,
) -> tuple[pd.DataFrame, list[Issue]]:
    """Ties proposed by the matcher (before judgements): one row per (pôle, advisor, tie kind).

    ``seats``: cluster_governance rows with ``person_name`` still filled for every seat (and an
    optional ``siren``). ``sites``: the site items (cluster_id, site_url), for the pôle's own
    domain besides ``clusters.website``. A tie whose evidence is not on the pôle's own domain is
    dropped and reported."""
    common = common_family_names() if common is None else common
    index = index or AdvisorIndex(advisors, advisor_sirens)
    covering = _covering(clusters, committees)
    websites = dict(zip(clusters["cluster_id"], clusters["website"]))
    site_urls = dict(zip(sites["cluster_id"], sites["site_url"])) if sites is not None and len(sites) else {}
    best: dict[tuple[str, str, str], dict] = {}
    issues: list[Issue] = []
    for seat in seats.to_dict("records"):
        kind = tie_kind(seat)
        if kind is None or not seat.get("person_name"):
            continue
        cands = index.candidates(seat["person_name"])
        if not cands:
            continue
        for cand, verdict in _judge(seat, cands, common, covering, index):
            url = seat.get("evidence_url")
            if not on_domain(url, websites.get(seat["cluster_id"]), site_urls.get(seat["cluster_id"])):
                issues.append(
                    Issue(
                        SOURCE,
                        url or "",
                        "evidence_url",
                        "off_domain_evidence",
                        f"tie {seat['cluster_id']} / {cand.advisor['advisor_id']} dropped: evidence is not on the pôle's own site",
                        WARNING,
                        value=url,
                    )
                )
                continue
            row = {
                "cluster_id": seat["cluster_id"],
                "advisor_id": cand.advisor["advisor_id"],
                "tie_kind": kind,
                "seat_id": seat["seat_id"],
                "member_id": None,
                "match": verdict,
                "score": cand.score(),
                "reasons": list(cand.reasons),
                "evidence_url": url,
                "source_url": seat.get("source_url") or url,
            }
            key = (row["cluster_id"], row["advisor_id"], kind)
            prev = best.get(key)
            # One advisor on two seats of the same kind: the surer one stands for the pair.
            if prev is None or (_rank(verdict), row["score"]) > (_rank(prev["match"]), prev["score"]):
                best[key] = row
    ties = pd.DataFrame(list(best.values()), columns=TIE_COLUMNS)
    return ties.sort_values(["cluster_id", "advisor_id", "tie_kind"], kind="stable").reset_index(drop=True), issues


def _rank(match: str) -> int:
    return {POSSIBLE: 0, CONFIRMED: 1, REVIEWED: 2}[match]


# --- reviewers' judgements --------------------------------------------------------------

JUDGEMENT_FIELDS = ("cluster_id", "advisor_id", "verdict", "note", "date")


def load_judgements(path: Path = JUDGEMENTS_PATH) -> list[dict]:
    """reference/tie_judgements.csv; a malformed line is an error naming the file, line and field."""
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in JUDGEMENT_FIELDS if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: header lacks {', '.join(missing)} (expected {', '.join(JUDGEMENT_FIELDS)})")
        for line, row in enumerate(reader, start=2):
            row = {k: (row.get(k) or "").strip() for k in JUDGEMENT_FIELDS}
            for f in ("cluster_id", "advisor_id"):
                if not row[f]:
                    raise ValueError(f"{path}:{line}: field {f} is empty")
            if row["verdict"] not in ("yes", "no"):
                raise ValueError(f"{path}:{line}: field verdict is {row['verdict']!r}, expected 'yes' or 'no'")
            try:
                date.fromisoformat(row["date"])
            except ValueError:
                raise ValueError(f"{path}:{line}: field date is {row['date']!r}, expected YYYY-MM-DD") from None
            out.append(row)
    return out


def apply_judgements(
    ties: pd.DataFrame, judgements: list[dict], path: str = "reference/tie_judgements.csv"
) -> tuple[pd.DataFrame, list[Issue]]:
    """yes -> match 'reviewed' (kept whatever the matcher said), no -> removed. The latest line
    about a pair wins. A judgement about a pair the matcher no longer proposes is stale: reported."""
    latest: dict[tuple[str, str], dict] = {}
    for j in sorted(judgements, key=lambda j: j["date"]):
        latest[(j["cluster_id"], j["advisor_id"])] = j
    pairs = list(zip(ties["cluster_id"], ties["advisor_id"]))
    verdicts = [latest[p]["verdict"] if p in latest else None for p in pairs]
    out = ties.copy()
    out["match"] = [REVIEWED if v == "yes" else m for v, m in zip(verdicts, out["match"])]
    out["reasons"] = [
        r + [f"reviewed: {latest[p]['note'] or 'yes'} ({latest[p]['date']})"] if v == "yes" else r
        for r, v, p in zip(out["reasons"], verdicts, pairs)
    ]
    out = out[[v != "no" for v in verdicts]].reset_index(drop=True)
    proposed = set(pairs)
    issues = [
        Issue(
            "tie_judgements",
            path,
            "advisor_id",
            "stale_judgement",
            f"judgement '{j['verdict']}' of {j['date']} about {j['cluster_id']} / {j['advisor_id']}: the matcher no longer proposes this tie",
            WARNING,
            value=j["advisor_id"],
        )
        for p, j in sorted(latest.items())
        if p not in proposed
    ]
    return out, issues


def awaiting_review(
    ties: pd.DataFrame, advisors: pd.DataFrame | None = None, governance: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``possible`` ties, with the advisor's name and the seat's role, for a reviewer to judge."""
    todo = ties[ties["match"] == POSSIBLE].copy()
    if advisors is not None and len(todo):
        names = advisors.set_index("advisor_id")
        todo["advisor"] = todo["advisor_id"].map(names["display_name"])
        todo["committee_id"] = todo["advisor_id"].map(names["committee_id"])
    if governance is not None and len(todo):
        seats = governance.set_index("seat_id")
        todo["role"] = todo["seat_id"].map(seats["role"])
        todo["organisation"] = todo["seat_id"].map(seats["organisation"])
    cols = [
        c
        for c in (
            "cluster_id",
            "advisor_id",
            "advisor",
            "committee_id",
            "tie_kind",
            "role",
            "organisation",
            "score",
            "reasons",
            "evidence_url",
        )
        if c in todo.columns
    ]
    return todo[cols].sort_values(["cluster_id", "advisor_id"]).reset_index(drop=True)
