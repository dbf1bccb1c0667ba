"""resolve_members on hand-made listings and register answers (expected values written by hand)."""

from __future__ import annotations

import pandas as pd

from pipelines.enrich.members import resolve_members


def cand(siren, name, postcode, commune, dep, naf="62.01Z"):
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": name,
        "sigle": None,
        "nature_juridique": "5710",
        "activite_principale": naf,
        "section_activite_principale": "J",
        "etat_administratif": "A",
        "siege": {"siret": siren + "00012", "code_postal": postcode, "libelle_commune": commune, "departement": dep},
    }


def item(key, candidates):
    return {"source_url": f"https://api.example/search?q={key}", "kind": "member", "key": key, "page": 1,
            "total_pages": 1, "total_results": len(candidates), "candidates": candidates}  # fmt: skip


LISTINGS = pd.DataFrame(
    [
        # cluster_id, member_id, organisation, postcode, city, evidence_url
        ("p1", "m1", "Acme Robotique", "31000", "Toulouse", "https://pole1.example/membres"),
        ("p1", "m2", "Acme Robotique Sud", "31320", "Auzeville-Tolosane", "https://pole1.example/membres"),
        ("p2", "m3", "Acme Robotique", "31000", "Toulouse", "https://pole2.example/adherents"),
        ("p2", "m4", "Beta Conseil", "69007", "Lyon", "https://pole2.example/adherents"),
        ("p2", "m5", "Gamma Inconnue", "44000", "Nantes", "https://pole2.example/adherents"),
        ("p2", "m6", "Delta Jamais Demandée", None, None, "https://pole2.example/adherents"),
        ("p2", "m7", "Epsilon Loin", "13006", "Marseille", "https://pole2.example/adherents"),
    ],
    columns=["cluster_id", "member_id", "organisation", "postcode", "city", "evidence_url"],
)
ACME = cand("300000001", "ACME ROBOTIQUE", "31000", "TOULOUSE", "31")
ACME_SUD = cand("300000002", "ACME ROBOTIQUE SUD", "31320", "AUZEVILLE-TOLOSANE", "31")
ITEMS = [
    item("acme robotique|31000", [ACME, ACME_SUD]),
    item("acme robotique sud|31320", [ACME_SUD, ACME]),
    # Two units named alike, neither in Lyon 7e: within the margin.
    item(
        "beta conseil|69007",
        [
            cand("300000003", "BETA CONSEIL", "69003", "LYON", "69"),
            cand("300000004", "BETA CONSEIL", "69008", "LYON", "69"),
        ],
    ),  # fmt: skip
    item("gamma inconnue|44000", []),
    # The right name, head office in another région: accepted below the confirmed bar.
    item("epsilon loin|13006", [cand("300000005", "EPSILON LOIN", "59000", "LILLE", "59", naf="70.22Z")]),
]


def test_members_resolved_with_confidence_and_issues():
    out, issues = resolve_members(LISTINGS, ITEMS)
    assert list(out.columns[:6]) == ["cluster_id", "member_id", "organisation", "postcode", "city", "evidence_url"]
    by_id = out.set_index("member_id")
    assert by_id.loc["m1", "siren"] == "300000001" and by_id.loc["m1", "match_confidence"] == "confirmed"
    assert by_id.loc["m1", "siret"] == "30000000100012"  # listed at the head office's postcode
    assert by_id.loc["m1", "naf_code"] == "62.01Z"
    assert by_id.loc["m1", "naf_label"] == "Programmation informatique"
    assert by_id.loc["m1", "match_score"] == 1.0
    # The look-alike resolves to the other company, not to Acme Robotique.
    assert by_id.loc["m2", "siren"] == "300000002" and by_id.loc["m2", "match_confidence"] == "confirmed"
    assert by_id.loc["m3", "siren"] == "300000001"  # the same member listed by a second pôle
    assert by_id.loc["m4", "siren"] is None and by_id.loc["m4", "match_confidence"] == "ambiguous"
    assert by_id.loc["m5", "siren"] is None and by_id.loc["m5", "match_confidence"] == "no_match"
    assert by_id.loc["m6", "match_confidence"] == "no_match"
    # 0.60 name + 0.0 place + 0.15 legal form = 0.75: accepted, below 0.85.
    assert by_id.loc["m7", "siren"] == "300000005" and by_id.loc["m7", "match_confidence"] == "possible"
    assert by_id.loc["m7", "match_score"] == 0.75 and by_id.loc["m7", "siret"] is None
    assert by_id.loc["m7", "naf_label"] == "Conseil pour les affaires et autres conseils de gestion"
    assert "same postcode 31000" in by_id.loc["m1", "match_reasons"]
    got = {(i.code, i.context["member_id"], i.url) for i in issues}
    assert got == {
        ("ambiguous_match", "m4", "https://pole2.example/adherents"),
        ("no_match", "m5", "https://pole2.example/adherents"),
        ("not_crawled", "m6", "https://pole2.example/adherents"),
    }
    assert all("of pôle p2" in i.message and i.value for i in issues)


def test_register_items_as_a_frame_give_the_same_result():
    a, _ = resolve_members(LISTINGS, ITEMS)
    b, _ = resolve_members(LISTINGS, pd.DataFrame(ITEMS))
    assert a["siren"].tolist() == b["siren"].tolist()
