"""KPI figures: the plan's rules refuse impossible values, and the province figure is the sum
of the districts' latest values, worked by hand.

The shipped plan: every district reports `models`, `models-named` (four fields that must add up
to it, and never more than `models`) and `models-replicated` (never more than `models-named`).
"""
from __future__ import annotations

import json
import re

import openpyxl
import pytest

from tasks.errors import BadInput
from tasks.kpi import check_value, rule_breaks
from tasks.record.models import Kpi

from returns_kit import counts, template

FIELDS = ("economy", "culture-society", "defence-security", "political-system")
KPIS = {
    "models": Kpi(key="models", name_vi="", name_en="", unit="mô hình",
                  spec={"reported_by": ["BDV-MAICHAU"]}),
    "models-named": Kpi(key="models-named", name_vi="", name_en="", unit="mô hình",
                        spec={"reported_by": ["BDV-MAICHAU"], "parts_sum_to_total": True,
                              "at_most": "models",
                              "breakdown": [{"key": f} for f in FIELDS]}),
    "models-replicated": Kpi(key="models-replicated", name_vi="", name_en="", unit="mô hình",
                             spec={"reported_by": ["BDV-MAICHAU"], "at_most": "models-named"}),
}


def _named(total, *parts):
    return {("models-named", ""): total} | {("models-named", f): v for f, v in zip(FIELDS, parts, strict=False)}


def test_rules_worked_by_hand():
    ok = {("models", ""): 400, ("models-replicated", ""): 20} | _named(200, 50, 60, 70, 20)
    assert rule_breaks(KPIS, ok) == []
    assert rule_breaks(KPIS, _named(200, 50, 60)) == []  # two fields still to come
    (broken,) = rule_breaks(KPIS, _named(200, 50, 60, 70, 19))
    assert broken == ("models-named", "breaks rule parts_sum_to_total of 'models-named': the "
                      "parts (economy, culture-society, defence-security, political-system) add "
                      "up to 199, the total is 200")
    (broken,) = rule_breaks(KPIS, _named(100, 80, 30))  # already over with two fields
    assert "add up to 110, the total is 100" in str(broken[1])
    (broken,) = rule_breaks(KPIS, {("models", ""): 400} | _named(401))
    assert broken[1] == ("breaks rule at_most of 'models-named': 401 is more than 'models' "
                         "(400) for the same agency and period")
    (broken,) = rule_breaks(KPIS, {("models-replicated", ""): 30} | _named(25))
    assert broken[0] == "models-replicated" and "more than 'models-named' (25)" in str(broken[1])


@pytest.mark.parametrize("args, message", [
    (("BDV-MAICHAU", "", "2024-09", -1), "value: -1 breaks rule non-negative"),
    (("SNV", "", "2024-09", 5), "agency: 'SNV' does not report KPI 'models-named'"),
    (("BDV-MAICHAU", "health", "2024-09", 5), "part: KPI 'models-named' has no part 'health'"),
    (("BDV-MAICHAU", "", "2024-Q3", 5), "period: '2024-Q3' is not a month"),
])
def test_a_value_that_cannot_stand_alone(args, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        check_value(KPIS["models-named"], *args)


def _csv(path, rows):
    """A KPI return typed as CSV: (agency, kpi, part, value) rows for September 2024."""
    path.write_text("Mã đơn vị,Mã chỉ tiêu,Mã phần,Kỳ,Giá trị kỳ này\n" + "".join(
        f"{a},{k},{p},{period},{v}\n" for a, k, p, v, period in
        ((*r, "2024-09") if len(r) == 4 else r for r in rows)), encoding="utf-8")
    return path


def _set(agency, models, named, parts, replicated):
    return ([(agency, "models", "", models), (agency, "models-named", "", named)]
            + [(agency, "models-named", f, v) for f, v in zip(FIELDS, parts, strict=True)]
            + [(agency, "models-replicated", "", replicated)])


def test_values_that_break_a_rule_are_refused_naming_the_rule(loaded, cli, tmp_path):
    cases = {
        "named-over-all": (_set("BDV-MAICHAU", 100, 120, (30, 30, 30, 30), 5),
                        r"named-over-all.csv:csv:3: Giá trị kỳ này: breaks rule at_most of "
                        r"'models-named': 120 is more than 'models' \(100\)"),
        "fields-off-total": (_set("BDV-MAICHAU", 400, 200, (50, 50, 50, 40), 5),
                           r":csv:3: Giá trị kỳ này: breaks rule parts_sum_to_total of "
                           r"'models-named': .* add up to 190, the total is 200"),
        "negative": ([("BDV-MAICHAU", "models", "", "-4")],
                     r":csv:2: Giá trị kỳ này: -4 breaks rule non-negative"),
        "not a number": ([("BDV-MAICHAU", "models", "", "nhiều")],
                         r":csv:2: Giá trị kỳ này: 'nhiều' is not a number"),
    }
    for name, (rows, expected) in cases.items():
        result = cli("--lang", "en", "import", str(_csv(tmp_path / f"{name}.csv", rows)), "--on",
                     "2024-09-26")
        assert result.exit_code == 2 and re.search(expected, result.stderr), (name, result.stderr)
        assert counts(loaded) == (0, 0), name
    # A correction is checked against what the record already holds for the agency and month.
    good = _csv(tmp_path / "good.csv", _set("BDV-MAICHAU", 400, 200, (50, 60, 70, 20), 15))
    assert cli("import", str(good), "--on", "2024-09-26").exit_code == 0
    fix = _csv(tmp_path / "fix.csv", [("BDV-MAICHAU", "models-named", "economy", 60)])
    result = cli("--lang", "en", "import", str(fix), "--on", "2024-09-27")
    assert result.exit_code == 2
    assert "fix.csv:csv:2: Giá trị kỳ này: breaks rule parts_sum_to_total" in result.stderr
    assert "add up to 210, the total is 200" in result.stderr
    assert counts(loaded) == (0, 7)


def test_province_figures_roll_up_from_the_districts(loaded, cli, tmp_path):
    sept = (_set("BDV-MAICHAU", 400, 200, (50, 60, 70, 20), 15)
            + _set("BDV-DABAC", 300, 100, (10, 20, 30, 40), 10)
            + _set("BDV-TANLAC", 250, 120, (30, 30, 30, 30), 12)
            + [("BDV-LACSON", "models", "", 999, "2024-08")])  # another month: not counted
    assert cli("import", str(_csv(tmp_path / "t9.csv", sept)), "--on", "2024-09-26").exit_code == 0
    # Tân Lạc corrects its count two days later; the latest value of each agency counts.
    fix = _csv(tmp_path / "fix.csv", [("BDV-TANLAC", "models", "", 260)])
    assert cli("import", str(fix), "--on", "2024-09-28").exit_code == 0

    def province(day):
        out = cli("kpi", "--period", "2024-09", "--as-of", day, "--json")
        return {k["key"]: k for k in json.loads(out.stdout)["kpis"]}

    k = province("2024-09-30")
    assert k["models"]["value"] == 400 + 300 + 260
    assert k["models"]["reported"] == ["BDV-DABAC", "BDV-MAICHAU", "BDV-TANLAC"]
    assert len(k["models"]["expected"]) == 10
    assert k["models-named"]["value"] == 200 + 100 + 120
    assert k["models-named"]["parts"] == {"economy": 90, "culture-society": 110,
                                          "defence-security": 130, "political-system": 90}
    assert k["models-replicated"]["value"] == 37
    assert k["procedure-time"]["value"] is None and k["procedure-time"]["reported"] == []
    assert province("2024-09-27")["models"]["value"] == 400 + 300 + 250  # before the correction
    assert province("2024-09-25")["models"]["value"] is None  # nothing known yet
    text = cli("kpi", "--as-of", "2024-09-30").stdout  # newest month by default
    assert "Số liệu chỉ tiêu tháng 9/2024" in text and "960" in text and "3/10" in text

    # October's template shows each district's latest September figure beside the new one.
    wb = openpyxl.load_workbook(template(cli, tmp_path, "BDV-TANLAC", "2024-10", "2024-10-01"))
    rows = {(r[1], r[2]): r for r in wb["Chỉ tiêu"].iter_rows(min_row=6, values_only=True)}
    assert rows[("models", None)][6:9] == (260, "2024-09", None)
    assert rows[("models-named", "economy")][6:8] == (30, "2024-09")
