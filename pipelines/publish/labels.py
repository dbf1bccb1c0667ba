"""Columns added for readers at publication: names beside codes, role kinds, family names.

They are derived from columns of the contract (pipelines/schema.py), so they are added
here, after validation, and never compared between releases (their source columns are):
- a name beside each code: région and département names (reference/regions.csv,
  departements.csv), NAF labels (reference/naf_sections.json, naf_codes.json);
- ``role_kinds`` beside ``roles``: "présidente" and "président" are both ``president``;
- ``family_name`` printed in capitals ("MARTIN", "LE GALL") is normalised ("Martin",
  "Le Gall") and ``display_name`` with it; the printed form stays in ``family_name_as_printed``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from common.paths import REFERENCE_DIR
from common.places import departements, fold, regions
from pipelines.schema import STR, STR_LIST, Column


@dataclass(frozen=True)
class Label:
    after: str  # the column it is printed beside
    column: Column


LABELS: dict[str, tuple[Label, ...]] = {
    "clusters": (
        Label("departement_code", Column("departement_name", STR, "Name of the département (from departement_code).")),
        Label(
            "other_region_codes",
            Column("other_region_names", STR_LIST, "Names of the other régions, in the order of other_region_codes."),
        ),
        Label("naf_code", Column("naf_label", STR, "Label of the NAF code (INSEE NAF rév. 2).")),
    ),
    "cce_committees": (
        Label("region_code", Column("region_name", STR, "Name of the région (from region_code).")),
        Label(
            "departement_codes",
            Column("departement_names", STR_LIST, "Names of the départements, in the order of departement_codes."),
        ),
    ),
    "advisors": (
        Label(
            "family_name",
            Column("family_name_as_printed", STR, "Family name exactly as the source prints it (often in capitals)."),
        ),
        Label("region_code", Column("region_name", STR, "Name of the région (from region_code).")),
        Label("naf_section", Column("naf_section_label", STR, "Label of the NAF section (INSEE NAF rév. 2).")),
        Label(
            "roles",
            Column(
                "role_kinds",
                STR_LIST,
                "Roles folded to one spelling each: president, vice_president, secretary, treasurer, delegate, advisor, bureau_member, section_head, appointee.",
            ),
        ),
    ),
    "cluster_committee_coverage": (
        Label("departement_code", Column("departement_name", STR, "Name of the département (from departement_code).")),
    ),
}

# Folded role prefix -> kind (longest first: "vice president" before "president").
ROLE_KINDS = (
    ("vice president", "vice_president"),
    ("president", "president"),
    ("secretaire", "secretary"),
    ("tresorier", "treasurer"),
    ("delegue", "delegate"),
    ("conseiller", "advisor"),
    ("membre du bureau", "bureau_member"),
    ("chef de section", "section_head"),
    ("appointee", "appointee"),
)
PARTICLES = {"de", "du", "des", "d", "le", "la", "les", "van", "von", "der", "den", "da", "di", "del", "della", "dos"}


@cache
def _naf_sections() -> dict[str, str]:
    return json.loads((REFERENCE_DIR / "naf_sections.json").read_text(encoding="utf-8"))


@cache
def _naf_codes() -> dict[str, str]:
    return json.loads((REFERENCE_DIR / "naf_codes.json").read_text(encoding="utf-8"))


def role_kind(role: str | None) -> str | None:
    if role is None:
        return None
    folded = fold(role).replace("-", " ")
    for prefix, kind in ROLE_KINDS:
        if folded.startswith(prefix):
            return kind
    return folded.replace(" ", "_") or None


def _is_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def normalise_family_name(name: str | None) -> str | None:
    """ "MARTIN" -> "Martin", "LE GALL" -> "Le Gall", "DE LA FONTAINE" -> "de La Fontaine",
    "D'ALEMBERT" -> "d'Alembert", "DUPONT-MOREAU" -> "Dupont-Moreau"; other spellings unchanged."""
    if not name or not _is_capitals(name):
        return name
    words = name.split()
    out = []
    for i, word in enumerate(words):
        parts = re.split(r"([-'’])", word.lower())
        built = []
        for j, part in enumerate(parts):
            is_particle = part in PARTICLES and (len(words) > 1 or j + 1 < len(parts))
            # a leading particle stays lower case before another word ("de La Fontaine"), except
            # the articles le/la/les that begin a Breton or French name ("Le Gall")
            lower = is_particle and not (i == 0 and j == 0 and part in ("le", "la", "les"))
            built.append(part if lower or part in "-'’" else part[:1].upper() + part[1:])
        out.append("".join(built))
    return " ".join(out)


def _compute(name: str, label: Label, table: pa.Table) -> pa.Array:
    values = table.column(label.after).to_pylist()
    col = label.column.name
    if col in ("departement_name",):
        names = {k: v["name"] for k, v in departements().items()}
        return pa.array([names.get(v) if v else None for v in values], STR)
    if col == "departement_names":
        names = {k: v["name"] for k, v in departements().items()}
        return pa.array([None if v is None else [names.get(c) or c for c in v] for v in values], STR_LIST)
    if col == "other_region_names":
        names = regions()
        return pa.array([None if v is None else [names.get(c) or c for c in v] for v in values], STR_LIST)
    if col == "region_name":
        names = regions()
        return pa.array([names.get(v) if v else None for v in values], STR)
    if col == "naf_label":
        return pa.array([_naf_codes().get(v) if v else None for v in values], STR)
    if col == "naf_section_label":
        return pa.array([_naf_sections().get(v) if v else None for v in values], STR)
    if col == "role_kinds":
        return pa.array(
            [None if v is None else [k for k in dict.fromkeys(role_kind(r) for r in v) if k] for v in values], STR_LIST
        )
    if col == "family_name_as_printed":
        return pa.array(values, STR)
    raise KeyError(f"{name}.{col}: no rule")


def columns_of(name: str, base: list[Column]) -> list[Column]:
    """The published columns of table ``name``: the contract's, each label right after its code."""
    out = []
    extra = LABELS.get(name, ())
    for c in base:
        out.append(c)
        out += [label.column for label in extra if label.after == c.name]
    return out


def normalise_names(name: str, table: pa.Table) -> tuple[pa.Table, pa.Array | None]:
    """advisors: family names in capitals normalised, display_name with them; returns the printed forms too.

    Done before the release is compared with the previous one, so that the change list
    compares normalised names with normalised names."""
    if name != "advisors" or "family_name" not in table.column_names:
        return table, None
    printed = table.column("family_name").to_pylist()
    normal = [normalise_family_name(v) for v in printed]
    shown = [
        d if (d is None or p is None or p == n) else d.replace(p, n)
        for d, p, n in zip(table.column("display_name").to_pylist(), printed, normal)
    ]
    table = table.set_column(
        table.column_names.index("family_name"), table.schema.field("family_name"), pa.array(normal, STR)
    )
    table = table.set_column(
        table.column_names.index("display_name"), table.schema.field("display_name"), pa.array(shown, STR)
    )
    return table, pa.array(printed, STR)


def add_labels(name: str, table: pa.Table, printed: pa.Array | None = None) -> pa.Table:
    """``table`` (contract columns, history included) with the label columns beside their codes.
    ``printed``: the family names as printed, from :func:`normalise_names` (advisors)."""
    extra = LABELS.get(name, ())
    if not extra:
        return table
    computed = {label.column.name: _compute(name, label, table) for label in extra}
    if printed is not None:
        computed["family_name_as_printed"] = printed
    fields, arrays = [], []
    for i, field in enumerate(table.schema):
        fields.append(field)
        arrays.append(table.column(i))
        for label in extra:
            if label.after == field.name:
                fields.append(
                    pa.field(label.column.name, label.column.type, metadata={"description": label.column.description})
                )
                arrays.append(computed[label.column.name])
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=table.schema.metadata))
