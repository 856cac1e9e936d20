"""KPI figures: the rules a reported value must keep, the latest values, and the province roll-up.

Values are appended, never overwritten: for each agency, KPI, breakdown part and period the
latest value reported on or before `as_of` counts (ordered by reported_on, then recorded_at),
so a correction supersedes the old figure while a past day still shows what was known then.
The province figure of a period is the sum over the agencies that reported (the mean for a
KPI measured in %, which is an index, not a count).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from tasks.calendar import parse_month
from tasks.errors import BadInput, named
from tasks.record.models import Agency, Kpi, KpiValue, Plan
from tasks.words.phrase import Figure, Phrase

EPSILON = 1e-9


def plan_kpis(s: Session, plan: Plan) -> dict[str, Kpi]:
    return {k.key: k for k in s.execute(sa.select(Kpi).where(col(Kpi.plan_id) == plan.id)
                                        .order_by(col(Kpi.id))).scalars()}


def parts_of(kpi: Kpi) -> list[str]:
    return [p["key"] for p in kpi.spec.get("breakdown", [])]


def check_value(kpi: Kpi, agency: str, part: str, period: str, value: float) -> None:
    """BadInput (naming the field) if one value cannot stand on its own."""
    if agency not in kpi.spec.get("reported_by", []):
        raise BadInput(named(Phrase("agency"), Phrase(
            "'{agency}' does not report KPI '{kpi}' (reported by: {by})", agency=agency,
            kpi=kpi.key, by=", ".join(kpi.spec.get("reported_by", [])) or Phrase("nobody"))))
    if part and part not in parts_of(kpi):
        raise BadInput(named(Phrase("part"), Phrase(
            "KPI '{kpi}' has no part '{part}' (parts: {parts})", kpi=kpi.key, part=part,
            parts=", ".join(parts_of(kpi)) or Phrase("none; leave it blank for the total"))))
    parse_month(period, Phrase("period"))
    if value < 0:
        raise BadInput(named(Phrase("value"), Phrase(
            "{value} breaks rule non-negative (a count or index is never below 0)",
            value=Figure(value))))


def rule_breaks(kpis: dict[str, Kpi], values: dict[tuple[str, str], float]
                ) -> list[tuple[str, Phrase]]:
    """(KPI key, message) for each plan rule that one agency's values for one period break.

    `values` maps (KPI key, part) to the value, part "" being the total; a rule is checked
    once the values it needs are known (parts that are still missing cannot exceed the total).
    """
    out = []
    for key, kpi in kpis.items():
        total = values.get((key, ""))
        if total is None:
            continue
        parts = {p: values[(key, p)] for p in parts_of(kpi) if (key, p) in values}
        if kpi.spec.get("parts_sum_to_total") and parts:
            added = sum(parts.values())
            if (len(parts) == len(parts_of(kpi)) and abs(added - total) > EPSILON) or (
                    added > total + EPSILON):
                out.append((key, Phrase(
                    "breaks rule parts_sum_to_total of '{key}': the parts ({parts}) add up to "
                    "{added}, the total is {total}", key=key, parts=", ".join(parts),
                    added=Figure(added), total=Figure(total))))
        bound = kpi.spec.get("at_most")
        if bound and (bound, "") in values and total > values[(bound, "")] + EPSILON:
            out.append((key, Phrase(
                "breaks rule at_most of '{key}': {total} is more than '{bound}' ({most}) for the "
                "same agency and period", key=key, total=Figure(total), bound=bound,
                most=Figure(values[(bound, "")]))))
    return out


def latest_values(s: Session, plan: Plan, as_of: dt.date, *, period: str | None = None,
                  before: str | None = None, agencies: Iterable[str] | None = None
                  ) -> dict[tuple[str, str, str, str], float]:
    """{(agency, KPI, part, period): value} — the latest of each made on or before `as_of`,
    for one period, or for the newest period before `before` that has a value."""
    by: list[Any] = [col(KpiValue.agency_id), col(KpiValue.kpi_id), col(KpiValue.part)]
    rank = sa.func.row_number().over(
        partition_by=by if before is not None else by + [col(KpiValue.period)],
        order_by=(col(KpiValue.period).desc(), col(KpiValue.reported_on).desc(),
                  col(KpiValue.recorded_at).desc(), col(KpiValue.id).desc()))
    q = (sa.select(col(Agency.code), col(Kpi.key), col(KpiValue.part), col(KpiValue.period),
                   col(KpiValue.value), rank.label("rank"))
         .join(Kpi, col(Kpi.id) == KpiValue.kpi_id)
         .join(Agency, col(Agency.id) == KpiValue.agency_id)
         .where(col(Kpi.plan_id) == plan.id, col(KpiValue.reported_on) <= as_of))
    if period is not None:
        q = q.where(col(KpiValue.period) == period)
    if before is not None:
        q = q.where(col(KpiValue.period) < before)
    if agencies is not None:
        q = q.where(col(Agency.code).in_(list(agencies)))
    ranked = q.subquery()
    rows = s.execute(sa.select(ranked).where(ranked.c.rank == 1))
    return {(a, k, p, per): v for a, k, p, per, v, _ in rows}


@dataclass
class KpiTotal:
    key: str
    name_vi: str
    name_en: str
    unit: str
    period: str
    value: float | None  # the province figure; None if no agency gave a total
    parts: dict[str, float]
    reported: list[str]  # agencies that gave a value
    expected: list[str]  # agencies that report this KPI
    by_agency: dict[str, dict[str, float]] = field(default_factory=dict)  # agency -> part -> v
    part_names: dict[str, dict[str, str]] = field(default_factory=dict)  # part -> lang -> name
    baseline: float | None = None
    target: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def province_figure(kpi: Kpi, values: list[float]) -> float:
    """Agencies' figures rolled up to the province: their sum, or their mean for a KPI in %
    (a rate such as the procedure-time cut)."""
    return sum(values) / len(values) if kpi.unit == "%" else sum(values)


def rollup(s: Session, plan: Plan, period: str, as_of: dt.date) -> list[KpiTotal]:
    """Each KPI of the plan for one period, from the agencies up to the province."""
    values = latest_values(s, plan, as_of, period=period)
    out = []
    for key, kpi in plan_kpis(s, plan).items():
        by_agency: dict[str, dict[str, float]] = {}
        for (agency, k, part, _), v in sorted(values.items()):
            if k == key:
                by_agency.setdefault(agency, {})[part] = v
        totals = [parts[""] for parts in by_agency.values() if "" in parts]
        parts = {p: province_figure(kpi, xs) for p in parts_of(kpi)
                 if (xs := [a[p] for a in by_agency.values() if p in a])}
        spec = kpi.spec
        out.append(KpiTotal(
            key, kpi.name_vi, kpi.name_en, kpi.unit, period,
            province_figure(kpi, totals) if totals else None, parts, sorted(by_agency),
            list(spec.get("reported_by", [])), by_agency,
            {p["key"]: {"vi": p["name_vi"], "en": p["name_en"]} for p in spec.get("breakdown", [])},
            (spec.get("baseline") or {}).get("value"), (spec.get("target") or {}).get("value")))
    return out


def latest_period(s: Session, plan: Plan, as_of: dt.date) -> str | None:
    """The newest period with a KPI value made on or before `as_of`."""
    return s.execute(sa.select(sa.func.max(KpiValue.period))
                     .join(Kpi, col(Kpi.id) == KpiValue.kpi_id)
                     .where(col(Kpi.plan_id) == plan.id, col(KpiValue.reported_on) <= as_of)
                     ).scalar()
