"""Hostile input: every parser of every source, fed arbitrary HTML, text, JSON and bytes
(hypothesis), returns items or Issue records (or raises common.issues.ParseError),
never another exception, and within a deadline."""
from __future__ import annotations

import json
import signal
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, TextResponse

from spiders.cce_appointments.parse import parse_decree, parse_decree_text
from spiders.cce_committees.parse import parse_listing as committees_listing
from spiders.cce_committees.parse import parse_page as committee_page
from spiders.company_register.parse import parse_response as company_response
from spiders.company_register.parse import parse_search
from common.issues import Issue, ParseError
from spiders.poles.parse import Link
from spiders.poles.parse import parse_detail as poles_detail
from spiders.poles.parse import parse_listing as poles_listing

DEADLINE_S = 5  # per example; hypothesis' own deadline is per example too (below)
HYPO = settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

POLES_URL = "https://competitivite.gouv.fr/les-poles-de-competitivite/annuaire-des-poles"
CCE_URL = "https://www.cnccef.org/les-cce-en-france/"
JO_URL = "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000048601234"
API_URL = "https://recherche-entreprises.api.gouv.fr/search?q=X&page=1&per_page=10"
QUERY = {"key": "k", "kind": "cluster", "q": "X", "name": "X", "departement": "31", "code_postal": "31320", "city": "Toulouse"}

# Words the parsers key on, so generated pages reach past the first "not found".
WORDS = ["Région", "Région du siège", "Site internet", "Adresse", "Thématiques", "Sigle", "Statut", "Territoire", "Pays",
         "Président", "Présidente", "Vice-président", "Délégué", "membres", "Décret", "portant nomination",
         "conseillers du commerce extérieur", "Art. 1er", "M.", "Mme", "1er janvier 2026", "31000 Toulouse",
         "http://x.fr", "a@b.fr", "01 23 45 67 89", "Suivant", "Page suivante", ":", ";", ",", "—", "\u00a0", "\ufffd"]
TAGS = ["main", "h1", "h2", "h3", "dl", "dt", "dd", "table", "tr", "th", "td", "p", "ul", "li", "div", "span", "nav", "a", "strong", "section"]
ATTRS = ['', ' class="fr-card"', ' class="fr-card__title"', ' class="fr-tag"', ' class="fr-pagination__link--next"',
         ' href="/les-poles-de-competitivite/annuaire-des-poles/x"', ' href="?page=2"', ' href="/les-cce-en-france/x/"',
         ' href="mailto:a@b.fr"', ' rel="next"', ' href="javascript:void(0)"', ' href="http://[::1"']

text = st.one_of(st.text(max_size=200), st.sampled_from(WORDS))
html_fragment = st.recursive(
    text,
    lambda inner: st.builds(lambda t, a, kids: f"<{t}{a}>{''.join(kids)}</{t}>", st.sampled_from(TAGS), st.sampled_from(ATTRS),
                            st.lists(inner, max_size=4)),
    max_leaves=25,
)
jsonld = st.builds(
    lambda v: f'<script type="application/ld+json">{v}</script>',
    st.one_of(st.text(max_size=60), st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                                 lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(["@type", "name", "address", "url", "@graph", "addressRegion", "Organization"]), c, max_size=4),
                                                 max_leaves=10).map(json.dumps)),
)
html_page = st.builds(lambda head, body: f"<html><head>{head}</head><body>{''.join(body)}</body></html>",
                      st.one_of(st.just(""), jsonld), st.lists(html_fragment, max_size=5))
any_html = st.one_of(html_page, html_fragment, st.text(max_size=500))
raw_bytes = st.binary(max_size=500)


@contextmanager
def deadline(seconds: int = DEADLINE_S):
    """Fails a parser that hangs (hypothesis' deadline only reports slowness after the fact)."""
    def _timeout(signum, frame):
        raise TimeoutError(f"parser took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def outputs(gen_fn, *args, **kwargs) -> list:
    with deadline():
        try:
            out = list(gen_fn(*args, **kwargs))
        except ParseError as exc:
            assert isinstance(exc.issue, Issue)
            return [exc.issue]
    for o in out:
        assert isinstance(o, (dict, Issue, Link)), type(o)
        if isinstance(o, Issue):
            assert o.url and o.code and o.message
    return out


def html_response(url: str, body: str | bytes, charset: str = "utf-8") -> HtmlResponse:
    if isinstance(body, str):
        body = body.encode(charset, "surrogatepass") if charset == "utf-8" else body.encode(charset, "replace")
    return HtmlResponse(url=url, body=body, headers={"Content-Type": f"text/html; charset={charset}"}, request=Request(url))


def data_items(out) -> list[dict]:
    return [o for o in out if isinstance(o, dict)]


@HYPO
@given(any_html)
def test_poles_listing(page):
    for o in outputs(poles_listing, html_response(POLES_URL, page)):
        if isinstance(o, Link):
            assert o.url.startswith("http")


@HYPO
@given(any_html)
def test_poles_detail(page):
    for item in data_items(outputs(poles_detail, html_response(POLES_URL + "/x", page))):
        assert item["source_url"] and item["name"] and item["region"]


@HYPO
@given(any_html)
def test_committees_listing(page):
    outputs(committees_listing, html_response(CCE_URL, page))


@HYPO
@given(any_html, st.sampled_from([None, "regional", "territorial", "country_section", "nonsense"]))
def test_committee_page(page, kind):
    for item in data_items(outputs(committee_page, html_response(CCE_URL + "x/", page), kind=kind)):
        assert item["source_url"]


@HYPO
@given(any_html)
def test_appointments_html(page):
    for item in data_items(outputs(parse_decree, html_response(JO_URL, page))):
        assert item["source_url"]


@HYPO
@given(st.lists(st.one_of(text, st.sampled_from(["DÉCRET", "Décret du 1er janvier 2026 portant nomination de conseillers du commerce extérieur de la France",
                                                   "FRANCE", "ALLEMAGNE", "Auvergne-Rhône-Alpes", "M. Dupont (Jean), directeur, Exempla SA.",
                                                   "Mme Martin (Anne).", "Art. 1er. - Sont nommés", "1o", "M m e"])), max_size=20).map("\n".join))
def test_appointments_text(body):
    outputs(parse_decree_text, body, JO_URL)


@HYPO
@given(st.one_of(
    st.text(max_size=300),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
                 lambda c: st.lists(c, max_size=4) | st.dictionaries(
                     st.sampled_from(["results", "total_pages", "page", "siege", "nom_complet", "siren", "latitude", "longitude",
                                      "code_postal", "libelle_commune", "activite_principale", "matching_etablissements", "x"]), c, max_size=6),
                 max_leaves=20).map(json.dumps),
))
def test_company_register_json(body):
    for item in data_items(outputs(parse_search, body, API_URL, QUERY)):
        assert item["source_url"]


@HYPO
@given(raw_bytes, st.sampled_from(["utf-8", "iso-8859-1", "windows-1252", "utf-16", "x-unknown"]))
def test_every_parser_on_raw_bytes(body, charset):
    headers = {"Content-Type": f"text/html; charset={charset}"}
    for fn, url, kwargs in [
        (poles_listing, POLES_URL, {}),
        (poles_detail, POLES_URL + "/x", {}),
        (committees_listing, CCE_URL, {}),
        (committee_page, CCE_URL + "x/", {"kind": None}),
        (parse_decree, JO_URL, {}),
    ]:
        outputs(fn, HtmlResponse(url=url, body=body, headers=headers, request=Request(url)), **kwargs)
    json_response = TextResponse(url=API_URL, body=body, headers={"Content-Type": "application/json"}, request=Request(API_URL))
    outputs(company_response, json_response, QUERY)
