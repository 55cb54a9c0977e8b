"""Exact number formatting that reproduces sympy's ``str()`` without importing sympy in hot paths."""

from __future__ import annotations

from fractions import Fraction
from math import gcd


def rational_str(num: int, den: int = 1) -> str:
    """``str(sympy.Rational(num, den))``: ``-10/9``, ``3``; ``den`` must be non-zero."""
    if den < 0:
        num, den = -num, -den
    g = gcd(num, den)
    if g > 1:
        num //= g
        den //= g
    return str(num) if den == 1 else f"{num}/{den}"


def frac_str(value: Fraction) -> str:
    """``str()`` of the sympy Rational equal to ``value``."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def decimal_str(units: int, places: int) -> str:
    """The decimal literal for ``units / 10**places`` (``25, 1`` -> ``2.5``; ``-5, 2`` -> ``-0.05``)."""
    if places == 0:
        return str(units)
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def terminating_decimal(value: Fraction, max_places: int = 12) -> str | None:
    """The exact decimal text of ``value`` if it terminates within ``max_places`` digits, else None."""
    for places in range(max_places + 1):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return decimal_str(scaled.numerator, places)
    return None


def linear_str(coef: Fraction, var: str, const: Fraction) -> str:
    """Python/sympy text of ``coef*var + const`` in sympy's usual shape (``2*x + 3``, ``-x - 1/2``, ``x/3``)."""
    parts: list[str] = []
    if coef != 0:
        parts.append(term_str(coef, var))
    if const != 0 or not parts:
        c = frac_str(abs(const)) if parts else frac_str(const)
        if parts:
            parts.append(("- " if const < 0 else "+ ") + c)
        else:
            parts.append(c)
    return " ".join(parts)


def term_str(coef: Fraction, var: str) -> str:
    """``coef*var`` as sympy prints it: ``x``, ``-x``, ``3*x``, ``x/2``, ``3*x/4``, ``-3*x/4``."""
    sign = "-" if coef < 0 else ""
    n, d = abs(coef.numerator), coef.denominator
    head = var if n == 1 else f"{n}*{var}"
    return f"{sign}{head}" if d == 1 else f"{sign}{head}/{d}"


def signed_join(terms: list[tuple[int, str]]) -> str:
    """Join ``(sign, text)`` terms as ``a + b - c``; the first keeps a bare ``-``."""
    out = ""
    for i, (s, text) in enumerate(terms):
        if i == 0:
            out = f"-{text}" if s < 0 else text
        else:
            out += f" - {text}" if s < 0 else f" + {text}"
    return out
