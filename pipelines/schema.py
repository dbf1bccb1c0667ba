"""The data contract in code: every published table's columns, types, descriptions and keys.

One place read by the clean steps (to cast), the release writer (Parquet schema,
datapackage.json, data dictionary) and the checks. Types are pyarrow types.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pyarrow as pa

STR = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
BOOL = pa.bool_()
DATE = pa.date32()
STR_LIST = pa.list_(pa.string())


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    required: bool = False  # never null
    # "organisation": the column holds an organisation's own published contact (e-mail or
    # phone), exempt from the personal-data check; every other text column is scanned.
    contact: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = ()  # from sources/*.yml ``tables:`` (see TABLES)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [
                pa.field(c.name, c.type, nullable=not c.required, metadata={"description": c.description})
                for c in self.columns
            ],
            metadata={"description": self.description, "primary_key": ",".join(self.primary_key)},
        )


# Every published row carries its provenance and history.
PROVENANCE = (
    Column("source_url", STR, "URL of the page or API answer the row was read from.", required=True),
    Column("first_seen", DATE, "Date of the first release that contained this row (by key).", required=True),
    Column("last_seen", DATE, "Date of the latest release that contained this row.", required=True),
)

CLUSTERS = Table(
    name="clusters",
    title="Pôles de compétitivité",
    description="One row per labelled competitiveness cluster (pôle de compétitivité), from the official directory.",
    primary_key=("cluster_id",),
    columns=(
        Column("cluster_id", STR, "Stable identifier: slug of the pôle's short name.", required=True),
        Column("name", STR, "Name as the directory writes it.", required=True),
        Column("short_name", STR, "Short name or acronym."),
        Column("label_status", STR, "labelled or probation."),
        Column("label_period", STR, "Label period, YYYY-YYYY (as printed when it does not read as two years)."),
        Column("label_start_year", INT, "First year of the label period."),
        Column("label_end_year", INT, "Last year of the label period."),
        Column("themes", STR_LIST, "Themes (thématiques) as listed by the directory."),
        Column("description", STR, "Presentation text of the pôle."),
        Column(
            "website",
            STR,
            "Website as an absolute URL: scheme kept as published (https when none is printed), lower-case host, no trailing slash.",
        ),
        Column(
            "contact_email",
            STR,
            "Generic contact e-mail of the organisation (never a person's).",
            contact="organisation",
        ),
        Column("contact_phone", STR, "Generic phone of the organisation, E.164.", contact="organisation"),
        Column("address", STR, "Street part of the head-office postal address."),
        Column("postcode", STR, "Postcode of the head office."),
        Column("city", STR, "City of the head office."),
        Column("departement_code", STR, "INSEE code of the head office's département (from the postcode)."),
        Column("region_code", STR, "INSEE code of the head-office région.", required=True),
        Column("region_name", STR, "Name of the head-office région."),
        Column("other_region_codes", STR_LIST, "INSEE codes of the other régions the pôle covers."),
        Column("siren", STR, "SIREN of the pôle's legal entity, from the company register."),
        Column("siren_match_score", FLOAT, "Confidence of the company-register match, in [0, 1]."),
        Column("naf_code", STR, "NAF code of the legal entity (company register)."),
        Column("latitude", FLOAT, "Latitude of the head office (company register)."),
        Column("longitude", FLOAT, "Longitude of the head office (company register)."),
        Column(
            "governance_status",
            STR,
            "What the pôle's own site told of its governance: found, not_found (site read, no governance page), site_unreachable or not_crawled.",
            required=True,
        ),
        Column("governance_url", STR, "Page of the pôle's site its governance was read from (when found)."),
        Column(
            "n_cce_in_governance",
            INT,
            "CCE advisors with a confirmed or reviewed seat in the pôle's governance (cluster_cce_ties); null when the governance is unknown.",
        ),
        Column(
            "has_international_contact",
            BOOL,
            "Whether the pôle's site names an international lead; null when the site was not read.",
        ),
        Column(
            "n_members",
            INT,
            "Member organisations listed in the pôle's member directory (its rows in cluster_members). "
            "Null when the directory was not read (none found, site not reached or not crawled); "
            "0 only when the directory was read and lists no member.",
        ),
    )
    + PROVENANCE,
)

CCE_COMMITTEES = Table(
    name="cce_committees",
    title="CCE committees and sections",
    description="One row per committee of Conseillers du commerce extérieur in France or country section abroad.",
    primary_key=("committee_id",),
    columns=(
        Column("committee_id", STR, "Stable identifier: kind and slug of the territory.", required=True),
        Column("name", STR, "Name as the national committee's site writes it.", required=True),
        Column("kind", STR, "regional, territorial (inside a région) or country_section.", required=True),
        Column("country_code", STR, "ISO 3166-1 alpha-2 of the country (FR for committees in France).", required=True),
        Column("region_code", STR, "INSEE code of the région (committees in France)."),
        Column("departement_codes", STR_LIST, "INSEE codes of the départements the committee covers (France)."),
        Column("territory_note", STR, "Where the territory comes from, or the assumption made."),
        Column("president_name", STR, "President as shown on the public page."),
        Column("member_count", INT, "Number of advisors shown on the page."),
        Column("page_url", STR, "Public page of the committee or section.", required=True),
    )
    + PROVENANCE,
)

ADVISORS = Table(
    name="advisors",
    title="CCE advisors",
    description="One row per advisor and committee: officers named on committee pages merged with appointees of the decrees.",
    primary_key=("advisor_id",),
    foreign_keys=(ForeignKey(("committee_id",), "cce_committees", ("committee_id",)),),
    columns=(
        Column("advisor_id", STR, "Stable hash of the normalised name and committee.", required=True),
        Column("honorific", STR, "M. or Mme, as published."),
        Column("family_name", STR, "Family name.", required=True),
        Column("given_names", STR_LIST, "Given names, in order."),
        Column("display_name", STR, "Given names then family name.", required=True),
        Column("committee_id", STR, "Committee or section the advisor belongs to.", required=True),
        Column("country_code", STR, "ISO 3166-1 alpha-2 of the country of mandate (FR in France)."),
        Column("region_code", STR, "INSEE région code (France)."),
        Column("company", STR, "Company as published."),
        Column("position", STR, "Position as published."),
        Column("naf_section", STR, "NAF section of the company, where the company register matched it."),
        Column("roles", STR_LIST, "Roles: officer roles from committee pages, 'appointee' from decrees."),
        Column("appointment_ref", STR, "Reference of the appointment decree (JORF NOR or text id)."),
        Column("appointment_date", DATE, "Date of the appointment decree."),
        Column("mandate_end", DATE, "Appointment date plus three years."),
    )
    + PROVENANCE,
)

CLUSTER_COMMITTEE_COVERAGE = Table(
    name="cluster_committee_coverage",
    title="Which CCE committees cover each pôle",
    description="One row per (pôle, committee whose territory contains the pôle's head office or one of its régions).",
    primary_key=("cluster_id", "committee_id"),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",)),
        ForeignKey(("committee_id",), "cce_committees", ("committee_id",)),
    ),
    columns=(
        Column("cluster_id", STR, "The pôle.", required=True),
        Column("committee_id", STR, "The covering committee.", required=True),
        Column("relation", STR, "head_office or member_region.", required=True),
        Column("departement_code", STR, "Head-office département that placed the pôle in the committee's territory."),
    )
    + PROVENANCE,
)

CLUSTER_ADVISOR_CANDIDATES = Table(
    name="cluster_advisor_candidates",
    title="Advisors who could serve each pôle",
    description="Top advisors per pôle, scored from territory and sector affinity, with the reasons.",
    primary_key=("cluster_id", "advisor_id"),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",)),
        ForeignKey(("advisor_id",), "advisors", ("advisor_id",)),
    ),
    columns=(
        Column("cluster_id", STR, "The pôle.", required=True),
        Column("advisor_id", STR, "The advisor.", required=True),
        Column("rank", INT, "Rank within the pôle, 1 = best.", required=True),
        Column("score", FLOAT, "Score in [0, 1].", required=True),
        Column(
            "territory_match",
            STR,
            "same_committee (committee covers the head office), member_region (covers another région of the pôle) or same_region (head-office région).",
        ),
        Column("sector_match", BOOL, "Whether the advisor's sector matches a theme of the pôle."),
        Column("reasons", STR_LIST, "Why the pair scored what it did."),
    )
    + PROVENANCE,
)

REGION_SUMMARY = Table(
    name="region_summary",
    title="Per-région summary",
    description="Per French région: pôles, committees, advisors, coverage gaps, governance and members.",
    primary_key=("region_code",),
    columns=(
        Column("region_code", STR, "INSEE région code.", required=True),
        Column("region_name", STR, "Région name.", required=True),
        Column("n_clusters", INT, "Pôles with their head office in the région.", required=True),
        Column("n_committees", INT, "CCE committees in the région.", required=True),
        Column("n_advisors", INT, "Advisors attached to those committees.", required=True),
        Column("advisors_per_cluster", FLOAT, "n_advisors / n_clusters (null without pôles)."),
        Column("clusters_without_committee", STR_LIST, "cluster_id of the région's pôles no committee covers."),
        Column(
            "n_clusters_with_cce_in_governance",
            INT,
            "Pôles of the région with at least one CCE advisor in their governance (confirmed or reviewed tie).",
            required=True,
        ),
        Column(
            "n_clusters_governance_unknown",
            INT,
            "Pôles of the région whose governance could not be read (site unreachable, not crawled).",
            required=True,
        ),
        Column(
            "n_members",
            INT,
            "Member organisations of the région's pôles (sum of clusters.n_members; a company member of two "
            "pôles counts twice; pôles whose directory was not read add nothing).",
            required=True,
        ),
        Column(
            "n_members_advisor_companies",
            INT,
            "Members of the région's pôles that are a CCE advisor's company: distinct cluster_members rows "
            "with a member_company tie in cluster_cce_ties (one per member however many advisors it employs).",
            required=True,
        ),
        Column(
            "n_clusters_members_unknown",
            INT,
            "Pôles of the région whose member directory was not read (clusters.n_members null).",
            required=True,
        ),
    )
    + PROVENANCE,
)

CLUSTER_GOVERNANCE = Table(
    name="cluster_governance",
    title="Seats in each pôle's governance and team",
    description="One row per seat (bureau, board, executive, team) read from the pôle's own website, with the page and text it was read from. A person is named only when a public officer of the association (bureau, director) or tied to a CCE advisor.",
    primary_key=("seat_id",),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",)),
        ForeignKey(("advisor_id",), "advisors", ("advisor_id",)),
    ),
    columns=(
        Column("seat_id", STR, "Stable hash of the pôle, the folded name and the kind of role.", required=True),
        Column("cluster_id", STR, "The pôle.", required=True),
        Column("body", STR, "bureau, board (conseil d'administration), executive (direction) or team.", required=True),
        Column("role", STR, "Role as printed on the page.", required=True),
        Column(
            "role_kind",
            STR,
            "president, vice_president, treasurer, secretary, board_member, director, international, staff or other.",
            required=True,
        ),
        Column("organisation", STR, "Organisation the person represents, as printed."),
        Column(
            "person_name",
            STR,
            "Name as printed; only for the bureau, the director and seats tied to an advisor (null otherwise).",
        ),
        Column("advisor_id", STR, "The CCE advisor holding the seat (confirmed or reviewed tie only)."),
        Column("evidence_url", STR, "Page of the pôle's site the seat was read from.", required=True),
        Column(
            "evidence_text",
            STR,
            "Text the seat was read from; an unpublished name is replaced by '[nom non publié]'.",
            required=True,
        ),
    )
    + PROVENANCE,
)

CLUSTER_MEMBERS = Table(
    name="cluster_members",
    title="Member organisations of each pôle",
    description="One row per member organisation (company, laboratory, school, local authority...) listed in a "
    "pôle's member directory on its own website, resolved to its SIREN in the company register where the match is "
    "sure enough, with the match's confidence and reasons. See docs/members.md.",
    primary_key=("cluster_id", "member_id"),
    foreign_keys=(ForeignKey(("cluster_id",), "clusters", ("cluster_id",)),),
    columns=(
        Column("cluster_id", STR, "The pôle whose directory lists the member.", required=True),
        Column(
            "member_id",
            STR,
            "Stable identifier within the pôle: hash of the pôle and the folded organisation name (16 hex).",
            required=True,
        ),
        Column("organisation", STR, "Organisation name as the directory prints it.", required=True),
        Column(
            "category",
            STR,
            "Kind of member, normalised: startup, pme, eti, grand_groupe, laboratoire, formation, collectivite, "
            "association or autre.",
        ),
        Column("category_label", STR, "Kind of member as the directory prints it (e.g. 'Start-up', 'PME')."),
        Column(
            "siren",
            STR,
            "SIREN of the legal unit (9 digits), set when the company-register match is confirmed or possible "
            "(see match_confidence); empty when ambiguous or no_match. member_company ties use confirmed ones only.",
        ),
        Column("siret", STR, "SIRET of the establishment (14 digits) when the register tells which one; else null."),
        Column("naf_code", STR, "NAF rév. 2 code of the legal unit (company register), e.g. 62.01Z."),
        Column("naf_label", STR, "Label of the NAF code (INSEE NAF rév. 2)."),
        Column("postcode", STR, "Postcode as the directory gives it (5 digits)."),
        Column("city", STR, "City as the directory gives it."),
        Column("website", STR, "Member's website as the directory links it (absolute URL)."),
        Column("match_score", FLOAT, "Score of the best company-register candidate, in [0, 1] (null: no candidate)."),
        Column(
            "match_confidence",
            STR,
            "How sure the SIREN is: confirmed (best candidate scores at least 0.85 and is clear of the next), "
            "possible (accepted, score 0.75 to 0.85: e.g. the right name with the head office elsewhere), "
            "ambiguous (candidates too close to tell apart: no SIREN) or no_match (no SIREN). Never a forced match.",
            required=True,
        ),
        Column("match_reasons", STR_LIST, "Why the match scored what it did: name, place, legal form."),
        Column(
            "evidence_url", STR, "Page (or JSON endpoint) of the pôle's site the member was read from.", required=True
        ),
        Column(
            "directory_form",
            STR,
            "How the directory publishes its members: static_list, paginated, search_form or json_endpoint.",
            required=True,
        ),
    )
    + PROVENANCE,
)

CLUSTER_CCE_TIES = Table(
    name="cluster_cce_ties",
    title="CCE advisors in each pôle's governance and among its members",
    description="One row per (pôle, advisor, tie kind): an advisor holding a seat in the pôle's governance or its "
    "international lead, or an advisor whose company is a member of the pôle (same SIREN), how sure the match is "
    "and why. See docs/ties.md.",
    primary_key=("cluster_id", "advisor_id", "tie_kind"),
    foreign_keys=(
        ForeignKey(("cluster_id",), "clusters", ("cluster_id",)),
        ForeignKey(("advisor_id",), "advisors", ("advisor_id",)),
        ForeignKey(("seat_id",), "cluster_governance", ("seat_id",)),
        ForeignKey(("member_id",), "cluster_members", ("member_id",)),
    ),
    columns=(
        Column("cluster_id", STR, "The pôle.", required=True),
        Column("advisor_id", STR, "The advisor.", required=True),
        Column(
            "tie_kind",
            STR,
            "governance_seat (bureau, board, executive, director), international_contact, or member_company "
            "(the advisor's company is a member of the pôle: same SIREN).",
            required=True,
        ),
        Column(
            "seat_id",
            STR,
            "The seat the tie was read from (cluster_governance); null for member_company ties.",
        ),
        Column(
            "member_id",
            STR,
            "The member the tie was read from (cluster_members); null for governance_seat and international_contact ties.",
        ),
        Column(
            "match",
            STR,
            "confirmed (name and an independent agreement; for member_company, the same SIREN on both sides, "
            "each a confirmed register match), possible (awaiting review) or reviewed (a reviewer said yes).",
            required=True,
        ),
        Column("score", FLOAT, "Strength of the evidence, in [0, 1].", required=True),
        Column(
            "reasons",
            STR_LIST,
            "Why: which parts of the name agree, and what else agrees (organisation, SIREN, territory) or does not; "
            "for member_company, the SIREN, the advisor's company and the member.",
        ),
        Column(
            "evidence_url",
            STR,
            "Page of the pôle's own site naming the person (same domain as its website); for member_company, "
            "the member directory page listing the company.",
            required=True,
        ),
    )
    + PROVENANCE,
)


def _fed_by(table: Table) -> Table:
    """``table`` with its sources: those whose YAML ``tables:`` names it, crawls needing no table first."""
    from common.sources import all_sources

    fed = sorted((s for s in all_sources() if table.name in s.tables), key=lambda s: (bool(s.inputs), s.name))
    return table if table.sources else replace(table, sources=tuple(s.name for s in fed))


TABLES: dict[str, Table] = {
    t.name: _fed_by(t)
    for t in (
        CLUSTERS,
        CCE_COMMITTEES,
        ADVISORS,
        CLUSTER_COMMITTEE_COVERAGE,
        CLUSTER_ADVISOR_CANDIDATES,
        REGION_SUMMARY,
        CLUSTER_GOVERNANCE,
        CLUSTER_MEMBERS,
        CLUSTER_CCE_TIES,
    )
}
