"""Trace for ``quadratic``: standard form, discriminant, roots by the formula with simplified radicals, Vieta check.

Roots are ``p ± q√m`` with rational ``p, q`` and square-free ``m`` (``m = 1`` for rational roots,
``m < 0`` written with ``i`` for complex roots); every number is a Fraction and every step a true claim.
The clean answer is sympy's ``str()`` of the root set, built from the same exact numbers.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.errors import InputError
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, num, step
from chukmath.families.common.polynomial import coefficient as coefficient_of
from chukmath.families.common.polynomial import degree, equation_sides, subtract, variables
from chukmath.families.common.symstr import sqrt_pair_set, square_part
from chukmath.records import Problem


def square_part_of(n: int) -> tuple[int, int]:
    """``n = k^2 * m`` with ``m`` square-free (``n > 0``): returns ``(k, m)``."""
    return square_part(n)


def poly_text(a: Fraction, b: Fraction, c: Fraction, name: str) -> str:
    """``x² - 6x + 1`` with coefficient-first terms."""
    parts: list[str] = []
    # x² rather than x^2: a bare exponent digit before "- 12 = 0" would read as the false claim "2 - 12 = 0".
    for coefficient, power in ((a, f"{name}²"), (b, name), (c, "")):
        if coefficient == 0:
            continue
        magnitude = abs(coefficient)
        shown = num(magnitude)
        if power and magnitude == 1:
            shown = ""
        elif power and "/" in shown:
            shown = f"({shown})"
        term = f"{shown}{power}"
        if not parts:
            parts.append(f"-{term}" if coefficient < 0 else term)
        else:
            parts.append(f"- {term}" if coefficient < 0 else f"+ {term}")
    return " ".join(parts) or "0"


def equation_coefficients(problem: Problem) -> tuple[Fraction, Fraction, Fraction, str]:
    """``a, b, c`` of ``a x^2 + b x + c = 0`` (everything moved to the left) and the unknown's name."""
    where = f"problem {problem.id}"
    sides = equation_sides(problem.expression, where)
    if len(sides) != 1:
        raise InputError(f"{where}: expected one equation Eq(lhs, rhs), got {problem.expression!r}")
    poly = subtract(*sides[0])
    names = variables([poly])
    if len(names) != 1:
        raise InputError(f"{where}: a quadratic needs exactly one unknown, got {problem.expression!r}")
    if degree(poly) != 2:
        raise InputError(f"{where}: {problem.expression!r} has degree {degree(poly)}, not 2")
    name = names[0]
    return coefficient_of(poly, name, 2), coefficient_of(poly, name, 1), coefficient_of(poly, None), name


def _root_sympy(p: Fraction, q: Fraction, m: int, sign: int) -> Any:
    import sympy

    radical = sympy.sqrt(sympy.Integer(m))
    return sympy.Rational(p.numerator, p.denominator) + sign * sympy.Rational(q.numerator, q.denominator) * radical


def root_text(p: Fraction, q: Fraction, m: int, sign: str) -> str:
    """``3 - 2√2``, ``-1/2 + (3/2)√5``, ``1 + 2i``: readable root text (``m != 1``)."""
    unit = "i" if m == -1 else (f"√{m}" if m > 0 else f"√{-m}i")
    coefficient = "" if q == 1 else (f"({num(q)})" if "/" in num(q) else num(q))
    tail = f"{coefficient}{unit}"
    if p == 0:
        return f"-{tail}" if sign == "-" else tail
    return f"{num(p)} {sign} {tail}"


def quadratic_trace(problem: Problem) -> str:
    """Solve ``a x^2 + b x + c = 0`` with the quadratic formula; check the roots by Vieta's formulas."""

    a, b, c, x = equation_coefficients(problem)
    think = [f"We need to solve {poly_text(a, b, c, x)} = 0.", f"Here a = {num(a)}, b = {num(b)}, c = {num(c)}."]
    think.append("Discriminant: b^2 - 4ac.")
    line, b_squared = step(b, OP_MUL, b)
    think.append(line)
    line, four_a = step(4, OP_MUL, a)
    think.append(line)
    line, four_ac = step(four_a, OP_MUL, c)
    think.append(line)
    line, disc = step(b_squared, OP_SUB, four_ac)
    think.append(line)
    disc = Fraction(disc)
    line, two_a = step(2, OP_MUL, a)
    think.append("The roots are (-b ± √D) / (2a), and the denominator is:")
    think.append(line)
    two_a = Fraction(two_a)
    p = -b / two_a
    think.append("The centre of the two roots is -b / (2a):")
    think.append(step(-b, OP_DIV, two_a)[0])
    roots_sympy: list[Any] | None = None  # None for rational roots; filled for complex roots only
    if disc == 0:
        think.append(f"D is 0, so there is one repeated root {x} = {num(p)}.")
        roots_text = [f"{x} = {num(p)}"]
        rational_roots = [p]
        think.extend(vieta_lines(a, b, c, p, Fraction(0), 1))
    else:
        # √D = √(D.num / D.den) = √(D.num · D.den) / D.den, then pull square factors out.
        radicand = disc.numerator * disc.denominator
        k, m = square_part_of(abs(radicand))
        if radicand < 0:
            m = -m
        q = Fraction(k, disc.denominator) / abs(two_a)
        if m == 1:
            think.append(f"{k} × {k} = {k * k}, so √D is {num(Fraction(k, disc.denominator))}.")
            think.append("Half the distance between the roots is √D / |2a|:")
            think.append(step(Fraction(k, disc.denominator), OP_DIV, abs(two_a))[0])
            think.append(f"The roots are {num(p)} - {num(q)} and {num(p)} + {num(q)}:")
            line, low = step(p, OP_SUB, q)
            think.append(line)
            line, high = step(p, OP_ADD, q)
            think.append(line)
            roots = sorted([Fraction(low), Fraction(high)])
            roots_text = [f"{x} = {num(r)}" for r in roots]
            rational_roots = roots
        else:
            kind = "negative, so the roots are complex" if m < 0 else "not a perfect square"
            think.append(f"D is {kind}; simplify the square root by pulling out square factors.")
            if disc.denominator != 1:
                think.append(step(disc.numerator, OP_MUL, disc.denominator)[0])
            if k == 1:
                think.append(f"{abs(m)} has no square factor other than 1, so its square root stays as it is.")
            elif abs(m) == 1:
                think.append(step(k, OP_MUL, k)[0])  # |D| is itself a square: 4 × 4 = 16, not 16 × 1 = 16
            else:
                think.append(step(k * k, OP_MUL, abs(m))[0])
            think.append(f"So √D is {root_text(Fraction(0), Fraction(k, disc.denominator), m, '+')}.")
            think.append("Divide its coefficient by |2a|:")
            think.append(step(Fraction(k, disc.denominator), OP_DIV, abs(two_a))[0])
            think.append(f"So the roots are {num(p)} ± {root_text(Fraction(0), q, m, '+')}.")
            roots_text = [f"{x} = {root_text(p, q, m, '-')}", f"{x} = {root_text(p, q, m, '+')}"]
            # Complex roots still go through sympy's printer; real radicals are printed by symstr.
            roots_sympy = [] if m > 1 else [_root_sympy(p, q, m, -1), _root_sympy(p, q, m, 1)]
        think.extend(vieta_lines(a, b, c, p, q, m))
    answer = " or ".join(roots_text)
    if roots_sympy is None:
        # str() of a sympy FiniteSet of rationals: ascending, comma separated.
        verifier = "{" + ", ".join(num(r) for r in sorted(rational_roots)) + "}"
    elif m > 1:
        verifier = sqrt_pair_set(p, q, m)  # sympy's str() of the FiniteSet, without sympy
    else:
        import sympy

        verifier = str(sympy.FiniteSet(*roots_sympy))
    return assemble(think, answer, verifier)


def vieta_lines(a: Fraction, b: Fraction, c: Fraction, p: Fraction, q: Fraction, m: int) -> list[str]:
    """Sum of roots ``2p`` against ``-b/a`` and product ``p^2 - q^2 m`` against ``c/a``, each a true claim."""
    lines = ["Check with Vieta's formulas: the roots must add up to -b/a and multiply to c/a."]
    if m == 1 and q != 0:
        low, high = p - q, p + q
        line, total = step(low, OP_ADD, high)
        lines.append(line)
        line, product = step(low, OP_MUL, high)
        lines.append(line)
    else:
        lines.append("The ± parts cancel in the sum, so the sum is 2 times the centre:")
        line, total = step(2, OP_MUL, p)
        lines.append(line)
        lines.append("The product is (centre)^2 minus (± part)^2:")
        line, p_squared = step(p, OP_MUL, p)
        lines.append(line)
        q_squared_m: Number = 0
        if q != 0:
            line, q_squared = step(q, OP_MUL, q)
            lines.append(line)
            why = " (i^2 = -1)" if m < 0 else ""
            lines.append(f"The (± part)^2 is its coefficient squared times {m}{why}:")
            line, q_squared_m = step(q_squared, OP_MUL, m)
            lines.append(line)
        line, product = step(p_squared, OP_SUB, q_squared_m)
        lines.append(line)
    line, expected_sum = step(-b, OP_DIV, a)
    lines.append(line)
    line, expected_product = step(c, OP_DIV, a)
    lines.append(line)
    if total != expected_sum or product != expected_product:
        raise AssertionError(f"Vieta check failed: {total} vs {expected_sum}, {product} vs {expected_product}")
    lines.append(f"The sum {num(total)} and the product {num(product)} match, so the roots are right.")
    return lines
