"""cluster_advisor_candidates: the advisors who could serve each pôle, scored and explained.

Score (docs/scoring.md) = territory + sector + position keyword, clipped to [0, 1]:
- territory, the best that applies: the advisor's committee covers the pôle's head office
  (same_committee, 0.5), covers one of its other régions (member_region, 0.35), or the advisor
  sits in the pôle's head-office région (same_region, 0.25). No territory, no candidate.
- sector: the advisor's NAF section is one the pôle's themes map to (0.35);
- keyword: a theme keyword appears in the advisor's position or company (0.15).

Blocking keeps it near-linear. Pairs are never enumerated per committee: the pôles sharing a
territory share a *block* (the committees of a coverage relation, or a région), and per block
only the first ``top_n`` advisors by advisor_id of each affinity class are kept (all / sector s /
keyword k / sector s and keyword k). Every member of a class list scores at least as much as
any later member of it, so an advisor left out of every list it belongs to has ``top_n``
advisors ranked before it in the pôle: the exact top N is always among the kept pairs, which
are then scored exactly. Work is O(advisors + pôles x blocks x classes x top_n).
"""
from __future__ import annotations

import pandas as pd

from pipelines.clean.frames import conform
from pipelines.schema import CLUSTER_ADVISOR_CANDIDATES
from spiders.core.places import regions

from .coverage import HEAD_OFFICE, MEMBER_REGION
from .territory import cluster_places
from .themes import NAF_SECTIONS, advisor_keywords, cluster_position_keywords, cluster_sections

SAME_COMMITTEE = "same_committee"
SAME_REGION = "same_region"
TERRITORY_WEIGHTS = {SAME_COMMITTEE: 0.5, MEMBER_REGION: 0.35, SAME_REGION: 0.25}
RELATION_TO_MATCH = {HEAD_OFFICE: SAME_COMMITTEE, MEMBER_REGION: MEMBER_REGION}
SECTOR_WEIGHT = 0.35
KEYWORD_WEIGHT = 0.15
DEFAULT_TOP_N = 20


def _str_or_none(series: pd.Series) -> pd.Series:
    out = series.astype("string").str.strip()
    return out.where(out.notna() & out.ne(""), None).astype(object)


def _advisor_frame(advisors: pd.DataFrame) -> pd.DataFrame:
    adv = pd.DataFrame(
        {
            "advisor_id": advisors["advisor_id"].astype(str).to_numpy(),
            "committee_id": _str_or_none(advisors["committee_id"]).to_numpy(),
            "region_code": _str_or_none(advisors["region_code"]).to_numpy(),
            "naf_section": _str_or_none(advisors["naf_section"]).str.upper().to_numpy(),
        }
    )
    adv["naf_section"] = adv["naf_section"].where(adv["naf_section"].isin(list(NAF_SECTIONS)), None)
    return adv.drop_duplicates("advisor_id").sort_values("advisor_id", kind="stable").reset_index(drop=True)


def _blocks(coverage: pd.DataFrame, places: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cluster_id, block) and (block, committee_id | region_code) membership.

    A coverage block is the set of committees of one (pôle, relation): pôles in the same
    place share it. A région block holds the advisors whose region_code is that région."""
    cov = coverage[["cluster_id", "committee_id", "relation"]].sort_values(["cluster_id", "relation", "committee_id"])
    sets = cov.groupby(["cluster_id", "relation"], sort=True)["committee_id"].agg("|".join).reset_index()
    sets["block"] = "c:" + sets["relation"] + ":" + sets["committee_id"]
    committee_blocks = sets[["block", "committee_id"]].drop_duplicates("block")
    committee_blocks = committee_blocks.assign(committee_id=committee_blocks["committee_id"].str.split("|")).explode("committee_id")
    head = places.dropna(subset=["region_code"])
    region_blocks = pd.DataFrame({"cluster_id": head["cluster_id"], "block": "r:" + head["region_code"]})
    cluster_blocks = pd.concat([sets[["cluster_id", "block"]], region_blocks], ignore_index=True)
    return cluster_blocks, committee_blocks


def _block_members(adv: pd.DataFrame, committee_blocks: pd.DataFrame, region_blocks: pd.Series) -> pd.DataFrame:
    """(block, advisor_id, naf_section), sorted by advisor_id within each block."""
    by_committee = committee_blocks.merge(adv[["advisor_id", "committee_id", "naf_section"]], on="committee_id")
    wanted = adv[adv["region_code"].notna() & ("r:" + adv["region_code"].fillna("")).isin(region_blocks)]
    by_region = wanted.assign(block="r:" + wanted["region_code"])
    members = pd.concat([by_committee[["block", "advisor_id", "naf_section"]], by_region[["block", "advisor_id", "naf_section"]]])
    return members.drop_duplicates(["block", "advisor_id"]).sort_values(["block", "advisor_id"]).reset_index(drop=True)


def _candidate_pairs(cluster_blocks, members, member_keywords, sections, keywords, top_n) -> pd.DataFrame:
    """(cluster_id, advisor_id): a superset of each pôle's exact top N (see module docstring)."""
    heads_all = members.groupby("block", sort=False).head(top_n)[["block", "advisor_id"]]
    with_sector = members.dropna(subset=["naf_section"])
    heads_sector = with_sector.groupby(["block", "naf_section"], sort=False).head(top_n)
    heads_keyword = member_keywords.groupby(["block", "keyword"], sort=False).head(top_n)
    heads_both = member_keywords.dropna(subset=["naf_section"]).groupby(["block", "naf_section", "keyword"], sort=False).head(top_n)

    cs = cluster_blocks.merge(sections[["cluster_id", "naf_section"]], on="cluster_id")
    ck = cluster_blocks.merge(keywords[["cluster_id", "keyword"]], on="cluster_id")
    csk = cs.merge(keywords[["cluster_id", "keyword"]], on="cluster_id")
    parts = [
        cluster_blocks.merge(heads_all, on="block"),
        cs.merge(heads_sector, on=["block", "naf_section"]),
        ck.merge(heads_keyword, on=["block", "keyword"]),
        csk.merge(heads_both, on=["block", "naf_section", "keyword"]),
    ]
    pairs = pd.concat([p[["cluster_id", "advisor_id"]] for p in parts], ignore_index=True)
    return pairs.drop_duplicates().reset_index(drop=True)


def _score(pairs, adv, coverage, places, sections, keywords, adv_keywords) -> pd.DataFrame:
    """Exact score of each pair, with the facts the reasons are written from."""
    pairs = pairs.merge(adv, on="advisor_id")
    cov = coverage[["cluster_id", "committee_id", "relation", "departement_code"]].rename(columns={"departement_code": "coverage_departement"})
    pairs = pairs.merge(cov, on=["cluster_id", "committee_id"], how="left")
    head_region = places.set_index("cluster_id")["region_code"]
    pairs["cluster_region"] = pairs["cluster_id"].map(head_region)

    committee_match = pairs["relation"].map(RELATION_TO_MATCH)
    committee_weight = committee_match.map(TERRITORY_WEIGHTS).astype("float64").fillna(0.0)
    same_region = pairs["region_code"].notna() & pairs["region_code"].eq(pairs["cluster_region"]).fillna(False)
    region_weight = same_region.astype("float64") * TERRITORY_WEIGHTS[SAME_REGION]
    pairs["territory_match"] = committee_match.where(committee_weight >= region_weight, SAME_REGION)
    pairs.loc[(committee_weight == 0) & ~same_region, "territory_match"] = None
    pairs["territory_score"] = committee_weight.where(committee_weight >= region_weight, region_weight)
    pairs = pairs[pairs["territory_score"] > 0]

    sector = sections.rename(columns={"theme": "sector_theme"})
    pairs = pairs.merge(sector, on=["cluster_id", "naf_section"], how="left")
    pairs["sector_match"] = pairs["sector_theme"].notna().where(pairs["naf_section"].notna(), None)

    hits = adv_keywords.merge(pairs[["cluster_id", "advisor_id"]], on="advisor_id").merge(keywords, on=["cluster_id", "keyword"])
    hits = hits.sort_values(["cluster_id", "advisor_id", "keyword"])
    hit_summary = hits.groupby(["cluster_id", "advisor_id"], sort=False).agg(
        matched_keywords=("keyword", list), keyword_theme=("theme", "first")
    ).reset_index()
    pairs = pairs.merge(hit_summary, on=["cluster_id", "advisor_id"], how="left")
    keyword_match = pairs["keyword_theme"].notna()

    raw = pairs["territory_score"] + SECTOR_WEIGHT * pairs["sector_theme"].notna() + KEYWORD_WEIGHT * keyword_match
    pairs["score"] = raw.clip(0.0, 1.0).round(6)
    return pairs


def _reasons(top: pd.DataFrame, committees: pd.DataFrame) -> list[list[str]]:
    names = committees.drop_duplicates("committee_id").set_index("committee_id")["name"]
    committee_name = top["committee_id"].map(names).fillna(top["committee_id"])
    region_names = regions()
    territory = []
    for match, name, dep, region in zip(top["territory_match"], committee_name, top["coverage_departement"], top["cluster_region"]):
        if match == SAME_COMMITTEE:
            where = f"head office in {dep}" if isinstance(dep, str) else f"head-office région {region_names.get(region, region)}"
            territory.append(f"same committee: {name} ({where})")
        elif match == MEMBER_REGION:
            territory.append(f"member région: {name} covers one of the pôle's other régions")
        else:
            territory.append(f"same région: {region_names.get(region, region)}")
    sector = [
        f"sector {naf} matches theme '{theme}'" if isinstance(theme, str) else None
        for naf, theme in zip(top["naf_section"], top["sector_theme"])
    ]
    keyword = [
        f"position or company mentions '{', '.join(kws)}' (theme '{theme}')" if isinstance(theme, str) else None
        for kws, theme in zip(top["matched_keywords"], top["keyword_theme"])
    ]
    return [[r for r in row if r] for row in zip(territory, sector, keyword)]


def cluster_advisor_candidates(
    clusters: pd.DataFrame,
    committees: pd.DataFrame,
    advisors: pd.DataFrame,
    coverage: pd.DataFrame,
    top_n: int = DEFAULT_TOP_N,
) -> pd.DataFrame:
    """Top ``top_n`` advisors per pôle, per the CLUSTER_ADVISOR_CANDIDATES contract.

    Ranked by score desc then advisor_id asc (deterministic); rank 1..n; source_url is the pôle's."""
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    places = cluster_places(clusters)
    adv = _advisor_frame(advisors)
    sections = cluster_sections(clusters)
    keywords = cluster_position_keywords(clusters)

    cluster_blocks, committee_blocks = _blocks(coverage, places)
    members = _block_members(adv, committee_blocks, pd.Series(cluster_blocks["block"].unique()))
    adv_keywords = advisor_keywords(advisors[advisors["advisor_id"].isin(members["advisor_id"].unique())])
    member_keywords = members.merge(adv_keywords, on="advisor_id").sort_values(["block", "advisor_id"], kind="stable")

    pairs = _candidate_pairs(cluster_blocks, members, member_keywords, sections, keywords, top_n)
    scored = _score(pairs, adv, coverage, places, sections, keywords, adv_keywords)

    scored = scored.sort_values(["cluster_id", "score", "advisor_id"], ascending=[True, False, True], kind="stable")
    scored["rank"] = scored.groupby("cluster_id", sort=False).cumcount() + 1
    top = scored[scored["rank"] <= top_n].reset_index(drop=True)

    top["reasons"] = _reasons(top, committees)
    source_url = clusters.drop_duplicates("cluster_id").set_index("cluster_id")["source_url"]
    top["source_url"] = top["cluster_id"].map(source_url)
    return conform(top, CLUSTER_ADVISOR_CANDIDATES)
