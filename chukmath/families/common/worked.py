"""Building blocks of the built-in teacher's alternative solution routes: a worked computation whose long
multiplications and divisions are broken into steps a small model can follow, and a check step that recomputes
the result another way and compares it with a target fixed before the result is used.

A route is a plain function ``Problem -> str``. It appends its claims to a :class:`Work`, builds a :class:`Check`
from the claimed result (not from the computation that produced it), and :func:`finish` assembles the trace.
A wrong result makes the check's last claim false, so a trace that copies the form but gets a number wrong fails
the verifier; :func:`finish` refuses to write a trace whose own check fails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import gcd

from chukmath.families.common.format import (
    OP_ADD,
    OP_DIV,
    OP_MUL,
    OP_SUB,
    Number,
    Style,
    assemble,
    claim,
    compute,
    step,
)
from chukmath.families.common.long_ops import detail_for, operation_lines
from chukmath.families.common.radicals import split_sqrt
from chukmath.families.common.signed_ops import signed_lines


def _exact(left: int, right: int) -> bool:
    return right not in (0, 1, -1) and left % right == 0


def _whole(value: Number) -> Number:
    """A fraction with denominator 1 as an ``int`` (so whole-number steps apply to it)."""
    return value.numerator if isinstance(value, Fraction) and value.denominator == 1 else value


def pick(problem_id: str, key: str, options: Sequence[str]) -> str:
    """One of ``options``, a pure function of the problem id and ``key`` (phrasing varies, builds stay identical)."""
    digest = hashlib.blake2b(f"{key}\x00{problem_id}".encode(), digest_size=8).digest()
    return options[int.from_bytes(digest, "little") % len(options)]


class Work:
    """A route's lines: prose and one true claim per operation; large integer products and quotients in steps."""

    def __init__(self, level: int = 3, style: Style = "fraction") -> None:
        self.lines: list[str] = []
        self.detail = detail_for(level)
        self.style: Style = style
        self._expanded: set[tuple[int, str, int]] = set()  # long operations already shown step by step

    def say(self, text: str) -> None:
        """A line of prose (no claim)."""
        self.lines.append(text)

    def op(self, left: Number, op: str, right: Number) -> Number:
        """``left op right``, one claim; a whole-number product or exact quotient first worked in the steps of
        :mod:`chukmath.families.common.long_ops` at the trace's difficulty (carries, partial products, long
        division), once per trace."""
        left, right = _whole(left), _whole(right)
        self._long(left, op, right)
        line, value = step(left, op, right, self.style)
        self.lines.append(line)
        return value

    def total(self, values: Iterable[Number]) -> Number:
        """Add left to right, one claim per addition."""
        items = list(values)
        value = items[0]
        for v in items[1:]:
            value = self.op(value, OP_ADD, v)
        return value

    def product(self, values: Iterable[Number]) -> Number:
        """Multiply left to right, one claim (or partial products) per multiplication."""
        items = list(values)
        value = items[0]
        for v in items[1:]:
            value = self.op(value, OP_MUL, v)
        return value

    def reduce(self, top: int, bottom: int) -> Fraction:
        """``top/bottom`` in lowest terms, the common factor divided out of both in view when there is one."""
        g = gcd(top, bottom)
        value = Fraction(top, bottom)
        if g > 1 and bottom != g:
            self.say(f"{top} and {bottom} share the factor {g}; divide both by it:")
            self.op(top, OP_DIV, g)
            self.op(bottom, OP_DIV, g)
        self.lines.append(claim(top, OP_DIV, bottom, value.numerator if value.denominator == 1 else value))
        return value

    def _long(self, left: Number, op: str, right: Number) -> None:
        """The long-operation steps before the claim ``left op right`` (a sum or difference through its signs,
        carries and borrows), unless this trace showed them already."""
        if type(left) is not int or type(right) is not int:
            return
        if op in (OP_ADD, OP_SUB):
            key = (left, op, right)
            if key not in self._expanded:
                self._expanded.add(key)
                self.lines.extend(signed_lines(left, op, right, self.detail, self.style))
            return
        if op != OP_MUL and not (op == OP_DIV and _exact(left, right)):
            return
        key = (left, op, right)
        if key not in self._expanded:
            self._expanded.add(key)
            self.lines.extend(operation_lines(left, op, right, self.detail))


class Check(Work):
    """The check step: recompute another way, then claim the recomputation equals a target fixed in advance.

    :meth:`expect` writes ``left op right = target`` without computing the right side from the left, so a wrong
    claimed result makes it false; :attr:`failed` lists those (always empty for a correct result).
    """

    def __init__(self, level: int = 3, style: Style = "fraction") -> None:
        super().__init__(level, style)
        self.failed: list[str] = []

    def expect(self, left: Number, op: str, right: Number, target: Number) -> None:
        """Claim ``left op right = target``; recorded in :attr:`failed` when it does not hold."""
        # in fraction style: a decimal right side would let a near miss pass as a rounded claim (2.501 = 2.5)
        left, right = _whole(left), _whole(right)
        self._long(left, op, right)
        line = claim(left, op, right, target)
        if compute(left, op, right) != target:
            self.failed.append(line)
        self.lines.append(line)


def finish(work: Work, check: Check, closing: str, answer: str, verifier_answer: str) -> str:
    """The trace: the route's work, its check, a closing sentence, the answer tags. Raises if the check fails."""
    if check.failed:
        raise AssertionError(f"the check step of this trace is false: {check.failed[0]}")
    return assemble([*work.lines, *check.lines, closing], answer, verifier_answer)


def _prime_pairs(n: int) -> list[tuple[int, int]]:
    """``n``'s prime factors with their exponents, smallest first (n >= 2; trial division, n is a small square)."""
    out: list[tuple[int, int]] = []
    p = 2
    while p * p <= n:
        e = 0
        while n % p == 0:
            n //= p
            e += 1
        if e:
            out.append((p, e))
        p += 1
    if n > 1:
        out.append((n, 1))
    return out


def square_root(work: Work, n: int, by_primes: bool = False) -> tuple[int, int]:
    """``√n = k√m`` with ``m`` square-free, shown as a perfect square, a square factor taken out, or (``by_primes``)
    the prime factors paired up; returns ``(k, m)``."""
    k, m = split_sqrt(n)
    if m == 1:
        work.say(f"{n} is a perfect square:")
        work.op(k, OP_MUL, k)
        return k, m
    if k == 1:
        work.say(f"{n} has no square factor other than 1, so √{n} stays as it is.")
        return k, m
    if by_primes:
        factors = _prime_pairs(n)
        shown = " × ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in factors)
        work.say(f"Factor {n} into primes: {n} = {shown}. Each pair of equal primes comes out of the root as one.")
    else:
        work.say(f"The largest square that divides {n} is {k * k}:")
    work.op(k * k, OP_MUL, m)
    work.say(f"So √{n} is √{k * k} × √{m}, that is {k}√{m}.")
    return k, m


def expect_square(check: Check, k: int | Fraction, m: int, target: int) -> None:
    """Square the claimed root ``k√m`` and compare with ``target``: ``k × k``, then ``× m``."""
    if m == 1:
        check.expect(k, OP_MUL, k, target)
        return
    kk = check.op(k, OP_MUL, k)
    check.expect(kk, OP_MUL, m, target)
