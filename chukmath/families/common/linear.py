"""Shared pieces for linear traces: reading linear sides exactly and writing them for prose.

Linear forms are written coefficient-first (``2x + 3y - 5``, ``(1/2)x``) so that no digit ever sits
right before an operator next to ``=`` in an equation line: a step checker must not mistake ``x/2 + 1 = 4``
for the false claim ``2 + 1 = 4``.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from chukmath.errors import InputError
from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, Number, num, step


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


def integer_linear(terms: list[tuple[int, str]], const: int, human: bool) -> str:
    """``2*x - y + 3`` (sympy) or ``2x - y + 3`` (question text) from integer coefficients."""
    parts: list[str] = []
    for coef, var in terms:
        if coef == 0:
            continue
        mag = abs(coef)
        body = var if mag == 1 else (f"{mag}{var}" if human else f"{mag}*{var}")
        if not parts:
            parts.append(("-" if coef < 0 else "") + body)
        else:
            parts.append(("- " if coef < 0 else "+ ") + body)
    if const or not parts:
        if not parts:
            parts.append(str(const))
        else:
            parts.append(("- " if const < 0 else "+ ") + str(abs(const)))
    return " ".join(parts)


def plain_number(value: Number) -> Number:
    """A whole number as ``int``: most coefficients are whole, and int arithmetic is far cheaper than Fraction's
    (the text is the same, since ``num`` writes both alike)."""
    if type(value) is int:
        return value
    return value.numerator if value.denominator == 1 else value


# The working written before a claim ``left op right = result`` (signed_ops.working_lines at some detail).
Working = Callable[[Number, str, Number], list[str]]


def evaluate_sum(
    coefficients: list[Number], values: list[Number], constant: Number, working: Working | None = None
) -> tuple[list[str], Number]:
    """Claims computing ``sum(c_i * v_i) + constant`` one operation at a time (negative terms subtracted), each
    after its ``working`` lines where given (long products, signs, columns, lowest terms)."""
    lines: list[str] = []

    def claim_of(left: Number, op: str, right: Number) -> Number:
        if working is not None:
            lines.extend(working(left, op, right))
        line, result = step(left, op, right)
        lines.append(line)
        return result

    total: Number | None = None
    for coefficient, value in zip(coefficients, values, strict=True):
        if coefficient == 0:
            continue
        # After the first term a negative coefficient reads as subtraction, as a person would write it.
        subtract = total is not None and coefficient < 0
        factor = abs(coefficient) if subtract else coefficient
        product = value if factor == 1 else claim_of(factor, OP_MUL, value)
        total = product if total is None else claim_of(total, OP_SUB if subtract else OP_ADD, product)
    if total is None:
        total = constant
    elif constant != 0:
        total = claim_of(total, OP_SUB if constant < 0 else OP_ADD, abs(constant))
    return lines, total


Expansion = tuple[list[str], Number, Number]
