"""Plan files: read, validate with FILE:LINE errors, and expand into rows for the record."""
from __future__ import annotations

import calendar as pycal
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tasks.calendar import WorkCalendar
from tasks.errors import PlanInvalid, unknown_agency
from tasks.plan.schema import DEFAULT_POLICY, AgencyIn, DirectoryIn, PlanIn, Policy, TaskIn
from tasks.plan.source import Problem, Source, dotted, read


@dataclass
class FlatTask:
    """A task or subtask with everything it inherits resolved."""

    spec: TaskIn
    path: tuple
    position: int
    kind: str
    parent: str | None
    lead: list[str]
    coordinating: list[str]
    policy: dict[str, Any]

    def content(self) -> dict[str, Any]:
        s = self.spec
        return {
            "kind": self.kind, "parent_key": self.parent, "position": self.position,
            "title_vi": s.title_vi, "title_en": s.title_en, "text_vi": s.text_vi,
            "documents": [d.model_dump(mode="json") for d in s.documents],
            "reminder_policy": self.policy,
        }


@dataclass
class DeadlineRow:
    task_key: str
    agency: str
    role: str
    rule_key: str
    period: str
    title_vi: str
    title_en: str
    opens_on: dt.date
    nominal_on: dt.date
    due_on: dt.date


@dataclass
class PlanSpec:
    """A validated plan, ready to be written to the record."""

    file: str
    plan: PlanIn
    directory: DirectoryIn
    tasks: list[FlatTask]
    deadlines: list[DeadlineRow]
    content_hash: str
    calendar: WorkCalendar = field(repr=False)
    warnings: list[Problem] = field(default_factory=list)  # valid, but likely not meant

    def settings(self) -> dict[str, Any]:
        p = self.plan
        return {
            "issued_by": p.issued_by, "source": p.source,
            "days_off": [d.model_dump(mode="json") for d in p.days_off],
            "reminders": merge_policy(DEFAULT_POLICY, p.reminders),
            "digest": p.digest.model_dump(mode="json"),
            "events": [e.model_dump(mode="json") for e in p.events],
            "triggers": triggers(self.tasks),
        }


def merge_policy(base: Policy | dict, *overrides: Policy | None) -> dict[str, Any]:
    out = base if isinstance(base, dict) else base.model_dump()
    out = dict(out)
    for o in overrides:
        if o is not None:
            out.update({k: v for k, v in o.model_dump().items() if v is not None})
    return out


def triggers(tasks: list[FlatTask]) -> list[dict[str, Any]]:
    """Event-triggered deadline rules, kept with the plan so that events can create deadlines."""
    return [
        {"task": t.spec.key, "rule": r.key, "event": r.triggered_by.event,
         "within": r.triggered_by.within_working_days, "owed_by": list(r.owed_by),
         "title_vi": r.title_vi, "title_en": r.title_en}
        for t in tasks for r in t.spec.deadlines if r.triggered_by
    ]


def _pydantic(src: Source, model, base: tuple = ()) -> Any:
    try:
        return model.model_validate(src.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = base + tuple(p for p in err["loc"] if not str(p).startswith("function-"))
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = "required field is missing"
            elif err["type"] == "extra_forbidden":
                msg = "unknown field"
            if {"monthly", "quarterly", "triggered_by"} & set(map(str, loc)):
                msg = f"bad recurrence: {msg}"
            src.problem(loc, msg)
        return None


def read_directory(path: Path) -> tuple[Source, DirectoryIn | None]:
    src = read(path)
    if src.data is None:
        return src, None
    directory = _pydantic(src, DirectoryIn)
    if directory:
        codes: set[str] = set()
        for i, a in enumerate(directory.agencies):
            if a.code in codes:
                src.problem(("agencies", i, "code"), f"duplicate agency code '{a.code}'")
            codes.add(a.code)
        by_code = {a.code: a for a in directory.agencies}
        for i, a in enumerate(directory.agencies):
            if a.parent:
                _known(src, ("agencies", i, "parent"), [a.parent], codes)
            if a.via and (problem := _via_problem(a.code, a.via, by_code)):
                src.problem(("agencies", i, "via"), problem)
    return src, directory


def _via_problem(code: str, via: str, by_code: dict[str, AgencyIn]) -> str | None:
    """What is wrong with `via`, if anything: it names another agency of the directory, one
    that is notified and reached directly — so a chain, and with it a loop, cannot happen."""
    to = by_code.get(via)
    if to is None:
        return unknown_agency(via)
    if via == code:
        return f"'{code}' cannot be reached via itself"
    if to.via:
        return (f"'{via}' is itself reached via '{to.via}': name the agency that receives "
                "the messages")
    if not to.notify:
        return f"'{via}' is never notified (notify: false): name an agency that is"
    return None


def _flatten(plan: PlanIn) -> list[FlatTask]:
    """Every task in file order with what it inherits from its parent: the task it is nested in,
    or the one its `parent:` names, wherever that is written. Both forms give the same FlatTask."""
    placed: list[tuple[TaskIn, tuple, str | None]] = []  # (task, path, the task it is nested in)

    def walk(tasks: list[TaskIn], path: tuple, nest: str | None) -> None:
        for i, t in enumerate(tasks):
            placed.append((t, path + (i,), nest))
            walk(t.subtasks, path + (i, "subtasks"), t.key)

    walk(plan.tasks, ("tasks",), None)
    first: dict[str, int] = {}  # a duplicate key (reported) is inherited from as the first
    for position, (t, _, _) in enumerate(placed):
        first.setdefault(t.key, position)
    loops = _loops({t.key: t.parent or nest for t, _, nest in placed})
    done: dict[int, FlatTask] = {}

    def flat(position: int, below: frozenset[int]) -> FlatTask:
        if position in done:
            return done[position]
        t, path, nest = placed[position]
        # A `parent:` that loops (reported) is not followed, so that the loop is the one problem.
        above = nest if t.key in loops else t.parent or nest
        up = first.get(above) if above else None
        below = below | {position}
        parent = flat(up, below) if up is not None and up not in below else None
        done[position] = FlatTask(
            spec=t, path=path, position=position, parent=t.parent or nest,
            kind=t.kind or (parent.kind if parent else ""),
            lead=t.lead if t.lead is not None else (parent.lead if parent else []),
            coordinating=t.coordinating if t.coordinating is not None
            else (parent.coordinating if parent else []),
            policy=merge_policy(parent.policy if parent else
                                merge_policy(DEFAULT_POLICY, plan.reminders), t.reminders),
        )
        return done[position]

    return [flat(i, frozenset()) for i in range(len(placed))]


def _loops(parent: dict[str, str | None]) -> set[str]:
    """The tasks that are their own ancestors."""
    out = set()
    for start in parent:
        seen: set[str] = set()
        key: str | None = start
        while key is not None and key not in seen:
            seen.add(key)
            key = parent.get(key)
        if key == start:
            out.add(start)
    return out


def _months(start: dt.date, end: dt.date) -> Iterator[tuple[int, int]]:
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _day(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, min(d, pycal.monthrange(y, m)[1]))


def occurrences(rule, start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(period label, opens on, nominal date) of every occurrence of a non-triggered rule."""
    if rule.date:
        return [(rule.period or f"{rule.date:%Y-%m-%d}", rule.opens or start, rule.date)]
    out = []
    if rule.monthly:
        mo = rule.monthly
        for y, m in _months(start, end):
            label = f"{y}-{m:02d}"
            if (mo.start and label < mo.start) or (mo.end and label > mo.end):
                continue
            nominal = _day(y, m, mo.day)
            if start <= nominal <= end:
                out.append((label, dt.date(y, m, 1), nominal))
    if rule.quarterly:
        q = rule.quarterly
        for y, m in _months(start, end):
            if m % 3 != 1 and (y, m) != (start.year, start.month):
                continue
            first = (m - 1) // 3 * 3 + 1
            nominal = _day(y, first + q.month - 1, q.day)
            if start <= nominal <= end:
                out.append((f"{y}-Q{(first - 1) // 3 + 1}", dt.date(y, first, 1), nominal))
    return out


def _known(src: Source, path: tuple, given: list[str], codes: set[str],
           indexed: bool = False) -> None:
    """A problem for each code in `given` that the agency directory does not have (at
    path + its index when `indexed`, a list's items)."""
    for j, code in enumerate(given):
        if code not in codes:
            src.problem(path + (j,) if indexed else path, unknown_agency(code))


def _check_tasks(src: Source, plan: PlanIn, flat: list[FlatTask], codes: set[str]) -> None:
    keys: dict[str, tuple] = {}
    for t in flat:
        if t.spec.key in keys:
            src.problem(t.path + ("key",), f"duplicate task key '{t.spec.key}'")
        keys.setdefault(t.spec.key, t.path)
    events = {e.key for e in plan.events}
    for t in flat:
        if not t.kind:
            src.problem(t.path + ("kind",), "required field is missing")
        if not t.lead:
            src.problem(t.path + ("lead",), "a task needs at least one lead agency")
        for role in ("lead", "coordinating"):  # inherited lists are checked where written
            _known(src, t.path + (role,), getattr(t.spec, role) or [], codes, indexed=True)
        _check_once(src, t)
        if t.spec.parent and t.spec.parent not in keys:
            src.problem(t.path + ("parent",), f"unknown task '{t.spec.parent}'")
        rules: set[str] = set()
        for j, r in enumerate(t.spec.deadlines):
            rp = t.path + ("deadlines", j)
            if r.key in rules:
                src.problem(rp + ("key",), f"duplicate deadline key '{r.key}'")
            rules.add(r.key)
            if "coordinating" in r.owed_by and not t.coordinating:
                src.problem(rp + ("owed_by",),
                            "owed by coordinating agencies, but the task has none")
            for name in ("date", "opens"):
                d = getattr(r, name)
                if d and not plan.period.start <= d <= plan.period.end:
                    src.problem(rp + (name,), f"date {d:%d/%m/%Y} is outside the plan's period "
                                f"({plan.period.start:%d/%m/%Y}–{plan.period.end:%d/%m/%Y})")
            for name in ("monthly", "quarterly"):
                if getattr(r, name) and not occurrences(r, plan.period.start, plan.period.end):
                    src.problem(rp + (name,),
                                "bad recurrence: no occurrence within the plan's period")
            if r.date and r.opens and r.opens > r.date:
                src.problem(rp + ("opens",), f"opens on {r.opens:%d/%m/%Y}, after its date "
                            f"{r.date:%d/%m/%Y}")
            if r.monthly and r.monthly.start and r.monthly.end and r.monthly.start > r.monthly.end:
                src.problem(rp + ("monthly",), "bad recurrence: start is after end")
            if r.triggered_by and r.triggered_by.event not in events:
                src.problem(rp + ("triggered_by", "event"), f"unknown event kind "
                            f"'{r.triggered_by.event}' (declare it under events)")
    _check_cycles(src, flat)


def _check_once(src: Source, t: FlatTask) -> None:
    """An agency is listed at most once per task: an assignment has one role, and a second
    listing would owe each deadline twice. A repeat is reported where this task writes one of
    the two listings; one it inherits whole was reported where its ancestor wrote it."""
    seen: dict[str, tuple[str, int]] = {}
    for role in ("lead", "coordinating"):
        for j, code in enumerate(getattr(t, role)):
            if code not in seen:
                seen[code] = (role, j)
                continue
            first = seen[code]
            written = [at for at in ((role, j), first) if getattr(t.spec, at[0]) is not None]
            if written:
                how = f"twice as {role}" if first[0] == role else "as both lead and coordinating"
                src.problem(t.path + written[0], f"agency '{code}' is listed {how}: "
                            "an agency is listed at most once per task")


def _check_cycles(src: Source, flat: list[FlatTask]) -> None:
    loops = _loops({t.spec.key: t.parent for t in flat})
    for t in flat:
        if t.spec.key in loops:
            src.problem(t.path + ("parent",),
                        f"cycle in task nesting: {t.spec.key} is its own ancestor")


def _unique(src: Source, path: tuple, keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            src.problem(path + (i, "key"), f"duplicate {what} key '{key}'")
        seen.add(key)


def _check_kpis(src: Source, plan: PlanIn, codes: set[str]) -> None:
    """Agencies exist, keys are unique, and the baselines agree with the KPI's own rules."""
    kpis = {k.key: k for k in plan.kpis}
    _unique(src, ("kpis",), [k.key for k in plan.kpis], "KPI")
    for i, k in enumerate(plan.kpis):
        _known(src, ("kpis", i, "reported_by"), k.reported_by, codes, indexed=True)
        _unique(src, ("kpis", i, "breakdown"), [b.key for b in k.breakdown], "breakdown")
        parts = [b.baseline for b in k.breakdown if b.baseline is not None]
        if k.parts_sum_to_total and k.baseline and parts and len(parts) == len(k.breakdown) \
                and sum(parts) != k.baseline.value:
            src.problem(("kpis", i, "breakdown"), f"the breakdown's baselines add up to "
                        f"{sum(parts):g}, not the baseline {k.baseline.value:g}")
        if k.at_most and k.at_most not in kpis:
            src.problem(("kpis", i, "at_most"), f"unknown KPI '{k.at_most}'")
        elif k.at_most and k.baseline and (bound := kpis[k.at_most].baseline) \
                and k.baseline.value > bound.value:
            src.problem(("kpis", i, "baseline"), f"baseline {k.baseline.value:g} is more than "
                        f"'{k.at_most}' ({bound.value:g})")


def validate(path: Path | str) -> PlanSpec:
    """Read and check a plan file and its agency directory; raise PlanInvalid with every problem."""
    path = Path(path)
    src = read(path)
    if src.data is None:  # unreadable or malformed: nothing more to check
        raise PlanInvalid(src.problems)
    if isinstance(src.data, dict):  # "x-…" keys hold YAML anchors, not plan data
        src.data = {k: v for k, v in src.data.items() if not str(k).startswith("x-")}
    plan = _pydantic(src, PlanIn)
    if plan is None:
        raise PlanInvalid(src.problems)
    dir_path = Path(os.path.normpath(path.parent / plan.directory))  # errors name it plainly
    dir_src, directory = read_directory(dir_path)
    if dir_src.problems or directory is None:
        raise PlanInvalid(src.problems + dir_src.problems)
    codes = {a.code for a in directory.agencies}
    flat = _flatten(plan)
    _check_tasks(src, plan, flat, codes)
    _known(src, ("digest", "recipients"), plan.digest.recipients, codes, indexed=True)
    _known(src, ("issued_by",), [plan.issued_by], codes)
    _check_kpis(src, plan, codes)
    _unique(src, ("events",), [e.key for e in plan.events], "event kind")
    for i, d in enumerate(plan.days_off):
        if not plan.period.start <= d.date <= plan.period.end:
            src.problem(("days_off", i, "date"),
                        f"date {d.date:%d/%m/%Y} is outside the plan's period")
    if src.problems:
        raise PlanInvalid(src.problems)
    cal = WorkCalendar({d.date for d in plan.days_off})
    raw = path.read_bytes() + dir_path.read_bytes()
    deadlines = expand(plan, flat, cal)
    return PlanSpec(
        file=str(path), plan=plan, directory=directory, tasks=flat, deadlines=deadlines,
        calendar=cal, content_hash=hashlib.sha256(raw).hexdigest(),
        warnings=_before_issue(src, plan, flat, deadlines),
    )


def _before_issue(src: Source, plan: PlanIn, flat: list[FlatTask],
                  deadlines: list[DeadlineRow]) -> list[Problem]:
    """A warning for each rule with deadlines due before the plan was issued: the plan is a
    draft until then, so they are never reminded (one line per rule, not per agency)."""
    issued = plan.issued_on
    if issued is None:
        return []
    early: dict[tuple[str, str], set[dt.date]] = {}
    for d in deadlines:
        if d.due_on < issued:
            early.setdefault((d.task_key, d.rule_key), set()).add(d.due_on)
    out = []
    for t in flat:
        for j, r in enumerate(t.spec.deadlines):
            if days := sorted(early.get((t.spec.key, r.key), ())):
                path = t.path + ("deadlines", j)
                due = " and ".join(f"{d:%d/%m/%Y}" for d in days)
                out.append(Problem(src.file, src.line(path), dotted(path),
                                   f"warning: due {due}, before the plan was issued "
                                   f"({issued:%d/%m/%Y}): "
                                   + ("it is never reminded" if len(days) == 1
                                      else "they are never reminded")))
    return out


def expand(plan: PlanIn, flat: list[FlatTask], cal: WorkCalendar) -> list[DeadlineRow]:
    """One row per agency and period of every dated deadline rule (events come later)."""
    rows: list[DeadlineRow] = []
    for t in flat:
        for r in t.spec.deadlines:
            if r.triggered_by:
                continue
            owners = [(role, code) for role in r.owed_by for code in getattr(t, role)]
            for label, opens, nominal in occurrences(r, plan.period.start, plan.period.end):
                due = cal.roll_forward(nominal)
                rows.extend(
                    DeadlineRow(t.spec.key, code, role, r.key, label, r.title_vi, r.title_en,
                                opens, nominal, due)
                    for role, code in owners)
    return rows


def task_hash(t: FlatTask) -> str:
    body = t.content() | {"lead": t.lead, "coordinating": t.coordinating}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()[:16]
