"""README.md of a release: the data dictionary, from pipelines/schema.py and templates/README.md.j2."""

from __future__ import annotations

from pipelines.schema import TABLES

from . import provenance
from .datapackage import DATASET_DESCRIPTION, DATASET_TITLE, LICENCE, type_label
from .files import LIST_SEPARATOR
from .labels import columns_of

CSV_SAFETY = (
    "CSV safety: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (which a "
    "spreadsheet would run as a formula) is written in the CSV with a single quote `'` in front, the rest "
    "unchanged (OWASP's advice against CSV injection). This applies to text and list columns only, so the "
    "organisations' E.164 phone numbers read `'+33…` in the CSV; numeric columns keep their minus sign "
    "(`-5`). To get the original text back, drop a leading `'` that is followed by one of those characters. "
    "The Parquet files keep every value as it is."
)

PERSONAL_DATA = (
    "Advisors are people. This dataset publishes only what the public sources themselves publish about "
    "their public role: name, committee, company, position and appointment (decree reference and date). "
    "It never publishes personal e-mail addresses or phone numbers; the only contact details are the "
    "generic ones of organisations. Anyone may ask to be left out: names on the project's opt-out list "
    "are removed before publication and stay out of every later release. "
    "The seats of the pôles' governance (cluster_governance) come from the pôles' own websites: a person "
    "is named only as a public officer of the association (its bureau, its director) or when the seat is "
    "tied to a CCE advisor; other board members and staff appear by role and organisation only, their "
    "name withheld from the evidence text too. The opt-out list applies to seats as well. "
    "The pôles' members (cluster_members) are organisations, published as the pôles' own directories list "
    "them, with no person's name or contact; a member_company tie names the advisor only through advisor_id, "
    "and never an advisor on the opt-out list."
)

# What an empty cell means, for every column that may be empty. A column missing here
# reads "not published by the source" in the README (tests/test_release_analysts.py
# keeps this list complete for the tables it knows).
NULL_MEANINGS: dict[str, dict[str, str]] = {
    "clusters": {
        "short_name": "the directory prints no short name or acronym.",
        "label_status": "the directory page shows no label status the parser recognises (see issues.json).",
        "label_period": "no label period printed.",
        "label_start_year": "no label period printed, or it does not read as two years.",
        "label_end_year": "no label period printed, or it does not read as two years.",
        "themes": "the directory lists no theme.",
        "description": "no presentation text on the page.",
        "website": "the directory gives no website.",
        "contact_email": "the directory gives no generic contact e-mail.",
        "contact_phone": "the directory gives no generic phone, or it is not a valid French number.",
        "address": "no street address printed.",
        "postcode": "no postcode printed.",
        "city": "no city printed.",
        "departement_code": "no postcode, or one that matches no département.",
        "region_name": "never empty when region_code is set.",
        "other_region_codes": "the pôle covers no région besides its head office's (empty list).",
        "siren": "the company register gave no match good enough to keep.",
        "siren_match_score": "no company-register match was attempted or kept (siren empty).",
        "naf_code": "no company-register match (siren empty).",
        "latitude": "no company-register match, or the register has no position for the head office.",
        "longitude": "no company-register match, or the register has no position for the head office.",
        "departement_name": "departement_code is empty.",
        "other_region_names": "other_region_codes is empty.",
        "naf_label": "naf_code is empty, or not in the NAF rév. 2 list.",
        "governance_url": "no governance page was found or read on the pôle's site (see governance_status).",
        "n_cce_in_governance": "governance unknown: the site was not crawled, not reached, or no governance was found.",
        "has_international_contact": "the pôle's site was not crawled or not reached.",
        "n_members": "the pôle's member directory was not read (none found on its site, site not reached or not "
        "crawled); 0 means read and empty.",
    },
    "cce_committees": {
        "region_code": "a country section abroad (kind = country_section), or a committee whose région is not stated.",
        "departement_codes": "a country section abroad, or a committee whose territory the page does not give.",
        "territory_note": "the territory is stated on the page; nothing had to be assumed.",
        "president_name": "the page names no president (or the president opted out).",
        "member_count": "the page shows no member count.",
        "region_name": "region_code is empty (a country section abroad).",
        "departement_names": "departement_codes is empty.",
    },
    "advisors": {
        "honorific": "the source prints neither M. nor Mme.",
        "given_names": "the source prints the family name only.",
        "country_code": "the committee's country is not known.",
        "region_code": "an advisor abroad (country section), or a committee without a région.",
        "company": "the source gives no company.",
        "position": "the source gives no position.",
        "naf_section": "the advisor's company was not matched in the company register: sector unknown.",
        "roles": "no role is printed (empty list).",
        "appointment_ref": "an officer named on a committee page who was not found in the appointment decrees.",
        "appointment_date": "not found in the appointment decrees (appointment_ref empty).",
        "mandate_end": "not found in the appointment decrees (appointment_ref empty).",
        "family_name_as_printed": "never empty.",
        "region_name": "region_code is empty (an advisor abroad).",
        "naf_section_label": "naf_section is empty: the advisor's sector is unknown.",
        "role_kinds": "roles is empty.",
    },
    "cluster_committee_coverage": {
        "departement_code": "the committee covers one of the pôle's other régions (relation = member_region), not its head office.",
        "departement_name": "departement_code is empty.",
    },
    "cluster_advisor_candidates": {
        "territory_match": "never empty: there is no candidate without a territory.",
        "sector_match": "the advisor's sector is unknown (naf_section empty); false means known and different.",
        "reasons": "never empty in practice: the territory reason is always given.",
    },
    "region_summary": {
        "advisors_per_cluster": "the région has no pôle (division by zero).",
        "clusters_without_committee": "every pôle of the région is covered (empty list).",
    },
}
NULL_MEANINGS.update(
    {
        "cluster_governance": {
            "organisation": "the page prints no organisation beside the person.",
            "person_name": "withheld: a board member or staff who is neither a public officer of the association "
            "(bureau, director) nor tied to a CCE advisor, or a person on the opt-out list.",
            "advisor_id": "the seat is tied to no advisor (confirmed or reviewed).",
        },
        "cluster_cce_ties": {
            "reasons": "never empty: every tie says why it was proposed.",
            "seat_id": "a member_company tie: it was read from the member directory (member_id), not from a seat.",
            "member_id": "a governance_seat or international_contact tie: it was read from a seat (seat_id).",
        },
        "cluster_members": {
            "category": "the directory gives no category, or one outside the vocabulary (see category_label and "
            "issues.json).",
            "category_label": "the directory gives no category.",
            "siren": "no company-register match accepted: match_confidence says why (ambiguous or no_match).",
            "siret": "the register does not tell which establishment the directory means (the SIREN is the legal unit).",
            "naf_code": "no company-register match accepted (siren empty), or the register gives no NAF code.",
            "naf_label": "naf_code is empty, or not in the NAF rév. 2 list.",
            "postcode": "the directory gives no postcode.",
            "city": "the directory gives no city.",
            "website": "the directory links no website.",
            "match_score": "the register returned no candidate for the member (match_confidence no_match).",
            "match_reasons": "no candidate was scored (empty list).",
        },
    }
)
DEFAULT_NULL_MEANING = "not published by the source."


def opt_out_text(publisher) -> str:
    """PERSONAL_DATA, ending with where to ask: the publisher's contact."""
    if publisher is not None and publisher.contact_url:
        return f"{PERSONAL_DATA} To ask, contact the publisher, {publisher.name or 'see'}: {publisher.contact_url}."
    return f"{PERSONAL_DATA} (No publisher is configured for this release, so no contact is given: see publisher.yml.)"


def publisher_line(publisher) -> str:
    if publisher is None or not publisher.to_dict():
        return "Publisher: not configured (set POLES_CCE_PUBLISHER_NAME/_CONTACT_URL/_HOMEPAGE or publisher.yml)."
    parts = [publisher.name or "unnamed"]
    if publisher.homepage:
        parts.append(publisher.homepage)
    if publisher.contact_url:
        parts.append(f"contact: {publisher.contact_url}")
    return "Publisher: " + " · ".join(parts) + "."


def null_meanings(name: str) -> list[tuple[str, str]]:
    known = NULL_MEANINGS.get(name, {})
    return [
        (c.name, known.get(c.name, DEFAULT_NULL_MEANING))
        for c in columns_of(name, list(TABLES[name].columns))
        if not c.required
    ]


def score_weights() -> dict:
    from pipelines.join.candidates import KEYWORD_WEIGHT, SECTOR_WEIGHT, TERRITORY_WEIGHTS

    return {**TERRITORY_WEIGHTS, "sector": SECTOR_WEIGHT, "keyword": KEYWORD_WEIGHT}


def member_thresholds() -> dict:
    """The register matcher's thresholds the members' match_confidence follows (pipelines/enrich)."""
    from pipelines.enrich.match import MARGIN, THRESHOLD
    from pipelines.enrich.members import CONFIRMED

    return {"threshold": THRESHOLD, "confirmed": CONFIRMED, "margin": MARGIN}


def build(
    *,
    release_id: str,
    run_date,
    row_counts: dict[str, int],
    sources: list,
    crawls: dict[str, dict],
    n_changes: dict[str, int],
    previous_id: str | None,
    publisher=None,
    workbook: str | None = None,
    headline: dict | None = None,
) -> str:
    from .rendering import render

    samples = provenance.sample_sources(crawls)
    tables = []
    for name in (n for n in TABLES if n in row_counts):
        t = TABLES[name]
        tables.append(
            {
                "name": name,
                "title": t.title,
                "description": t.description,
                "rows": row_counts[name],
                "changes": n_changes.get(name, 0),
                "primary_key": ", ".join(f"`{k}`" for k in t.primary_key),
                "foreign_keys": [
                    f"{', '.join(fk.columns)} → `{fk.table}`.{', '.join(fk.ref_columns)}" for fk in t.foreign_keys
                ],
                "sources": ", ".join(t.sources),
                "columns": [
                    {"name": c.name, "type": type_label(c.type), "required": c.required, "description": c.description}
                    for c in columns_of(name, list(t.columns))
                ],
                "nulls": null_meanings(name),
            }
        )
    return render(
        "README.md.j2",
        title=DATASET_TITLE,
        description=DATASET_DESCRIPTION,
        licence=LICENCE,
        release_id=release_id,
        run_date=run_date.isoformat(),
        previous_id=previous_id,
        notice=provenance.SAMPLE_NOTICE if samples else None,
        sample_sources=samples,
        publisher_line=publisher_line(publisher),
        tables=tables,
        workbook=workbook,
        list_separator=LIST_SEPARATOR,
        weights=score_weights(),
        members=member_thresholds(),
        personal_data=opt_out_text(publisher),
        csv_safety=CSV_SAFETY,
        headline=headline,
        sources=[
            {
                "title": s.title,
                "url": str(s.url),
                "publisher": s.publisher.name,
                "licence": s.licence.name,
                "licence_url": str(s.licence.url),
                "provenance": provenance.describe(crawls.get(s.name, {})),
            }
            for s in sorted(sources, key=lambda s: s.name)
        ],
    )
