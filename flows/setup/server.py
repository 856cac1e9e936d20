"""The embedded default Prefect server: a real `prefect server start` on 127.0.0.1.

Prefect's temporary per-process server runs no schedules and forgets task runs when the
process ends, so anything that serves schedules or should show in the UI runs against a real
server: the one at PREFECT_API_URL, else one this module starts, waits for, and stops.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

DEFAULT_PORT = 4200


def healthy(api_url: str) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def free_port(preferred: int = DEFAULT_PORT) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def start(port: int | None = None, home: str | None = None,
          timeout: float = 120) -> tuple[subprocess.Popen, str]:
    """Start `prefect server start` on 127.0.0.1 and wait until /api/health answers."""
    port = port or free_port()
    env = dict(os.environ, PREFECT_HOME=home or os.environ["PREFECT_HOME"])
    env.pop("PREFECT_API_URL", None)
    Path(env["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    log = open(Path(env["PREFECT_HOME"]) / "server.log", "ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while not healthy(api):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(f"the local Prefect server did not start; see {log.name}")
        time.sleep(0.5)
    return proc, api


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def api_server(announce=print) -> Iterator[str]:
    """PREFECT_API_URL if set, else a local server started for the duration of the block."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        yield url
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    announce("starting a local Prefect server on 127.0.0.1 (about 20 s)…")
    proc, url = start()
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            yield url
            drain()
    finally:
        stop(proc)


def drain() -> None:
    """Send Prefect's queued logs and events before the server they go to stops."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for service in (APILogWorker, EventsWorker):
        service.drain_all(timeout=15)
