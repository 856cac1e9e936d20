"""Where an agency is notified, and one message sent through one Apprise URL, with secrets masked.

The agency directory names channels by reference only: an environment variable holding one or
more Apprise URLs (separated by spaces, commas or new lines), or a Prefect Secret block read
through a `secret_lookup` the flows pass in (this module never imports Prefect). A URL is never
stored or logged: the record keeps `url(privacy=True)` with custom headers and query values
masked too, and every error text is scrubbed of the URL's secret parts before it is kept.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from tasks.errors import NoChannel
from tasks.record.models import Agency
from tasks.settings import env

SecretLookup = Callable[[str], str]
MASK = "****"
_SECRET_PARAM = re.compile(r"token|key|secret|pass|pwd|auth|sig|code|cred", re.I)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'<>]+", re.I)
_TOKENS = re.compile(r"[/:@?&=#,;\s]+")


@dataclass(frozen=True)
class Outgoing:
    """A rendered message ready to go: what every sender gets, Apprise or the replay's files."""

    recipient: str
    kind: str
    day: dt.date
    subject: str
    text: str
    html: str
    attachments: tuple[Path, ...] = ()
    scope: str = ""  # the plan a message of one plan is about (a digest); "" for all plans


@dataclass(frozen=True)
class ChannelResult:
    """The outcome of sending one message through one channel (channel = masked URL)."""

    channel: str
    ok: bool
    error: str = ""
    attempts: int = 1


class Sender(Protocol):
    """Sends one message to an agency through every channel not in `done` (masked URLs)."""

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        ...


def env_name(code: str) -> str:
    """The environment variable an agency's channel conventionally lives in."""
    return "PLANTRACK_CH_" + re.sub(r"[^A-Z0-9]", "_", code.upper())


def split_urls(value: str) -> list[str]:
    """Apprise URLs in a string; a comma inside a URL's own query (to=a,b) is kept."""
    from apprise.utils.parse import parse_urls

    return [u for u in parse_urls(value or "", store_unparseable=False) if u]


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
        raise NoChannel("; ".join(err for _, _, err in targets))
    return urls


def _service(url: str):
    import apprise

    ap = apprise.Apprise(asset=apprise.AppriseAsset(app_id="plantrack", app_desc="plantrack"))
    return ap, (ap[0] if ap.add(url) else None)


def _hide_params(url: str) -> str:
    parts = urlsplit(url)
    query = [(k, MASK if k[:1] in "+-:" or _SECRET_PARAM.search(k) else v)
             for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*:+-,")))


def masked(url: str) -> str:
    """A URL safe to store and log: Apprise's privacy form, custom headers and params hidden."""
    _, service = _service(url)
    if service is None:
        return f"{urlsplit(url).scheme or '?'}://{MASK}"
    return _hide_params(service.url(privacy=True))


def redact(text: str, url: str, label: str | None = None) -> str:
    """`text` with every part of `url` that its masked form does not show replaced by ****."""
    shown = set(_TOKENS.split(unquote(label if label is not None else masked(url))))
    secrets = {t for t in _TOKENS.split(unquote(url)) if len(t) >= 4 and t not in shown}
    for s in sorted(secrets, key=len, reverse=True):
        text = text.replace(s, MASK)
    return text


def scrub(text: str) -> str:
    """Any URL in a free text (an exception message) replaced by its masked form."""
    return _URL.sub(lambda m: masked(m.group(0)), text)


def _quiet_loggers() -> None:
    """Apprise logs full URLs at TRACE/DEBUG, and urllib3 logs each request line (a bot token
    in the path, a key in the query) at DEBUG: keep both at INFO or above."""
    for name in ("apprise", "urllib3"):
        log = logging.getLogger(name)
        if log.level < logging.INFO:
            log.setLevel(logging.INFO)


def send_url(out: Outgoing, url: str) -> ChannelResult:
    """Send one message through one Apprise URL, with a fresh Apprise object (no rate sleeps)."""
    import apprise

    _quiet_loggers()
    label = masked(url)
    ap, service = _service(url)
    if service is None:
        return ChannelResult(label, False, f"not a usable Apprise URL ({urlsplit(url).scheme}://…)")
    fmt = service.notify_format
    html = (fmt[0] if isinstance(fmt, tuple) else fmt) == apprise.NotifyFormat.HTML
    body_format = apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT
    try:
        result = ap.notify(body=out.html if html else out.text, title=out.subject,
                           body_format=body_format,
                           attach=[str(p) for p in out.attachments] or None)
    except Exception as exc:  # Apprise reports service failures in the result; this is a bug
        return ChannelResult(label, False, redact(f"{type(exc).__name__}: {exc}", url, label))
    attempts = sum(len(r) for r in result) or 1
    if result:
        return ChannelResult(label, True, "", attempts)
    errors = [e.message for r in result for a in r for e in a if e.level in ("WARNING", "ERROR")]
    error = "; ".join(dict.fromkeys(errors)) or f"Apprise: {result.status.name.lower()}"
    return ChannelResult(label, False, redact(error, url, label), attempts)
