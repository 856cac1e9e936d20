"""A webhook sink on 127.0.0.1 for the demo: every POST is written to a file."""
from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@contextmanager
def webhook_sink(folder: Path) -> Iterator[str]:
    """Yield 'host:port' of a server that stores each POST body as folder/<n>-<path>.json."""
    folder.mkdir(parents=True, exist_ok=True)
    counter = itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            name = self.path.strip("/").replace("/", "_") or "root"
            (folder / f"{next(counter):04d}-{name}.json").write_bytes(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
