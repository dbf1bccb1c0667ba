"""Members of the pôles: the published ``cluster_members`` table, the ``member_company`` ties and
the members counts of ``clusters``.

A member's SIREN comes from the resolution of the member directories against the company
register (pipelines/enrich/members.py, ``resolve_members``); an advisor's company SIREN from the
same register (:func:`pipelines.enrich.register.advisor_company_matches`). A ``member_company`` tie is
a tie by identifier, so precision first: both SIRENs must be sure ones -- the member's match
``confirmed``, the advisor's company matched clear of the runner-up with a score at least the
resolver's ``confirmed`` floor -- and an advisor on the opt-out list is never tied (the published ``advisors`` have
already lost them; the list is applied again here so this function is safe on any frame).
"""

from __future__ import annotations

import json
from functools import cache

import pandas as pd

from common.issues import WARNING, Issue
from common.paths import REFERENCE_DIR
from pipelines.clean.frames import conform
from pipelines.clean.opt_out import apply_opt_out
from pipelines.join.ties import CONFIRMED, MEMBER_COMPANY, TIE_COLUMNS
from pipelines.schema import CLUSTER_MEMBERS

SOURCE = "pole_members"


@cache
def _naf_labels() -> dict[str, str]:
    return json.loads((REFERENCE_DIR / "naf_codes.json").read_text(encoding="utf-8"))


def _text(v) -> str | None:
    return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v == "" else str(v)


def members_table(resolved: pd.DataFrame) -> tuple[pd.DataFrame, list[Issue]]:
    """``resolve_members``' frame -> ``cluster_members`` (the data contract), without history.

    source_url is the page the member was read from (evidence_url); a NAF label the resolver did
    not give is read from INSEE's NAF list. A (cluster_id, member_id) listed twice keeps its first
    row and is reported: the key must stay unique."""
    df = resolved.copy()
    df["source_url"] = df["evidence_url"]
    labels = _naf_labels()
    if "naf_label" not in df:
        df["naf_label"] = None
    df["naf_label"] = [
        _text(label) or (labels.get(code) if _text(code) else None)
        for label, code in zip(df["naf_label"].tolist(), df["naf_code"].tolist())
    ]
    dup = df.duplicated(["cluster_id", "member_id"], keep="first")
    issues = [
        Issue(
            SOURCE,
            r["evidence_url"] or "",
            "member_id",
            "duplicate_member",
            f"member '{r['organisation']}' of {r['cluster_id']} listed twice: first row kept",
            WARNING,
            value=r["member_id"],
        )
        for r in df[dup].to_dict("records")
    ]
    df = df[~dup].sort_values(["cluster_id", "member_id"], kind="stable")
    return conform(df, CLUSTER_MEMBERS), issues


def advisor_company_frame(matches: dict) -> pd.DataFrame:
    """advisor_id -> register match (:func:`pipelines.enrich.register.advisor_company_matches`) as a frame:
    advisor_id, siren, match_score."""
    rows = [{"advisor_id": a, "siren": m.siren, "match_score": float(m.score)} for a, m in sorted(matches.items())]
    return pd.DataFrame(rows, columns=["advisor_id", "siren", "match_score"])


def member_company_ties(
    members: pd.DataFrame,
    advisors: pd.DataFrame,
    advisor_companies: pd.DataFrame,
    opt_out: list[dict] | None = None,
) -> pd.DataFrame:
    """One ``cluster_cce_ties`` row per (pôle, advisor) whose company SIREN is a member's confirmed SIREN.

    ``advisor_companies``: advisor_id, siren, match_score of the advisor's company in the register
    (:func:`advisor_company_frame`); only a match scoring at least the resolver's ``confirmed``
    floor counts. ``opt_out``: the opt-out entries (default:
    reference/opt_out.csv). Score: the weaker of the two register matches."""
    from pipelines.enrich.members import CONFIRMED as CONFIRMED_SCORE  # the resolver's "confirmed" floor

    advisors, _ = apply_opt_out(advisors, opt_out)
    sure = members[(members["match_confidence"] == CONFIRMED) & members["siren"].notna()]
    by_siren: dict[str, list[dict]] = {}
    for m in sure.sort_values(["cluster_id", "member_id"]).to_dict("records"):
        by_siren.setdefault(m["siren"], []).append(m)
    # The advisor's side is held to the same floor as a confirmed member (a company matched
    # between the threshold and that floor would be a "possible" member).
    company = {
        r["advisor_id"]: r
        for r in advisor_companies.dropna(subset=["siren"]).to_dict("records")
        if r["match_score"] >= CONFIRMED_SCORE
    }
    best: dict[tuple[str, str], dict] = {}
    for a in advisors.sort_values("advisor_id").to_dict("records"):
        match = company.get(a["advisor_id"])
        for m in by_siren.get(match["siren"], []) if match else []:
            member_score = float(m["match_score"]) if _text(m.get("match_score")) is not None else 1.0
            company_score = float(match["match_score"])
            row = {
                "cluster_id": m["cluster_id"],
                "advisor_id": a["advisor_id"],
                "tie_kind": MEMBER_COMPANY,
                "seat_id": None,
                "member_id": m["member_id"],
                "match": CONFIRMED,
                "score": round(min(member_score, company_score, 1.0), 3),
                "reasons": [
                    f"organisation: SIREN {m['siren']} equal: the advisor's company '{a.get('company')}' is the "
                    f"member '{m['organisation']}'",
                    f"member: '{m['organisation']}' is listed in the pôle's member directory, its SIREN a confirmed "
                    f"register match (score {member_score:.2f})",
                    f"company: the advisor's company matched the register (score {company_score:.2f})",
                ],
                "evidence_url": m["evidence_url"],
                "source_url": m["evidence_url"],
            }
            key = (row["cluster_id"], row["advisor_id"])
            # One company listed twice in a directory (two entities, one SIREN): the surer row stands.
            if key not in best or row["score"] > best[key]["score"]:
                best[key] = row
    ties = pd.DataFrame(list(best.values()), columns=TIE_COLUMNS)
    return ties.sort_values(["cluster_id", "advisor_id"], kind="stable").reset_index(drop=True)


def directories_read(items: list[dict]) -> set[str]:
    """The pôles whose member directory was read: a ``site`` item of the pole_members crawl with
    status ``found`` (not_found, site_unreachable, not_crawled: not read)."""
    return {i["cluster_id"] for i in items if i.get("kind") == "site" and i.get("status") == "found"}


def add_member_counts(
    clusters: pd.DataFrame, members: pd.DataFrame, directories_read: set[str] | None = None
) -> pd.DataFrame:
    """``clusters`` with ``n_members``: the pôle's distinct members (member_id) when its directory
    was read, null otherwise. ``members``: member_listings or cluster_members. ``directories_read``:
    the pôles whose directory was read (members or not); when unknown, a pôle with at least one
    member counts as read and the others stay null: an unread directory is never published as an
    empty one."""
    counts = members.drop_duplicates(["cluster_id", "member_id"]).groupby("cluster_id").size()
    read = set(counts.index) | set(directories_read or ())
    out = clusters.copy()
    out["n_members"] = pd.array(
        [int(counts.get(c, 0)) if c in read else None for c in out["cluster_id"]], dtype="Int64"
    )
    return out
