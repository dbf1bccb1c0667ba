"""Source metadata: ``sources/<source>.yml``, validated, drives the crawl and the checks.

One YAML file per source, in the spirit of OpenSanctions' zavod: who publishes it,
where it lives, under which licence, when to crawl, how politely, and what a
healthy crawl yields (minimum counts fail the run, maximum counts warn).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from .paths import REPO_ROOT, SOURCES_DIR


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Publisher(_Strict):
    name: str
    url: HttpUrl


class Licence(_Strict):
    name: str
    url: HttpUrl


class Politeness(_Strict):
    download_delay: float = Field(1.0, ge=0)
    concurrency_per_domain: int = Field(2, ge=1, le=16)
    autothrottle_target: float = Field(1.0, gt=0)
    user_agent: str = "poles-cce-opendata/0.1 (+https://github.com/poles-cce-opendata; open-data crawler)"


class Retries(_Strict):
    times: int = Field(3, ge=0, le=10)
    http_codes: list[int] = [500, 502, 503, 504, 522, 524, 408, 429]


class Assertions(_Strict):
    """What a healthy crawl yields. ``min_*`` fail the run; ``max_*`` warn."""

    min_items: int = Field(ge=0)
    max_items: int | None = None
    fill_rates: dict[str, float] = {}
    max_errors: int = Field(0, ge=0)
    # Multi-site sources: minimum shares of the sites (site items) reached / with governance found.
    site_shares: dict[str, float] = {}

    @field_validator("fill_rates", "site_shares")
    @classmethod
    def _rates_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        for k, rate in v.items():
            if not 0 <= rate <= 1:
                raise ValueError(f"fill rate for '{k}' must be within [0, 1], got {rate}")
        return v


class DomainPoliteness(_Strict):
    delay: float = Field(ge=0)
    concurrency: int = Field(1, ge=1, le=16)


class SiteCrawl(_Strict):
    """Limits of a multi-site crawl (pole_sites), applied to each site separately."""

    page_budget: int = Field(25, ge=1)
    max_depth: int = Field(2, ge=0)
    concurrent_sites: int = Field(8, ge=1, le=64)
    max_pdf_bytes: int = Field(5_000_000, gt=0)
    domain_politeness: dict[str, DomainPoliteness] = {}


class Source(_Strict):
    name: str
    title: str
    publisher: Publisher
    url: HttpUrl
    licence: Licence
    spider: str  # dotted path of the Scrapy spider class
    start_urls: list[HttpUrl] = []
    allowed_domains: list[str]
    snapshot: str  # bundled sample archive, relative to the repo root
    schedule: str = "0 4 * * 1"  # cron; weekly by default
    politeness: Politeness = Politeness()
    site_crawl: SiteCrawl | None = None
    retries: Retries = Retries()
    timeout_seconds: float = Field(30, gt=0)
    max_response_bytes: int = Field(10_000_000, gt=0)
    tables: list[str] = []
    assertions: Assertions
    notes: str = ""

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str) -> str:
        if len(v.split()) != 5:
            raise ValueError(f"schedule must be a 5-field cron expression, got {v!r}")
        for field, (label, lo, hi) in zip(v.split(), _CRON_FIELDS):
            if not _cron_field_ok(field, lo, hi):
                raise ValueError(f"schedule {v!r}: {label} field {field!r} is not a cron value within {lo}-{hi}")
        return v

    @property
    def snapshot_path(self) -> Path:
        return REPO_ROOT / self.snapshot


_CRON_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12), ("day-of-week", 0, 7))
_CRON_NAMES = {n: i for i, n in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_CRON_NAMES.update({n: i for i, n in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])})


def _cron_field_ok(field: str, lo: int, hi: int) -> bool:
    """One cron field: ``*``, numbers, names, ranges, lists and ``/step``, values in range."""
    for part in field.split(","):
        base, slash, step = part.partition("/")
        if slash and not (step.isdigit() and int(step) > 0):
            return False
        if base == "*":
            continue
        for value in base.split("-", 1):
            number = _CRON_NAMES.get(value.lower()) if not value.isdigit() else int(value)
            if number is None or not lo <= number <= hi:
                return False
    return True


class SourceConfigError(ValueError):
    pass


def load_source_file(path: Path) -> Source:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: not valid YAML: {exc}") from exc
    try:
        source = Source.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{path}: invalid source metadata:"]
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            lines.append(f"  - {loc}: {err['msg']}")
        raise SourceConfigError("\n".join(lines)) from None
    if source.name != path.stem:
        raise SourceConfigError(f"{path}: name '{source.name}' must match the file name '{path.stem}'")
    return source


@cache
def load_source(name: str) -> Source:
    path = SOURCES_DIR / f"{name}.yml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in SOURCES_DIR.glob("*.yml")))
        raise SourceConfigError(f"unknown source '{name}' (known: {known})")
    return load_source_file(path)


def all_sources() -> list[Source]:
    return [load_source(p.stem) for p in sorted(SOURCES_DIR.glob("*.yml"))]
