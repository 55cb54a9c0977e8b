"""The fast exact path: plain numbers as ``Fraction``s, and the rule for decimal approximations.

Most answers in a math dataset are integers, fractions or decimals. Comparing those as exact rationals with a
regular expression and ``fractions.Fraction`` costs microseconds and never imports sympy; the symbolic machinery
runs only when one side is not a plain number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# Digits are capped so that a 5,000-digit "number" is refused before int() spends time on it.
MAX_PLAIN_CHARS = 80
MAX_EXPONENT = 400
MIN_SIGNIFICANT_DIGITS = 6

_PLAIN = re.compile(r"([+\-−]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+\-]?\d{1,4}))?")
_THOUSANDS = re.compile(r"[+\-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_FRACTION = re.compile(r"([+\-−]?)(\d+)\s*/\s*([+\-−]?)(\d+)")


@dataclass(frozen=True, slots=True)
class Decimal:
    """A decimal literal as written: its exact value, its resolution ``10**quantum`` and significant digits."""

    value: Fraction
    quantum: int
    significant: int


def parse_plain(text: str) -> Fraction | None:
    """The exact value of a plain integer, decimal, scientific literal or ``p/q``; None for anything else."""
    if len(text) > MAX_PLAIN_CHARS:
        return None
    if text.isdecimal():  # the most common answer of all, without a regex (isdigit would let "²" through)
        return Fraction(int(text))
    m = _THOUSANDS.fullmatch(text)
    if m is not None:
        text = text.replace(",", "")
    m = _PLAIN.fullmatch(text)
    if m is not None:
        dec = _decimal(m)
        return None if dec is None else dec.value
    m = _FRACTION.fullmatch(text)
    if m is None or int(m.group(4)) == 0:
        return None
    value = Fraction(int(m.group(2)), int(m.group(4)))
    negative = (m.group(1) != "") != (m.group(3) != "")
    return -value if negative else value


def parse_decimal(text: str) -> Decimal | None:
    """A decimal or scientific literal with its precision (for the approximation rule); None otherwise."""
    if len(text) > MAX_PLAIN_CHARS:
        return None
    m = _PLAIN.fullmatch(text.strip())
    if m is None or ("." not in m.group(2) and m.group(3) is None):
        return None
    return _decimal(m)


def _decimal(m: re.Match[str]) -> Decimal | None:
    sign, body, exponent = m.group(1), m.group(2), m.group(3)
    scale = int(exponent) if exponent else 0
    if abs(scale) > MAX_EXPONENT:
        return None
    whole, _, frac = body.partition(".")
    digits = (whole + frac).lstrip("0")
    mantissa = int(whole + frac) if whole + frac else 0
    quantum = scale - len(frac)
    value = Fraction(mantissa, 10**-quantum) if quantum <= 0 else Fraction(mantissa * 10**quantum)
    # "+5.5" is positive: only a minus sign (ASCII or Unicode) negates
    return Decimal(-value if sign in ("-", "−") else value, quantum, len(digits))


def is_terminating(value: Fraction) -> bool:
    """True when ``value`` has a finite decimal expansion (its denominator has no primes but 2 and 5)."""
    den = value.denominator
    for p in (2, 5):
        while den % p == 0:
            den //= p
    return den == 1


def _trunc(s: Fraction) -> int:
    return s.numerator // s.denominator if s >= 0 else -((-s).numerator // s.denominator)


def round_half_away(s: Fraction) -> int:
    """``s`` rounded to an integer half away from zero, the way people round by hand."""
    return (s + Fraction(1, 2)).__floor__() if s >= 0 else -((-s + Fraction(1, 2)).__floor__())


def approximates_real(
    dec: Decimal, lower: Fraction, upper: Fraction, min_digits: int = MIN_SIGNIFICANT_DIGITS
) -> bool:
    """Whether a decimal of ``min_digits`` or more significant digits is a value in ``[lower, upper]`` rounded or
    cut off at its last digit (``lower == upper`` for a rational value, else a tight numeric enclosure).

    Both ends must round (or both truncate) to the decimal, so an enclosure that straddles a rounding
    boundary answers False rather than guessing.
    """
    if dec.significant < min_digits:
        return False
    step = Fraction(10) ** dec.quantum
    target = dec.value / step
    lo, hi = lower / step, upper / step
    return (round_half_away(lo) == target == round_half_away(hi)) or (_trunc(lo) == target == _trunc(hi))
