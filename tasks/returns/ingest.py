"""Taking in returns: every row of every file is checked first, then all of them are written in
one transaction, or nothing is and every problem is listed as FILE:SHEET:ROW: column: message.

What "the same file" means: a row's source_key is a hash of what the row says (the deadline or
KPI it is about and the values given), not of the file's bytes, name or row number. Re-saving a
workbook in Excel, renaming it, sorting its rows or importing it on another day adds nothing.
The other side of that choice: a row that repeats, word for word, a report imported earlier is
taken as a re-import even if a later report changed the record since; it is skipped and named
in `stale`, so a person can restate the old figure with a note or `plantrack report`.

A report counts from the import day (`on`), which is also the day status uses to tell what was
known when; a completion date in the row is kept as `completed_on` and decides on time / late.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import check_period, parse_month
from tasks.errors import (
    FIELD_PROBLEM,
    BadInput,
    ImportRefused,
    PlantrackError,
    char_name,
    unknown_agency,
    unseen,
    visible,
)
from tasks.kpi import check_value, latest_values, plan_kpis, rule_breaks
from tasks.record.appending import ReportIn, add_report
from tasks.record.lookups import report_order
from tasks.record.models import Agency, Deadline, KpiValue, Plan, Report, Task, id_of
from tasks.returns.cells import parse_day, parse_number, parse_percent, text
from tasks.returns.read import Problem, Row, read_return
from tasks.words import parse_status
from tasks.words.phrase import Phrase

# The field a core message starts with ("progress: …") → the column it is about.
_FIELD_OF = {"status": "status", "progress": "progress", "completed on": "completed_on",
             "evidence": "evidence", "agency": "agency", "part": "part",
             "period": "period", "value": "value"}


@dataclass
class ImportResult:
    files: int = 0
    reports: int = 0  # added
    kpi_values: int = 0  # added
    unchanged: int = 0  # rows that say what the record already holds
    stale: list[str] = field(default_factory=list)  # FILE:SHEET:ROW repeating a superseded row


def _key(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:40]


@dataclass
class _Pending:
    row: Row
    target: Any  # Deadline for a report; (agency, kpi, part, period) for a KPI value
    item: Any  # ReportIn, or the value
    key: str


class _Batch:
    """The rows of one import, checked against the record and against each other."""

    def __init__(self, s: Session, plan: Plan, on: dt.date):
        self.s, self.plan, self.on = s, plan, on
        self.problems: list[Problem] = []
        self.reports: dict[int, _Pending] = {}  # deadline id -> row
        self.values: dict[tuple, _Pending] = {}  # (agency, kpi, part, period) -> row
        self.duplicates = 0
        self.agencies = set(s.execute(sa.select(col(Agency.code))).scalars())
        self.kpis = plan_kpis(s, plan)
        self.tasks = set(s.execute(
            sa.select(col(Task.key)).where(col(Task.plan_id) == plan.id)).scalars())
        self.deadlines: dict[tuple, Deadline] = {}

    def load_deadlines(self, rows: list[Row]) -> None:
        """The deadlines of the agencies named in the files, in one query."""
        codes = {text(r.values.get("agency")) for r in rows} & self.agencies
        q = (sa.select(Deadline, col(Task.key), col(Agency.code))
             .join(Task, col(Task.id) == Deadline.task_id)
             .join(Agency, col(Agency.id) == Deadline.agency_id)
             .where(col(Task.plan_id) == self.plan.id, col(Agency.code).in_(codes)))
        for d, task, code in self.s.execute(q):
            self.deadlines[(task, code, d.rule_key, d.period)] = d

    def _field(self, row: Row, name: str, parse: Callable[[Any], Any]) -> Any:
        """The parsed value of one cell, None if blank; a problem (and None) if unreadable."""
        raw = row.values.get(name)
        if text(raw) == "":
            return None
        try:
            return parse(raw)
        except ValueError as exc:  # BadInput's words (translated), or another parser's
            self.problems.append(row.problem(
                name, exc.phrase if isinstance(exc, PlantrackError) else str(exc)))
            return None

    def _keys(self, row: Row) -> tuple[str, ...] | None:
        keys = tuple(text(row.values.get(c.field)) for c in row.layout.columns if c.key)
        names = [c.field for c in row.layout.columns if c.key]
        missing = [(n, k) for n, k in zip(names, keys, strict=True) if not k and n != "part"]
        for name, _ in missing:
            self.problems.append(row.problem(name, Phrase(
                "required: this column says what the row is about (copy it from the template)")))
        if not missing and keys[0] not in self.agencies:
            self.problems.append(row.problem("agency", unknown_agency(keys[0])))
            return None
        if missing:
            return None
        period = keys[names.index("period")]
        try:  # a KPI's period is a month; a deadline's any label plantrack makes
            parse_month(period) if row.layout.kind == "kpi" else check_period(period)
        except BadInput as exc:
            self.problems.append(row.problem("period", exc.phrase))
            return None
        for name, key in zip(names, keys, strict=True):
            if hidden := unseen(key):
                self.problems.append(row.problem(name, Phrase("'{key}'{unseen}",
                                                              key=visible(key), unseen=hidden)))
                return None
        return keys

    def _controls(self, row: Row, *names: str) -> bool:
        """A problem for each text cell holding a control character (tab and line breaks
        allowed); True if there was any."""
        found = False
        for name in names:
            value = text(row.values.get(name))
            bad = next((c for c in value if c < " " and c not in "\t\n\r" or
                        "\x7f" <= c <= "\x9f"), None)
            if bad is not None:
                self.problems.append(row.problem(name, Phrase(
                    "control character {char} in this cell: remove it", char=char_name(bad))))
                found = True
        return found

    def _bad_input(self, row: Row, exc: BadInput) -> None:
        """The problem under the column the core's field names ("progress: …"), else the row's."""
        said = exc.phrase
        field = said.values.get("field") if said.template == FIELD_PROBLEM else None
        name = _FIELD_OF.get(str(field)) if field is not None else None
        self.problems.append(row.problem(name, said.values["problem"]) if name
                             else row.problem("(row)", said))

    def _deadline(self, row: Row, agency: str, task: str, rule: str,
                  period: str) -> Deadline | None:
        d = self.deadlines.get((task, agency, rule, period))
        if d is not None:
            return d
        if task not in self.tasks:
            msg = Phrase("unknown task '{task}' in plan {plan}", task=task, plan=self.plan.key)
        elif not any(k[0] == task and k[1] == agency for k in self.deadlines):
            msg = Phrase("agency '{agency}' owes nothing on task '{task}' (wrong agency?)",
                         agency=agency, task=task)
        else:
            msg = Phrase("no deadline '{rule}' of task '{task}' for '{agency}' in period "
                         "'{period}'", rule=rule, task=task, agency=agency, period=period)
        self.problems.append(row.problem("task", msg))
        return None

    def report(self, row: Row) -> bool:
        """Check one deadline row; False if the agency left it blank (not reported)."""
        if all(text(row.values.get(c.field)) == "" for c in row.layout.columns if c.editable):
            return False
        keys = self._keys(row)
        status = self._field(row, "status", parse_status)
        if status is None and text(row.values.get("status")) == "":
            self.problems.append(row.problem("status", Phrase(
                "required: Hoàn thành or Đang thực hiện")))
        progress = self._field(row, "progress", parse_percent)
        completed = self._field(row, "completed_on", parse_day)
        if self._controls(row, "note", "evidence") or keys is None:
            return True
        agency, task, rule, period = keys
        d = self._deadline(row, agency, task, rule, period)
        if d is None or status is None:
            return True
        try:
            r = ReportIn(status, progress, text(row.values.get("note")),
                         text(row.values.get("evidence")), agency, self.on, completed,
                         row.source).checked(self.on)
        except BadInput as exc:
            self._bad_input(row, exc)
            return True
        r.source_key = _key("report", self.plan.key, task, agency, rule, period, r.status,
                            r.progress, r.note, r.evidence_url, r.completed_on)
        self._add(self.reports, d.id, _Pending(row, d, r, r.source_key))
        return True

    def value(self, row: Row) -> bool:
        """Check one KPI row; False if the value was left blank."""
        value = self._field(row, "value", parse_number)
        if value is None and text(row.values.get("value")) == "":
            return False
        keys = self._keys(row)
        if keys is None or value is None:
            return True
        agency, kpi, part, period = keys
        if kpi not in self.kpis:
            self.problems.append(row.problem("kpi", Phrase("unknown KPI '{kpi}' (known: {known})",
                                                           kpi=kpi, known=", ".join(self.kpis))))
            return True
        try:
            check_value(self.kpis[kpi], agency, part, period, value)
        except BadInput as exc:
            self._bad_input(row, exc)
            return True
        self._add(self.values, keys, _Pending(row, keys, value,
                                              _key("kpi", self.plan.key, *keys, repr(value))))
        return True

    def _add(self, into: dict, target: Any, p: _Pending) -> None:
        """One row per deadline or KPI cell in an import: the same twice is fine, different is
        ambiguous."""
        seen = into.get(target)
        if seen is None:
            into[target] = p
        elif seen.key == p.key:
            self.duplicates += 1
        else:
            what = Phrase("report") if p.row.layout.kind == "report" else Phrase("kpi")
            self.problems.append(p.row.problem("(row)", Phrase(
                "the same {what} is also given at {source} with other values: keep one",
                what=what, source=seen.row.source)))

    def check_kpi_rules(self) -> None:
        """Each agency's values for a period, merged with what the record holds, keep the rules."""
        groups: dict[tuple[str, str], list[_Pending]] = defaultdict(list)
        for (agency, _, _, period), p in self.values.items():
            groups[(agency, period)].append(p)
        for period in {per for _, per in groups}:
            agencies = [a for a, per in groups if per == period]
            known = latest_values(self.s, self.plan, self.on, period=period, agencies=agencies)
            for agency in agencies:
                merged = {(k, part): v for (a, k, part, _), v in known.items() if a == agency}
                pending = groups[(agency, period)]
                merged.update({(p.target[1], p.target[2]): p.item for p in pending})
                for kpi, message in rule_breaks(self.kpis, merged):
                    involved = {kpi, self.kpis[kpi].spec.get("at_most")}
                    rows = sorted((p.row for p in pending if p.target[1] in involved),
                                  key=lambda r: (r.values.get("kpi") != kpi, r.row))
                    if rows:
                        self.problems.append(rows[0].problem("value", message))


def _existing(s: Session, column: Any, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        found |= set(s.execute(sa.select(column).where(column.in_(keys[i:i + 500]))).scalars())
    return found


def _stale_reports(s: Session, skipped: list[_Pending], on: dt.date) -> list[str]:
    """Skipped rows whose report is no longer the deadline's latest: a later one superseded it."""
    ids = [p.target.id for p in skipped]
    latest: dict[int, str | None] = {}
    for i in range(0, len(ids), 500):
        q = (sa.select(col(Report.deadline_id), col(Report.source_key))
             .where(col(Report.deadline_id).in_(ids[i:i + 500]), col(Report.reported_on) <= on)
             .order_by(*report_order()))
        latest.update(dict(s.execute(q).all()))
    return [p.row.source for p in skipped if latest.get(p.target.id) != p.key]


def _stale_values(s: Session, plan: Plan, batch: _Batch, have: set[str], on: dt.date
                  ) -> list[str]:
    skipped = [p for p in batch.values.values() if p.key in have]
    out = []
    for period in {p.target[3] for p in skipped}:
        latest = latest_values(s, plan, on, period=period,
                               agencies={p.target[0] for p in skipped})
        out += [p.row.source for p in skipped
                if p.target[3] == period and latest.get(p.target) != p.item]
    return out


def import_returns(s: Session, plan: Plan, files: list[Path | str], on: dt.date) -> ImportResult:
    """Read, check and write the returns in `files` as reported on `on`; ImportRefused lists
    every problem and nothing is written."""
    batch, order = _Batch(s, plan, on), {str(f): i for i, f in enumerate(files)}
    reads = [read_return(f) for f in files]
    rows = [r for fr in reads for r in fr.rows]
    batch.load_deadlines(rows)
    for f, fr in zip(files, reads, strict=True):
        batch.problems += fr.problems
        filled = [batch.report(r) if r.layout.kind == "report" else batch.value(r)
                  for r in fr.rows]
        if not fr.problems and not any(filled):
            batch.problems.append(Problem(str(f), "", 0, "(file)", Phrase(
                "nothing filled in: every status and value is blank")))
    batch.check_kpi_rules()
    if batch.problems:
        raise ImportRefused(sorted(batch.problems, key=lambda p: (order.get(p.file, 0), p.sheet,
                                                                  p.row, p.column)))
    have = _existing(s, Report.source_key, [p.key for p in batch.reports.values()])
    have |= _existing(s, KpiValue.source_key, [p.key for p in batch.values.values()])
    result = ImportResult(files=len(files), unchanged=batch.duplicates)
    skipped = [p for p in batch.reports.values() if p.key in have]
    result.stale = _stale_reports(s, skipped, on) + _stale_values(s, plan, batch, have, on)
    result.unchanged += len(skipped) + sum(p.key in have for p in batch.values.values())
    kpi_ids = {k: id_of(v) for k, v in batch.kpis.items()}
    agency_ids: dict[str, int] = dict(s.execute(sa.select(col(Agency.code), col(Agency.id))).all())
    try:
        for p in batch.reports.values():
            if p.key not in have:
                add_report(s, p.target, p.item, on)
                result.reports += 1
        new = [KpiValue(kpi_id=kpi_ids[kpi], agency_id=agency_ids[agency], period=period,
                        part=part, value=p.item, reported_on=on, source=p.row.source,
                        source_key=p.key)
               for (agency, kpi, part, period), p in batch.values.items() if p.key not in have]
        s.add_all(new)
        s.flush()
    except sa.exc.IntegrityError as exc:
        raise BadInput("another import wrote some of these rows at the same moment; nothing "
                       "was imported: run the command again") from exc
    result.kpi_values = len(new)
    return result

