"""The dataset's answer in one sentence: how many pôles have a CCE in their governance.

Pure function over the published tables, for the landing page and the release README.
A pôle *has* a CCE when one advisor's tie to a seat of its governance is ``confirmed`` or
``reviewed``; it has *none* when its governance was read and no such tie exists (``possible``
ties awaiting review do not count); its governance is *unknown* otherwise (site unreachable,
no governance page found, not crawled).

Ties by identifier (``member_company``: an advisor's company is a member of the pôle, same
SIREN) are no governance seat: they are counted apart (``member_companies``) and listed per pôle
under ``member_ties``, never among the governance ``ties``.
"""

from __future__ import annotations

import pandas as pd

from pipelines.join.ties import CONFIRMED, GOVERNANCE_SEAT, MEMBER_COMPANY, POSSIBLE, REVIEWED


def _value(v):
    return None if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else v


def headline(clusters: pd.DataFrame, ties: pd.DataFrame, advisors: pd.DataFrame | None = None) -> dict:
    """{total, with_cce, without_cce, unknown, awaiting_review, sentence, member_companies,
    poles_with_member_company, members_sentence, poles: [...]}.

    ``poles``: every pôle, sorted by name, with its governance status and page, its governance
    ties and its member_company ties (advisor, kind, match, evidence URL); ``advisors``
    (optional) adds the advisors' names."""
    names = dict(zip(advisors["advisor_id"], advisors["display_name"])) if advisors is not None else {}
    is_member = ties["tie_kind"] == MEMBER_COMPANY
    member_ties, ties = ties[is_member], ties[~is_member]
    sure = ties["match"].isin([CONFIRMED, REVIEWED])
    governance = ties[sure & (ties["tie_kind"] == GOVERNANCE_SEAT)]
    with_cce = set(governance["cluster_id"])
    by_cluster = {cid: group for cid, group in ties.groupby("cluster_id")}
    members_by_cluster = {cid: group for cid, group in member_ties.groupby("cluster_id")}
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
        pole_ties, pole_member_ties = (
            (
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
            for group in (by_cluster.get(cid), members_by_cluster.get(cid))
        )
        poles.append(
            {
                "cluster_id": cid,
                "name": row["name"],
                "answer": answer,
                "governance_status": status,
                "governance_url": _value(row.get("governance_url")),
                "ties": pole_ties,
                "member_ties": pole_member_ties,
            }
        )
    total = len(clusters)
    awaiting = int((ties["match"] == POSSIBLE).sum())
    sentence = (
        f"{counts['with_cce']} of {total} pôles have a CCE in their governance, "
        f"{counts['without_cce']} have none, {counts['unknown']} unknown."
    )
    sure_members = member_ties[member_ties["match"].isin([CONFIRMED, REVIEWED])]
    n_member, n_member_poles = len(sure_members), int(sure_members["cluster_id"].nunique())
    members_sentence = (
        f"{n_member_poles} pôle{'s count' if n_member_poles != 1 else ' counts'} a CCE advisor's company among "
        f"{'their' if n_member_poles != 1 else 'its'} members ({n_member} member_company tie{'s' if n_member != 1 else ''}, "
        "by SIREN)."
    )
    return {
        "total": total,
        **counts,
        "awaiting_review": awaiting,
        "sentence": sentence,
        "member_companies": n_member,
        "poles_with_member_company": n_member_poles,
        "members_sentence": members_sentence,
        "poles": poles,
    }
