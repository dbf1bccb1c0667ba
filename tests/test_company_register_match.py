"""The matcher: exact, ambiguous, no result, homonyms in two régions, paginated answers."""

from __future__ import annotations

from common.paths import SNAPSHOTS_DIR
from pipelines.enrich.match import THRESHOLD, best_match, score_candidate
from spiders.company_register.parse import parse_search
from spiders.company_register.queries import read_queries, search_url
from spiders.core.archive import open_archive

SNAP = SNAPSHOTS_DIR / "company_register"
QUERIES = {(q["kind"], q["key"]): q for q in read_queries(SNAP / "queries.jsonl")}
ARCHIVE = open_archive(SNAP)


def candidates(kind, key):
    """All pages of a query, following total_pages like the spider."""
    q, out, page = QUERIES[(kind, key)], [], 1
    while True:
        rec = ARCHIVE.get(search_url(q, page))
        item = next(o for o in parse_search(rec.body, rec.url, q) if isinstance(o, dict))
        out += [{**c, "source_url": rec.url} for c in item["candidates"]]
        if page >= item["total_pages"]:
            return q, out, item
        page += 1


def cand(
    siren="775672272",
    name="POLE EXEMPLE",
    sigle=None,
    pc="35000",
    commune="RENNES",
    dep="35",
    region="53",
    nj="9220",
    state="A",
):
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": name,
        "sigle": sigle,
        "nature_juridique": nj,
        "activite_principale": "94.99Z",
        "section_activite_principale": "S",
        "etat_administratif": state,
        "siege": {
            "code_postal": pc,
            "libelle_commune": commune,
            "departement": dep,
            "region": region,
            "latitude": 48.1,
            "longitude": -1.6,
        },
    }


QUERY = {
    "kind": "cluster",
    "key": "exemple",
    "q": "Pôle Exemple",
    "name": "Pôle Exemple",
    "short_name": "PEX",
    "code_postal": "35000",
    "city": "Rennes",
    "departement": "35",
    "region_code": "53",
}


def test_score_rule_parts():
    s, why = score_candidate(QUERY, cand())
    assert s == 1.0 and why[0] == "name similarity 1.00" and "same postcode 35000" in why
    s, _ = score_candidate(QUERY, cand(pc="35400", commune="SAINT-MALO"))
    assert s == 0.6 + 0.25 * 0.6 + 0.15  # same département
    s, _ = score_candidate(QUERY, cand(pc="29200", commune="BREST", dep="29"))
    assert s == 0.6 + 0.25 * 0.3 + 0.15  # same région only
    s, _ = score_candidate(QUERY, cand(nj="5710"))
    assert round(s, 4) == round(0.6 + 0.25 + 0.15 * 0.3, 4)  # not an association
    assert score_candidate(QUERY, cand(state="C"))[0] == 0.0
    # The short name counts only against the sigle.
    s, _ = score_candidate(QUERY, cand(name="ASSOCIATION POUR L INNOVATION", sigle="PEX"))
    assert s == 1.0


def test_exact_match_from_the_snapshot():
    q, cands, _ = candidates("cluster", "i-r")
    m, issue = best_match(q, cands)
    assert issue is None and m.score >= 0.95 and m.naf_code == "94.99Z" and m.siege["code_postal"] == "35000"
    assert isinstance(m.siege["latitude"], float)


def test_ambiguous_names_give_no_match_and_an_issue():
    q, cands, _ = candidates("cluster", "hippolia")
    m, issue = best_match(q, cands)
    assert m is None and issue.code == "ambiguous_match" and issue.context["key"] == "hippolia"
    assert len({s for _, s in issue.context["candidates"]}) == 2


def test_no_result_gives_no_match_and_an_issue():
    q, cands, item = candidates("cluster", "derbi")
    assert item["total_results"] == 0 and cands == []
    m, issue = best_match(q, cands)
    assert m is None and issue.code == "no_match" and issue.url == q["url"]


def test_homonym_in_another_region_loses_on_place():
    q, cands, _ = candidates("cluster", "cosmetic-valley")
    assert len(cands) == 2 and {c["siege"]["region"] for c in cands} == {"11", "24"}
    m, issue = best_match(q, cands)
    assert issue is None and m.siege["region"] == "24" and m.siege["libelle_commune"] == "CHARTRES"


def test_company_homonyms_without_a_place_are_ambiguous():
    q, cands, _ = candidates("company", "maison lefort distribution")
    m, issue = best_match(q, cands)
    assert m is None and issue.code == "ambiguous_match"


def test_paginated_answer_matches_on_page_two():
    q, cands, item = candidates("cluster", "av")
    assert item["page"] == 2 and item["total_pages"] == 2 and len(cands) == 14
    m, issue = best_match(q, cands)
    assert issue is None and m.source_url == search_url(q, 2)
    # Page 1 alone holds only unrelated hits: nothing is forced.
    m1, issue1 = best_match(q, [c for c in cands if c["source_url"] == search_url(q, 1)])
    assert m1 is None and issue1.code == "no_match"


def test_below_threshold_is_not_forced():
    m, issue = best_match(
        QUERY, [cand(name="EXEMPLAIRE TRANSPORTS", nj="5710", pc="75001", commune="PARIS", dep="75", region="11")]
    )
    assert m is None and issue.code == "no_match" and f"< {THRESHOLD}" in issue.message


def test_the_same_siren_on_two_pages_is_not_ambiguous_with_itself():
    m, issue = best_match(QUERY, [cand(), cand()])
    assert issue is None and m.siren == "775672272"
