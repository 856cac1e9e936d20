"""What `make demo` says about the web app at its end: one agency's link and the board's
address, with a secretariat account made in the demo's fresh record, so that `make web` can be
clicked through at once.

The demo's links are signed with PLANTRACK_WEB_SECRET when it is set, else with a secret kept
in var/web-secret (made once, readable by its owner only), which `make web` uses too.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable

from flows.clock import now
from tasks.settings import VAR

SECRET_FILE = VAR / "web-secret"
ADDRESS = "http://127.0.0.1:8080"  # where `make web` serves
ACCOUNT = "vanphong"


def demo_secret() -> str:
    """The demo's signing secret, made once."""
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(32) + "\n")
    return SECRET_FILE.read_text().strip()


def announce(say: Callable[[str], None], url: str, agency: str = "BDV-MAICHAU") -> None:
    """Print `agency`'s page link and the board's address, and make the demo's account."""
    from tasks.record.store import session
    from tasks.web.accounts import SECRETARIAT, add_user
    from tasks.web.links import page_url

    os.environ.setdefault("PLANTRACK_WEB_SECRET", demo_secret())
    os.environ.setdefault("PLANTRACK_PUBLIC_URL", ADDRESS)
    password = secrets.token_urlsafe(9)
    with session(url) as s:
        add_user(s, ACCOUNT, SECRETARIAT, password)
    say(f"web: `make web`, then {agency}'s page (its link works 30 days): "
        f"{page_url(agency, now())}")
    say(f"web: the board at {os.environ['PLANTRACK_PUBLIC_URL']}/board — sign in as "
        f"{ACCOUNT} / {password} (an account of this demo's record only)")
