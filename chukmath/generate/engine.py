"""Runs: the deterministic candidate streams, question de-duplication and slicing.

Item *i* of a run is the *i*-th candidate (in candidate order) whose question was not seen before. Candidate
*c* of a stream is a pure function of (family, config, difficulty, seed, c), so a slice ``start..start+count``
replays the prefix's candidates (the sympy families defer their answers to ``finish``, which runs only for
items that are written) and is identical to the same items of a full run, on any machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from chukmath.errors import ConfigError
from chukmath.generate.registry import Family
from chukmath.generate.rng import Rng
from chukmath.records import Problem

# Consecutive rejected candidates after which a stream is declared exhausted (its question space is used up).
MAX_MISSES = 5000
MAX_SEED = 2**63 - 1
_BLOOM_LOG2 = 26  # 2**26 bits = 8 MiB, fixed so that every slice sees the same false positives
_MASK = (1 << _BLOOM_LOG2) - 1
_blake2b = hashlib.blake2b
_dumps = orjson.dumps


class SeenQuestions:
    """A fixed-size Bloom filter of questions: constant memory at any run length, fully deterministic.

    A false positive only skips a candidate, and does so identically in every run and slice, because what
    the filter answers for item *i* depends only on the questions before it. At a million questions about
    one candidate in 10,000 is skipped that way.
    """

    __slots__ = ("_bits",)

    def __init__(self) -> None:
        self._bits = bytearray(1 << (_BLOOM_LOG2 - 3))

    def add(self, question: str) -> bool:
        """Record ``question``; True if it was not seen before."""
        return self.add_hash(question_hash(question))

    def add_hash(self, h: int) -> bool:
        """Record a question by its :func:`question_hash` (computed elsewhere, e.g. in a worker process)."""
        bits = self._bits
        a, b, c = h & _MASK, (h >> 40) & _MASK, (h >> 80) & _MASK
        ia, ma = a >> 3, 1 << (a & 7)
        ib, mb = b >> 3, 1 << (b & 7)
        ic, mc = c >> 3, 1 << (c & 7)
        if bits[ia] & ma and bits[ib] & mb and bits[ic] & mc:
            return False
        bits[ia] |= ma
        bits[ib] |= mb
        bits[ic] |= mc
        return True


def question_hash(question: str) -> int:
    """The 128-bit hash from which :class:`SeenQuestions` takes a question's three bit positions."""
    return int.from_bytes(_blake2b(question.encode(), digest_size=16).digest(), "little")


@dataclass
class Stream:
    """One family's candidate stream inside a run."""

    family: Family
    config: Any
    difficulty: int
    key: bytes
    produced: int = 0
    next_candidate: int = 0

    def next_new(self, seen: SeenQuestions) -> tuple[str, Any]:
        """The next candidate whose question is new; ConfigError when the question space is used up."""
        draw, config, key = self.family.draw, self.config, self.key
        c = self.next_candidate
        misses = 0
        while True:
            got = draw(config, Rng(key + c.to_bytes(8, "little")))
            c += 1
            if got is not None and seen.add(got[0]):
                self.next_candidate = c
                self.produced += 1
                return got
            misses += 1
            if misses >= MAX_MISSES:
                raise self.exhausted(self.produced)

    def exhausted(self, produced: int) -> ConfigError:
        """The error for a stream whose last MAX_MISSES candidates, after ``produced`` problems, were all
        rejected or repeats."""
        # Name this family's own range knobs: a generic hint would point at keys it does not have.
        knobs = [f.name for f in dataclasses.fields(self.config) if f.name.startswith("max_")]
        hint = f" (raise one of {', '.join(knobs)} with --set)" if knobs else ""
        return ConfigError(
            f"{self.family.name} at difficulty {self.difficulty} ran out of distinct questions after "
            f"{produced} problems ({MAX_MISSES} candidates in a row were repeats); lower --count, "
            f"raise --difficulty or widen the config{hint}"
        )


def problem_id(generator: str, difficulty: int, question: str, expression: str, answer: str) -> str:
    """A problem's id: :func:`chukmath.hashing.content_hash` of these five fields.

    The dict is built with its keys already in sorted order, so dumping it without ``OPT_SORT_KEYS`` gives the
    same canonical bytes for less work (this runs once per problem).
    """
    data = _dumps(
        {"answer": answer, "difficulty": difficulty, "expression": expression, "generator": generator,
         "question": question}
    )
    return _blake2b(data, digest_size=16).hexdigest()


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
            stream = single if single is not None else streams[pick(i)]  # type: ignore[misc]
            question, payload = stream.next_new(seen)
            if i < start:
                continue
            family = stream.family
            name, level = family.name, stream.difficulty
            expression, answer, meta = family.finish(stream.config, payload)
            pid = problem_id(name, level, question, expression, answer)
            yield {"id": pid, "generator": name, "difficulty": level, "seed": seed, "index": i,
                   "question": question, "expression": expression, "answer": answer, "meta": meta}

    def lines(self, workers: int = 1) -> Iterator[bytes]:
        """The records as JSONL lines (orjson, newline included); the same bytes for any number of workers."""
        if workers > 1:
            from chukmath.generate.parallel import parallel_lines

            yield from parallel_lines(self, workers)
            return
        dumps, opt = _dumps, orjson.OPT_APPEND_NEWLINE
        for row in self.rows():
            yield dumps(row, option=opt)


def line_parts(
    pid: str, generator: str, difficulty: int, seed: int, question: str, expression: str, answer: str,
    meta: dict[str, Any],
) -> tuple[bytes, bytes]:
    """A record's JSONL line cut around its index: the line is ``head + str(index).encode() + tail``.

    Both halves are dumped by orjson exactly as the whole record would be (compact, fields in record order),
    so a worker can format a candidate before it is known which index, if any, it will get.
    """
    head = _dumps({"id": pid, "generator": generator, "difficulty": difficulty, "seed": seed})
    tail = _dumps({"question": question, "expression": expression, "answer": answer, "meta": meta},
                  option=orjson.OPT_APPEND_NEWLINE)
    return head[:-1] + b',"index":', b"," + tail[1:]


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
    from chukmath.generate.registry import get_family

    check_range(seed, count, start)
    family = get_family(name)
    config = family.config(difficulty, overrides)
    level = family.default_difficulty if difficulty is None else difficulty
    stream = Stream(family, config, level, stream_key(family, config, level, seed))
    return Run([stream], None, seed=seed, count=count, start=start)
