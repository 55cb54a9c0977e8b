"""A held-out split that is held out: train/test assignment with no shared question and no shared expression.

Two problems are "the same" for contamination when their normalised questions are equal (whitespace, case,
number formatting: ``1,000`` = ``1000``, ``2.50`` = ``2.5``, ``2+3`` = ``2 + 3``) or their expressions are. A
split by one hash cannot keep both keys apart (same expression, different wording; same wording, different
expression), so the assignment is made in problem order:

1. the *primary* split is a hash of the expression (of the normalised question when there is none): equal
   expressions always agree, in every run and with any seed;
2. a problem takes its primary split unless a problem before it in the other split shares its question or its
   expression; then it takes the other split, and if that is blocked too it is held out of both.

Problem *i*'s split therefore depends only on problems ``0..i`` (like the generator's de-duplication), so it is
stable when ``--count`` grows, and no key ever occurs in both splits. "Seen before" is kept in fixed-size Bloom
filters: a false positive only moves a problem (identically in every run), a false negative cannot happen.
:func:`measure_overlap` checks the result exactly, independently of the assignment.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from chukmath.errors import ConfigError
from chukmath.records import Problem

Split = Literal["train", "test"]
TRAIN: Split = "train"
TEST: Split = "test"
METHOD = (
    "primary split by a hash of the expression (else the normalised question); a problem that shares its "
    "normalised question or expression with an earlier problem of the other split follows that split, and one "
    "blocked both ways is held out of both; overlap measured exactly on normalised questions and expressions"
)
DEFAULT_TEST_FRACTION = 0.1

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TRAILING_ZEROS = re.compile(r"(\d)\.(\d*?)0+(?!\d)")
_TOKENS = re.compile(r"\w+|[^\w\s]")
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "*", "\u00f7": "/"})


def normalize_question(text: str) -> str:
    """The question as compared for contamination: NFKC, case-folded, digit grouping and trailing decimal zeros
    removed, one space between word and symbol tokens (so ``What's 1,000+2.50?`` = ``what ' s 1000 + 2.5 ?``)."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    text = _THOUSANDS.sub("", text)
    text = _TRAILING_ZEROS.sub(lambda m: m[1] + ("." + m[2] if m[2] else ""), text)
    return " ".join(_TOKENS.findall(text))


def normalize_expression(expression: str) -> str:
    """The expression as compared: without whitespace (``2*x + 2`` = ``2*x+2``)."""
    return "".join(expression.split())


def _digest(kind: bytes, text: str) -> bytes:
    return hashlib.blake2b(kind + b"\0" + text.encode(), digest_size=16).digest()


def problem_keys(question: str, expression: str) -> tuple[bytes, bytes | None]:
    """The 16-byte keys of a problem: its normalised question and (when it has one) its expression."""
    expr = normalize_expression(expression)
    return _digest(b"q", normalize_question(question)), (_digest(b"e", expr) if expr else None)


@dataclass(frozen=True, slots=True)
class SplitSpec:
    """``[split]``: the test share as a fraction (``test = 0.1``) and/or a size (``test_count = 500``).

    With only ``test_count``, problems are drawn into test at the default fraction until it holds that many.
    """

    test: float | None = None
    test_count: int | None = None

    def __post_init__(self) -> None:
        if self.test is None and self.test_count is None:
            raise ConfigError("[split] needs test = <fraction, e.g. 0.1> or test_count = <problems, e.g. 500>")
        if self.test is not None and not 0.0 < self.test < 1.0:
            raise ConfigError(f"[split] test = {self.test}: the test fraction must be between 0 and 1 (e.g. 0.1)")
        if self.test_count is not None and self.test_count < 1:
            raise ConfigError(f"[split] test_count = {self.test_count}: must be at least 1")

    @property
    def fraction(self) -> float:
        return self.test if self.test is not None else DEFAULT_TEST_FRACTION

    def to_dict(self) -> dict[str, Any]:
        return {"test": self.test, "test_count": self.test_count}


class _Bloom:
    """Fixed-size Bloom filter of 16-byte keys (three 26-bit positions from the key itself)."""

    __slots__ = ("_bits",)
    _LOG2 = 26
    _MASK = (1 << _LOG2) - 1

    def __init__(self) -> None:
        self._bits = bytearray(1 << (self._LOG2 - 3))

    def _positions(self, key: bytes) -> tuple[int, int, int]:
        h = int.from_bytes(key, "little")
        return h & self._MASK, (h >> 40) & self._MASK, (h >> 80) & self._MASK

    def __contains__(self, key: bytes) -> bool:
        bits = self._bits
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))

    def add(self, key: bytes) -> None:
        for p in self._positions(key):
            self._bits[p >> 3] |= 1 << (p & 7)


class Splitter:
    """Assigns problems to ``train``/``test`` (or None: held out of both) — call :meth:`assign` in problem order."""

    def __init__(self, spec: SplitSpec) -> None:
        self.spec = spec
        self._threshold = int(spec.fraction * 2**64)
        self._seen = {TRAIN: _Bloom(), TEST: _Bloom()}
        self.counts = {TRAIN: 0, TEST: 0, "held_out": 0, "moved": 0}

    def primary(self, question: str, expression: str) -> Split:
        """The split a problem's own hash asks for (before any conflict with earlier problems)."""
        q, e = problem_keys(question, expression)
        return self._primary(e if e is not None else q)

    def _primary(self, key: bytes) -> Split:
        return TEST if int.from_bytes(key[:8], "little") < self._threshold else TRAIN

    def assign(self, problem: Problem) -> Split | None:
        """The split of the next problem; None when its question and expression pull it into both."""
        q, e = problem_keys(problem.question, problem.expression)
        keys = (q,) if e is None else (q, e)
        first = self._primary(e if e is not None else q)
        full = self.spec.test_count is not None and self.counts[TEST] >= self.spec.test_count
        if first == TEST and full:
            first = TRAIN
        chosen: Split | None = None
        for split in (first, TEST if first == TRAIN else TRAIN):
            other = self._seen[TRAIN if split == TEST else TEST]
            if any(k in other for k in keys) or (split == TEST and full):
                continue
            chosen = split
            break
        if chosen is None:
            self.counts["held_out"] += 1
            return None
        if chosen != first:
            self.counts["moved"] += 1
        seen = self._seen[chosen]
        for k in keys:
            seen.add(k)
        self.counts[chosen] += 1
        return chosen

    def report(self) -> dict[str, Any]:
        """What the splitter did (problems per split, moved by a conflict, held out of both) and how."""
        return {
            **self.spec.to_dict(),
            "method": METHOD,
            "problems": {TRAIN: self.counts[TRAIN], TEST: self.counts[TEST]},
            "moved": self.counts["moved"],
            "held_out": self.counts["held_out"],
        }


class OverlapCheck:
    """Counts exactly how many train problems share a normalised question or an expression with a test problem.

    Test keys are held in memory (the test split is the small one); train keys are spooled to a temporary file,
    so problems may arrive in any order and memory stays bounded by the test split.
    """

    _NONE = bytes(16)

    def __init__(self) -> None:
        self._questions: set[bytes] = set()
        self._expressions: set[bytes] = set()
        self._train = tempfile.TemporaryFile()
        self.problems = {TRAIN: 0, TEST: 0}

    def add(self, split: Split, question: str, expression: str) -> None:
        q, e = problem_keys(question, expression)
        self.problems[split] += 1
        if split == TEST:
            self._questions.add(q)
            if e is not None:
                self._expressions.add(e)
        else:
            self._train.write(q + (e if e is not None else self._NONE))

    def result(self) -> dict[str, Any]:
        """``{"questions": n, "expressions": m, "method": ...}``: train problems sharing each key with test."""
        shared_q = shared_e = 0
        self._train.seek(0)
        while block := self._train.read(32 * 4096):
            for start in range(0, len(block), 32):
                shared_q += block[start : start + 16] in self._questions
                e = block[start + 16 : start + 32]
                shared_e += e != self._NONE and e in self._expressions
        self._train.close()
        return {
            "questions": shared_q,
            "expressions": shared_e,
            "method": "exact: train problems whose normalised question or whitespace-free expression is a test "
            "problem's",
        }


def measure_overlap(train: Iterable[tuple[str, str]], test: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Exactly how many ``train`` problems share a normalised question or an expression with a ``test`` problem
    (each an iterable of ``(question, expression)``)."""
    check = OverlapCheck()
    for question, expression in test:
        check.add(TEST, question, expression)
    for question, expression in train:
        check.add(TRAIN, question, expression)
    return check.result()
