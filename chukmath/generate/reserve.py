"""Questions reserved for the small streams of a mix, so that no other stream uses up their question space.

Streams of the same family can draw the same questions (quadratic at difficulty 2 also makes difficulty 1's
equations). With one duplicate filter for the whole run, a large stream would take a small stream's few
questions and the small one would run dry long before its share. So, before drawing, every stream whose space is
small enough to list (:func:`chukmath.generate.capacity.listed_questions`) and that shares its family with another
stream of the mix has its questions listed, and each listed question is given to one owner: the smallest listing
that holds it (ties: the earlier entry). Identical entries (same family, difficulty and config) form one owner
and share its questions. A stream never emits a question owned by another; the run-wide filter still keeps every
question unique. Streams of families that appear once in the mix are untouched, so such mixes draw exactly as
before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from chukmath.families import Family
from chukmath.generate.capacity import listed_questions


class _StreamLike(Protocol):
    family: Family
    config: Any
    difficulty: int
    key: bytes


@dataclass(frozen=True)
class Reservation:
    """Per stream: the question hashes it must not emit (None: no restriction), how many questions its owner
    group holds (None: not listed), and its group (the index of the group's first stream)."""

    forbidden: list[frozenset[int] | None]
    owned: list[int | None]
    groups: list[int]


def _identity(stream: _StreamLike) -> bytes:
    return orjson.dumps(
        [stream.family.name, stream.difficulty, dataclasses.asdict(stream.config)], option=orjson.OPT_SORT_KEYS
    )


def reserve(streams: Sequence[_StreamLike]) -> Reservation:
    """The reservation of a mix's streams (deterministic: it depends on the streams only, never on the count)."""
    n = len(streams)
    forbidden: list[frozenset[int] | None] = [None] * n
    owned: list[int | None] = [None] * n
    groups = list(range(n))
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
        for k in members:
            got = listed_questions(streams[k].family, streams[k].config, streams[k].key)
            if got is not None:
                listed.setdefault(groups[k], set()).update(got)
        if not listed:
            continue
        taken: set[int] = set()
        own: dict[int, frozenset[int]] = {}
        for group in sorted(listed, key=lambda g: (len(listed[g]), g)):
            own[group] = frozenset(listed[group] - taken)
            taken |= own[group]
        for k in members:
            mine = own.get(groups[k], frozenset())
            others = frozenset(taken - mine)
            forbidden[k] = others or None
            if groups[k] in own:
                owned[k] = len(mine)
    return Reservation(forbidden, owned, groups)


__all__ = ["Reservation", "reserve"]
