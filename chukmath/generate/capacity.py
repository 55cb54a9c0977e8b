"""How many distinct questions a family can make with a config: exact from the family's ``capacity`` hook, else
estimated from a fixed, seeded sample of its drawer; and, for small spaces, the exact set a stream can give.

The estimate is deterministic (the sample's candidates are keyed by the family and config only) and cached per
process. It draws at most ``SAMPLE`` candidates and stops early when the sample shows no repeat at all (the space
is large: only a lower bound is stated) or when every question in it was seen at least twice (the space is
covered). Otherwise it is Chao1, ``distinct + f1 * (f1 - 1) / (2 * (f2 + 1))``, which undercounts a space whose
questions are drawn with very unequal odds — a conservative error for a check that asks "is there room?".
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from chukmath.families import Family, Rng
from chukmath.generate.items import MAX_MISSES, question_hash

SAMPLE = 2048  # candidates drawn at most for an estimate
CHECKPOINTS = (256, 512, 1024, SAMPLE)  # where the sample may stop early
NO_REPEAT_FROM = 512  # a sample this large without a single repeat states a lower bound and stops
ENUMERATE_UP_TO = 5000  # spaces this small (exact or estimated) are listed question by question
ENUMERATE_BUDGET = 60_000  # candidates a listing may draw before it gives up (the space is larger than it seemed)

Kind = Literal["exact", "estimate", "at_least"]


@dataclass(frozen=True)
class Capacity:
    """The number of distinct questions of one (family, config): ``exact``, an ``estimate``, or ``at_least``
    (a sample without a single repeat: the space is at least this large, with about 95 % confidence)."""

    questions: int
    kind: Kind

    def to_dict(self) -> dict[str, Any]:
        return {"questions": self.questions, "kind": self.kind}

    def show(self) -> str:
        """``546 (exact)``, ``~3,100`` or ``>= 170,000`` for people."""
        if self.kind == "exact":
            return f"{self.questions:,} (exact)"
        return f"~{self.questions:,}" if self.kind == "estimate" else f">= {self.questions:,}"


_CACHE: dict[tuple[str, bytes], Capacity] = {}
_LISTED: dict[tuple[str, bytes, bytes], frozenset[int] | None] = {}
_SEEN: dict[tuple[str, bytes, bytes], int] = {}  # distinct questions a listing saw before it gave up
_CACHE_MAX = 4096  # entries kept per cache before it is emptied (a long-lived process trying many configs or seeds)


def _config_key(config: Any) -> bytes:
    return orjson.dumps(dataclasses.asdict(config), option=orjson.OPT_SORT_KEYS)


def family_capacity(family: Family, config: Any) -> Capacity:
    """The question count of ``family`` with ``config``: its hook's exact count, else a sampled estimate."""
    cache_key = (family.name, _config_key(config))
    found = _CACHE.get(cache_key)
    if found is None:
        exact = family.capacity(config) if family.capacity is not None else None
        found = Capacity(exact, "exact") if exact is not None else estimate(family, config)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[cache_key] = found
    return found


def estimate(family: Family, config: Any) -> Capacity:
    """A sampled estimate of the question count (see the module docstring for the rule)."""
    key = hashlib.blake2b(b"capacity\0" + family.name.encode() + b"\0" + _config_key(config), digest_size=16).digest()
    draw = family.draw
    counts: Counter[str] = Counter()
    accepted = 0
    c = 0
    for checkpoint in CHECKPOINTS:
        while c < checkpoint:
            got = draw(config, Rng(key + c.to_bytes(8, "little")))
            c += 1
            if got is not None:
                counts[got[0]] += 1
                accepted += 1
        distinct = len(counts)
        if accepted and distinct == accepted and c >= NO_REPEAT_FROM:
            # No two of n draws alike: under equal odds that has probability exp(-n^2 / 2S) < 5 % unless
            # S > n^2 / 6, and unequal odds only make repeats likelier.
            return Capacity(accepted * (accepted - 1) // 6, "at_least")
        f1 = sum(1 for n in counts.values() if n == 1)
        if accepted and f1 == 0:
            return Capacity(distinct, "estimate")
    f1 = sum(1 for n in counts.values() if n == 1)
    f2 = sum(1 for n in counts.values() if n == 2)
    return Capacity(len(counts) + f1 * (f1 - 1) // (2 * (f2 + 1)), "estimate")


def listed_questions(family: Family, config: Any, key: bytes) -> frozenset[int] | None:
    """The hashes of every question a stream (``family``, ``config``, stream ``key``) can give, or None when its
    space is too large to list.

    The stream is walked as a run alone would walk it: candidate by candidate, until ``MAX_MISSES`` in a row are
    rejected or repeats, so the set's size is exactly what the stream gives before it runs dry. Listing is tried
    only for spaces of at most ``ENUMERATE_UP_TO`` questions (by count or estimate) and gives up after
    ``ENUMERATE_BUDGET`` candidates, or as soon as it meets more than ``ENUMERATE_UP_TO`` questions (an estimate
    that undercounts a space of unequal odds: complex_numbers 1 is estimated at ~3,700 and holds over 19,000).
    """
    cache_key = (family.name, _config_key(config), key)
    if cache_key in _LISTED:
        return _LISTED[cache_key]
    result: frozenset[int] | None = None
    if family_capacity(family, config).questions <= ENUMERATE_UP_TO:
        draw = family.draw
        seen: set[int] = set()
        misses = 0
        for c in range(ENUMERATE_BUDGET):
            got = draw(config, Rng(key + c.to_bytes(8, "little")))
            if got is not None:
                h = question_hash(got[0])
                if h not in seen:
                    if len(seen) == ENUMERATE_UP_TO:
                        break  # more questions than a listing may hold: stop now rather than at the budget
                    seen.add(h)
                    misses = 0
                    continue
            misses += 1
            if misses >= MAX_MISSES:
                result = frozenset(seen)
                break
        if result is None:
            _SEEN[cache_key] = len(seen)
    if len(_LISTED) >= _CACHE_MAX // 16:  # a listing holds up to ENUMERATE_UP_TO hashes
        _LISTED.clear()
        _SEEN.clear()
    _LISTED[cache_key] = result
    return result


def seen_while_listing(family: Family, config: Any, key: bytes) -> int:
    """How many distinct questions a listing of this stream saw before its budget ran out (0 if none gave up):
    a count the stream is sure to reach, larger than the estimate when its questions have very unequal odds."""
    return _SEEN.get((family.name, _config_key(config), key), 0)


__all__ = ["ENUMERATE_UP_TO", "Capacity", "estimate", "family_capacity", "listed_questions", "seen_while_listing"]
