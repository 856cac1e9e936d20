"""`make demo`: the shipped plan lived through July–December 2024 on the embedded defaults.

Loads the plan into a fresh SQLite file (var/demo.db), scripts the agencies' reports
(config/demo/script.yaml: some on time, some late, some never), replays every day to
30/12/2024 writing what would have been sent to out/reminders/, then runs one real `daily-run`
for 31/12/2024 and the December `monthly-digest` through a local Prefect server, delivering to
a webhook sink on 127.0.0.1 (out/delivered/), and writes the six monthly digests to out/digests/.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import yaml

from tasks.settings import CONFIG, DIGESTS, OUT, PLANS, ROOT, VAR

DB = VAR / "demo.db"
PLAN = PLANS / "dvk-2024-h2.yaml"
SCRIPT = CONFIG / "demo" / "script.yaml"


def say(msg: str) -> None:
    print(f"[demo] {msg}", flush=True)


def fresh_database() -> str:
    for p in DB.parent.glob(DB.name + "*"):
        p.unlink()
    url = f"sqlite:///{DB}"
    os.environ["PLANTRACK_DATABASE_URL"] = url
    return url


def main() -> None:
    started = time.monotonic()
    script = yaml.safe_load(SCRIPT.read_text(encoding="utf-8"))
    url = fresh_database()
    shutil.rmtree(OUT, ignore_errors=True)
    from tasks.plan.load import load_file
    from tasks.scripted import script_kpis, script_reports

    changes = load_file(PLAN, url)
    say(f"plan loaded into {DB.relative_to(ROOT)}: {changes['tasks']['added']} tasks, "
        f"{changes['deadlines']['added']} deadlines")
    say(f"{script_reports(url, script)} scripted reports and {script_kpis(url, script)} KPI "
        f"values from {SCRIPT.relative_to(ROOT)}")

    from tasks.simulate import replay

    last = script["end"]
    t = time.monotonic()
    days = replay(url, [], script["start"], last - dt.timedelta(days=1), OUT / "reminders")
    say(f"replayed {len(days)} days in {time.monotonic() - t:.1f} s: "
        f"{sum(d.reminders for d in days)} reminders, {sum(d.escalations for d in days)} "
        f"escalations written to out/reminders/")

    from flows.demo.sink import webhook_sink
    from flows.setup.server import DEFAULT_PORT, api_server
    from tasks.notices.channels import env_name
    from tasks.notices.outbox import agencies_of

    with webhook_sink(OUT / "delivered") as sink_url, api_server(announce=say) as api:
        for code in agencies_of(url):
            os.environ[env_name(code)] = f"json://{sink_url}/{code}"
        from flows.runs.daily import daily_run
        from flows.runs.monthly import monthly_digest
        from flows.runs.retry import outcome

        result = outcome(daily_run(as_of=last))
        say(f"daily-run {last:%d/%m/%Y} through Prefect at {api}: {result}")
        digest = outcome(monthly_digest(month=f"{last:%Y-%m}",
                                        as_of=last + dt.timedelta(days=1)))
        say(f"monthly-digest {last:%m/%Y}: {digest}")

    from tasks.digest.month import write_months

    for made in write_months(url, None, f"{script['start']:%Y-%m}", f"{last:%Y-%m}", DIGESTS):
        say(f"digest {made.digest.month}: {made.files['md'].parent.relative_to(ROOT)}")

    from flows.cli import app

    say("status as of 31/12/2024:")
    app(["status", "--as-of", f"{last}"], standalone_mode=False)
    from flows.web.demo import announce

    announce(say, url)
    say(f"done in {time.monotonic() - started:.0f} s. `plantrack` reads var/plantrack.db unless "
        "PLANTRACK_DATABASE_URL says otherwise; to look at the demo's record:")
    print(f"    export PLANTRACK_DATABASE_URL={url}\n"
          "    .venv/bin/plantrack status --as-of 2024-09-30\n"
          "    make ui    # the Prefect UI over the demo's runs: "
          f"http://127.0.0.1:{DEFAULT_PORT} (make ui PORT=… for another port)", flush=True)


if __name__ == "__main__":
    main()
