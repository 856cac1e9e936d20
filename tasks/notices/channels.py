"""Where an agency is notified, and one message sent through one Apprise URL, with secrets masked.

The agency directory names channels by reference only: an environment variable holding one or
more Apprise URLs (separated by spaces, commas or new lines), or a Prefect Secret block read
through a `secret_lookup` the flows pass in (this module never imports Prefect).

A URL is never stored or logged. The record keeps a label: Apprise's privacy form of the URL
with, on top, every custom header value and secret-looking query value masked, and every long
opaque path segment (a webhook's token: `json://host/hooks/TOKEN`) replaced by **** and a short
fingerprint (so two webhooks on one host keep two labels). Every error text is scrubbed of the
URL's secret parts before it is kept. Apprise's logger is set up before any Apprise object is
built: nothing it says reaches the application's logs (it is only captured, per send, to read
the error), and what it captures is scrubbed of the URL being sent; urllib3's request lines are
kept at WARNING with opaque path segments masked.

Each message carries its key (RECIPIENT:YYYY-MM-DD:kind[:scope]) to the receiver, so that a
second copy can be dropped: `Idempotency-Key` and `X-Plantrack-Message` headers on webhooks
(json://, xml://, form://), `X-Plantrack-Message` and a `Message-ID` made from the key on e-mail.
A channel that does not answer within PLANTRACK_SEND_TIMEOUT is recorded as a timeout: it may
have the message, and a retry carries the same key.
"""
from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from tasks.errors import NoChannel
from tasks.notices import webhook
from tasks.record.models import Agency
from tasks.settings import env, send_timeout

SecretLookup = Callable[[str], str]
MASK = "****"
_SECRET_PARAM = re.compile(r"token|key|secret|pass|pwd|auth|sig|code|cred", re.I)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.I)
_TOKENS = re.compile(r"[/:@?&=#,;\s]+")
# a path segment in free text: after a single "/" (not the "//" before a host)
_SEGMENT = re.compile(r"(?<!/)/([^/\s?#&\"'<>()\[\],;]+)")


def message_key(recipient: str, day: dt.date, kind: str, scope: str = "") -> str:
    """How a message is named in outcomes, logs, tests and to its receiver:
    RECIPIENT:YYYY-MM-DD:kind, and :scope for a message of one plan (a digest)."""
    return f"{recipient}:{day.isoformat()}:{kind}" + (f":{scope}" if scope else "")


class _MadeOnRead:
    """A field given as its value, or as a function that makes it: made on first read, once
    (the HTML of a message sent only to channels that take text is never rendered)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj: Any, owner: type | None = None) -> str:
        if obj is None:
            raise AttributeError(self.slot[1:])  # no default: the field is required
        value = obj.__dict__[self.slot]
        if callable(value):
            value = obj.__dict__[self.slot] = value()
        return value

    def __set__(self, obj: Any, value: str | Callable[[], str]) -> None:
        obj.__dict__[self.slot] = value


@dataclass(frozen=True)
class Outgoing:
    """A rendered message ready to go: what every sender gets, Apprise or the replay's files.
    `html` may be given as a function that renders it: it is then rendered when first read."""

    recipient: str
    kind: str
    day: dt.date
    subject: str
    text: str
    html: _MadeOnRead = _MadeOnRead()
    attachments: tuple[Path, ...] = ()
    scope: str = ""  # the plan a message of one plan is about (a digest); "" for all plans

    @property
    def key(self) -> str:
        return message_key(self.recipient, self.day, self.kind, self.scope)


@dataclass(frozen=True)
class ChannelResult:
    """The outcome of sending one message through one channel (channel = masked URL)."""

    channel: str
    ok: bool
    error: str = ""
    attempts: int = 1


class Sender(Protocol):
    """Sends one message to an agency through every channel not in `done` (masked URLs). A
    sender that may be called from several threads at once says how many in a `threads`
    attribute (AppriseSender: PLANTRACK_SEND_THREADS); any other is called one message at a
    time."""

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        ...


def env_name(code: str) -> str:
    """The environment variable an agency's channel conventionally lives in."""
    return "PLANTRACK_CH_" + re.sub(r"[^A-Z0-9]", "_", code.upper())


def split_urls(value: str) -> list[str]:
    """Apprise URLs in a string; a comma inside a URL's own query (to=a,b) is kept."""
    return list(_split_urls(value or ""))


@lru_cache(maxsize=4096)
def _split_urls(value: str) -> tuple[str, ...]:
    """split_urls, worked out once per value (each message sent reads its channels again)."""
    _quiet_loggers()
    from apprise.utils.parse import parse_urls

    return tuple(u for u in parse_urls(value, store_unparseable=False) if u)


def _urls_of(ref: dict[str, str], lookup: SecretLookup | None) -> tuple[list[str], str]:
    """The URLs a channel reference holds, and what to set when it holds none."""
    if "env" in ref:
        return split_urls(env(ref["env"])), \
            f"set {ref['env']} to one or more Apprise URLs"
    block = ref.get("secret")
    if lookup is None:
        return [], f"secret block '{block}' needs a secret lookup (the flows pass one)"
    try:
        # ref["secret"]: a plan's channel names exactly one of env and secret
        return split_urls(lookup(ref["secret"])), f"secret block '{block}' holds no Apprise URL"
    except Exception as exc:  # a missing block must not stop the other channels
        return [], f"secret block '{block}' could not be read ({type(exc).__name__})"


def _targets(agency: Agency, lookup: SecretLookup | None) -> list[tuple[str, str | None, str]]:
    """(label, url or None, error) for each URL of each channel the agency references."""
    if not agency.channels:
        return [("-", None, f"no channel: the directory lists none for {agency.code}; add "
                            f"channels: [{{env: {env_name(agency.code)}}}] and set that variable")]
    out: list[tuple[str, str | None, str]] = []
    for ref in agency.channels:
        urls, missing = _urls_of(ref, lookup)
        label = f"env:{ref['env']}" if "env" in ref else f"secret:{ref.get('secret')}"
        out += [(masked(u), u, "") for u in urls] or [(label, None, f"no channel: {missing}")]
    return out


def resolve_urls(agency: Agency, secret_lookup: SecretLookup | None = None) -> list[str]:
    """Every Apprise URL an agency's channels hold; NoChannel (naming what to set) if none."""
    targets = _targets(agency, secret_lookup)
    urls = [u for _, u, _ in targets if u]
    if not urls:
        raise NoChannel("no usable channel: {missing}",
                        missing="; ".join(err for _, _, err in targets))
    return urls


# ── Apprise's logger, and the URL it is working on ──────────────────────────────────────────

# The URL being masked or sent, and its label (None while the label is being made): what the
# filter on Apprise's logger scrubs from every line Apprise says meanwhile.
_WORKING_ON: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "plantrack_apprise_url", default=None)
# How Apprise's lines below WARNING that say the exception behind a failed send begin: the only
# ones _error_of reads.
_CAUSE = "Socket Exception"
# The Message-ID an e-mail being sent gets (Apprise 2.0 makes a random one; see _message_ids).
_MESSAGE_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "plantrack_message_id", default=None)


class _ScrubApprise(logging.Filter):
    """On Apprise's logger: a line said while a URL is sent has that URL's secrets masked; a
    line said while a label is made, or about no URL of ours, is dropped if it shows a URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        working = _WORKING_ON.get()
        if working is not None and record.levelno < logging.WARNING \
                and not str(record.msg).startswith(_CAUSE):
            return False  # not read by _error_of: not scrubbed, not captured
        text = record.getMessage()
        if working is None or working[1] is None:
            return "://" not in text and not _opaque_in(text)
        record.msg, record.args = mask_paths(redact(text, working[0], working[1])), ()
        return True


class _MaskPaths(logging.Filter):
    """On urllib3's logger: request lines (`POST /hooks/TOKEN`) with opaque segments masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = mask_paths(record.getMessage()), ()
        return True


def _quiet_loggers() -> None:
    """Before any Apprise object is built (and again at each use, in case logging was set up
    again since): Apprise's logger passes nothing on — no handler of the application, not the
    root's, not Prefect's, ever sees a line of it; it stays at DEBUG only so that each send can
    capture its own lines (the timeout behind "A Connection error occurred"), scrubbed by
    _ScrubApprise. urllib3 (which prints each request line, a bot token in the path) is kept
    at WARNING, its lines masked."""
    log = logging.getLogger("apprise")
    log.propagate, log.disabled = False, False
    if log.level != logging.DEBUG:  # setting it clears every logger's cache, under a lock
        log.setLevel(logging.DEBUG)
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())  # not the last-resort handler on stderr either
    if not any(isinstance(f, _ScrubApprise) for f in log.filters):
        log.addFilter(_ScrubApprise())
    http = logging.getLogger("urllib3")
    if http.level < logging.WARNING:
        http.setLevel(logging.WARNING)
    if not any(isinstance(f, _MaskPaths) for f in http.filters):
        http.addFilter(_MaskPaths())


def _apprise() -> Any:
    """The apprise module, its loggers quietened first."""
    _quiet_loggers()
    import apprise

    import tasks.notices.zalo  # noqa: F401  (registers zalo:// with Apprise)

    _message_ids()
    return apprise


@contextmanager
def _working_on(url: str, label: str | None) -> Iterator[None]:
    token = _WORKING_ON.set((url, label))
    try:
        yield
    finally:
        _WORKING_ON.reset(token)


def _service(url: str) -> tuple[Any, Any]:
    apprise = _apprise()
    ap = apprise.Apprise(asset=apprise.AppriseAsset(app_id="plantrack", app_desc="plantrack"))
    return ap, (ap[0] if ap.add(url) else None)


def is_email(url: str) -> bool:
    """Whether an Apprise URL is an e-mail one (mailto://, mailtos:// and the providers')."""
    from apprise.plugins.email import NotifyEmail

    with _working_on(url, None):
        return isinstance(_service(url)[1], NotifyEmail)


# ── masking ──────────────────────────────────────────────────────────────────────────────────

def _opaque(segment: str) -> bool:
    """A path segment that looks like a token: 16 characters or more, or 8 or more mixing
    letters and digits (a Slack or Discord id, a webhook's key) — not an e-mail address, a
    host or a file name."""
    s = unquote(segment)
    if s.startswith(MASK) or "@" in s or "." in s:  # an address, a host, a file: not a token
        return False
    letters, digits = any(c.isalpha() for c in s), any(c.isdigit() for c in s)
    return len(s) >= 16 or (len(s) >= 8 and letters and digits)


def _hidden(segment: str) -> str:
    """A masked segment: **** and a fingerprint (6 hex digits of its SHA-256)."""
    return MASK + hashlib.sha256(unquote(segment).encode()).hexdigest()[:6]


def _opaque_in(text: str) -> bool:
    return any(_opaque(m.group(1)) for m in _SEGMENT.finditer(text))


def mask_paths(text: str) -> str:
    """`text` with every opaque path segment (`/hooks/TOKEN`) masked, wherever it appears."""
    def one(m: re.Match[str]) -> str:
        return "/" + _hidden(m.group(1)) if _opaque(m.group(1)) else m.group(0)

    return _SEGMENT.sub(one, text)


def _hide_params(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, MASK if k[:1] in "+-:" or _SECRET_PARAM.search(k) else v)
             for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    path = "/".join(_hidden(seg) if _opaque(seg) else seg for seg in parts.path.split("/"))
    return urlunsplit(parts._replace(path=path, query=urlencode(query, safe="*:+-,")))


@lru_cache(maxsize=4096)
def masked(url: str) -> str:
    """A URL safe to store and log: Apprise's privacy form, custom headers, secret-looking
    parameters and opaque path segments hidden. Made once per URL (it builds an Apprise
    object)."""
    with _working_on(url, None):
        _, service = _service(url)
        if service is None:
            return f"{urlsplit(url).scheme or '?'}://{MASK}"
        return _hide_params(service.url(privacy=True))


def redact(text: str, url: str, label: str | None = None) -> str:
    """`text` with every part of `url` that its masked form does not show replaced by ****
    (as written in the URL, and percent-encoded)."""
    for s in _secret_forms(url, label if label is not None else masked(url)):
        text = text.replace(s, MASK)
    return text


@lru_cache(maxsize=4096)
def _secret_forms(url: str, label: str) -> tuple[str, ...]:
    """Every part of `url` that `label` does not show, as written and percent-encoded, longest
    first (worked out once per URL: Apprise says several lines per message sent)."""
    shown = set(_TOKENS.split(unquote(label)))
    secrets = {t for t in _TOKENS.split(unquote(url)) if len(t) >= 4 and t not in shown}
    variants = {v for s in secrets for v in (s, quote(s, safe=""), quote(s))}
    return tuple(sorted(variants, key=len, reverse=True))


def scrub(text: str) -> str:
    """Any URL in a free text (an exception message) replaced by its masked form, and any
    opaque path segment masked."""
    return mask_paths(_URL.sub(lambda m: masked(m.group(0)), text))


# ── the message's key, to the receiver ──────────────────────────────────────────────────────

def message_id(key: str, sender: str = "") -> str:
    """The e-mail Message-ID a message's key gives: <plantrack.KEY@DOMAIN-OF-THE-SENDER>, the key's
    characters outside RFC 5322's atext replaced by '.'."""
    left = re.sub(r"[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]", ".", f"plantrack.{key}")
    domain = sender.rpartition("@")[2] if "@" in sender else ""
    domain = re.sub(r"[^A-Za-z0-9.-]", "", domain).strip(".") or "plantrack.local"
    return f"<{re.sub(r'[.]+', '.', left).strip('.')}@{domain}>"


def _message_ids() -> None:
    """Apprise 2.0's e-mail plugin gives every message a random Message-ID (`make_msgid`, called
    after the custom headers, so a `+Message-ID=` header would make a second one): while a
    plantrack message is sent, it takes the one made from the message's key instead."""
    from apprise.plugins.email import base

    made = base.make_msgid
    if getattr(made, "plantrack", False):
        return

    def make_msgid(idstring: str | None = None, domain: str | None = None) -> str:
        return _MESSAGE_ID.get() or made(idstring, domain=domain)

    make_msgid.plantrack = True  # type: ignore[attr-defined]
    base.make_msgid = make_msgid


def _carry_key(service: Any, key: str) -> str | None:
    """Put the message's key on what the service sends; the Message-ID for e-mail, if any."""
    from apprise.plugins.custom_form import NotifyForm
    from apprise.plugins.custom_json import NotifyJSON
    from apprise.plugins.custom_xml import NotifyXML
    from apprise.plugins.email import NotifyEmail

    value = quote(key, safe=":-._~@")
    if isinstance(service, NotifyJSON | NotifyXML | NotifyForm):
        service.headers.update({"Idempotency-Key": value, "X-Plantrack-Message": value})
    elif isinstance(service, NotifyEmail):
        service.headers["X-Plantrack-Message"] = value
        sender = str(service.from_addr[1]) if service.from_addr else ""
        return message_id(key, sender)
    return None


def _timeouts(service: Any, url: str) -> float:
    """Wait PLANTRACK_SEND_TIMEOUT for an answer, unless the URL says otherwise (rto=, and cto=
    for e-mail, whose one socket timeout it is); the read timeout in force."""
    from apprise.plugins.email import NotifyEmail

    query = parse_qs(urlsplit(url).query)
    wait = send_timeout()
    if "rto" not in query:
        service.socket_read_timeout = wait
    if isinstance(service, NotifyEmail):
        if "cto" not in query:
            setattr(service, "socket_connect_timeout", wait)  # noqa: B010 - typed int
        return float(service.socket_connect_timeout)
    return float(service.socket_read_timeout)


# ── sending ──────────────────────────────────────────────────────────────────────────────────

_TIMED_OUT = re.compile(r"timed out|timeout", re.I)
_DROPPED = re.compile(r"unexpectedly closed|Connection reset|RemoteDisconnected|"
                      r"Connection aborted|closed connection without response", re.I)


def _error_of(result: Any, wait: float, key: str) -> str:
    """What went wrong, from what Apprise said during the send (its warnings, and the socket
    exception behind them)."""
    lines = [e.message for r in result for a in r for e in a]
    said = [e.message for r in result for a in r for e in a if e.level in ("WARNING", "ERROR")]
    cause = [m.split(f"{_CAUSE}:", 1)[1].strip() for m in lines if f"{_CAUSE}:" in m]
    return _failure(said, cause, wait, key) or f"Apprise: {result.status.name.lower()}"


def _failure(said: list[str], cause: list[str], wait: float, key: str) -> str:
    """A failed send in words: a timeout or a dropped connection named as such, since the
    receiver may have the message; otherwise what was said and the exception behind it."""
    cause = [re.sub(r" object at 0x[0-9a-f]+", "", c) for c in cause if c]
    if any(_TIMED_OUT.search(m) for m in cause):
        return (f"timeout: no answer within {wait:g} s (the receiver may have it; a retry carries "
                f"the same key {key})")
    if any(_DROPPED.search(m) for m in cause):
        return (f"connection dropped before the answer: {'; '.join(dict.fromkeys(cause))} (the "
                f"receiver may have it; a retry carries the same key {key})")
    return "; ".join(dict.fromkeys(said + cause))


@lru_cache(maxsize=1024)
def _kept(url: str, thread: int) -> tuple[Any, Any]:
    """The Apprise object (and its service) that sends through `url` from one thread, built once
    and kept: building one costs more than a send, and a thread's own object can carry each
    message's key in its headers while other threads send theirs. Apprise sends in the calling
    thread (no worker thread; the socket's timeouts bound a send) and never throttles."""
    apprise = _apprise()
    ap = apprise.Apprise(asset=apprise.AppriseAsset(
        app_id="plantrack", app_desc="plantrack", async_mode=False, service_timeout=0))
    service = ap[0] if ap.add(url) else None
    if service is not None:
        service.request_rate_per_sec = 0
    return ap, service


def send_url(out: Outgoing, url: str) -> ChannelResult:
    """Send one message through one Apprise URL, with this thread's Apprise object for it, the
    message's key on it, and PLANTRACK_SEND_TIMEOUT; a plain JSON webhook is posted by
    tasks.notices.webhook, as Apprise would."""
    apprise = _apprise()
    label = masked(url)
    with _working_on(url, label):
        ap, service = _kept(url, threading.get_ident())
        if service is None:
            return ChannelResult(label, False,
                                 f"not a usable Apprise URL ({urlsplit(url).scheme}://…)")
        wait = _timeouts(service, url)
        msgid = _carry_key(service, out.key)
        html = service.resolve_format(None) == apprise.NotifyFormat.HTML  # format= or its own
        body_format = apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT
        body = out.html if html else out.text
        if webhook.takes(service, out.subject, body, body_format, bool(out.attachments)):
            posted = webhook.post(service, out.subject, body)
            if not posted.redirected:
                error = "" if posted.ok else \
                    _failure([posted.said], [posted.cause], wait, out.key)
                return ChannelResult(label, posted.ok, mask_paths(redact(error, url, label)))
        token = _MESSAGE_ID.set(msgid)
        try:
            result = ap.notify(body=body, title=out.subject,
                               body_format=body_format, log_level=logging.DEBUG,
                               attach=[str(p) for p in out.attachments] or None)
        except Exception as exc:  # Apprise reports service failures in the result; a bug
            return ChannelResult(label, False,
                                 mask_paths(redact(f"{type(exc).__name__}: {exc}", url, label)))
        finally:
            _MESSAGE_ID.reset(token)
        attempts = sum(len(r) for r in result) or 1
        if result:
            return ChannelResult(label, True, "", attempts)
        error = _error_of(result, wait, out.key)
        return ChannelResult(label, False, mask_paths(redact(error, url, label)), attempts)
