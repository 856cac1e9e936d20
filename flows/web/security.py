"""What wraps every request: security headers, the body-size limit, and an access log that
never shows a link's signature.

Plain ASGI middleware, so that a body larger than the limit is refused while it streams in,
before anything is parsed or spooled to disk.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("plantrack.web")

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",  # a signed link never leaks through a Referer header
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cache-control": "no-store",  # pages hold a link's forms: never kept in a shared cache
}
_TOKEN_PATH = re.compile(r"^/(a|feed)/([A-Z0-9-]*)[^/]*")
DRAIN_CAP = 64 * 1024 * 1024  # a refused body up to this size is read and dropped, so that
# the browser sees the refusal page instead of a reset connection


def redact(path: str) -> str:
    """A path as the log shows it: a link's token cut to its agency code."""
    return _TOKEN_PATH.sub(lambda m: f"/{m.group(1)}/{m.group(2)}.…", path)


class _TooLarge(Exception):
    pass


class Guard:
    """Security headers on every response, the body limit on every request, the access log."""

    def __init__(self, app: ASGIApp, max_body: int, too_large: Callable[[Scope], bytes],
                 hsts: bool = False):
        self.app, self.max_body, self.too_large = app, max_body, too_large
        self.headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, state = time.monotonic(), {"status": 0, "sent": False}

        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"], state["sent"] = message["status"], True
                have = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *((k, v) for k, v in self.headers
                                                    if k not in have)]}
            await send(message)

        length = dict(scope["headers"]).get(b"content-length")
        try:
            if length is not None and length.isdigit() and int(length) > self.max_body:
                await self._drain(receive, int(length))
                raise _TooLarge
            await self.app(scope, self._counting(receive), send_headers)
        except _TooLarge:
            if not state["sent"]:
                body = self.too_large(scope)
                await send_headers({"type": "http.response.start", "status": 413, "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
                await send({"type": "http.response.body", "body": body})
        finally:
            client = (scope.get("client") or ("-",))[0]
            log.info('%s "%s %s" %s %.0f ms', client, scope["method"], redact(scope["path"]),
                     state["status"] or "-", (time.monotonic() - started) * 1000)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        return counted

    async def _drain(self, receive: Receive, length: int) -> None:
        if length > DRAIN_CAP:
            return
        more = True
        while more:
            message = await receive()
            more = message["type"] == "http.request" and message.get("more_body", False)
