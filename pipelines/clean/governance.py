"""Clean the `pole_sites` crawl: per pôle, its site's status, and the seats of its governance and team.

Items (``spiders/pole_sites``): ``kind: site`` (one per pôle site considered) and ``kind: seat``
(one per seat read from a page). The seats frame keeps every person's name, for the matcher
only; the published ``cluster_governance`` table (:func:`governance_table`) names a person only
when the seat is a public officer of the association (the bureau, the director) or is tied to
an advisor, and otherwise withholds the name from the evidence text too.

``seat_id`` = sha1 of (cluster_id, folded name words in sorted order, role_kind)[:16]: the
fewest raw fields that tell two seats apart; a new role title, organisation or page keeps it,
"DUPONT Véronique" and "Véronique Dupont" give the same one.
"""

from __future__ import annotations

import re

import pandas as pd

from common.issues import ERROR, WARNING, Issue, missing
from common.places import fold
from pipelines.clean.frames import conform, stable_hash
from pipelines.clean.opt_out import _matches as opted_out
from pipelines.clean.opt_out import load_opt_out
from pipelines.join.ties import CONFIRMED, GOVERNANCE_SEAT, REVIEWED, name_splits
from pipelines.schema import CLUSTER_GOVERNANCE, CLUSTERS
from spiders.pole_sites.roles import BODIES, ROLE_KINDS  # the crawl's vocabularies, checked here

SOURCE = "pole_sites"
STATUSES = ("found", "not_found", "site_unreachable", "not_crawled")
OFFICER_ROLE_KINDS = {"president", "vice_president", "treasurer", "secretary", "director"}
SEAT_FIELDS = ("person_name", "role", "role_kind", "body", "evidence_url", "evidence_text")
WITHHELD = "[nom non publié]"
SITE_COLUMNS = [
    "cluster_id",
    "site_url",
    "governance_status",
    "governance_url",
    "pages_crawled",
    "has_international_contact",
    "source_url",
]
SEAT_COLUMNS = [
    "seat_id",
    "cluster_id",
    "body",
    "role",
    "role_kind",
    "organisation",
    "person_name",
    "evidence_url",
    "evidence_text",
    "siren",
    "opted_out",
    "source_url",
]


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    v = re.sub(r"\s+", " ", str(v)).strip()
    return v or None


def seat_id(cluster_id: str, person_name: str, role_kind: str) -> str:
    return stable_hash(cluster_id, " ".join(sorted(fold(person_name).split())), role_kind)


def clean_sites(items: list[dict], cluster_ids: list[str]) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per pôle of ``cluster_ids``: its site's status (``not_crawled`` when no item says)."""
    issues: list[Issue] = []
    by_cluster: dict[str, dict] = {}
    for item in items:
        if item.get("kind") != "site":
            continue
        url, cid = item.get("source_url") or "", item.get("cluster_id")
        if cid not in cluster_ids:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "cluster_id",
                    "unknown_cluster",
                    f"site item for unknown pôle {cid!r}; ignored",
                    ERROR,
                    value=cid,
                )
            )
            continue
        status = item.get("status")
        if status not in STATUSES:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "status",
                    "unknown_value",
                    f"site status {status!r} is not one of {', '.join(STATUSES)}; counted as not_crawled",
                    WARNING,
                    value=status,
                )
            )
            status = "not_crawled"
        reached = status in ("found", "not_found")
        by_cluster[cid] = {
            "cluster_id": cid,
            "site_url": _text(item.get("site_url")),
            "governance_status": status,
            "governance_url": _text(item.get("governance_url")) if status == "found" else None,
            "pages_crawled": int(item.get("pages_crawled") or 0),
            "has_international_contact": bool(item.get("has_international_contact")) if reached else None,
            "source_url": url,
        }
    rows = [
        by_cluster.get(cid) or {"cluster_id": cid, "governance_status": "not_crawled", "pages_crawled": 0}
        for cid in sorted(cluster_ids)
    ]
    return pd.DataFrame(rows, columns=SITE_COLUMNS), issues


def _opted_out(name: str, entries: list[dict]) -> bool:
    """Whether any reading of the printed name is on the opt-out list (in any committee: a seat has none)."""
    return any(
        opted_out(e, " ".join(family), given, (e.get("committee_id") or "").strip())
        for e in entries
        for family, given in name_splits(name)
    )


def clean_seats(
    items: list[dict], cluster_ids: list[str], opt_out: list[dict] | None = None
) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per seat, names kept (for the matcher); people on the opt-out list flagged ``opted_out``."""
    opt_out = load_opt_out() if opt_out is None else opt_out
    issues: list[Issue] = []
    rows: dict[str, dict] = {}
    n_opted_out = 0
    for item in sorted(
        (i for i in items if i.get("kind") == "seat"),
        key=lambda i: (str(i.get("cluster_id")), str(i.get("evidence_url")), str(i.get("person_name"))),
    ):
        url = item.get("source_url") or item.get("evidence_url") or ""
        absent = [f for f in SEAT_FIELDS if not _text(item.get(f))]
        if absent:
            issues += [missing(SOURCE, url, f) for f in absent]
            continue
        cid = item.get("cluster_id")
        if cid not in cluster_ids:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "cluster_id",
                    "unknown_cluster",
                    f"seat for unknown pôle {cid!r}; dropped",
                    ERROR,
                    value=cid,
                )
            )
            continue
        if not re.match(r"^https?://[^/\s]+", _text(item["evidence_url"])):
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "evidence_url",
                    "invalid_value",
                    "evidence is not an http(s) URL; seat dropped",
                    ERROR,
                    value=_text(item["evidence_url"]),
                )
            )
            continue
        role_kind, body = item["role_kind"], item["body"]
        if role_kind not in ROLE_KINDS:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "role_kind",
                    "unknown_value",
                    f"role_kind {role_kind!r} unknown; published as 'other'",
                    WARNING,
                    value=role_kind,
                )
            )
            role_kind = "other"
        if body not in BODIES:
            issues.append(
                Issue(SOURCE, url, "body", "unknown_value", f"body {body!r} unknown; seat dropped", WARNING, value=body)
            )
            continue
        name = _text(item["person_name"])
        sid = seat_id(cid, name, role_kind)
        if sid in rows:  # the same person in the same role on two pages: the first evidence stands
            continue
        out = _opted_out(name, opt_out)
        n_opted_out += out
        rows[sid] = {
            "seat_id": sid,
            "cluster_id": cid,
            "body": body,
            "role": _text(item["role"]),
            "role_kind": role_kind,
            "organisation": _text(item.get("organisation")),
            "person_name": name,
            "evidence_url": _text(item["evidence_url"]),
            "evidence_text": _text(item["evidence_text"]),
            "siren": _text(item.get("siren")),
            "opted_out": out,
            "source_url": url,
        }
    if n_opted_out:
        issues.append(
            Issue(
                "opt_out",
                "opt_out.csv",
                "cluster_governance",
                "opted_out",
                f"{n_opted_out} seat(s): name withheld at the person's request",
                WARNING,
            )
        )
    seats = pd.DataFrame(list(rows.values()), columns=SEAT_COLUMNS)
    return seats.sort_values(["cluster_id", "seat_id"]).reset_index(drop=True), issues


def withhold_name(text: str | None, person_name: str) -> str | None:
    """The evidence text without the person's name (each word of two letters or more, any case)."""
    if not text:
        return text
    words = sorted({w.strip(".,") for w in person_name.split() if len(w.strip(".,")) > 1}, key=len, reverse=True)
    for w in words:
        text = re.sub(rf"(?<!\w){re.escape(w)}(?!\w)", WITHHELD, text, flags=re.IGNORECASE)
    return re.sub(rf"{re.escape(WITHHELD)}(?:[\s,.-]*{re.escape(WITHHELD)})+", WITHHELD, text)


def is_officer(seat: dict) -> bool:
    """A public officer of the association: a member of its bureau or its director."""
    return seat["body"] == "bureau" or seat["role_kind"] in OFFICER_ROLE_KINDS


def governance_table(seats: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """``cluster_governance``: one row per seat, names only for officers and seats tied to an advisor."""
    sure = ties[ties["match"].isin([CONFIRMED, REVIEWED])]
    tied = dict(zip(sure["seat_id"], sure["advisor_id"]))
    rows = []
    for s in seats.to_dict("records"):
        advisor = None if s["opted_out"] else tied.get(s["seat_id"])
        public = not s["opted_out"] and (is_officer(s) or advisor is not None)
        rows.append(
            {
                **s,
                "advisor_id": advisor,
                "person_name": s["person_name"] if public else None,
                "evidence_text": s["evidence_text"] if public else withhold_name(s["evidence_text"], s["person_name"]),
            }
        )
    return conform(pd.DataFrame(rows, columns=SEAT_COLUMNS + ["advisor_id"]), CLUSTER_GOVERNANCE)


def add_governance_columns(clusters: pd.DataFrame, sites: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """``clusters`` with governance_status, governance_url, n_cce_in_governance, has_international_contact."""
    site = sites.set_index("cluster_id")
    out = clusters.copy()
    status = out["cluster_id"].map(site["governance_status"]).fillna("not_crawled")
    sure = ties[(ties["tie_kind"] == GOVERNANCE_SEAT) & ties["match"].isin([CONFIRMED, REVIEWED])]
    n = sure.groupby("cluster_id")["advisor_id"].nunique()
    out["governance_status"] = status.tolist()
    out["governance_url"] = out["cluster_id"].map(site["governance_url"]).tolist()
    out["n_cce_in_governance"] = pd.array(
        [int(n.get(c, 0)) if s == "found" else None for c, s in zip(out["cluster_id"], status)], dtype="Int64"
    )
    out["has_international_contact"] = pd.array(
        out["cluster_id"].map(site["has_international_contact"]).tolist(), dtype="boolean"
    )
    return conform(out, CLUSTERS)
