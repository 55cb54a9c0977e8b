"""The HTTP/1.1 wire layer of the fault server: one asyncio Protocol per connection, and response bytes.

Kept apart from what the server answers (:mod:`chukmath_testing.fault_plan`) so that the byte-level
behaviour a client must survive (keep-alive, chunked bodies, ``Connection: close``, aborted and idle
connections) is in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Protocol

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
STATUS_TEXT = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    408: "Request Timeout",
    411: "Length Required",
    413: "Payload Too Large",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


class Handler(Protocol):
    """What a connection hands each complete request to; it must answer through ``conn.respond``/``abort``."""

    def handle(self, conn: Connection, method: str, target: str, headers: dict[str, str], body: bytes) -> None: ...


def http_response(status: int, body: bytes, *, close: bool = False, extra: Mapping[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response with a Content-Length body."""
    head = [f"HTTP/1.1 {status} {STATUS_TEXT.get(status, 'Status')}", "Content-Type: application/json"]
    head.append(f"Content-Length: {len(body)}")
    if close:
        head.append("Connection: close")
    for k, v in (extra or {}).items():
        head.append(f"{k}: {v}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def chunked_response(status: int, body: bytes) -> bytes:
    """The same body in two chunks (chunked transfer encoding), as streaming proxies send it."""
    head = f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    mid = len(body) // 2
    out = bytearray(head.encode())
    for part in (body[:mid], body[mid:]):
        if part:
            out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    out += b"0\r\n\r\n"
    return bytes(out)


class Connection(asyncio.Protocol):
    """One client connection: parses requests one at a time (real clients do not pipeline).

    ``served`` counts the responses sent on it, so a handler can tell a fresh connection from a
    reused keep-alive one.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.busy = False
        self.closed = False
        self.served = 0
        self.timer: asyncio.TimerHandle | None = None
        # A request handed to the handler and not yet answered or dropped (for the in-flight count).
        self._open = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._finish()
        if self.timer is not None:
            self.timer.cancel()

    def _finish(self) -> None:
        if self._open:
            self._open = False
            counter = getattr(self.handler, "in_flight_changed", None)
            if counter is not None:
                counter(-1)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if not self.busy:
            self._next()

    def _next(self) -> None:
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buf) > MAX_HEADER_BYTES:
                self._send_simple(431, close=True)
            return
        head = bytes(self.buf[:end]).decode("latin-1")
        lines = head.split("\r\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError:
            self._send_simple(400, close=True)
            return
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._send_simple(411, close=True)
            return
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_BODY_BYTES:
            self._send_simple(413, close=True)
            return
        if len(self.buf) < end + 4 + length:
            return
        body = bytes(self.buf[end + 4 : end + 4 + length])
        del self.buf[: end + 4 + length]
        self.busy = True
        counter = getattr(self.handler, "in_flight_changed", None)
        if counter is not None:
            self._open = True
            counter(1)
        self.handler.handle(self, method, target, headers, body)

    def respond(self, raw: bytes, close: bool = False) -> None:
        """Send a whole response; then serve the next buffered request or close."""
        self.timer = None
        self._finish()
        if self.closed or self.transport is None:
            return
        self.transport.write(raw)
        self.served += 1
        if close:
            self.transport.close()
            self.closed = True
            return
        self.busy = False
        if self.buf:
            self._next()

    def abort(self) -> None:
        """Close at once without a response (a dropped connection)."""
        self.timer = None
        self._finish()
        if self.transport is not None and not self.closed:
            self.transport.abort()
            self.closed = True

    def _send_simple(self, status: int, *, close: bool) -> None:
        self.busy = True
        self.respond(http_response(status, b"", close=close), close=close)
