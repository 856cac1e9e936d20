"""The one home of the words people read and of how numbers, days and months are written,
in Vietnamese and English (each language's words side by side, so a translator edits one file),
and of reading the words people type.

The words themselves live in one module per language, tasks/words/vi.py and tasks/words/en.py,
each with the same tables (tests/test_words.py checks it); here each table is offered by
language, `CATEGORY_LABELS[lang][key]`. How numbers, percentages, days, months and periods are
written — the reader's way, on Babel — is tasks/words/formats.py, offered here too.
"""
from __future__ import annotations

import unicodedata
from typing import Literal, TypeVar, get_args

from tasks.words import en, vi
from tasks.words.formats import NOTHING as NOTHING
from tasks.words.formats import date_in_words as date_in_words
from tasks.words.formats import fmt_date as fmt_date
from tasks.words.formats import fmt_figure as fmt_figure
from tasks.words.formats import fmt_num as fmt_num
from tasks.words.formats import fmt_pct as fmt_pct
from tasks.words.formats import fmt_whole_pct as fmt_whole_pct
from tasks.words.formats import month_label as month_label
from tasks.words.formats import period_label as period_label

Lang = Literal["vi", "en"]
LANGS: tuple[str, ...] = get_args(Lang)  # ("vi", "en")
# The kinds of task a plan may use, in the order every table lists them.
Kind = Literal["leadership", "committee", "admin-reform", "coordination", "inspection"]
KINDS: tuple[str, ...] = get_args(Kind)


def catalog(lang: str) -> dict[str, str]:
    """The translations of the code's English sentences into `lang` (none for English)."""
    return vi.MESSAGES if lang == "vi" else {}


def office_lang() -> str:
    """The language plantrack speaks when nobody asked (run logs, the Prefect UI's artifacts):
    PLANTRACK_LANG when it is one plantrack speaks, else Vietnamese."""
    from tasks.settings import default_lang

    chosen = default_lang()
    return chosen if chosen in LANGS else "vi"


def check_lang(lang: str, field: str = "lang") -> None:
    """BadInput unless plantrack speaks `lang`, naming the field it came from."""
    from tasks.errors import BadInput  # errors build on tasks.words.phrase
    from tasks.words.phrase import either

    if lang not in LANGS:
        raise BadInput("{field}: '{lang}' is not {choices}", field=field, lang=lang,
                       choices=either(LANGS))


_W = TypeVar("_W")


def _by_lang(vi_words: _W, en_words: _W) -> dict[str, _W]:
    """One table of words offered by language: `TABLE[lang][key]`."""
    return {"vi": vi_words, "en": en_words}


# The tables of tasks/words/vi.py and en.py by language.
TABLES: tuple[str, ...] = (
    "CATEGORY_LABELS", "REPORT_STATUS_LABELS", "ROLE_LABELS", "KIND_LABELS", "TABLE_TITLES",
    "TABLE_LABELS", "SUMMARY_LABELS", "CHART_LABELS", "COMMAND_WORDS", "STATUS_WORDS",
    "RETURNS_WORDS", "WEB_WORDS", "FAILURE_WORDS", "PERIOD_WORDS", "ARTIFACT_WORDS",
)
CATEGORY_LABELS = _by_lang(vi.CATEGORY_LABELS, en.CATEGORY_LABELS)
REPORT_STATUS_LABELS = _by_lang(vi.REPORT_STATUS_LABELS, en.REPORT_STATUS_LABELS)
ROLE_LABELS = _by_lang(vi.ROLE_LABELS, en.ROLE_LABELS)
KIND_LABELS = _by_lang(vi.KIND_LABELS, en.KIND_LABELS)
TABLE_TITLES = _by_lang(vi.TABLE_TITLES, en.TABLE_TITLES)
TABLE_LABELS = _by_lang(vi.TABLE_LABELS, en.TABLE_LABELS)
SUMMARY_LABELS = _by_lang(vi.SUMMARY_LABELS, en.SUMMARY_LABELS)
CHART_LABELS = _by_lang(vi.CHART_LABELS, en.CHART_LABELS)
COMMAND_WORDS = _by_lang(vi.COMMAND_WORDS, en.COMMAND_WORDS)
STATUS_WORDS = _by_lang(vi.STATUS_WORDS, en.STATUS_WORDS)
RETURNS_WORDS = _by_lang(vi.RETURNS_WORDS, en.RETURNS_WORDS)
WEB_WORDS = _by_lang(vi.WEB_WORDS, en.WEB_WORDS)
FAILURE_WORDS = _by_lang(vi.FAILURE_WORDS, en.FAILURE_WORDS)
PERIOD_WORDS = _by_lang(vi.PERIOD_WORDS, en.PERIOD_WORDS)
ARTIFACT_WORDS = _by_lang(vi.ARTIFACT_WORDS, en.ARTIFACT_WORDS)
# The command line's help pages and usage errors (flows/cli/app.py `speak`).
HELP_WORDS = _by_lang(vi.HELP, en.HELP)
SCREEN_WORDS = _by_lang(vi.SCREEN, en.SCREEN)
USAGE_WORDS = _by_lang(vi.USAGE, en.USAGE)
# The digest's groups of agencies when a plan names none (`peers:`), as compile reads them.
PEER_DEFAULTS = {level: {"name_vi": vi.PEER_DEFAULTS[level], "name_en": name}
                 for level, name in en.PEER_DEFAULTS.items()}


def plan_reference(title: str, lang: str) -> str:
    """How a sentence names a plan by its title: 'Kế hoạch nhiệm vụ trọng tâm …' (a title that
    already starts with 'Kế hoạch' as it is), 'the plan “…”'."""
    if not title.strip():
        return "Kế hoạch" if lang == "vi" else "the plan"
    if lang != "vi":
        return title if title.lower().startswith("plan") else f"the plan “{title}”"
    if fold(title).startswith("ke hoach"):
        return title
    first = title[:1].lower() if title[1:2].islower() else title[:1]
    return f"Kế hoạch {first}{title[1:]}"


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), so 'Hoàn thành' and 'hoan thanh' compare equal."""
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn")
                    .replace("_", " ").replace("-", " ").split())


_STATUS_WORDS = {
    "done": "done", "hoan thanh": "done", "da hoan thanh": "done", "xong": "done",
    "in progress": "in_progress", "dang thuc hien": "in_progress", "dang lam": "in_progress",
    "chua hoan thanh": "in_progress",
}


def parse_status(text: str) -> str:
    """'done' or 'in_progress' from what a person typed; BadInput names the allowed words."""
    from tasks.errors import BadInput

    hit = _STATUS_WORDS.get(fold(text))
    if hit is None:
        raise BadInput("unknown status '{text}' (use: hoàn thành, đang thực hiện; or done, "
                       "in_progress)", text=text)
    return hit
