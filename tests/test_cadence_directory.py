"""The directory's `notify` and `via`: checked, stored, and followed when notices are decided.

The routing tests load the hand-worked September plan (tests/plans/reminders-september.yaml,
reasoning in test_reminders.py) with its directory edited: TINH `notify: false`, HUYEN
`via: BDV` (HUYEN's parent is also BDV)."""
from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa

from tasks.plan.load import load
from tasks.plan.validate import read_directory, validate
from tasks.record import store
from tasks.record.models import Agency

from conftest import ROOT
from reminder_plan import PLAN, D, add_reports, decided

AGENCIES = PLAN.parent / "reminders-agencies.yaml"


def brief(ns) -> dict[str, list[tuple]]:
    return {f"{n.recipient}:{n.kind}": [(i.task, i.agency, i.category, i.days) for i in n.items]
            for n in ns}


def directory(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The September plan beside a copy of its directory with `edits` made."""
    text = AGENCIES.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (tmp_path / AGENCIES.name).write_text(text, encoding="utf-8")
    shutil.copy(PLAN, tmp_path / PLAN.name)
    return tmp_path / PLAN.name


TINH_SILENT = ("    channels: [{env: PLANTRACK_TEST_CH_TINH}]\n",
               "    notify: false\n    channels: [{env: PLANTRACK_TEST_CH_TINH}]\n")
HUYEN_VIA_BDV = ("    parent: BDV\n", "    parent: BDV\n    via: BDV\n")


def problems(path: Path) -> list[str]:
    src, _ = read_directory(path)
    return [f"{p.path}: {p.message}" for p in src.problems]


def test_via_must_name_another_agency_reached_directly(tmp_path):
    plan = directory(tmp_path, TINH_SILENT, HUYEN_VIA_BDV)
    assert problems(plan.parent / AGENCIES.name) == []
    # agencies[0] TINH, [1] BDV, [2] SNV, [3] HUYEN
    bdv_via_huyen = ("    parent: TINH\n    channels: [{env: PLANTRACK_TEST_CH_BDV}]",
                     "    parent: TINH\n    via: HUYEN\n    channels: [{env: PLANTRACK_TEST_CH_BDV}]")
    cases = [
        ([("    parent: BDV\n", "    parent: BDV\n    via: XYZ\n")],
         ["agencies[3].via: unknown agency 'XYZ'"]),
        ([("    parent: BDV\n", "    parent: BDV\n    via: HUYEN\n")],
         ["agencies[3].via: 'HUYEN' cannot be reached via itself"]),
        ([("    parent: BDV\n", "    parent: BDV\n    via: TINH\n")],
         ["agencies[3].via: 'TINH' is never notified (notify: false): name an agency that is"]),
        ([HUYEN_VIA_BDV, bdv_via_huyen],  # a loop: both ends are reported
         ["agencies[1].via: 'HUYEN' is itself reached via 'BDV': name the agency that receives "
          "the messages",
          "agencies[3].via: 'BDV' is itself reached via 'HUYEN': name the agency that receives "
          "the messages"]),
    ]
    for i, (edits, expected) in enumerate(cases):
        (tmp_path / str(i)).mkdir()
        bad = directory(tmp_path / str(i), TINH_SILENT, *edits)
        assert problems(bad.parent / AGENCIES.name) == expected, edits


def test_the_shipped_directory():
    src, d = read_directory(ROOT / "config" / "agencies.yaml")
    assert src.problems == [] and d is not None
    by = {a.code: a for a in d.agencies}
    assert [c for c, a in by.items() if not a.notify] == ["BTV-TU"]
    assert {c: a.via for c, a in by.items() if a.via} == {"BCD-DVK": "BDV-TU"}
    # The socio-political organisations answer to the Mass Mobilisation Commission, as does
    # the Fatherland Front; nobody answers to the Front.
    assert {by[c].parent for c in ("HLHPN", "HND", "TINHDOAN", "LDLD", "HCCB", "MTTQ")} == {
        "BDV-TU"}
    assert not any(a.parent == "MTTQ" for a in d.agencies)


def test_notify_and_via_are_stored_and_a_change_is_a_changed_agency(db_url, tmp_path):
    plan = directory(tmp_path, TINH_SILENT, HUYEN_VIA_BDV)
    with store.session(db_url) as s:
        first = load(s, validate(plan)).as_dict()["agencies"]
    with store.session(db_url) as s:
        again = load(s, validate(plan)).as_dict()["agencies"]
        rows = {a.code: (a.notify, a.via_code) for a in s.execute(sa.select(Agency)).scalars()}
    assert first == {"added": 4, "changed": 0, "removed": 0}
    assert again == {"added": 0, "changed": 0, "removed": 0}
    assert rows == {"TINH": (False, None), "BDV": (True, None), "SNV": (True, None),
                    "HUYEN": (True, "BDV")}
    # Undo both: two agencies changed.
    (tmp_path / AGENCIES.name).write_text(AGENCIES.read_text(encoding="utf-8"), encoding="utf-8")
    with store.session(db_url) as s:
        undone = load(s, validate(plan)).as_dict()["agencies"]
        rows = {a.code: (a.notify, a.via_code) for a in s.execute(sa.select(Agency)).scalars()}
    assert undone == {"added": 0, "changed": 2, "removed": 0}
    assert set(rows.values()) == {(True, None)}


def test_notices_follow_notify_and_via(db_url, tmp_path):
    plan = directory(tmp_path, TINH_SILENT, HUYEN_VIA_BDV)
    with store.session(db_url) as s:
        load(s, validate(plan))
    add_reports(db_url)
    # 11/09: bao-cao (SNV) is 5 working days overdue. SNV still hears; the escalation would go
    # to its parent TINH, which is never notified: it goes to nobody.
    assert brief(decided(db_url, D(11))) == {"SNV:reminder": [("bao-cao", "SNV", "overdue", 5)]}
    # 16/09: hang-thang is due today for BDV and for HUYEN, which is reached via BDV: one
    # message to BDV lists both, each under its own agency.
    assert brief(decided(db_url, D(16))) == {
        "BDV:reminder": [("hang-thang", "BDV", "due_today", 0),
                         ("hang-thang", "HUYEN", "due_today", 0)]}
    # 23/09: HUYEN's reminder (hang-thang 4 overdue, kiem-tra due today) goes to BDV, and so
    # does the escalation about hang-thang (BDV is HUYEN's parent, notified directly).
    assert brief(decided(db_url, D(23))) == {
        "BDV:escalation": [("hang-thang", "HUYEN", "overdue", 4)],
        "BDV:reminder": [("hang-thang", "HUYEN", "overdue", 4),
                         ("kiem-tra", "HUYEN", "due_today", 0)]}
    assert not any(n.recipient in ("TINH", "HUYEN") for d in range(1, 31)
                   for n in decided(db_url, D(d)))
