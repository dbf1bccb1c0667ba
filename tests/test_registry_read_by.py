"""The YAML's ``read_by`` says which assets (clean or enrich) read each crawl; code asks it instead of naming sources."""

from __future__ import annotations

import dagster as dg
import pytest

from common.sources import SourceConfigError, all_sources, source_read_by
from pipelines.definitions import defs


def test_read_by_lists_exactly_the_assets_reading_each_crawl():
    graph = defs.resolve_asset_graph()
    readers: dict[str, set[str]] = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.group_name in ("clean", "enrich"):
            for parent in node.parent_keys:
                name = parent.to_user_string()
                if name.startswith("raw_"):
                    readers.setdefault(name.removeprefix("raw_"), set()).add(key.to_user_string())
    declared = {s.name: set(s.read_by) for s in all_sources() if s.read_by}
    assert declared == readers


def test_the_advisors_merge_reads_the_decrees():
    assert source_read_by("merged_advisors") == "cce_appointments"
    merged = defs.resolve_asset_graph().get(dg.AssetKey("merged_advisors"))
    assert dg.AssetKey("raw_cce_appointments") in merged.parent_keys


def test_the_enrich_assets_read_the_register_the_registry_names():
    register = source_read_by("advisors")
    assert register == "company_register"
    graph = defs.resolve_asset_graph()
    for asset in ("clusters", "advisors", "cluster_members", "advisor_companies"):
        assert dg.AssetKey(f"raw_{register}") in graph.get(dg.AssetKey(asset)).parent_keys, asset


def test_an_asset_no_source_feeds_is_an_error_naming_it():
    with pytest.raises(SourceConfigError, match="'no_such_asset' in read_by"):
        source_read_by("no_such_asset")
