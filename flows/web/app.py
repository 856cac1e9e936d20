"""The web app: FastAPI over the core, as the command line is — each route reads or appends
through tasks.web and renders a template of config/templates/web/; no rule and no query here.

Routes: `/a/TOKEN` (an agency's page and its report forms), `/feed/TOKEN/lich.ics` (its
calendar), `/signin`, `/board` (the secretariat's and leaders' view), `/board/agency/CODE`
(an agency's page as staff see it; the secretariat may report for it), the digests' files and
the evidence files. Vietnamese by default, `?lang=en` for English. Never imports Prefect.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Scope

from flows import clock
from flows.web.security import Guard
from tasks.calendar import TZ, local_date
from tasks.errors import BadInput, NotFound
from tasks.record.models import StaffUser
from tasks.record.store import session
from tasks.settings import DIGESTS, TEMPLATES, evidence_dir, public_url, web_max_upload
from tasks.templating import environment
from tasks.web import answers, board, evidence, feed, links, signing
from tasks.web.accounts import SECRETARIAT, Throttle, authenticate
from tasks.words import (
    CATEGORY_LABELS,
    COMMAND_WORDS,
    KIND_LABELS,
    LANGS,
    REPORT_STATUS_LABELS,
    ROLE_LABELS,
    TABLE_LABELS,
    TABLE_TITLES,
    WEB_WORDS,
    fmt_pct,
    month_label,
    period_label,
)

SESSION_COOKIE, PRE_COOKIE = "pt_session", "pt_pre"
FORM_OVERHEAD = 256 * 1024  # what a report form adds to its file, at most


@dataclass
class WebConfig:
    """What the app serves: the record, the clock, the day it treats as today (a replay of a
    past plan pins it; default: today in Vietnam), where digests and evidence files are."""

    database_url: str | None = None
    now: Callable[[], dt.datetime] = clock.now
    as_of: dt.date | None = None
    digests: Path = DIGESTS
    evidence: Path = field(default_factory=evidence_dir)
    max_upload: int = field(default_factory=web_max_upload)
    secure_cookies: bool = field(default_factory=lambda: public_url().startswith("https://"))


class Refusal(Exception):
    """A request refused with a page: an error key of WEB_WORDS and its HTTP status."""

    def __init__(self, key: str, status: int = 403, **values: Any):
        self.key, self.status, self.values = key, status, values


def lang_of(request: Request) -> str:
    lang = request.query_params.get("lang", "vi")
    return lang if lang in LANGS else "vi"


def with_lang(path: str, lang: str, **query: Any) -> str:
    params = {**({"lang": lang} if lang != "vi" else {}), **query}
    return path + ("?" + "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
                   if params else "")


def create_app(config: WebConfig | None = None) -> Guard:
    """The app over `config` (an ASGI app: FastAPI inside the security guard); NotConfigured
    (tasks.web.signing) without a signing secret."""
    cfg = config or WebConfig()
    signing.secret()  # refuse to start without one
    env = environment(TEMPLATES)
    stylesheet = (TEMPLATES / "web" / "style.css").read_bytes()
    throttle = Throttle()
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def now() -> dt.datetime:
        return cfg.now()

    def today() -> dt.date:
        return cfg.as_of or local_date(now())

    def db() -> Any:
        return session(cfg.database_url)

    def key() -> str:
        return signing.secret()

    def refused(request: Request, exc: BadInput) -> str:
        """Why a report was not recorded, in the page's language."""
        lang = lang_of(request)
        return WEB_WORDS[lang]["refused"].format(message=exc.said(lang))

    # ── rendering ────────────────────────────────────────────────────────────────────────

    def page(template: str, lang: str, switch: str, status: int = 200, **ctx: Any
             ) -> HTMLResponse:
        w = WEB_WORDS[lang]
        other = "en" if lang == "vi" else "vi"
        html = env.get_template(f"web/{template}.html.j2").render(
            lang=lang, w=w, cat=CATEGORY_LABELS[lang], roles=ROLE_LABELS[lang],
            period=lambda p: period_label(p, lang), switch_url=with_lang(switch, other), **ctx)
        return HTMLResponse(html, status_code=status)

    def refusal(lang: str, switch: str, r: Refusal) -> HTMLResponse:
        heading, text = WEB_WORDS[lang]["errors"][r.key]
        values = {"days": links.max_age().days, "mb": cfg.max_upload // 1048576, **r.values}
        follow = WEB_WORDS[lang]["error_next"] if r.key in (
            "tampered", "expired", "revoked", "forbidden") else ""
        return page("error", lang, switch, r.status, title=heading, heading=heading,
                    text=text.format(**values), next=follow)

    def too_large(scope: Scope) -> bytes:
        lang = "en" if b"lang=en" in scope.get("query_string", b"") else "vi"
        return bytes(refusal(lang, scope["path"], Refusal("too_large", 413)).body)

    @app.exception_handler(Refusal)
    async def _refused(request: Request, exc: Refusal) -> Response:
        return refusal(lang_of(request), request.url.path, exc)

    @app.exception_handler(HTTPException)
    @app.exception_handler(RequestValidationError)
    async def _not_found(request: Request, exc: Exception) -> Response:
        code = exc.status_code if isinstance(exc, HTTPException) else 404
        return refusal(lang_of(request), "/", Refusal("not_found", code))

    # ── agencies: the page behind the signed link ──────────────────────────────────────────

    def open_link(token: str, kind: str = signing.PAGE) -> signing.Link:
        try:
            with db() as s:
                return links.check(s, token, now(), kind)
        except signing.LinkRefused as exc:
            raise Refusal(exc.reason) from None

    def forms_for(rows: list[answers.Row], action: str, bound: Callable[[int], str],
                  errors: Mapping[int, tuple[str, dict[str, str]]]) -> dict[int, Any]:
        out = {}
        for row in rows:
            did = row.status.deadline_id
            error, values = errors.get(did, ("", {}))
            out[did] = {"action": action, "token": signing.form_token(key(), bound(did), now()),
                        "error": error, "values": values}
        return out

    def flash(lang: str, code: str, request: Request) -> dict[str, str] | None:
        rid = request.query_params.get("r", "")
        if not rid.isdigit():
            return None
        with db() as s:
            rec = answers.recorded(s, int(rid), code)
        if rec is None:
            return None
        w = WEB_WORDS[lang]
        if request.query_params.get("new") == "0":
            return {"kind": "warn", "text": w["duplicate"].format(id=rec.id)}
        return {"kind": "ok", "text": w["saved"].format(
            id=rec.id, task=rec.task, period=period_label(rec.period, lang), progress=rec.progress,
            status=REPORT_STATUS_LABELS[lang][rec.status])}

    def agency_view(request: Request, lang: str, code: str, *, heading: str, action: str,
                    bound: Callable[[int], str] | None, file_url: Callable[[int], str],
                    feed_url: str = "", expires: dt.date | None = None, back_url: str = "",
                    errors: Mapping[int, tuple[str, dict[str, str]]] | None = None,
                    status: int = 200, switch: str = "") -> HTMLResponse:
        with db() as s:
            view = answers.agency_page(s, code, today())
        name = view.agency.name_vi if lang == "vi" else view.agency.name_en
        return page("agency", lang, switch or request.url.path, status, title=heading,
                    heading=heading, page=view, agency_name=name,
                    forms=forms_for(view.open, action, bound, errors or {}) if bound else {},
                    forms_with_errors=list(errors or {}),
                    flash=flash(lang, code, request), feed_url=feed_url, expires=expires,
                    back_url=back_url, file_url=file_url, as_of=view.as_of,
                    max_mb=cfg.max_upload // 1048576, accept=evidence.ACCEPT)

    def link_page(request: Request, token: str, link: signing.Link, lang: str,
                  errors: Mapping[int, tuple[str, dict[str, str]]] | None = None,
                  status: int = 200) -> HTMLResponse:
        return agency_view(
            request, lang, link.agency, heading=WEB_WORDS[lang]["page_title"],
            action=with_lang(f"{links.page_path(token)}/report", lang),
            bound=lambda did: f"{token}|{did}",
            file_url=lambda wid: with_lang(f"{links.page_path(token)}/evidence/{wid}", lang),
            feed_url=with_lang(links.feed_path(signing.link_token(
                key(), link.agency, now(), signing.FEED)), lang),
            expires=local_date(links.expires(link)), errors=errors, status=status,
            switch=links.page_path(token))

    @app.get("/a/{token}")
    def agency_page(request: Request, token: str) -> Response:
        link = open_link(token)
        return link_page(request, token, link, lang_of(request))

    async def take_report(request: Request, code: str, bound: str | None, *, user_id: int | None,
                          reported_by: str) -> tuple[int | None, int, str, dict[str, str]]:
        """Read a report form and append it: (report id, deadline id, error, values); the
        report id is None when the form was refused with a message for the page."""
        form = await request.form(max_files=1, max_fields=20, max_part_size=64 * 1024)
        try:
            return await read_report(request, form, code, bound, user_id, reported_by)
        finally:
            await form.close()

    async def read_report(request: Request, form: Any, code: str, bound: str | None,
                          user_id: int | None, reported_by: str
                          ) -> tuple[int | None, int, str, dict[str, str]]:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        raw_id = fields.get("deadline_id", "")
        if not raw_id.isdigit():
            raise Refusal("forbidden")
        did = int(raw_id)
        try:  # the deadline must be the agency's before anything else is looked at
            with db() as s:
                answers.deadline_of(s, code, did, today())
        except answers.Forbidden:
            raise Refusal("forbidden") from None
        except BadInput as exc:
            return None, did, refused(request, exc), fields
        try:
            nonce = signing.read_form(key(), fields.get("csrf"), f"{bound}|{did}", now())
        except signing.FormRefused:
            raise Refusal("form") from None
        values = {k: v for k, v in fields.items() if k not in ("csrf", "deadline_id")}
        try:
            report = answers.report_from_form(fields, reported_by)
            report.checked(today())
            upload = form.get("evidence_file")
            kept = None
            if isinstance(upload, UploadFile) and upload.filename:
                kept = await run_in_threadpool(evidence.keep, upload.file, upload.filename,
                                               cfg.evidence, cfg.max_upload)
            done = await run_in_threadpool(
                _submit, code, did, report, nonce, request.client.host if request.client else "",
                user_id, kept)
        except BadInput as exc:
            return None, did, refused(request, exc), values
        return done.report.id, did, "" if done.new else "duplicate", values

    def _submit(code: str, did: int, report: Any, nonce: str, client: str, user_id: int | None,
                kept: evidence.Evidence | None) -> answers.Submitted:
        try:
            with db() as s:
                return answers.submit(s, code, did, report, today(), nonce, client, now(),
                                      user_id, kept)
        except sa.exc.IntegrityError:  # the same form sent twice at once: the other one won
            with db() as s:
                old = answers.already(s, nonce)
            if old is None:
                raise
            return answers.Submitted(old, False)

    @app.post("/a/{token}/report")
    async def agency_report(request: Request, token: str) -> Response:
        lang = lang_of(request)
        link = await run_in_threadpool(open_link, token)
        rid, did, error, values = await take_report(request, link.agency, token, user_id=None,
                                                    reported_by=link.agency)
        if rid is None:
            return await run_in_threadpool(link_page, request, token, link, lang,
                                           {did: (error, values)}, 400)
        return RedirectResponse(with_lang(links.page_path(token), lang, r=rid,
                                          new=int(error != "duplicate")) + f"#d{did}", 303)

    @app.get("/a/{token}/evidence/{wid}")
    def agency_evidence(token: str, wid: int) -> Response:
        link = open_link(token)
        return send_evidence(wid, link.agency)

    @app.get("/feed/{token}/" + links.FEED_FILE)
    def agency_feed(request: Request, token: str) -> Response:
        link = open_link(token, signing.FEED)
        with db() as s:
            body = feed.agency_feed(s, link.agency, today(), now(), lang_of(request))
        return Response(body, media_type="text/calendar; charset=utf-8", headers={
            "content-disposition": f'inline; filename="{links.FEED_FILE}"'})

    def send_evidence(wid: int, code: str | None) -> Response:
        try:
            with db() as s:
                f = answers.evidence_file(s, wid, code)
        except answers.Forbidden:
            raise Refusal("forbidden") from None
        except NotFound:
            raise Refusal("not_found", 404) from None
        return FileResponse(evidence.path_of(cfg.evidence, f.sha256), media_type=f.content_type,
                            filename=f.name, content_disposition_type="attachment")

    # ── staff: sign-in and sessions ────────────────────────────────────────────────────────

    def client_of(request: Request) -> str:
        return request.client.host if request.client else "-"

    def staff(request: Request) -> tuple[StaffUser, signing.StaffSession] | None:
        sess = signing.read_session(key(), request.cookies.get(SESSION_COOKIE, ""), now())
        if sess is None:
            return None
        with db() as s:
            user = s.get(StaffUser, sess.user_id)
        return (user, sess) if user else None

    def need_staff(request: Request) -> tuple[StaffUser, signing.StaffSession]:
        found = staff(request)
        if found is None:
            raise _SignIn()
        return found

    class _SignIn(Exception):
        pass

    @app.exception_handler(_SignIn)
    async def _to_signin(request: Request, exc: Exception) -> Response:
        return RedirectResponse(with_lang("/signin", lang_of(request)), 303)

    def signin_page(request: Request, lang: str, pre: str, name: str = "", error: str = "",
                    status: int = 200) -> HTMLResponse:
        response = page("signin", lang, "/signin", status,
                        title=WEB_WORDS[lang]["signin_title"], error=error, name=name,
                        action=with_lang("/signin", lang),
                        token=signing.form_token(key(), f"signin|{pre}", now()))
        response.set_cookie(PRE_COOKIE, pre, max_age=3600, httponly=True, samesite="strict",
                            secure=cfg.secure_cookies, path="/signin")
        return response

    @app.get("/")
    def home(request: Request) -> Response:
        lang = lang_of(request)
        return page("home", lang, "/", title=WEB_WORDS[lang]["home_title"],
                    signin_url=with_lang("/signin", lang))

    @app.get("/signin")
    def signin_form(request: Request) -> Response:
        pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(16)
        return signin_page(request, lang_of(request), pre)

    @app.post("/signin")
    async def signin(request: Request) -> Response:
        lang = lang_of(request)
        form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
        name = str(form.get("name", "")).strip().lower()
        password = str(form.get("password", ""))
        pre = request.cookies.get(PRE_COOKIE, "")
        try:
            signing.read_form(key(), str(form.get("csrf", "")), f"signin|{pre}", now())
        except signing.FormRefused:
            raise Refusal("form") from None
        keys = [f"client:{client_of(request)}", f"name:{name}"]
        wait = throttle.wait(keys, now())
        if wait:
            raise Refusal("throttled", 429, minutes=max(1, round(wait.total_seconds() / 60)))
        user = await run_in_threadpool(_authenticate, name, password)
        if user is None:
            throttle.failed(keys, now())
            return signin_page(request, lang, pre or secrets.token_urlsafe(16), name,
                               WEB_WORDS[lang]["wrong_password"], 401)
        throttle.succeeded(keys[1])
        response = RedirectResponse(with_lang("/board", lang), 303)
        response.set_cookie(SESSION_COOKIE, signing.session_token(key(), user.id or 0, now()),
                            max_age=int(signing.SESSION_AGE.total_seconds()), httponly=True,
                            samesite="lax", secure=cfg.secure_cookies, path="/")
        response.delete_cookie(PRE_COOKIE, path="/signin")
        return response

    def _authenticate(name: str, password: str) -> StaffUser | None:
        with db() as s:
            return authenticate(s, name, password)

    @app.post("/signout")
    async def signout(request: Request) -> Response:
        lang = lang_of(request)
        found = await run_in_threadpool(staff, request)
        if found is not None:
            form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
            try:
                signing.read_form(key(), str(form.get("csrf", "")), f"signout|{found[1].sid}",
                                  now())
            except signing.FormRefused:
                raise Refusal("form") from None
        response = RedirectResponse(with_lang("/signin", lang), 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # ── staff: the board ───────────────────────────────────────────────────────────────────

    @app.get("/board")
    def board_page(request: Request) -> Response:
        user, sess = need_staff(request)
        lang = lang_of(request)
        with db() as s:
            data = board.board(s, today(), cfg.digests)
        names = {c: (a.name_vi if lang == "vi" else a.name_en) for c, a in data.agencies.items()}
        return page(
            "board", lang, "/board", title=WEB_WORDS[lang]["board_title"], body_class="wide",
            board=data, user=user, secretariat=user.role == SECRETARIAT,
            kinds=KIND_LABELS[lang], tables=TABLE_TITLES[lang], labels=TABLE_LABELS[lang],
            states=COMMAND_WORDS[lang]["states"], report_status=REPORT_STATUS_LABELS[lang],
            rate=lambda v: fmt_pct(None if v is None else v * 100, lang),
            pct=lambda v: fmt_pct(v, lang), month=lambda m: month_label(m, lang),
            when=lambda t: f"{t.astimezone(TZ):%d/%m/%Y %H:%M}",
            agency_name=lambda code: names.get(code, code),
            agency_url=lambda code: with_lang(f"/board/agency/{quote(code)}", lang),
            digest_url=lambda p, m, n: links.digest_file_path(p, m, n),
            evidence_url=lambda wid: f"/board/evidence/{wid}",
            signout_action=with_lang("/signout", lang),
            signout_token=signing.form_token(key(), f"signout|{sess.sid}", now()))

    def staff_agency(request: Request, code: str, lang: str,
                     errors: Mapping[int, tuple[str, dict[str, str]]] | None = None,
                     status: int = 200) -> HTMLResponse:
        user, sess = need_staff(request)
        try:
            return agency_view(
                request, lang, code,
                heading=WEB_WORDS[lang]["staff_agency_title"].format(agency=code),
                action=with_lang(f"/board/agency/{quote(code)}/report", lang),
                bound=(lambda did: f"{sess.sid}|{did}") if user.role == SECRETARIAT else None,
                file_url=lambda wid: f"/board/evidence/{wid}", back_url=with_lang("/board", lang),
                errors=errors, status=status, switch=f"/board/agency/{quote(code)}")
        except NotFound:
            raise Refusal("not_found", 404) from None

    @app.get("/board/agency/{code}")
    def board_agency(request: Request, code: str) -> Response:
        return staff_agency(request, code, lang_of(request))

    @app.post("/board/agency/{code}/report")
    async def board_report(request: Request, code: str) -> Response:
        lang = lang_of(request)
        user, sess = await run_in_threadpool(need_staff, request)
        if user.role != SECRETARIAT:
            raise Refusal("role")
        rid, did, error, values = await take_report(request, code, sess.sid, user_id=user.id,
                                                    reported_by=user.name)
        if rid is None:
            return await run_in_threadpool(staff_agency, request, code, lang,
                                           {did: (error, values)}, 400)
        return RedirectResponse(with_lang(f"/board/agency/{quote(code)}", lang, r=rid,
                                          new=int(error != "duplicate")) + f"#d{did}", 303)

    @app.get("/board/evidence/{wid}")
    def board_evidence(request: Request, wid: int) -> Response:
        need_staff(request)
        return send_evidence(wid, None)

    @app.get("/board/digests/{plan}/{month}/{name}")
    def digest_file(request: Request, plan: str, month: str, name: str) -> Response:
        need_staff(request)
        path = board.digest_file(cfg.digests, plan, month, name)
        if path is None:
            raise Refusal("not_found", 404)
        # The digest's HTML is an e-mail: inline styles, no script.
        headers = {"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; "
                   "img-src 'self' data:; frame-ancestors 'none'"} if name.endswith(".html") else {}
        return FileResponse(path, headers=headers, content_disposition_type=(
            "inline" if name.endswith((".html", ".png", ".md", ".json")) else "attachment"),
            filename=name)

    # ── the rest ───────────────────────────────────────────────────────────────────────────

    @app.get("/style.css")
    def style() -> Response:
        return Response(stylesheet, media_type="text/css; charset=utf-8",
                        headers={"cache-control": "public, max-age=86400"})

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204, headers={"cache-control": "public, max-age=86400"})

    return Guard(app, cfg.max_upload + FORM_OVERHEAD, too_large, hsts=cfg.secure_cookies)

