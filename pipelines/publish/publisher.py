"""Who publishes the release: name, contact URL and homepage, configured once.

From the environment (POLES_CCE_PUBLISHER_NAME, _CONTACT_URL, _HOMEPAGE) or a YAML file
(POLES_CCE_PUBLISHER_FILE, default ``publisher.yml`` at the project root, keys ``name``,
``contact_url``, ``homepage``); the environment wins key by key. Printed in the README,
datapackage.json and the landing page; the opt-out text sends people to ``contact_url``.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from common.paths import REPO_ROOT

DEFAULT_FILE = REPO_ROOT / "publisher.yml"
KEYS = ("name", "contact_url", "homepage")
UNSET = "(publisher not configured: set POLES_CCE_PUBLISHER_* or publisher.yml)"


@dataclass(frozen=True)
class Publisher:
    name: str | None = None
    contact_url: str | None = None
    homepage: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.name and self.contact_url)

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v}


class PublisherConfigError(ValueError):
    pass


def load_publisher(path: Path | None = None, environ: dict | None = None) -> Publisher:
    environ = os.environ if environ is None else environ
    path = Path(path or environ.get("POLES_CCE_PUBLISHER_FILE") or DEFAULT_FILE)
    values: dict = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise PublisherConfigError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise PublisherConfigError(f"{path.name}: expected a mapping with keys {', '.join(KEYS)}")
        unknown = set(loaded) - set(KEYS)
        if unknown:
            raise PublisherConfigError(
                f"{path.name}: unknown key(s) {', '.join(sorted(unknown))}; expected {', '.join(KEYS)}"
            )
        values.update({k: str(v).strip() for k, v in loaded.items() if v})
    for key in KEYS:
        env = environ.get(f"POLES_CCE_PUBLISHER_{key.upper()}", "").strip()
        if env:
            values[key] = env
    return Publisher(**values)
