"""A small forward HTTP proxy on loopback, for tests: CONNECT tunnels and absolute-URI requests, each recorded.

It is what a corporate proxy does, in ~150 lines: ``CONNECT host:port`` opens a TCP tunnel (the client speaks TLS
to the endpoint through it), and ``POST http://host:port/path`` is sent on to the endpoint and its answer
relayed back. ``seen`` lists what was relayed, as ``(method, target)``; ``require_auth`` makes it answer 407
unless the request carries that ``Proxy-Authorization`` value.

Use: ``with ProxyServer() as proxy: env["HTTP_PROXY"] = proxy.url``.
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit

from chukmath_testing.background import BackgroundServer

_MAX_HEAD = 64 * 1024


def _read_head(sock: socket.socket, buf: bytearray) -> bytes | None:
    """Bytes up to and including the blank line ending the headers; what follows stays in ``buf``."""
    while b"\r\n\r\n" not in buf:
        if len(buf) > _MAX_HEAD:
            return None
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    end = buf.index(b"\r\n\r\n") + 4
    head = bytes(buf[:end])
    del buf[:end]
    return head


def _headers(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    out = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            out.append((name.strip(), value.strip()))
    return lines[0], out


def _read_exact(sock: socket.socket, buf: bytearray, n: int) -> bytes:
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buf += chunk
    data = bytes(buf[:n])
    del buf[:n]
    return data


class ProxyServer(BackgroundServer):
    """The proxy; ``with ProxyServer() as p`` runs it in a thread. ``p.url`` is ``http://127.0.0.1:<port>``."""

    thread_name = "proxy-server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, require_auth: str | None = None) -> None:
        self.seen: list[tuple[str, str]] = []
        self.require_auth = require_auth
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"



    def _serve(self, client: socket.socket) -> None:
        buf = bytearray()
        with contextlib.suppress(OSError):
            while True:
                head = _read_head(client, buf)
                if head is None:
                    return
                first, headers = _headers(head)
                method, _, rest = first.partition(" ")
                target = rest.rpartition(" ")[0]
                auth = next((v for k, v in headers if k.lower() == "proxy-authorization"), None)
                if self.require_auth is not None and auth != self.require_auth:
                    client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n"
                                   b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                with self._lock:
                    self.seen.append((method, target))
                if method == "CONNECT":
                    self._tunnel(client, target, bytes(buf))
                    return
                if not self._forward(client, method, target, headers, buf):
                    return

    def _tunnel(self, client: socket.socket, target: str, early: bytes) -> None:
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        upstream.settimeout(None)
        if early:
            upstream.sendall(early)
        pair = {client: upstream, upstream: client}
        try:
            while True:
                ready, _, _ = select.select(list(pair), [], [], 60)
                if not ready:
                    return
                for sock in ready:
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
        finally:
            upstream.close()

    def _forward(self, client: socket.socket, method: str, target: str, headers: list[tuple[str, str]],
                 buf: bytearray) -> bool:
        url = urlsplit(target)
        length = int(next((v for k, v in headers if k.lower() == "content-length"), "0"))
        body = _read_exact(client, buf, length)
        if not url.hostname:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return False
        kept = [(k, v) for k, v in headers if k.lower() not in ("proxy-authorization", "proxy-connection",
                                                                  "connection", "keep-alive")]
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        request = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept)
        request += "Connection: close\r\n\r\n"
        try:
            upstream = socket.create_connection((url.hostname, url.port or 80), timeout=60)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return False
        with upstream:
            upstream.sendall(request.encode("latin-1") + body)
            up = bytearray()
            head = _read_head(upstream, up)
            if head is None:
                return False
            status, answer = _headers(head)
            size = next((v for k, v in answer if k.lower() == "content-length"), None)
            if size is not None:
                payload = _read_exact(upstream, up, int(size))
            else:  # chunked (up to its last chunk) or close-delimited; sent on as a sized body
                chunked = any(k.lower() == "transfer-encoding" for k, _ in answer)
                while not (chunked and up.endswith(b"0\r\n\r\n")) and (chunk := upstream.recv(65536)):
                    up += chunk
                payload = _dechunk(bytes(up)) if chunked else bytes(up)
        kept_answer = [(k, v) for k, v in answer if k.lower() not in ("content-length", "transfer-encoding",
                                                                        "connection", "keep-alive")]
        out = status + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in kept_answer)
        out += f"Content-Length: {len(payload)}\r\n\r\n"
        client.sendall(out.encode("latin-1") + payload)
        return True


def _dechunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while True:
        eol = data.index(b"\r\n", pos)
        size = int(data[pos:eol].split(b";")[0], 16)
        if size == 0:
            return bytes(out)
        out += data[eol + 2 : eol + 2 + size]
        pos = eol + 2 + size + 2
