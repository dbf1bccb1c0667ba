"""The dataset's answer in one sentence: how many pôles have a CCE in their governance.

Pure function over the published tables, for the landing page and the release README.
A pôle *has* a CCE when one advisor's tie to a seat of its governance is ``confirmed`` or
``reviewed``; it has *none* when its governance was read and no such tie exists (``possible``
ties awaiting review do not count); its governance is *unknown* otherwise (site unreachable,
no governance page found, not crawled).
"""

from __future__ import annotations

import pandas as pd

from pipelines.join.ties import CONFIRMED, GOVERNANCE_SEAT, POSSIBLE, REVIEWED


def _value(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def headline(clusters: pd.DataFrame, ties: pd.DataFrame, advisors: pd.DataFrame | None = None) -> dict:
    """{total, with_cce, without_cce, unknown, awaiting_review, sentence, poles: [...]}.

    ``poles``: every pôle, sorted by name, with its governance status and page, and its ties
    (advisor, kind, match, evidence URL); ``advisors`` (optional) adds the advisors' names."""
    names = dict(zip(advisors["advisor_id"], advisors["display_name"])) if advisors is not None else {}
    sure = ties["match"].isin([CONFIRMED, REVIEWED])
    governance = ties[sure & (ties["tie_kind"] == GOVERNANCE_SEAT)]
    with_cce = set(governance["cluster_id"])
    by_cluster = {cid: group for cid, group in ties.groupby("cluster_id")}
    poles, counts = [], {"with_cce": 0, "without_cce": 0, "unknown": 0}
    for row in clusters.sort_values("name").to_dict("records"):
        cid, status = row["cluster_id"], row.get("governance_status") or "not_crawled"
        if cid in with_cce:
            answer = "with_cce"
        elif status == "found":
            answer = "without_cce"
        else:
            answer = "unknown"
        counts[answer] += 1
        group = by_cluster.get(cid)
        pole_ties = (
            []
            if group is None
            else [
                {
                    "advisor_id": t["advisor_id"],
                    "advisor": names.get(t["advisor_id"]),
                    "tie_kind": t["tie_kind"],
                    "match": t["match"],
                    "evidence_url": t["evidence_url"],
                }
                for t in group.sort_values(["match", "advisor_id"]).to_dict("records")
            ]
        )
        poles.append(
            {
                "cluster_id": cid,
                "name": row["name"],
                "answer": answer,
                "governance_status": status,
                "governance_url": _value(row.get("governance_url")),
                "ties": pole_ties,
            }
        )
    total = len(clusters)
    awaiting = int((ties["match"] == POSSIBLE).sum())
    sentence = (
        f"{counts['with_cce']} of {total} pôles have a CCE in their governance, "
        f"{counts['without_cce']} have none, {counts['unknown']} unknown."
    )
    return {"total": total, **counts, "awaiting_review": awaiting, "sentence": sentence, "poles": poles}
