"""Shared pieces for linear traces: reading linear sides exactly and writing them for prose.

Linear forms are written coefficient-first (``2x + 3y - 5``, ``(1/2)x``) so that no digit ever sits
right before an operator next to ``=`` in an equation line: a step checker must not mistake ``x/2 + 1 = 4``
for the false claim ``2 + 1 = 4``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.errors import InputError
from chukmath.teach.traces.format import Number, num


def to_fraction(value: Any, where: str) -> Fraction:
    """A sympy Rational as a Fraction; anything else (a radical, a float) is refused."""
    if getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    raise InputError(f"{where}: coefficient {value} is not an exact rational number; expected a linear problem")


def _coefficient_text(value: Number) -> str:
    if type(value) is int:  # most coefficients: what the Fraction path below writes for them, without one
        return "" if value == 1 or value == -1 else str(abs(value))
    magnitude = abs(value)
    if magnitude == 1:
        return ""
    text = num(magnitude)
    return f"({text})" if "/" in text else text


def linear_text(coefficients: list[Number], names: list[str], constant: Number = 0) -> str:
    """``2x - y + 3``: coefficient-first terms, then the constant; ``0`` when everything vanishes."""
    parts: list[str] = []
    for coefficient, name in zip(coefficients, names, strict=True):
        if coefficient == 0:
            continue
        term = f"{_coefficient_text(coefficient if type(coefficient) is int else Fraction(coefficient))}{name}"
        if not parts:
            parts.append(f"-{term}" if coefficient < 0 else term)
        else:
            parts.append(f"- {term}" if coefficient < 0 else f"+ {term}")
    if constant != 0 or not parts:
        if not parts:
            parts.append(num(constant))
        else:
            parts.append(f"- {num(abs(constant))}" if constant < 0 else f"+ {num(constant)}")
    return " ".join(parts)


def term_text(coefficient: Number, name: str) -> str:
    """One term like ``3x`` or ``(1/2)y`` (sign included)."""
    return linear_text([coefficient], [name])
