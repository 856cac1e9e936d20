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

from tasks.calendar import FIRST_DAY, LAST_DAY, WorkCalendar, check_period
from tasks.errors import BadInput, PlanInvalid, PlantrackError, unknown_agency, unseen, visible
from tasks.plan.schema import DEFAULT_POLICY, AgencyIn, DirectoryIn, PlanIn, Policy, TaskIn
from tasks.plan.source import Problem, Source, dotted, read
from tasks.settings import MAX_DEADLINES, MAX_PLAN_YEARS
from tasks.words.phrase import Figure, Phrase


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
            **p.report_settings(self.directory),
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
            msg = _plain(err, loc)
            if {"monthly", "quarterly", "triggered_by"} & set(map(str, loc)):
                msg = Phrase("bad recurrence: {problem}", problem=msg)
            src.problem(loc, msg)
        return None


URL_HINT = Phrase("channels are given as {env: NAME} or {secret: NAME}: put the URL in the "
                  "environment variable, not in this file")
# What each patterned field looks like, said in words (a regular expression is not advice).
FORMS = {
    "code": Phrase("an agency code: capital letters, digits and dashes, e.g. SNV or BDV-MAICHAU"),
    "env": Phrase("an environment variable name: capital letters, digits and _, "
                  "e.g. PLANTRACK_SNV_EMAIL"),
    "secret": Phrase("a Prefect Secret block name: lower-case letters, digits and dashes, "
                     "e.g. snv-email"),
    "key": Phrase("a key: lower-case letters, digits and dashes, starting with a letter or "
                  "digit, e.g. admin-reform"),
}


def _kind(value: Any) -> Phrase | str:
    """What a YAML value is, in words."""
    if isinstance(value, dict):
        return Phrase("a mapping")
    if isinstance(value, list):
        return Phrase("a list")
    if value is None:
        return Phrase("nothing")
    if isinstance(value, (bool, int, float)):
        return str(value).lower() if isinstance(value, bool) else f"{value:g}"
    return f"'{visible(str(value))}'"


def _either(ctx: dict) -> Phrase | str:
    """Pydantic's "'a', 'b' or 'c'", its last "or" in the reader's words."""
    expected = str(ctx.get("expected") or "")
    if not expected:
        return Phrase("the allowed values")
    head, _, last = expected.rpartition(" or ")
    return Phrase("{first} or {last}", first=head, last=last) if head else expected


def _plain(err: Any, loc: tuple) -> Phrase | str:
    """Pydantic's error in words a person acts on: no class names, no regular expressions."""
    kind, given, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    looks_like_url = isinstance(given, str) and ("://" in given or "@" in given)
    what = _kind(given)
    if kind == "missing":
        return Phrase("required field is missing")
    if kind == "extra_forbidden":
        return Phrase("unknown field{unseen}", unseen=unseen(name))
    if "channels" in loc and (looks_like_url or (kind == "model_type" and isinstance(given, str))
                              or name in ("env", "secret") and looks_like_url):
        return URL_HINT
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Phrase("expected a mapping (name: value lines), not {what}", what=what)
    if kind == "list_type":
        return Phrase("expected a list ([A, B], or lines starting with '- '), not {what}",
                      what=what)
    if kind == "string_type":
        return Phrase("expected text, not {what}", what=what)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Phrase("expected a whole number, not {what}", what=what)
    if kind in ("float_type", "float_parsing", "finite_number"):
        return Phrase("expected a number, not {what}", what=what)
    if kind in ("bool_type", "bool_parsing"):
        return Phrase("expected true or false, not {what}", what=what)
    if kind.startswith(("date", "datetime")):
        return Phrase("{what} is not a date (YYYY-MM-DD, e.g. 2024-09-30)", what=what)
    if kind == "literal_error":
        return Phrase("{what} is not one of {choices}", what=what, choices=_either(ctx))
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(ctx.values()), "")
        how = {"greater_than_equal": Phrase("{bound} or more", bound=bound),
               "less_than_equal": Phrase("{bound} or less", bound=bound),
               "greater_than": Phrase("more than {bound}", bound=bound),
               "less_than": Phrase("less than {bound}", bound=bound)}[kind]
        return Phrase("must be {how}, not {what}", how=how, what=what)
    if kind == "string_pattern_mismatch":
        form = FORMS.get(name if name in FORMS else "key" if name in ("event", "key") else "")
        return (Phrase("{what} is not {form}{unseen}", what=what, form=form,
                       unseen=unseen(str(given))) if form else
                Phrase("{what} is not written as this field needs{unseen}", what=what,
                       unseen=unseen(str(given))))
    error = ctx.get("error")
    if isinstance(error, PlantrackError):  # a validator's own words (tasks.plan.schema)
        return error.phrase
    return str(err["msg"]).removeprefix("Value error, ")


PLAN_FIELDS = {"key", "tasks", "period", "issued_by", "directory"}


def read_directory(path: Path, plan: str | None = None) -> tuple[Source, DirectoryIn | None]:
    src = read(path)
    if src.data is None:
        return src, None
    if not isinstance(src.data, dict) or "agencies" not in src.data:
        if isinstance(src.data, dict) and PLAN_FIELDS & set(src.data):
            src.problem((), Phrase(
                "this is a plan file, not an agency directory: `directory:` in {plan} should "
                "name the agency directory (a file that starts with agencies:)",
                plan=plan or Phrase("the plan")))
        else:
            src.problem((), Phrase(
                "not an agency directory: it should start with agencies: and list each agency "
                "(code, name_vi, name_en …), not be {what}", what=_kind(src.data)))
        return src, None
    directory = _pydantic(src, DirectoryIn)
    if directory:
        codes: set[str] = set()
        for i, a in enumerate(directory.agencies):
            if a.code in codes:
                src.problem(("agencies", i, "code"),
                            Phrase("duplicate agency code '{code}'", code=a.code))
            codes.add(a.code)
        by_code = {a.code: a for a in directory.agencies}
        for i, a in enumerate(directory.agencies):
            if a.parent == a.code:
                src.problem(("agencies", i, "parent"), Phrase(
                    "'{code}' cannot be its own parent: name the agency that hears its "
                    "escalations, or none", code=visible(a.code)))
            elif a.parent:
                _known(src, ("agencies", i, "parent"), [a.parent], codes)
            if a.via and (problem := _via_problem(a.code, a.via, by_code)):
                src.problem(("agencies", i, "via"), problem)
        _parent_cycles(src, directory)
    return src, directory


def _parent_cycles(src: Source, directory: DirectoryIn) -> None:
    """Each cycle of `parent:` once, where its first agency (in file order) names its parent: an
    escalation would go round it for ever."""
    parent = {a.code: a.parent for a in directory.agencies if a.parent != a.code}
    index = {a.code: i for i, a in reversed(list(enumerate(directory.agencies)))}
    for cycle in _cycles(parent):
        first = min(cycle, key=index.__getitem__)
        at = cycle.index(first)
        ring = cycle[at:] + cycle[:at] + [first]
        src.problem(("agencies", index[first], "parent"), Phrase(
            "the parents form a cycle: {ring}: an escalation would go round it for ever; "
            "break the cycle", ring=" → ".join(map(visible, ring))))


def _cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Every cycle of the relation child → parent, each once, in the order of the chain."""
    state: dict[str, int] = {}  # 0: on the chain being walked, 1: done
    out = []
    for start in parent:
        chain: list[str] = []
        key: str | None = start
        while key is not None and key in parent and key not in state:
            state[key] = 0
            chain.append(key)
            key = parent[key]
        if key is not None and state.get(key) == 0:
            out.append(chain[chain.index(key):])
        for k in chain:
            state[k] = 1
    return out


def _via_problem(code: str, via: str, by_code: dict[str, AgencyIn]) -> Phrase | None:
    """What is wrong with `via`, if anything: it names another agency of the directory, one
    that is notified and reached directly — so a chain, and with it a loop, cannot happen."""
    to = by_code.get(via)
    if to is None:
        return unknown_agency(via)
    if via == code:
        return Phrase("'{code}' cannot be reached via itself", code=code)
    if to.via:
        return Phrase("'{via}' is itself reached via '{further}': name the agency that receives "
                      "the messages", via=via, further=to.via)
    if not to.notify:
        return Phrase("'{via}' is never notified (notify: false): name an agency that is",
                      via=via)
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

    def up_of(position: int) -> int | None:
        t, _, nest = placed[position]
        # A `parent:` that loops (reported) is not followed, so that the loop is the one problem.
        above = nest if t.key in loops else t.parent or nest
        return first.get(above) if above else None

    def flat(position: int) -> FlatTask:
        chain: list[int] = []  # from the task up to the first ancestor already done (a loop)
        p: int | None = position
        while p is not None and p not in done and p not in chain:
            chain.append(p)
            p = up_of(p)
        for q in reversed(chain):
            t, path, nest = placed[q]
            up = up_of(q)
            parent = done.get(up) if up is not None else None
            done[q] = FlatTask(
                spec=t, path=path, position=q, parent=t.parent or nest,
                kind=t.kind or (parent.kind if parent else ""),
                lead=t.lead if t.lead is not None else (parent.lead if parent else []),
                coordinating=t.coordinating if t.coordinating is not None
                else (parent.coordinating if parent else []),
                policy=merge_policy(parent.policy if parent else
                                    merge_policy(DEFAULT_POLICY, plan.reminders), t.reminders),
            )
        return done[position]

    return [flat(i) for i in range(len(placed))]


def _loops(parent: dict[str, str | None]) -> set[str]:
    """The tasks that are their own ancestors."""
    return {key for cycle in _cycles(parent) for key in cycle}


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
            src.problem(t.path + ("key",), Phrase("duplicate task key '{key}'", key=t.spec.key))
        keys.setdefault(t.spec.key, t.path)
    events = {e.key for e in plan.events}
    for t in flat:
        if not t.kind:
            src.problem(t.path + ("kind",), Phrase("required field is missing"))
        if not t.lead:
            src.problem(t.path + ("lead",), Phrase("a task needs at least one lead agency"))
        for role in ("lead", "coordinating"):  # inherited lists are checked where written
            _known(src, t.path + (role,), getattr(t.spec, role) or [], codes, indexed=True)
        _check_once(src, t)
        if t.spec.parent and t.spec.parent not in keys:
            src.problem(t.path + ("parent",), Phrase("unknown task '{key}'", key=t.spec.parent))
        rules: set[str] = set()
        for j, r in enumerate(t.spec.deadlines):
            rp = t.path + ("deadlines", j)
            if r.key in rules:
                src.problem(rp + ("key",), Phrase("duplicate deadline key '{key}'", key=r.key))
            rules.add(r.key)
            if "coordinating" in r.owed_by and not t.coordinating:
                src.problem(rp + ("owed_by",),
                            Phrase("owed by coordinating agencies, but the task has none"))
            for name in ("date", "opens"):
                d = getattr(r, name)
                if d and not plan.period.start <= d <= plan.period.end:
                    src.problem(rp + (name,), Phrase(
                        "date {day} is outside the plan's period ({start}–{end})",
                        day=d, start=plan.period.start, end=plan.period.end))
            for name in ("monthly", "quarterly"):
                if getattr(r, name) and not occurrences(r, plan.period.start, plan.period.end):
                    src.problem(rp + (name,), Phrase(
                        "bad recurrence: no occurrence within the plan's period"))
            if r.period is not None:
                try:
                    check_period(r.period)
                except BadInput as exc:
                    src.problem(rp + ("period",), exc.phrase)
            if r.date and r.opens and r.opens > r.date:
                src.problem(rp + ("opens",), Phrase("opens on {opens}, after its date {day}",
                                                    opens=r.opens, day=r.date))
            if r.monthly and r.monthly.start and r.monthly.end and r.monthly.start > r.monthly.end:
                src.problem(rp + ("monthly",), Phrase("bad recurrence: start is after end"))
            if r.triggered_by and r.triggered_by.event not in events:
                src.problem(rp + ("triggered_by", "event"), Phrase(
                    "unknown event kind '{kind}' (declare it under events)",
                    kind=r.triggered_by.event))
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
                how = (Phrase("twice as {role}", role=role) if first[0] == role
                       else Phrase("as both lead and coordinating"))
                src.problem(t.path + written[0], Phrase(
                    "agency '{code}' is listed {how}: an agency is listed at most once per task",
                    code=code, how=how))


def _check_cycles(src: Source, flat: list[FlatTask]) -> None:
    loops = _loops({t.spec.key: t.parent for t in flat})
    for t in flat:
        if t.spec.key in loops:
            src.problem(t.path + ("parent",), Phrase(
                "cycle in task nesting: {key} is its own ancestor", key=t.spec.key))


def _unique(src: Source, path: tuple, keys: list[str], what: Phrase) -> None:
    """A problem for each key `what` (a phrase: "duplicate KPI key '{key}'") repeats."""
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            src.problem(path + (i, "key"), Phrase(what.template, key=key))
        seen.add(key)


def _check_kpis(src: Source, plan: PlanIn, codes: set[str]) -> None:
    """Agencies exist, keys are unique, and the baselines agree with the KPI's own rules."""
    kpis = {k.key: k for k in plan.kpis}
    _unique(src, ("kpis",), [k.key for k in plan.kpis], Phrase("duplicate KPI key '{key}'"))
    for i, k in enumerate(plan.kpis):
        _known(src, ("kpis", i, "reported_by"), k.reported_by, codes, indexed=True)
        counted: list[tuple[tuple, float | None]] = [
            (("kpis", i, "baseline", "value"), k.baseline.value if k.baseline else None),
            (("kpis", i, "target", "value"), k.target.value if k.target else None)]
        counted += [(("kpis", i, "breakdown", j, "baseline"), b.baseline)
                    for j, b in enumerate(k.breakdown)]
        for where, value in counted:
            if value is not None and value < 0:
                src.problem(where, Phrase(
                    "{value} is below 0: a KPI counts something or is an index, never negative "
                    "(a cut is a target's change_pct, e.g. -30)", value=Figure(value)))
        _unique(src, ("kpis", i, "breakdown"), [b.key for b in k.breakdown],
                Phrase("duplicate breakdown key '{key}'"))
        parts = [b.baseline for b in k.breakdown if b.baseline is not None]
        if k.parts_sum_to_total and k.baseline and parts and len(parts) == len(k.breakdown) \
                and sum(parts) != k.baseline.value:
            src.problem(("kpis", i, "breakdown"), Phrase(
                "the breakdown's baselines add up to {sum}, not the baseline {baseline}",
                sum=Figure(sum(parts)), baseline=Figure(k.baseline.value)))
        if k.at_most and k.at_most not in kpis:
            src.problem(("kpis", i, "at_most"), Phrase("unknown KPI '{key}'", key=k.at_most))
        elif k.at_most and k.baseline and (bound := kpis[k.at_most].baseline) \
                and k.baseline.value > bound.value:
            src.problem(("kpis", i, "baseline"), Phrase(
                "baseline {value} is more than '{key}' ({bound})", value=Figure(k.baseline.value),
                key=k.at_most, bound=Figure(bound.value)))


def validate(path: Path | str) -> PlanSpec:
    """Read and check a plan file and its agency directory; raise PlanInvalid with every problem."""
    path = Path(path)
    src = read(path)
    if src.data is None:  # unreadable or malformed: nothing more to check
        raise PlanInvalid(src.problems)
    if isinstance(src.data, dict):  # "x-…" keys hold YAML anchors, not plan data
        src.data = {k: v for k, v in src.data.items() if not str(k).startswith("x-")}
    if isinstance(src.data, dict) and "agencies" in src.data and "tasks" not in src.data:
        src.problem((), Phrase("this is an agency directory, not a plan: give the plan file "
                               "(the one that names this directory with directory:)"))
        raise PlanInvalid(src.problems)
    if not isinstance(src.data, dict):
        src.problem((), Phrase("not a plan: a plan file is a mapping of fields (key:, "
                               "title_vi:, period:, tasks: …), not {what}",
                               what=_kind(src.data)))
        raise PlanInvalid(src.problems)
    plan = _pydantic(src, PlanIn)
    if plan is None:
        raise PlanInvalid(src.problems)
    if not _bounded_period(src, plan):  # nothing below walks a period of centuries
        raise PlanInvalid(src.problems)
    dir_path = Path(os.path.normpath(path.parent / plan.directory))  # errors name it plainly
    dir_src, directory = read_directory(dir_path, str(path))
    if dir_src.problems or directory is None:
        raise PlanInvalid(src.problems + dir_src.problems)
    codes = {a.code for a in directory.agencies}
    flat = _flatten(plan)
    _check_tasks(src, plan, flat, codes)
    _known(src, ("digest", "recipients"), plan.digest.recipients, codes, indexed=True)
    _known(src, ("issued_by",), [plan.issued_by], codes)
    _check_kpis(src, plan, codes)
    _unique(src, ("events",), [e.key for e in plan.events],
            Phrase("duplicate event kind key '{key}'"))
    for i, d in enumerate(plan.days_off):
        if not plan.period.start <= d.date <= plan.period.end:
            src.problem(("days_off", i, "date"),
                        Phrase("date {day} is outside the plan's period", day=d.date))
    if not src.problems:
        _bounded_deadlines(src, plan, flat)
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


def _bounded_period(src: Source, plan: PlanIn) -> bool:
    """A period between FIRST_DAY and LAST_DAY, at most MAX_PLAN_YEARS long."""
    p = plan.period
    for name, day in (("start", p.start), ("end", p.end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            src.problem(("period", name), Phrase(
                "{day} is not a day plantrack works with (from {first} to {last})",
                day=f"{day:%d/%m/%Y}", first=FIRST_DAY, last=LAST_DAY))
            return False
    if (p.end.year - p.start.year) * 12 + p.end.month - p.start.month >= MAX_PLAN_YEARS * 12:
        src.problem(("period",), Phrase("the period is longer than {years} years: split the "
                                        "plan into plans of a few years each",
                                        years=MAX_PLAN_YEARS))
        return False
    return True


def _bounded_deadlines(src: Source, plan: PlanIn, flat: list[FlatTask]) -> None:
    """At most MAX_DEADLINES deadlines, counted before a single one is made."""
    made = sum(len(occurrences(r, plan.period.start, plan.period.end))
               * sum(len(getattr(t, role)) for role in r.owed_by)
               for t in flat for r in t.spec.deadlines if not r.triggered_by)
    if made > MAX_DEADLINES:
        src.problem(("tasks",), Phrase(
            "the plan makes {made} deadlines, more than {most}: split it into several plans",
            made=Figure(made), most=Figure(MAX_DEADLINES)))


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
                due: Any = days[0]
                for later in days[1:]:
                    due = Phrase("{first} and {last}", first=due, last=later)
                never = (Phrase("it is never reminded") if len(days) == 1
                         else Phrase("they are never reminded"))
                out.append(Problem(src.file, src.line(path), dotted(path), Phrase(
                    "warning: due {due}, before the plan was issued ({issued}): {never}",
                    due=due, issued=issued, never=never)))
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
