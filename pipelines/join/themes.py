"""Cluster themes -> NAF sections and position keywords, from reference/theme_naf_sections.csv.

Matching rule (the same on both sides): a keyword matches a folded text when it appears there as
whole words, its last word optionally followed by "s" or "x" ("energie" matches "energies
renouvelables"; "mer" does not match "merignac").
"""

from __future__ import annotations

import csv
import re
from functools import cache

import pandas as pd

from common.paths import REFERENCE_DIR
from common.places import fold

from .territory import as_list

MAPPING_FILE = REFERENCE_DIR / "theme_naf_sections.csv"
NAF_SECTIONS = frozenset("ABCDEFGHIJKLMNOPQRSTU")


def keyword_regex(keyword: str) -> str:
    return r"\b" + re.escape(keyword) + r"(?:s|x)?\b"


@cache
def theme_mapping() -> dict[str, dict]:
    """keyword -> {sections: tuple, match_position: bool, note: str}."""
    out: dict[str, dict] = {}
    with MAPPING_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            keyword = row["keyword"]
            if keyword != fold(keyword):
                raise ValueError(f"{MAPPING_FILE.name}: keyword {keyword!r} is not folded")
            sections = tuple(s.strip() for s in row["naf_sections"].split(";") if s.strip())
            if not sections or set(sections) - NAF_SECTIONS:
                raise ValueError(f"{MAPPING_FILE.name}: bad naf_sections {row['naf_sections']!r} for {keyword!r}")
            out[keyword] = {
                "sections": sections,
                "match_position": row["match_position"].strip().lower() == "true",
                "note": row["note"],
            }
    return out


@cache
def _keyword_patterns() -> dict[str, re.Pattern]:
    return {kw: re.compile(keyword_regex(kw)) for kw in theme_mapping()}


def keywords_in(text: str | None) -> list[str]:
    """Every mapping keyword found in ``text`` (folded here), in mapping order."""
    if not text:
        return []
    folded = fold(str(text))
    return [kw for kw, pattern in _keyword_patterns().items() if pattern.search(folded)]


def theme_sections(theme: str | None) -> list[str]:
    """NAF sections of one theme (union over its keywords, first-listed first); [] when unmapped."""
    out: list[str] = []
    for kw in keywords_in(theme):
        out += [s for s in theme_mapping()[kw]["sections"] if s not in out]
    return out


def unmapped_themes(clusters: pd.DataFrame) -> list[str]:
    """Themes that map to no NAF section: to report as issues, and to add to the mapping."""
    themes = {t for ts in clusters["themes"].map(as_list) for t in ts if t}
    return sorted(t for t in themes if not theme_sections(t))


def _cluster_themes(clusters: pd.DataFrame) -> pd.DataFrame:
    """(cluster_id, theme_order, theme) long table."""
    long = pd.DataFrame(
        {"cluster_id": clusters["cluster_id"].to_numpy(), "theme": clusters["themes"].map(as_list).to_numpy()}
    )
    long = long.explode("theme").dropna(subset=["theme"])
    long["theme_order"] = long.groupby("cluster_id").cumcount()
    return long


def _theme_keywords_long(themes: pd.Series) -> pd.DataFrame:
    """(theme, keyword) for the distinct themes: a few hundred strings, looked up one by one."""
    unique = pd.Series(themes.unique(), dtype=object)
    return (
        pd.DataFrame({"theme": unique, "keyword": unique.map(keywords_in)})
        .explode("keyword")
        .dropna(subset=["keyword"])
    )


def cluster_sections(clusters: pd.DataFrame) -> pd.DataFrame:
    """(cluster_id, naf_section, theme): each NAF section a pôle's themes map to, with the first theme that gave it."""
    themes = _cluster_themes(clusters)
    kws = _theme_keywords_long(themes["theme"])
    kws["naf_section"] = kws["keyword"].map(lambda kw: list(theme_mapping()[kw]["sections"]))
    kws = kws.explode("naf_section")
    long = themes.merge(kws[["theme", "naf_section"]], on="theme")
    long = long.sort_values(["cluster_id", "theme_order"], kind="stable").drop_duplicates(["cluster_id", "naf_section"])
    return long[["cluster_id", "naf_section", "theme"]].reset_index(drop=True)


def cluster_position_keywords(clusters: pd.DataFrame) -> pd.DataFrame:
    """(cluster_id, keyword, theme): keywords of a pôle's themes worth looking for in an advisor's position."""
    themes = _cluster_themes(clusters)
    kws = _theme_keywords_long(themes["theme"])
    kws = kws[kws["keyword"].map(lambda kw: theme_mapping()[kw]["match_position"])]
    long = themes.merge(kws, on="theme")
    long = long.sort_values(["cluster_id", "theme_order"], kind="stable").drop_duplicates(["cluster_id", "keyword"])
    return long[["cluster_id", "keyword", "theme"]].reset_index(drop=True)


@cache
def _position_finder() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """One regex for all position keywords, plus each keyword's implied keywords.

    The regex is a lookahead at every word start, so overlapping keywords at different
    positions are all found; at one position the longest wins, and the keywords it contains
    ("energie electrique" contains "energie") are added back through ``implied``."""
    position_kws = [kw for kw, row in theme_mapping().items() if row["match_position"]]
    alternation = "|".join(re.escape(kw) for kw in sorted(position_kws, key=len, reverse=True))
    pattern = re.compile(r"\b(?=(" + alternation + r")(?:s|x)?\b)")
    implied = {kw: tuple(k for k in position_kws if re.search(keyword_regex(k), kw)) for kw in position_kws}
    return pattern, implied


def _fold_series(text: pd.Series) -> pd.Series:
    """``fold`` vectorised (same result on ordinary text)."""
    text = text.astype("string").fillna("")
    text = text.str.replace("œ", "oe").str.replace("Œ", "oe").str.replace("æ", "ae")
    text = text.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    return text.str.replace(r"[^0-9a-zA-Z]+", " ", regex=True).str.strip().str.lower()


def advisor_keywords(advisors: pd.DataFrame) -> pd.DataFrame:
    """(advisor_id, keyword): position keywords found in an advisor's position or company.

    Distinct texts are searched once (company names and positions repeat a lot)."""
    position = advisors["position"] if "position" in advisors else pd.Series("", index=advisors.index)
    company = advisors["company"] if "company" in advisors else pd.Series("", index=advisors.index)
    text = (position.astype("string").fillna("") + " | " + company.astype("string").fillna("")).astype(object)
    pattern, implied = _position_finder()
    unique = pd.Series(pd.unique(text), dtype=object)
    found = _fold_series(unique).str.findall(pattern)
    found = found.map(lambda kws: sorted({k for kw in kws for k in implied[kw]}))
    found.index = unique.to_numpy()
    long = pd.DataFrame({"advisor_id": advisors["advisor_id"].to_numpy(), "keyword": text.map(found).to_numpy()})
    long = long.explode("keyword").dropna(subset=["keyword"])
    return long.drop_duplicates().reset_index(drop=True)
