"""The start/stop every loopback test server shares: serve from a daemon thread for the length of a ``with``."""

from __future__ import annotations

import socketserver
import threading
from typing import Self


class BackgroundServer:
    """Mixed into a loopback server that keeps its ``socketserver`` in ``self._server``."""

    thread_name = "loopback-server"
    _server: socketserver.BaseServer
    _thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(10)
