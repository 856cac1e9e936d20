"""The shipped plan loads into both databases and the status command reads it back."""
import json


def test_load_twice_changes_nothing_and_status_reads_it(loaded, cli):
    again = cli("plan", "load", "config/plans/dvk-2024-h2.yaml", "--json")
    assert again.exit_code == 0
    assert all(v == 0 for c in json.loads(again.stdout).values() for v in c.values())
    out = cli("status", "--as-of", "2024-08-05", "--json")
    data = json.loads(out.stdout)
    assert data["totals"]["total"] == 190
    # July monthly reports, none made: leadership 11 + committee 1 + coordination 6 (none of
    # admin-reform: its day, 20/07, came before the plan was issued on 23/07)
    assert data["totals"]["overdue"] == 18
