"""The territory model: which départements and régions each French committee and each pôle sit in.

Régions and départements are the INSEE reference tables (``common.places``). A committee's
territory is the ``departement_codes`` list of the committees table, never guessed: a committee
with an empty list covers no département (its région still lists it, through ``region_code``), so
a missing territory shows up as a coverage gap instead of a silent assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from common.places import departements, regions


def as_list(value) -> list:
    """A list cell (list, tuple, numpy array from Parquet) as a Python list; null/scalar-NA -> []."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "tolist"):
        out = value.tolist()
        return out if isinstance(out, list) else []
    return []


def _clean_code(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def french_committees(committees: pd.DataFrame) -> pd.DataFrame:
    """Committees in France (country FR, not a country section)."""
    in_france = committees["country_code"].astype("string").str.upper().eq("FR").fillna(False)
    not_section = committees["kind"].astype("string").ne("country_section").fillna(True)
    return committees[in_france & not_section]


def committee_departements(committees: pd.DataFrame) -> pd.DataFrame:
    """Long table (committee_id, departement_code): one row per département a French committee covers.

    Codes not in the INSEE reference are dropped (they could never match a pôle)."""
    fr = french_committees(committees)
    long = pd.DataFrame(
        {
            "committee_id": fr["committee_id"].to_numpy(),
            "departement_code": fr["departement_codes"].map(as_list).to_numpy(),
        }
    ).explode("departement_code")
    long["departement_code"] = long["departement_code"].map(_clean_code)
    long = long[long["departement_code"].isin(list(departements()))]
    return long.drop_duplicates().sort_values(["committee_id", "departement_code"]).reset_index(drop=True)


def committee_regions(committees: pd.DataFrame) -> pd.DataFrame:
    """Long table (committee_id, region_code): the régions a French committee sits in.

    A committee belongs to its own ``region_code`` and to the région of every département it covers
    (Comité Provence-Corse, région 93, also covers Corse, 94, through 2A and 2B)."""
    fr = french_committees(committees)
    own = pd.DataFrame(
        {"committee_id": fr["committee_id"].to_numpy(), "region_code": fr["region_code"].map(_clean_code).to_numpy()}
    )
    deps = committee_departements(committees)
    region_of = {code: (row["region_code"] or None) for code, row in departements().items()}
    via_deps = pd.DataFrame(
        {"committee_id": deps["committee_id"], "region_code": deps["departement_code"].map(region_of)}
    )
    long = pd.concat([own, via_deps], ignore_index=True)
    long = long[long["region_code"].isin(list(regions()))]
    return long.drop_duplicates().sort_values(["committee_id", "region_code"]).reset_index(drop=True)


def cluster_places(clusters: pd.DataFrame) -> pd.DataFrame:
    """(cluster_id, departement_code, region_code): the head office; an unknown département is null."""
    dep = (
        clusters["departement_code"].map(_clean_code)
        if "departement_code" in clusters
        else pd.Series(None, index=clusters.index)
    )
    dep = dep.where(dep.isin(list(departements())), None)
    return pd.DataFrame(
        {
            "cluster_id": clusters["cluster_id"].to_numpy(),
            "departement_code": dep.astype(object).to_numpy(),
            "region_code": clusters["region_code"].map(_clean_code).to_numpy(),
        }
    )


def cluster_other_regions(clusters: pd.DataFrame) -> pd.DataFrame:
    """Long table (cluster_id, region_code) of the other régions a pôle covers (head-office région excluded)."""
    long = pd.DataFrame(
        {
            "cluster_id": clusters["cluster_id"].to_numpy(),
            "head_region": clusters["region_code"].map(_clean_code).to_numpy(),
            "region_code": clusters["other_region_codes"].map(as_list).to_numpy(),
        }
    ).explode("region_code")
    long["region_code"] = long["region_code"].map(_clean_code)
    long = long[long["region_code"].isin(list(regions())) & long["region_code"].ne(long["head_region"])]
    return (
        long[["cluster_id", "region_code"]]
        .drop_duplicates()
        .sort_values(["cluster_id", "region_code"])
        .reset_index(drop=True)
    )


@dataclass(frozen=True, eq=False)
class Territory:
    """The committees' territories, for look-ups by hand, in tests and in notebooks.

    The marts use the long tables directly (merges, not per-row look-ups)."""

    committees: pd.DataFrame

    @cached_property
    def departement_committees(self) -> pd.DataFrame:
        return committee_departements(self.committees)

    @cached_property
    def region_committees(self) -> pd.DataFrame:
        return committee_regions(self.committees)

    def committees_covering_departement(self, departement: str) -> list[str]:
        """committee_id of every French committee whose territory contains the département."""
        rows = self.departement_committees
        return sorted(rows.loc[rows["departement_code"] == departement, "committee_id"])

    def committees_in_region(self, region: str) -> list[str]:
        """committee_id of every French committee sitting in the région (own région or a covered département)."""
        rows = self.region_committees
        return sorted(rows.loc[rows["region_code"] == region, "committee_id"])

    def departements_of_committee(self, committee_id: str) -> list[str]:
        rows = self.departement_committees
        return sorted(rows.loc[rows["committee_id"] == committee_id, "departement_code"])
