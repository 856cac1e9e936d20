"""Staff accounts: the secretariat (who may also report for any agency) and leaders (who read).

Passwords are kept as salted scrypt hashes (hashlib, RFC 7914: n=2**14, r=8, p=1, a 16-byte
random salt), compared in constant time; an unknown name costs the same as a wrong password.
Sign-in failures are counted per client address and per name: five within 15 minutes lock that
address or name out for the rest of the window.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from collections import defaultdict, deque

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.errors import BadInput, named
from tasks.record.models import StaffUser
from tasks.words.phrase import Phrase, either

SECRETARIAT, LEADER = "secretariat", "leader"
ROLES = (SECRETARIAT, LEADER)
MIN_PASSWORD = 10
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_N, _R, _P, _SALT = 2 ** 14, 8, 1, 16


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$SALT$HASH` (base64) of a password."""
    salt = salt or secrets.token_bytes(_SALT)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        found = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                               r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, base64.b64decode(digest))


_DUMMY = hash_password(secrets.token_urlsafe(16))  # checked against when the name is unknown


def add_user(s: Session, name: str, role: str, password: str) -> StaffUser:
    """A new account; BadInput for a name taken or malformed, an unknown role, a short
    password."""
    if not NAME.match(name):
        raise BadInput(named(Phrase("name"), Phrase(
            "'{name}' is not 2–40 lower-case letters, digits, '.', '_' or '-'", name=name)))
    if role not in ROLES:
        raise BadInput(named(Phrase("role"), Phrase(
            "'{role}' is not {choices}", role=role, choices=either(ROLES))))
    if len(password) < MIN_PASSWORD:
        raise BadInput(named(Phrase("password"), Phrase("at least {n} characters",
                                                        n=MIN_PASSWORD)))
    if s.execute(sa.select(col(StaffUser.id)).where(col(StaffUser.name) == name)).first():
        raise BadInput(named(Phrase("name"), Phrase("an account '{name}' already exists",
                                                    name=name)))
    user = StaffUser(name=name, role=role, password_hash=hash_password(password))
    s.add(user)
    s.flush()
    return user


def authenticate(s: Session, name: str, password: str) -> StaffUser | None:
    """The account if the password is right, else None (in the same time either way)."""
    user = s.execute(sa.select(StaffUser).where(col(StaffUser.name) == name)).scalar()
    ok = verify_password(password, user.password_hash if user else _DUMMY)
    return user if ok and user else None


class Throttle:
    """Sign-in failures per key (a client address, a name) within a sliding window; thread-safe,
    in the memory of the one process that serves the app."""

    def __init__(self, limit: int = 5, window: dt.timedelta = dt.timedelta(minutes=15)):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[dt.datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: dt.datetime) -> deque[dt.datetime]:
        q = self._failures[key]
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def wait(self, keys: list[str], now: dt.datetime) -> dt.timedelta:
        """How long any of `keys` is locked out from `now` (zero when none is)."""
        with self._lock:
            waits = [q[0] + self.window - now for k in keys
                     if len(q := self._recent(k, now)) >= self.limit]
        return max(waits, default=dt.timedelta(0))

    def failed(self, keys: list[str], now: dt.datetime) -> None:
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)

    def succeeded(self, key: str) -> None:
        """Forget a name's failures after it signed in (an address's are kept: one account
        known does not reset the count against others)."""
        with self._lock:
            self._failures.pop(key, None)
