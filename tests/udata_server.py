"""A real udata (the software of data.gouv.fr) on 127.0.0.1, for tests/test_datagouv_udata.py.

Runs under .venv-udata (scripts/install_test_udata.sh), never under the project's venv.
``python tests/udata_server.py PORT WORKDIR``: an in-process mongomock database, eager
Celery, a null cache, no search engine; the licence, a user, its API token and an empty
dataset are created here, then one JSON line goes to stdout:
``{"api_base": …, "api_key": …, "dataset": …}``. Nothing leaves 127.0.0.1.

For the tests only, ``POST /_test/fail-uploads {"after": N}`` makes every upload after the
next N answer HTTP 500 (``{"after": null}`` stops it): a portal failing part-way; and
``{"transient": K}`` makes the next K uploads answer 503 once each (a retry gets through).
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import mongomock


def settings(port: int, workdir: Path) -> type:
    from udata.settings import Defaults

    class Local:
        TESTING = False
        DEBUG = False
        SECRET_KEY = "udata-test-server"
        API_TOKEN_SECRET = "udata-test-server-tokens"
        SERVER_NAME = f"127.0.0.1:{port}"
        PREFERRED_URL_SCHEME = "http"
        MONGODB_HOST = "mongodb://127.0.0.1:27017/udata"  # validated, never connected: mongomock below
        MONGODB_SETTINGS = {
            "host": "mongodb://127.0.0.1:27017/udata",
            "mongo_client_class": mongomock.MongoClient,
            "connect": False,
        }
        CELERY_TASK_ALWAYS_EAGER = True
        CELERY_TASK_EAGER_PROPAGATES = True
        CACHE_TYPE = "flask_caching.backends.NullCache"
        CACHE_NO_NULL_WARNING = True
        ELASTICSEARCH_URL = None
        SEARCH_SERVICE_API_URL = None
        SEND_MAIL = False
        WTF_CSRF_ENABLED = False
        AUTO_INDEX = False
        FS_ROOT = str(workdir / "fs")
        ALLOWED_RESOURCES_EXTENSIONS = Defaults.ALLOWED_RESOURCES_EXTENSIONS + ["parquet"]
        PUBLISH_ON_RESOURCE_EVENTS = False
        SCHEMA_CATALOG_URL = None
        CDATA_BASE_URL = None
        URLS_ALLOW_LOCAL = True
        URLS_ALLOW_PRIVATE = True
        SPAM_WORDS = []
        LOGGER_HANDLER_POLICY = "never"

    return Local


class FailUploads:
    """WSGI wrapper: after ``after`` more uploads, answer 500 to every upload."""

    def __init__(self, app):
        self.app = app
        self.after: int | None = None
        self.transient = 0
        self.calls = 0  # uploads that reached this wrapper, failed or not
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_test/fail-uploads" and environ["REQUEST_METHOD"] == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            asked = json.loads(body or b"{}")
            self.after, self.transient = asked.get("after"), asked.get("transient", 0)
            start_response("204 No Content", [])
            return [b""]
        if path == "/_test/uploads":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"uploads": self.calls}).encode()]
        if environ["REQUEST_METHOD"] == "POST" and path.endswith("/upload/"):
            with self.lock:
                self.calls += 1
                if self.transient > 0:
                    self.transient -= 1
                    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                    start_response(
                        "503 Service Unavailable", [("Content-Type", "application/json"), ("Retry-After", "0")]
                    )
                    return [b'{"message": "injected transient failure"}']
                if self.after is not None:
                    if self.after <= 0:
                        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                        start_response("500 Internal Server Error", [("Content-Type", "application/json")])
                        return [b'{"message": "injected failure"}']
                    self.after -= 1
        return self.app(environ, start_response)


def seed(app) -> dict:
    from datetime import datetime, timezone

    from udata.core.api_token.models import ApiToken
    from udata.core.dataset.models import Dataset, License
    from udata.core.user.models import User

    with app.app_context():
        for licence_id, title, url in (
            (
                "lov2",
                "Licence Ouverte / Open Licence version 2.0",
                "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            ),
            ("notspecified", "License Not Specified", None),
        ):
            License(id=licence_id, title=title, url=url).save()
        user = User(
            email="publisher@example.org",
            first_name="Test",
            last_name="Publisher",
            active=True,
            confirmed_at=datetime.now(timezone.utc),
        ).save()
        _, token = ApiToken.generate(user, name="tests")
        dataset = Dataset(
            title="Pôles de compétitivité and CCE export advisors",
            description="Empty, awaiting a release.",
            owner=user,
            license=License.objects.get(id="notspecified"),
        ).save()
        return {"api_key": token, "dataset": str(dataset.id), "dataset_slug": dataset.slug}


def main() -> None:
    port, workdir = int(sys.argv[1]), Path(sys.argv[2])
    workdir.mkdir(parents=True, exist_ok=True)
    from udata.app import create_app, standalone

    app = standalone(create_app(override=settings(port, workdir)))
    seeded = seed(app)
    app.wsgi_app = FailUploads(app.wsgi_app)
    print(json.dumps({"api_base": f"http://127.0.0.1:{port}/api/1", **seeded}), flush=True)
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", port, app, threaded=False, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
