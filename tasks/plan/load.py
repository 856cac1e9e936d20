"""Write a validated plan to the record in one transaction, and say what changed.

Loading the same file twice changes nothing. Anything that would lose reports (removing a task
or a deadline that agencies have already reported on) is refused and nothing is written.
Agencies, assignments and new deadlines — a national plan has thousands, or a hundred
thousand, of each — are written by Core executemany on the session's connection: as ORM
objects they took twice as long as the rest of loading (2.4 s against 1.2 s). The plan, its
tasks and KPIs, a few rows each, stay ORM objects.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tasks.errors import LoadRefused
from tasks.plan.validate import PlanSpec, task_hash, triggers
from tasks.record.models import Agency, Assignment, Deadline, Event, Kpi, Plan, Report, Task, id_of


@dataclass
class Changes:
    counts: Counter = field(default_factory=Counter)  # ("tasks", "added") -> n

    def add(self, what: str, how: str, n: int = 1) -> None:
        if n:
            self.counts[(what, how)] += n

    @property
    def changed(self) -> bool:
        return bool(self.counts)

    def as_dict(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for what in ("agencies", "plan", "tasks", "deadlines", "kpis"):
            out[what] = {how: self.counts[(what, how)] for how in ("added", "changed", "removed")}
        return out


def _sync_agencies(s: Session, spec: PlanSpec, ch: Changes) -> dict[str, int]:
    s.flush()  # the Core statements below see (and are seen by) the session's own changes
    conn = s.connection()
    have = {a.code: a for a in conn.execute(sa.select(Agency))}
    new, changed = [], []
    for a in spec.directory.agencies:
        values: dict[str, Any] = dict(
            name_vi=a.name_vi, name_en=a.name_en, level=a.level, parent_code=a.parent,
            notify=a.notify, via_code=a.via,
            channels=[c.model_dump(exclude_none=True) for c in a.channels])
        row = have.get(a.code)
        if row is None:
            new.append(dict(code=a.code, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            changed.append(dict(agency_id=row.id, **values))
    if new:
        conn.execute(sa.insert(Agency), new)
        ch.add("agencies", "added", len(new))
    if changed:
        conn.execute(sa.update(Agency).where(col(Agency.id) == sa.bindparam("agency_id")),
                     changed)
        ch.add("agencies", "changed", len(changed))
        s.expire_all()  # agencies the session holds are read again
    return {a.code: id_of(a) for a in conn.execute(sa.select(col(Agency.code), col(Agency.id)))}


def _sync_plan(s: Session, spec: PlanSpec, ch: Changes) -> Plan:
    p = spec.plan
    values: dict[str, Any] = dict(
        title_vi=p.title_vi, title_en=p.title_en, issued_on=p.issued_on,
        period_start=p.period.start, period_end=p.period.end, source_file=Path(spec.file).name,
        settings=spec.settings())
    row = s.exec(select(Plan).where(Plan.key == p.key)).first()
    if row is None:
        row = Plan(key=p.key, content_hash=spec.content_hash, **values)
        s.add(row)
        ch.add("plan", "added")
    elif row.content_hash != spec.content_hash or any(
            getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        row.content_hash = spec.content_hash
        ch.add("plan", "changed")
    s.flush()
    return row


def _has_reports(s: Session, deadline_ids: Sequence[int | None]) -> bool:
    return bool(deadline_ids) and s.exec(
        select(Report.id).where(col(Report.deadline_id).in_(deadline_ids)).limit(1)
    ).first() is not None


def _sync_tasks(s: Session, spec: PlanSpec, plan: Plan, agencies: dict[str, int],
                ch: Changes) -> dict[str, int]:
    have = {t.key: t for t in s.exec(select(Task).where(Task.plan_id == plan.id))}
    want = {t.spec.key for t in spec.tasks}
    gone = [t for k, t in have.items() if k not in want]
    if gone:
        ids = [t.id for t in gone]
        dl = list(s.exec(select(Deadline.id).where(col(Deadline.task_id).in_(ids))))
        if _has_reports(s, dl):
            raise LoadRefused("refusing to remove tasks that have reports: {tasks}",
                              tasks=", ".join(t.key for t in gone))
        s.execute(sa.delete(Deadline).where(col(Deadline.task_id).in_(ids)))
        s.execute(sa.delete(Assignment).where(col(Assignment.task_id).in_(ids)))
        s.execute(sa.delete(Task).where(col(Task.id).in_(ids)))
        ch.add("tasks", "removed", len(gone))
        ch.add("deadlines", "removed", len(dl))
    owners: list[tuple[Task, dict[str, str]]] = []  # added or changed: owners written anew
    for t in spec.tasks:
        h = task_hash(t)
        row = have.get(t.spec.key)
        if row is not None and row.content_hash == h:
            continue
        if row is None:
            row = Task(plan_id=id_of(plan), key=t.spec.key, content_hash=h, **t.content())
            s.add(row)
            have[t.spec.key] = row
            ch.add("tasks", "added")
        else:
            for k, v in t.content().items():
                setattr(row, k, v)
            row.content_hash = h
            ch.add("tasks", "changed")
        owners.append((row, {c: "coordinating" for c in t.coordinating}
                       | {c: "lead" for c in t.lead}))
    s.flush()
    if owners:
        ids = [id_of(row) for row, _ in owners]
        s.execute(sa.delete(Assignment).where(col(Assignment.task_id).in_(ids)))
        s.connection().execute(sa.insert(Assignment), [
            dict(task_id=tid, agency_id=agencies[c], role=r)
            for tid, (_, roles) in zip(ids, owners, strict=True) for c, r in roles.items()])
    return {k: id_of(t) for k, t in have.items() if k in want}


def _sync_deadlines(s: Session, spec: PlanSpec, tasks: dict[str, int], agencies: dict[str, int],
                    ch: Changes) -> None:
    ids = list(tasks.values())
    rows = s.execute(select(Deadline).where(col(Deadline.task_id).in_(ids),
                                            col(Deadline.event_id).is_(None))).scalars().all()
    have = {(r.task_id, r.agency_id, r.rule_key, r.period): r for r in rows}
    fields = ("role", "title_vi", "title_en", "opens_on", "nominal_on", "due_on")
    new = []
    for d in spec.deadlines:
        key = (tasks[d.task_key], agencies[d.agency], d.rule_key, d.period)
        row = have.pop(key, None)
        if row is None:
            new.append(dict(task_id=key[0], agency_id=key[1], rule_key=d.rule_key,
                            period=d.period, **{f: getattr(d, f) for f in fields}))
        elif any(getattr(row, f) != getattr(d, f) for f in fields):
            for f in fields:
                setattr(row, f, getattr(d, f))
            ch.add("deadlines", "changed")
    if have:
        stale = [r.id for r in have.values()]
        if _has_reports(s, stale):
            raise LoadRefused("refusing to remove {n} deadlines that have reports", n=len(stale))
        s.execute(sa.delete(Deadline).where(col(Deadline.id).in_(stale)))
        ch.add("deadlines", "removed", len(stale))
    if new:
        s.flush()
        s.connection().execute(sa.insert(Deadline), new)
        ch.add("deadlines", "added", len(new))


def _sync_triggered(s: Session, spec: PlanSpec, tasks: dict[str, int], ch: Changes) -> None:
    """Move each event-triggered deadline to its rule's `within` working days after its event,
    on the plan's calendar as loaded now: a changed day off or `within` moves it as it moves a
    dated one. Nominal and due day are one, as when the event was recorded."""
    within = {(t["task"], t["rule"]): t["within"] for t in triggers(spec.tasks)}
    key_of = {i: k for k, i in tasks.items()}
    rows = s.execute(sa.select(Deadline, col(Event.occurred_on))
                     .join(Event, col(Event.id) == col(Deadline.event_id))
                     .where(col(Deadline.task_id).in_(list(tasks.values())))).all()
    for row, on in rows:
        n = within.get((key_of[row.task_id], row.rule_key))
        if n is None:  # its rule is no longer in the plan: left as it was
            continue
        due = spec.calendar.add_working_days(on, n)
        if (row.nominal_on, row.due_on) != (due, due):
            row.nominal_on = row.due_on = due
            ch.add("deadlines", "changed")


def _sync_kpis(s: Session, spec: PlanSpec, plan: Plan, ch: Changes) -> None:
    have = {k.key: k for k in s.exec(select(Kpi).where(Kpi.plan_id == plan.id))}
    for k in spec.plan.kpis:
        values: dict[str, Any] = dict(
            name_vi=k.name_vi, name_en=k.name_en, unit=k.unit,
            spec=k.model_dump(mode="json", exclude={"key", "name_vi", "name_en", "unit"}))
        row = have.pop(k.key, None)
        if row is None:
            s.add(Kpi(plan_id=id_of(plan), key=k.key, **values))
            ch.add("kpis", "added")
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            ch.add("kpis", "changed")
    for row in have.values():
        s.delete(row)
        ch.add("kpis", "removed")


def load(s: Session, spec: PlanSpec) -> Changes:
    """Bring the record in line with `spec`; the caller's transaction makes it all-or-nothing."""
    ch = Changes()
    agencies = _sync_agencies(s, spec, ch)
    plan = _sync_plan(s, spec, ch)
    tasks = _sync_tasks(s, spec, plan, agencies, ch)
    _sync_deadlines(s, spec, tasks, agencies, ch)
    _sync_triggered(s, spec, tasks, ch)
    _sync_kpis(s, spec, plan, ch)
    s.flush()
    return ch


def load_file(path, url: str | None = None) -> dict[str, dict[str, int]]:
    """Validate a plan file, migrate the database if needed, and load it in one transaction."""
    from tasks.plan.validate import validate
    from tasks.record.store import session, upgrade

    spec = validate(path)
    upgrade(url)
    with session(url) as s:
        return load(s, spec).as_dict()
