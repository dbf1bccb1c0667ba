"""One check implementation: the Dagster asset checks are the registry's, and nothing holds by construction."""

from __future__ import annotations

from pipelines.checks.registry import TABLE_CHECKS, table_checks
from pipelines.definitions import PUBLISHED_TABLES, SOURCES, defs
from pipelines.schema import TABLES


def test_dagster_runs_exactly_the_registry_checks():
    graph = defs.resolve_asset_graph()
    in_dagster = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    registry = {(c.table, c.name) for c in table_checks(PUBLISHED_TABLES)}
    crawls = {(f"raw_{s.name}", "source_assertions") for s in SOURCES}
    assert in_dagster == registry | crawls


def test_every_published_table_has_content_checks_and_a_reconciliation_reads_other_tables():
    assert set(TABLE_CHECKS) == set(TABLES)
    checks = table_checks(PUBLISHED_TABLES)
    for table in TABLES:
        names = {c.name for c in checks if c.table == table}
        assert {"gx_suite", "content"} <= names, table
    cross = {(c.table, c.name): set(c.inputs) for c in checks if c.inputs and not c.name.startswith("fk_")}
    assert cross == {
        ("region_summary", "reconciliation"): {"clusters", "cce_committees", "advisors"},
        ("cluster_committee_coverage", "territory"): {"clusters", "cce_committees"},
        ("advisors", "committee_agreement"): {"cce_committees"},
        ("cluster_advisor_candidates", "territory_agreement"): {"cluster_committee_coverage", "advisors", "clusters"},
        ("cluster_members", "members_count"): {"clusters"},
        ("cluster_cce_ties", "member_company"): {"cluster_members"},
        ("region_summary", "members_reconciliation"): {"clusters", "cluster_members", "cluster_cce_ties"},
    }


def test_the_check_that_held_by_construction_is_gone():
    names = {c.name for c in table_checks(PUBLISHED_TABLES)}
    assert "every_cluster_covered_or_listed" not in names
    # The reconciliation reads no coverage table: its gaps come from reference/committee_departements.csv.
    summary = next(c for c in table_checks(PUBLISHED_TABLES) if c.name == "reconciliation")
    assert "cluster_committee_coverage" not in summary.inputs


def test_a_table_check_plugs_in_with_or_without_context(monkeypatch):
    import pandas as pd

    from pipelines.checks.outcomes import outcome

    seen = []

    def frame_only(frame):
        seen.append(len(frame))
        return [outcome("advisors", "plugged_in", False, bad=frame.head(1), show=["advisor_id"])]

    monkeypatch.setitem(TABLE_CHECKS, "advisors", [frame_only])
    check = next(c for c in table_checks(PUBLISHED_TABLES) if (c.table, c.name) == ("advisors", "content"))
    result = check.run({"advisors": pd.DataFrame({"advisor_id": ["a1", "a2"]})})
    assert seen == [2]
    assert [f.describe() for f in result.failures] == [
        "advisors: plugged_in (1 unexpected, e.g. [{'advisor_id': 'a1'}])"
    ]
