"""Clean the `poles` crawl into the `clusters` table (before company-register enrichment)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import phonenumbers

from common.issues import ERROR, WARNING, Issue
from common.places import departement_of_postcode, fold, region_code, region_of_departement, regions
from pipelines.clean.frames import conform, slugify
from pipelines.schema import CLUSTERS
from spiders.core.extract import clean_text

SOURCE = "poles"

# Label status as printed -> contract value. Anything else is reported, never defaulted.
_LABEL_STATUS = {
    "labellise": "labelled",
    "label": "labelled",
    "pole labellise": "labelled",
    "labellise probatoire": "probation",
    "probatoire": "probation",
    "en probation": "probation",
    "probation": "probation",
    "labellise a titre probatoire": "probation",
}
_PERIOD = re.compile(r"(\d{4})\s*(?:-|–|—|à|a|/)\s*(\d{4})")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


def normalise_url(url: str | None) -> str | None:
    """Absolute URL, lower-case host, no trailing slash on a bare host; https when no scheme."""
    url = clean_text(url)
    if not url:
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "https://" + url.lstrip("/")
    parts = urlsplit(url)
    if not parts.netloc or "." not in parts.netloc:
        return None
    path = "" if parts.path in ("", "/") else parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def normalise_phone(phone: str | None) -> str | None:
    if not clean_text(phone):
        return None
    try:
        num = phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(num):
        return None
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def _unique(values) -> list[str]:
    seen, out = set(), []
    for v in values or []:
        v = clean_text(v)
        if v and fold(v) not in seen:
            seen.add(fold(v))
            out.append(v)
    return out


def _issue(url, field, code, message, value=None, severity=WARNING) -> Issue:
    return Issue(source=SOURCE, url=url, field=field, code=code, message=message, severity=severity, value=value)


def clean_cluster(item: dict) -> tuple[dict | None, list[Issue]]:
    url = item["source_url"]
    issues: list[Issue] = []
    name = clean_text(item.get("name"))
    short_name = clean_text(item.get("short_name"))
    if not name:
        return None, [_issue(url, "name", "missing_required_field", "no name", severity=ERROR)]

    postcode = clean_text(item.get("postcode"))
    postcode = re.sub(r"\s", "", postcode) if postcode else None
    dep = departement_of_postcode(postcode)
    if postcode and not dep:
        issues.append(_issue(url, "postcode", "unknown_value", "postcode maps to no département", postcode))

    region_text = clean_text(item.get("region"))
    reg = region_code(region_text)
    if not reg:
        issues.append(_issue(url, "region", "unknown_value", "région name not in the INSEE reference", region_text))
        reg = region_of_departement(dep)
        if not reg:
            issues.append(_issue(url, "region", "missing_required_field", "no usable région", region_text, ERROR))
            return None, issues
    elif dep and region_of_departement(dep) not in (None, reg):
        issues.append(
            _issue(url, "postcode", "inconsistent_value", f"postcode {postcode} is not in région {reg}", postcode)
        )

    others = []
    for r in _unique(item.get("other_regions")):
        code = region_code(r)
        if code is None:
            issues.append(_issue(url, "other_regions", "unknown_value", "région name not in the INSEE reference", r))
        elif code != reg and code not in others:
            others.append(code)

    status_text = clean_text(item.get("label_status"))
    status = _LABEL_STATUS.get(fold(status_text)) if status_text else None
    if status_text and status is None:
        issues.append(_issue(url, "label_status", "unknown_value", "label status not in the known list", status_text))

    period = clean_text(item.get("label_period"))
    m = _PERIOD.search(period or "")
    start, end = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    if period and not m:
        issues.append(_issue(url, "label_period", "unknown_value", "label period is not 'YYYY-YYYY'", period))

    website = normalise_url(item.get("website"))
    if item.get("website") and not website:
        issues.append(_issue(url, "website", "invalid_value", "website is not a URL", item.get("website")))

    email = clean_text(item.get("contact_email"))
    if email and email.lower().startswith("mailto:"):
        email = email[7:]
    if email and not _EMAIL.match(email):
        issues.append(_issue(url, "contact_email", "invalid_value", "not an e-mail address", email))
        email = None
    phone = normalise_phone(item.get("contact_phone"))
    if item.get("contact_phone") and not phone:
        issues.append(
            _issue(url, "contact_phone", "invalid_value", "not a valid French phone number", item.get("contact_phone"))
        )

    row = {
        "cluster_id": slugify(short_name or name),
        "name": name,
        "short_name": short_name,
        "label_status": status,
        "label_period": f"{start}-{end}" if m else period,  # "2023 – 2026" -> "2023-2026"
        "label_start_year": start,
        "label_end_year": end,
        "themes": _unique(item.get("themes")),
        "description": clean_text(item.get("description")),
        "website": website,
        "contact_email": email.lower() if email else None,
        "contact_phone": phone,
        "address": clean_text(item.get("street")),
        "postcode": postcode,
        "city": clean_text(item.get("city")),
        "departement_code": dep,
        "region_code": reg,
        "region_name": regions()[reg],
        "other_region_codes": sorted(others),
        "siren": None,
        "siren_match_score": None,
        "naf_code": None,
        "latitude": None,
        "longitude": None,
        "source_url": url,
    }
    return row, issues


def clean_clusters(items: list[dict]) -> tuple[pd.DataFrame, list[Issue]]:
    """One row per pôle, keyed by a stable slug of its short name (name when it has none)."""
    rows, issues, by_id = [], [], {}
    for item in sorted(items, key=lambda i: i["source_url"]):
        row, found = clean_cluster(item)
        issues.extend(found)
        if row is None:
            continue
        prev = by_id.get(row["cluster_id"])
        if prev is not None:
            if prev["source_url"] == row["source_url"]:
                continue  # the same page seen twice (listed on two listing pages)
            issues.append(
                _issue(
                    row["source_url"],
                    "cluster_id",
                    "duplicate_key",
                    f"slug '{row['cluster_id']}' already used by {prev['source_url']}; suffixed",
                    row["cluster_id"],
                )
            )
            n = 2
            while f"{row['cluster_id']}-{n}" in by_id:
                n += 1
            row["cluster_id"] = f"{row['cluster_id']}-{n}"
        by_id[row["cluster_id"]] = row
        rows.append(row)
    df = pd.DataFrame(rows, columns=[c.name for c in CLUSTERS.columns if c.name not in ("first_seen", "last_seen")])
    df = df.sort_values("cluster_id", kind="stable")
    return conform(df, CLUSTERS), issues
