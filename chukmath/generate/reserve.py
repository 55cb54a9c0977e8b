"""Questions reserved for the small streams of a mix, so that no other stream uses up their question space.

Streams of the same family can draw the same questions (quadratic at difficulty 2 also makes difficulty 1's
equations). With one duplicate filter for the whole run, a large stream would take a small stream's few
questions and the small one would run dry long before its share. So, before drawing, every stream whose space is
small enough to list (:func:`chukmath.generate.capacity.listed_questions`) and that shares its family with another
stream of the mix has its questions listed, and each listed question is given to one owner among the listings
that hold it (:func:`share`): questions held by fewer listings are given first, each to the holder that has the
fewest so far for its weight. A listing's questions that no other listing holds are thus all its own, and
listings that overlap (difficulty 1's questions inside difficulty 2's, or two equal spaces) split what they have
in common in proportion to their weights, so no stream is left with nothing. Identical entries (same family,
difficulty and config) form one owner and share its questions. A stream never emits a question owned by another;
the run-wide filter still keeps every question unique. Streams of families that appear once in the mix are
untouched, so such mixes draw exactly as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

import orjson

from chukmath.families import Family
from chukmath.generate.capacity import listed_questions
from chukmath.generate.shortfall import StreamInfo


class _StreamLike(Protocol):
    family: Family
    config: Any
    difficulty: int
    key: bytes
    info: StreamInfo | None


@dataclass(frozen=True)
class Reservation:
    """Per stream: the question hashes it must not emit (None: no restriction), how many questions its owner
    group holds (None: not listed), its group (the index of the group's first stream), and the streams whose
    listings overlap its own, itself included (empty when none does: then its share does not depend on weights)."""

    forbidden: list[frozenset[int] | None]
    owned: list[int | None]
    groups: list[int]
    shared: list[tuple[int, ...]]


def _identity(stream: _StreamLike) -> bytes:
    return orjson.dumps(
        [stream.family.name, stream.difficulty, dataclasses.asdict(stream.config)], option=orjson.OPT_SORT_KEYS
    )


def share(listed: Mapping[int, set[int]], weights: Mapping[int, float]) -> dict[int, frozenset[int]]:
    """Give every question of the listings ``listed`` (owner -> question hashes) to one owner whose listing holds it.

    Questions held by fewer owners go first (then by hash, so the result depends on the sets only); each goes to
    the holder with the fewest questions so far relative to its weight (ties: the lower owner). An owner keeps
    every question only it holds, and owners that overlap split their common questions by weight.
    """
    holders: dict[int, list[int]] = {}
    for owner in sorted(listed):
        for h in listed[owner]:
            holders.setdefault(h, []).append(owner)
    given: dict[int, list[int]] = {owner: [] for owner in listed}
    for h in sorted(holders, key=lambda q: (len(holders[q]), q)):
        best = min(holders[h], key=lambda g: ((len(given[g]) + 1) / weights[g], g))
        given[best].append(h)
    return {owner: frozenset(hs) for owner, hs in given.items()}


def _weight(stream: _StreamLike) -> Fraction:
    info = stream.info
    return info.weight if info is not None and info.weight is not None else Fraction(1)


def reserve(streams: Sequence[_StreamLike]) -> Reservation:
    """The reservation of a mix's streams (deterministic: it depends on the streams only, never on the count)."""
    n = len(streams)
    forbidden: list[frozenset[int] | None] = [None] * n
    owned: list[int | None] = [None] * n
    groups = list(range(n))
    shared: list[tuple[int, ...]] = [()] * n
    first_of: dict[bytes, int] = {}
    for k, stream in enumerate(streams):
        groups[k] = first_of.setdefault(_identity(stream), k)
    families: dict[str, list[int]] = {}
    for k, stream in enumerate(streams):
        families.setdefault(stream.family.name, []).append(k)
    for members in families.values():
        if len({groups[k] for k in members}) < 2:
            continue  # one family, one space: the run-wide filter is all it needs
        listed: dict[int, set[int]] = {}
        weights: dict[int, Fraction] = {}
        for k in members:
            got = listed_questions(streams[k].family, streams[k].config, streams[k].key)
            if got is not None:
                listed.setdefault(groups[k], set()).update(got)
                weights[groups[k]] = weights.get(groups[k], Fraction(0)) + _weight(streams[k])
        if not listed:
            continue
        own = share(listed, {g: float(w) for g, w in weights.items()})
        taken: set[int] = set().union(*own.values())
        for k in members:
            mine = own.get(groups[k], frozenset())
            others = frozenset(taken - mine)
            forbidden[k] = others or None
            if groups[k] in own:
                owned[k] = len(mine)
                near = {g for g in listed if g == groups[k] or not listed[g].isdisjoint(listed[groups[k]])}
                if len(near) > 1:
                    shared[k] = tuple(j for j in members if groups[j] in near)
    return Reservation(forbidden, owned, groups, shared)


__all__ = ["Reservation", "reserve", "share"]
