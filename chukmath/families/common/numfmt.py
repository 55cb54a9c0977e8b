"""Exact number formatting that reproduces sympy's ``str()`` without importing sympy in hot paths."""

from __future__ import annotations

from fractions import Fraction


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
