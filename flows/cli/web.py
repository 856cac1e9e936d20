"""`plantrack web`: serve the web app, issue and take back agencies' links, add staff accounts.

Never imports Prefect: the app reads and appends through the core, as the other commands do.
"""
from __future__ import annotations

import sys

import typer

from flows.cli.app import app, guarded, lang
from flows.cli.console import fail, parse_date
from flows.clock import now
from tasks.words import WEB_WORDS
from tasks.words.phrase import Phrase

web_app = typer.Typer(invoke_without_command=True)
user_app = typer.Typer(no_args_is_help=True)
web_app.add_typer(user_app, name="user")
app.add_typer(web_app, name="web")


def say(key: str, **values: object) -> str:
    return WEB_WORDS[lang()]["cli"][key].format(**values)


@web_app.callback()
def web(ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host"),
        port: int = typer.Option(8080, "--port"),
        as_of: str | None = typer.Option(
            None, "--as-of")) -> None:
    """Serve the web app (uvicorn) on 127.0.0.1:8080 until Ctrl-C."""
    if ctx.invoked_subcommand is not None:
        return
    import logging

    import uvicorn

    from flows.web.app import WebConfig, create_app
    from tasks.settings import public_url

    asgi = guarded(create_app, WebConfig(as_of=parse_date(as_of, "--as-of")))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    typer.echo(say("serving", url=f"http://{host}:{port}"))
    if not public_url():
        typer.echo(say("no_public"), err=True)
    # No access log from uvicorn: it would print each link's signature (the app logs paths
    # with links cut to their agency code). Client addresses come from X-Forwarded-For only
    # when the proxy is on this machine.
    uvicorn.run(asgi, host=host, port=port, access_log=False, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", server_header=False, log_level="info")


@web_app.command("link")
def link(agency: str, feed: bool = typer.Option(False, "--feed")
         ) -> None:
    """Print a fresh link to an agency's page (or its calendar feed)."""
    from tasks.calendar import local_date
    from tasks.record.lookups import agency_id
    from tasks.record.store import session
    from tasks.settings import public_url
    from tasks.web import links
    from tasks.web.signing import FEED, PAGE, Link, secret

    guarded(secret)
    if not public_url():
        fail(Phrase("set PLANTRACK_PUBLIC_URL to the app's public address, e.g. "
                    "https://plantrack.example.gov.vn").said(lang()))
    issued = now()
    with session() as s:
        guarded(agency_id, s, agency)
    url = links.feed_url(agency, issued) if feed else links.page_url(agency, issued)
    until = links.expires(Link(agency, issued, FEED if feed else PAGE))
    typer.echo(say("link", url=url, until=f"{local_date(until):%d/%m/%Y}"))


@web_app.command("revoke")
def revoke(agency: str, note: str = typer.Option("", "--note")) -> None:
    """Take back every link of an agency issued so far (recorded; new ones work)."""
    from tasks.calendar import TZ
    from tasks.record.store import session
    from tasks.web.links import revoke as take_back

    at = now()

    def run() -> None:
        with session() as s:
            take_back(s, agency, at, note)

    guarded(run)
    typer.echo(say("revoked", agency=agency, at=f"{at.astimezone(TZ):%d/%m/%Y %H:%M:%S}"))


@user_app.command("add")
def user_add(name: str, role: str = typer.Option(..., "--role")
             ) -> None:
    """Add a staff account; the password is asked for (or read from standard input)."""
    from tasks.record.store import session
    from tasks.web.accounts import add_user

    if sys.stdin.isatty():
        password = typer.prompt(say("password"), hide_input=True)
        if typer.prompt(say("again"), hide_input=True) != password:
            fail(say("mismatch"))
    else:
        password = sys.stdin.readline().rstrip("\r\n")

    def run() -> None:
        with session() as s:
            add_user(s, name, role, password)

    guarded(run)
    typer.echo(say("user_added", name=name, role=role))
