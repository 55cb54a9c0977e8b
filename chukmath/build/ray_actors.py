"""The one shared object of ``build --engine ray`` with a paid teacher: the run's :class:`Ledger`, a Ray actor.

It is the journal for every worker: it runs on the driver's node (where the run directory is), says which answers
the journal already holds, and appends each new answer the moment a worker has it — so a job that fails or is
killed keeps every answer it paid for, and the next run asks only the rest.

It also holds the endpoint's permits, one budget for all workers together: at most ``concurrency`` requests in
flight and the recipe's ``rpm``/``tpm`` (the same token buckets a local build uses), however many workers ask.
Journal and permits are one actor on purpose: when it is gone (the driver was killed) no worker can start another
request, so at most the requests in flight then are lost and asked again by the next run.

A plain class: :mod:`chukmath.build.ray_engine` wraps it with ``ray.remote``; its async methods let it serve many
waiting workers at once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from chukmath.jsonl import JsonlAppender, raw_lines
from chukmath.teach.ratelimit import RateLimiter


def _answered(obj: dict[str, Any]) -> bool:
    return obj.get("error") is None and isinstance(obj.get("content"), str)


def answered_keys(journal: Path) -> set[str]:
    """``request_id:sample`` of every successful line of ``journal`` (what a resumed run must not ask again)."""
    keys: set[str] = set()
    if not journal.exists():
        return keys
    with journal.open("rb") as fh:
        for _, _, raw in raw_lines(fh, journal):
            if not raw.strip():
                continue
            obj = orjson.loads(raw)
            if _answered(obj):
                keys.add(f"{obj['request_id']}:{obj['sample']}")
    return keys


def find_answers(journal: Path, keys: set[str]) -> dict[str, dict[str, Any]]:
    """The last successful line of each of ``keys`` in ``journal``, read while the ledger may still append to it
    (a line cut short by a write in progress is passed over)."""
    found: dict[str, dict[str, Any]] = {}
    with journal.open("rb") as fh:
        for _, _, raw in raw_lines(fh, journal):
            try:
                obj = orjson.loads(raw)
                key = f"{obj['request_id']}:{obj['sample']}"
            except (orjson.JSONDecodeError, KeyError, TypeError):
                continue
            if key in keys and _answered(obj):
                found[key] = obj
    return found


class Ledger:
    """The journal (what it held when the run began, and every answer since) and the endpoint's permits.

    ``known`` counts the answers appended during the run too: a block that Ray runs again (its worker died) asks
    only what its first try did not get, and the driver finds the rest in the journal.
    """

    def __init__(self, journal: str, concurrency: int, rpm: float | None = None, tpm: float | None = None) -> None:
        path = Path(journal)
        self._out = JsonlAppender(path)  # first: opening it cuts a torn last line a killed run may have left
        self._known = answered_keys(path)
        self._slots = asyncio.Semaphore(concurrency)
        self._limiter = RateLimiter(rpm, tpm)
        self._busy = 0
        self.peak = 0

    async def known(self, keys: list[str]) -> list[bool]:
        """For each ``request_id:sample`` key: whether the journal already holds a successful answer."""
        return [k in self._known for k in keys]

    async def enter(self, estimated_tokens: int) -> None:
        """Wait for a free slot and for the rate limits, then take both for one request."""
        await self._slots.acquire()
        self._busy += 1
        self.peak = max(self.peak, self._busy)
        if self._limiter.active:
            await self._limiter.acquire(estimated_tokens)

    async def leave(self, estimated_tokens: int, used_tokens: int | None, response: dict[str, Any] | None) -> None:
        """Append the answer (one whole line, now), give the slot back, and correct the token estimate by the
        usage the endpoint reported. ``response`` is None when the request ended without one (cancelled)."""
        try:
            if response is not None:
                self._out.append(response)
                if _answered(response):
                    self._known.add(f"{response['request_id']}:{response['sample']}")
        finally:
            self._busy -= 1
            self._slots.release()
            self._limiter.settle(estimated_tokens, used_tokens)

    async def stats(self) -> dict[str, int]:
        """The most requests that were in flight at once."""
        return {"peak": self.peak}

    async def close(self) -> None:
        """Close the journal file (before the driver reads the journal again)."""
        self._out.close()
