"""The monthly digest's figures, compiled from the append-only record as of a month's last day.

Only what is dated on or before the month's end counts: reports by `reported_on`, KPI values by
`reported_on`, events by `occurred_on`, messages by `day`, send attempts by the day (in Vietnam)
of their instant. No clock and no `recorded_at` enters the content, so the digest of September
regenerated in December is identical to the one made on 1 October.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import TZ, WorkCalendar, month_bounds, shift_month
from tasks.kpi import latest_values, plan_kpis, province_figure
from tasks.notices.outbox import CHASERS
from tasks.record.lookups import plan_calendar
from tasks.record.models import (
    Agency,
    Deadline,
    Delivery,
    Event,
    Kpi,
    Message,
    Plan,
    Task,
    id_of,
)
from tasks.status import (
    DONE_LATE,
    DONE_ON_TIME,
    OVERDUE,
    DeadlineStatus,
    deadline_categories,
    deadline_statuses,
    rollup,
    summary,
)
from tasks.words import KINDS, PEER_DEFAULTS

DONE = (DONE_ON_TIME, DONE_LATE)


@dataclass
class Digest:
    """Everything the digest says, ready for templates; `as_json()` is its file form."""

    plan: str
    title_vi: str
    title_en: str
    month: str  # "2024-09"
    as_of: dt.date  # the month's last day
    previous_month: str
    next_month: str
    totals: dict[str, Any]
    by_kind: list[dict[str, Any]]
    by_task: list[dict[str, Any]]
    agencies: list[dict[str, Any]]  # the league table, best first
    overdue: list[dict[str, Any]]
    completed: list[dict[str, Any]]  # done as of the month's end, not done a month before
    newly_overdue: list[dict[str, Any]]
    coming: list[dict[str, Any]]  # next month's deadlines, one row per rule and due day
    kpis: list[dict[str, Any]]
    kpi_trend: list[dict[str, Any]]  # per KPI: the value at each month's end since the baseline
    delivery: dict[str, Any]  # reminders and escalations: sent, failed, still failing
    # The report's frame: who sends it, the movement, the baseline day, signer and place, who
    # receives it; agencies ranked among their peers; each top-level task with its subtasks and
    # the month's changes; the secretariat's notes (sections II–IV), read by month.py.
    profile: dict[str, Any] = field(default_factory=dict)
    peer_groups: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _end_of_day_utc(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in Vietnam."""
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), TZ)
    return next_day.astimezone(dt.UTC)


def _aware(instant: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC; PostgreSQL aware. Compare them as aware UTC."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=dt.UTC)
    return instant


def message_deadline_ids(items: Iterable[Any]) -> set[int]:
    """The deadlines a reminder or escalation lists (items are dicts with a `deadline_id`)."""
    return {int(i["deadline_id"]) for i in items if isinstance(i, dict) and i.get("deadline_id")}


def _later(s: Session, plan: Plan, as_of: dt.date) -> set[int]:
    """Deadlines of events that happened after `as_of`: not yet owed that day."""
    return set(s.execute(
        sa.select(col(Deadline.id)).join(Event, col(Event.id) == Deadline.event_id)
        .where(col(Event.plan_id) == plan.id, col(Event.occurred_on) > as_of)).scalars())


def statuses_as_of(s: Session, plan: Plan, as_of: dt.date) -> list[DeadlineStatus]:
    """Every deadline's status, leaving out deadlines of events that happened after `as_of`."""
    later = _later(s, plan, as_of)
    return [r for r in deadline_statuses(s, plan, as_of) if r.deadline_id not in later]


def categories_as_of(s: Session, plan: Plan, as_of: dt.date) -> dict[int, str]:
    """Every deadline's category by id, as `statuses_as_of` leaves them: what the month before
    is compared by."""
    later = _later(s, plan, as_of)
    return {d: c for d, c in deadline_categories(s, plan, as_of).items() if d not in later}


def _names(s: Session, plan: Plan) -> tuple[dict[str, Task], dict[str, Agency]]:
    tasks = {t.key: t
             for t in s.execute(sa.select(Task).where(col(Task.plan_id) == plan.id)).scalars()}
    agencies = {a.code: a for a in s.execute(sa.select(Agency)).scalars()}
    return tasks, agencies


def _item(r: DeadlineStatus, agencies: dict[str, Agency]) -> dict[str, Any]:
    a = agencies[r.agency]
    return {"deadline_id": r.deadline_id, "task": r.task, "kind": r.kind, "agency": r.agency,
            "agency_vi": a.name_vi, "agency_en": a.name_en, "role": r.role, "rule": r.rule,
            "period": r.period, "title_vi": r.title_vi, "title_en": r.title_en,
            "due_on": r.due_on, "category": r.category, "days_late": r.days_late,
            "progress": r.progress, "completed_on": r.completed_on}


def _by_kind(rows: list[DeadlineStatus]) -> list[dict[str, Any]]:
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(rollup(rows, "kind"), key=lambda g: (order.get(g["kind"], len(order)), g["kind"]))


def _by_task(rows: list[DeadlineStatus], tasks: dict[str, Task]) -> list[dict[str, Any]]:
    out = [g | {"kind": tasks[g["task"]].kind, "parent": tasks[g["task"]].parent_key,
                "title_vi": tasks[g["task"]].title_vi, "title_en": tasks[g["task"]].title_en}
           for g in rollup(rows, "task")]
    return sorted(out, key=lambda g: (tasks[g["task"]].position, g["task"]))


def league(rows: list[DeadlineStatus], agencies: dict[str, Agency]) -> list[dict[str, Any]]:
    """Agencies best first: on-time rate (none yet due last), then more on time, fewer overdue."""
    out = [g | {"name_vi": agencies[g["agency"]].name_vi, "name_en": agencies[g["agency"]].name_en}
           for g in rollup(rows, "agency")]
    return sorted(out, key=lambda g: (g["on_time_rate"] is None, -(g["on_time_rate"] or 0),
                                      -g[DONE_ON_TIME], g[OVERDUE], g["agency"]))


def _coming(rows: list[DeadlineStatus], first: dt.date, last: dt.date,
            tasks: dict[str, Task], agencies: dict[str, Agency]) -> list[dict[str, Any]]:
    groups: dict[tuple, list[DeadlineStatus]] = defaultdict(list)
    for r in rows:
        if first <= r.due_on <= last:
            groups[(r.due_on, tasks[r.task].position, r.task, r.rule, r.period)].append(r)
    return [{"due_on": due, "task": task, "kind": rs[0].kind, "rule": rule, "period": period,
             "title_vi": rs[0].title_vi, "title_en": rs[0].title_en,
             "agencies": sorted(r.agency for r in rs),
             "agencies_vi": [agencies[c].name_vi for c in sorted(r.agency for r in rs)],
             "agencies_en": [agencies[c].name_en for c in sorted(r.agency for r in rs)],
             "done": sum(r.category in DONE for r in rs)}
            for (due, _, task, rule, period), rs in sorted(groups.items())]


def _chasing(s: Session, deadline_ids: set[int], as_of: dt.date):
    """Reminders and escalations of this plan dated on or before `as_of`, with their attempts."""
    msgs = [m for m in s.execute(
        sa.select(col(Message.id), col(Message.kind), col(Message.day), col(Message.recipient_id),
                  col(Message.items), col(Message.sent_at))
        .where(col(Message.kind).in_(CHASERS), col(Message.day) <= as_of)
        .order_by(col(Message.day), col(Message.id))).all()
        if message_deadline_ids(m.items) & deadline_ids]
    attempts: dict[int, list[Delivery]] = defaultdict(list)
    ids = [m.id for m in msgs]
    for chunk in range(0, len(ids), 5000):
        q = sa.select(Delivery).where(col(Delivery.message_id).in_(ids[chunk:chunk + 5000]))
        for d in s.execute(q.order_by(col(Delivery.at), col(Delivery.id))).scalars():
            attempts[d.message_id].append(d)
    return msgs, attempts


def _delivery(msgs, attempts, first: dt.date, as_of: dt.date,
              agencies_by_id: dict[int, Agency]) -> dict[str, Any]:
    cutoff = _end_of_day_utc(as_of)
    sent = {m.id for m in msgs if m.sent_at and _aware(m.sent_at) < cutoff}
    failures = {m.id: [d for d in attempts[m.id] if not d.ok and _aware(d.at) < cutoff]
                for m in msgs}
    by_kind = []
    for kind in CHASERS:
        month = [m for m in msgs if m.kind == kind and m.day >= first]
        by_kind.append({
            "kind": kind, "messages": len(month),
            "sent": sum(m.id in sent for m in month),
            "failed": sum(bool(failures[m.id]) for m in month),
            "failed_attempts": sum(len(failures[m.id]) for m in month),
            "still_failing": sum(m.id not in sent for m in month)})
    keys = ("messages", "sent", "failed", "failed_attempts", "still_failing")
    failing = []
    for m in msgs:
        if m.id in sent:
            continue
        a = agencies_by_id[m.recipient_id]
        last = failures[m.id][-1] if failures[m.id] else None
        failing.append({"day": m.day, "kind": m.kind, "recipient": a.code, "name_vi": a.name_vi,
                        "name_en": a.name_en, "attempts": len(failures[m.id]),
                        "last_error": last.error if last else "",
                        "channel": last.channel if last else "",
                        "items": len(message_deadline_ids(m.items))})
    return {"by_kind": by_kind, "total": {k: sum(r[k] for r in by_kind) for k in keys},
            "still_failing": failing}


def _chase_counts(msgs, as_of: dt.date) -> dict[int, Counter]:
    """Per deadline: how many reminders and escalations were sent for it by `as_of`."""
    cutoff = _end_of_day_utc(as_of)
    out: dict[int, Counter] = defaultdict(Counter)
    for m in msgs:
        if m.sent_at and _aware(m.sent_at) < cutoff:
            for did in message_deadline_ids(m.items):
                out[did][m.kind] += 1
    return out


class WorkingDays:
    """Working days between two days of a plan's calendar by one lookup: the working days from
    `first` to `last`, listed once."""

    def __init__(self, cal: WorkCalendar, first: dt.date, last: dt.date):
        self.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.days = [d for d in self.days if cal.is_working_day(d)]

    def late(self, due: dt.date, as_of: dt.date) -> int:
        """Working days in (due, as_of]: as reminders count 'đã quá hạn N ngày làm việc'."""
        return bisect.bisect_right(self.days, as_of) - bisect.bisect_right(self.days, due)


# ---- the report's frame -------------------------------------------------------------------------

def _ancestors(code: str, agencies: dict[str, Agency]) -> list[str]:
    out, seen = [], {code}
    while (a := agencies.get(code)) is not None and a.parent_code and a.parent_code not in seen:
        code = a.parent_code
        out.append(code)
        seen.add(code)
    return out


def profile(plan: Plan, agencies: dict[str, Agency], kpis: dict[str, Kpi]) -> dict[str, Any]:
    """What the report says of its plan, all from the plan file (its settings) and the
    directory: the sender (by default the plan's issuer), the movement, the KPIs' baseline
    day, the signer and place, and who receives it — each recipient named, `for` "report"
    when it stands above the sender, else "info"."""
    st = plan.settings
    sender = {"layout": "state", "name_vi": "", "name_en": "", "role_vi": "", "above_vi": "",
              "header_vi": "", "symbol": "", "archive_vi": ""} | dict(st.get("sender") or {})
    code = sender.get("agency") or st.get("issued_by", "")
    a = agencies.get(code)
    sender |= {"agency": code, "full_vi": a.name_vi if a else sender["name_vi"],
               "full_en": a.name_en if a else sender["name_en"]}
    sender["name_vi"] = sender["name_vi"] or sender["full_vi"]
    sender["name_en"] = sender["name_en"] or sender["full_en"]
    sender["header_vi"] = sender["header_vi"] or sender["name_vi"].upper()
    bases = [k.spec["baseline"]["as_of"] for k in kpis.values() if k.spec.get("baseline")]
    above = _ancestors(code, agencies)
    recipients = [{"agency": c, "name_vi": agencies[c].name_vi, "name_en": agencies[c].name_en,
                   "for": "report" if c in above else "info"}
                  for c in dict.fromkeys(st.get("digest", {}).get("recipients", []))
                  if c in agencies and c != code]
    return {"sender": sender, "movement": st.get("movement") or {},
            "baseline_on": st.get("baseline_on") or min(bases, default=None),
            "place": st.get("place", ""), "signer": st.get("signer") or {},
            "recipients": recipients, "period_start": plan.period_start,
            "period_end": plan.period_end, "issued_on": plan.issued_on}


def peer_groups(league_rows: list[dict[str, Any]], agencies: dict[str, Agency],
                peers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The league cut into the plan's `peers` (by default, the directory's levels): each group
    ranked within itself, best first; an agency in no group ends in a last group of its own."""
    groups = peers or [PEER_DEFAULTS[level] | {"level": level} for level in ("province",
                                                                              "district")]
    named = {c for g in groups for c in g.get("agencies") or []}
    ranked = [g["agency"] for g in league_rows]
    out, placed = [], set()
    for g in groups:
        members = set(g.get("agencies") or []) | {
            c for c in ranked if c not in named and g.get("level")
            and agencies[c].level == g["level"]}
        rows = [r for r in league_rows if r["agency"] in members and r["agency"] not in placed]
        placed |= {r["agency"] for r in rows}
        if rows:
            out.append({"name_vi": g["name_vi"], "name_en": g["name_en"], "agencies": rows})
    rest = [r for r in league_rows if r["agency"] not in placed]
    if rest:
        out.append(PEER_DEFAULTS["other"] | {"agencies": rest})
    return out


def _task_report(rows: list[DeadlineStatus], before: dict[int, str],
                 tasks: dict[str, Task], agencies: dict[str, Agency]) -> list[dict[str, Any]]:
    """Each top-level task with its subtasks, in the plan's order: the figures of all their
    deadlines, the lead agencies, and what the month changed (completed; newly overdue)."""
    top = {k: (t.parent_key or k) for k, t in tasks.items()}
    while any(top[k] != top[top[k]] for k in top):  # sub-subtasks reach the top task
        top = {k: top[v] for k, v in top.items()}
    mine: dict[str, list[DeadlineStatus]] = defaultdict(list)
    for r in rows:
        mine[top[r.task]].append(r)
    out = []
    for key in sorted(mine, key=lambda k: (tasks[k].position, k)):
        rs = mine[key]
        done = sorted({r.agency for r in rs if r.category in DONE
                       and before.get(r.deadline_id) not in DONE})
        late = sorted({r.agency for r in rs if r.category == OVERDUE
                       and before.get(r.deadline_id) != OVERDUE})
        leads = sorted({r.agency for r in rs if r.role == "lead" and r.task == key}) or \
            sorted({r.agency for r in rs if r.role == "lead"})
        name = lambda codes, lang: [getattr(agencies[c], f"name_{lang}") for c in codes]  # noqa: E731
        out.append({
            "task": key, "kind": tasks[key].kind, "title_vi": tasks[key].title_vi,
            "title_en": tasks[key].title_en, **summary(rs),
            "due": sum(r.category in (*DONE, OVERDUE) for r in rs),
            "progress": round(sum(r.progress for r in rs) / len(rs), 1),
            "leads_vi": name(leads, "vi"), "leads_en": name(leads, "en"),
            "subtasks": [{"task": k, "title_vi": tasks[k].title_vi,
                          "title_en": tasks[k].title_en}
                         for k in sorted({r.task for r in rs} - {key},
                                         key=lambda k: (tasks[k].position, k))],
            "month_done": sum(r.category in DONE and before.get(r.deadline_id) not in DONE
                              for r in rs),
            "month_done_by_vi": name(done, "vi"), "month_done_by_en": name(done, "en"),
            "month_overdue": sum(r.category == OVERDUE and before.get(r.deadline_id) != OVERDUE
                                 for r in rs),
            "month_overdue_by_vi": name(late, "vi"), "month_overdue_by_en": name(late, "en")})
    return out


# ---- KPIs -------------------------------------------------------------------------------------

Latest = dict[tuple[str, str, str, str], float]  # (agency, KPI, part, period) -> value


def _index(value: float | None, base: float | None, digits: int = 2) -> float | None:
    """`value` as a percentage of `base` (None when either is missing or base is 0)."""
    return round(value / base * 100, digits) if value is not None and base else None


def _kpi_figure(kpi: Kpi, latest: Latest, part: str) -> tuple[float | None, list[str]]:
    """The province figure of a KPI (or one part of it) from each agency's latest value, and
    the agencies it comes from."""
    per_agency = {a: v for (a, k, p, _), v in latest.items() if k == kpi.key and p == part}
    codes = sorted(per_agency)
    if not codes:
        return None, []
    return province_figure(kpi, [per_agency[c] for c in codes]), codes


def _kpi_row(kpi: Kpi, latest: Latest, part: dict[str, Any] | None) -> dict[str, Any]:
    spec = kpi.spec
    expected = sorted(spec.get("reported_by", []))
    value, codes = _kpi_figure(kpi, latest, part["key"] if part else "")
    complete = value is not None and set(expected) <= set(codes)
    baseline = part.get("baseline") if part else (spec.get("baseline") or {}).get("value")
    target = {} if part else (spec.get("target") or {})
    change = round(value - baseline, 4) if complete and baseline is not None else None
    row: dict[str, Any] = {
        "kpi": kpi.key, "part": part["key"] if part else "",
        "name_vi": part["name_vi"] if part else kpi.name_vi,
        "name_en": part["name_en"] if part else kpi.name_en, "unit": kpi.unit,
        "baseline": baseline, "baseline_on": (spec.get("baseline") or {}).get("as_of"),
        "value": None if value is None else round(value, 4),
        "reporting": len(set(codes) & set(expected)) if expected else len(codes),
        "expected": len(expected), "complete": complete, "change": change,
        "change_pct": _index(change, baseline, 1),
        "target": target.get("value"), "target_change_pct": target.get("change_pct"),
        "to_target_pct": None}
    if (complete and baseline is not None
            and row["target"] is not None and row["target"] != baseline):
        row["to_target_pct"] = round((value - baseline) / (row["target"] - baseline) * 100, 1)
    return row


def _kpi_table(s: Session, plan: Plan, month: str) -> list[dict[str, Any]]:
    """Each KPI and its parts as the plan breaks it down, from values of periods up to `month`
    reported by the month's end."""
    latest = latest_values(s, plan, month_bounds(month)[1], before=shift_month(month, 1))
    return [row for k in plan_kpis(s, plan).values()
            for row in [_kpi_row(k, latest, None)]
            + [_kpi_row(k, latest, p) for p in k.spec.get("breakdown", [])]]


def _kpi_trend(s: Session, plan: Plan, month: str) -> list[dict[str, Any]]:
    """Per KPI, its figure at each month's end since the baseline's month (the baseline itself
    first) up to `month`, or the plan's last month for a digest made after the plan's period;
    a month where not every reporting agency has reported yet has no figure. A count is charted
    as an index of its baseline (scale "index"); a rate in % as itself (scale "percent")."""
    kpis = plan_kpis(s, plan)
    starts = [k.spec["baseline"]["as_of"][:7] for k in kpis.values() if k.spec.get("baseline")]
    last = min(month, f"{plan.period_end:%Y-%m}")
    months, m = [], min(starts, default=last)
    while m <= last:
        months.append(m)
        m = shift_month(m, 1)
    tables = {m: {(r["kpi"], r["part"]): r for r in _kpi_table(s, plan, m)} for m in months}
    out = []
    for k in kpis.values():
        base = (k.spec.get("baseline") or {}).get("value")
        percent = k.unit == "%"
        points = []
        for m in months:
            row = tables[m][(k.key, "")]
            value = base if m == months[0] and base is not None else (
                row["value"] if row["complete"] else None)
            points.append({"month": m, "value": value,
                           "index": None if percent else _index(value, base)})
        target = (k.spec.get("target") or {}).get("value")
        out.append({"kpi": k.key, "name_vi": k.name_vi, "name_en": k.name_en, "unit": k.unit,
                    "scale": "percent" if percent else "index", "target": target,
                    "target_index": None if percent else _index(target, base),
                    "points": points})
    return out


# ---- the digest -------------------------------------------------------------------------------

def compile_digest(s: Session, plan: Plan, month: str,
                   notes: dict[str, Any] | None = None) -> Digest:
    """The digest of `month` ("YYYY-MM") as of its last day, from the record alone (and the
    secretariat's `notes` for the month, if given: tasks.digest.month.read_notes)."""
    first, as_of = month_bounds(month)
    prev_end = first - dt.timedelta(days=1)
    nxt = shift_month(month, 1)
    tasks, agencies = _names(s, plan)
    rows = statuses_as_of(s, plan, as_of)
    before = categories_as_of(s, plan, prev_end)
    msgs, attempts = _chasing(s, {r.deadline_id for r in rows}, as_of)
    chased = _chase_counts(msgs, as_of)

    working = WorkingDays(plan_calendar(plan), min((r.due_on for r in rows), default=as_of),
                          as_of)

    def items(pred, key) -> list[dict[str, Any]]:
        return [_item(r, agencies) | {"working_days_late": working.late(r.due_on, as_of)
                                      if r.category == OVERDUE else 0}
                for r in sorted(filter(pred, rows), key=key)]

    by_place = lambda r: (r.due_on, tasks[r.task].position, r.agency, r.deadline_id)  # noqa: E731
    overdue = items(lambda r: r.category == OVERDUE,
                    lambda r: (-r.days_late, tasks[r.task].position, r.agency, r.deadline_id))
    for it in overdue:
        it["reminders"] = chased[it["deadline_id"]]["reminder"]
        it["escalations"] = chased[it["deadline_id"]]["escalation"]
    ranked = league(rows, agencies)
    return Digest(
        plan=plan.key, title_vi=plan.title_vi, title_en=plan.title_en, month=month, as_of=as_of,
        previous_month=shift_month(month, -1), next_month=nxt,
        totals=summary(rows) | {"progress": round(sum(r.progress for r in rows) / len(rows), 1)
                                if rows else None},
        by_kind=_by_kind(rows), by_task=_by_task(rows, tasks), agencies=ranked,
        overdue=overdue,
        completed=items(lambda r: r.category in DONE and before.get(r.deadline_id) not in DONE,
                        by_place),
        newly_overdue=items(
            lambda r: r.category == OVERDUE and before.get(r.deadline_id) != OVERDUE, by_place),
        coming=_coming(rows, *month_bounds(nxt), tasks, agencies),
        kpis=_kpi_table(s, plan, month), kpi_trend=_kpi_trend(s, plan, month),
        delivery=_delivery(msgs, attempts, first, as_of, {id_of(a): a for a in agencies.values()}),
        profile=profile(plan, agencies, plan_kpis(s, plan)),
        peer_groups=peer_groups(ranked, agencies, plan.settings.get("peers") or []),
        tasks=_task_report(rows, before, tasks, agencies), notes=notes or {})
