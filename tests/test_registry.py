"""One registry: a source added to sources/ (its YAML only) appears everywhere a source must.

The definitions are built in a child process whose $POLES_CCE_SOURCES_DIR holds the real
sources plus a toy one that needs the clean pôles for its queries (as a crawl of each pôle's
own website would); the child prints what the code location, Scrapy and the bench made of it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from common.paths import REPO_ROOT, SOURCES_DIR

TOY = """\
name: toy
title: A toy source
publisher: {name: Toy publisher, url: "https://toy.example.org"}
url: https://toy.example.org
licence: {name: Licence Ouverte 2.0, url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
spider: spiders.toy.spider.ToySpider
allowed_domains: [toy.example.org]
snapshot: data/snapshots/toy
schedule: "30 2 * * 3"
tables: [clusters]
inputs: [directory_clusters]
queries: tests.test_registry:toy_queries
assertions: {min_items: 1}
"""

PROBE = """
import json
import dagster as dg
from pipelines import definitions
from spiders import settings
from bench import synthetic

defs = definitions.defs
graph = defs.resolve_asset_graph()
toy = graph.get(dg.AssetKey("raw_toy"))
release = graph.get(dg.AssetKey("release"))
schedule = defs.resolve_schedule_def("refresh_toy_schedule")
job = defs.resolve_job_def("refresh_toy")
print(json.dumps({
    "group": toy.group_name,
    "toy_parents": sorted(k.to_user_string() for k in toy.parent_keys),
    "checks": sorted(f"{k.asset_key.to_user_string()}:{k.name}" for k in graph.asset_check_keys),
    "release_parents": sorted(k.to_user_string() for k in release.parent_keys),
    "schedule": [schedule.cron_schedule, schedule.job_name],
    "job": sorted(k.to_user_string() for k in job.asset_layer.executable_asset_keys),
    "spider_modules": settings.SPIDER_MODULES,
    "bench_sources": list(synthetic.source_names()),
}))
"""


def toy_queries(directory_clusters):
    """The toy source's queries hook: one query per pôle."""
    return [{"url": f"https://toy.example.org/{cid}"} for cid in directory_clusters["cluster_id"]]


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    for path in SOURCES_DIR.glob("*.yml"):
        shutil.copy(path, folder / path.name)
    (folder / "toy.yml").write_text(TOY, encoding="utf-8")
    env = dict(os.environ, POLES_CCE_SOURCES_DIR=str(folder))
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_toy_source_gets_its_crawl_asset_after_the_table_it_needs(probe):
    assert probe["toy_parents"] == ["directory_clusters"]
    assert probe["group"] == "enrich"  # needs a clean table: no group edge back to ingest


def test_toy_source_gets_its_assertions_check(probe):
    assert "raw_toy:source_assertions" in probe["checks"]


def test_toy_source_gets_its_refresh_job_and_schedule(probe):
    assert probe["schedule"] == ["30 2 * * 3", "refresh_toy"]
    assert "raw_toy" in probe["job"] and "release" in probe["job"]
    assert "raw_poles" not in probe["job"]  # the pôles' last crawl is reused, not redone


def test_toy_source_is_in_the_release_provenance(probe):
    assert "raw_toy" in probe["release_parents"]
    assert {"raw_poles", "clusters", "region_summary"} <= set(probe["release_parents"])


def test_toy_source_spider_package_is_in_scrapy_settings(probe):
    assert "spiders.toy" in probe["spider_modules"]
    assert "spiders.poles" in probe["spider_modules"]


def test_toy_source_is_a_bench_input(probe):
    assert "toy" in probe["bench_sources"] and "poles" in probe["bench_sources"]


def test_queries_without_inputs_is_refused(tmp_path):
    from common.sources import SourceConfigError, load_source_file

    path = tmp_path / "toy.yml"
    path.write_text(TOY.replace("inputs: [directory_clusters]\n", ""), encoding="utf-8")
    with pytest.raises(SourceConfigError, match="'inputs' and 'queries' go together"):
        load_source_file(path)


def test_every_source_names_published_tables_only():
    from common.sources import all_sources
    from pipelines.schema import TABLES

    for source in all_sources():
        assert set(source.tables) <= set(TABLES), source.name
        assert source.row_table is None or source.row_table in source.tables, source.name


def test_table_sources_come_from_the_yaml_tables_key():
    from pipelines.schema import TABLES

    # crawls needing no table first
    assert TABLES["clusters"].sources == ("poles", "company_register", "pole_members", "pole_sites")
    assert TABLES["cce_committees"].sources == ("cce_committees",)
    assert TABLES["advisors"].sources == ("cce_appointments", "cce_committees", "company_register")
