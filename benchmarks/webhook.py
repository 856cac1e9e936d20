"""A small threaded webhook server on 127.0.0.1 that counts what it is sent."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Hook(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args) -> None:  # quiet: thousands of requests
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # read by listen() in __init__

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Hook)
        self.lock, self.received = threading.Lock(), 0


class Webhook:
    """`with Webhook() as hook:` serves until the block ends; `hook.received` counts POSTs."""

    def __init__(self) -> None:
        self.server = _Server()
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    @property
    def received(self) -> int:
        return self.server.received

    def __enter__(self) -> Webhook:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
