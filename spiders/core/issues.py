"""The issue log: what a parser could not map, named by source, URL and field.

Parsers yield :class:`Issue` objects beside their items; the crawl writes them
to ``issues.jsonl`` and the release publishes them as ``issues.json``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR = "error"  # a required field is missing: the item is not emitted
WARNING = "warning"  # an optional value could not be mapped (unknown category, bad URL…)


@dataclass
class Issue:
    source: str
    url: str
    field: str
    code: str  # short machine name: missing_required_field, unknown_value, …
    message: str
    severity: str = ERROR
    value: str | None = None
    context: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:  # used in exceptions and logs
        return f"[{self.source}] {self.severity} {self.code}: {self.field} at {self.url}: {self.message}"


class ParseError(ValueError):
    """Raised where a parser cannot go on at all (not a page layout it knows)."""

    def __init__(self, source: str, url: str, field: str, message: str):
        self.issue = Issue(source=source, url=url, field=field, code="parse_error", message=message)
        super().__init__(str(self.issue))


def missing(source: str, url: str, field: str, what: str = "") -> Issue:
    return Issue(
        source=source,
        url=url,
        field=field,
        code="missing_required_field",
        message=f"required field '{field}' not found on the page{(': ' + what) if what else ''}",
    )
