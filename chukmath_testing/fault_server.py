"""A fault-injecting OpenAI-compatible chat-completions server on loopback, for tests and benchmarks.

It is a real HTTP/1.1 server (asyncio Protocol, keep-alive, fixed latency via ``call_later``), not a mock
of the client, so the retry, timeout, resume and throughput code is exercised over real sockets. The
wire layer is :mod:`chukmath_testing.fault_wire`; the markers and the answer are
:mod:`chukmath_testing.fault_plan`.

Faults are deterministic. Either by server request number (``faults={3: "500"}``) or by a marker in any
message of the request (``[fault:429]``, ``[fault:500x2]``, ``[fault:hang*]``, ``[fault:stale]``; see
:mod:`chukmath_testing.fault_plan`).

Kinds: ``429`` (Retry-After seconds), ``429ms`` (retry-after-ms), ``408``, ``500``, ``502``, ``503``,
``400``, ``401``, ``404``, ``hang`` (no answer until ``hang_s``), ``drop`` (close without answering),
``partial`` (close mid-body), ``malformed`` (200 with broken JSON), ``nochoices`` (200, JSON without
choices), ``length`` (finish_reason length), ``reasoning`` (adds ``reasoning_content``), ``chunked``
(chunked transfer encoding), ``close`` (answer with ``Connection: close``).

The answer echoes the last ``Answer: X`` line of the prompt (else ``answer``) in the
``<think>/<answer>/<verifier_answer>`` format. Usage counts are ~4 characters a token.

Use in-process: ``with FaultServer(latency=0.05) as srv: srv.base_url``; or as a process:
``python -m chukmath_testing.fault_server --port 0 --latency 0.05`` prints its base URL on the first line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import ssl
import sys
import threading
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

import orjson

from chukmath_testing.fault_plan import FAULT_KINDS, LoggedRequest, completion_body, messages_key, planned_faults
from chukmath_testing.fault_wire import Connection, chunked_response, http_response

__all__ = ["FAULT_KINDS", "FaultServer", "LoggedRequest", "main"]

_NOT_FOUND = b'{"error": {"message": "not found", "type": "invalid_request_error"}}'


class FaultServer:
    """The server; start it with ``with FaultServer(...) as srv`` (background thread) or ``serve()`` (this thread)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        faults: Mapping[int, str] | None = None,
        api_key: str | None = None,
        answer: str = "42",
        retry_after: float = 1.0,
        hang_s: float = 60.0,
        log_requests: bool = True,
        tls: tuple[str, str] | None = None,
        echo_key: bool = False,
        answer_log: str | None = None,
    ) -> None:
        for kind in (faults or {}).values():
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")
        self.host = host
        self.port = port
        self.latency = latency
        self.faults = dict(faults or {})
        self.api_key = api_key
        self.answer = answer
        self.retry_after = retry_after
        self.hang_s = hang_s
        self.log_requests = log_requests
        # (certfile, keyfile): serve https, to test the client's TLS path.
        self.tls = tls
        # Repeat each request's bearer token inside its answer: the client must keep it out of its files.
        self.echo_key = echo_key
        # A file that gets one JSON line {"key", "seed"} per 200 answer, written just before the answer is sent: what a
        # server that is killed mid-run was paid for (several servers of one fleet each keep their own).
        self.answer_log = open(answer_log, "ab", buffering=0) if answer_log else None
        self.count = 0
        self._log: list[LoggedRequest] = []
        self._attempts: Counter[tuple[str, int | None]] = Counter()
        self._stale_done: set[str] = set()
        # Keep-alive connections closed unread by ``[fault:stale]``.
        self.stale_closes = 0
        # Requests received and not yet answered or dropped, and the most there ever were at once.
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None

    # -- public API -----------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL (ends in ``/v1``)."""
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}/v1"

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log."""
        with self._lock:
            return list(self._log)

    def counts_by_key(self) -> Counter[tuple[str, int | None]]:
        """How many times each (request key, seed) was received."""
        with self._lock:
            return Counter((r.key, r.seed) for r in self._log)

    def __enter__(self) -> FaultServer:
        self._thread = threading.Thread(target=self._run_thread, name="fault-server", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the background server and wait for its thread."""
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    async def serve(self, on_ready: Any = None) -> None:
        """Serve on the current event loop until ``stop()``."""
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        context = None
        if self.tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.tls)
        server = await self._loop.create_server(
            lambda: Connection(self), self.host, self.port, backlog=1024, ssl=context
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        if on_ready is not None:
            on_ready(self)
        try:
            await self._stop.wait()
        finally:
            server.close()

    # -- internals ------------------------------------------------------------------------------------
    def _run_thread(self) -> None:
        try:
            asyncio.run(self.serve())
        except BaseException as exc:  # surfaced to the starting thread
            self._error = exc
            self._ready.set()

    def in_flight_changed(self, delta: int) -> None:
        """Called by a connection when a request starts (+1) and when it is answered or dropped (-1)."""
        self.in_flight += delta
        if self.in_flight > self.peak_in_flight:
            self.peak_in_flight = self.in_flight

    def handle(self, conn: Connection, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        """Answer one request (called by the connection): log it, then fault or answer after the latency."""
        if conn.served and b"[fault:stale]" in body and self._close_stale(conn, body):
            return
        self.count += 1
        n = self.count
        if method != "POST" or not target.endswith("/chat/completions"):
            self._later(conn, http_response(404, _NOT_FOUND))
            return
        authorized = "authorization" in headers
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            self._refuse(conn, headers)
            return
        try:
            payload = orjson.loads(body)
            messages = payload["messages"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            self._later(conn, http_response(400, b'{"error": {"message": "body is not a chat completion request"}}'))
            return
        seed = payload.get("seed") if isinstance(payload.get("seed"), int) else None
        key = messages_key(messages)
        plan, forever, _stale = planned_faults(messages)
        with self._lock:
            attempt = self._attempts[(key, seed)]
            self._attempts[(key, seed)] = attempt + 1
        fault = self.faults.get(n)
        if fault is None and plan:
            fault = plan[attempt] if attempt < len(plan) else (plan[-1] if forever else None)
        if self.log_requests:
            params = {k: v for k, v in payload.items() if k != "messages"}
            entry = LoggedRequest(n, key, seed, attempt + 1, fault, time.time(), authorized, params)
            with self._lock:
                self._log.append(entry)
        if fault == "401":
            self._refuse(conn, headers)
            return
        echo = headers.get("authorization", "").partition(" ")[2] if self.echo_key else None
        self._fault_or_answer(conn, fault, payload, messages, echo)

    def _refuse(self, conn: Connection, headers: dict[str, str]) -> None:
        # Echoes the refused key, as careless proxies do: the client must keep it out of its messages.
        refused = headers.get("authorization", "").partition(" ")[2]
        message = {"error": {"message": f"Incorrect API key provided: {refused}", "code": 401}}
        self._later(conn, http_response(401, orjson.dumps(message)))

    def _close_stale(self, conn: Connection, body: bytes) -> bool:
        # As if the server had timed the idle connection out just before this request arrived: the
        # request is not processed, so it is neither counted nor logged.
        try:
            messages = orjson.loads(body)["messages"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return False
        key = messages_key(messages)
        with self._lock:
            if key in self._stale_done:
                return False
            self._stale_done.add(key)
            self.stale_closes += 1
        conn.abort()
        return True

    def _later(self, conn: Connection, raw: bytes, *, close: bool = False, delay: float | None = None) -> None:
        assert self._loop is not None
        wait = self.latency if delay is None else delay
        if wait > 0:
            conn.timer = self._loop.call_later(wait, conn.respond, raw, close)
        else:
            conn.respond(raw, close=close)

    def _fault_or_answer(self, conn: Connection, fault: str | None, payload: dict[str, Any], messages: Any,
                         echo: str | None = None) -> None:
        assert self._loop is not None
        if fault in ("429", "429ms"):
            extra = {"Retry-After": f"{self.retry_after:g}"} if fault == "429" else {
                "retry-after-ms": str(int(self.retry_after * 1000))
            }
            err = b'{"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}'
            self._later(conn, http_response(429, err, extra=extra))
        elif fault in ("408", "500", "502", "503", "400", "404"):
            status = int(fault)
            self._later(conn, http_response(status, orjson.dumps({"error": {"message": f"injected {status}"}})))
        elif fault == "hang":
            conn.timer = self._loop.call_later(self.hang_s, conn.abort)
        elif fault == "drop":
            conn.timer = self._loop.call_later(self.latency, conn.abort)
        elif fault == "partial":
            body = self._completion(payload, messages, None, echo)
            raw = http_response(200, body)
            self._later(conn, raw[: len(raw) - len(body) // 2], close=True)
        elif fault == "malformed":
            self._later(conn, http_response(200, b'{"id": "x", "choices": [{"message": {"content": "<think>'))
        elif fault == "nochoices":
            self._later(conn, http_response(200, b'{"id": "x", "object": "chat.completion"}'))
        elif fault == "chunked":
            self._later(conn, chunked_response(200, self._completion(payload, messages, None, echo)))
        elif fault == "close":
            body = self._completion(payload, messages, None, echo)
            self._later(conn, http_response(200, body, close=True), close=True)
        elif self.answer_log is not None:
            raw = http_response(200, self._completion(payload, messages, fault, echo))
            line = orjson.dumps({"key": messages_key(messages), "seed": payload.get("seed")}) + b"\n"
            log = self.answer_log

            def logged_answer() -> None:
                if not conn.closed:
                    log.write(line)
                conn.respond(raw, False)

            conn.timer = self._loop.call_later(self.latency, logged_answer)
        else:
            self._later(conn, http_response(200, self._completion(payload, messages, fault, echo)))

    def _completion(self, payload: dict[str, Any], messages: Any, fault: str | None, echo: str | None = None) -> bytes:
        return completion_body(payload, messages, fault, default_answer=self.answer, number=self.count,
                               echo_key=echo)


def main(argv: list[str] | None = None) -> int:
    """Run the server as a process; prints its base URL on the first line of stdout."""
    parser = argparse.ArgumentParser(prog="python -m chukmath_testing.fault_server", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--api-key", default=None, help="require this bearer token")
    parser.add_argument("--retry-after", type=float, default=1.0)
    parser.add_argument("--no-log", action="store_true", help="do not keep a request log (long benchmarks)")
    parser.add_argument("--fault", action="append", default=[], metavar="N=KIND", help="fault request number N")
    parser.add_argument("--answer-log", default=None, metavar="FILE", help="append a line per 200 answer sent")
    args = parser.parse_args(argv)
    faults: dict[int, str] = {}
    for spec in args.fault:
        number, _, kind = spec.partition("=")
        faults[int(number)] = kind
    srv = FaultServer(
        host=args.host,
        port=args.port,
        latency=args.latency,
        faults=faults,
        api_key=args.api_key,
        retry_after=args.retry_after,
        log_requests=not args.no_log,
        answer_log=args.answer_log,
    )

    def ready(s: FaultServer) -> None:
        print(s.base_url, flush=True)

    def shutdown() -> None:
        if srv._stop is not None:
            srv._stop.set()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, shutdown)
        await srv.serve(ready)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
