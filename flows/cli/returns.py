"""`plantrack template`, `import` and `kpi`: returns out to agencies and back, and KPI figures.

What they print, in Vietnamese or English, and where templates are written; the decisions live
in tasks/. Core imports sit in functions so that loading the command line stays light.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from flows.cli.app import PLAN, app, guarded, lang, said
from flows.cli.console import fail, parse_date, print_json, table, writable
from flows.clock import today
from tasks.words import RETURNS_WORDS, period_label

if TYPE_CHECKING:
    from tasks.kpi import KpiTotal
    from tasks.returns.ingest import ImportResult

OUT = Path("out") / "returns"



def target(out: Path | None, agency: str, stem: str, period: str, as_csv: bool) -> Path:
    """Where one agency's return goes: --out itself for one agency, a file in --out for all."""
    suffix = ".csv" if as_csv else ".xlsx"
    if out is not None and agency != "all":
        return out.with_suffix(suffix)
    return (out or OUT / period) / f"{stem}{suffix}"


def write_returns(plan_key: str | None, agency: str, period: str, out: Path | None,
                  as_csv: bool, as_of: dt.date, lang: str) -> list[str]:
    """Write the returns and say what each file holds."""
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session
    from tasks.returns.build import build_returns, write_csv

    with session() as s:
        plan = resolve_plan(s, plan_key, as_of)
        if agency != "all":
            from tasks.record.lookups import agency_id

            agency_id(s, agency)  # NotFound names an unknown code
        returns = build_returns(s, plan, period, as_of, None if agency == "all" else agency)
    lines = []
    for ret in returns:
        path = target(out, agency, ret.stem, period, as_csv)
        if as_csv:
            written = write_csv(ret, path)
        else:
            from tasks.returns.xlsx import write_workbook

            written = [write_workbook(ret, path)]
        lines += [RETURNS_WORDS[lang]["wrote"].format(
            file=w, owed=len(ret.owed), overdue=len(ret.overdue), kpis=len(ret.kpis))
            for w in written[:1]]
        lines += [str(w) for w in written[1:]]
    return lines or [RETURNS_WORDS[lang]["none"].format(period=period_label(period, lang))]


def import_summary(result: ImportResult, lang: str) -> list[str]:
    say = RETURNS_WORDS[lang]
    return [say["stale"].format(where=w) for w in result.stale] + [say["imported"].format(
        reports=result.reports, values=result.kpi_values, files=result.files,
        unchanged=result.unchanged)]


def render_kpis(totals: list[KpiTotal], day: dt.date, lang: str, detail: bool) -> str:
    from tasks.words import fmt_date, fmt_figure

    say = RETURNS_WORDS[lang]
    if not totals:
        return say["no_values"]
    name = "name_vi" if lang == "vi" else "name_en"
    show = lambda v: "" if v is None else fmt_figure(v, lang)  # noqa: E731  11.441 / 11,441
    rows = []
    for t in totals:
        rows.append([t.key, getattr(t, name), show(t.value), t.unit,
                     f"{len(t.reported)}/{len(t.expected)}", show(t.baseline), show(t.target)])
        rows += [["", f"   – {t.part_names[p][lang]}", show(v), "", "", "", ""]
                 for p, v in t.parts.items()]
        if detail:
            rows += [["", f"      {a}", show(parts.get("")), "", "", "", ""]
                     for a, parts in t.by_agency.items()]
    title = say["kpi_title"].format(period=period_label(totals[0].period, lang),
                                    day=fmt_date(day))
    return "\n".join([title, "", table(say["kpi_head"], rows)])


@app.command("template")
def template(agency: str = typer.Option(..., "--agency"),
             period: str = typer.Option(..., "--period"),
             out: Path | None = typer.Option(
                 None, "--out"),
             as_csv: bool = typer.Option(False, "--csv"),
             as_of: str | None = typer.Option(None, "--as-of"),
             plan: str | None = PLAN) -> None:
    """Write the return an agency fills in for a month (one per agency with --agency all)."""

    from tasks.calendar import month_bounds

    day = parse_date(as_of, "--as-of") or today()
    guarded(month_bounds, period, "--period")
    if out is not None:  # where the files go can be written: checked before the record is read
        single = agency != "all"
        writable(target(out, agency, "", period, as_csv) if single else out, "--out", file=single)
    for line in guarded(lambda: write_returns(plan, agency, period, out, as_csv, day, lang())):
        typer.echo(line)


@app.command("import")
def import_cmd(files: list[Path] = typer.Argument(...),
               on: str | None = typer.Option(
                   None, "--on"),
               plan: str | None = PLAN,
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Take in returns: all rows of all files, or nothing and every problem (exit 2).

    Problems are listed as FILE:SHEET:ROW: column: message."""
    from dataclasses import asdict

    from tasks.errors import ImportRefused
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session
    from tasks.returns.ingest import import_returns

    day = parse_date(on, "--on") or today()
    if day > today():
        fail(said("future_on", day=f"{day:%d/%m/%Y}"))

    def run():
        with session() as s:
            return import_returns(s, resolve_plan(s, plan, day), list(files), day)

    try:
        result = guarded(run)
    except ImportRefused as exc:
        for line in exc.lines(lang()):
            typer.echo(line, err=True)
        fail(RETURNS_WORDS[lang()]["refused"].format(n=len(exc.problems),
                                           files=len({p.file for p in exc.problems})))
    if as_json:
        print_json(asdict(result))
        return
    for line in import_summary(result, lang()):
        typer.echo(line)


@app.command("kpi")
def kpi_cmd(period: str | None = typer.Option(
                None, "--period"),
            as_of: str | None = typer.Option(None, "--as-of"),
            detail: bool = typer.Option(False, "--detail"),
            plan: str | None = PLAN,
            as_json: bool = typer.Option(False, "--json")) -> None:
    """KPI figures of a month, rolled up from the reporting agencies to the province."""
    from tasks.calendar import month_bounds
    from tasks.kpi import latest_period, rollup
    from tasks.record.lookups import resolve_plan
    from tasks.record.store import session

    day = parse_date(as_of, "--as-of") or today()

    def run():
        with session() as s:
            p = resolve_plan(s, plan, day)
            month = period or latest_period(s, p, day)
            if month is None:
                return []
            month_bounds(month)  # BadInput on a malformed --period
            return rollup(s, p, month, day)

    totals = guarded(run)
    if as_json:
        print_json({"as_of": day.isoformat(), "kpis": [t.as_json() for t in totals]})
        return
    typer.echo(render_kpis(totals, day, lang(), detail))
