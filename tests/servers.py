"""Real servers on 127.0.0.1 for delivery tests: SMTP (aiosmtpd) and an HTTP webhook receiver.

Each is a context manager that starts the server on a free port and stops it on exit; tests
wait for messages on a condition, never by sleeping.
"""
from __future__ import annotations

import email
import email.header
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Inbox:
    """Things received by a server, with a way to wait until enough have arrived."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._cond = threading.Condition()

    def add(self, item: Any) -> None:
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    def wait_for(self, n: int, timeout: float = 10) -> list[Any]:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.items) >= n, timeout):
                raise AssertionError(f"expected {n} messages, got {len(self.items)}")
            return list(self.items)


# ── SMTP ─────────────────────────────────────────────────────────────────────────────────────

@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    subject: str
    text: str
    html: str
    attachments: dict[str, bytes]


def _parse_mail(envelope) -> Mail:
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    return Mail(envelope.mail_from, list(envelope.rcpt_tos), str(msg["Subject"]),
                text.get_content() if text else "", html.get_content() if html else "", files)


class _SmtpHandler:
    def __init__(self, inbox: Inbox):
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):
        self.inbox.add(_parse_mail(envelope))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    logins: list[tuple[str, str]] = field(default_factory=list)

    def url(self, to: str, sender: str = "plantrack@example.org", login: str = "") -> str:
        """An Apprise mailto:// URL to this server (login 'user:password' uses SMTP AUTH)."""
        auth = f"{login}@" if login else ""
        mode = "&mode=insecure" if login else ""
        return f"mailto://{auth}127.0.0.1:{self.port}?from={sender}&to={to}{mode}"


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    """aiosmtpd on a free port, accepting any login without TLS (it is 127.0.0.1)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    inbox = Inbox()
    server = SmtpServer(free_port(), inbox)

    def authenticate(_server, _session, _envelope, _mechanism, data):
        server.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=True)

    controller = Controller(_SmtpHandler(inbox), hostname="127.0.0.1", port=server.port,
                            authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


# ── HTTP ─────────────────────────────────────────────────────────────────────────────────────

@dataclass
class Hook:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class HttpServer:
    port: int
    inbox: Inbox
    status: dict[str, int] = field(default_factory=dict)  # path → status code (default 200)

    def url(self, path: str, query: str = "") -> str:
        return f"json://127.0.0.1:{self.port}{path}" + (f"?{query}" if query else "")

    def received(self, path: str | None = None) -> list[Hook]:
        return [h for h in self.inbox.items if path is None or h.path == path]


@contextmanager
def http_server() -> Iterator[HttpServer]:
    """A ThreadingHTTPServer that records every POST (only successful ones) as a Hook."""
    inbox = Inbox()
    state = HttpServer(0, inbox)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            code = state.status.get(self.path.split("?")[0], 200)
            if code == 200:
                inbox.add(Hook(self.path.split("?")[0], dict(self.headers), json.loads(body)))
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# ── ports ────────────────────────────────────────────────────────────────────────────────────

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def refused_port() -> Iterator[int]:
    """A port bound but not listening: every connection to it is refused, and nobody else
    can take it while the test runs."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]
