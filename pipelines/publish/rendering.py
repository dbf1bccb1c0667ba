"""The Jinja2 environment of the release's templates (pipelines/publish/templates/).

HTML templates (``*.html.j2``) are autoescaped: a value is markup only when the code
wraps it in ``Markup``. Markdown templates (``*.md.j2``) are plain text; their table
cells go through the ``cell`` filter, which keeps a value on one line and inside its cell.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from .charts import plural

TEMPLATES = Path(__file__).with_name("templates")


def markdown_cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = lambda n, one, many=None: plural(n, one, many)
    env.filters["cell"] = markdown_cell
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
