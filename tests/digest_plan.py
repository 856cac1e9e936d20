"""The shipped plan's digest sent to several agencies, for the tests that need more than one
recipient (to see it go once to each, or one fail among others).

As the directory routes every message, the shipped plan's own digest list [BTV-TU, BDV-TU,
BCD-DVK] comes down to one message, to BDV-TU: BTV-TU is never notified and BCD-DVK is reached
via BDV-TU (tests/test_digest.py checks that). `digest_to` points the plan's digest, in one
test's own database, at agencies notified directly instead.
"""
from __future__ import annotations

from tasks.record import store
from tasks.record.lookups import resolve_plan

PLAN_KEY = "dvk-2024-h2"
# Three agencies notified directly (notify, no `via`), so three messages, one to each.
RECIPIENTS = ("BDV-TU", "MTTQ", "UBND")


def digest_to(url: str, codes: tuple[str, ...] = RECIPIENTS, key: str = PLAN_KEY) -> None:
    """Make the plan's digest recipients `codes` in the record at `url` (its settings only)."""
    with store.session(url) as s:
        plan = resolve_plan(s, key)
        plan.settings = {**plan.settings,
                         "digest": {**plan.settings.get("digest", {}), "recipients": list(codes)}}
