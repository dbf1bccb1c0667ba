"""Clean the `cce_committees` crawl into the `cce_committees` table, and list officers for `advisors`.

IDs come from the fewest raw fields, so they survive renames of a committee's title:
- committee in France: ``fr-`` + slug of the territory as printed ("fr-provence-corse");
- section abroad: ``section-`` + ISO code of its country ("section-de").

Territories of French committees come from ``reference/committee_departements.csv``
(see the note beside it): kind, région and départements, with the basis or assumption.
"""

from __future__ import annotations

import csv
from functools import cache

import pandas as pd

from common.countries import country_code
from common.issues import ERROR, WARNING, Issue
from common.paths import REFERENCE_DIR
from common.places import fold, region_code
from pipelines.clean.frames import conform, slugify
from pipelines.schema import CCE_COMMITTEES

SOURCE = "cce_committees"
OFFICER_COLUMNS = [
    "committee_id",
    "role",
    "honorific",
    "given_names",
    "family_name",
    "full_name",
    "company",
    "source_url",
]


@cache
def committee_territories() -> dict[str, dict]:
    """committee_id -> {kind, region_code, departement_codes (list), basis, note}."""
    with (REFERENCE_DIR / "committee_departements.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        r["committee_id"]: {
            "kind": r["kind"],
            "region_code": r["region_code"] or None,
            "departement_codes": r["departement_codes"].split(),
            "basis": r["basis"],
            "note": r["note"],
        }
        for r in rows
    }


def committee_id(item: dict) -> tuple[str | None, str | None]:
    """(committee_id, country_code) of a raw item; (None, None) when it cannot be identified."""
    if item.get("kind") == "committee":
        return f"fr-{slugify(item['territory'])}", "FR"
    if item.get("kind") == "section":
        code = country_code(item.get("country") or item.get("territory"))
        return (f"section-{code.lower()}", code) if code else (None, None)
    return None, None


def is_president(role: str | None) -> bool:
    """Président(e) of the committee, not a vice-président(e) nor an honorary one."""
    return fold(role or "") in ("president", "presidente")


def _row(item: dict, cid: str, iso2: str, issues: list[Issue]) -> dict:
    url = item["source_url"]
    if item["kind"] == "section":
        kind, region, departements = "country_section", None, []
        note = f"Country section abroad: {item.get('country') or item['territory']}."
    else:
        ref = committee_territories().get(cid)
        if ref:
            kind, region, departements, note = ref["kind"], ref["region_code"], ref["departement_codes"], ref["note"]
        else:
            # Not in the reviewed table: never guess its départements; the coverage shows the gap.
            region = region_code(item.get("region"))
            kind, departements = "territorial", []
            note = "Not in reference/committee_departements.csv: territory unknown, no département assigned."
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "territory",
                    "unknown_value",
                    f"committee '{cid}' is not in reference/committee_departements.csv",
                    WARNING,
                    value=item["territory"],
                )
            )
    presidents = [o for o in item.get("officers") or [] if is_president(o.get("role"))]
    return {
        "committee_id": cid,
        "name": item["name"],
        "kind": kind,
        "country_code": iso2,
        "region_code": region,
        "departement_codes": departements,
        "territory_note": note,
        "president_name": presidents[0]["full_name"] if presidents else None,
        "member_count": item.get("member_count"),
        "page_url": item["page_url"],
        "source_url": url,
    }


def _identified(items: list[dict], issues: list[Issue]) -> list[tuple[str, str, dict]]:
    """(committee_id, country_code, item) per usable item, first by page URL on a clash."""
    out, seen = [], {}
    for item in sorted(items, key=lambda i: i.get("page_url") or ""):
        url = item.get("source_url") or item.get("page_url") or ""
        if item.get("kind") not in ("committee", "section"):
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "kind",
                    "unknown_value",
                    "kind is neither 'committee' nor 'section'",
                    ERROR,
                    value=str(item.get("kind")),
                )
            )
            continue
        cid, iso2 = committee_id(item)
        if cid is None:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "country_code",
                    "unknown_value",
                    "country of the section not recognised; row dropped",
                    ERROR,
                    value=item.get("country") or item.get("territory"),
                )
            )
            continue
        if cid in seen:
            issues.append(
                Issue(
                    SOURCE,
                    url,
                    "committee_id",
                    "duplicate_key",
                    f"same committee as {seen[cid]}; row dropped",
                    WARNING,
                    value=cid,
                )
            )
            continue
        seen[cid] = url
        out.append((cid, iso2, item))
    return out


def clean_cce_committees(items: list[dict]) -> tuple[pd.DataFrame, list[Issue]]:
    issues: list[Issue] = []
    rows = [_row(item, cid, iso2, issues) for cid, iso2, item in _identified(items, issues)]
    df = pd.DataFrame(
        rows, columns=[c.name for c in CCE_COMMITTEES.columns if c.name not in ("first_seen", "last_seen")]
    )
    df = df.sort_values("committee_id").reset_index(drop=True)
    return conform(df, CCE_COMMITTEES), issues


def officers_of(items: list[dict]) -> pd.DataFrame:
    """One row per officer named on a committee's or section's page (for the advisors merge)."""
    rows = []
    for cid, _, item in _identified(items, []):
        for o in item.get("officers") or []:
            rows.append(
                {
                    "committee_id": cid,
                    "role": o.get("role"),
                    "honorific": o.get("honorific"),
                    "given_names": list(o.get("given_names") or []),
                    "family_name": o.get("family_name"),
                    "full_name": o.get("full_name"),
                    "company": o.get("company"),
                    "source_url": item["source_url"],
                }
            )
    df = pd.DataFrame(rows, columns=OFFICER_COLUMNS)
    return df.sort_values(["committee_id", "source_url"], kind="stable").reset_index(drop=True)
