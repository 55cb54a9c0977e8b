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
from chukmath.families.common.radicals import split_sqrt

# From which product size a multiplication of two numbers of two or more digits is shown by partial products.
# Easy levels show the method on small products; harder levels keep mid-size products on one line so the
# trace stays readable while the numbers grow.
_SPLIT_FROM = {1: 100, 2: 100, 3: 1000, 4: 10000, 5: 10000}


def pick(problem_id: str, key: str, options: Sequence[str]) -> str:
    """One of ``options``, a pure function of the problem id and ``key`` (phrasing varies, builds stay identical)."""
    digest = hashlib.blake2b(f"{key}\x00{problem_id}".encode(), digest_size=8).digest()
    return options[int.from_bytes(digest, "little") % len(options)]


def _places(n: int) -> list[int]:
    """``326`` -> ``[300, 20, 6]``: the non-zero place values of a non-negative integer, largest first."""
    digits = str(n)
    size = len(digits)
    return [int(d) * 10 ** (size - 1 - i) for i, d in enumerate(digits) if d != "0"]


class Work:
    """A route's lines: prose and one true claim per operation; large integer products and quotients in steps."""

    def __init__(self, level: int = 3, style: Style = "fraction") -> None:
        self.lines: list[str] = []
        self.split_from = _SPLIT_FROM.get(level, 1000)
        self.style: Style = style
        self._expanded: set[tuple[int, str, int]] = set()  # long operations already shown step by step

    def say(self, text: str) -> None:
        """A line of prose (no claim)."""
        self.lines.append(text)

    def op(self, left: Number, op: str, right: Number) -> Number:
        """``left op right``, one claim; a large integer product by partial products, a large exact quotient by
        chunks of the quotient."""
        if isinstance(left, Fraction) and left.denominator == 1:
            left = left.numerator
        if isinstance(right, Fraction) and right.denominator == 1:
            right = right.numerator
        if type(left) is int and type(right) is int:
            if op == OP_MUL and self._splits(left, right) and self._first_time(left, op, right):
                return self._long_multiply(left, right)
            exact = right not in (0, 1, -1) and left % right == 0
            if op == OP_DIV and exact and self._splits(left, right) and self._first_time(left, op, right):
                return self._long_divide(left, right)
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

    def _splits(self, left: int, right: int) -> bool:
        return abs(left) >= 10 and abs(right) >= 10 and abs(left * right) >= self.split_from

    def _first_time(self, left: int, op: str, right: int) -> bool:
        """Whether this long operation is new to the trace (a repeat is one line: it was shown in steps above)."""
        key = (left, op, right)
        if key in self._expanded:
            return False
        self._expanded.add(key)
        return True

    def _long_multiply(self, left: int, right: int) -> int:
        big, small = (abs(left), abs(right)) if abs(left) >= abs(right) else (abs(right), abs(left))
        parts = _places(small)
        if len(parts) < 2:
            # one non-zero digit: split the other factor instead (600 × 47 = 600 × 40 + 600 × 7)
            big, small = small, big
            parts = _places(small)
        if len(parts) < 2:
            line, value = step(left, OP_MUL, right)
            self.lines.append(line)
            return int(value)
        self.say(f"Multiply {big} by {small} in parts, {' + '.join(map(str, parts))}:")
        products = []
        for part in parts:
            line, value = step(big, OP_MUL, part)
            self.lines.append(line)
            products.append(value)
        value = products[0]
        for p in products[1:]:
            line, value = step(value, OP_ADD, p)
            self.lines.append(line)
        result = left * right
        self.lines.append(claim(left, OP_MUL, right, result))
        return result

    def _long_divide(self, left: int, right: int) -> int:
        quotient = left // right
        parts = _places(abs(quotient))
        if len(parts) < 2:
            self.lines.append(claim(left, OP_DIV, right, quotient))
            return quotient
        divisor, rest = abs(right), abs(left)
        self.say(f"Divide {abs(left)} by {divisor} in chunks, taking away {divisor} times a round number each time:")
        for part in parts:
            line, taken = step(divisor, OP_MUL, part)
            self.lines.append(line)
            line, rest = step(rest, OP_SUB, taken)
            self.lines.append(line)
        line, _ = step(parts[0], OP_ADD, parts[1])
        total = parts[0] + parts[1]
        self.lines.append(line)
        for part in parts[2:]:
            line, total = step(total, OP_ADD, part)
            self.lines.append(line)
        self.lines.append(claim(left, OP_DIV, right, quotient))
        return quotient


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
