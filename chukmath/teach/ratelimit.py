"""Client-side rate limits: token buckets for requests a minute (``--rpm``) and tokens a minute (``--tpm``)."""

from __future__ import annotations

import asyncio
import time


class TokenBucket:
    """A bucket refilled at ``per_minute / 60`` units a second, holding at most ``burst`` units.

    ``acquire(n)`` waits until the bucket holds ``n`` (or is full, if ``n`` exceeds the burst) and takes ``n``;
    so one request larger than the burst still passes, leaving a debt that later requests wait out.
    ``refund(n)`` corrects an estimate once the real cost is known (negative ``n`` charges more).
    """

    def __init__(self, per_minute: float, burst: float | None = None) -> None:
        if per_minute <= 0:
            raise ValueError(f"rate {per_minute}: must be > 0 a minute")
        self.rate = per_minute / 60.0
        self.burst = burst if burst is not None else max(1.0, self.rate)
        self.balance = self.burst
        self._stamp = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.balance = min(self.burst, self.balance + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self, n: float = 1.0) -> None:
        """Wait for capacity, then take ``n`` units."""
        need = min(n, self.burst)
        while True:
            self._refill()
            if self.balance >= need:
                self.balance -= n
                return
            await asyncio.sleep(max(0.001, (need - self.balance) / self.rate))

    def refund(self, n: float) -> None:
        """Give back ``n`` units (or charge ``-n`` more)."""
        self._refill()
        self.balance = min(self.burst, self.balance + n)


class RateLimiter:
    """Both limits together; either may be None (unlimited)."""

    def __init__(self, rpm: float | None = None, tpm: float | None = None) -> None:
        self.requests = TokenBucket(rpm) if rpm else None
        self.tokens = TokenBucket(tpm, burst=max(1.0, tpm / 60.0)) if tpm else None

    @property
    def active(self) -> bool:
        return self.requests is not None or self.tokens is not None

    async def acquire(self, estimated_tokens: int) -> None:
        """Wait until one more request of about ``estimated_tokens`` tokens may be sent."""
        if self.requests is not None:
            await self.requests.acquire(1.0)
        if self.tokens is not None:
            await self.tokens.acquire(float(estimated_tokens))

    def settle(self, estimated_tokens: int, actual_tokens: int | None) -> None:
        """Replace the estimate by the real count from the response's usage."""
        if self.tokens is not None and actual_tokens is not None:
            self.tokens.refund(float(estimated_tokens - actual_tokens))
