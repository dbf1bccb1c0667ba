"""Per-source jobs and schedules from sources/*.yml, freshness policies, failure alerts."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from functools import partial

import dagster as dg
import pytest

import pipelines.definitions as definitions
from common.sources import all_sources
from pipelines import alerts
from pipelines.resources import PipelineSettings
from pipelines.run_records import record_failed_run
from pipelines.schedules import PUBLISHED_ASSETS, SOURCE_TAG, prerequisites, schedule_period

defs = definitions.defs
DEPENDENT_CRAWLS = {f"raw_{s.name}" for s in all_sources() if s.inputs}


def _keys(job) -> set[str]:
    return {k.to_user_string() for k in job.asset_layer.executable_asset_keys}


def test_one_schedule_per_source_with_its_yaml_cron():
    schedules = {s.name: s for s in definitions.refresh_schedules}
    assert len(schedules) == len(all_sources())
    for source in all_sources():
        schedule = schedules[f"refresh_{source.name}_schedule"]
        assert schedule.cron_schedule == source.schedule
        assert schedule.execution_timezone == "UTC"
        assert schedule.job_name == f"refresh_{source.name}"
        assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED  # unless POLES_CCE_SCHEDULES=on


def test_schedules_env_turns_them_on(monkeypatch):
    from pipelines.schedules import refresh_jobs_and_schedules

    monkeypatch.setenv("POLES_CCE_SCHEDULES", "on")
    _, schedules = refresh_jobs_and_schedules(definitions.all_assets)
    assert {s.default_status for s in schedules} == {dg.DefaultScheduleStatus.RUNNING}


def test_refresh_jobs_select_the_crawl_and_everything_downstream():
    for source in all_sources():
        job = defs.resolve_job_def(f"refresh_{source.name}")
        keys = _keys(job)
        assert f"raw_{source.name}" in keys and "release" in keys
        # other sources are not re-crawled, except those whose queries come from clean tables
        # (their YAML's inputs), which every other source feeds
        others = {f"raw_{s.name}" for s in all_sources() if not s.inputs} - {f"raw_{source.name}"}
        assert not keys & others
        assert job.executor_def.name == "multiprocess"
        assert job.tags[SOURCE_TAG] == source.name
        # the blocking checks of the selected assets run too
        check_assets = {k.asset_key.to_user_string() for k in job.asset_layer.asset_graph.asset_check_keys}
        assert f"raw_{source.name}" in check_assets
    poles = _keys(defs.resolve_job_def("refresh_poles"))
    assert {"directory_clusters", *DEPENDENT_CRAWLS, "clusters", "region_summary"} <= poles
    # every table is rebuilt (from the other sources' last crawls), so the release is whole
    assert "cce_committees" in poles and "raw_cce_committees" not in poles
    steps = set(defs.resolve_job_def("refresh_poles").graph.node_names())  # the job's own steps
    assert {f"raw_{s.name}_source_assertions" for s in all_sources()} <= steps
    assert defs.resolve_job_def("release_job").executor_def.name == "in_process"


def test_schedule_skips_until_prerequisites_exist_then_requests_a_run():
    source = next(s for s in all_sources() if s.inputs)  # a crawl reading clean tables
    schedule = defs.resolve_schedule_def(f"refresh_{source.name}_schedule")
    with dg.instance_for_test() as instance:
        tick = schedule.evaluate_tick(
            dg.build_schedule_context(
                instance=instance, scheduled_execution_time=dt.datetime(2026, 11, 30, 5, tzinfo=dt.timezone.utc)
            )
        )
        assert not tick.run_requests and "release_job" in tick.skip_message
        for key in prerequisites(source.name, definitions.all_assets):
            instance.report_runless_asset_event(dg.AssetMaterialization(key))
        tick = schedule.evaluate_tick(dg.build_schedule_context(instance=instance))
        assert len(tick.run_requests) == 1
        assert tick.run_requests[0].tags["poles_cce/scheduled"] == "true"


def test_freshness_policies_on_every_published_asset():
    graph = defs.resolve_asset_graph()
    for name in PUBLISHED_ASSETS:
        policy = graph.get(dg.AssetKey(name)).freshness_policy
        assert policy is not None, name
        # every published asset is rebuilt by the weekly refreshes: fail after 8 days
        assert policy.fail_window.to_timedelta() == dt.timedelta(days=8), name
        assert policy.warn_window.to_timedelta() < policy.fail_window.to_timedelta()
    assert graph.get(dg.AssetKey("raw_poles")).freshness_policy is None


def test_schedule_period():
    assert schedule_period("0 4 * * 1") == dt.timedelta(days=7)
    assert schedule_period("0 6 1 * *") == dt.timedelta(days=31)
    assert schedule_period("30 2 * * *") == dt.timedelta(days=1)


# --- alerts -------------------------------------------------------------------------


@pytest.fixture
def webhook():
    """A local HTTP server on 127.0.0.1 that captures POSTs: (url, list of (path, headers, body))."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, dict(self.headers), json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/secret-token", received
    server.shutdown()
    server.server_close()


def test_send_alert_posts_the_record(webhook, caplog):
    url, received = webhook
    record = {
        "run_id": "r1",
        "status": "failed",
        "failed_checks": [{"table": "clusters", "check": "gx_suite", "sources": ["poles"]}],
        "failed_steps": [],
    }
    with caplog.at_level("INFO", logger="poles_cce.alerts"):
        assert alerts.send_alert(record, url=url) is True
    ((path, headers, body),) = received
    assert path == "/hooks/secret-token" and headers["Content-Type"].startswith("application/json")
    assert body["run"] == record
    assert "clusters.gx_suite" in body["text"] and "poles" in body["text"]
    assert "ALERT" in caplog.text and "secret-token" not in caplog.text


def test_send_alert_never_raises(caplog):
    with caplog.at_level("WARNING", logger="poles_cce.alerts"):
        # nothing listens on port 9 of the loopback: connection refused, logged, not raised
        assert alerts.send_alert({"run_id": "r2"}, url="http://127.0.0.1:9/x", timeout=1) is False
        assert alerts.send_alert({"run_id": "r3"}, url="file:///etc/passwd") is False
    assert "failed" in caplog.text
    assert alerts.send_alert({"run_id": "r4"}, url="") is False  # no webhook configured: log only


@dg.op
def _boom():
    raise RuntimeError("site layout changed")


@dg.job
def _failing_job():
    _boom()


def test_failure_sensor_records_the_run_and_calls_the_webhook(webhook, tmp_path, monkeypatch):
    url, received = webhook
    monkeypatch.setenv("POLES_CCE_ALERT_WEBHOOK", url)
    settings = PipelineSettings(data_dir=str(tmp_path))
    monkeypatch.setattr(definitions, "record_failed_run", partial(record_failed_run, settings=settings))
    with dg.instance_for_test() as instance:
        result = _failing_job.execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
        context = dg.build_run_status_sensor_context(
            sensor_name="record_failed_runs",
            dagster_event=failure,
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        definitions.record_failed_runs(context)
    record = json.loads((tmp_path / "runs" / f"{result.run_id}.json").read_text())
    assert record["status"] == "failed" and "_boom" in record["error"]
    ((_, _, body),) = received
    assert body["run"]["run_id"] == result.run_id
    assert "_boom" in body["text"]
