"""When a number that is not the exact answer still counts: the rounding a question asks for, and ``--tolerance``.

By default an answer must be exact. A rounded decimal (``1017.44`` for ``9157/9``) is accepted only when the
question asked for that rounding ("Round to 2 decimal places", "to the nearest hundredth", "to the nearest whole
number", "to 3 significant figures"): then the answer must equal the exact value rounded half away from zero to
that precision. A user may allow more with a :class:`Tolerance`:

- ``asked`` (the default): only the rounding the question asks for.
- ``abs:X``: also any number within ``X`` of the exact value (``|answer - exact| <= X``).
- ``rel:X``: also any number within ``X`` times the exact value's size (``|answer - exact| <= X * |exact|``).
- ``digits:N``: also a decimal with at least ``N`` significant digits that is the exact value rounded or cut
  off at its last digit, for an exact value with no finite decimal form (``0.333333`` for ``1/3`` with N = 6).

Only plain numbers (integers, decimals, ``p/q``) are compared this way, and only with answers that are numbers.

Two named approximation policies say which of these a use of the verifier takes:

- ``exact`` (``asked``; what ``build`` uses by default): training data states exact values.
- ``graded`` (``rel:1e-4``; what ``eval`` and the rewards use): a number within a relative precision of 10^-4 of
  the exact value counts too, so ``0.3333`` for ``1/3``, ``4.1231056256`` for ``sqrt(17)`` or float noise such as
  ``0.30000000000000004`` for ``3/10``; ``0.333``, ``12.33`` for ``37/3`` and ``3.14`` for ``pi`` do not. The
  rounding a question asks for counts under both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from chukmath.errors import ConfigError
from chukmath.verify.numbers import Decimal, approximates_real, is_terminating, round_half_away

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10}  # fmt: skip
_COUNT = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
# Each pattern is a fixed phrase with single \s+ gaps and no nested repetition: linear in the question.
_PLACES = re.compile(rf"\b{_COUNT}\s+decimal\s+(?:places?|digits?)\b|\b{_COUNT}\s+d\.\s?p\.", re.IGNORECASE)
_SIGNIFICANT = re.compile(rf"\b{_COUNT}\s+(?:significant\s+(?:figures?|digits?)|sig\.?\s+figs?\.?|s\.\s?f\.)",
                          re.IGNORECASE)  # fmt: skip
_NEAREST = re.compile(
    r"\bnearest\s+(whole\s+number|integer|whole|unit|tenth|hundredth|thousandth|ten-thousandth|ten|hundred|"
    r"thousand)s?\b",
    re.IGNORECASE,
)
_NEAREST_PLACES = {"whole number": 0, "integer": 0, "whole": 0, "unit": 0, "tenth": 1, "hundredth": 2,
                   "thousandth": 3, "ten-thousandth": 4, "ten": -1, "hundred": -2, "thousand": -3}  # fmt: skip
_ROUND_WORDS = re.compile(r"\b(?:round|rounded|rounding|correct|accurate|approximate|approximately)\b", re.IGNORECASE)
MAX_QUESTION = 20_000  # a question longer than this is not searched for a rounding request


@dataclass(frozen=True, slots=True)
class Rounding:
    """The precision a question asks for: ``places`` decimal places (negative: tens, hundreds) or ``significant``."""

    places: int | None = None
    significant: int | None = None

    def __str__(self) -> str:
        if self.significant is not None:
            return f"{self.significant} significant figures"
        return f"{self.places} decimal places"


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


@lru_cache(maxsize=4096)
def requested_rounding(question: str) -> Rounding | None:
    """The rounding ``question`` asks for, or None: "round ... to N decimal places", "to the nearest tenth", ...

    "Nearest" phrases count on their own ("to the nearest whole number"); "N decimal places" and "N significant
    figures" only in a question that also says round, correct, accurate or approximate, so a question *about*
    decimal places ("How many decimal places does 1/8 have?") asks for no rounding.
    """
    if not question or len(question) > MAX_QUESTION:
        return None
    m = _NEAREST.search(question)
    if m is not None:
        return Rounding(places=_NEAREST_PLACES[" ".join(m.group(1).lower().split())])
    if _ROUND_WORDS.search(question) is None:
        return None
    m = _SIGNIFICANT.search(question)
    if m is not None:
        digits = _count(m.group(1))
        return Rounding(significant=digits) if digits > 0 else None
    m = _PLACES.search(question)
    if m is not None:
        return Rounding(places=_count(m.group(1) or m.group(2)))
    return None


def _places_for(rounding: Rounding, value: Fraction) -> int | None:
    if rounding.places is not None:
        return rounding.places
    if not value:
        return None  # zero has no significant figures to count
    assert rounding.significant is not None
    size = abs(value)
    exponent = len(str(size.numerator)) - len(str(size.denominator))  # 10**exponent is within 10x of size
    while Fraction(10) ** exponent > size:
        exponent -= 1
    while Fraction(10) ** (exponent + 1) <= size:
        exponent += 1
    return rounding.significant - 1 - exponent


def rounded(value: Fraction, rounding: Rounding) -> Fraction | None:
    """``value`` rounded half away from zero to what ``rounding`` asks; None when that is undefined (0 to N s.f.)."""
    places = _places_for(rounding, value)
    if places is None:
        return None
    step = Fraction(1, 10**places) if places >= 0 else Fraction(10 ** -places)
    return round_half_away(value / step) * step


@dataclass(frozen=True, slots=True)
class Tolerance:
    """What else counts beyond exact values and the rounding a question asks for (see the module docstring)."""

    kind: str = "asked"
    amount: Fraction = Fraction(0)

    @classmethod
    def from_spec(cls, spec: str) -> Tolerance:
        """``asked``, ``abs:X``, ``rel:X`` (X a non-negative decimal such as ``0.01`` or ``1e-6``) or ``digits:N``."""
        text = spec.strip()
        if text == "asked":
            return cls()
        if text in ("exact", "graded"):  # the named approximation policies
            return cls() if text == "exact" else cls("rel", GRADED_PRECISION)
        kind, _, amount = text.partition(":")
        try:
            value = Fraction(amount.strip())
        except (ValueError, ZeroDivisionError):
            value = Fraction(-1)
        if kind == "digits" and value.denominator == 1 and 1 <= value <= 100:
            return cls("digits", value)
        if kind in ("abs", "rel") and value >= 0:
            return cls(kind, value)
        raise ConfigError(
            f"tolerance {spec!r}: use 'asked' or 'exact' (only the rounding a question asks for), 'graded' (also "
            "within a relative 1e-4), 'abs:X' (within X of the exact value), 'rel:X' (within X times its size) or "
            "'digits:N' (a decimal of N or more significant digits, rounded or cut off), e.g. 'rel:1e-6'"
        )

    def spec(self) -> str:
        """The tolerance written back as its spec string (for stats and dataset cards)."""
        if self.kind == "asked":
            return "asked"
        if self.kind == "rel" and self.amount == GRADED_PRECISION:
            return "graded"
        amount = str(int(self.amount)) if self.amount.denominator == 1 else str(float(self.amount))
        return f"{self.kind}:{amount}"


DEFAULT_TOLERANCE = Tolerance()
# The approximation policies by name (module docstring): exact values for training data, a stated relative
# precision for measuring and rewarding a model.
GRADED_PRECISION = Fraction(1, 10_000)
EXACT = DEFAULT_TOLERANCE
GRADED = Tolerance("rel", GRADED_PRECISION)
POLICIES = {"exact": EXACT, "graded": GRADED}


def close_enough(
    answer: Fraction,
    decimal: Decimal | None,
    lower: Fraction,
    upper: Fraction,
    rounding: Rounding | None,
    tolerance: Tolerance,
) -> bool:
    """Whether a number that is not exactly the answer counts for an exact value known to lie in [lower, upper].

    ``lower == upper`` for a rational value; an irrational one comes as a tight enclosure, and every rule must
    hold at both ends, so a value too close to a rounding boundary to tell is not accepted.
    """
    if rounding is not None:
        low, high = rounded(lower, rounding), rounded(upper, rounding)
        if low is not None and low == high == answer:
            return True
    if tolerance.kind == "abs":
        return max(abs(answer - lower), abs(answer - upper)) <= tolerance.amount
    if tolerance.kind == "rel":
        size = min(abs(lower), abs(upper)) if (lower > 0) == (upper > 0) else Fraction(0)
        return max(abs(answer - lower), abs(answer - upper)) <= tolerance.amount * size
    if tolerance.kind == "digits" and decimal is not None:
        if lower == upper and is_terminating(lower):
            return False  # 3/4 has a finite decimal form, 0.75, and must be written so
        return approximates_real(decimal, lower, upper, int(tolerance.amount))
    return False


@lru_cache(maxsize=64)
def tolerance_of(spec: str) -> Tolerance:
    """``Tolerance.from_spec`` for a spec string used once per response (parsed once; raises ConfigError)."""
    return Tolerance.from_spec(spec)
