"""Several OpenAI-compatible servers of one model (vLLM or llama.cpp replicas) used as one endpoint.

:class:`FleetClient` has the client interface the openai teacher uses (``post``, ``aclose``, ``connected_once``), so
retries, rate limits, the journal and resume are those of one endpoint. Each request goes to the server with the
fewest requests outstanding (ties: the one sent the fewest so far), which balances equal servers evenly and sends
less to a slow one.

A server that cannot be connected to, that closed a connection mid-answer, or that failed ``STRIKES`` times in a
row (5xx or timeouts) is taken out, and tried again with one request after a backoff that doubles with each failure.
A refused connection delivered nothing, so that request goes straight to another server; a request lost mid-answer
is retried by the teacher's policy on another server (its answer never arrived, so it was not paid for). The run
stops (:class:`FleetDown`, a :class:`TeacherError`) only when every server has been out for longer than the retry
budget of one request.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from typing import Any

import httpx

from chukmath.errors import FleetDown
from chukmath.teach.http_client import HTTPConnectError, HTTPConnectionError, HTTPTimeout, HTTPTLSError
from chukmath.teach.proxy import open_client
from chukmath.teach.redact import safe_url
from chukmath.teach.retry import RetryPolicy

# Failures in a row (5xx answers or timeouts) that take a server out; one refused or broken connection is enough.
STRIKES = 3


def retry_budget(policy: RetryPolicy) -> float:
    """The longest one request may spend waiting between its attempts under ``policy`` (seconds)."""
    return sum(min(policy.cap_s, policy.base_s * 2**n) for n in range(max(1, policy.max_retries)))


class Server:
    """One member of the fleet and what the fleet knows about it."""

    __slots__ = ("client", "failures", "last_error", "out_until", "outstanding", "probing", "sent", "strikes", "url")

    def __init__(self, url: str, client: Any) -> None:
        self.url = url
        self.client = client
        self.outstanding = 0
        self.sent = 0
        self.strikes = 0
        self.failures = 0  # times taken out in a row: the backoff doubles with each
        self.out_until: float | None = None  # None: in service
        self.probing = False  # back from its backoff: one request goes there until it answers
        self.last_error = ""

    def usable(self, now: float) -> bool:
        return self.out_until is None or (self.out_until <= now and not self.probing)


class FleetClient:
    """Least-outstanding-requests client over several base URLs of one model; ``post`` as the lean client's."""

    def __init__(self, base_urls: Sequence[str], *, headers: dict[str, str] | None = None, timeout: float = 60.0,
                 policy: RetryPolicy | None = None, rng: random.Random | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.servers = [Server(url, open_client(url, headers=headers, timeout=timeout, transport=transport))
                        for url in base_urls]
        self.budget_s = retry_budget(self.policy)
        self._rng = rng or random.Random()
        self._all_out_since: float | None = None

    @property
    def connected_once(self) -> bool:
        return any(s.client.connected_once for s in self.servers)

    def counts(self) -> dict[str, int]:
        """Requests sent to each server (by URL, credentials hidden)."""
        return {safe_url(s.url): s.sent for s in self.servers}

    def _pick(self, now: float) -> Server | None:
        best: Server | None = None
        for s in self.servers:
            if s.usable(now) and (best is None or (s.outstanding, s.sent) < (best.outstanding, best.sent)):
                best = s
        return best

    def _take_out(self, server: Server, error: str) -> None:
        server.failures += 1
        server.strikes = 0
        server.probing = False
        server.last_error = error
        wait = min(self.policy.cap_s, self.policy.base_s * 2 ** (server.failures - 1))
        server.out_until = time.monotonic() + wait * (0.5 + self._rng.random() / 2)

    def _strike(self, server: Server, error: str) -> None:
        server.strikes += 1
        server.last_error = error
        if server.strikes >= STRIKES or server.out_until is not None:
            self._take_out(server, error)  # a server on probation is out again at its first failure

    def _healthy(self, server: Server) -> None:
        server.strikes = server.failures = 0
        server.out_until = None
        server.probing = False

    async def _wait_for_one(self, now: float) -> None:
        if self._all_out_since is None:
            self._all_out_since = now
        down_for = now - self._all_out_since
        if down_for > self.budget_s:
            errors = "; ".join(f"{safe_url(s.url)}: {s.last_error}" for s in self.servers)
            raise FleetDown(
                f"all {len(self.servers)} servers of the fleet have been out for {down_for:.0f}s ({errors}) — the "
                "journal keeps every answer received; start them again and rerun the same command to resume"
            )
        due = min((s.out_until for s in self.servers if s.out_until is not None and not s.probing), default=now + 0.05)
        await asyncio.sleep(min(max(due - now, 0.01), self.budget_s - down_for + 0.01))

    async def post(self, path: str, body: bytes, *, timeout: float | None = None) -> Any:
        """Send to the least busy server in service; raises as the lean client does, or FleetDown."""
        while True:
            now = time.monotonic()
            server = self._pick(now)
            if server is None:
                await self._wait_for_one(now)
                continue
            self._all_out_since = None
            if server.out_until is not None:
                server.probing = True
            server.outstanding += 1
            server.sent += 1
            try:
                res = await (server.client.post(path, body) if timeout is None else
                             server.client.post(path, body, timeout=timeout))
            except HTTPTLSError:
                raise
            except HTTPConnectError as exc:
                # Nothing reached the server: another one takes the request now.
                self._take_out(server, str(exc))
                continue
            except HTTPConnectionError as exc:
                self._take_out(server, str(exc))
                raise
            except HTTPTimeout as exc:
                self._strike(server, str(exc))
                raise
            except BaseException:
                server.probing = False
                raise
            finally:
                server.outstanding -= 1
            if res.status >= 500:
                self._strike(server, f"HTTP {res.status}")
            else:
                self._healthy(server)
            return res

    async def aclose(self) -> None:
        """Close every server's connections."""
        for s in self.servers:
            await s.client.aclose()
