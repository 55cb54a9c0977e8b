"""Retry policy: which failures are retried, and how long to wait (exponential backoff, full jitter, Retry-After)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

# Error kinds that a later attempt can fix. Other 4xx (bad request, auth, not found) will not change.
RETRYABLE_KINDS = frozenset({"http_429", "http_5xx", "timeout", "connection", "bad_body"})


@dataclass(slots=True, frozen=True)
class RetryPolicy:
    """``max_retries`` retries after the first attempt; delays grow ``base_s * 2**n`` up to ``cap_s``.

    A server's Retry-After is honoured up to ``max_retry_after_s`` (a longer wait is cut to that).
    """

    max_retries: int = 6
    base_s: float = 0.5
    cap_s: float = 30.0
    max_retry_after_s: float = 300.0

    def delay(self, retry_number: int, retry_after: float | None, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (1-based)."""
        r = rng.random() if rng is not None else random.random()
        if retry_after is not None:
            # The server said when; a little jitter keeps the waiting clients from arriving together.
            return min(retry_after, self.max_retry_after_s) + r * min(1.0, self.base_s)
        # Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2**n)].
        return r * min(self.cap_s, self.base_s * (2 ** (retry_number - 1)))


def status_kind(status: int) -> str:
    """The journal error kind for an HTTP status that is not a success."""
    if status == 429:
        return "http_429"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "http_5xx"
    return "http_4xx"


def parse_retry_after(headers: dict[str, str], now: float | None = None) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); None if absent or invalid."""
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = -1.0
        if 0 <= value < 86400:
            return value
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        value = float(raw)
    except ValueError:
        try:
            when = parsedate_to_datetime(raw).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        value = when - (time.time() if now is None else now)
        return max(0.0, value)
    return value if 0 <= value < 86400 else None
