"""A cheap counter-based random stream: one blake2b digest per candidate, drawn from by mixed-radix division.

Every candidate of a run gets its own stream keyed by (run key, candidate number), so candidate *c* is the
same on any machine and in any slice, and no global or shared random state exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_DIGEST = 64  # bytes per refill: 512 bits of entropy
_SCALE = 1 << 32
_FLOOR = 1 << 128  # refill before the remaining entropy could bias a draw


class Rng:
    """Deterministic draws from ``blake2b(key)``; ``below(n)`` takes ``n`` off a big integer (negligible bias)."""

    __slots__ = ("_key", "_r", "_refills")

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._refills = 0
        self._r = int.from_bytes(hashlib.blake2b(key, digest_size=_DIGEST).digest(), "little")

    def _refill(self, r: int) -> int:
        # Keep what is left and append fresh bits; a stream is still a pure function of its key.
        self._refills += 1
        extra = hashlib.blake2b(self._key + self._refills.to_bytes(4, "little"), digest_size=_DIGEST).digest()
        return (r << (8 * _DIGEST)) | int.from_bytes(extra, "little")

    def below(self, n: int) -> int:
        """A uniform integer in ``[0, n)``; ``1 <= n <= 2**64`` (bias below 2**-64)."""
        r = self._r
        if r < _FLOOR:
            r = self._refill(r)
        r, v = divmod(r, n)
        self._r = r
        return v

    def randint(self, low: int, high: int) -> int:
        """A uniform integer in ``[low, high]`` (both included)."""
        return low + self.below(high - low + 1)

    def choice(self, seq: Sequence[T]) -> T:
        """One element of a non-empty sequence."""
        return seq[self.below(len(seq))]

    def chance(self, p: float) -> bool:
        """True with probability ``p`` (compared in integers, so it is the same on every machine)."""
        if p <= 0.0:
            return False
        if p >= 1.0:
            return True
        return self.below(_SCALE) < int(p * _SCALE)

    def sign(self) -> int:
        """-1 or 1 with equal odds."""
        return 1 if self.below(2) else -1


def can_be(p: float, outcome: bool) -> bool:
    """Whether :meth:`Rng.chance` with probability ``p`` can return ``outcome`` (for exact question counts)."""
    if outcome:
        return p >= 1.0 or (p > 0.0 and int(p * _SCALE) > 0)
    return p < 1.0
