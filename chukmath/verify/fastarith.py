"""Exact evaluation of plain arithmetic (numbers, ``+ - * / ^``, brackets) straight from step tokens.

The step checker evaluates thousands of sides like ``2700 ÷ 100`` or ``(-7/2) + 1/2`` per second. Going through
text, the general grammar and the polynomial canonical form costs ~50 µs a side; this evaluator works on the
tokens the step checker already has, with ints and ``Fraction``s, in a few µs.

It is a strict subset of the general path, never a second opinion: it follows the grammar's precedence exactly
(``^`` right-associative and above unary minus, ``-2^2 = -4``; implicit products such as ``2(3 + 4)`` bind like
a power; two numbers in a row are not an expression), and whenever the general path could answer differently
— a cap it would hit (digits, coefficient bits, exponents), a non-integer or huge exponent, ``0`` raised to
anything, division by zero, deep nesting — it returns :data:`FALLBACK` and the caller runs the general path.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Final, Protocol

from chukmath.verify import canonical as cf
from chukmath.verify.grammar import MAX_DIGITS

MAX_FAST_TOKENS = 64
MAX_FAST_DEPTH = 24


class _Token(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...


class Fallback:
    """Marker: the fast evaluator declines; the caller must use the general grammar."""

    def __repr__(self) -> str:
        return "FALLBACK"


FALLBACK: Final = Fallback()
_CLOSE = {"(": ")", "[": "]", "{": "}"}

Number = int | Fraction


class _Decline(Exception):
    """Raised inside the evaluator to unwind to :func:`evaluate_tokens`, which returns FALLBACK."""


class _Fail(Exception):
    """The tokens are not an expression the grammar accepts either (the general path would also fail)."""


def _bits_ok(v: Number) -> Number:
    # canonical._check raises TooComplex beyond MAX_BITS; leave those to the general path
    if isinstance(v, int):
        if v.bit_length() > cf.MAX_BITS:
            raise _Decline
    elif v.numerator.bit_length() > cf.MAX_BITS or v.denominator.bit_length() > cf.MAX_BITS:
        raise _Decline
    return v


def _literal(text: str) -> Number:
    text = text.replace(",", "")
    if len(text) > MAX_DIGITS:
        raise _Decline
    if text.isdecimal():
        return int(text)
    whole, _, frac = text.partition(".")
    value = Fraction(int((whole or "0") + frac), 10 ** len(frac))
    return value.numerator if value.denominator == 1 else value


class _Eval:
    """Recursive descent mirroring :class:`chukmath.verify.grammar._Parser` on step tokens."""

    __slots__ = ("depth", "i", "toks")

    def __init__(self, toks: Sequence[_Token]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def _peek(self) -> tuple[str, str]:
        if self.i < len(self.toks):
            t = self.toks[self.i]
            return t.kind, t.text
        return "end", ""

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_FAST_DEPTH:
            raise _Decline

    def expr(self) -> Number:
        self._enter()
        value = self.term()
        while True:
            kind, text = self._peek()
            if kind != "op" or text not in ("+", "-"):
                break
            self.i += 1
            rhs = self.term()
            value = _bits_ok(value + rhs if text == "+" else value - rhs)
        self.depth -= 1
        return value

    def term(self) -> Number:
        value = self.unary()
        while True:
            kind, text = self._peek()
            if kind == "op" and text in ("*", "/"):
                self.i += 1
                rhs = self.unary()
                if text == "*":
                    value = _bits_ok(value * rhs)
                else:
                    if rhs == 0:
                        raise _Decline  # the general path reports "no value"; let it say so
                    value = _bits_ok(_div(value, rhs))
            elif kind == "num" or kind == "lp":
                if kind == "num" and self.toks[self.i - 1].kind == "num":
                    raise _Fail
                value = _bits_ok(value * self.power())
            else:
                return value

    def unary(self) -> Number:
        kind, text = self._peek()
        if kind == "op" and text in ("+", "-"):
            self.i += 1
            self._enter()
            arg = self.unary()
            self.depth -= 1
            return arg if text == "+" else -arg
        return self.power()

    def power(self) -> Number:
        base = self.primary()
        kind, text = self._peek()
        if kind == "op" and text in ("^", "**"):
            self.i += 1
            self._enter()
            exp = self.unary()
            self.depth -= 1
            return _pow(base, exp)
        return base

    def primary(self) -> Number:
        self._enter()
        kind, text = self._peek()
        self.i += 1
        if kind == "num":
            value = _literal(text)
        elif kind == "lp":
            value = self.expr()
            ckind, ctext = self._peek()
            self.i += 1
            if ckind != "rp" or ctext != _CLOSE[text]:
                raise _Fail
        else:
            raise _Decline  # "|", an operator where a value belongs, a word: the grammar's business
        self.depth -= 1
        return value


def _div(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int):
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    v = Fraction(a) / b
    return v.numerator if v.denominator == 1 else v


def _pow(base: Number, exp: Number) -> Number:
    """Integer powers of a non-zero rational within canonical.pow_int's caps; anything else declines."""
    if isinstance(exp, Fraction) or base == 0:
        raise _Decline
    n = exp
    if n == 0:
        return 1
    b = Fraction(base)
    bits = max(b.numerator.bit_length(), b.denominator.bit_length(), 1)
    if bits * abs(n) > cf.MAX_BITS or abs(n) > cf.MAX_ATOM_EXPONENT:
        raise _Decline
    v = b**n
    return v.numerator if v.denominator == 1 else v


def evaluate_tokens(toks: Sequence[_Token]) -> Fraction | Fallback | None:
    """The exact value of a token list (kinds num/op/lp/rp), None when it is not an expression, else FALLBACK."""
    if not toks or len(toks) > MAX_FAST_TOKENS:
        return FALLBACK
    ev = _Eval(toks)
    try:
        value = ev.expr()
    except _Decline:
        return FALLBACK
    except _Fail:
        return None
    if ev.i != len(toks):
        return FALLBACK  # a stray closer or similar: let the grammar produce its verdict
    return Fraction(value)
