"""The words: each language's module has every table the other has, with the same keys and
fields; every task kind has its labels; numbers, percentages, days and periods are written the
reader's way, by the one set of formatters (tasks/words/formats.py, on Babel)."""
from __future__ import annotations

import datetime as dt
import string
import subprocess
import sys
import typing

import pytest

import tasks.words as words
from tasks.errors import BadInput
from tasks.plan.schema import Kind
from tasks.words import (
    KIND_LABELS,
    KINDS,
    LANGS,
    check_lang,
    date_in_words,
    en,
    fmt_date,
    fmt_figure,
    fmt_num,
    fmt_pct,
    fmt_whole_pct,
    month_label,
    period_label,
    vi,
)

# vi.MESSAGES translates the code's English sentences: English has no such catalog.
ONLY_VI = {"MESSAGES"}


def _tables(module) -> dict[str, dict]:
    return {name: value for name, value in vars(module).items()
            if name.isupper() and isinstance(value, dict) and name not in ONLY_VI}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def _differences(a, b, where: str) -> list[str]:
    """Where two languages' tables differ in shape: keys (recursively), lengths of lists and
    tuples, and the {fields} of a sentence (a translation fills in what the code gives it)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{where}: keys {sorted(a.keys() ^ b.keys())} in one language only"] \
            if a.keys() != b.keys() else []
        return out + [d for k in a.keys() & b.keys() for d in _differences(a[k], b[k],
                                                                             f"{where}[{k!r}]")]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items against {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in _differences(x, y, f"{where}[{i}]")]
    if isinstance(a, str) and isinstance(b, str):
        return [] if _fields(a) == _fields(b) else [f"{where}: fields {_fields(a)} vs {_fields(b)}"]
    return [] if type(a) is type(b) else [f"{where}: {type(a).__name__} vs {type(b).__name__}"]


# Sentences whose languages fill in different fields, on purpose: English names the month
# (CLDR's 'September'), Vietnamese numbers it (tháng 9); quarters are Roman in Vietnamese.
OWN_FIELDS = {"PERIOD_WORDS['month']", "PERIOD_WORDS['quarter']"}


def test_both_languages_define_the_same_tables_with_the_same_keys():
    vi_tables, en_tables = _tables(vi), _tables(en)
    assert vi_tables.keys() == en_tables.keys()
    assert set(words.TABLES) <= vi_tables.keys()
    problems = [d for name in vi_tables
                for d in _differences(vi_tables[name], en_tables[name], name)
                if d.split(":")[0] not in OWN_FIELDS]
    assert problems == []


def test_every_table_is_offered_by_language():
    for name in _tables(vi):
        by_lang = getattr(words, name if name in words.TABLES else f"{name}_WORDS", None)
        if by_lang is None and name == "PEER_DEFAULTS":  # as the digest reads it
            assert words.PEER_DEFAULTS["province"] == {"name_vi": vi.PEER_DEFAULTS["province"],
                                                       "name_en": en.PEER_DEFAULTS["province"]}
            continue
        assert by_lang == {"vi": getattr(vi, name), "en": getattr(en, name)}, name
        assert tuple(by_lang) == LANGS


def test_every_task_kind_has_a_label_in_every_language():
    assert typing.get_args(Kind) == KINDS  # the plan schema accepts exactly these kinds
    assert {lang: list(KIND_LABELS[lang]) for lang in LANGS} == {lang: list(KINDS)
                                                                   for lang in LANGS}
    assert all(KIND_LABELS[lang][k] for lang in LANGS for k in KINDS)


def test_a_language_plantrack_does_not_speak_is_refused_naming_the_field():
    for lang in LANGS:
        check_lang(lang)
    with pytest.raises(BadInput, match=r"^--lang: 'fr' is not vi or en$"):
        check_lang("fr", "--lang")


def test_numbers_the_readers_way():
    assert [fmt_num(11441, lang) for lang in LANGS] == ["11.441", "11,441"]
    assert [fmt_num(1200.0, lang) for lang in LANGS] == ["1.200", "1,200"]
    assert [fmt_num(72.25, lang) for lang in LANGS] == ["72,2", "72.2"]  # one decimal, half-even
    assert [fmt_num(72.04, lang) for lang in LANGS] == ["72,0", "72.0"]  # exactly one
    assert [fmt_num(-1234.5, lang, signed=True) for lang in LANGS] == ["-1.234,5", "-1,234.5"]
    assert [fmt_num(v, "vi", signed=True) for v in (3, 0, 0.0)] == ["+3", "0", "0"]
    assert [fmt_num(None, lang) for lang in LANGS] == ["—", "—"]
    # a figure in a sentence or the `kpi` command: up to two decimals, no trailing zeros
    assert [fmt_figure(v, "vi") for v in (11441.0, 72.5, 72.25, 72.001)] == \
        ["11.441", "72,5", "72,25", "72"]
    assert [fmt_figure(v, "en") for v in (11441.0, 72.5, 72.25, 1200)] == \
        ["11,441", "72.5", "72.25", "1,200"]


def test_percentages_without_a_space_as_the_digest_writes_them():
    assert [fmt_pct(85.5, lang) for lang in LANGS] == ["85,5%", "85.5%"]
    assert [fmt_pct(72.46, lang) for lang in LANGS] == ["72,5%", "72.5%"]
    assert [fmt_pct(100.0, lang) for lang in LANGS] == ["100%", "100%"]
    assert [fmt_pct(-4.25, lang, signed=True) for lang in LANGS] == ["-4,2%", "-4.2%"]
    assert [fmt_pct(12.0, "vi", signed=True), fmt_pct(0.0, "vi", signed=True)] == ["+12%", "0%"]
    assert [fmt_whole_pct(0.855, lang) for lang in LANGS] == ["86%", "86%"]
    assert fmt_whole_pct(None) == "—"


def test_days_months_and_periods():
    assert fmt_date(dt.date(2024, 7, 5)) == fmt_date("2024-07-05") == "05/07/2024"
    assert fmt_date(None) == ""
    assert date_in_words(dt.date(2025, 1, 2), "Hòa Bình") == "Hòa Bình, ngày 02 tháng 01 năm 2025"
    assert date_in_words(dt.date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"
    assert [month_label("2024-09", lang) for lang in LANGS] == ["tháng 9/2024", "September 2024"]
    assert [period_label(p, "vi") for p in ("2024-07", "2024-Q3", "2024-H1", "2024-H2")] == \
        ["tháng 7/2024", "quý III/2024", "6 tháng đầu năm 2024", "6 tháng cuối năm 2024"]
    assert [period_label(p, "en") for p in ("2024-07", "2024-Q3", "2024-H1", "2024-H2")] == \
        ["July 2024", "Q3 2024", "first half of 2024", "second half of 2024"]
    assert [period_label(p, "vi") for p in ("2024-13", "2024-Q5", "once", "")] == \
        ["2024-13", "2024-Q5", "once", ""]


def test_importing_the_words_does_not_load_babel():
    """Babel is loaded on the first number written, so a command that writes none starts fast."""
    code = "import sys, tasks.words; print('babel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
