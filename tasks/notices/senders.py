"""Senders: who actually carries a rendered message to an agency.

`AppriseSender` sends through every channel the directory names; `InlineImagesSender` does the
same with e-mail set to show attached images inline (the digest's charts); `FileSink` writes
each message to files instead (the replay and `simulate`). The dispatcher takes any of them;
the Apprise ones are sent from PLANTRACK_SEND_THREADS threads at once, the files one at a time.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from tasks.errors import NoChannel
from tasks.notices.channels import (
    ChannelResult,
    Outgoing,
    SecretLookup,
    _targets,
    is_email,
    masked,
    resolve_urls,
    send_url,
)
from tasks.record.models import Agency
from tasks.settings import send_threads


def kept_lookup(lookup: SecretLookup | None) -> SecretLookup | None:
    """A secret lookup that reads each block once for the sender's life (a run): a Prefect
    Secret block is a call to the Prefect API, once per message otherwise. A block that could
    not be read is read again the next time."""
    return cache(lookup) if lookup is not None else None


class AppriseSender:
    """The real sender: each URL of each channel of the agency, skipping those already done."""

    def __init__(self, secret_lookup: SecretLookup | None = None):
        self.secret_lookup = kept_lookup(secret_lookup)
        self.threads = send_threads()

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        return [send_url(out, url) if url else ChannelResult(label, False, error)
                for label, url, error in _targets(agency, self.secret_lookup) if label not in done]


def with_inline(url: str) -> str:
    """An Apprise e-mail URL with `inline=yes` (unless it says otherwise); others unchanged."""
    if re.search(r"[?&]inline=", url) or not is_email(url):
        return url
    return f"{url}{'&' if '?' in url else '?'}inline=yes"


class InlineImagesSender:
    """tasks.channels.AppriseSender for messages whose HTML shows attached images by cid:
    every e-mail URL of the agency's channels is sent with `inline=yes`."""

    def __init__(self, secret_lookup: SecretLookup | None = None):
        self.secret_lookup = kept_lookup(secret_lookup)
        self.threads = send_threads()

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        try:
            urls = [with_inline(u) for u in resolve_urls(agency, self.secret_lookup)]
        except NoChannel as exc:
            return [ChannelResult("-", False, str(exc))]
        return [send_url(out, u) for u in urls if masked(u) not in done]


class FileSink:
    """A sender that writes each message to files instead of the agency's channels."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root else None
        self.channel = f"file://{self.root}" if self.root else "replay://"

    def __call__(self, out: Outgoing, agency: Agency, done: frozenset[str]) -> list[ChannelResult]:
        if self.root is not None and self.channel not in done:
            folder = self.root / out.day.isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{out.recipient}.{out.kind}"
            (folder / f"{name}.txt").write_text(f"{out.subject}\n\n{out.text}", encoding="utf-8")
            (folder / f"{name}.html").write_text(out.html, encoding="utf-8")
            with (self.root / "messages.jsonl").open("a", encoding="utf-8") as log:
                log.write(json.dumps({"day": out.day.isoformat(), "recipient": out.recipient,
                                      "kind": out.kind, "subject": out.subject,
                                      "file": f"{out.day.isoformat()}/{name}.txt"},
                                     ensure_ascii=False) + "\n")
        return [ChannelResult(self.channel, True)]
