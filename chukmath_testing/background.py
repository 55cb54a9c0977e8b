"""The start/stop every loopback test server shares: serve from a daemon thread for the length of a ``with``."""

from __future__ import annotations

import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class BackgroundServer:
    """Mixed into a loopback server that keeps its ``socketserver`` in ``self._server``."""

    thread_name = "loopback-server"
    _server: socketserver.BaseServer
    _thread: threading.Thread | None = None

    def listen(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1", port: int = 0) -> None:
        """Bind a threaded HTTP server (port 0: a free one) whose request threads never hold up the test's exit."""
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True

    @property
    def origin(self) -> str:
        """``http://host:port`` of the bound server."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(10)
