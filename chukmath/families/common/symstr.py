"""sympy's ``str()`` of a few exact value shapes, written without building sympy objects.

Printing is the slowest part of sympy for the symbolic families (a polynomial costs ~300 µs in
``StrPrinter``, because ordering the terms computes a sort key per term), so the generators and the
built-in teacher print these shapes themselves. Each function reproduces sympy 1.x ``StrPrinter`` for
its shape exactly (term order, the ``7 - 2*x`` special case, ``3*x**2/2`` for rational coefficients);
``tests/test_generate_symstr.py`` compares them with ``str()`` of the sympy objects over wide grids.

Shapes: rationals, polynomials in one variable with rational coefficients, ``p + q*sqrt(m)``, root sets
``{...}``, and ``A*exp(b) + B``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from math import e as _E

Rat = int | Fraction


def rational(value: Rat) -> str:
    """``3``, ``-3/4``: sympy's Integer / Rational text."""
    if isinstance(value, int):
        return str(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def scaled(coefficient: Rat, factor: str) -> str:
    """``coefficient*factor`` as sympy's Mul printer writes it: ``-x``, ``3*x**2/2``, ``sqrt(5)/2``."""
    c = Fraction(coefficient)
    sign = "-" if c < 0 else ""
    p, q = abs(c.numerator), c.denominator
    body = factor if p == 1 else f"{p}*{factor}"
    return f"{sign}{body}/{q}" if q != 1 else f"{sign}{body}"


def monomial(coefficient: Rat, power: int, name: str = "x") -> str:
    """One term ``c*x**n`` (``n >= 0``) as sympy prints it on its own."""
    if power == 0:
        return rational(Fraction(coefficient))
    return scaled(coefficient, name if power == 1 else f"{name}**{power}")


def _join(terms: Sequence[str]) -> str:
    """sympy's Add printer over already ordered term texts: ``a - b + c``."""
    out = terms[0]
    for t in terms[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


def polynomial(terms: Iterable[tuple[Rat, int]], name: str = "x") -> str:
    """``3*x**4 - 2*x + 7`` from ``(coefficient, power)`` pairs with distinct powers ``>= 0`` (zeros dropped).

    Descending powers, except sympy's two-term special case: a positive constant and one negative term
    print constant first (``7 - 2*x``).
    """
    kept = sorted(((Fraction(c), n) for c, n in terms if c != 0), key=lambda t: -t[1])
    if not kept:
        return "0"
    if len(kept) == 2 and kept[1][1] == 0 and kept[1][0] > 0 and kept[0][0] < 0:
        kept.reverse()
    return _join([monomial(c, n, name) for c, n in kept])


def square_part(n: int) -> tuple[int, int]:
    """``n = k**2 * m`` with ``m`` square-free, for ``n > 0``: returns ``(k, m)`` (what ``sqrt(n)`` pulls out)."""
    k, m = 1, n
    factor = 2
    while factor * factor <= m:
        while m % (factor * factor) == 0:
            m //= factor * factor
            k *= factor
        factor += 1 if factor == 2 else 2
    return k, m


def sqrt_sum(p: Rat, q: Rat, m: int) -> str:
    """``p + q*sqrt(m)`` for rational ``p``, ``q != 0`` and square-free ``m > 1``: ``3 - 2*sqrt(2)``,
    ``2*sqrt(2) + 3``, ``-sqrt(5)/2 - 1/2`` (terms ascending by value, positive constant first against a
    negative radical)."""
    radical = scaled(q, f"sqrt({m})")
    if p == 0:
        return radical
    constant = rational(Fraction(p))
    if p > 0 and q < 0:
        return _join([constant, radical])
    if p < q * m**0.5:
        return _join([constant, radical])
    return _join([radical, constant])


def _sqrt_first(p: Rat, q: Rat, m: int) -> bool:
    """Whether sympy prints ``p + q*sqrt(m)`` radical first (it then sorts after constant-first values)."""
    if p == 0:
        return True
    if p > 0 and q < 0:
        return False
    return not p < q * m**0.5


def sqrt_pair_set(p: Rat, q: Rat, m: int) -> str:
    """The set ``{p - q*sqrt(m), p + q*sqrt(m)}`` (``q > 0``) in sympy's FiniteSet order.

    FiniteSet sorts by sort key: a value printed constant first sorts before one printed radical first;
    between two of the same kind the one with the negative radical comes first.
    """
    low, high = (p, -q), (p, q)
    first_low, first_high = _sqrt_first(*low, m), _sqrt_first(*high, m)
    ordered = [high, low] if first_low and not first_high else [low, high]
    return "{" + ", ".join(sqrt_sum(a, b, m) for a, b in ordered) + "}"


def rational_set(values: Iterable[Rat]) -> str:
    """``{-2, 1/2}``: a FiniteSet of rationals (distinct, ascending)."""
    return "{" + ", ".join(rational(v) for v in sorted(set(values))) + "}"


def exp_number(power: int) -> str:
    """``E`` or ``exp(2)``: sympy's text of ``exp(power)`` for an integer ``power >= 1``."""
    return "E" if power == 1 else f"exp({power})"


def exp_combination(a: int, b: int, power: int) -> str:
    """``a*exp(power) + b`` as sympy prints it: ``-3 + 3*exp(2)``, ``3 - 3*E``, ``2*exp(3)``."""
    if a == 0:
        return str(b)
    term = scaled(a, exp_number(power))
    if b == 0:
        return term
    if b > 0 > a or b < a * _E**power:
        return _join([str(b), term])
    return _join([term, str(b)])
