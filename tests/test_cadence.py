"""The reminder cadence on its own, no database: which k (working days after the due day; k < 0
before it) hears what, worked out by hand from the policy, and the policy's own checks."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from tasks.notices.decide import Cadence, recipient
from tasks.plan.schema import DEFAULT_POLICY, Policy

OFFICE = {"before": [3, 1], "on_day": True, "overdue_every": 2,
          "overdue_thin": [{"after": 10, "every": 5}, {"after": 20, "every": 20}],
          "escalate_after": 5, "escalate_every": 20}


def said(c: Cadence, ks: range) -> dict[int, str]:
    return {k: cat for k in ks if (cat := c.reminder(k))}


def test_the_default_is_the_office_cadence():
    assert Cadence.of({}) == Cadence.of(OFFICE) == Cadence(
        (3, 1), True, 2, ((10, 5), (20, 20)), 5, 20)
    assert Cadence.of(DEFAULT_POLICY.model_dump()) == Cadence.of({})


def test_overdue_reminders_thin_with_age():
    c = Cadence.of(OFFICE)
    assert said(c, range(-5, 1)) == {-3: "due_soon", -1: "due_soon", 0: "due_today"}
    # Every 2 working days up to the 10th: 1, 3, 5, 7, 9. The gap becomes 5 after the 10th,
    # counted from the last one before it (9): 14, 19. It becomes 20 after the 20th, counted
    # from 19: 39, 59, 79, 99, 119.
    assert [k for k in range(1, 125) if c.reminder(k)] == [1, 3, 5, 7, 9, 14, 19, 39, 59, 79,
                                                           99, 119]
    assert {c.reminder(k) for k in range(1, 125)} == {"overdue", None}


def test_escalations_once_then_monthly():
    c = Cadence.of(OFFICE)
    # At 5 working days overdue, then every 20: 25, 45, 65, 85, 105.
    assert [k for k in range(-5, 111) if c.escalates(k)] == [5, 25, 45, 65, 85, 105]


def test_a_deadline_never_done_from_july_to_december_is_told_a_bounded_number_of_times():
    # Due Thu 25/07/2024, never done: 30/12/2024 is its 110th working day overdue (Aug 22,
    # Sep 19 with 2–3/09 off, Oct 23, Nov 21, Dec 21 working days, and 26–31/07: 4).
    c = Cadence.of(OFFICE)
    assert 4 + 22 + 19 + 23 + 21 + 21 == 110
    # 3 before and on the day + 1, 3, 5, 7, 9, 14, 19, 39, 59, 79, 99 overdue = 14; 6 escalations.
    assert len(said(c, range(-3, 111))) == 14
    assert sum(c.escalates(k) for k in range(111)) == 6


def test_a_policy_without_thinning_is_the_old_every_n():
    plain = Cadence.of({**OFFICE, "overdue_thin": [], "escalate_every": 5})
    assert [k for k in range(1, 20) if plain.reminder(k)] == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    assert [k for k in range(20) if plain.escalates(k)] == [5, 10, 15]
    # A step whose gap is the one before changes nothing.
    same = Cadence.of({**OFFICE, "overdue_thin": [{"after": 6, "every": 2}]})
    assert [k for k in range(1, 20) if same.reminder(k)] == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]


def test_steps_count_from_the_last_reminder_before_them():
    # Every 3 up to the 8th: 1, 4, 7. After the 8th every 4, from 7: 11 (15 would be past the
    # 12th). After the 12th every 6, from 11: 17, 23.
    c = Cadence.of({"before": [], "on_day": False, "overdue_every": 3,
                    "overdue_thin": [{"after": 8, "every": 4}, {"after": 12, "every": 6}]})
    assert [k for k in range(-3, 25) if c.reminder(k)] == [1, 4, 7, 11, 17, 23]
    # A step after the 1st: the 1st, then every 5 from it.
    early = Cadence.of({"overdue_every": 3, "overdue_thin": [{"after": 1, "every": 5}]})
    assert [k for k in range(1, 13) if early.reminder(k)] == [1, 6, 11]


def test_task_override_of_before_escalate_after_and_every():
    quiet = Cadence.of({"before": [2], "on_day": False, "overdue_every": 3, "overdue_thin": [],
                        "escalate_after": 2, "escalate_every": 7})
    assert said(quiet, range(-3, 12)) == {-2: "due_soon", 1: "overdue", 4: "overdue",
                                          7: "overdue", 10: "overdue"}
    assert [k for k in range(20) if quiet.escalates(k)] == [2, 9, 16]


@pytest.mark.parametrize("policy", [
    OFFICE,
    {"before": [5, 2], "on_day": False, "overdue_every": 3, "escalate_after": 4,
     "escalate_every": 6, "overdue_thin": [{"after": 7, "every": 4}, {"after": 30, "every": 11}]},
    {"before": [], "overdue_every": 1, "overdue_thin": [{"after": 2, "every": 9}],
     "escalate_after": 1, "escalate_every": 5},
])
def test_offsets_hold_every_day_the_cadence_speaks_and_no_other(policy):
    """decide() fetches only deadlines due on the days offsets() names: a k said by reminder()
    or escalates() and missing there would be silently skipped."""
    c = Cadence.of(policy)
    for most in (0, 3, 17, 60, 130):
        spoken = {k for k in range(-40, most + 1) if c.reminder(k) or c.escalates(k)}
        assert c.offsets(most) == spoken, most
    assert -max(c.before, default=0) <= min(c.offsets(130))


def test_recipient_follows_notify_and_via():
    assert recipient("SNV", True, None) == "SNV"
    assert recipient("BCD-DVK", True, "BDV-TU") == "BDV-TU"  # reached through its standing body
    assert recipient("BTV-TU", False, None) is None  # never sent anything automatically
    assert recipient("X", False, "BDV-TU") is None  # notify: false wins


@pytest.mark.parametrize("given, message", [
    ({"escalate_every": 4}, "must be 5 or more: a parent is told about a late deadline at most "
                            "once a working week"),
    ({"overdue_thin": [{"after": 20, "every": 20}, {"after": 10, "every": 5}]},
     "overdue_thin: give the steps in order, each `after` larger than the one before"),
    ({"overdue_thin": [{"after": 10, "every": 5}, {"after": 10, "every": 20}]},
     "overdue_thin: give the steps in order, each `after` larger than the one before"),
    ({"overdue_thin": [{"after": 0, "every": 5}]}, "greater than or equal to 1"),
    ({"overdue_thin": [{"after": 3}]}, "Field required"),
])
def test_policy_checks(given, message):
    with pytest.raises(ValidationError) as e:
        Policy.model_validate(given)
    assert message in str(e.value)
    assert Policy.model_validate({"escalate_every": 5}).escalate_every == 5
