"""Hand-written SQL shared by the baselines, and `plantrack status --agency X` on the bare driver.

Standard library (and psycopg for PostgreSQL) only: run as a process of its own it is the
cold-start floor of answering one agency's status —

    python -m benchmarks.rawsql URL AGENCY AS_OF

prints that agency's deadlines of every plan live that day in each status category as one JSON
line.
"""
from __future__ import annotations

import json
import re
import sys

# The newest report of deadline d made on or before :as_of (same order as tasks.status).
LATEST_ID = """(SELECT r2.id FROM report r2
      WHERE r2.deadline_id = d.id AND r2.reported_on <= :as_of
      ORDER BY r2.reported_on DESC, r2.recorded_at DESC, r2.id DESC LIMIT 1)"""

# The status category of deadline d whose latest report is r (tasks.status.classify).
CATEGORY = """CASE
      WHEN r.status = 'done' AND COALESCE(r.completed_on, r.reported_on) <= d.due_on
        THEN 'done_on_time'
      WHEN r.status = 'done' THEN 'done_late'
      WHEN d.due_on < :as_of THEN 'overdue'
      WHEN d.opens_on <= :as_of THEN 'in_progress'
      ELSE 'not_due' END"""

CATEGORIES = ("done_on_time", "done_late", "in_progress", "overdue", "not_due")

# The plans live on :as_of: issued by then, and not closed by the secretariat's latest word.
LIVE_PLANS = """(SELECT p.id FROM plan p
      WHERE COALESCE(p.issued_on, p.period_start) <= :as_of
        AND COALESCE((SELECT c.closed FROM planclosure c
                      WHERE c.plan_id = p.id AND c."on" <= :as_of
                      ORDER BY c."on" DESC, c.id DESC LIMIT 1), FALSE) = FALSE)"""

AGENCY_STATUS = f"""
SELECT d.id, t.key, d.period, d.due_on, {CATEGORY} AS category
FROM deadline d
JOIN task t ON t.id = d.task_id
JOIN agency a ON a.id = d.agency_id
LEFT JOIN report r ON r.id = {LATEST_ID}
WHERE a.code = :agency AND t.plan_id IN {LIVE_PLANS}
ORDER BY d.due_on, t.position, d.id
"""


def _connect(url: str):
    """A DB-API connection and its paramstyle for a SQLAlchemy URL."""
    if url.startswith("sqlite"):
        import sqlite3

        return sqlite3.connect(url.split("///", 1)[1]), "named"
    import psycopg

    return psycopg.connect(re.sub(r"^postgresql\+psycopg", "postgresql", url)), "pyformat"


def agency_status(url: str, agency: str, as_of: str) -> dict[str, int]:
    conn, style = _connect(url)
    sql = AGENCY_STATUS if style == "named" else re.sub(r":(\w+)", r"%(\1)s", AGENCY_STATUS)
    try:
        rows = conn.execute(sql, {"agency": agency, "as_of": as_of}).fetchall()
    finally:
        conn.close()
    counts = {"total": len(rows)} | dict.fromkeys(CATEGORIES, 0)
    for *_, category in rows:
        counts[category] += 1
    return counts


if __name__ == "__main__":
    print(json.dumps(agency_status(*sys.argv[1:4])))
