"""cluster_advisor_candidates: the advisors who could serve each pôle, scored and explained.

Score (docs/scoring.md) = territory + sector + position keyword, clipped to [0, 1]:
- territory, the best that applies: the advisor's committee covers the pôle's head office
  (same_committee, 0.5), covers one of its other régions (member_region, 0.35), or the advisor
  sits in the pôle's head-office région (same_region, 0.25). No territory, no candidate.
- sector: the advisor's NAF section is one the pôle's themes map to (0.35);
- keyword: a theme keyword appears in the advisor's position or company (0.15).

Blocking keeps it near-linear. Pairs are never enumerated: the pôles sharing a territory share
a *block* (the committees covering a département or a région, or a région's advisors), and per block
only the first ``top_n`` advisors by advisor_id of each affinity class are kept (all / sector s /
keyword k / sector s and keyword k). Every member of a class list scores at least as much as
any later member of it, so an advisor left out of every list it belongs to has ``top_n``
advisors ranked before it in the pôle: the exact top N is always among the kept pairs, which
are then scored exactly against ``coverage``. Work is O(advisors x départements per committee
+ pôles x blocks x classes x top_n). ``coverage`` must be ``cluster_committee_coverage`` of the
same clusters and committees (the blocks are built by the same territory rules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from common.places import regions
from pipelines.clean.frames import conform
from pipelines.schema import CLUSTER_ADVISOR_CANDIDATES

from .coverage import HEAD_OFFICE, MEMBER_REGION
from .territory import cluster_other_regions, cluster_places, committee_departements, committee_regions
from .themes import NAF_SECTIONS, advisor_keywords, cluster_position_keywords, cluster_sections, theme_mapping

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


def _blocks(
    clusters: pd.DataFrame, committees: pd.DataFrame, places: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cluster_id, block) and (block, committee_id) membership, from the territory model.

    Blocks are territories shared by many pôles, so their number stays bounded (≤ 101 + 18 + 18):
    "d:<dep>" the committees covering a head-office département, "g:<région>" the committees of a
    région (head office with an unknown département, or a member région), "r:<région>" the
    advisors whose own region_code is the head-office région. The same rules build the coverage
    table (coverage.py), so every covering committee of a pôle is in one of its blocks."""
    by_dep = committee_departements(committees)
    by_region = committee_regions(committees)
    committee_blocks = pd.concat(
        [
            pd.DataFrame({"block": "d:" + by_dep["departement_code"], "committee_id": by_dep["committee_id"]}),
            pd.DataFrame({"block": "g:" + by_region["region_code"], "committee_id": by_region["committee_id"]}),
        ],
        ignore_index=True,
    )
    known = places.dropna(subset=["departement_code"])
    unknown = places[places["departement_code"].isna()].dropna(subset=["region_code"])
    others = cluster_other_regions(clusters)
    head = places.dropna(subset=["region_code"])
    cluster_blocks = pd.concat(
        [
            pd.DataFrame({"cluster_id": known["cluster_id"], "block": "d:" + known["departement_code"]}),
            pd.DataFrame({"cluster_id": unknown["cluster_id"], "block": "g:" + unknown["region_code"]}),
            pd.DataFrame({"cluster_id": others["cluster_id"], "block": "g:" + others["region_code"]}),
            pd.DataFrame({"cluster_id": head["cluster_id"], "block": "r:" + head["region_code"]}),
        ],
        ignore_index=True,
    ).drop_duplicates()
    return cluster_blocks, committee_blocks


def _block_members(adv: pd.DataFrame, committee_blocks: pd.DataFrame, region_blocks: pd.Series) -> pd.DataFrame:
    """(block, advisor_id, naf_section), sorted by advisor_id within each block."""
    by_committee = committee_blocks.merge(adv[["advisor_id", "committee_id", "naf_section"]], on="committee_id")
    wanted = adv[adv["region_code"].notna() & ("r:" + adv["region_code"].fillna("")).isin(region_blocks)]
    by_region = wanted.assign(block="r:" + wanted["region_code"])
    members = pd.concat(
        [by_committee[["block", "advisor_id", "naf_section"]], by_region[["block", "advisor_id", "naf_section"]]]
    )
    return members.drop_duplicates(["block", "advisor_id"]).reset_index(drop=True)


class _Codes:
    """String keys -> int64 codes, so the big merges and sorts run on integers.

    Advisors are coded in advisor_id order, so sorting by code is sorting by advisor_id."""

    def __init__(self, adv: pd.DataFrame, clusters: pd.DataFrame, committees: pd.DataFrame, blocks: pd.Series):
        self.index = {
            "advisor_id": pd.Index(adv["advisor_id"]),
            "cluster_id": pd.Index(sorted(clusters["cluster_id"].astype(str).unique())),
            "committee_id": pd.Index(
                sorted(set(committees["committee_id"].astype(str)) | set(adv["committee_id"].dropna()))
            ),
            "block": pd.Index(sorted(blocks.unique())),
            "keyword": pd.Index(list(theme_mapping())),
            "naf_section": pd.Index(sorted(NAF_SECTIONS)),
            "region_code": pd.Index(sorted(regions())),
        }

    def encode(self, df: pd.DataFrame, *columns: str) -> pd.DataFrame:
        """Copy of ``df`` with ``columns`` as int64 codes (-1 for null or unknown)."""
        df = df.copy()
        for col in columns:
            df[col] = self.index[col].get_indexer(df[col].astype(object)).astype("int64")
        return df

    def decode(self, codes: pd.Series, column: str) -> pd.Series:
        values = self.index[column].to_numpy(dtype=object)
        return pd.Series(
            np.where(codes.to_numpy() >= 0, values[codes.clip(lower=0).to_numpy()], None),
            index=codes.index,
            dtype=object,
        )


def _candidate_pairs(cluster_blocks, members, member_keywords, sections, keywords, top_n) -> pd.DataFrame:
    """(cluster_id, advisor_id) codes: a superset of each pôle's exact top N (see module docstring)."""
    members = members.sort_values(["block", "advisor_id"])
    member_keywords = member_keywords.sort_values(["block", "advisor_id"])
    heads_all = members.groupby("block", sort=False).head(top_n)[["block", "advisor_id"]]
    with_sector = members[members["naf_section"] >= 0]
    heads_sector = with_sector.groupby(["block", "naf_section"], sort=False).head(top_n)
    heads_keyword = member_keywords.groupby(["block", "keyword"], sort=False).head(top_n)
    both = member_keywords[member_keywords["naf_section"] >= 0]
    heads_both = both.groupby(["block", "naf_section", "keyword"], sort=False).head(top_n)

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
    """Exact score of each pair (all keys as codes), with the facts the reasons are written from."""
    pairs = pairs.merge(adv, on="advisor_id")
    cov = coverage.rename(columns={"departement_code": "coverage_departement"})
    pairs = pairs.merge(cov, on=["cluster_id", "committee_id"], how="left")
    head_region = pd.Series(places["region_code"].to_numpy(), index=places["cluster_id"].to_numpy())
    pairs["cluster_region"] = head_region.reindex(pairs["cluster_id"].to_numpy()).to_numpy()

    committee_weight = pairs["committee_weight"].fillna(0.0)
    same_region = (pairs["region_code"] >= 0) & (pairs["region_code"] == pairs["cluster_region"])
    region_weight = same_region.astype("float64") * TERRITORY_WEIGHTS[SAME_REGION]
    use_committee = (committee_weight > 0) & (committee_weight >= region_weight)
    pairs["territory_match"] = np.where(
        use_committee, pairs["committee_match"], np.where(same_region, SAME_REGION, None)
    )
    pairs["territory_score"] = np.maximum(committee_weight, region_weight)
    pairs = pairs[pairs["territory_score"] > 0]

    sector = sections.rename(columns={"theme": "sector_theme"})
    pairs = pairs.merge(sector, on=["cluster_id", "naf_section"], how="left")
    has_sector = pairs["naf_section"] >= 0
    pairs["sector_match"] = pd.array(pairs["sector_theme"].notna(), dtype="boolean")
    pairs.loc[~has_sector, "sector_match"] = pd.NA

    # One keyword is enough for the reason: the first in mapping order.
    hits = (
        pairs[["cluster_id", "advisor_id"]]
        .merge(adv_keywords, on="advisor_id")
        .merge(keywords, on=["cluster_id", "keyword"])
    )
    hits = hits.sort_values(["cluster_id", "advisor_id", "keyword"]).drop_duplicates(["cluster_id", "advisor_id"])
    hits = hits.rename(columns={"keyword": "matched_keyword", "theme": "keyword_theme"})
    pairs = pairs.merge(hits, on=["cluster_id", "advisor_id"], how="left")
    keyword_match = pairs["keyword_theme"].notna()

    raw = pairs["territory_score"] + SECTOR_WEIGHT * pairs["sector_theme"].notna() + KEYWORD_WEIGHT * keyword_match
    pairs["score"] = raw.clip(0.0, 1.0).round(6)
    return pairs


def _reasons(top: pd.DataFrame, committees: pd.DataFrame) -> list[list[str]]:
    names = committees.drop_duplicates("committee_id").set_index("committee_id")["name"]
    committee_name = top["committee_id"].map(names).fillna(top["committee_id"])
    region_names = regions()
    territory = []
    cols = [
        c.to_numpy(dtype=object)
        for c in (top["territory_match"], committee_name, top["coverage_departement"], top["cluster_region"])
    ]
    for match, name, dep, region in zip(*cols):
        if match == SAME_COMMITTEE:
            where = (
                f"head office in {dep}"
                if isinstance(dep, str)
                else f"head-office région {region_names.get(region, region)}"
            )
            territory.append(f"same committee: {name} ({where})")
        elif match == MEMBER_REGION:
            territory.append(f"member région: {name} covers one of the pôle's other régions")
        else:
            territory.append(f"same région: {region_names.get(region, region)}")
    sector = [
        f"sector {naf} matches theme '{theme}'" if isinstance(theme, str) else None
        for naf, theme in zip(top["naf_section"].to_numpy(dtype=object), top["sector_theme"].to_numpy(dtype=object))
    ]
    keyword = [
        f"position or company mentions '{kw}' (theme '{theme}')" if isinstance(theme, str) else None
        for kw, theme in zip(top["matched_keyword"].to_numpy(dtype=object), top["keyword_theme"].to_numpy(dtype=object))
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
    cluster_blocks, committee_blocks = _blocks(clusters, committees, places)
    members = _block_members(adv, committee_blocks, pd.Series(cluster_blocks["block"].unique()))
    adv_keywords = advisor_keywords(advisors[advisors["advisor_id"].isin(members["advisor_id"].unique())])

    codes = _Codes(adv, clusters, committees, pd.concat([cluster_blocks["block"], committee_blocks["block"]]))
    members = codes.encode(members, "block", "advisor_id", "naf_section")
    cluster_blocks = codes.encode(cluster_blocks, "cluster_id", "block")
    sections = codes.encode(cluster_sections(clusters), "cluster_id", "naf_section")
    keywords = codes.encode(cluster_position_keywords(clusters), "cluster_id", "keyword")
    adv_keywords = codes.encode(adv_keywords, "advisor_id", "keyword")
    member_keywords = members.merge(adv_keywords, on="advisor_id")
    pairs = _candidate_pairs(cluster_blocks, members, member_keywords, sections, keywords, top_n)

    adv_coded = codes.encode(adv, "advisor_id", "committee_id", "region_code", "naf_section")
    places_coded = codes.encode(places, "cluster_id", "region_code")
    cov = coverage[["cluster_id", "committee_id", "relation", "departement_code"]].astype(object)
    cov = codes.encode(cov, "cluster_id", "committee_id")
    cov["committee_match"] = cov["relation"].map(RELATION_TO_MATCH)
    cov["committee_weight"] = cov["committee_match"].map(TERRITORY_WEIGHTS).astype("float64")
    scored = _score(pairs, adv_coded, cov.drop(columns="relation"), places_coded, sections, keywords, adv_keywords)

    scored = scored.sort_values(["cluster_id", "score", "advisor_id"], ascending=[True, False, True], kind="stable")
    scored["rank"] = scored.groupby("cluster_id", sort=False).cumcount() + 1
    top = scored[scored["rank"] <= top_n].reset_index(drop=True)
    for column in ("cluster_id", "advisor_id", "committee_id", "naf_section"):
        top[column] = codes.decode(top[column], column)
    top["cluster_region"] = codes.decode(top["cluster_region"], "region_code")
    top["matched_keyword"] = codes.decode(top["matched_keyword"].fillna(-1).astype("int64"), "keyword")

    top["reasons"] = _reasons(top, committees)
    source_url = clusters.drop_duplicates("cluster_id").set_index("cluster_id")["source_url"]
    top["source_url"] = top["cluster_id"].map(source_url)
    return conform(top, CLUSTER_ADVISOR_CANDIDATES)
