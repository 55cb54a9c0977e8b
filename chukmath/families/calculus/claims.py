"""One checked claim of a calculus route (``left op right = result``, a sum or difference of whole numbers worked
first: its sign rule in words with the sizes' own claim, then columns for sizes from 100), and the power rule on
one term and F(point) by Horner's rule written with such claims."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, Number, step
from chukmath.families.common.long_ops import Detail
from chukmath.families.common.signed_ops import signed_lines
from chukmath.families.common.symstr import rational

# How a sum or difference of whole numbers is worked before its claim: every sign rule, columns from 100.
SUMS = Detail(carries=False, partial_min=10, division_min=100, signs_min=1, columns_min=100)


def claim(think: list[str], left: Number, op: str, right: Number) -> Fraction:
    """Append ``left op right = result`` (with the sum's working before it) and return the result."""
    think.extend(signed_lines(left, op, right, SUMS))
    line, result = step(left, op, right)
    think.append(line)
    return Fraction(result)


def power_rule_term(think: list[str], text: str, c: Fraction, n: Fraction | int) -> None:
    """The power rule on the term ``text`` = c·x^n: a constant's derivative 0, a linear term's coefficient, or the
    exponent brought down (``c × n``) and lowered (``n - 1``) as claims."""
    if n == 0:
        think.append(f"The constant {text} has derivative 0.")
    elif n == 1:
        think.append(f"{text} has derivative {rational(c)}.")
    else:
        think.append(f"{text}: multiply by the exponent {rational(n)}, then lower the exponent by 1.")
        if c != 1:
            claim(think, c, OP_MUL, n)
        claim(think, n, OP_SUB, 1)


def at_zero(think: list[str]) -> Fraction:
    """F(0) of an antiderivative without a constant term."""
    think.append("Every term of F has a factor x, so F(0) is 0.")
    return Fraction(0)


def horner_value(terms: list[tuple[Fraction, int]], point: Fraction, think: list[str]) -> Fraction:
    """F(point) by Horner's rule for F's ``(coefficient, power)`` terms: start at the top coefficient; multiply by the
    point, add the next coefficient, each a claim."""
    if point == 0:
        return at_zero(think)
    by_power = {n: c for c, n in terms}
    top = max(by_power)
    total = Fraction(by_power[top])
    for n in range(top - 1, -1, -1):
        total = claim(think, total, OP_MUL, point)
        if by_power.get(n):
            total = claim(think, total, OP_ADD, by_power[n])
    return total
