"""A sentence plantrack says, kept as its English template and its values until someone reads
it, so that one error reads in the language of whoever sees it: the command line's --lang, a
web page's language, a run's log. The English template is also the key of its translation in
each language's catalog (tasks/words/vi.py `MESSAGES`); a template missing there is said in
English, and tests/test_catalog.py finds every template in the code that has no translation.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any


class Figure(float):
    """A number a sentence shows the reader's way (11.441 in Vietnamese, 11,441 in English);
    plain ints stay as they are, since most are line numbers, years and counts."""


class Phrase:
    """An English template (str.format fields) and its values; `said(lang)` translates both:
    values that are phrases (or errors) in the same language, figures and days the reader's way."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: Any):
        self.template, self.values = template, values

    def said(self, lang: str) -> str:
        from tasks.words import catalog

        template = catalog(lang).get(self.template, self.template)
        if not self.values:
            return template
        return template.format(**{k: said(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.said("en")

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: object) -> bool:
        return str(self) < str(other)


def said(value: Any, lang: str) -> str:
    """Any message — a phrase, an error, a plain string — or a value of a phrase, in `lang`, as
    the reader reads it."""
    said = getattr(value, "said", None)
    if callable(said):
        return said(lang)
    if isinstance(value, Figure):  # up to two decimals: 11.441, 72,5 (vi); 11,441, 72.5 (en)
        from tasks.words import fmt_figure

        return fmt_figure(float(value), lang)
    if isinstance(value, dt.date):
        from tasks.words import fmt_date

        return fmt_date(value)
    return str(value)


def either(options: Sequence[str]) -> Phrase:
    """'a, b or c' in the reader's language: the choices (two or more) a message offers."""
    *first, last = options
    return Phrase("{first} or {last}", first=", ".join(first), last=last)
