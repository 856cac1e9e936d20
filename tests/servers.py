"""Real servers on 127.0.0.1 for delivery tests: SMTP (aiosmtpd) and an HTTP webhook receiver.

Each is a context manager that starts the server on a free port and stops it on exit; tests
wait for messages on a condition, never by sleeping. Both can misbehave as real ones do: a
webhook that takes the message and answers late (`slow`), an SMTP server that takes the
message and drops the connection before its answer (`drop_after_data`); and both can run a
test's hook when a message arrives (`on_post`, `on_data`: the record failing mid-send).
"""
from __future__ import annotations

import email
import email.header
import email.policy
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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
    headers: dict[str, list[str]] = field(default_factory=dict)  # every header, each value

    @property
    def message_id(self) -> str:
        return self.headers.get("Message-ID", [""])[0]


def _parse_mail(envelope) -> Mail:
    msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    headers: dict[str, list[str]] = {}
    for name, value in msg.items():
        headers.setdefault(name, []).append(str(value))
    return Mail(envelope.mail_from, list(envelope.rcpt_tos), str(msg["Subject"]),
                text.get_content() if text else "", html.get_content() if html else "", files,
                headers)


class _SmtpHandler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        mail = _parse_mail(envelope)
        self.server.inbox.add(mail)
        if self.server.on_data is not None:
            self.server.on_data(mail)
        if self.server.drop_after_data:  # taken, and the connection closed before "250"
            server.transport.close()
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    logins: list[tuple[str, str]] = field(default_factory=list)
    drop_after_data: bool = False  # take each message, then close before answering
    on_data: Callable[[Mail], None] | None = None  # run as each message is taken

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

    controller = Controller(_SmtpHandler(server), hostname="127.0.0.1", port=server.port,
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
    method: str = "POST"
    target: str = ""  # the request line's target: path and query
    raw: bytes = b""  # the body as it came


@dataclass
class HttpServer:
    port: int
    inbox: Inbox
    status: dict[str, int] = field(default_factory=dict)  # path → status code (default 200)
    slow: dict[str, float] = field(default_factory=dict)  # path → seconds before answering
    moved: dict[str, str] = field(default_factory=dict)  # path → where a 307 sends it
    on_post: Callable[[Hook], None] | None = None  # run as each message is taken
    scheme: str = "json"  # jsons when the server speaks TLS

    def url(self, path: str, query: str = "") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}" + (f"?{query}" if query else "")

    def received(self, path: str | None = None) -> list[Hook]:
        return [h for h in self.inbox.items if path is None or h.path == path]

    def kept(self, path: str | None = None) -> list[Hook]:
        """What a receiver that drops a second copy (same Idempotency-Key) would keep."""
        seen: dict[str, Hook] = {}
        for h in self.received(path):
            seen.setdefault(h.headers.get("Idempotency-Key", str(id(h))), h)
        return list(seen.values())


@contextmanager
def http_server(tls: tuple[Path, Path] | None = None) -> Iterator[HttpServer]:
    """A ThreadingHTTPServer that records every POST or PUT (only successful ones) as a Hook;
    over TLS with `tls` (certificate, key)."""
    inbox = Inbox()
    state = HttpServer(0, inbox, scheme="jsons" if tls else "json")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?")[0]
            if path in state.moved:
                self.send_response(307)
                self.send_header("Location", state.moved[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            code = state.status.get(path, 200)
            if code == 200:
                hook = Hook(path, dict(self.headers), json.loads(body), self.command, self.path,
                            body)
                inbox.add(hook)
                if state.on_post is not None:
                    state.on_post(hook)
            if path in state.slow:  # taken, but answered after the sender stopped waiting
                time.sleep(state.slow[path])
            try:
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:  # the sender hung up
                pass

        do_PUT = do_POST

        def log_message(self, *_args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    state.port = server.server_address[1]
    with serving(server):
        yield state


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """`server` answering from a thread of its own until the block ends, then closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, signed by itself, and its key: (cert.pem, key.pem)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
                ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


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


# ── PostgreSQL of the test's own, to stop and start ──────────────────────────────────────────

@dataclass
class OwnPostgres:
    """A throwaway PostgreSQL cluster (never the shared one): its URL, and stop/start/restart."""

    bin: Path
    data: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str) -> None:
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                      str(self.data / "log"), "-w", *args])

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")

    def start(self) -> None:
        self.ctl("-o", f"-h 127.0.0.1 -p {self.port} -k {self.data} -F", "start")

    def restart(self) -> None:
        self.ctl("-m", "fast", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.data} -F",
                 "restart")


def _as_postgres(cmd: list[str]) -> None:
    """Run a PostgreSQL tool as the postgres user when we are root (initdb refuses root)."""
    import os
    import shlex
    import subprocess

    if os.geteuid() == 0:
        cmd = ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(cmd)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl, if PostgreSQL is installed."""
    import glob
    import shutil

    found = shutil.which("initdb") or next(iter(sorted(glob.glob(
        "/usr/lib/postgresql/*/bin/initdb"))[::-1]), None)
    return Path(found).parent if found else None


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """initdb, start on a free port, and stop and remove it on exit (about 2 s)."""
    import os
    import shutil
    import tempfile

    pgbin = postgres_bin()
    if pgbin is None:
        raise RuntimeError("PostgreSQL is not installed (initdb not found)")
    data = Path(tempfile.mkdtemp(prefix="plantrack-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    cluster = OwnPostgres(pgbin, data, free_port())
    try:
        _as_postgres([str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                      "--no-sync", "-E", "UTF8"])
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.ctl("-m", "immediate", "stop")
        except Exception:  # noqa: S110 - never started, or already stopped
            pass
        shutil.rmtree(data, ignore_errors=True)
