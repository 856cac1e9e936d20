"""`make bench`: a country's plans, each step timed against a baseline measured in the same run.

    python -m benchmarks.run [--scale 1.0] [--repeat 3] [--db sqlite,postgresql]
                             [--messages 2000] [--markdown]

For each database: the national plan's files are loaded with `tasks.plan.load.load_file`,
against a plain executemany of the same rows (a fresh database each time); then one database is
given all three plans and the period's reports, and deciding a day's reminders over every plan,
dispatching them to a webhook on 127.0.0.1, compiling the national plan's digest of a month and
a cold `plantrack status --agency X` over every plan are timed against their baselines (see
benchmarks/baselines.py). Every measurement runs in a process of
its own, so its peak RSS is its own; times are medians. PostgreSQL runs when
PLANTRACK_BENCH_PG_URL (or PLANTRACK_TEST_PG_URL) names a server: a database is created for
the run and dropped after it. A table goes to stdout, JSON to benchmarks/results/results-<db>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.generate import PLAN_KEY, Scale, write_plans
from benchmarks.webhook import Webhook

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
AS_OF = "2025-11-26"  # a Wednesday late in the period: many overdue, some due today and soon
MONTH = "2025-11"
AGENCY = "HN-X001"  # a commune: 30 deadlines
MEMORY_MB = 500
# Dispatch is measured with the agencies' channels kept as a national deployment keeps them, in
# Prefect Secret blocks (looked up once each, from a dict here), and again as one environment
# variable per agency: requests scans the whole environment for proxy settings on every post.
DISPATCH = (("secret", "dispatch", "a Secret block"),
            ("env", "dispatch (env)", "an environment variable"))


@dataclass
class Sample:
    seconds: float  # for a measurement stopped at the time limit: the limit (a lower bound)
    peak_mb: float
    answer: Any
    timed_out: bool = False


class TimedOut(Exception):
    def __init__(self, limit: float, peak_mb: float):
        super().__init__(f"stopped after {limit:.0f} s")
        self.limit, self.peak_mb = limit, peak_mb


def spawn(argv: list[str], env: dict[str, str], limit: float | None = None
          ) -> tuple[float, float, str]:
    """Run a process to its end: (wall seconds, its own peak RSS in MB, its stdout).
    Past `limit` seconds it is killed and TimedOut raised."""
    start = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, cwd=ROOT)
    assert p.stdout is not None  # stdout=PIPE
    timer = threading.Timer(limit, p.kill) if limit else None
    if timer:
        timer.start()
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)  # the child's own rusage, not all children's
    wall = time.perf_counter() - start
    if timer:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stdout.close()
    if limit and wall >= limit and p.returncode:
        raise TimedOut(limit, usage.ru_maxrss / 1024)
    if p.returncode:
        raise RuntimeError(f"{' '.join(argv[1:4])}… exited with status {p.returncode}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def probe(name: str, env: dict[str, str], limit: float, **params: Any) -> Sample:
    """A measurement in its own process; stopped at `limit` seconds."""
    try:
        _, peak, out = spawn([sys.executable, "-m", "benchmarks.probe", name,
                              json.dumps(params)], env, limit)
    except TimedOut as t:
        return Sample(t.limit, t.peak_mb, None, timed_out=True)
    data = json.loads(out.strip().splitlines()[-1])
    return Sample(data["seconds"], peak, data["answer"])


def cold(argv: list[str], env: dict[str, str], limit: float,
         answer: Callable[[str], Any] = lambda _: None) -> Sample:
    """A whole process, timed from the outside: start-up included."""
    try:
        wall, peak, out = spawn(argv, env, limit)
    except TimedOut as t:
        return Sample(t.limit, t.peak_mb, None, timed_out=True)
    return Sample(wall, peak, answer(out))


# ── databases ────────────────────────────────────────────────────────────────────────────────

class Sqlite:
    name = "sqlite"

    def __init__(self, folder: Path):
        self.folder = folder

    def create(self, label: str) -> str:
        return f"sqlite:///{self.folder / f'{label}.db'}"

    def drop(self, url: str) -> None:
        path = url.split("///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    def version(self) -> str:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"


class Postgres:
    name = "postgresql"

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.run = uuid.uuid4().hex[:8]

    def create(self, label: str) -> str:
        name = f"plantrack_bench_{self.run}_{label}"
        with self.admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return sa.engine.make_url(self.admin_url).set(database=name).render_as_string(
            hide_password=False)

    def drop(self, url: str) -> None:
        with self.admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" '
                              "WITH (FORCE)"))

    def version(self) -> str:
        with self.admin.connect() as c:
            return "PostgreSQL " + c.execute(sa.text("SHOW server_version")).scalar_one()


# ── steps ────────────────────────────────────────────────────────────────────────────────────

def _agree(a: Any, b: Any) -> bool:
    """Equal on the keys both answers have (a baseline may count a little more or less)."""
    if isinstance(a, dict) and isinstance(b, dict):
        common = a.keys() & b.keys()
        return bool(common) and all(_agree(a[k], b[k]) for k in common)
    return a == b


def summarise(step: str, measures: str, baseline: str, target: str,
              met: Callable[[float, float], bool], ours: list[Sample], base: list[Sample],
              memory_mb: int = MEMORY_MB, **extra: Any) -> dict[str, Any]:
    """Medians, ratio, peaks and whether the target (and the peak under `memory_mb`) is met. A
    measurement stopped at the time limit counts as the limit: its median and ratio are then
    lower bounds."""
    o = statistics.median(s.seconds for s in ours)
    b = statistics.median(s.seconds for s in base)
    peak = max(s.peak_mb for s in ours)
    timed_out = any(s.timed_out for s in ours)
    return {
        "step": step, "measures": measures, "baseline": baseline,
        "seconds": round(o, 4), "baseline_seconds": round(b, 4), "ratio": round(o / b, 2),
        "timed_out": timed_out,
        "runs": [round(s.seconds, 4) for s in ours],
        "baseline_runs": [round(s.seconds, 4) for s in base],
        "peak_mb": round(peak, 1), "baseline_peak_mb": round(max(s.peak_mb for s in base), 1),
        "answer": ours[0].answer, "baseline_answer": base[0].answer,
        "agree": None if timed_out else _agree(ours[0].answer, base[0].answer),
        "target": f"{target}, peak < {memory_mb} MB",
        "met": not timed_out and met(o, b) and peak < memory_mb,
        **extra,
    }


def alternate(repeat: int, ours: Callable[[], Sample], base: Callable[[], Sample]
              ) -> tuple[list[Sample], list[Sample]]:
    """Ours and the baseline take turns, so that drift on a shared machine hits both. Once
    ours has hit the time limit it is not tried again."""
    a: list[Sample] = []
    b: list[Sample] = []
    for _ in range(repeat):
        if not (a and a[-1].timed_out):
            a.append(ours())
        b.append(base())
        mark = "> " if a[-1].timed_out else "  "
        print(f"    {mark}{a[-1].seconds:8.3f} s   baseline {b[-1].seconds:8.3f} s",
              file=sys.stderr)
    return a, b


def child_env(work: Path) -> dict[str, str]:
    """The environment of every measured process: no PLANTRACK_* settings leak in, and byte
    code is cached (under the run's folder) as on any installed machine, even where
    PYTHONDONTWRITEBYTECODE is set."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PLANTRACK_") and k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(work / "pycache")}


def bench(db, scale: Scale, args, work: Path, hook: Webhook) -> dict[str, Any]:
    env = child_env(work)
    load_avg = [round(x, 2) for x in os.getloadavg()]
    plan = str(write_plans(work / "plan", scale)[0])
    steps = []

    def fresh(kind: str) -> Callable[[], Sample]:
        def run() -> Sample:
            url = db.create("load")
            try:
                return probe(kind, env, args.limit, url=url, plan=plan)
            finally:
                db.drop(url)
        return run

    log(f"{db.name}: loading the national plan ({scale.deadlines:,} deadlines)")
    steps.append(summarise(
        "load", "tasks.plan.load.load_file: validate the national plan's files, write agencies, "
        "tasks, assignments and deadlines", "executemany of the same rows (validated beforehand)",
        "≤ 2× baseline", lambda o, b: o <= 2 * b,
        *alternate(args.repeat, fresh("load"), fresh("load_baseline"))))

    url = db.create("main")
    try:
        log(f"{db.name}: generating the record ({scale.all_deadlines:,} deadlines, "
            f"{scale.all_reports:,} reports)")
        wall, peak, out = spawn([sys.executable, "-m", "benchmarks.generate", "--scale",
                                 str(args.scale), "--out", str(work / "plan"), "--db", url], env)
        counts = json.loads(out.strip().splitlines()[-1])
        generated = {"seconds": round(wall, 1), "peak_mb": round(peak, 1), **counts}
        run_env = env | {"PLANTRACK_DATABASE_URL": url}
        steps += measure(url, run_env, args, hook, work)
    finally:
        db.drop(url)
    return {"db": db.name, "version": db.version(), "scale": args.scale,
            "repeat": args.repeat, "as_of": AS_OF, "month": MONTH, "agency": AGENCY,
            "messages": args.messages, "generated": generated,
            "send_threads": next((st["threads"] for st in steps if "threads" in st), "?"),
            "machine": machine() | {"load_avg_before": load_avg,
                                    "load_avg_after": [round(x, 2) for x in os.getloadavg()]},
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "steps": steps}


def measure(url: str, env: dict[str, str], args, hook: Webhook, work: Path
            ) -> list[dict[str, Any]]:
    steps, limit = [], args.limit
    log("  deciding a day's reminders over every plan")
    saved = work / "notices.pickle"
    saved.unlink(missing_ok=True)
    first = [True]

    def decide() -> Sample:  # the first run keeps the notices for dispatch
        save, first[0] = (str(saved) if first[0] else ""), False
        return probe("decide", env, limit, url=url, as_of=AS_OF, save=save)

    steps.append(summarise(
        "decide", f"tasks.notices.day.decide_day for {AS_OF}: who is reminded of what in "
        "every live plan, one notice per recipient and kind",
        "one SQL query per plan: candidate deadlines not done by their latest report, per agency",
        "≤ 2 s and ≤ 2× baseline", lambda o, b: o <= 2 and o <= 2 * b,
        *alternate(args.repeat, decide,
                   lambda: probe("decide_baseline", env, limit, url=url, as_of=AS_OF))))

    if saved.exists():
        for channels, step, where in DISPATCH:
            log(f"  dispatching {args.messages:,} messages to {hook.url}, channels in {where}")
            params = dict(url=url, notices=str(saved), messages=args.messages, hook=hook.url,
                          channels=channels)
            before = hook.received
            ours, base = alternate(args.repeat, partial(probe, "dispatch", env, limit, **params),
                                   partial(probe, "dispatch_baseline", env, limit, **params))
            steps.append(summarise(
                step, "tasks.notices.dispatch.dispatch: render, claim, send through Apprise "
                f"json://, record; every agency's channel in {where}",
                "httpx posts of the same rendered messages, as many at once as dispatch sends",
                "≥ ½ the raw-HTTP rate at the same concurrency", lambda o, b: o <= 2 * b, ours,
                base, rate=round(args.messages / statistics.median(s.seconds for s in ours), 1),
                baseline_rate=round(args.messages / statistics.median(s.seconds for s in base),
                                    1),
                server_received=hook.received - before, threads=base[0].answer["threads"],
                channels=channels))
    else:
        log("  dispatch: skipped, it needs the notices decide did not finish in time")
        steps.append({"step": "dispatch", "skipped": "needs the day's notices: decide did not "
                      "finish within the time limit",
                      "target": "≥ ½ the raw-HTTP rate at the same concurrency",
                      "met": False})

    log(f"  compiling the national plan's digest of {MONTH}")
    month = dict(url=url, plan=PLAN_KEY, month=MONTH)
    steps.append(summarise(
        "digest", f"tasks.digest.compile.compile_digest of {PLAN_KEY} for {MONTH}",
        "one SQL query: deadlines per task kind and status category at the month's end",
        "≤ 3 s", lambda o, b: o <= 3,
        *alternate(args.repeat, lambda: probe("digest", env, limit, **month),
                   lambda: probe("digest_baseline", env, limit, **month)), memory_mb=250))

    log(f"  plantrack status --agency {AGENCY} over every plan, cold")
    cli = [str(Path(sys.executable).with_name("plantrack")), "status", "--agency", AGENCY,
           "--as-of", AS_OF]
    raw = [sys.executable, "-m", "benchmarks.rawsql", url, AGENCY, AS_OF]
    answer = cold(cli + ["--json"], env, limit, json.loads).answer  # also fills the byte code
    cold(raw, env, limit)
    ours, base = alternate(args.repeat, lambda: cold(cli, env, limit),
                           lambda: cold(raw, env, limit, json.loads))
    if answer:
        ours[0].answer = {k: v for k, v in answer["totals"].items() if k != "on_time_rate"}
    floor = statistics.median(cold([sys.executable, "-c", "pass"], env, limit).seconds
                              for _ in range(args.repeat))
    with tempfile.TemporaryDirectory(prefix="plantrack-nopyc-") as empty:
        bare = env | {"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}
        uncached = statistics.median(cold(cli, bare, limit).seconds for _ in range(args.repeat))
    steps.append(summarise(
        "status", f"plantrack status --agency {AGENCY} in a new process, every live plan",
        "a new python process answering the same with the bare driver (sqlite3/psycopg)",
        "≤ 1 s", lambda o, b: o <= 1, ours, base, python_floor_seconds=round(floor, 4),
        without_bytecode_cache_seconds=round(uncached, 4)))
    return steps


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


# ── output ───────────────────────────────────────────────────────────────────────────────────

def _s(x: float) -> str:
    return f"{x:.3f} s" if x < 10 else f"{x:.1f} s"


def rows(result: dict[str, Any]) -> list[list[str]]:
    out = []
    for st in result["steps"]:
        if "skipped" in st:
            out.append([st["step"], "skipped", "", "", "", "", "", st["target"], "NO"])
            continue
        over = "> " if st["timed_out"] else ""
        out.append([st["step"], over + _s(st["seconds"]), _s(st["baseline_seconds"]),
                    f"{over}{st['ratio']:.2f}×", f"{st['peak_mb']:.0f}",
                    f"{st['baseline_peak_mb']:.0f}",
                    {True: "yes", False: "NO", None: "—"}[st["agree"]], st["target"],
                    "yes" if st["met"] else "NO"])
    return out


HEAD = ["step", "plantrack", "baseline", "ratio", "peak MB", "baseline MB", "same answer",
        "target", "met"]


def caption(r: dict[str, Any]) -> str:
    g = r["generated"]
    return (f"{r['version']}, scale {r['scale']} ({g['plans']} plans over {g['agencies']:,} "
            f"agencies, {g['deadlines']:,} deadlines of which the national plan's "
            f"{g['plan_deadlines']:,}, {g['reports']:,} reports), "
            f"{r['machine']['cpus']} CPUs, Python {r['machine']['python']}, "
            f"median of {r['repeat']}, {r['messages']:,} messages sent "
            f"{r['send_threads']} at a time")


def plain(r: dict[str, Any]) -> str:
    from flows.cli.console import table

    return caption(r) + "\n\n" + table(HEAD, rows(r))


def markdown(r: dict[str, Any]) -> str:
    lines = [caption(r), "", "| " + " | ".join(HEAD) + " |",
             "|" + "|".join("---" for _ in HEAD) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows(r)])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def backends(names: list[str], work: Path) -> list[Any]:
    out: list[Sqlite | Postgres] = []
    for name in names:
        if name == "sqlite":
            out.append(Sqlite(work))
        elif name == "postgresql":
            pg = os.environ.get("PLANTRACK_BENCH_PG_URL") or os.environ.get("PLANTRACK_TEST_PG_URL")
            if pg:
                out.append(Postgres(pg))
            else:
                log("postgresql: skipped (set PLANTRACK_BENCH_PG_URL or PLANTRACK_TEST_PG_URL)")
        else:
            raise SystemExit(f"--db: unknown database '{name}' (sqlite, postgresql)")
    return out


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=float, default=1.0, help="1.0 = national (default)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median)")
    p.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    p.add_argument("--messages", type=int, default=2000, help="messages to dispatch")
    p.add_argument("--limit", type=float, default=120,
                   help="seconds after which a measurement is stopped (default 120)")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = p.parse_args(argv)
    scale = Scale.of(args.scale)
    RESULTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plantrack-bench-") as tmp, Webhook() as hook:
        for db in backends(args.db.split(","), Path(tmp)):
            started = time.perf_counter()
            result = bench(db, scale, args, Path(tmp), hook)
            result["total_seconds"] = round(time.perf_counter() - started, 1)
            path = RESULTS / f"results-{db.name}.json"
            path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            print((markdown if args.markdown else plain)(result) + "\n", flush=True)
            log(f"{db.name}: {result['total_seconds']} s; written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
