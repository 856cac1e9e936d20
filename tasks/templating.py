"""The one Jinja environment over config/templates, so that notices and digests render alike.

Undefined names fail loudly, blocks leave no stray blank lines, a file's last newline is kept,
and `|d` writes a day as dd/mm/yyyy. HTML is escaped in `*.html.j2`, or in every template with
`escape_all`: the HTML digest imports its words from `digest.<lang>.j2`, which the Markdown
digest imports too, so those words are escaped only when they go into HTML.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.settings import TEMPLATES
from tasks.words import fmt_date

if TYPE_CHECKING:
    import jinja2


def _html(name: str | None) -> bool:
    return name is not None and name.endswith(".html.j2")


@lru_cache(maxsize=8)
def environment(folder: Path = TEMPLATES, escape_all: bool = False) -> jinja2.Environment:
    """The environment over `folder`, made once per folder and escaping."""
    import jinja2  # here: commands that render nothing do not pay for it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined,
        autoescape=True if escape_all else _html,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False)  # a template is read once a process: not looked at on every render
    env.filters["d"] = fmt_date
    return env
