"""Prefect settings that must be in place before `import prefect` (import this first).

No network here: analytics off. A local server keeps its state under var/prefect so the
embedded default leaves its runs and artifacts for the UI.
"""
import os

from tasks.settings import ROOT

DEFAULTS = {
    "PREFECT_HOME": str(ROOT / "var" / "prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "true",
}
for name, value in DEFAULTS.items():
    os.environ.setdefault(name, value)
