"""Alerts for failed runs: always logged; POSTed to a webhook when POLES_CCE_ALERT_WEBHOOK is set.

The body is JSON ``{"text": <one-line summary>, "run": <the run record>}``: Slack, Mattermost
and most chat webhooks show ``text``; anything else can read the record. Sending never
raises: a failed alert is logged and the run-failure sensor carries on.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.parse
import urllib.request
from pathlib import Path

WEBHOOK_ENV = "POLES_CCE_ALERT_WEBHOOK"
TIMEOUT_SECONDS = 5.0
logger = logging.getLogger("poles_cce.alerts")


def alert_text(record: dict) -> str:
    """One line a person can act on: which run, which checks (and sources), which steps."""
    parts = [f"poles-cce run {record.get('run_id')} {record.get('status', 'failed')}, no release published"]
    for check in record.get("failed_checks", [])[:5]:
        sources = ", ".join(check.get("sources") or []) or "-"
        parts.append(f"check {check.get('table')}.{check.get('check')} failed (source: {sources})")
    for step in record.get("failed_steps", [])[:3]:
        parts.append(f"step {step[:200]}")
    if len(parts) == 1 and record.get("error"):
        parts.append(str(record["error"])[:300])
    return "; ".join(parts)


def _public_part(url: str) -> str:
    """Webhook URLs carry their secret in the path: log only scheme and host."""
    parsed = urllib.parse.urlsplit(url)
    return f"{parsed.scheme}://{parsed.hostname or '?'}"


def send_alert(record: dict, url: str | None = None, timeout: float = TIMEOUT_SECONDS, log=None) -> bool:
    """Logs the alert, then POSTs it to ``url`` (default: $POLES_CCE_ALERT_WEBHOOK).
    True when the webhook answered 2xx; False when there is none or it failed."""
    log = log or logger
    text = alert_text(record)
    log.error(f"ALERT: {text}")
    url = (url if url is not None else os.environ.get(WEBHOOK_ENV, "")).strip()
    if not url:
        return False
    if urllib.parse.urlsplit(url).scheme not in {"http", "https"}:
        log.warning(f"alert webhook not sent: {WEBHOOK_ENV} must be an http(s) URL")
        return False
    body = json.dumps({"text": text, "run": record}, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "poles-cce-opendata alerts"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except Exception as exc:  # noqa: BLE001 - an alert must never break the sensor
        log.warning(f"alert webhook {_public_part(url)} failed: {type(exc).__name__}: {exc}")
        return False
    log.info(f"alert sent to webhook {_public_part(url)} (HTTP {status})")
    return True


def alert_failed_run(record_path: str | Path, log=None) -> bool:
    """The run-failure sensor's hook: alert with the run record it just wrote."""
    try:
        record = json.loads(Path(record_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        record = {"run_id": Path(record_path).stem, "status": "failed", "error": f"run record unreadable: {exc}"}
    return send_alert(record, log=log)
