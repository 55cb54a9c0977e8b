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


# The last digit of a square fixes its root's last digit to one or two choices (0-9 squared end in 0 1 4 9 6 5 6 9 4 1).
_ROOT_ENDINGS = {0: (0,), 1: (1, 9), 4: (2, 8), 5: (5,), 6: (4, 6), 9: (3, 7)}


def root_search_lines(n: int) -> list[str]:
    """How ``√n`` of a perfect square ``n >= 100`` is found, for a trace to write before its ``r × r = n`` claim:
    the squares of the tens either side of it (checked claims), the root's last digit narrowed by ``n``'s, and a
    wrong candidate tried and set aside when the first choice is not it. Empty below 100 (the times table), for a
    whole number of tens (``20 × 20 = 400`` is found at once) and for a number that is not a square."""
    root = integer_sqrt(n) if n >= 100 else None
    if root is None or root % 10 == 0:
        return []
    low = root // 10 * 10
    high = low + 10
    endings = _ROOT_ENDINGS[n % 10]
    candidates = [low + e for e in endings]
    lines = [step(low, OP_MUL, low)[0], step(high, OP_MUL, high)[0],
             f"{n} lies between {low * low} and {high * high}, so √{n} is between {low} and {high}."]  # fmt: skip
    said = " or ".join(str(e) for e in endings)
    lines.append(f"A square ending in {n % 10} has a root ending in {said}: try "
                 f"{' and then '.join(map(str, candidates)) if len(candidates) > 1 else candidates[0]}.")  # fmt: skip
    for candidate in candidates:
        if candidate == root:
            return lines
        lines.append(step(candidate, OP_MUL, candidate)[0])
        lines.append(f"That is not {n}.")
    raise AssertionError(f"no root of {n} among {candidates}")


def not_square_lines(n: int) -> list[str]:
    """Why a whole ``n >= 0`` that is not a perfect square has no whole square root: the squares of the two whole
    numbers either side of it (checked claims), then that it lies between them."""
    low = isqrt(n)
    return [step(low, OP_MUL, low)[0], step(low + 1, OP_MUL, low + 1)[0],
            f"{n} lies between {low * low} and {(low + 1) ** 2}, so it is not a perfect square."]  # fmt: skip


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
