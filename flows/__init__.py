"""The workflow layer: Prefect flows over the core's use cases, their Prefect set-up, the
command line and the demo.

Importing this package does not import Prefect (read-only commands must stay fast), but it sets
the Prefect settings that must be in place before Prefect is imported, so that every module
under it may import Prefect in any order: analytics off (no network here), and a local server
keeping its state under var/prefect so the embedded default leaves its runs for the UI.
"""
import os

from tasks.settings import PREFECT_HOME

PREFECT_DEFAULTS = {
    "PREFECT_HOME": str(PREFECT_HOME),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "true",
}
for _name, _value in PREFECT_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
