"""Every exception the core raises for something that is not a bug.

Each is a `PlantrackError`: bad input, a name the record does not have, a refused change, a
channel with nothing to send through. The command line turns any of them into one line and
exit 2; anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tasks.words.phrase import Phrase


def unknown_agency(code: str) -> Phrase:
    """How every part of plantrack says that a code is not in the agency directory (an invisible
    character in it named, never printed raw)."""
    return Phrase("unknown agency '{code}'{unseen}", code=visible(code), unseen=unseen(code))


FIELD_PROBLEM = "{field}: {problem}"  # the template of `named`


def named(field: Any, problem: Any) -> Any:
    """'FIELD: problem' (a phrase) when `field` (a word, an option, a phrase) is given, else the
    problem as it is."""
    return Phrase("{field}: {problem}", field=field, problem=problem) if field else problem


class PlantrackError(Exception):
    """Something a person can fix: the message says what is wrong and what to do. It is kept as
    an English template and its values (tasks.words.phrase) and said in the reader's language
    by `said(lang)`; str() is English."""

    def __init__(self, message: Any = "", /, **values: Any):
        self.phrase = message if isinstance(message, Phrase) else Phrase(str(message), **values)
        super().__init__(str(self.phrase))

    def said(self, lang: str) -> str:
        return self.phrase.said(lang)


class NotFound(PlantrackError):
    """A plan, task or agency that the record does not have."""


class EmptyRecord(NotFound):
    """A record with no tables (a fresh file, a database nobody migrated) or no file at all;
    the message says what to run."""


class BadInput(PlantrackError, ValueError):
    """Input that names nothing in the record or breaks a rule; nothing was written."""


class LoadRefused(PlantrackError):
    """A plan change that would lose reports; nothing was written."""


class Invalid(PlantrackError):
    """Every problem found in some files, each printed on a line of its own."""

    def __init__(self, problems: Sequence[Any], summary: Phrase | None = None):
        self.problems = list(problems)
        self.summary = summary
        super().__init__(summary or "\n".join(map(str, self.problems)))

    def said(self, lang: str) -> str:
        return self.summary.said(lang) if self.summary else "\n".join(self.lines(lang))

    def lines(self, lang: str) -> list[str]:
        """Each problem on a line of its own, in `lang`."""
        return [p.said(lang) for p in self.problems]


class PlanInvalid(Invalid):
    """A plan file (or its agency directory) that does not validate: its problems in file
    order (the plan file, then its directory) and line order, each once."""

    def __init__(self, problems: Sequence[Any]):
        once = list({str(p): p for p in problems}.values())
        files = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in once))}
        super().__init__(sorted(once, key=lambda p: (files[p.file], p.line)))


class ImportRefused(Invalid):
    """Returns that were not imported; `problems` lists every one found."""

    def __init__(self, problems: Sequence[Any]):
        problems = list({str(p): p for p in problems}.values())  # each once
        super().__init__(problems, Phrase("{n} problem(s); nothing imported", n=len(problems)))


class NoChannel(PlantrackError):
    """An agency with no usable channel; the message names what to set."""


class TooManyRows(PlantrackError):
    """A return with more rows than any agency's return can have."""


class Unavailable(PlantrackError):
    """Not the input but the environment: a record that cannot be opened or is not a record, a
    server that cannot be reached or refuses, a place that cannot be written. `key` names its
    words in tasks.words.FAILURE_WORDS (both languages); str() is the English line."""

    def __init__(self, key: str, **values: Any):
        self.key, self.values = key, values
        super().__init__(key)

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        from tasks.words import FAILURE_WORDS  # words imports this module

        return FAILURE_WORDS[lang][self.key].format(**self.values)


class CannotWrite(Unavailable):
    """A file or folder plantrack was asked to write (--out, --sink, --record, the record's
    folder) that cannot be written; checked before anything is recorded."""


# Characters a person cannot see: control characters, and the invisible format characters
# (zero-width space, the direction marks, a byte-order mark) that slip in when text is copied.
_C0_NAMES = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
             "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
             "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
             "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO",
             "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
             "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM",
             "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
             "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")


def char_name(c: str) -> str:
    """'U+200B ZERO WIDTH SPACE': a character as a message names it."""
    import unicodedata

    code = ord(c)
    name = (_C0_NAMES[code] if code < 32 else "DELETE" if code == 127
            else "a control character" if 0x80 <= code < 0xA0 else unicodedata.name(c, ""))
    return f"U+{code:04X} {name}".rstrip()


def invisible(c: str) -> bool:
    """A control character or an invisible format character (category Cc, Cf, Co, Cn, Zl, Zp),
    or a space other than the plain one."""
    import unicodedata

    cat = unicodedata.category(c)
    return cat in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp") or (cat == "Zs" and c != " ")


def visible(text: str) -> str:
    """`text` with every invisible character written as <U+200B ZERO WIDTH SPACE>, so that a
    message never prints one raw (it would look like nonsense, or like nothing at all)."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<{char_name(c)}>" if invisible(c) else c for c in text)


def unseen(text: str) -> Phrase | str:
    """' (it contains U+200B ZERO WIDTH SPACE, which cannot be seen: type it again)' (a phrase)
    when `text` holds invisible characters, else ''."""
    hidden = list(dict.fromkeys(c for c in text if invisible(c)))
    if not hidden:
        return ""
    return Phrase(" (it contains {chars}, which cannot be seen: type it again)",
                  chars=", ".join(map(char_name, hidden)))
