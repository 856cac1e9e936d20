"""Every word plantrack says in English, in one module a translator edits: the labels of its
tables and documents and the command line's help. Sentences are written in English in the code
itself (tasks.words.phrase), so there is no English catalog of them.
"""
from __future__ import annotations

from typing import Any

# ── Labels: the words of plantrack's tables, documents, pages and commands, each table with
# the same keys as in vi.py (tests/test_words.py checks it); {fields} are filled in by the code.

CATEGORY_LABELS = {
    "done_on_time": "Done on time", "done_late": "Done late",
    "in_progress": "In progress, within deadline", "overdue": "Overdue", "not_due": "Not yet due",
}

REPORT_STATUS_LABELS = {"done": "Done", "in_progress": "In progress"}

ROLE_LABELS = {"lead": "Lead", "coordinating": "Coordinating"}

KIND_LABELS = {
    "leadership": "Leadership", "committee": "Committee reinforcement",
    "admin-reform": "Administrative reform", "coordination": "Coordination",
    "inspection": "Inspection",
}

# The monthly digest: its tables, the workbook's summary sheet and the charts.

PEER_DEFAULTS = {  # the digest's groups of agencies when a plan names none (`peers:`)
    "province": "Provincial bodies",
    "district": "District bodies",
    "other": "Other bodies",
}

TABLE_TITLES = {  # table key -> (sheet name, heading)
    "by_kind": ("By task kind", "Status by task kind"), "by_task": ("By task", "Status by task"),
    "agencies": ("Agencies", "Agencies' league table"),
    "overdue": ("Overdue", "Overdue items not yet done"),
    "completed": ("Completed", "Completed during the month"),
    "newly_overdue": ("Newly overdue", "Newly overdue during the month"),
    "coming": ("Next month", "Deadlines next month"), "kpis": ("KPIs", "The movement's indicators"),
    "delivery": ("Reminder delivery", "Reminder delivery during the month"),
    "failing": ("Undelivered", "Reminders not yet delivered"),
}

TABLE_LABELS = {  # column headers and row labels
    "kind": "Task kind", "task": "Task", "total": "Total", "rate": "On-time rate",
    "progress": "Average progress", "all": "Whole plan", "rank": "Rank", "agency": "Agency",
    "item": "Item", "period": "Period", "due": "Due", "days_late": "Days late",
    "item_progress": "Progress", "reminders": "Reminders", "working_days_late": "Working days late",
    "escalations": "Escalations", "completed_on": "Completed on", "status": "Status",
    "owed_by": "Owed by", "done": "Done", "kpi": "Indicator", "unit": "Unit",
    "baseline": "Baseline {day}", "latest": "Latest", "change": "Change",
    "change_pct": "Change (%)", "target": "Target", "reporting": "Reported", "msg_kind": "Kind",
    "messages": "Messages", "sent": "Sent", "failed": "With errors",
    "failed_attempts": "Failed attempts", "still_failing": "Not delivered", "day": "Day",
    "recipient": "Recipient", "attempts": "Failed attempts", "last_error": "Last error",
    "group": "Group", "due_count": "Come due", "reminder": "Reminder", "escalation": "Escalation",
    "sum": "Total",
}

SUMMARY_LABELS = {  # the workbook's summary sheet
    "sheet": "Summary", "item": "Item", "value": "Value", "plan": "Plan", "month": "Month",
    "as_of": "As of", "completed": "Completed during the month",
    "newly_overdue": "Newly overdue during the month", "coming": "Deadlines next month",
    "sent": "Reminders sent this month", "failing": "Reminders undelivered",
}

CHART_LABELS = {  # titles, axes and notes of the charts
    "kinds": "Deadlines by task kind and status, as of {day}", "count": "Deadlines",
    "agencies": "Agencies' on-time rate, as of {day}", "rate": "On-time rate (%)",
    "none": "No agency has anything due yet.",
    "trend": "Indicators against their baseline of {day} (baseline = 100)",
    "index": "Index ({day} = 100)", "target": "Target {value}", "missing": "Not enough reports yet",
    "baseline": "Baseline", "latest": "Latest: {value}", "no_data": "not enough reports",
}

COMMAND_WORDS: dict[str, Any] = {  # what the commands say
    "upgraded": "database at newest migration: {url}",
    "check_ok": "{file}: OK — {tasks} tasks, {deadlines} deadlines, {kpis} KPIs",
    "load_head": ["", "added", "changed", "removed"], "nothing": "nothing changed",
    "what": {"agencies": "agencies", "plan": "plan", "tasks": "tasks",
             "deadlines": "deadlines", "kpis": "KPIs"},
    "agencies_head": ["code", "name", "parent"], "plans_head": ["key", "state", "period", "title"],
    "states": {"draft": "draft", "active": "active",
               "ended": "period over, owed work still reminded", "closed": "closed"},
    "closed": "closed plan {plan} from {on}: no more reminders",
    "reopened": "reopened plan {plan} from {on}", "tasks_head": ["key", "kind", "lead", "title"],
    "report": "report #{id}: {task} {agency} {period} → {status} {progress}% ({on})",
    "event": "deadline {rule} for {agency}: due {due}", "digest_wrote": "wrote {n} files to {dir}",
    "digest_none": "no plan owes a digest for {month}",
    "digest_sent": "digest sent: {sent} sent, {failed} failed, {already} sent before",
    "simulate_head": ["day", "reminders", "escalations", "items"],
    "simulate_totals": "{reminders} reminders, {escalations} escalations over {days} days",
    "simulate_record": "recorded in the copy {record} (of {live}; the live record is "
                       "unchanged)",
    "simulate_progress": "simulating",
}

STATUS_WORDS = {  # the status table
    "title": "Status of plan {plan} as of {day}", "kind": "Task kind", "agency": "Agency",
    "total": "Total", "rate": "On-time rate", "due": "Due", "task": "Task", "role": "Role",
    "period": "Period", "status": "Status", "late": "Days late", "progress": "Progress",
    "all": "Whole plan", "none": "No deadlines.",
    "no_plan": "No plan is active on {day}: name one with --plan KEY.",
}

RETURNS_WORDS: dict[str, Any] = {  # templates, imports and KPIs
    "wrote": "{file}: {owed} deadlines this month, {overdue} overdue from earlier, "
             "{kpis} KPI rows",
    "none": "no agency owes a deadline or a KPI figure in {period}",
    "imported": "imported {reports} reports and {values} KPI values from {files} files "
                "({unchanged} rows already in the record, skipped)",
    "stale": "{where}: repeats a report imported earlier that a later one has "
             "superseded — not imported again",
    "refused": "nothing imported: {n} problem(s) in {files} file(s)",
    "kpi_title": "KPIs for {period} (as of {day})",
    "kpi_head": ["key", "KPI", "province", "unit", "reported", "baseline", "target"],
    "no_values": "no KPI values yet",
}

WEB_WORDS: dict[str, Any] = {  # the web app: agencies' pages, the board, errors
    "lang_name": "English", "other_lang": "Tiếng Việt", "as_of": "As of {day}", "plan": "Plan",
    "task": "Task", "period": "period", "due": "Due", "role": "Role", "status": "Status",
    "progress": "Progress", "agency": "Agency", "page_title": "Report on your deadlines",
    "open_title": "Deadlines to report on",
    "none_open": "Nothing is waiting for a report. Thank you.", "done_title": "Reported done",
    "days_late": "{n} days", "opens": "opens {day}", "upcoming": "Not yet open",
    "done_on": "done {day}", "last_report": "Last report {day}: {progress}%",
    "form_open": "Report on this", "f_status": "Status", "f_done": "Done",
    "f_in_progress": "In progress", "f_progress": "Progress (%)",
    "f_completed": "Completed on (if done)", "f_note": "Note (document number, date…)",
    "f_evidence_url": "Evidence link",
    "f_evidence_file": "Evidence file: PDF, image, Word, Excel, PowerPoint; up to {mb} MB",
    "f_by": "Reported by", "f_submit": "Send the report",
    "saved": "Report #{id} recorded: {task}, {period} — {status} {progress}%.",
    "duplicate": "This report was already recorded (#{id}); nothing was added.",
    "refused": "The report was not recorded: {message}", "files": "Files sent",
    "feed": "Add these deadlines to your calendar (Outlook, Google Calendar, phone)",
    "feed_name": "Deadlines — {agency}",
    "link_note": "This link is your agency's own and works until {day}; each new reminder "
                 "brings a fresh one. Please do not pass it on.",
    "correct": "To correct a report already sent, contact the secretariat.",
    "errors": {
        "tampered": ("Invalid link", "This link is wrong or has been altered."),
        "expired": ("Link expired",
                    "This link is past its time ({days} days after it was sent)."),
        "revoked": ("Link revoked", "The secretariat has taken back your earlier links."),
        "form": ("Form no longer valid",
                 "The form was open too long or was altered, so nothing was recorded. "
                 "Reload the page and send it again."),
        "forbidden": ("Not allowed",
                      "This link only reports on its own agency's deadlines; nothing was "
                      "recorded."),
        "too_large": ("File too large",
                      "Evidence files are limited to {mb} MB; nothing was recorded. "
                      "Compress the file or save it as PDF and send it again."),
        "not_found": ("Page not found", "There is no such address here."),
        "throttled": ("Sign-in locked",
                      "Too many failed sign-ins. Try again in {minutes} minutes."),
        "role": ("Not allowed", "Only the secretariat reports for an agency."),
        "not_configured": ("Not configured", "The server has no link-signing key."),
    },
    "error_next": "Open the link in your latest reminder, or ask the secretariat for a "
                  "new one.",
    "home_title": "Work-plan tracking",
    "home_text": "Agencies open their own page with the link in their reminder.",
    "home_staff": "Secretariat and leaders: sign in to see the board.", "signin_title": "Sign in",
    "f_user": "User name", "f_password": "Password", "signin_button": "Sign in",
    "wrong_password": "Wrong user name or password.", "board_title": "Plan tracking board",
    "roles": {"secretariat": "Secretariat", "leader": "Leader"}, "sign_out": "Sign out",
    "no_plan": "No plan is live.", "totals": "{total} deadlines — on-time rate {rate}",
    "answers_title": "Reports sent through the web",
    "answers_none": "No report has come through the web yet.", "via_link": "the agency's link",
    "at": "When", "by": "Sent by", "client": "Address", "evidence": "Evidence",
    "digests_title": "Monthly digests", "digests_none": "No monthly digest yet.",
    "open_agency": {"secretariat": "View, report for it", "leader": "View"},
    "staff_agency_title": "{agency}'s deadlines", "back": "← Board",
    "cli": {
        "serving": "plantrack web: {url} — the board: {url}/board — Ctrl-C to stop",
        "no_public": "PLANTRACK_PUBLIC_URL is not set: reminders carry no link",
        "revoked": "took back every link of {agency} issued until {at}",
        "user_added": "account {name} ({role}) created",
        "link": "{url}\n(works until {until})",
        "password": "Password", "again": "Password again",
        "mismatch": "the two passwords differ",
    },
}

# ── Failures (issue 14): what the command line's one error boundary says when the record, a
# server or a place to write is not usable. Kept in one block; each line says what is wrong and
# what to do. {reason} is the system's or the database driver's own words.
ARTIFACT_WORDS = {  # what the runs show in the Prefect UI
    "status_title": "{task} — status as of {day}", "count": "Deadlines",
    "overdue": "Overdue", "today": "Reminders today", "to": "To", "kind": "Kind",
    "items": "Items", "track": "{task}: status as of {day}",
    "track_flow": "Track a plan task of kind '{kind}': status and reminders.",
    "day": "Reminders of {day}", "month": "Report of {month}: {title}",
}

FAILURE_WORDS = {
    "bad_url": "PLANTRACK_DATABASE_URL is not a database URL: give sqlite:///PATH/TO/FILE.db "
               "or postgresql+psycopg://USER@HOST/DATABASE",
    "unsupported": "the record {url} is a {backend} database: plantrack keeps its record in "
                   "SQLite (sqlite:///FILE.db) or PostgreSQL "
                   "(postgresql+psycopg://USER@HOST/DATABASE)",
    "driver": "the record {url} names the driver '{driver}': write postgresql+psycopg://… "
              "(psycopg is plantrack's PostgreSQL driver)",
    "cannot_open": "cannot open the record {url} ({reason}): check that its folder exists "
                   "and can be read and written, or set PLANTRACK_DATABASE_URL to the record",
    "folder": "the record {url} is a folder, not a file: name a file in it, e.g. "
              "sqlite:///{path}/plantrack.db",
    "not_file": "the record {url} is not a regular file: name a SQLite file",
    "not_sqlite": "{path} is not a plantrack record (not a SQLite database): set "
                  "PLANTRACK_DATABASE_URL to the record, or move this file away and run "
                  "`plantrack db upgrade`",
    "damaged": "the record {url} is damaged ({reason}): restore it from a backup, or move it "
               "away and run `plantrack db upgrade`, then `plantrack plan load FILE`",
    "read_only": "the record {url} cannot be written ({reason}): check the permissions of "
                 "the file and its folder",
    "full": "the disk of the record {url} is full ({reason}): free some space and run the "
            "command again",
    "busy": "the record {url} is busy ({reason}): run the command again in a moment",
    "io": "the record {url} could not be read or written ({reason}): check the disk",
    "unreachable": "cannot reach the database server of {url} ({reason}): start the server, "
                   "or check the host and port in PLANTRACK_DATABASE_URL",
    "refused": "the database server of {url} refused the connection ({reason}): check the "
               "user, password and database name in PLANTRACK_DATABASE_URL",
    "no_right": "the user of {url} may not do this ({reason}): grant it the rights, or "
                "connect as the record's owner",
    "newer": "the record {url} was made by a newer plantrack (migration {revision}): use "
             "that version of plantrack, or another record",
    "record_place": "cannot create the record {url} at {path} ({reason}): choose a folder "
                    "that can be written in PLANTRACK_DATABASE_URL",
    "not_a_file": "{path} is a folder: give a file name",
    "cannot_write": "cannot write in {path} ({reason}): choose a place that can be written",
    "not_a_folder": "{path} is a file, not a folder: choose another place",
    "control_arg": "the argument '{arg}' contains {char}, a control character: type it "
                   "again without it",
    "usage": "{message} (see `{command} --help`)",
    "os_error": "{path}: {reason}: check the path, and that it can be read and written",
    "future_on": "--on: {day} is in the future: returns are taken in today or on a day "
                 "that has passed",
}
# ── end of the failures block (issue 14)

PERIOD_WORDS = {  # a deadline's period (tasks/words/formats.py period_label)
    "month": "{month_name} {year}", "quarter": "Q{quarter} {year}",
    "H1": "first half of {year}", "H2": "second half of {year}",
}


# ── The command line's help: command path (and "path --option") → its help.
HELP: dict[str, str] = {
    '': 'plantrack: track a work plan — deadlines, reminders, reports and the monthly report.',
    '--lang': 'vi (default) or en; or set PLANTRACK_LANG',
    '--help': 'Show this help and exit.',
    'digest': "Compile a month's status digest of each plan from the record and write it: "
              'Markdown, HTML email, workbook, JSON and charts (out/digests/PLAN/YYYY-MM/); '
              'with --docx the report as a Word document (numbered from '
              'var/report-numbers.yaml); with --send, email it.',
    'digest --month': 'YYYY-MM (default: the month before this one)',
    'digest --out': 'folder of the digests; each gets PLAN/YYYY-MM/',
    'digest --send': "email it to the plan's digest recipients (each gets a month's digest once)",
    'digest --lang': "vi or en (default: the plan's digest language)",
    'digest --docx': 'also write the report as a Word document in the official layout '
                     '(digest.docx)',
    'digest --pdf': 'and convert it to PDF with LibreOffice (implies --docx)',
    'digest --plan': 'plan key; repeat for several (default: every active plan)',
    'digest --json': 'print what was written as JSON',
    'agencies': 'The agency directory in the record.',
    'agencies --json': 'print as JSON',
    'tasks': "Each plan's tasks with their kind and owners (every active plan, or those named).",
    'tasks --plan': 'plan key; repeat for several (default: every active plan)',
    'tasks --json': 'print as JSON',
    'remind': "Run `daily-run` once: track every task and send the day's reminders; exit 1, "
              'with a line per message on stderr, when any is left undelivered.',
    'remind --as-of': 'day (default: today)',
    'remind --dry-run': 'print the messages; send and claim nothing',
    'remind --json': 'print the outcome as JSON',
    'remind --plan': 'plan key; repeat for several (default: every active plan)',
    'simulate': 'Replay every day of a period (at most 366, future days too) as the daily run '
                'would have done, on a copy of the record: the live record is not written.',
    'simulate --from': 'first day',
    'simulate --to': 'last day',
    'simulate --sink': 'write messages here',
    'simulate --record': "the simulation's own SQLite file, replaced on each run by a copy of "
                         'the live record (default: var/simulate.db)',
    'simulate --plan': 'plan key; repeat for several (default: every active plan)',
    'simulate --json': 'print the days as JSON',
    'serve': 'Serve every deployment (tasks, daily-run, monthly-digest, retry-failed, '
             'sync-plan) from one process.',
    'serve --plan': 'plan key; repeat for several (default: every active plan)',
    'serve --limit': 'flow runs at once',
    'report': "Record an agency's report on one deadline (appended; never overwrites).",
    'report TASK': 'task key',
    'report --agency': 'agency code',
    'report --period': 'e.g. 2024-09, 2024-Q3, 2024-H2',
    'report --status': 'hoàn thành | đang thực hiện (done | in_progress)',
    'report --progress': 'per cent done, 0–100',
    'report --note': 'what was done',
    'report --evidence': 'a document or link that shows it',
    'report --on': 'day of the report (default: today)',
    'report --completed': 'day the work was done (default: --on)',
    'report --rule': 'deadline rule, if several',
    'report --by': 'who reports',
    'report --plan': 'plan key (needed when several plans are active)',
    'template': 'Write the return an agency fills in for a month (one per agency with --agency '
                'all).',
    'template --agency': 'agency code, or all',
    'template --period': 'month, YYYY-MM',
    'template --out': 'FILE.xlsx for one agency, a folder for all (default: out/returns/PERIOD/)',
    'template --csv': 'CSV files instead of workbooks',
    'template --as-of': 'day for the overdue list (default: today)',
    'template --plan': 'plan key (needed when several plans are active)',
    'import': 'Take in returns: all rows of all files, or nothing and every problem (exit 2), '
              'each as FILE:SHEET:ROW: column: message.',
    'import FILES': 'returns: .xlsx or .csv files',
    'import --on': 'day the returns are taken in (default: today)',
    'import --plan': 'plan key (needed when several plans are active)',
    'import --json': 'print the outcome as JSON',
    'kpi': 'KPI figures of a month, rolled up from the reporting agencies to the province.',
    'kpi --period': 'month, YYYY-MM (default: the newest with values)',
    'kpi --as-of': 'day (default: today)',
    'kpi --detail': "each agency's total too",
    'kpi --plan': 'plan key (needed when several plans are active)',
    'kpi --json': 'print as JSON',
    'status': 'Where each deadline stands as of a day, with roll-ups by task kind and agency, '
              'for every plan active that day (or the plans named).',
    'status --as-of': 'day (default: today)',
    'status --agency': "only this agency's deadlines (its code)",
    'status --task': "only this task's deadlines (its key)",
    'status --plan': 'plan key; repeat for several (default: every active plan)',
    'status --detail': 'list every deadline',
    'status --json': 'print as JSON',
    'db': "The record's database.",
    'db upgrade': "Create or migrate the record's tables to the newest version.",
    'plan': 'Plan files: check, load, list, close and reopen.',
    'plan check': 'Validate plan files; print every problem as FILE:LINE: field: message (exit '
                  '2), and every warning the same way (exit 0).',
    'plan check FILES': 'plan files (YAML)',
    'plan load': 'Validate a plan file, then write it in one transaction and print what changed.',
    'plan load FILE': 'plan file (YAML)',
    'plan load --json': 'print what changed as JSON',
    'plan list': 'Every plan in the record with its period and its state on a day (draft, '
                 'active, ended, closed): active and ended plans are the ones reminded.',
    'plan list --as-of': 'day (default: today)',
    'plan list --json': 'print as JSON',
    'plan close': 'Close a plan: from that day it is never reminded again, and stays readable.',
    'plan close KEY': 'plan key',
    'plan close --on': 'from this day (default: today)',
    'plan close --note': 'why, for the record',
    'plan reopen': 'Reopen a closed plan: reminders resume from that day.',
    'plan reopen KEY': 'plan key',
    'plan reopen --on': 'from this day (default: today)',
    'plan reopen --note': 'why, for the record',
    'event': 'Events that trigger deadlines.',
    'event record': 'Record an event (e.g. personnel-change) and create the deadlines it triggers.',
    'event record KIND': 'event key, as in the plan',
    'event record --agency': 'agency code',
    'event record --on': 'day of the event',
    'event record --note': 'what happened',
    'event record --plan': 'plan key (needed when several plans are active)',
    'web': "The web app: agencies' pages behind signed links, the board.",
    'web --host': 'address to listen on',
    'web --port': 'port to listen on',
    'web --as-of': "the day the app treats as today (a replayed plan, as the demo's); default "
                   'today',
    'web link': "Print a fresh link to an agency's page (or its calendar feed).",
    'web link AGENCY': 'agency code',
    'web link --feed': "the calendar feed's",
    'web revoke': 'Take back every link of an agency issued so far (recorded; new ones work).',
    'web revoke AGENCY': 'agency code',
    'web revoke --note': 'why, for the record',
    'web user': 'Staff accounts of the board.',
    'web user add': 'Add a staff account; the password is asked for (or read from standard input).',
    'web user add NAME': 'user name',
    'web user add --role': 'secretariat | leader',
}
# Typer's own words on a help page.
SCREEN: dict[str, str] = {
    'usage': 'Usage:',
    'options': 'Options',
    'commands': 'Commands',
    'arguments': 'Arguments',
    'options_metavar': '[OPTIONS]',
    'subcommand_metavar': 'COMMAND [ARGS]...',
    'required': '[required]',
    'value': '<value>',
    # the command line's arguments, as the usage line names them
    'FILES': 'FILE', 'FILE': 'FILE', 'TASK': 'TASK', 'KEY': 'PLAN', 'KIND': 'EVENT',
    'AGENCY': 'AGENCY', 'NAME': 'NAME',
}

# Pydantic's words in a mistyped command line (regular expression → ours), in turn.
USAGE: tuple[tuple[str, str], ...] = (
    (r"Input should be a valid integer[^.(]*", "expected a whole number"),
    (r"Input should be a valid number[^.(]*", "expected a number"),
    (r"Input should be a valid boolean[^.(]*", "expected true or false"),
    (r"Input should be[^.(]*", "expected"),
)
