"""`plantrack digest`: a month's digest written, and sent with --send."""
from __future__ import annotations

from pathlib import Path

import typer

from flows.cli.app import PLANS, app, guarded, lang, say
from flows.cli.console import print_json, writable
from flows.clock import now, today


@app.command("digest")
def digest_cmd(month: str | None = typer.Option(
                   None, "--month"),
               out: Path = typer.Option(Path("out/digests"), "--out"),
               send: bool = typer.Option(False, "--send"),
               digest_lang: str | None = typer.Option(
                   None, "--lang"),
               docx: bool = typer.Option(False, "--docx"),
               pdf: bool = typer.Option(False, "--pdf"),
               plan: list[str] | None = PLANS,
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Compile a month's status digest of each plan from the record and write it: Markdown,
    HTML email, workbook, JSON and charts (out/digests/PLAN/YYYY-MM/); with --docx the report
    as a Word document (numbered from var/report-numbers.yaml); with --send, email it."""
    from tasks.calendar import previous_month
    from tasks.digest.month import month_plans, send_month, write_month
    from tasks.settings import database_url
    from tasks.words import check_lang

    if digest_lang is not None:
        guarded(lambda: check_lang(digest_lang, "--lang"))
    chosen = month or previous_month(today())
    writable(out, "--out")
    keys = guarded(lambda: month_plans(database_url(), plan or [], chosen))
    results, undelivered = [], []
    for key in keys:
        made = guarded(write_month, database_url(), key, chosen, out, digest_lang,
                       docx or pdf)
        if pdf:
            from tasks.digest.docx import to_pdf

            made.files["pdf"] = guarded(to_pdf, made.files["docx"])
        result = {"plan": key, "lang": made.lang,
                  "files": {name: str(path) for name, path in made.files.items()}}
        if send:
            report = send_month(database_url(), made, now())
            result["send"] = report.as_json()
            undelivered += report.undelivered(lang())
        results.append(result)
        if not as_json:
            typer.echo(say("digest_wrote", n=len(made.files), dir=made.files["md"].parent))
            for path in made.files.values():
                typer.echo(f"  {path}")
            if send:
                typer.echo(say("digest_sent", **report.counts()))
    if as_json:
        print_json({"month": chosen, "digests": results})
    elif not keys:
        typer.echo(say("digest_none", month=chosen))
    for line in undelivered:  # on stderr, with --json too, as `remind` does
        typer.echo(line, err=True)
    if undelivered:
        raise typer.Exit(1)
