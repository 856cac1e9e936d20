"""The words: every language has every word, every task kind its labels, and the two number
styles stay apart."""
from __future__ import annotations

import typing

import pytest

from tasks.errors import BadInput
from tasks.plan.schema import Kind
from tasks.words import (
    CATEGORY_LABELS,
    CHART_LABELS,
    COMMAND_WORDS,
    KIND_LABELS,
    KINDS,
    LANGS,
    REPORT_STATUS_LABELS,
    RETURNS_WORDS,
    ROLE_LABELS,
    STATUS_WORDS,
    SUMMARY_LABELS,
    TABLE_LABELS,
    TABLE_TITLES,
    check_lang,
    fmt_figure,
    fmt_num,
    fmt_pct,
)


def test_every_task_kind_has_a_label_in_every_language():
    assert typing.get_args(Kind) == KINDS  # the plan schema accepts exactly these kinds
    assert {lang: list(KIND_LABELS[lang]) for lang in LANGS} == {lang: list(KINDS)
                                                                   for lang in LANGS}
    assert all(KIND_LABELS[lang][k] for lang in LANGS for k in KINDS)


@pytest.mark.parametrize("words", [CATEGORY_LABELS, REPORT_STATUS_LABELS, ROLE_LABELS,
                                   TABLE_TITLES, TABLE_LABELS, SUMMARY_LABELS, CHART_LABELS,
                                   COMMAND_WORDS, STATUS_WORDS, RETURNS_WORDS])
def test_every_word_is_there_in_every_language(words):
    assert tuple(words) == LANGS
    assert all(words[lang].keys() == words[LANGS[0]].keys() for lang in LANGS)


def test_a_language_plantrack_does_not_speak_is_refused_naming_the_field():
    for lang in LANGS:
        check_lang(lang)
    with pytest.raises(BadInput, match=r"^--lang: 'fr' is not vi or en$"):
        check_lang("fr", "--lang")


def test_numbers_the_readers_way_and_figures_one_way():
    assert [fmt_num(11441, lang) for lang in LANGS] == ["11.441", "11,441"]
    assert [fmt_pct(85.5, lang) for lang in LANGS] == ["85,5%", "85.5%"]
    assert [fmt_num(72.25, lang) for lang in LANGS] == ["72,2", "72.2"]  # one decimal
    assert [fmt_figure(v) for v in (11441.0, 72.5, 72.25)] == ["11,441", "72.5", "72.25"]
