"""One measurement in a process of its own, so that its peak memory is its own.

    python -m benchmarks.probe NAME '{"url": …, …}'

Imports and setup are not timed; the measured call runs once and the probe prints
{"seconds": …, "answer": …} as one JSON line. The parent reads the peak RSS from wait4().
Each plantrack probe has a `<name>_baseline` twin that computes the same answer by hand.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROBES: dict[str, Callable[..., tuple[float, Any]]] = {}


def probe(fn):
    PROBES[fn.__name__] = fn
    return fn


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


# ── loading the plan ─────────────────────────────────────────────────────────────────────────

@probe
def load(url: str, plan: str) -> tuple[float, Any]:
    from tasks.plan.load import load_file
    from tasks.record.store import upgrade

    upgrade(url)  # the fresh database gets its tables untimed; load_file finds nothing to do
    seconds, changes = timed(lambda: load_file(plan, url))
    return seconds, {what: c["added"] for what, c in changes.items()}


@probe
def load_baseline(url: str, plan: str) -> tuple[float, Any]:
    from benchmarks.baselines import insert_rows, load_rows
    from tasks.plan.validate import validate
    from tasks.record.store import engine, upgrade

    upgrade(url)
    rows = load_rows(validate(plan))

    def run() -> dict[str, int]:
        with engine(url).begin() as c:
            return insert_rows(c, rows)

    return timed(run)


# ── deciding a day's reminders ───────────────────────────────────────────────────────────────

def _notices(url: str, day: dt.date) -> list:
    """What the daily run decides: every live plan, one notice per recipient and kind."""
    from tasks.notices.day import decide_day

    return decide_day(url, (), day)


def notice_counts(notices: list) -> dict[str, int]:
    items = Counter(i.category for n in notices if n.kind == "reminder" for i in n.items)
    return {"reminders": sum(n.kind == "reminder" for n in notices),
            "escalations": sum(n.kind == "escalation" for n in notices),
            **{c: items[c] for c in ("due_soon", "due_today", "overdue")},
            "escalated": sum(len(n.items) for n in notices if n.kind == "escalation")}


@probe
def decide(url: str, as_of: str, save: str = "") -> tuple[float, Any]:
    """`save`: a file to pickle the notices into, for the dispatch probes."""
    import tasks.notices.day  # noqa: F401  (imported before the clock starts)

    seconds, notices = timed(lambda: _notices(url, dt.date.fromisoformat(as_of)))
    if save:
        Path(save).write_bytes(pickle.dumps(notices))
    return seconds, notice_counts(notices)


@probe
def decide_baseline(url: str, as_of: str) -> tuple[float, Any]:
    from benchmarks.baselines import decide_counts
    from tasks.record.store import engine

    def run() -> dict[str, int]:
        with engine(url).connect() as c:
            return decide_counts(c, dt.date.fromisoformat(as_of))

    return timed(run)


# ── dispatching them ─────────────────────────────────────────────────────────────────────────

def _first_notices(url: str, notices: str, messages: int) -> list:
    """The day's first `messages` notices (pickled by `decide`), nothing claimed yet."""
    import sqlalchemy as sa

    from tasks.record.models import Delivery, Message
    from tasks.record.store import session

    with session(url) as s:
        s.execute(sa.delete(Delivery))
        s.execute(sa.delete(Message))
    return pickle.loads(Path(notices).read_bytes())[:messages]


def _channels(url: str, channels: str, hook: str) -> Any:
    """Every agency's channel pointed at the webhook, as `channels` says (untimed): `secret`, a
    Prefect Secret block per agency (`{secret: NAME}`, as the generated directory has it), looked
    up in a dict as a run's cached lookup would; `env`, an environment variable per agency
    (`{env: PLANTRACK_CH_…}`, all 3,339 of them set). The secret lookup to pass, or None."""
    import sqlalchemy as sa
    from sqlmodel import col

    from benchmarks.generate import secret_name
    from tasks.notices.channels import env_name, masked
    from tasks.record.models import Agency
    from tasks.record.store import session

    target = hook.replace("http://", "json://", 1)
    masked(target)  # Apprise and its plugins loaded (an import, untimed like the others)
    with session(url) as s:
        codes = list(s.execute(sa.select(col(Agency.id), col(Agency.code))))
        refs = {aid: {"env": env_name(code)} if channels == "env" else
                {"secret": secret_name(code)} for aid, code in codes}
        s.execute(sa.update(Agency), [{"id": aid, "channels": [ref]} for aid, ref in refs.items()])
    if channels == "env":
        os.environ.update({env_name(code): target for _, code in codes})
        return None
    return {secret_name(code): target for _, code in codes}.__getitem__


@probe
def dispatch(url: str, notices: str, messages: int, hook: str, channels: str = "secret"
             ) -> tuple[float, Any]:
    from tasks.notices.dispatch import dispatch as dispatch_

    todo = _first_notices(url, notices, messages)
    lookup = _channels(url, channels, hook)
    day = todo[0].day
    now = dt.datetime(day.year, day.month, day.day, 0, 30, tzinfo=dt.UTC)  # 07:30
    seconds, report = timed(lambda: dispatch_(url, todo, now, secret_lookup=lookup))
    return seconds, {"messages": len(todo), **report.counts()}


@probe
def dispatch_baseline(url: str, notices: str, messages: int, hook: str, channels: str = ""
                      ) -> tuple[float, Any]:
    """The same messages, rendered beforehand, posted with httpx by as many threads as
    dispatch sends from (PLANTRACK_SEND_THREADS), to the webhook's address itself: `channels`
    (where dispatch finds it) changes nothing here."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    import sqlalchemy as sa

    from tasks.notices.render import render
    from tasks.record.models import Agency
    from tasks.record.store import session
    from tasks.settings import send_threads

    todo = _first_notices(url, notices, messages)
    with session(url) as s:
        agencies = {a.code: a for a in s.execute(sa.select(Agency)).scalars()}
    bodies = [{"version": "1.0", "title": r.subject, "message": r.text, "attachments": [],
               "type": "info"} for r in (render(n, agencies) for n in todo)]

    threads = send_threads()

    def run() -> int:
        with httpx.Client(timeout=30) as client, ThreadPoolExecutor(threads) as pool:
            return sum(r.status_code == 200
                       for r in pool.map(lambda b: client.post(hook, json=b), bodies))

    seconds, sent = timed(run)
    return seconds, {"messages": len(todo), "sent": sent, "threads": threads}


# ── compiling a month's digest ───────────────────────────────────────────────────────────────

@probe
def digest(url: str, plan: str, month: str) -> tuple[float, Any]:
    from tasks.digest.compile import compile_digest
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session
    from tasks.status import CATEGORIES

    def run():
        with session(url) as s:
            return compile_digest(s, resolve_plan(s, plan), month)

    seconds, d = timed(run)
    return seconds, {"total": {c: d.totals[c] for c in CATEGORIES},
                     **{k["kind"]: {c: k[c] for c in CATEGORIES} for k in d.by_kind}}


@probe
def digest_baseline(url: str, plan: str, month: str) -> tuple[float, Any]:
    from benchmarks.baselines import category_counts
    from tasks.calendar import month_bounds
    from tasks.record.store import engine

    def run():
        with engine(url).connect() as c:
            return category_counts(c, plan, month_bounds(month)[1])

    return timed(run)


def main() -> None:
    name, params = sys.argv[1], json.loads(sys.argv[2])
    seconds, answer = PROBES[name](**params)
    print(json.dumps({"seconds": seconds, "answer": answer}))


if __name__ == "__main__":
    main()
