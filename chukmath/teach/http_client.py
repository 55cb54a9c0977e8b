"""A lean asyncio HTTP/1.1 keep-alive client for one job: POST JSON to a chat-completions endpoint, fast.

Why not httpx or the OpenAI SDK here: at 128 concurrent requests their per-request CPU cost (pool
bookkeeping, anyio, header models, the SDK's pydantic parsing) caps a whole process at a few hundred
requests/s, far below what an endpoint with 50 ms latency can serve (see docs/http-client.md). This
client keeps one asyncio Protocol per persistent connection, writes each request with a single
``write`` and parses only what it needs: status, headers, a Content-Length, chunked or close-delimited
body. Header and body sizes are bounded and every request runs under a timeout.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from chukmath.errors import (
    ConfigError,
    HTTPConnectError,
    HTTPConnectionError,
    HTTPProtocolError,
    HTTPTimeout,
    HTTPTLSError,
)
from chukmath.teach.redact import safe_url

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
_MAX_SIZE_LINE = 1024
_HEX_DIGITS = b"0123456789abcdefABCDEF"
# What the chunked decoder expects next.
_SIZE_LINE, _DATA, _TRAILERS = 0, 1, 2


@dataclass(slots=True)
class HTTPResponse:
    """Status, lower-cased headers and the raw body."""

    status: int
    headers: dict[str, str]
    body: bytes


class _Connection(asyncio.Protocol):
    """One keep-alive connection; at most one request on it at a time."""

    __slots__ = ("_body_start", "_chunk_left", "_chunk_out", "_chunk_pos", "_chunk_state", "_close_delimited",
                 "_head_scan", "_headers", "_length", "_status", "buf", "closed", "got_bytes", "reusable", "transport",
                 "waiter")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.waiter: asyncio.Future[HTTPResponse] | None = None
        self.closed = False
        self.reusable = True
        self.got_bytes = False
        self._reset()

    def _reset(self) -> None:
        self._status = 0
        self._headers: dict[str, str] | None = None
        self._body_start = 0
        self._length = -1
        self._close_delimited = False
        # Where the next scan for the end of the headers starts: each read scans only its new bytes.
        self._head_scan = 0
        # The chunked decoder's state survives between reads, so each byte is looked at once: the offset of
        # the next unparsed byte, what it is (a size line, chunk data, or the trailers), the data bytes the
        # current chunk still owes, and the body decoded so far. Restarting from the first chunk on every
        # read made a large body sent in small pieces cost quadratic time.
        self._chunk_pos = 0
        self._chunk_state = _SIZE_LINE
        self._chunk_left = 0
        self._chunk_out = bytearray()

    # -- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        self.got_bytes = True
        if self.waiter is not None and not self.waiter.done():
            try:
                self._parse()
            except HTTPProtocolError as exc:
                self.reusable = False
                self.waiter.set_exception(exc)
                self.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        waiter = self.waiter
        if waiter is None or waiter.done():
            return
        if self._headers is not None and self._close_delimited:
            # A body delimited by the end of the connection is complete now.
            waiter.set_result(HTTPResponse(self._status, self._headers, bytes(self.buf[self._body_start :])))
            return
        reason = f" ({exc})" if exc else ""
        waiter.set_exception(HTTPConnectionError(f"connection closed before a complete response{reason}"))

    # -- request / response -----------------------------------------------------------------------
    def send(self, data: bytes) -> asyncio.Future[HTTPResponse]:
        assert self.transport is not None
        self.buf.clear()
        self._reset()
        self.got_bytes = False
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self.waiter

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _parse(self) -> None:
        buf = self.buf
        if self._headers is None:
            end = buf.find(b"\r\n\r\n", self._head_scan)
            if end < 0:
                if len(buf) > MAX_HEADER_BYTES:
                    raise HTTPProtocolError(f"response headers larger than {MAX_HEADER_BYTES} bytes")
                self._head_scan = max(0, len(buf) - 3)
                return
            if end > MAX_HEADER_BYTES:
                raise HTTPProtocolError(f"response headers larger than {MAX_HEADER_BYTES} bytes")
            lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
            parts = lines[0].split(" ", 2)
            if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
                raise HTTPProtocolError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
            status = int(parts[1])
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if not sep:
                    raise HTTPProtocolError(f"malformed header line: {line[:80]!r}")
                headers[name.strip().lower()] = value.strip()
            if 100 <= status < 200:
                # An interim response (100 Continue): drop it and wait for the real one.
                del buf[: end + 4]
                self._head_scan = 0
                self._parse()
                return
            self._status = status
            self._headers = headers
            self._body_start = end + 4
            if parts[0] == "HTTP/1.0" or headers.get("connection", "").lower() == "close":
                self.reusable = False
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self._length = -2
                self._chunk_pos = self._body_start
            elif "content-length" in headers:
                value = headers["content-length"]
                if not value.isdigit():
                    raise HTTPProtocolError(f"bad Content-Length {value[:40]!r}")
                self._length = int(value)
                if self._length > MAX_BODY_BYTES:
                    raise HTTPProtocolError(f"response body of {self._length} bytes exceeds {MAX_BODY_BYTES}")
            else:
                self._close_delimited = True
                self.reusable = False
        self._parse_body()

    def _parse_body(self) -> None:
        assert self._headers is not None and self.waiter is not None
        buf = self.buf
        if self._length >= 0:
            if len(buf) - self._body_start >= self._length:
                body = bytes(buf[self._body_start : self._body_start + self._length])
                self.waiter.set_result(HTTPResponse(self._status, self._headers, body))
            return
        if self._close_delimited:
            if len(buf) - self._body_start > MAX_BODY_BYTES:
                raise HTTPProtocolError(f"response body exceeds {MAX_BODY_BYTES} bytes")
            return
        body = self._chunked()
        if body is not None:
            self.waiter.set_result(HTTPResponse(self._status, self._headers, body))

    def _chunked(self) -> bytes | None:
        """Decode as much of a chunked body as has arrived; the body once complete, else None."""
        buf = self.buf
        pos = self._chunk_pos
        out = self._chunk_out
        try:
            while True:
                if self._chunk_state == _SIZE_LINE:
                    eol = buf.find(b"\r\n", pos, pos + _MAX_SIZE_LINE + 2)
                    if eol < 0:
                        if len(buf) - pos > _MAX_SIZE_LINE:
                            raise HTTPProtocolError("chunk size line too long")
                        return None
                    size_text = bytes(buf[pos:eol]).split(b";", 1)[0].strip()
                    # int(x, 16) alone would also take "0x1a", "+1a" and "1_a".
                    if not size_text or len(size_text) > 16 or size_text.strip(_HEX_DIGITS):
                        raise HTTPProtocolError(f"bad chunk size {size_text[:20]!r}")
                    size = int(size_text, 16)
                    pos = eol + 2
                    if size == 0:
                        self._chunk_state = _TRAILERS
                        continue
                    if len(out) + size > MAX_BODY_BYTES:
                        raise HTTPProtocolError(f"response body exceeds {MAX_BODY_BYTES} bytes")
                    self._chunk_left = size
                    self._chunk_state = _DATA
                elif self._chunk_state == _DATA:
                    end = pos + self._chunk_left
                    if len(buf) < end + 2:
                        return None
                    if buf[end : end + 2] != b"\r\n":
                        raise HTTPProtocolError("chunk data not followed by CRLF")
                    out += buf[pos:end]
                    pos = end + 2
                    self._chunk_state = _SIZE_LINE
                else:
                    # Trailers (header lines, usually none) end with an empty line.
                    if len(buf) - pos < 2:
                        return None
                    if buf[pos : pos + 2] == b"\r\n":
                        return bytes(out)
                    if buf.find(b"\r\n\r\n", max(pos, self._head_scan)) >= 0:
                        return bytes(out)
                    if len(buf) - pos > MAX_HEADER_BYTES:
                        raise HTTPProtocolError(f"response trailers larger than {MAX_HEADER_BYTES} bytes")
                    self._head_scan = max(pos, len(buf) - 3)
                    return None
        finally:
            self._chunk_pos = pos


class LeanHTTPClient:
    """Keep-alive connection pool to one origin; ``post(path, body)`` sends JSON and returns the response.

    ``base_url`` may carry a path prefix (``https://api.deepseek.com/v1``); ``post`` paths are appended to it.
    ``headers`` are sent with every request (e.g. Authorization) and are never included in any error.
    """

    def __init__(self, base_url: str, *, headers: dict[str, str] | None = None, timeout: float = 60.0,
                 connect_timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"base URL {safe_url(base_url)!r}: expected http://host[:port][/prefix] or https://...")
        if timeout <= 0:
            raise ConfigError(f"timeout {timeout}: must be > 0 seconds")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        host_header = self.host if parts.port is None else f"{self.host}:{self.port}"
        fixed = {"Host": host_header, "User-Agent": "chukmath", "Accept": "application/json",
                 "Content-Type": "application/json", **(headers or {})}
        self._head_tail = "".join(f"{k}: {v}\r\n" for k, v in fixed.items()).encode("latin-1")
        self._ssl: ssl.SSLContext | None = ssl.create_default_context() if self.tls else None
        self._idle: list[_Connection] = []
        self._all: set[_Connection] = set()
        # Whether any connection to the origin was ever made: a refused connection then means the server
        # went away, not that the address is wrong.
        self.connected_once = False

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_timeout):
                _t, conn = await loop.create_connection(
                    _Connection, self.host, self.port, ssl=self._ssl,
                    server_hostname=self.host if self.tls else None,
                )
        except TimeoutError:
            raise HTTPTimeout(f"connect to {self.host}:{self.port} took longer than {self.connect_timeout}s") from None
        except ssl.SSLCertVerificationError as exc:
            raise HTTPTLSError(
                f"TLS certificate of {self.host}:{self.port} not trusted ({exc.verify_message}); if the endpoint uses "
                "a private CA, point SSL_CERT_FILE at its certificate"
            ) from None
        except OSError as exc:
            reason = str(exc.strerror or exc)
            raise HTTPConnectError(f"cannot connect to {self.host}:{self.port} ({reason})", reason) from None
        self.connected_once = True
        self._all.add(conn)
        return conn

    async def post(self, path: str, body: bytes, *, timeout: float | None = None) -> HTTPResponse:
        """POST ``body`` (JSON bytes) to ``prefix + path``; raises HTTPTimeout/HTTPConnectionError/HTTPProtocolError.

        A connection that cannot be made raises HTTPConnectError (a subclass of HTTPConnectionError).
        """
        data = (f"POST {self.prefix}{path} HTTP/1.1\r\nContent-Length: {len(body)}\r\n".encode("latin-1")
                + self._head_tail + b"\r\n" + body)
        limit = self.timeout if timeout is None else timeout
        try:
            async with asyncio.timeout(limit):
                return await self._exchange(data)
        except TimeoutError:
            raise HTTPTimeout(f"no complete response within {limit:g}s") from None

    async def _exchange(self, data: bytes) -> HTTPResponse:
        # A reused idle connection may have been closed by the server in the meantime; if it fails
        # before any response byte arrived, the request is sent once more on a fresh connection.
        while self._idle:
            conn = self._idle.pop()
            if conn.closed:
                self._all.discard(conn)
                continue
            try:
                return await self._once(conn, data)
            except HTTPConnectionError:
                if conn.got_bytes:
                    raise
                break
        return await self._once(await self._connect(), data)

    async def _once(self, conn: _Connection, data: bytes) -> HTTPResponse:
        ok = False
        try:
            result = await conn.send(data)
            ok = True
            return result
        finally:
            conn.waiter = None
            if ok and conn.reusable and not conn.closed:
                self._idle.append(conn)
            else:
                # Timed out, cancelled or failed mid-response: the connection state is unknown, drop it.
                conn.close()
                self._all.discard(conn)

    async def aclose(self) -> None:
        """Close every connection."""
        for conn in list(self._all):
            conn.close()
        self._all.clear()
        self._idle.clear()
