"""A country's plans at the size a ministry would run: plan files, then a period's reports.

At scale 1.0: 5 central bodies, 34 provinces and 3,300 communes (3,339 agencies) in one
directory, and three plans over all of them for July–December 2025, as a country runs several
at once. The national plan has 30 tasks with monthly deadlines (105,300 deadlines) and
1,000,000 reports: every province coordinates every task; each commune coordinates 5 of the 30,
so each owes 30 deadlines a period. Two thematic plans have 10 tasks each, owed the same way
(35,100 deadlines each, on other days of the month), with as many reports per deadline:
175,500 deadlines and 1,666,667 reports in all. The files are real plan files in the shipped
format, loaded with `tasks.plan.load` like any other; only the reports are bulk-inserted
(agencies would have sent them one by one over the months). Everything is deterministic for a
given seed, and the national plan's record is the same as when it was the only plan.

    python -m benchmarks.generate --scale 0.1 --out out/bench [--db URL]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlmodel import col

from tasks.record.models import Deadline, Plan, Report, Task
from tasks.words import KINDS

PLAN_KEY = "dvk-quoc-gia-2025-h2"  # the national plan: loaded, digested
PERIOD = (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
TASKS_PER_COMMUNE_GROUP = 6  # commune c coordinates the tasks t with t % 6 == c % 6
CHUNK = 10_000

CENTRAL = [  # code, name_vi, name_en, lead of these task kinds
    ("BDV-TW", "Ban Dân vận Trung ương", "Central Mass Mobilisation Commission",
     ("leadership",)),
    ("BCD-TW", "Ban Chỉ đạo phong trào thi đua “Dân vận khéo” Trung ương",
     "Central Steering Committee of the “Dân vận khéo” movement", ("committee", "inspection")),
    ("BNV", "Bộ Nội vụ", "Ministry of Home Affairs", ("admin-reform",)),
    ("MTTQ-TW", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
     "Central Committee of the Vietnam Fatherland Front", ("coordination",)),
    ("VPCP", "Văn phòng Chính phủ", "Government Office", ()),
]

PROVINCES = [  # code, name, is a city
    ("HN", "Hà Nội", True), ("HUE", "Huế", True), ("LCU", "Lai Châu", False),
    ("DBN", "Điện Biên", False), ("SLA", "Sơn La", False), ("LSN", "Lạng Sơn", False),
    ("QNH", "Quảng Ninh", False), ("THA", "Thanh Hóa", False), ("NAN", "Nghệ An", False),
    ("HTH", "Hà Tĩnh", False), ("CBG", "Cao Bằng", False), ("TQG", "Tuyên Quang", False),
    ("LCI", "Lào Cai", False), ("TNN", "Thái Nguyên", False), ("PTO", "Phú Thọ", False),
    ("BNH", "Bắc Ninh", False), ("HYN", "Hưng Yên", False), ("HPG", "Hải Phòng", True),
    ("NBH", "Ninh Bình", False), ("QTI", "Quảng Trị", False), ("DNG", "Đà Nẵng", True),
    ("QNI", "Quảng Ngãi", False), ("GLI", "Gia Lai", False), ("KHA", "Khánh Hòa", False),
    ("LDG", "Lâm Đồng", False), ("DLK", "Đắk Lắk", False), ("HCM", "Hồ Chí Minh", True),
    ("DNI", "Đồng Nai", False), ("TNI", "Tây Ninh", False), ("CTO", "Cần Thơ", True),
    ("VLG", "Vĩnh Long", False), ("DTP", "Đồng Tháp", False), ("CMU", "Cà Mau", False),
    ("AGG", "An Giang", False),
]

TASK_TITLES = {  # kind -> (title_vi, title_en), numbered per task
    "leadership": ("Lãnh đạo, chỉ đạo thực hiện các nghị quyết, chỉ thị về công tác dân vận",
                   "Lead and direct the resolutions and directives on mass mobilisation"),
    "committee": ("Kiện toàn Ban Chỉ đạo và nhân rộng mô hình “Dân vận khéo”",
                  "Reinforce the steering committees and replicate “Dân vận khéo” models"),
    "admin-reform": ("Dân vận chính quyền và cải cách thủ tục hành chính",
                     "Mass mobilisation in government and administrative procedure reform"),
    "coordination": ("Phối hợp giữa Mặt trận Tổ quốc, các đoàn thể và chính quyền các cấp",
                     "Coordination between the Fatherland Front, mass organisations and "
                     "governments"),
    "inspection": ("Kiểm tra, giám sát, khen thưởng điển hình “Dân vận khéo”",
                   "Inspect, supervise and commend typical “Dân vận khéo” models"),
}

# What becomes of a deadline: (share, outcome). Missing ones get no report at all.
OUTCOMES = ((0.55, "on_time"), (0.20, "late"), (0.10, "never_done"), (0.15, "missing"))


@dataclass(frozen=True)
class Shape:
    """One of the plans: its key and title, and a share of the national plan's tasks (1/n)."""

    key: str
    title_vi: str
    title_en: str
    share: int
    theme_vi: str = ""  # added to each task's title
    theme_en: str = ""


PLANS = (
    Shape(PLAN_KEY, "Kế hoạch thực hiện Phong trào thi đua “Dân vận khéo” 6 tháng cuối năm 2025 "
          "(toàn quốc, dữ liệu sinh cho đo hiệu năng)",
          "“Dân vận khéo” movement, last six months of 2025, national (generated for benchmarks)",
          1),
    Shape("cds-quoc-gia-2025-h2", "Kế hoạch dân vận trong chuyển đổi số 6 tháng cuối năm 2025 "
          "(toàn quốc, dữ liệu sinh cho đo hiệu năng)",
          "Mass mobilisation in digital transformation, last six months of 2025, national "
          "(generated for benchmarks)", 3, "chuyển đổi số", "digital transformation"),
    Shape("cchc-quoc-gia-2025-h2", "Kế hoạch dân vận trong cải cách hành chính 6 tháng cuối năm "
          "2025 (toàn quốc, dữ liệu sinh cho đo hiệu năng)",
          "Mass mobilisation in administrative reform, last six months of 2025, national "
          "(generated for benchmarks)", 3, "cải cách hành chính", "administrative reform"),
)


@dataclass(frozen=True)
class Scale:
    """How big the plans are; `of(1.0)` is national. `tasks` and `reports` are the national
    plan's; the other plans have a share of its tasks and as many reports per deadline."""

    provinces: int = 34
    communes: int = 3300
    tasks: int = 30
    reports: int = 1_000_000

    @classmethod
    def of(cls, factor: float) -> Scale:
        return cls(provinces=max(1, min(34, round(34 * factor))),
                   communes=max(1, round(3300 * factor)), reports=round(1_000_000 * factor))

    @property
    def agencies(self) -> int:
        return len(CENTRAL) + self.provinces + self.communes

    @property
    def months(self) -> int:
        return (PERIOD[1].year - PERIOD[0].year) * 12 + PERIOD[1].month - PERIOD[0].month + 1

    def tasks_of(self, shape: Shape) -> int:
        return max(1, self.tasks // shape.share)

    def deadlines_of(self, shape: Shape) -> int:
        """Each task: its lead and every province monthly, plus its communes."""
        tasks = self.tasks_of(shape)
        commune_slots = sum(len(range(t % TASKS_PER_COMMUNE_GROUP, self.communes,
                                      TASKS_PER_COMMUNE_GROUP)) for t in range(tasks))
        return self.months * (tasks * (1 + self.provinces) + commune_slots)

    def reports_of(self, shape: Shape) -> int:
        return round(self.reports * self.deadlines_of(shape) / self.deadlines_of(PLANS[0]))

    @property
    def deadlines(self) -> int:
        """The national plan's."""
        return self.deadlines_of(PLANS[0])

    @property
    def all_deadlines(self) -> int:
        return sum(self.deadlines_of(p) for p in PLANS)

    @property
    def all_reports(self) -> int:
        return sum(self.reports_of(p) for p in PLANS)


def _agency(code: str, name_vi: str, name_en: str, level: str, parent: str | None) -> dict:
    out = {"code": code, "name_vi": name_vi, "name_en": name_en, "level": level}
    if parent:
        out["parent"] = parent
    return out | {"channels": [{"secret": secret_name(code)}]}


def secret_name(code: str) -> str:
    """The Prefect Secret block holding an agency's channel URLs: at national scale channels
    are kept in Secret blocks (`{secret: NAME}`), not one environment variable per agency."""
    return "plantrack-ch-" + "".join(c if c.isalnum() else "-" for c in code.lower())


def agencies(scale: Scale) -> list[dict]:
    """Central bodies, provinces (reporting to BDV-TW) and their communes, as directory rows.

    The directory knows two levels, province and district: central bodies are written as
    province level and communes as district level.
    """
    out = [_agency(code, vi, en, "province", None if code == "BDV-TW" else "BDV-TW")
           for code, vi, en, _ in CENTRAL]
    provinces = PROVINCES[:scale.provinces]
    for code, name, city in provinces:
        vi = f"Ủy ban nhân dân {'thành phố' if city else 'tỉnh'} {name}"
        en = f"People's Committee of {name} {'city' if city else 'province'}"
        out.append(_agency(f"UBND-{code}", vi, en, "province", "BDV-TW"))
    per, extra = divmod(scale.communes, len(provinces))
    for j, (code, name, _city) in enumerate(provinces):
        for n in range(1, per + (j < extra) + 1):
            out.append(_agency(f"{code}-X{n:03d}", f"Ủy ban nhân dân xã số {n}, {name}",
                               f"People's Committee of commune no. {n}, {name}", "district",
                               f"UBND-{code}"))
    return out


def plan_tasks(scale: Scale, directory: list[dict], shape: Shape = PLANS[0]) -> list[dict]:
    leads = {kind: code for code, _, _, kinds in CENTRAL for kind in kinds}
    provinces = [a["code"] for a in directory if a["code"].startswith("UBND-")]
    communes = [a["code"] for a in directory if a["level"] == "district"]
    shift = PLANS.index(shape) * 3  # the plans' monthly days differ
    out = []
    for t in range(scale.tasks_of(shape)):
        kind = KINDS[t % len(KINDS)]
        vi, en = TASK_TITLES[kind]
        if shape.theme_vi:
            vi, en = f"{vi} trong {shape.theme_vi}", f"{en} in {shape.theme_en}"
        n = t // len(KINDS) + 1
        out.append({
            "key": f"{kind}-{n:02d}", "kind": kind,
            "title_vi": f"{vi} (nhóm {n})", "title_en": f"{en} (group {n})",
            "text_vi": f"{vi}; báo cáo kết quả hằng tháng.",
            "lead": [leads[kind]],
            "coordinating":
                provinces + communes[t % TASKS_PER_COMMUNE_GROUP::TASKS_PER_COMMUNE_GROUP],
            "deadlines": [{
                "key": "monthly-report",
                "title_vi": f"Báo cáo kết quả thực hiện hằng tháng — {vi.lower()}",
                "title_en": f"Monthly report — {en.lower()}",
                "owed_by": ["lead", "coordinating"],
                "monthly": {"day": 5 + (7 * t + shift) % 23},
            }],
        })
    return out


def write_plans(out: Path, scale: Scale) -> list[Path]:
    """Write `agencies.yaml` and `plans/<key>.yaml` of every plan under `out`; return the plan
    files, the national plan's first."""
    out = Path(out)
    (out / "plans").mkdir(parents=True, exist_ok=True)
    directory = agencies(scale)
    dump: dict[str, Any] = dict(allow_unicode=True, sort_keys=False, width=100,
                                default_flow_style=None, Dumper=yaml.CSafeDumper)
    (out / "agencies.yaml").write_text(
        "# Generated by benchmarks/generate.py: a national agency directory.\n"
        + yaml.dump({"agencies": directory}, **dump), encoding="utf-8")
    paths = []
    for shape in PLANS:
        path = out / "plans" / f"{shape.key}.yaml"
        path.write_text("# Generated by benchmarks/generate.py: a national plan for benchmarks.\n"
                        + yaml.dump(_plan(scale, directory, shape), **dump), encoding="utf-8")
        paths.append(path)
    return paths


def _plan(scale: Scale, directory: list[dict], shape: Shape) -> dict[str, Any]:
    return {
        "key": shape.key, "title_vi": shape.title_vi, "title_en": shape.title_en,
        "issued_by": "BDV-TW", "issued_on": dt.date(2025, 6, 30),
        "source": "benchmarks/generate.py", "directory": "../agencies.yaml",
        "period": {"start": PERIOD[0], "end": PERIOD[1]},
        # The plain cadence the baselines (baselines.decide_counts) compute by hand, and the
        # recorded timings were measured with: no thinning, escalations every 5 working days.
        "reminders": {"before": [3, 1], "on_day": True, "overdue_every": 2, "overdue_thin": [],
                      "escalate_after": 5, "escalate_every": 5},
        "digest": {"recipients": ["BDV-TW", "BCD-TW"], "lang": "vi"},
        "tasks": plan_tasks(scale, directory, shape),
    }


def _outcome(u: float) -> str:
    for share, outcome in OUTCOMES:
        if u < share:
            return outcome
        u -= share
    return OUTCOMES[-1][1]


def _deadline_reports(rng: random.Random, did: int, opens: dt.date, due: dt.date, outcome: str,
                      n_progress: int) -> Iterator[tuple]:
    """(deadline, status, progress, reported_on, completed_on, order) of one deadline's reports."""
    if outcome == "on_time":
        done = opens + dt.timedelta(days=rng.randint(0, max(0, (due - opens).days)))
    elif outcome == "late":
        done = due + dt.timedelta(days=rng.randint(1, 25))
    else:
        done = None
    last = done or min(due + dt.timedelta(days=30), PERIOD[1])
    span = max(0, (last - opens).days)
    days = sorted(opens + dt.timedelta(days=rng.randint(0, span)) for _ in range(n_progress))
    for i, day in enumerate(days):
        yield did, "in_progress", min(90, 10 * (i + 1)), day, None, i
    if done:
        yield did, "done", 100, done + dt.timedelta(days=rng.randint(0, 2)), done, n_progress


def report_rows(deadlines: list[tuple[int, dt.date, dt.date]], total: int,
                seed: int) -> Iterator[dict]:
    """Exactly `total` reports (fewer only if there are too few deadlines to report on).

    Each deadline is on time, late, in progress and never done, or missing; the reports left
    after one `done` per finished deadline are progress updates spread over the reporting
    deadlines with random weights.
    """
    rng = random.Random(seed)
    outcomes = [_outcome(rng.random()) for _ in deadlines]
    reporting = [i for i, o in enumerate(outcomes) if o != "missing"]
    done = sum(o in ("on_time", "late") for o in outcomes)
    left = max(0, total - done)
    weights = [rng.random() + 0.5 for _ in reporting]
    whole = sum(weights) or 1.0
    counts = dict.fromkeys(range(len(deadlines)), 0)
    for i, w in zip(reporting, weights, strict=True):
        counts[i] = int(left * w / whole)
    for i in reporting[:left - sum(counts.values())]:
        counts[i] += 1
    made = 0
    for i, (did, opens, due) in enumerate(deadlines):
        for did_, status, progress, on, completed, order in _deadline_reports(
                rng, did, opens, due, outcomes[i], counts[i]):
            if made == total:
                return
            made += 1
            yield {"deadline_id": did_, "status": status, "progress": progress, "note": "",
                   "evidence_url": "", "reported_by": "", "reported_on": on,
                   "completed_on": completed, "source": "benchmarks",
                   "source_key": None, "recorded_at": _instant(on, order)}


def _instant(day: dt.date, order: int) -> dt.datetime:
    """09:00 in Vietnam on the day, a minute later for each further report of the deadline."""
    return dt.datetime(day.year, day.month, day.day, 2, order % 60, tzinfo=dt.UTC)


def insert_reports(url: str, scale: Scale, seed: int = 2025) -> int:
    """Bulk-insert the period's reports for every deadline of every plan; return how many. Each
    plan has a seed of its own, so the national plan's reports do not depend on the others."""
    from tasks.record.store import engine

    eng = engine(url)
    n, chunk = 0, []
    with eng.begin() as c:
        for i, shape in enumerate(PLANS):
            rows = c.execute(sa.select(col(Deadline.id), col(Deadline.opens_on),
                                       col(Deadline.due_on))
                             .join(Task, col(Task.id) == Deadline.task_id)
                             .join(Plan, col(Plan.id) == Task.plan_id)
                             .where(col(Plan.key) == shape.key).order_by(col(Deadline.id)))
            # `did` is a primary key, never None: SQLModel types ids `int | None`
            deadlines = [(did, opens, due) for did, opens, due in rows if did is not None]
            for row in report_rows(deadlines, scale.reports_of(shape), seed + i):
                chunk.append(row)
                if len(chunk) == CHUNK:
                    c.execute(sa.insert(Report), chunk)
                    n, chunk = n + len(chunk), []
        if chunk:
            c.execute(sa.insert(Report), chunk)
            n += len(chunk)
    if eng.dialect.name == "postgresql":  # what autovacuum would do soon after a bulk insert
        with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(sa.text("ANALYZE"))
    return n


def generate(out: Path, url: str, scale: Scale, seed: int = 2025) -> dict[str, int]:
    """Write the plan files, load them with `tasks.plan.load`, insert the reports; return
    counts (deadlines: of every plan; plan_deadlines: of the national plan)."""
    from tasks.plan.load import load_file

    changes = [load_file(path, url) for path in write_plans(out, scale)]
    reports = insert_reports(url, scale, seed)
    return {"plans": len(changes), "agencies": changes[0]["agencies"]["added"],
            "tasks": sum(c["tasks"]["added"] for c in changes),
            "deadlines": sum(c["deadlines"]["added"] for c in changes),
            "plan_deadlines": changes[0]["deadlines"]["added"], "reports": reports}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, default=1.0, help="1.0 = national (default)")
    p.add_argument("--out", type=Path, default=Path("out/bench"), help="where the files go")
    p.add_argument("--db", help="also load them and insert the reports into this database")
    p.add_argument("--seed", type=int, default=2025)
    args = p.parse_args(argv)
    scale = Scale.of(args.scale)
    if args.db:
        print(json.dumps(generate(args.out, args.db, scale, args.seed)))
    else:
        print(*write_plans(args.out, scale), sep="\n")


if __name__ == "__main__":
    main()
