"""Runs: the deterministic candidate streams, question de-duplication and slicing.

Item *i* of a run is the next candidate (in its stream's candidate order) whose question was not seen before and
is not reserved for another stream of the mix (chukmath.generate.reserve). Candidate *c* of a stream is a pure
function of (family, config, difficulty, seed, c), so a slice ``start..start+count`` replays the prefix's
candidates (the sympy families defer their answers to ``finish``, which runs only for items that are written) and
is identical to the same items of a full run, on any machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from chukmath.errors import ConfigError
from chukmath.families import Family, Rng, get_family
from chukmath.generate.items import MAX_MISSES, SeenQuestions, line_parts, problem_id, question_hash
from chukmath.generate.shortfall import StreamInfo, asked_of, check_streams, shortfall_message
from chukmath.records import Problem, problem_row

MAX_SEED = 2**63 - 1

# One candidate as a worker returns it: None (rejected by the drawer), the question hash alone (a candidate
# consumed before ``start`` or a certain repeat), or (question hash, line head, line tail).
Entry = None | int | tuple[int, bytes, bytes]
_dumps = orjson.dumps


@dataclass
class Stream:
    """One family's candidate stream inside a run.

    ``forbidden`` holds the hashes of questions reserved for other streams of the mix, ``owned`` and ``group`` what
    is reserved for this one (chukmath.generate.reserve); ``info`` says, for messages, which stream this is
    (family, difficulty, mix entry and weight).
    """

    family: Family
    config: Any
    difficulty: int
    key: bytes
    produced: int = 0
    next_candidate: int = 0
    forbidden: frozenset[int] | None = None
    info: StreamInfo | None = None
    owned: int | None = None  # how many questions are reserved for this stream's group (None: not listed)
    group: int | None = None  # index of the first identical stream of the mix (they share questions)

    def next_new(self, seen: SeenQuestions) -> tuple[str, Any] | None:
        """The next candidate whose question is new and not reserved for another stream; None when the question
        space is used up (``MAX_MISSES`` candidates in a row were rejected, repeats or reserved)."""
        draw, config, key, forbidden = self.family.draw, self.config, self.key, self.forbidden
        add_hash = seen.add_hash
        c = self.next_candidate
        misses = 0
        while True:
            got = draw(config, Rng(key + c.to_bytes(8, "little")))
            c += 1
            if got is not None:
                h = question_hash(got[0])
                if (forbidden is None or h not in forbidden) and add_hash(h):
                    self.next_candidate = c
                    self.produced += 1
                    return got
            misses += 1
            if misses >= MAX_MISSES:
                return None

    def describe(self) -> StreamInfo:
        """This stream for messages (a lone family's stream when no mix said otherwise)."""
        return self.info or StreamInfo(self.family, self.config, self.difficulty)


@dataclass(frozen=True)
class StreamSpec:
    """What a worker needs to reproduce one stream's candidates (picklable, unlike a pick closure)."""

    family: str
    config: Any
    difficulty: int
    key: bytes
    seed: int
    forbidden: frozenset[int] | None = None  # questions reserved for other streams (chukmath.generate.reserve)


def compute_chunk(
    spec: StreamSpec, first: int, size: int, full_from: int, known: set[int] | None = None
) -> list[Entry]:
    """Candidates ``first .. first+size-1`` of a stream; those from ``full_from`` on are finished and formatted.

    The twin of :meth:`Stream.next_new` for the worker processes (chukmath.generate.parallel): a candidate is
    taken or skipped by the same rules (a rejected draw, a repeat, a question reserved for another stream), and
    tests/test_twin_compute_chunk_next_new.py checks the lines built from its entries are the serial run's.

    ``known`` holds question hashes of this stream's candidates numbered below ``first`` (and gains this
    chunk's). A candidate whose question is in it is certainly a repeat when the run reaches it (the earlier
    one put its question in the filter first), so it is only hashed: families with small question spaces
    draw many repeats, and finishing them would be wasted work.
    """
    family = get_family(spec.family)
    draw, finish, config, key = family.draw, family.finish, spec.config, spec.key
    name, level, seed = family.name, spec.difficulty, spec.seed
    if known is None:
        known = set()
    forbidden = spec.forbidden or frozenset()
    out: list[Entry] = []
    append = out.append
    for c in range(first, first + size):
        got = draw(config, Rng(key + c.to_bytes(8, "little")))
        if got is None:
            append(None)
            continue
        question, payload = got
        h = question_hash(question)
        if c < full_from or h in known or h in forbidden:
            known.add(h)
            append(h)
            continue
        known.add(h)
        expression, answer, meta = finish(config, payload)
        head, tail = line_parts(problem_id(name, level, question, expression, answer), name, level, seed,
                                question, expression, answer, meta)
        append((h, head, tail))
    return out


def stream_key(family: Family, config: Any, difficulty: int, seed: int) -> bytes:
    """The 16-byte key of a stream: a hash of everything that determines its candidates."""
    blob = orjson.dumps(
        {"family": family.name, "difficulty": difficulty, "config": dataclasses.asdict(config), "seed": seed},
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.blake2b(blob, digest_size=16).digest()


def check_range(seed: int, count: int, start: int) -> None:
    """Raise ConfigError for a negative count or start, or a seed outside 0..2**63-1."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"invalid seed {seed!r} (allowed: an integer from 0 to {MAX_SEED})")
    if count < 0:
        raise ConfigError(f"invalid count {count} (allowed: an integer >= 0)")
    if start < 0:
        raise ConfigError(f"invalid start {start} (allowed: an integer >= 0)")


class Run:
    """Items ``start .. start+count-1`` of a run over ``streams``; ``pick(i)`` chooses the stream of item i.

    Iterating yields :class:`Problem` records; :meth:`rows` yields the same records as plain dicts (the JSONL
    writer uses it to skip building a dataclass per line).
    """

    def __init__(
        self, streams: list[Stream], pick: Callable[[int], int] | None, *, seed: int, count: int, start: int
    ) -> None:
        self.streams, self.pick, self.seed, self.count, self.start = streams, pick, seed, count, start
        self._problems: Iterator[Problem] | None = None

    def __iter__(self) -> Run:
        return self

    def __next__(self) -> Problem:
        if self._problems is None:
            self._problems = (Problem(**row) for row in self.rows())
        return next(self._problems)

    def check(self) -> list[str]:
        """Check, before drawing, that every stream can give its share of the run's items; raises ConfigError
        naming the first stream whose exact (or listed) question count is too small, and returns warnings for
        streams whose estimated count looks too small."""
        streams = self.streams
        return check_streams(
            [s.describe() for s in streams], [s.key for s in streams], [s.owned for s in streams],
            [k if s.group is None else s.group for k, s in enumerate(streams)], self.pick, self.start + self.count,
        )

    def exhausted(self, stream: int, produced: int) -> ConfigError:
        """The error for stream ``stream`` running dry after giving ``produced`` problems: which stream, what it
        gave, what the run asks of it, and what to change (the same message as the check before drawing)."""
        items = self.start + self.count
        asked = asked_of(self.pick, [s.describe() for s in self.streams], stream, items)
        basis = f"it ran dry: {MAX_MISSES} candidates in a row were repeats"
        return ConfigError(shortfall_message(self.streams[stream].describe(), produced, basis, asked, items))

    def rows(self, workers: int = 1) -> Iterator[dict[str, Any]]:
        """The records as dicts with the fields of :class:`Problem`, in index order.

        ``workers`` > 1 draws and formats candidates in that many worker processes (see
        :mod:`chukmath.generate.parallel`); the records are the same for any number of workers.
        """
        if workers > 1:
            from chukmath.generate.parallel import parallel_lines

            loads = orjson.loads
            for line in parallel_lines(self, workers):
                yield loads(line)
            return
        seen = SeenQuestions()
        streams, pick, seed, start = self.streams, self.pick, self.seed, self.start
        single = streams[0] if pick is None else None
        for i in range(start + self.count):
            k = 0 if pick is None else pick(i)
            stream = single if single is not None else streams[k]
            got = stream.next_new(seen)
            if got is None:
                raise self.exhausted(k, stream.produced)
            question, payload = got
            if i < start:
                continue
            family = stream.family
            name, level = family.name, stream.difficulty
            expression, answer, meta = family.finish(stream.config, payload)
            pid = problem_id(name, level, question, expression, answer)
            yield problem_row(pid, name, level, seed, i, question, expression, answer, meta)

    def lines(self, workers: int = 1) -> Iterator[bytes]:
        """The records as JSONL lines (orjson, newline included); the same bytes for any number of workers."""
        if workers > 1:
            from chukmath.generate.parallel import parallel_lines

            yield from parallel_lines(self, workers)
            return
        dumps, opt = _dumps, orjson.OPT_APPEND_NEWLINE
        for row in self.rows():
            yield dumps(row, option=opt)


def generate(
    name: str,
    *,
    seed: int,
    count: int,
    start: int = 0,
    difficulty: int | None = None,
    overrides: dict[str, Any] | None = None,
) -> Run:
    """Problems ``start .. start+count-1`` of family ``name``'s run for ``seed`` (validated before yielding)."""
    check_range(seed, count, start)
    family = get_family(name)
    config = family.config(difficulty, overrides)
    level = family.default_difficulty if difficulty is None else difficulty
    stream = Stream(family, config, level, stream_key(family, config, level, seed))
    return Run([stream], None, seed=seed, count=count, start=start)


__all__ = ["MAX_MISSES", "MAX_SEED", "Entry", "Run", "SeenQuestions", "Stream", "StreamSpec", "check_range",
           "compute_chunk", "generate", "line_parts", "problem_id", "question_hash", "stream_key"]  # fmt: skip
