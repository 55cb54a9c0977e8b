"""The lean HTTP client decodes chunked bodies in linear time, correctly, up to the body cap.

A real loopback server (a thread with a listening socket) answers each POST with a prebuilt chunked
response sent in many tiny writes, so the client sees the body arrive over many reads, as it does behind
streaming proxies.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chukmath.teach.http_client import MAX_BODY_BYTES, HTTPProtocolError, LeanHTTPClient


def chunked(body: bytes, chunk: int) -> bytes:
    """``body`` as a chunked HTTP/1.1 200 response of ``chunk``-byte chunks."""
    out = bytearray(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    for start in range(0, len(body), chunk):
        part = body[start : start + chunk]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    out += b"0\r\nX-Trailer: yes\r\n\r\n"
    return bytes(out)


@contextmanager
def tiny_write_server(responses: list[bytes], write: int = 512) -> Iterator[str]:
    """A loopback server that answers the i-th request with ``responses[i]``, ``write`` bytes per send."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        for raw in responses:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                head = b""
                while b"\r\n\r\n" not in head:
                    head += conn.recv(65536)
                view = memoryview(raw)
                try:
                    for start in range(0, len(raw), write):
                        conn.sendall(view[start : start + write])
                    # The client closes the connection once it holds the whole body (each post uses a new client).
                    conn.recv(1)
                except OSError:
                    pass  # the client gave up on this response (a body over the cap) and closed the connection

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        listener.close()
        thread.join(30)


async def fetch(url: str) -> tuple[bytes, float]:
    """The body of one POST and the seconds it took."""
    client = LeanHTTPClient(url, timeout=120.0)
    try:
        started = time.perf_counter()
        response = await client.post("/chat/completions", b"{}")
        return response.body, time.perf_counter() - started
    finally:
        await client.aclose()


def test_a_body_sent_in_four_times_as_many_chunks_takes_about_four_times_as_long() -> None:
    # Re-decoding from the first chunk on every read costs (reads x chunks): 16x for 4x the chunks, since
    # the reads grow with the body too. A linear decoder costs about 4x; 8x leaves room for a busy machine.
    n = 60_000
    small, large = b"0123456789abcdef" * n, b"0123456789abcdef" * (4 * n)
    bodies = [small, large, small, large]
    with tiny_write_server([chunked(b, 16) for b in bodies]) as url:
        results = [asyncio.run(fetch(url)) for _ in bodies]
    assert [body for body, _ in results] == bodies
    t_small = min(results[0][1], results[2][1])
    t_large = min(results[1][1], results[3][1])
    assert t_large <= 8 * t_small, f"{n} chunks: {t_small:.3f}s, {4 * n} chunks: {t_large:.3f}s"


def test_a_body_near_the_cap_in_small_chunks_decodes_exactly_and_one_past_it_is_refused() -> None:
    near = MAX_BODY_BYTES - 65536
    body = (b"0123456789abcdef" * (near // 16 + 1))[:near]
    over = body + b"x" * 65537
    with tiny_write_server([chunked(body, 4096), chunked(over, 4096)], write=4096) as url:
        got, seconds = asyncio.run(fetch(url))
        assert got == body
        with pytest.raises(HTTPProtocolError, match="exceeds"):
            asyncio.run(fetch(url))
    # Decoding 16,000 chunks took minutes of CPU when every read restarted at the first chunk.
    assert seconds < 60, seconds
