"""Exact values ``c·√m`` and ``c·π`` (c rational) written as sympy's ``str()`` writes them, without sympy.

Families with radical or π answers (areas, distances, trig values) build the answer text here;
tests/test_family_geometry_area.py holds these strings against sympy.
"""

from __future__ import annotations

from fractions import Fraction
from math import isqrt

from chukmath.families.common.format import OP_MUL, step


def split_sqrt(n: int) -> tuple[int, int]:
    """``√n = k·√m`` with ``m`` square-free: returns ``(k, m)`` (``n >= 0``)."""
    if n < 0:
        raise ValueError(f"no real square root of {n}")
    k, m, d = 1, n, 2
    while d * d <= m:
        while m % (d * d) == 0:
            m //= d * d
            k *= d
        d += 1
    return k, m


def sympy_text(coef: Fraction | int, atom: str = "") -> str:
    """``coef*atom`` as sympy prints it: ``25*pi``, ``pi/2``, ``3*sqrt(2)/4``, ``-sqrt(3)/2``; no atom: ``3/4``."""
    coef = Fraction(coef)
    if not atom or coef == 0:
        return str(coef.numerator) if coef.denominator == 1 else f"{coef.numerator}/{coef.denominator}"
    sign = "-" if coef < 0 else ""
    p, q = abs(coef.numerator), coef.denominator
    head = atom if p == 1 else f"{p}*{atom}"
    return f"{sign}{head}" if q == 1 else f"{sign}{head}/{q}"


def sqrt_text(coef: Fraction | int, radicand: int) -> str:
    """``coef·√radicand`` simplified, as sympy prints it (``radicand`` >= 0)."""
    if radicand == 0:
        return "0"
    k, m = split_sqrt(radicand)
    value = Fraction(coef) * k
    return sympy_text(value, "" if m == 1 else f"sqrt({m})")


def by_hand(answer: str) -> str:
    """``25*pi`` -> ``25π``, ``3*sqrt(2)/4`` -> ``3√2/4``: the answer as written on paper."""
    import re

    text = re.sub(r"\*?sqrt\((\d+)\)", r"√\1", answer)
    return text.replace("*pi", "π").replace("pi", "π")


def radical_forms(answer: str) -> list[str]:
    """The answer, then as written by hand when that differs: ``["5*sqrt(2)", "5√2"]``."""
    text = answer.strip()
    hand = by_hand(text)
    return [text] if hand == text else [text, hand]


def integer_sqrt(n: int) -> int | None:
    """``√n`` when ``n`` is a perfect square, else None."""
    r = isqrt(n)
    return r if r * r == n else None


def simplify_sqrt_lines(n: int) -> list[str]:
    """The trace lines that simplify ``√n`` by hand: a perfect square as ``r × r = n``, or the largest square factor
    taken out (``k² × m = n``, ``√n = k√m``); none when ``n`` has no square factor to take out."""
    root = integer_sqrt(n)
    if root is not None:
        return [f"{n} is a perfect square:", step(root, OP_MUL, root)[0]]
    k, rest = split_sqrt(n)
    if k > 1:
        return [f"Take the square factor {k * k} out of {n}:", step(k * k, OP_MUL, rest)[0], f"√{n} = {k}√{rest}"]
    return []
