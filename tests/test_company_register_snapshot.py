"""The sample snapshot: real API shape (per the spec), invented but valid identifiers, replay keys."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft7Validator

from common.paths import REPO_ROOT, SNAPSHOTS_DIR
from spiders.company_register.queries import read_queries, search_url
from spiders.core.archive import open_archive, url_key

SNAP = SNAPSHOTS_DIR / "company_register"
SPEC = REPO_ROOT / "reference" / "company_register_open_api.yml"


def to_json_schema(node, strict=True):
    """OpenAPI 3.0 schema -> JSON Schema: ``nullable`` becomes a null type; with ``strict``
    an object with listed properties admits no other key (the sample must not invent fields)."""
    if isinstance(node, list):
        return [to_json_schema(n, strict) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v, strict) for k, v in node.items() if k not in ("nullable", "example")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if strict and out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


@pytest.fixture(scope="module")
def validator():
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/payload", "components": to_json_schema(spec["components"])}
    return Draft7Validator(schema)


def manifest():
    return json.loads((SNAP / "manifest.json").read_text(encoding="utf-8"))


def search_bodies():
    for entry in manifest()["responses"]:
        if "/search?" in entry["url"]:
            yield entry["url"], json.loads((SNAP / entry["file"]).read_text(encoding="utf-8"))


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_every_answer_validates_against_the_spec_payload_schema(validator):
    n = 0
    for url, body in search_bodies():
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{url}: {errors[0].json_path}: {errors[0].message}"
        n += 1
    assert n >= 58


def test_the_validator_rejects_a_wrong_shape(validator):
    bad = {"results": [{"siren": 123, "siege": {"latitude": 48.1}}], "total_results": "1"}
    assert len(list(validator.iter_errors(bad))) >= 3


def test_answers_carry_the_keys_the_parser_needs():
    for url, body in search_bodies():
        assert {"results", "total_results", "page", "per_page", "total_pages"} <= body.keys(), url
        for r in body["results"]:
            assert {
                "siren",
                "nom_complet",
                "siege",
                "nature_juridique",
                "activite_principale",
                "section_activite_principale",
            } <= r.keys(), url
            assert {
                "code_postal",
                "commune",
                "libelle_commune",
                "departement",
                "region",
                "latitude",
                "longitude",
                "siret",
            } <= r["siege"].keys(), url


def test_identifiers_are_luhn_valid_and_unique():
    sirens = set()
    for _, body in search_bodies():
        for r in body["results"]:
            assert len(r["siren"]) == 9 and luhn_ok(r["siren"]), r["siren"]
            assert r["siege"]["siret"].startswith(r["siren"]) and luhn_ok(r["siege"]["siret"])
            sirens.add(r["siren"])
    assert len(sirens) >= 80


def test_pole_entries_are_associations_in_section_s_near_their_city():
    for url, body in search_bodies():
        for r in body["results"]:
            if r["nature_juridique"] == "9220":
                assert r["activite_principale"] == "94.99Z" and r["section_activite_principale"] == "S"
                assert r["complements"]["est_association"] is True
                lat, lon = float(r["siege"]["latitude"]), float(r["siege"]["longitude"])
                assert -21.5 < lat < 51.5 and -5 < lon < 56


def test_search_url_written_out_by_hand():
    """The request the spider makes, spelt out (not generated): q percent-encoded, then departement."""
    q = {
        "kind": "cluster",
        "key": "alpha-rlh",
        "q": "ALPHA - Route des Lasers & des Hyperfréquences",
        "departement": "33",
    }
    assert search_url(q) == (
        "https://recherche-entreprises.api.gouv.fr/search"
        "?q=ALPHA%20-%20Route%20des%20Lasers%20%26%20des%20Hyperfr%C3%A9quences&departement=33&page=1&per_page=10"
    )
    assert search_url({"q": "Lutèce Diagnostics SAS"}, 2) == (
        "https://recherche-entreprises.api.gouv.fr/search?q=Lut%C3%A8ce%20Diagnostics%20SAS&page=2&per_page=10"
    )


def test_manifest_urls_are_the_spider_requests():
    """Each query's URL says what the query says (read back with urllib, not rebuilt with search_url)."""
    from urllib.parse import parse_qsl, urlsplit

    queries = read_queries(SNAP / "queries.jsonl")
    archive = open_archive(SNAP)
    assert len(queries) >= 57 + 5
    assert sum(q["kind"] == "cluster" for q in queries) == 57
    for q in queries:
        parts = urlsplit(q["url"])
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "recherche-entreprises.api.gouv.fr", "/search")
        want = (
            [("q", q["q"])]
            + ([("departement", q["departement"])] if q.get("departement") else [])
            + [("page", "1"), ("per_page", "10")]
        )
        assert parse_qsl(parts.query) == want, q["url"]
        assert archive.get(q["url"]) is not None, q["url"]
    wanted = {url_key(q["url"]) for q in queries}
    paged = {url_key(u) for u, b in search_bodies() if b["page"] > 1}
    got = {url_key(u) for u, _ in search_bodies()}
    assert got == wanted | paged and len(paged) == 1
    assert archive.get("https://recherche-entreprises.api.gouv.fr/robots.txt") is not None


def test_snapshot_readme_says_it_is_a_reconstruction():
    text = (SNAP / "README.md").read_text(encoding="utf-8").lower()
    assert "reconstruction" in text and "invented" in text and "not a capture" in text


def test_the_build_script_is_deterministic(tmp_path):
    script = REPO_ROOT / "scripts" / "snapshots" / "build_company_register.py"
    queries = tmp_path / "in.jsonl"
    queries.write_bytes((SNAP / "queries.jsonl").read_bytes())
    out = subprocess.run(
        [sys.executable, str(script), "--queries", str(queries), "--out", str(tmp_path / "snap")],
        capture_output=True,
        text=True,
    )
    tmp_path = tmp_path / "snap"
    assert out.returncode == 0, out.stderr
    for rel in ["manifest.json", "queries.jsonl"] + [e["file"] for e in manifest()["responses"]]:
        assert (tmp_path / rel).read_bytes() == (SNAP / rel).read_bytes(), rel
