"""deploy/: the production instance against a real PostgreSQL server, and the compose file.

Starts a throwaway PostgreSQL cluster (Debian's binaries, installed by
scripts/install_test_postgres.sh from `make test-deps`) on a free loopback port, loads
deploy/dagster.yaml against it, runs the release job and then a schedule tick's run of
``refresh_poles`` (multiprocess executor, as a deployment runs it), and reads both runs
back from PostgreSQL. Docker cannot run here, so the compose file is checked, not started.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
PG_USER, PG_PASSWORD, PG_DB = "dagster", "test-password", "dagster_test"
IN_PROCESS_RUN = """
import json, sys
import dagster as dg
from pipelines.definitions import defs
with dg.DagsterInstance.get() as instance:
    result = defs.resolve_job_def(sys.argv[1]).execute_in_process(instance=instance, tags=json.loads(sys.argv[2]), raise_on_error=False)
sys.exit(0 if result.success else 1)
"""


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on 127.0.0.1:<free port> in a temporary folder; stopped at the end."""
    if _pg_bin() is None:
        subprocess.run(["bash", str(REPO / "scripts" / "install_test_postgres.sh")], check=False)
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL binaries not installed and could not be installed: run `make test-deps` (Debian's postgresql)"
        )
    root = Path(tempfile.mkdtemp(prefix="poles-cce-pg-"))
    # PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' system user.
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    pgdata, pwfile, log = root / "data", root / "pw", root / "server.log"
    pwfile.write_text(PG_PASSWORD)
    if as_user:
        shutil.chown(pwfile, "postgres", "postgres")
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(pgdata),
            "-U",
            PG_USER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root}"
    subprocess.run(
        [*as_user, str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-o", options, "-l", str(log), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, password=PG_PASSWORD, dbname="postgres")
        conn.autocommit = True
        conn.cursor().execute(f"CREATE DATABASE {PG_DB}")
        conn.close()
        yield {"host": "127.0.0.1", "port": port}
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def deploy_env(postgres, tmp_path_factory):
    """DAGSTER_HOME holding deploy/dagster.yaml (local folders moved to temp) + the env it reads."""
    home = tmp_path_factory.mktemp("dagster_home")
    config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    config["compute_logs"]["config"]["base_dir"] = str(home / "logs")
    config["local_artifact_storage"]["config"]["base_dir"] = str(home / "storage")
    (home / "dagster.yaml").write_text(yaml.safe_dump(config))
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_PG_HOST": postgres["host"],
        "DAGSTER_PG_PORT": str(postgres["port"]),
        "DAGSTER_PG_DB": PG_DB,
        "DAGSTER_PG_USERNAME": PG_USER,
        "DAGSTER_PG_PASSWORD": PG_PASSWORD,
        "POLES_CCE_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "POLES_CCE_MODE": "replay",
        "POLES_CCE_ALERT_WEBHOOK": "",
    }


def _runs_in_postgres(postgres) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(
        host=postgres["host"], port=postgres["port"], user=PG_USER, password=PG_PASSWORD, dbname=PG_DB
    ) as conn:
        cur = conn.cursor()
        cur.execute("SELECT run_id, pipeline_name, status, run_body FROM runs ORDER BY create_timestamp")
        return cur.fetchall()


@pytest.mark.slow
def test_instance_job_and_schedule_tick_on_postgres(postgres, deploy_env, monkeypatch):
    for key in (
        "DAGSTER_HOME",
        "DAGSTER_PG_HOST",
        "DAGSTER_PG_PORT",
        "DAGSTER_PG_DB",
        "DAGSTER_PG_USERNAME",
        "DAGSTER_PG_PASSWORD",
    ):
        monkeypatch.setenv(key, deploy_env[key])
    import dagster as dg

    # The deploy config loads and is backed by PostgreSQL (schema created on first use).
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.run_monitoring_enabled
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1

    # (a) a job against that instance: the whole release, as `make run` does (~30 s)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.run"], cwd=REPO, env=deploy_env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    runs = _runs_in_postgres(postgres)
    assert [(name, status) for _, name, status, _ in runs] == [("release_job", "SUCCESS")]
    release_run_id = runs[0][0]
    latest = Path(deploy_env["POLES_CCE_DATA_DIR"]) / "releases" / "latest"
    assert (latest / "clusters.parquet").exists()
    first_release = latest.resolve()
    print(f"release_job on PostgreSQL: {time.monotonic() - started:.0f} s")

    # (b) a schedule tick evaluated against that instance: the prerequisites of
    # refresh_poles now exist there, so the tick asks for a run of that job...
    from pipelines.definitions import defs

    schedule = defs.resolve_schedule_def("refresh_poles_schedule")
    tick_time = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.timezone.utc)
    with dg.DagsterInstance.get() as instance:
        assert instance.get_latest_materialization_event(dg.AssetKey("merged_advisors")) is not None
        tick = schedule.evaluate_tick(dg.build_schedule_context(instance=instance, scheduled_execution_time=tick_time))
    assert schedule.job_name == "refresh_poles"
    (request,) = tick.run_requests
    # ...and the requested run executes against it, tagged as the daemon tags scheduled runs.
    # By default its steps run in one process (~30 s); POLES_CCE_TEST_MULTIPROCESS=1 runs it as
    # a deployment does, with the job's multiprocess executor (a process per step: ~5 min on 2 cores).
    tags = {**request.tags, "dagster/schedule_name": schedule.name, "dagster/tick_time": tick_time.isoformat()}
    if os.environ.get("POLES_CCE_TEST_MULTIPROCESS") == "1":
        command = [
            sys.executable,
            "-m",
            "dagster",
            "job",
            "execute",
            "-m",
            "pipelines.definitions",
            "-j",
            "refresh_poles",
            "--tags",
            json.dumps(tags),
        ]
    else:
        command = [sys.executable, "-c", IN_PROCESS_RUN, "refresh_poles", json.dumps(tags)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, env=deploy_env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    print(f"refresh_poles on PostgreSQL: {time.monotonic() - started:.0f} s")

    runs = _runs_in_postgres(postgres)
    assert len(runs) == 2 and runs[0][0] == release_run_id
    _, job_name, status, body = runs[1]
    assert (job_name, status) == ("refresh_poles", "SUCCESS")
    assert "refresh_poles_schedule" in body  # the run row itself, read with psycopg2
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(runs[1][0])
        assert run.tags["dagster/schedule_name"] == "refresh_poles_schedule"
        assert run.tags["poles_cce/source"] == "poles"
        # the refresh re-crawled poles (and the company register), not the other sources
        materialized = {
            e.dagster_event.asset_key.to_user_string()
            for e in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        }
        assert {"raw_poles", "raw_company_register", "release"} <= materialized
        assert "raw_cce_committees" not in materialized
    # the refresh found the same tables: recorded as "unchanged", no new release, latest stays (issue 15)
    assert latest.resolve() == first_release and (latest / "clusters.parquet").exists()
    records = [json.loads(p.read_text()) for p in (Path(deploy_env["POLES_CCE_DATA_DIR"]) / "runs").glob("*.json")]
    assert sorted(r["status"] for r in records) == ["published", "unchanged"], records


def test_compose_file_is_complete():
    """Docker is not available here: the compose file is checked for shape, not started."""
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "code", "webserver", "daemon"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert "healthcheck" in services["postgres"]
    assert services["code"]["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert (REPO / services["code"]["build"]["dockerfile"]).exists()
    code_cmd = services["code"]["command"]
    assert code_cmd[:3] == ["dagster", "code-server", "start"] and "pipelines.definitions" in code_cmd
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())["load_from"][0]["grpc_server"]
    assert workspace["host"] == "code" and str(workspace["port"]) == code_cmd[code_cmd.index("-p") + 1]
    assert services["webserver"]["command"][0] == "dagster-webserver"
    assert services["daemon"]["command"][:2] == ["dagster-daemon", "run"]
    for name in ("code", "webserver", "daemon"):
        service = services[name]
        assert service["image"] == services["code"]["image"]
        env = service["environment"]
        assert {
            "DAGSTER_HOME",
            "DAGSTER_PG_HOST",
            "DAGSTER_PG_PORT",
            "DAGSTER_PG_DB",
            "DAGSTER_PG_USERNAME",
            "DAGSTER_PG_PASSWORD",
        } <= set(env)
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "dagster_logs:/opt/dagster/logs" in service["volumes"]
    assert services["code"]["environment"]["POLES_CCE_DATA_DIR"] == "/data"
    assert any(v.endswith(":/data") for v in services["code"]["volumes"])
    assert {"POLES_CCE_SCHEDULES", "POLES_CCE_ALERT_WEBHOOK", "POLES_CCE_MODE"} <= set(services["code"]["environment"])
    assert all(p.startswith("127.0.0.1:") for p in services["webserver"]["ports"])  # UI not exposed publicly
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "pip install -e ." in dockerfile and "DAGSTER_HOME" in dockerfile


def test_deploy_dagster_yaml_is_a_valid_instance_config(monkeypatch):
    """The schema check of deploy/dagster.yaml (the PostgreSQL test above also loads it)."""
    for key, value in {
        "DAGSTER_PG_HOST": "postgres",
        "DAGSTER_PG_PORT": "5432",
        "DAGSTER_PG_DB": "dagster",
        "DAGSTER_PG_USERNAME": "dagster",
        "DAGSTER_PG_PASSWORD": "x",
    }.items():
        monkeypatch.setenv(key, value)
    from dagster._config import process_config
    from dagster._core.instance.config import dagster_instance_config_schema, validate_concurrency_config

    config = yaml.safe_load((DEPLOY / "dagster.yaml").read_text())
    result = process_config(dagster_instance_config_schema(), config)
    assert result.success, result.errors
    validate_concurrency_config(config)
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    from pipelines.schedules import RELEASE_TAG, SOURCE_TAG

    assert {limit["key"] for limit in limits} == {SOURCE_TAG, RELEASE_TAG}
    assert config["run_monitoring"]["enabled"] is True
    assert set(config["storage"]["postgres"]["postgres_db"]) == {
        "username",
        "password",
        "hostname",
        "db_name",
        "port",
        "scheme",
    }
