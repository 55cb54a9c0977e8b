"""One item of a run, as the serial loop and the worker processes both need it: its id, its JSONL line, and the
filter that skips questions seen before."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from chukmath.hashing import content_hash
from chukmath.records import Problem

# Consecutive rejected candidates after which a stream is declared exhausted (its question space is used up).
MAX_MISSES = 5000
_BLOOM_LOG2 = 26  # 2**26 bits = 8 MiB, fixed so that every slice sees the same false positives
_MASK = (1 << _BLOOM_LOG2) - 1
_blake2b = hashlib.blake2b
_dumps = orjson.dumps
# A problem line's fields before and after its index (chukmath.records.Problem's order).
_HEAD_FIELDS = Problem.FIELDS[: Problem.FIELDS.index("index")]
_TAIL_FIELDS = Problem.FIELDS[Problem.FIELDS.index("index") + 1 :]


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


def problem_id(generator: str, difficulty: int, question: str, expression: str, answer: str) -> str:
    """A problem's id: :func:`chukmath.hashing.content_hash` of these five fields."""
    return content_hash(
        {"generator": generator, "difficulty": difficulty, "question": question, "expression": expression,
         "answer": answer}
    )


def line_parts(
    pid: str, generator: str, difficulty: int, seed: int, question: str, expression: str, answer: str,
    meta: dict[str, Any],
) -> tuple[bytes, bytes]:
    """A record's JSONL line cut around its index: the line is ``head + str(index).encode() + tail``.

    Both halves are dumped by orjson exactly as the whole record would be (compact, fields in record order),
    so a worker can format a candidate before it is known which index, if any, it will get.
    """
    head = _dumps(dict(zip(_HEAD_FIELDS, (pid, generator, difficulty, seed), strict=True)))
    tail = _dumps(dict(zip(_TAIL_FIELDS, (question, expression, answer, meta), strict=True)),
                  option=orjson.OPT_APPEND_NEWLINE)
    return head[:-1] + b',"index":', b"," + tail[1:]
