"""Zalo as a channel: an Apprise plugin for a Zalo Official Account (OA), `zalo://…`.

Importing this module registers the `zalo://` scheme with Apprise (apprise.decorators.notify);
tasks.notices.channels imports it before any Apprise URL is added. A URL names the OA's
application and the people it writes to, and holds the secrets in its query:

    zalo://APP_ID/USER_ID[/USER_ID…]?secret=APP_SECRET&refresh_token=REFRESH_TOKEN
           [&access_token=ACCESS_TOKEN]

- APP_ID, APP_SECRET: the Zalo application linked to the OA (developers.zalo.me → the app →
  Settings: "ID ứng dụng", "Khóa bí mật của ứng dụng");
- USER_ID: each recipient's user id as the OA knows its followers (the OA's follower list, or
  the `follow` webhook's `user_id`) — a person must follow the OA to be written to;
- REFRESH_TOKEN (and, optionally, a current ACCESS_TOKEN): from authorising the app for the OA
  (the OA's access token tool, or the v4 OAuth flow); a refresh token lasts 3 months and can be
  used once.

Each message goes out as text messages of the OA's message API (POST {api}/v3.0/oa/message/cs,
header `access_token`, body {"recipient": {"user_id"}, "message": {"text"}}), the title and the
text cut into parts of at most 2,000 characters at line ends. An access token lasts about 25
hours: when none is known, when it is due to expire, or when Zalo answers that it is invalid or
expired, the plugin asks for a new one with the refresh token (POST {oauth}/v4/oa/access_token,
header `secret_key`, form app_id, grant_type=refresh_token, refresh_token) and tries once more.

Zalo answers a refresh with a new refresh token and voids the old one, so the tokens are kept
where the next process finds them: `STORE` (var/zalo-tokens.json, owner-only, one entry per
application, written under a file lock so that two runs do not both spend the same refresh
token). An entry remembers which refresh token of the URL it grew from (as a hash): put a new
refresh token in the URL (after authorising the app again) and the plugin starts from it. Lose
the file and the URL's refresh token, already spent, no longer works: authorise again.

`api=` and `oauth=` in the query replace Zalo's addresses (https://openapi.zalo.me,
https://oauth.zaloapp.com): for tests against a local server, or a proxy.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from apprise.decorators import notify
from apprise.logger import logger

from tasks.settings import VAR

API = "https://openapi.zalo.me"
OAUTH = "https://oauth.zaloapp.com"
STORE = VAR / "zalo-tokens.json"  # the access and refresh tokens in use, per application
LIMIT = 2000  # characters in one text message
EARLY = 300  # seconds before its expiry an access token is renewed
TIMEOUT = 15.0
# Zalo's error codes for an access token that is missing, invalid or expired
TOKEN_ERRORS = {-124, -216, -220}
SECRET_PARAMS = ("access_token", "refresh_token", "secret")


class ZaloError(Exception):
    """A refusal from Zalo, with its error code (None when the answer was not Zalo's JSON)."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


def parts(text: str, limit: int = LIMIT) -> list[str]:
    """`text` cut at line ends into parts of at most `limit` characters (a longer line is cut
    where it must)."""
    out: list[str] = []
    current = ""
    for line in text.strip().split("\n"):
        while len(line) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            out.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        out.append(current)
    return [p.strip("\n") for p in out if p.strip()]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[dict[str, Any]]:
    """The token store, read and then written back under an exclusive lock (owner-only)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store.with_name(store.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(store.read_text(encoding="utf-8")) if store.is_file() else {}
        before = json.dumps(data, sort_keys=True)
        yield data
        if json.dumps(data, sort_keys=True) != before:
            tmp = store.with_name(store.name + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
            os.replace(tmp, store)


def _answer(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ZaloError(f"{what}: HTTP {response.status_code}, not a Zalo answer") from None
    if not isinstance(body, dict):
        raise ZaloError(f"{what}: HTTP {response.status_code}, not a Zalo answer")
    code = body.get("error")
    if response.status_code >= 400 or (code not in (None, 0, "0")):
        text = (body.get("message") or body.get("error_description") or body.get("error_name")
                or f"HTTP {response.status_code}")
        raise ZaloError(f"{what}: Zalo error {code} ({text})",
                        int(str(code)) if str(code).lstrip("-").isdigit() else None)
    return body


class Account:
    """One OA application as a URL gives it: its credentials, recipients and addresses."""

    def __init__(self, meta: dict[str, Any]):
        q = {k.lower(): v for k, v in (meta.get("qsd") or {}).items()}
        self.app_id = str(meta.get("host") or "")
        self.users = [u for u in str(meta.get("fullpath") or "").split("/") if u]
        self.secret = q.get("secret", "")
        self.refresh_token = q.get("refresh_token", "")
        self.access_token = q.get("access_token", "")
        self.api = (q.get("api") or API).rstrip("/")
        self.oauth = (q.get("oauth") or OAUTH).rstrip("/")
        self.store = Path(STORE)

    def problems(self) -> list[str]:
        missing = [name for name, v in (("app id", self.app_id), ("user id", self.users),
                                        ("secret", self.secret),
                                        ("refresh_token", self.refresh_token)) if not v]
        return [f"zalo:// without {', '.join(missing)}"] if missing else []

    def _entry(self, data: dict[str, Any]) -> dict[str, Any]:
        """The stored tokens of this application, unless the URL's refresh token is a newer one."""
        entry = data.get(self.app_id) or {}
        if entry.get("seed") != _hash(self.refresh_token):
            entry = {"seed": _hash(self.refresh_token), "refresh_token": self.refresh_token,
                     "access_token": self.access_token, "expires_at": 0 if not self.access_token
                     else time.time() + 3600}
            data[self.app_id] = entry
        return entry

    def token(self, client: httpx.Client, renew: bool = False) -> str:
        """A usable access token: the stored one, or a new one from the refresh token."""
        with _locked(self.store) as data:
            entry = self._entry(data)
            if not renew and entry.get("access_token") and \
                    entry.get("expires_at", 0) > time.time() + EARLY:
                return str(entry["access_token"])
            answer = _answer(client.post(
                f"{self.oauth}/v4/oa/access_token", headers={"secret_key": self.secret},
                data={"app_id": self.app_id, "grant_type": "refresh_token",
                      "refresh_token": entry["refresh_token"]}), "refresh")
            if not answer.get("access_token"):
                raise ZaloError("refresh: Zalo gave no access token")
            entry.update(access_token=answer["access_token"],
                         refresh_token=answer.get("refresh_token") or entry["refresh_token"],
                         expires_at=time.time() + int(answer.get("expires_in") or 3600))
            return str(entry["access_token"])

    def send_text(self, client: httpx.Client, token: str, user: str, text: str) -> None:
        _answer(client.post(f"{self.api}/v3.0/oa/message/cs", headers={"access_token": token},
                            json={"recipient": {"user_id": user}, "message": {"text": text}}),
                f"message to {user}")


def send(meta: dict[str, Any], title: str, body: str) -> list[str]:
    """Send `title` and `body` to every user of the URL; the errors (none: all sent)."""
    account = Account(meta)
    if account.problems():
        return account.problems()
    texts = parts(f"{title}\n\n{body}" if title else body)
    errors: list[str] = []
    with httpx.Client(timeout=TIMEOUT) as client:
        try:
            token = account.token(client)
        except ZaloError as exc:
            return [str(exc)]
        except httpx.HTTPError as exc:
            return [f"refresh: {type(exc).__name__}"]
        for user in account.users:
            for text in texts:
                try:
                    try:
                        account.send_text(client, token, user, text)
                    except ZaloError as exc:
                        if exc.code not in TOKEN_ERRORS:
                            raise
                        token = account.token(client, renew=True)  # expired: renew, once
                        account.send_text(client, token, user, text)
                except (ZaloError, httpx.HTTPError) as exc:
                    errors.append(f"{exc}" if isinstance(exc, ZaloError)
                                  else f"message to {user}: {type(exc).__name__}")
                    break  # the rest of this person's parts would arrive out of context
    return errors


@notify(on="zalo", name="Zalo Official Account")
def zalo(body: str, title: str, notify_type: str, meta: dict[str, Any], *args: Any,
         **kwargs: Any) -> bool:
    """The Apprise hook: every problem is logged as a warning, which Apprise keeps in the
    result (and plantrack in the record, with the URL's secrets scrubbed)."""
    errors = send(meta, title, body)
    for error in errors:
        logger.warning("Zalo: %s", error)
    return not errors


def _private_url(self: Any, privacy: bool = False, *args: Any, **kwargs: Any) -> str:
    """The URL as the record shows it: the application, the recipients and the names of the
    settings given — the secrets and tokens masked."""
    meta = getattr(self, "_default_args", {}) or {}
    users = "/".join(u for u in str(meta.get("fullpath") or "").split("/") if u)
    given = sorted(k for k in (meta.get("qsd") or {}) if k in SECRET_PARAMS)
    query = "&".join(f"{k}=****" for k in given)
    return f"zalo://{meta.get('host', '')}/{users}" + (f"?{query}" if query else "")


def _install_url() -> None:
    """Apprise's decorator plugins print as 'zalo://' alone; two Zalo channels of one agency
    would then look alike in the record (and one be taken for the other when a failed message
    is sent again to the channels that have not had it): name the application and recipients."""
    from apprise.manager_plugins import NotificationManager

    plugin = NotificationManager()["zalo"]
    plugin.url = _private_url


_install_url()
