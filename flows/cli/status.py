"""`plantrack status`: where each deadline stands, as a table a person reads or as JSON.

Nothing heavy is imported before the command runs: the view's core imports sit in functions.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from typing import TYPE_CHECKING, Any

import typer

from flows.cli.app import PLANS, app, guarded, lang
from flows.cli.console import parse_date, print_json, table
from flows.clock import today
from tasks.words import (
    CATEGORY_LABELS,
    KIND_LABELS,
    ROLE_LABELS,
    STATUS_WORDS,
    fmt_date,
    fmt_pct,
    fmt_whole_pct,
    period_label,
)

if TYPE_CHECKING:
    from tasks.status import DeadlineStatus



def _rollup_table(rows: list[DeadlineStatus], by: str, lang: str, names: dict[str, str]) -> str:
    from tasks.status import CATEGORIES, rollup, summary
    from tasks.words import KINDS

    h, cats = STATUS_WORDS[lang], CATEGORY_LABELS[lang]
    order = (lambda g: (KINDS.index(g[by]), g[by])) if by == "kind" else (lambda g: g[by])
    groups = sorted(rollup(rows, by), key=order)  # kinds in the plan's order, agencies by code
    label = (lambda k: KIND_LABELS[lang].get(k, k)) if by == "kind" else names.get

    def line(name: object, g: dict[str, Any]) -> list[object]:
        rate = fmt_whole_pct(g["on_time_rate"], lang)
        return [name, g["total"], *[g[c] for c in CATEGORIES], rate]

    body = [line(label(g[by]), g) for g in groups] + [line(h["all"], summary(rows))]
    return table([h[by], h["total"], *[cats[c] for c in CATEGORIES], h["rate"]], body)


def render_status(title: str, day: dt.date, rows: list[DeadlineStatus], lang: str,
                  detail: bool, names: dict[str, str]) -> str:
    """One plan's status as a person reads it: the plan, the agencies and the deadlines by their
    names, periods as written (tháng 9/2024), at most 100 columns wide."""
    h = STATUS_WORDS[lang]
    out = [textwrap.fill(h["title"].format(plan=title, day=fmt_date(day)), 100), ""]
    if not rows:
        return "\n".join(out + [h["none"]])
    out += [_rollup_table(rows, "kind", lang, names), "",
            _rollup_table(rows, "agency", lang, names)]
    if detail:
        cats, roles = CATEGORY_LABELS[lang], ROLE_LABELS[lang]
        out += ["", table(
            [h["due"], h["task"], h["agency"], h["role"], h["period"], h["status"], h["late"],
             h["progress"]],
            [[fmt_date(r.due_on), getattr(r, f"title_{lang}"), names.get(r.agency, r.agency),
              roles[r.role], period_label(r.period, lang), cats[r.category], r.days_late or "",
              fmt_pct(r.progress, lang)] for r in rows])]
    return "\n".join(out)


@app.command("status")
def status(as_of: str | None = typer.Option(None, "--as-of"),
           agency: str | None = typer.Option(None, "--agency"),
           task: str | None = typer.Option(None, "--task"),
           plan: list[str] | None = PLANS,
           detail: bool = typer.Option(False, "--detail"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Where each deadline stands as of a day, with roll-ups by task kind and agency, for every
    plan active that day (or the plans named)."""
    from tasks.record.lookups import agencies_by_code, resolve_plans
    from tasks.record.store import session
    from tasks.status import plans_statuses, rollup, summary

    day = parse_date(as_of, "--as-of") or today()

    def run():
        with session() as s:
            plans = resolve_plans(s, plan or [], day)
            titles = {p.key: getattr(p, f"title_{lang()}") or p.key for p in plans}
            names = {a.code: getattr(a, f"name_{lang()}") or a.code
                     for a in agencies_by_code(s).values()}
            return titles, names, plans_statuses(s, plans, day, agency=agency, task=task)

    titles, names, rows = guarded(run)
    keys = list(titles)
    by_plan = {k: [r for r in rows if r.plan == k] for k in keys}
    if as_json:
        print_json({"plan": keys[0] if len(keys) == 1 else None, "plans": keys,
                    "as_of": day.isoformat(), "filters": {"agency": agency, "task": task},
                    "totals": summary(rows), "by_plan": rollup(rows, "plan"),
                    "by_kind": rollup(rows, "kind"),
                    "by_task": [g | {"plan": k} for k in keys
                                for g in rollup(by_plan[k], "task")],
                    "by_agency": rollup(rows, "agency"),
                    "deadlines": [r.as_json() for r in rows]})
        return
    if not keys:
        typer.echo(STATUS_WORDS[lang()]["no_plan"].format(day=fmt_date(day)))
    typer.echo("\n\n".join(render_status(titles[k], day, by_plan[k], lang(),
                                         detail or bool(agency or task), names) for k in keys))
