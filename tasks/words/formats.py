"""How plantrack writes numbers, percentages, days, months and periods for a reader, in one
place for every output (command line, messages, digest, workbooks, web), built on Babel's CLDR
data: digits grouped and decimals marked the reader's way (11.441 and 72,5 in Vietnamese;
11,441 and 72.5 in English), percentages in the language's own pattern (72,5%), English month
names from CLDR. Days are dd/mm/yyyy in every language, as Vietnamese offices write them; the
words of a period (tháng 7/2024, quý III/2024, 6 tháng cuối năm 2024) are each language's
`PERIOD_WORDS` (tasks/words/vi.py, en.py).

Babel is imported on the first number written, not with tasks.words (it costs ~25 ms, which a
command that prints no number should not pay); its locales and parsed patterns are kept once.
Numbers are handed to Babel as exact decimals of the floats (Decimal(v)), so rounding is the
same round-half-even of the true value that Python's own formatting does.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING

from tasks.words import en, vi

if TYPE_CHECKING:
    from babel.core import Locale
    from babel.numbers import NumberPattern

NOTHING = "—"  # a number or percentage there is none of


@cache
def locale(lang: str) -> Locale:
    """Babel's locale of a plantrack language, loaded once."""
    from babel.core import Locale

    return Locale.parse(lang)


@cache
def _pattern(lang: str, decimals: int, trim: bool, signed: bool, percent: bool) -> NumberPattern:
    """A number pattern, parsed once: grouped, `decimals` places (up to them when `trim`),
    '+' before a positive number when `signed`; a percentage in the language's own pattern."""
    from babel.numbers import parse_pattern

    places = ("#" if trim else "0") * decimals
    number = "#,##0" + (f".{places}" if places else "")
    if percent:  # the language's percent pattern ('#,##0%'), with our places
        number = re.sub(r"[#,0]*0(\.[0#]*)?", number, locale(lang).percent_formats[None].pattern,
                        count=1)
    return parse_pattern(f"+{number};-{number}" if signed else number)


def _written(v: float, lang: str, decimals: int, trim: bool = False, signed: bool = False,
             percent: bool = False) -> str:
    from decimal import Decimal

    exact = Decimal(v)  # the float's true value: rounds as Python's own formatting does
    text = _pattern(lang, decimals, trim, signed, percent).apply(
        exact.scaleb(-2) if percent else exact, locale(lang))
    return text.lstrip("+") if signed and v == 0 else text


def fmt_num(v: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """A number the reader's way: 11.441 / 85,5 in Vietnamese; 11,441 / 85.5 in English — a
    whole number without decimals, any other with exactly `decimals`; '—' for nothing."""
    if v is None:
        return NOTHING
    return _written(v, lang, 0 if float(v).is_integer() else decimals, signed=signed)


def fmt_figure(v: float, lang: str) -> str:
    """A figure as it was reported (KPI values in the `kpi` command, tasks.words.phrase.Figure in
    sentences): the reader's way with up to two decimals and no trailing zeros — 11.441 and 72,5
    in Vietnamese, 11,441 and 72.5 in English."""
    return _written(v, lang, 2, trim=True)


def fmt_pct(v: float | None, lang: str, signed: bool = False) -> str:
    """A percentage (85.5, not 0.855) the reader's way, one decimal: '85,5%' / '85.5%'."""
    if v is None:
        return NOTHING
    v = round(v, 1)
    return _written(v, lang, 0 if float(v).is_integer() else 1, signed=signed, percent=True)


def fmt_whole_pct(rate: float | None, lang: str = "vi") -> str:
    """A fraction as a whole percentage, '86%' (the same in both languages): the command line's
    status tables and the runs' artifacts."""
    return NOTHING if rate is None else _written(rate * 100, lang, 0, percent=True)


def fmt_date(d: dt.date | str | None) -> str:
    """A day (or an ISO day) as dd/mm/yyyy, in every language; '' for nothing."""
    if d is None:
        return ""
    return f"{dt.date.fromisoformat(d) if isinstance(d, str) else d:%d/%m/%Y}"


def date_in_words(day: dt.date, place: str = "") -> str:
    """A document's place and date as Vietnamese offices write them (Nghị định 30/2020/NĐ-CP,
    Hướng dẫn 36-HD/VPTW): 'Hòa Bình, ngày 02 tháng 01 năm 2025' — a day below 10 and the
    months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place + ', ' if place else ''}ngày {day.day:02d} tháng {month} năm {day.year}"


ROMAN = ("I", "II", "III", "IV")


def _period_words(lang: str) -> dict[str, str]:
    return vi.PERIOD_WORDS if lang == "vi" else en.PERIOD_WORDS


def month_label(month: str, lang: str) -> str:
    """A "YYYY-MM" month as 'tháng 9/2024' or 'September 2024' (CLDR's month name)."""
    y, m = int(month[:4]), int(month[5:7])
    template = _period_words(lang)["month"]
    name = locale(lang).months["stand-alone"]["wide"][m] if "{month_name}" in template else ""
    return template.format(year=y, month=m, month_name=name)


def period_label(period: str, lang: str) -> str:
    """A deadline's period as a reader writes it: '2024-09' → 'tháng 9/2024', '2024-Q3' →
    'quý III/2024', '2024-H2' → '6 tháng cuối năm 2024' (English: 'September 2024', 'Q3 2024',
    'second half of 2024'); anything else as it is."""
    y, _, rest = period.partition("-")
    if not (y.isdigit() and len(y) == 4):
        return period
    if rest.isdigit() and 1 <= int(rest) <= 12 and len(rest) == 2:
        return month_label(period, lang)
    if len(rest) == 2 and rest[0] == "Q" and rest[1] in "1234":
        q = int(rest[1])
        return _period_words(lang)["quarter"].format(year=y, quarter=q, roman=ROMAN[q - 1])
    if rest in ("H1", "H2"):
        return _period_words(lang)[rest].format(year=y)
    return period
