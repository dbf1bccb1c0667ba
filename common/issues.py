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


def read_errors(path) -> list[dict]:
    """The error-severity records of an issue log (``issues.jsonl``); none when it is absent."""
    import json
    from pathlib import Path

    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    return [r for r in records if r["severity"] == ERROR]


def describe(record: dict) -> str:
    """One line naming the URL, the field and the cause, for failures and check results."""
    return f"{record['url']} [{record['field']}] {record['message']}"
