"""Zalo as a channel, against a stand-in for Zalo's servers on 127.0.0.1.

The stand-in answers the OA message API (POST /v3.0/oa/message/cs) and the token endpoint
(POST /v4/oa/access_token) as Zalo does — HTTP 200 with an `error` code in the JSON — and keeps
every request, so the tests check their shape: the headers, the form, the JSON. Like Zalo, it
voids a refresh token once used and hands out a new one with each access token.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

import tasks.notices.zalo as zalo  # registers zalo:// with Apprise
from tasks.notices.channels import Outgoing, masked, send_url

from servers import serving

APP, SECRET = "4291763606161179100", "app-secret-Q7xv"
FIRST_REFRESH = "refresh-0-kj3h5g"


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    json: dict | None = None


class FakeZalo:
    """Zalo's two endpoints; `refresh_tokens` valid once each, `access_tokens` valid."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.refresh_tokens = {FIRST_REFRESH}
        self.access_tokens: set[str] = set()
        self.issued = 0
        self.unfollowed: set[str] = set()  # users who do not follow the OA
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, req: Request) -> dict:
        with self.lock:
            self.requests.append(req)
            if req.path == "/v4/oa/access_token":
                if req.headers.get("secret_key") != SECRET or req.form.get("app_id") != APP:
                    return {"error": -14002, "error_name": "Invalid app secret"}
                token = req.form.get("refresh_token")
                if req.form.get("grant_type") != "refresh_token" or token not in self.refresh_tokens:
                    return {"error": -14014, "error_name": "Invalid refresh token",
                            "error_description": "Refresh token is invalid or expired"}
                self.refresh_tokens.discard(token)  # a refresh token works once
                self.issued += 1
                access, refresh = f"access-{self.issued}-x9", f"refresh-{self.issued}-p2"
                self.access_tokens.add(access)
                self.refresh_tokens.add(refresh)
                return {"access_token": access, "refresh_token": refresh, "expires_in": "90000"}
            if req.path == "/v3.0/oa/message/cs":
                if req.headers.get("access_token") not in self.access_tokens:
                    return {"error": -216, "message": "Access token is invalid"}
                user = req.json["recipient"]["user_id"]
                if user in self.unfollowed:
                    return {"error": -213, "message": "User has not followed OA"}
                return {"error": 0, "message": "Success",
                        "data": {"message_id": f"m{len(self.requests)}", "user_id": user}}
            return {"error": -201, "message": "unknown endpoint"}

    def messages(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/message/cs")]

    def refreshes(self) -> list[Request]:
        return [r for r in self.requests if r.path.endswith("/access_token")]

    def expire_all(self) -> None:
        """Every access token handed out stops working (as after 25 hours)."""
        self.access_tokens.clear()


@contextmanager
def fake_zalo() -> Iterator[FakeZalo]:
    fake = FakeZalo()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            kind = self.headers.get("Content-Type", "")
            req = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            if kind.startswith("application/json"):
                req.json = json.loads(raw)
            else:
                req.form = {k: v[0] for k, v in parse_qs(raw).items()}
            body = json.dumps(fake.answer(req)).encode()
            self.send_response(200)  # Zalo answers errors with 200 and an error code
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    with serving(server):
        yield fake


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "var" / "zalo-tokens.json"
    monkeypatch.setattr(zalo, "STORE", path)
    return path


def url(fake: FakeZalo, *users: str, refresh: str = FIRST_REFRESH, secret: str = SECRET) -> str:
    return (f"zalo://{APP}/{'/'.join(users)}?secret={secret}&refresh_token={refresh}"
            f"&api={fake.url}&oauth={fake.url}")


def out(text: str = "Kính gửi: Sở Nội vụ\n\n1. Báo cáo tháng 9 — hạn 20/09/2024.",
        subject: str = "Nhắc việc ngày 18/09/2024") -> Outgoing:
    return Outgoing("SNV", "reminder", dt.date(2024, 9, 18), subject, text, f"<p>{text}</p>")


def test_first_message_refreshes_the_token_then_writes_each_follower(store):
    with fake_zalo() as fake:
        result = send_url(out(), url(fake, "1111", "2222"))
        assert result.ok, result.error
        [refresh] = fake.refreshes()
        assert refresh.headers["secret_key"] == SECRET
        assert refresh.headers["content-type"].startswith("application/x-www-form-urlencoded")
        assert refresh.form == {"app_id": APP, "grant_type": "refresh_token",
                                "refresh_token": FIRST_REFRESH}
        sent = fake.messages()
        assert [m.json for m in sent] == [
            {"recipient": {"user_id": u}, "message": {"text": "Nhắc việc ngày 18/09/2024\n\n"
                                                               "Kính gửi: Sở Nội vụ\n\n1. Báo cáo "
                                                               "tháng 9 — hạn 20/09/2024."}}
            for u in ("1111", "2222")]
        assert {m.headers["access_token"] for m in sent} == {"access-1-x9"}
        assert all(m.headers["content-type"] == "application/json" for m in sent)

    # the tokens are kept for the next process, readable by their owner alone
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    kept = json.loads(store.read_text())[APP]
    assert (kept["access_token"], kept["refresh_token"]) == ("access-1-x9", "refresh-1-p2")
    assert FIRST_REFRESH not in store.read_text()


def test_the_kept_token_is_used_and_renewed_once_when_zalo_says_it_expired(store):
    with fake_zalo() as fake:
        assert send_url(out(), url(fake, "1111")).ok
        assert send_url(out(), url(fake, "1111")).ok  # the kept access token: no refresh
        assert len(fake.refreshes()) == 1 and len(fake.messages()) == 2

        fake.expire_all()  # a day later Zalo no longer takes it
        assert send_url(out(), url(fake, "1111")).ok
        # refused once (-216), renewed with the refresh token Zalo handed out last time (the
        # URL's is spent), sent again
        assert [r.form["refresh_token"] for r in fake.refreshes()] == [FIRST_REFRESH,
                                                                       "refresh-1-p2"]
        assert [m.headers["access_token"] for m in fake.messages()][-2:] == [
            "access-1-x9", "access-2-x9"]
        assert json.loads(store.read_text())[APP]["refresh_token"] == "refresh-2-p2"


def test_a_new_refresh_token_in_the_url_starts_afresh(store):
    with fake_zalo() as fake:
        assert send_url(out(), url(fake, "1111")).ok
        fake.refresh_tokens.add("refresh-new-authorised")  # the app authorised again
        assert send_url(out(), url(fake, "1111", refresh="refresh-new-authorised")).ok
        assert [r.form["refresh_token"] for r in fake.refreshes()] == [
            FIRST_REFRESH, "refresh-new-authorised"]


def test_a_long_message_goes_in_parts_of_at_most_2000_characters(store):
    lines = [f"{n}. Báo cáo kết quả thực hiện Chỉ thị 56-CT/TU hằng tháng — hạn 25/{n:02d}/2024"
             for n in range(1, 61)]
    with fake_zalo() as fake:
        assert send_url(out("\n".join(lines)), url(fake, "1111")).ok
        texts = [m.json["message"]["text"] for m in fake.messages()]
    assert len(texts) >= 2 and all(len(t) <= 2000 for t in texts)
    assert "\n".join(texts) == "Nhắc việc ngày 18/09/2024\n\n" + "\n".join(lines)
    assert zalo.parts("x" * 4500) == ["x" * 2000, "x" * 2000, "x" * 500]


def test_refusals_are_failures_that_name_zalos_error_and_no_secret(store):
    with fake_zalo() as fake:
        bad = send_url(out(), url(fake, "1111", refresh="refresh-revoked"))
        assert not bad.ok and not fake.messages()
        assert "Zalo error -14014 (Refresh token is invalid or expired)" in bad.error
        wrong = send_url(out(), url(fake, "1111", secret="not-the-secret"))
        assert "Zalo error -14002 (Invalid app secret)" in wrong.error

        fake.unfollowed.add("2222")  # one recipient does not follow the OA: the other is written
        partly = send_url(out(), url(fake, "1111", "2222", "3333"))
        assert not partly.ok
        assert "message to 2222: Zalo error -213 (User has not followed OA)" in partly.error
        assert [m.json["recipient"]["user_id"] for m in fake.messages()] == ["1111", "2222",
                                                                             "3333"]
        for result in (bad, wrong, partly):
            for secret in (SECRET, FIRST_REFRESH, "refresh-revoked", "not-the-secret",
                           "access-1-x9"):
                assert secret not in result.error and secret not in result.channel

    with fake_zalo() as gone:
        down = gone.url
    result = send_url(out(), f"zalo://{APP}/1111?secret={SECRET}&refresh_token=r-123456"
                             f"&api={down}&oauth={down}")
    assert not result.ok and "refresh: ConnectError" in result.error


def test_the_record_shows_the_application_and_recipients_never_the_secrets():
    label = masked(f"zalo://{APP}/1111/2222?secret={SECRET}&refresh_token={FIRST_REFRESH}")
    assert label == f"zalo://{APP}/1111/2222?refresh_token=****&secret=****"
    incomplete = send_url(out(), f"zalo://{APP}/1111?secret={SECRET}")
    assert not incomplete.ok and "zalo:// without refresh_token" in incomplete.error
