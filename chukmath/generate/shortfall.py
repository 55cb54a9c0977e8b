"""Whether each stream of a run can give what the run asks of it, checked before drawing, and the one message
for a stream that cannot — the same whether the check finds it or the run runs dry while drawing.

The message names the stream (family, difficulty, ``[[mix]]`` entry), how many distinct questions it can give,
how many the run asks of it, and what to change: the entry's ``weight`` (with the largest that fits), the
number of problems (``--count``, or ``count`` in a build recipe), its ``difficulty``, or its ``[mix.config]``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor, log10, sqrt
from typing import Any

from chukmath.errors import ConfigError
from chukmath.families import DIFFICULTIES, Family
from chukmath.generate.capacity import Capacity, family_capacity, listed_questions, seen_while_listing

EXACT_PICKS_UP_TO = 2_000_000  # items whose stream picks are counted one by one; above, the expected share is used
_MARGIN_SIGMAS = 6.0  # a stream this many standard deviations below its capacity needs no exact pick count


@dataclass(frozen=True)
class StreamInfo:
    """What a message says about one stream: its family, difficulty, and (in a mix) its entry and weights."""

    family: Family
    config: Any
    difficulty: int
    entry: int | None = None  # 0-based [[mix]] entry
    source: str | None = None  # the recipe file
    weight: Fraction | None = None
    total_weight: Fraction | None = None
    shares_with: tuple[int, ...] = ()  # 0-based [[mix]] entries whose questions overlap this one's, itself included


def _knobs(config: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(config) if f.name.startswith("max_")]


def _fitting_weight(info: StreamInfo, can_give: int, items: int) -> str:
    """The largest weight (about) that keeps the entry's share within ``can_give``, the other weights unchanged."""
    if info.weight is None or info.total_weight is None or items <= can_give:
        return ""
    others = info.total_weight - info.weight
    if others <= 0 or can_give <= 0:
        return ""
    # 5 % below the expected fit: the picks are a hash, so a stream's share scatters around its weight.
    best = float(can_give * others / (items - can_give)) * 0.95
    digits = max(0, 2 - floor(log10(best))) if best > 0 else 0
    shown = floor(best * 10**digits) / 10**digits
    return f" (to at most about {shown:g} with the other weights as they are)" if shown > 0 else ""


def advice(info: StreamInfo, can_give: int, items: int) -> str:
    """What to change so that the stream is not asked for more than it can give."""
    knobs = _knobs(info.config)
    harder = info.difficulty < max(DIFFICULTIES)
    if info.entry is not None:
        widen = f"widen its [mix.config] ({', '.join(knobs)})" if knobs else "widen its [mix.config]"
        if len(info.shares_with) > 1:
            # Common questions are split by weight: lowering this weight alone lowers its part of them too.
            entries = ", ".join(str(j + 1) for j in info.shares_with)
            lower = f"lower the weights of [[mix]] entries {entries} together (they split common questions by weight)"
        else:
            lower = f"lower that entry's weight{_fitting_weight(info, can_give, items)}"
        return (
            f"{lower}, ask for fewer problems (--count, "
            f"or count in a build recipe), {'give that entry a higher difficulty, ' if harder else ''}or {widen}"
        )
    widen = f"widen the config with --set ({', '.join(knobs)})" if knobs else "widen the config with --set"
    return f"ask for fewer problems (--count), {'pick a higher --difficulty, ' if harder else ''}or {widen}"


def describe_stream(info: StreamInfo) -> str:
    where = ""
    if info.entry is not None:
        where = f" ([[mix]] entry {info.entry + 1}" + (f" of {info.source}" if info.source else "") + ")"
    return f"{info.family.name} at difficulty {info.difficulty}{where}"


def shortfall_message(info: StreamInfo, can_give: int, basis: str, asked: int, items: int) -> str:
    """``<stream> can give N distinct questions (<basis>) but M are asked …; <what to change>``."""
    share = ""
    if info.weight is not None and info.total_weight is not None:
        share = f" (weight {info.weight} of {info.total_weight} in total over {items:,} items)"
    return (
        f"{describe_stream(info)} can give {can_give:,} distinct questions ({basis}) but {asked:,} are asked"
        f"{share}; {advice(info, can_give, items)}"
    )


def count_picks(pick: Callable[[int], int] | None, streams: int, items: int) -> list[int]:
    """How many of items ``0 .. items-1`` each stream gives (every item before ``start`` takes one too)."""
    counts = [0] * streams
    if pick is None:
        counts[0] = items
        return counts
    for i in range(items):
        counts[pick(i)] += 1
    return counts


def _expected(info: StreamInfo, items: int) -> float:
    if info.weight is None or info.total_weight is None:
        return float(items)
    return items * float(info.weight / info.total_weight)


def asked_of(pick: Callable[[int], int] | None, infos: Sequence[StreamInfo], stream: int, items: int) -> int:
    """How many of ``items`` items stream ``stream`` gives: counted, or its expected share for very long runs."""
    if items <= EXACT_PICKS_UP_TO:
        return count_picks(pick, len(infos), items)[stream]
    return round(_expected(infos[stream], items))


@dataclass(frozen=True)
class Limit:
    """What one stream (or group of identical streams sharing their questions) can give, and how sure that is."""

    questions: int
    basis: str  # "exact", "estimated", "at least"
    certain: bool


def stream_limit(info: StreamInfo, key: bytes, owned: int | None, wanted: float | None = None) -> Limit | None:
    """The stream's limit: its reserved questions in a mix, else the listing of a small space, else the family's
    count; None when only a lower bound is known.

    ``wanted`` (the most the run may ask of it, if known) skips the listing when the family's count is at least
    twice that: listing walks at least ``MAX_MISSES`` candidates (seconds for a slow drawer) to tell apart
    counts that cannot matter then.
    """
    if owned is not None:
        return Limit(owned, "exact: its own questions in this mix", True)
    capacity: Capacity = family_capacity(info.family, info.config)
    roomy = wanted is not None and 2 * wanted <= capacity.questions
    listed = None if roomy else listed_questions(info.family, info.config, key)
    if listed is not None:
        return Limit(len(listed), "exact", True)
    if capacity.kind == "at_least":
        return None
    if capacity.kind == "exact":
        return Limit(capacity.questions, "exact", True)
    # A listing that gave up saw this many distinct questions of this very stream: the estimate (which undercounts
    # questions drawn with unequal odds) is at least that.
    return Limit(max(capacity.questions, seen_while_listing(info.family, info.config, key)), "estimated", False)


def check_streams(
    infos: Sequence[StreamInfo],
    keys: Sequence[bytes],
    owned: Sequence[int | None],
    groups: Sequence[int],
    pick: Callable[[int], int] | None,
    items: int,
) -> list[str]:
    """Check each stream's share of ``items`` against its limit before drawing.

    Raises ConfigError (the first certain shortfall) and returns warnings for estimated limits that look too
    small. Streams of one group (identical entries) share their questions and are checked together.
    """
    expected = [_expected(info, items) for info in infos]
    # The most a group (identical entries, led by its first stream) is likely to be asked: its expected share
    # plus a margin for the scatter of the hashed picks.
    most = [0.0] * len(infos)
    for j, group in enumerate(groups):
        most[group] += expected[j]
    most = [m + _MARGIN_SIGMAS * sqrt(m + 1) for m in most]
    limits = [
        stream_limit(info, key, own, most[k]) if groups[k] == k else None
        for k, (info, key, own) in enumerate(zip(infos, keys, owned, strict=True))
    ]
    tight = any(limit is not None and most[k] > limit.questions for k, limit in enumerate(limits))
    if tight and items <= EXACT_PICKS_UP_TO:
        asked = count_picks(pick, len(infos), items)
    else:
        asked = [round(e) for e in expected]
    warnings: list[str] = []
    for k, limit in enumerate(limits):
        if limit is None or groups[k] != k:
            continue
        members = [j for j in range(len(infos)) if groups[j] == k]
        want = sum(asked[j] for j in members)
        if want <= limit.questions:
            continue
        message = shortfall_message(infos[k], limit.questions, limit.basis, want, items)
        if limit.certain:
            raise ConfigError(message)
        warnings.append(f"warning: {message} (an estimate: the run may still fill it)")
    return warnings


__all__ = ["Limit", "StreamInfo", "advice", "asked_of", "check_streams", "count_picks", "shortfall_message",
           "stream_limit"]
