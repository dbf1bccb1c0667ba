"""The `advisors` table: decree appointees and committee officers, one row per person and committee.

Placing an appointee on a committee:
- abroad, by the country of the decree heading -> the ``country_section`` of that country;
- in France, by the région of the heading -> the ``regional`` committee of that région
  (or, for a région without one of its own, such as Corse, the regional committee whose
  départements cover it). A decree names régions only, so an appointee can never be placed
  on a sub-regional committee (Comité de Paris, Nice Côte d'Azur): officers named on those
  committees' pages stay there, and an appointee who is also such an officer shows up twice
  (regional row from the decree, territorial row from the page).
An appointee that cannot be placed is reported (``unplaceable_appointee``), never dropped silently.

Matching people within one committee, on normalised names: accents, case, hyphens,
apostrophes and particles (de, d', du, le…) folded away; the first given names must agree,
an initial matching a full name ("J." ~ "Jean"), a compound name its parts ("Jean-Hubert" ~
"Jean, Hubert"); one source listing more given names than the other is fine (a page's
"Bastien" ~ a decree's "Bastien, Claude"). Family names that
differ by a typo or OCR slip match when rapidfuzz's ratio is at least
``FAMILY_FUZZY_THRESHOLD`` (90). Two people with the same folded family name and first
given name in the same committee cannot be told apart and become one row.

Precision first: records are grouped by that (family, first given name) key, every pair of
groups that match is found, and a set of groups becomes one person only when every two of
them match. One page or one decree names a person once, so two groups from the same listing
never match. A group that matches two groups that do not match each other ("J. Martin" ~
"Jean Martin" and "Julie Martin") joins neither: it stays a person of its own and the
ambiguity is reported (``ambiguous_match``), naming the three records' sources. A record
without given names joins the only person of its exact family name, else stays apart.

``advisor_id`` = sha1 of (folded family name, folded first given name, committee_id)[:16],
spelt as the latest decree prints the name, else as the committee page does: the fewest
fields both sources print, so a renewal, a new position, a new role or a page that lists
fewer given names keeps the ID. (A page that shows only an initial or a compound name gives
another ID than the decree that later spells it out: unavoidable without the decree.) The
same name in two committees gives two rows.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from common.issues import ERROR, WARNING, Issue
from common.places import departements, fold
from common.sources import source_read_by
from pipelines.clean.frames import conform, stable_hash
from pipelines.schema import ADVISORS

FAMILY_FUZZY_THRESHOLD = 90  # rapidfuzz ratio (0-100) on folded family names
MANDATE_YEARS = 3
_PARTICLES = {"de", "d", "du", "des", "la", "le", "l", "von", "van", "der", "den"}


# --- names ---------------------------------------------------------------------------


def family_key(family_name: str | None) -> str:
    """'de Roquebrune' / 'ROQUEBRUNE' / "d'Arcy" -> 'roquebrune' / 'arcy'; 'Le Goff' -> 'goff'."""
    return _family_key(family_name or "")


@lru_cache(maxsize=1 << 18)  # each name is folded once, however many records and rows carry it
def _family_key(family_name: str) -> str:
    tokens = fold(family_name).split()
    while len(tokens) > 1 and tokens[0] in _PARTICLES:
        tokens = tokens[1:]
    return "".join(tokens)


def given_keys(given_names) -> list[str]:
    """Folded given names, each kept whole: ['Jean-Pierre', 'Marie'] -> ['jeanpierre', 'marie']."""
    keys = [_given_key(str(g)) for g in _as_list(given_names)]
    return [k for k in keys if k]


@lru_cache(maxsize=1 << 16)
def _given_key(given_name: str) -> str:
    return fold(given_name).replace(" ", "")


def advisor_id(family_name: str, given_names, committee_id: str) -> str:
    """Stable ID from the folded family name, the folded first given name and the committee."""
    given = given_keys(given_names)
    return _advisor_id(family_key(family_name), given[0] if given else "", committee_id)


def _advisor_id(family: str, first_given: str, committee_id: str) -> str:
    return stable_hash(family, first_given, committee_id)


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """First given names agree (an initial matches a full name); empty on either side is not proof."""
    if not a or not b:
        return False
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    # A compound name on one side, its parts on the other: "Jean-Hubert" ~ "Jean, Hubert".
    return x == y or x == "".join(b[:2]) or y == "".join(a[:2])


def _as_list(v) -> list:
    if v is None:
        return []
    if isinstance(v, str):
        return [v] if v.strip() else []
    if hasattr(v, "tolist"):
        v = v.tolist()
    try:
        return [x for x in v if x is not None and str(x).strip()]
    except TypeError:
        return []


def _none(v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    return v or None


# --- placing appointees --------------------------------------------------------------


def _committee_index(committees: pd.DataFrame):
    sections: dict[str, list[str]] = {}
    regional: dict[str, list[str]] = {}
    regional_deps: list[tuple[str, set[str]]] = []
    for r in committees.sort_values("committee_id").itertuples(index=False):
        if r.kind == "country_section" and _none(r.country_code):
            sections.setdefault(r.country_code, []).append(r.committee_id)
        elif r.kind == "regional":
            if _none(r.region_code):
                regional.setdefault(r.region_code, []).append(r.committee_id)
            regional_deps.append((r.committee_id, set(_as_list(getattr(r, "departement_codes", None)))))
    return sections, regional, regional_deps


def _place(a: dict, index) -> tuple[str | None, str]:
    """(committee_id, why-not) of an appointee."""
    sections, regional, regional_deps = index
    cc, rc = _none(a.get("country_code")), _none(a.get("region_code"))
    if cc and cc != "FR":
        found = sections.get(cc, [])
        what = f"no country_section for country {cc}"
    elif rc:
        found = regional.get(rc, [])
        if not found:
            deps = {d for d, row in departements().items() if row["region_code"] == rc}
            found = [cid for cid, covered in regional_deps if deps and deps <= covered]
        what = f"no regional committee for région {rc}"
    else:
        return None, "the heading gave neither a country nor a région"
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, f"several committees could hold it ({', '.join(found)})"
    return None, what


# --- merging -------------------------------------------------------------------------


@dataclass
class _Person:
    """The records of one (family, first given name) key of a committee, or a merged person's."""

    committee_id: str
    family: str  # family_key
    given: list[str]  # given_keys
    officers: list[dict] = field(default_factory=list)
    appointments: list[dict] = field(default_factory=list)
    records: list[tuple[int, str, dict]] = field(default_factory=list)  # (merge order, kind, record)
    listings: set[tuple[str, str]] = field(default_factory=set)  # (kind, source_url): a listing names a person once


class _Bucket:
    """One committee's people, indexed so that a look-up never scans the whole committee.

    Same answers as scanning every person: family names are only compared among people whose
    first given name is compatible (``_given_compatible`` needs the same first letter, the same
    name, or a compound of the two first names), found through the given-name indexes, then
    scored by rapidfuzz in C.

    ``similar`` (from :func:`_similar_families`, for the records that will go through this bucket):
    per group, the family names within the fuzzy threshold of each family name, scored beforehand
    in one rapidfuzz.cdist per group; look-ups then read them instead of scoring the group again."""

    def __init__(self, similar: dict[tuple[str, str], dict[str, list[str]]] | None = None):
        self.similar = similar
        self._group_families: dict[tuple[str, str], dict[str, list[_Person]]] = {}  # group -> family -> people
        self.people: list[_Person] = []
        self.by_first: dict[str, list[_Person]] = {}  # first given key
        self.by_pair: dict[str, list[_Person]] = {}  # first two given keys joined (compound names)
        self.by_letter: dict[str, list[_Person]] = {}  # initial of the first given key
        self.initials: dict[str, list[_Person]] = {}  # people whose first given name is an initial
        self._families: dict[tuple[str, str], list[str]] = {}  # (index, key) -> families, for rapidfuzz
        self._indexes = {
            "first": self.by_first,
            "pair": self.by_pair,
            "letter": self.by_letter,
            "initial": self.initials,
        }

    def add(self, p: _Person) -> None:
        self.people.append(p)
        if not p.given:
            return
        first = p.given[0]
        keys = [("first", first), ("letter", first[0])]
        if len(p.given) > 1:
            keys.append(("pair", "".join(p.given[:2])))
        if len(first) == 1:
            keys.append(("initial", first))
        indexes, families, group_families = self._indexes, self._families, self._group_families
        for index, key in keys:
            indexes[index].setdefault(key, []).append(p)
            if self.similar is None:  # scored by rapidfuzz.extract at each look-up
                families.setdefault((index, key), []).append(p.family)
            else:
                group_families.setdefault((index, key), {}).setdefault(p.family, []).append(p)

    def _index(self, name: str) -> dict[str, list[_Person]]:
        return self._indexes[name]

    @staticmethod
    def _compatible_groups(given: list[str]) -> list[tuple[str, str]]:
        y = given[0]
        if len(y) == 1:
            return [("letter", y)]
        return [("initial", y[0]), ("first", y), ("first", "".join(given[:2])), ("pair", y)]

    def compatible(self, family: str, given: list[str]) -> list[_Person]:
        """Every person whose first given name is compatible and whose family name is the same or
        within the fuzzy threshold (the same family name scores 100); nobody without given names."""
        found: dict[int, _Person] = {}
        if not given:
            return []
        indexes = self._indexes
        for index, key in dict.fromkeys(self._compatible_groups(given)):
            group = indexes[index].get(key)
            if not group:
                continue
            if self.similar is not None:
                by_family = self._group_families[(index, key)]
                for near in self.similar.get((index, key), {}).get(family, ()):
                    for p in by_family.get(near, ()):
                        if _given_compatible(p.given, given):
                            found[id(p)] = p
            else:
                hits = process.extract(
                    family,
                    self._families[(index, key)],
                    scorer=fuzz.ratio,
                    score_cutoff=FAMILY_FUZZY_THRESHOLD,
                    limit=None,
                )
                for _, _, i in hits:
                    if _given_compatible(group[i].given, given):
                        found[id(group[i])] = group[i]
        return list(found.values())


def _member_groups(given: list[str]) -> list[tuple[str, str]]:
    """The given-name groups ``_Bucket.add`` files a person with these given keys under."""
    if not given:
        return []
    first = given[0]
    keys = [("first", first), ("letter", first[0])]
    if len(given) > 1:
        keys.append(("pair", "".join(given[:2])))
    if len(first) == 1:
        keys.append(("initial", first))
    return keys


def _similar_families(names: list[tuple[str, list[str]]]) -> dict[tuple[str, str], dict[str, list[str]]]:
    """For one committee's records (family key, given keys): per given-name group, each family name a
    record looks up there -> the family names of the group's possible members within the fuzzy threshold.

    A superset of any moment's members (every record that could create a person), so a look-up finds
    the same people as scoring the group's members then; pairs scored once, by rapidfuzz.cdist."""
    members: dict[tuple[str, str], set[str]] = {}
    queries: dict[tuple[str, str], set[str]] = {}
    for family, given in names:
        for g in _member_groups(given):
            members.setdefault(g, set()).add(family)
        if given:
            for g in _Bucket._compatible_groups(given):
                queries.setdefault(g, set()).add(family)
    similar: dict[tuple[str, str], dict[str, list[str]]] = {}
    for g, asked in queries.items():
        if g not in members:
            continue
        q, m = sorted(asked), sorted(members[g])
        scores = process.cdist(q, m, scorer=fuzz.ratio, score_cutoff=FAMILY_FUZZY_THRESHOLD, dtype=np.float64)
        near: dict[str, list[str]] = {}
        for i, j in zip(*np.nonzero(scores >= FAMILY_FUZZY_THRESHOLD)):
            near.setdefault(q[i], []).append(m[j])
        similar[g] = near
    return similar


def _names(records: list[tuple[int, str, list[str], str, dict]], cid: str) -> list[_Person]:
    """One ``_Person`` per (family, first given name) key, in the order of its first record."""
    names: dict[tuple[str, str], _Person] = {}
    for order, fam, giv, kind, rec in records:
        key = (fam, giv[0] if giv else "")
        name = names.get(key)
        if name is None:
            name = names[key] = _Person(cid, fam, giv)
        name.records.append((order, kind, rec))
        name.listings.add((kind, rec.get("source_url") or ""))
    return list(names.values())


def _matches(names: list[_Person]) -> list[set[int]]:
    """Per name (with given names), the indexes of the names it matches: compatible first given
    names, family names within the fuzzy threshold, and no listing in common."""
    bucket = _Bucket(_similar_families([(n.family, n.given) for n in names]))
    for n in names:
        bucket.add(n)
    index = {id(n): i for i, n in enumerate(names)}
    matches: list[set[int]] = [set() for _ in names]
    for i, n in enumerate(names):
        for m in bucket.compatible(n.family, n.given):
            if m is not n and not (n.listings & m.listings):
                matches[i].add(index[id(m)])
    return matches


def _components(nodes, matches: list[set[int]]) -> list[list[int]]:
    """Connected components of ``nodes`` under ``matches``, each sorted, in the order of their first node."""
    left, out = set(nodes), []
    for start in sorted(nodes):
        if start not in left:
            continue
        left.discard(start)
        component, todo = [start], [start]
        while todo:
            for j in matches[todo.pop()] & left:
                left.discard(j)
                component.append(j)
                todo.append(j)
        out.append(sorted(component))
    return out


def _groups(matches: list[set[int]]) -> tuple[list[list[int]], list[tuple[int, int, int]]]:
    """Names that become one person: sets whose every two members match. A name matching two names
    that do not match each other is set apart, alone, as (name, one, other), until no such name is left."""
    groups = [[i] for i, near in enumerate(matches) if not near]  # most names match nobody
    ambiguous = []
    todo = _components([i for i, near in enumerate(matches) if near], matches)
    while todo:
        component = todo.pop(0)
        members = set(component)
        if all(len(matches[i] & members) == len(members) - 1 for i in component):
            groups.append(component)
            continue
        apart = {}
        for i in component:
            near = sorted(matches[i] & members)
            pair = next(((a, b) for k, a in enumerate(near) for b in near[k + 1 :] if b not in matches[a]), None)
            if pair:
                apart[i] = pair
        for i, (a, b) in apart.items():
            groups.append([i])
            ambiguous.append((i, a, b))
        todo.extend(_components([i for i in component if i not in apart], matches))
    return groups, ambiguous


def _shown(name: _Person) -> str:
    """A name's first record and where it comes from: "'J. Martin' (https://…)"."""
    _, _, rec = name.records[0]
    printed = " ".join([str(g) for g in _as_list(rec.get("given_names"))] + [str(rec.get("family_name"))])
    return f"{printed!r} ({rec.get('source_url') or 'no URL'})"


def _ambiguous_issue(name: _Person, candidates: list[_Person]) -> Issue:
    _, kind, rec = name.records[0]
    return Issue(
        "cce_committees" if kind == "officers" else "cce_appointments",
        rec.get("source_url") or "",
        "family_name",
        "ambiguous_match",
        f"{_shown(name)} in {name.committee_id} could be {' or '.join(_shown(c) for c in candidates)}, "
        "who are not one person; kept as a person of its own",
        WARNING,
        value=rec.get("family_name"),
        context={"candidates": [c.records[0][2].get("source_url") or "" for c in candidates]},
    )


def _committee_people(
    cid: str, records: list[tuple[int, str, list[str], str, dict]], issues: list[Issue]
) -> list[_Person]:
    """One committee's people, in the order of their first record (see the module docstring)."""
    names = _names(records, cid)
    named = [n for n in names if n.given]
    groups, ambiguous = _groups(_matches(named))
    for i, a, b in ambiguous:
        issues.append(_ambiguous_issue(named[i], [named[a], named[b]]))
    people = [[named[i] for i in group] for group in groups]
    by_family: dict[str, list[list[_Person]]] = {}
    for person in people:
        for family in dict.fromkeys(n.family for n in person):
            by_family.setdefault(family, []).append(person)
    # A name without given names: the only person of that exact family name, or a person of its own.
    for name in (n for n in names if not n.given):
        same = by_family.get(name.family, [])
        if len(same) == 1:
            same[0].append(name)
            continue
        if same:
            issues.append(_ambiguous_issue(name, [p[0] for p in same]))
        people.append([name])  # the only name of its family key without given names
    merged = []
    for person in people:
        p = person[0]  # the name seen first stands for the person
        records_in_order = sorted(r for n in person for r in n.records)  # (order, …): orders are unique
        for _, kind, rec in records_in_order:
            getattr(p, kind).append(rec)
        merged.append((records_in_order[0][0], p))
    return [p for _, p in sorted(merged)]


@lru_cache(maxsize=1 << 12)  # a decree date is shared by thousands of appointees
def _mandate_end(d: date) -> date:
    try:
        return d.replace(year=d.year + MANDATE_YEARS)
    except ValueError:  # 29 February
        return d.replace(year=d.year + MANDATE_YEARS, day=28)


def _to_date(v) -> date | None:
    v = _none(v)
    if v is None:
        return None
    if isinstance(v, date):
        return v
    return _iso_date(str(v)[:10])


@lru_cache(maxsize=1 << 12)  # a decree date is shared by thousands of appointees
def _iso_date(text: str) -> date:
    return date.fromisoformat(text)


def _row(p: _Person, committee: dict) -> dict:
    if len(p.appointments) == 1:
        latest = p.appointments[0]
    else:
        latest = max(
            p.appointments,
            key=lambda a: (_to_date(a["appointment_date"]) or date.min, a["appointment_ref"] or ""),
            default=None,
        )
    officer = p.officers[0] if p.officers else {}
    named = latest or officer  # the decree prints every given name; a page may not
    given_names = [str(g) for g in _as_list(named.get("given_names"))] or [
        str(g) for g in _as_list(officer.get("given_names"))
    ]
    family_name = _none(named.get("family_name")) or officer.get("family_name")
    roles: list[str] = []
    for o in p.officers:
        role = _none(o.get("role"))
        if role and role not in roles:
            roles.append(role)
    if p.appointments:
        roles.append("appointee")
    appointed = _to_date(latest["appointment_date"]) if latest else None
    company = _none(latest.get("company")) if latest else None
    position = _none(latest.get("position")) if latest else None
    return {
        # advisor_id(family_name, given_names, ...): given_names are already _as_list's strings
        "advisor_id": _advisor_id(
            family_key(family_name), next((k for k in map(_given_key, given_names) if k), ""), p.committee_id
        ),
        "honorific": _none(named.get("honorific")) or _none(officer.get("honorific")),
        "family_name": family_name,
        "given_names": given_names,
        "display_name": " ".join(given_names + [family_name]),
        "committee_id": p.committee_id,
        "country_code": committee["country_code"],
        "region_code": _none(committee.get("region_code")),
        "company": company or _none(officer.get("company")),
        "position": position,
        "naf_section": None,  # filled by the company-register enrichment, not here
        "roles": roles,
        "appointment_ref": latest["appointment_ref"] if latest else None,
        "appointment_date": appointed,
        "mandate_end": _mandate_end(appointed) if appointed else None,
        "source_url": latest["source_url"] if latest else officer.get("source_url"),
    }


@contextmanager
def _gc_paused():
    """The merge allocates a few objects per record and frees none of them until it returns, and makes no
    reference cycles: the cyclic collector's full passes over every live object (the inputs included)
    only cost time, more the larger the inputs (a quarter of the merge at 450,000 records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def merge_advisors(
    appointees: list[dict], officers: pd.DataFrame, committees: pd.DataFrame, source: str | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per person and committee (``ADVISORS`` columns minus first_seen/last_seen), and the issues.
    ``source``: the appointees' source, named by the issues about them (default: the one the
    registry says ``merged_advisors`` reads)."""
    with _gc_paused():
        return _merge_advisors(appointees, officers, committees, source or source_read_by("merged_advisors"))


def _merge_advisors(
    appointees: list[dict], officers: pd.DataFrame, committees: pd.DataFrame, source: str
) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    by_id = {r["committee_id"]: r for r in committees.to_dict("records")}
    index = _committee_index(committees)
    people: dict[str, list[_Person]] = {}

    pending: list[tuple[str, str, list[str], str, dict]] = []

    def add(cid: str, family_name, given_names, kind: str, rec: dict) -> None:
        pending.append((cid, family_key(family_name), given_keys(given_names), kind, rec))

    officer_rows = officers.to_dict("records") if officers is not None and len(officers) else []
    officer_order = lambda o: (
        str(o.get("committee_id")),
        str(o.get("source_url")),
        family_key(o.get("family_name")),  # noqa: E731
        given_keys(o.get("given_names")),
        str(o.get("role")),
    )
    for o in sorted(officer_rows, key=officer_order):
        url = o.get("source_url") or ""
        if not family_key(o.get("family_name")):
            issues.append(
                Issue(
                    "cce_committees",
                    url,
                    "family_name",
                    "missing_required_field",
                    "officer without a family name; not an advisor row",
                    WARNING,
                    value=_none(o.get("full_name")),
                )
            )
            continue
        if o.get("committee_id") not in by_id:
            issues.append(
                Issue(
                    "cce_committees",
                    url,
                    "committee_id",
                    "unknown_committee",
                    f"officer's committee {o.get('committee_id')!r} is not in cce_committees; row dropped",
                    ERROR,
                    value=o.get("family_name"),
                )
            )
            continue
        add(o["committee_id"], o.get("family_name"), o.get("given_names"), "officers", o)

    for a in sorted(appointees, key=lambda a: (str(a.get("appointment_date")), str(a.get("source_url")))):
        url = a.get("source_url") or ""
        cid, why = _place(a, index)
        if cid is None:
            issues.append(
                Issue(
                    source,
                    url,
                    "committee_id",
                    "unplaceable_appointee",
                    f"{a.get('display_name')!r} under heading {a.get('heading')!r}: {why}; not in advisors",
                    ERROR,
                    value=a.get("heading"),
                    context={"display_name": a.get("display_name"), "appointment_ref": a.get("appointment_ref")},
                )
            )
            continue
        add(cid, a.get("family_name"), a.get("given_names"), "appointments", a)

    records_by_committee: dict[str, list[tuple[int, str, list[str], str, dict]]] = {}
    # Records without given names last, as they are matched last (their order picks a row's officer).
    for order, (cid, fam, giv, kind, rec) in enumerate(sorted(pending, key=lambda p: not p[2])):
        records_by_committee.setdefault(cid, []).append((order, fam, giv, kind, rec))
    for cid, records in records_by_committee.items():
        people[cid] = _committee_people(cid, records, issues)

    rows = [_row(p, by_id[cid]) for cid in sorted(people) for p in people[cid]]
    seen: set[str] = set()
    unique = []
    for r in rows:
        if r["advisor_id"] in seen:  # two records the matcher kept apart but the ID cannot tell apart
            issues.append(
                Issue(
                    source,
                    r["source_url"] or "",
                    "advisor_id",
                    "duplicate_key",
                    f"{r['display_name']!r} in {r['committee_id']} twice; second row dropped",
                    WARNING,
                    value=r["advisor_id"],
                )
            )
            continue
        seen.add(r["advisor_id"])
        unique.append(r)
    df = pd.DataFrame(unique, columns=[c.name for c in ADVISORS.columns if c.name not in ("first_seen", "last_seen")])
    df = df.sort_values(["committee_id", "family_name", "advisor_id"], kind="stable").reset_index(drop=True)
    return conform(df, ADVISORS), issues
