"""Source metadata: ``sources/<source>.yml``, validated, drives the crawl and the checks.

One YAML file per source, in the spirit of OpenSanctions' zavod: who publishes it,
where it lives, under which licence, when to crawl, how politely, and what a
healthy crawl yields (minimum counts fail the run, maximum counts warn).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from .cli import CliError
from .paths import REPO_ROOT, sources_dir


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
    max_items: int | None = Field(None, ge=0)
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


class DirectoryHint(_Strict):
    """Where a site's member directory loads its data from when its own page does not say
    (an external script builds the URL): configuration, not code (pole_members)."""

    json_endpoint: HttpUrl | None = None
    # Our field (organisation, category, city, postcode, website) -> the endpoint's key for it.
    fields: dict[str, str] = {}


class SiteCrawl(_Strict):
    """Limits of a multi-site crawl (pole_sites, pole_members), applied to each site separately."""

    page_budget: int = Field(25, ge=1)
    max_depth: int = Field(2, ge=0)
    concurrent_sites: int = Field(8, ge=1, le=64)
    max_pdf_bytes: int = Field(5_000_000, gt=0)
    domain_politeness: dict[str, DomainPoliteness] = {}
    # Per-host hints for directories (host without www. -> hint).
    directory_hints: dict[str, DirectoryHint] = {}


class LookupCache(_Strict):
    """Answers of a query-driven crawl kept across runs (the company register): one row per query
    key and page, asked again once older than ``ttl_days``; ``path`` is under the data folder."""

    ttl_days: float = Field(gt=0)
    path: str


class StockFiles(_Strict):
    """Bulk files answering the same queries locally (the company register's SIRENE stock mode)."""

    enabled: bool = False  # the default mode; $POLES_CCE_REGISTER_MODE=stock|api overrides it
    unite_legale_url: HttpUrl
    etablissement_url: HttpUrl
    sample: str  # the bundled extract (replay mode), relative to the repo root
    path: str  # where live mode keeps the downloaded files, under the data folder
    refresh_days: float = Field(30, gt=0)


class Source(_Strict):
    name: str
    title: str
    publisher: Publisher
    url: HttpUrl
    licence: Licence
    spider: str  # dotted path of the Scrapy spider class
    start_urls: list[HttpUrl] = []
    # Never empty: an empty list turns Scrapy's offsite guard off.
    # Never empty for a one-site source (an empty list turns Scrapy's offsite guard off); a
    # multi-site crawl (``site_crawl``) scopes each site to its own host instead.
    allowed_domains: list[str] = []
    snapshot: str  # bundled sample archive, relative to the repo root
    schedule: str = "0 4 * * 1"  # cron; weekly by default
    politeness: Politeness = Politeness()
    site_crawl: SiteCrawl | None = None
    lookup_cache: LookupCache | None = None
    stock: StockFiles | None = None
    retries: Retries = Retries()
    timeout_seconds: float = Field(30, gt=0)
    max_response_bytes: int = Field(10_000_000, gt=0)
    tables: list[str] = []  # published tables this source feeds (release provenance)
    # Published table holding one row per crawled item: its suite adds this source's row counts.
    row_table: str | None = None
    # Tables the crawl needs (asset names): their frames go, in this order, to the ``queries``
    # hook ("module:function"), whose list of dicts reaches the spider as ``-a queries=PATH``.
    inputs: list[str] = []
    queries: str | None = None
    # Clean assets that read this source's crawl (``raw_<source>``): code asks the registry which
    # source an asset reads (:func:`source_read_by`) instead of naming it.
    read_by: list[str] = []
    assertions: Assertions
    notes: str = ""

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str) -> str:
        fields = v.split()
        if len(fields) != 5:
            raise ValueError(f"schedule must be a 5-field cron expression, got {v!r}")
        # croniter judges; each field alone (the others "*") names the one at fault.
        for i, label in enumerate(_CRON_FIELDS):
            alone = " ".join(fields[i] if j == i else "*" for j in range(5))
            if not croniter.is_valid(alone):
                raise ValueError(f"schedule {v!r}: {label} field {fields[i]!r} is not a valid cron value")
        if not croniter.is_valid(v):
            raise ValueError(f"schedule {v!r} is not a valid cron expression")
        return v

    @model_validator(mode="after")
    def _queries_need_inputs(self) -> "Source":
        if bool(self.inputs) != bool(self.queries):
            raise ValueError("'inputs' and 'queries' go together: the hook builds the crawl's queries from the inputs")
        return self

    @field_validator("allowed_domains")
    @classmethod
    def _domains(cls, v: list[str]) -> list[str]:
        for domain in v:
            if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", domain):
                raise ValueError(f"allowed domain {domain!r} is not a host name such as example.gouv.fr")
        return v

    @model_validator(mode="after")
    def _domains_or_sites(self):
        if not self.allowed_domains and self.site_crawl is None:
            raise ValueError("allowed_domains must list at least one host (an empty list turns the offsite guard off)")
        return self

    @model_validator(mode="after")
    def _max_not_below_min(self):
        a = self.assertions
        if a.max_items is not None and a.max_items < a.min_items:
            raise ValueError(f"assertions.max_items ({a.max_items}) is below assertions.min_items ({a.min_items})")
        return self

    @property
    def snapshot_path(self) -> Path:
        return REPO_ROOT / self.snapshot

    @property
    def spider_module(self) -> str:
        """The package holding the spider (``spiders.poles`` for ``spiders.poles.spider.PolesSpider``)."""
        return self.spider.rsplit(".", 2)[0]


_CRON_FIELDS = ("minute", "hour", "day-of-month", "month", "day-of-week")


class SourceConfigError(CliError, ValueError):
    """A source file that cannot be used; the message names the file."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"duplicate key {key!r} (first at line {seen[key] + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """One line: the problem and where (PyYAML's own message spans several lines)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"


def load_source_file(path: Path) -> Source:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceConfigError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
        ) from None
    except OSError as exc:
        raise SourceConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path}: not valid YAML: {_yaml_problem(exc)}") from None
    if not isinstance(raw, dict):
        raise SourceConfigError(f"{path}: invalid source metadata: expected a mapping, got {type(raw).__name__}")
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


def load_source(name: str) -> Source:
    return _load_source(sources_dir(), name)


@cache
def _load_source(folder: Path, name: str) -> Source:
    path = folder / f"{name}.yml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yml")))
        raise SourceConfigError(f"unknown source '{name}' (known: {known})")
    return load_source_file(path)


def all_sources() -> list[Source]:
    """Every source of the registry (``sources/*.yml``, or $POLES_CCE_SOURCES_DIR), by name."""
    folder = sources_dir()
    return [_load_source(folder, p.stem) for p in sorted(folder.glob("*.yml"))]


def row_sources(tables) -> dict[str, str | None]:
    """Published table -> the source whose items are its rows (``row_table``), else None."""
    sources = all_sources()
    return {table: next((s.name for s in sources if s.row_table == table), None) for table in tables}


def source_read_by(asset: str) -> str:
    """The name of the one source whose crawl ``asset`` reads (its YAML's ``read_by`` lists it)."""
    found = [s.name for s in all_sources() if asset in s.read_by]
    if len(found) != 1:
        raise SourceConfigError(
            f"{sources_dir()}: {len(found)} sources list '{asset}' in read_by ({', '.join(found) or 'none'}); one must"
        )
    return found[0]
