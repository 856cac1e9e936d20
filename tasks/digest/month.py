"""A month's digest, the use case every caller shares: the monthly flow, `digest`, the demo.

Compile the month from the record and the secretariat's notes for it (sections II–IV of the
report: config/notes/PLAN/YYYY-MM.md), write its files in the plan's digest language (unless a
language is asked for) — with the report as a Word document when asked —, and send them to the
plan's digest recipients once each. The flow
publishes the files between writing and sending; the command and the demo call the same steps.
Each working morning the scheduled flow asks `due_digests` which plans still owe last month's
digest to someone, so a missed first working day is caught up on the next one.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import month_bounds, previous_month, shift_month
from tasks.digest.compile import Digest, compile_digest
from tasks.digest.render import write_digest
from tasks.digest.send import recipients, send_digest, sending_day
from tasks.errors import BadInput
from tasks.notices.channels import SecretLookup, Sender
from tasks.notices.dispatch import DispatchReport
from tasks.notices.outbox import DIGEST, Db, sessions
from tasks.record.lookups import (
    agencies_by_code,
    is_live,
    plan_calendar,
    resolve_plan,
    resolve_plans,
)
from tasks.record.models import Agency, Message, Plan
from tasks.settings import CONFIG
from tasks.words import fold

NOTES = CONFIG / "notes"  # the secretariat's notes: NOTES/PLAN/YYYY-MM.md
# The report's sections the notes fill, by the first words of their heading (diacritics and
# case aside): "## Hạn chế, nguyên nhân", "## Nhiệm vụ trọng tâm tháng tới", "## Đề xuất, kiến nghị"
SECTIONS = {"limits": ("han che", "ton tai", "khuyet diem"), "next": ("nhiem vu", "phuong huong"),
            "proposals": ("de xuat", "kien nghi")}
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


@dataclass(frozen=True)
class MonthDigest:
    """A month's digest as written: the plan, the figures, the language and the files."""

    plan: Plan
    digest: Digest
    lang: str
    files: dict[str, Path]


def digest_lang(plan: Plan, lang: str | None = None) -> str:
    """The language asked for, else the plan's digest language, else Vietnamese (writing
    checks that it is one the templates have)."""
    return lang or plan.settings.get("digest", {}).get("lang") or "vi"


def _owing(s: Session, keys: Sequence[str], month: str) -> list[Plan]:
    first, last = month_bounds(month)
    return [p for p in resolve_plans(s, keys)
            if keys or is_live(s, p, first) or is_live(s, p, last)]


def month_plans(db: Db, keys: Sequence[str], month: str) -> list[str]:
    """The plans named, or else every plan live on the first or the last day of `month`: the
    plans that owe that month a digest."""
    with sessions(db)() as s:
        return [p.key for p in _owing(s, keys, month)]


def due_digests(db: Db, keys: Sequence[str], as_of: dt.date) -> list[str]:
    """The plans (named, or owing it) whose digest of the month before `as_of`'s is due and
    not yet claimed for each of its recipients.

    Due on any working day of the plan's calendar in the month after the digest's — from its
    first working day on — so a morning missed (the server down, or started after the run's
    hour) is caught up on the next one, and sent once (the claims). Only that month: a digest
    not sent during the month after it is left, and the record shows it never went.
    """
    month = previous_month(as_of)
    with sessions(db)() as s:
        plans = [p for p in _owing(s, keys, month) if plan_calendar(p).is_working_day(as_of)]
        agencies = agencies_by_code(s)
        return [p.key for p in plans if set(recipients(p, agencies)) - _claimed(s, p, month)]


def _claimed(s: Session, plan: Plan, month: str) -> set[str]:
    """The recipients whose message of the plan's digest of `month` is in the record, in any
    state (a failed one is retried by `retry_digests`, not claimed again)."""
    return set(s.execute(
        sa.select(col(Agency.code)).join(Message, col(Message.recipient_id) == col(Agency.id))
        .where(col(Message.kind) == DIGEST, col(Message.scope) == plan.key,
               col(Message.day) == sending_day(month))).scalars())


def notes_path(plan_key: str, month: str, folder: Path = NOTES) -> Path:
    return Path(folder) / plan_key / f"{month}.md"


def read_notes(path: Path) -> dict[str, Any]:
    """The secretariat's notes for a month's report: under each of its three headings
    (`SECTIONS`), paragraphs and list items ("- …", "1. …"), as {section: [{"kind": "p" or
    "li", "text": …}]}; {} when there is no such file. A heading it does not know, or text
    before the first heading, is refused (BadInput, naming the file and line), so that nothing
    written is silently left out of the report."""
    if not path.is_file():
        return {}
    notes: dict[str, list[dict[str, str]]] = {}
    section: str | None = None
    para: list[str] = []

    def flush() -> None:
        if para and section:
            notes[section].append({"kind": "p", "text": " ".join(para)})
        para.clear()

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            flush()
            title = fold(line.lstrip("#"))
            found = [k for k, starts in SECTIONS.items() if title.startswith(starts)]
            if not found:
                raise BadInput("{file}:{line}: unknown section “{title}” — the sections are: "
                               "Hạn chế, nguyên nhân; Nhiệm vụ trọng tâm tháng tới; Đề xuất, "
                               "kiến nghị", file=path, line=n, title=line.lstrip("#").strip())
            section = found[0]
            notes.setdefault(section, [])
        elif not line:
            flush()
        elif section is None:
            raise BadInput("{file}:{line}: text must come under a section (## Hạn chế, nguyên "
                           "nhân; ## Nhiệm vụ trọng tâm tháng tới; ## Đề xuất, kiến nghị)",
                           file=path, line=n)
        elif _ITEM.match(line):
            flush()
            notes[section].append({"kind": "li", "text": _ITEM.sub("", line)})
        elif raw[:1].isspace() and notes[section] and notes[section][-1]["kind"] == "li" \
                and not para:
            notes[section][-1]["text"] += " " + line  # a list item's continued line
        else:
            para.append(line)
    flush()
    return {k: v for k, v in notes.items() if v}


def write_month(db: Db, plan_key: str | None, month: str, out: Path,
                lang: str | None = None, docx: bool = False, notes: Path = NOTES,
                numbers: Path | None = None) -> MonthDigest:
    """Compile `month` ("YYYY-MM") with the secretariat's notes for it (`notes`/PLAN/MONTH.md)
    and write its files into out/PLAN/YYYY-MM/; with `docx`, the report as a Word document
    too, numbered from the register `numbers` (tasks.digest.docx)."""
    month_bounds(month)  # BadInput on a malformed month, before anything is read
    with sessions(db)() as s:
        plan = resolve_plan(s, plan_key, month_bounds(month)[1])
        digest = compile_digest(s, plan, month, read_notes(notes_path(plan.key, month, notes)))
    chosen = digest_lang(plan, lang)
    folder = Path(out) / plan.key / month
    files = write_digest(digest, folder, chosen)
    if docx:
        from tasks.digest.docx import NUMBERS, write_report

        files["docx"] = write_report(digest, folder, plan_calendar(plan),
                                     numbers=numbers or NUMBERS)
    return MonthDigest(plan, digest, chosen, files)


def send_month(db: Db, made: MonthDigest, now: dt.datetime, send: Sender | None = None,
               secret_lookup: SecretLookup | None = None) -> DispatchReport:
    """Send a written digest to each of the plan's digest recipients that has not had it."""
    return send_digest(db, made.plan, made.digest, made.files, now=now, lang=made.lang,
                       send=send, secret_lookup=secret_lookup)


def write_months(db: Db, plan_key: str | None, first: str, last: str, out: Path,
                 lang: str | None = None, docx: bool = False) -> Iterator[MonthDigest]:
    """Write every month from `first` to `last` ("YYYY-MM"), one after another."""
    month = first
    while month <= last:
        yield write_month(db, plan_key, month, out, lang, docx=docx)
        month = shift_month(month, 1)
