"""One checked claim of a calculus route: ``left op right = result``, a sum or difference of whole numbers worked
first (its sign rule in words with the sizes' own claim, then columns for sizes from 100)."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import Number, step
from chukmath.families.common.long_ops import Detail
from chukmath.families.common.signed_ops import signed_lines

# How a sum or difference of whole numbers is worked before its claim: every sign rule, columns from 100.
SUMS = Detail(carries=False, partial_min=10, division_min=100, signs_min=1, columns_min=100)


def claim(think: list[str], left: Number, op: str, right: Number) -> Fraction:
    """Append ``left op right = result`` (with the sum's working before it) and return the result."""
    think.extend(signed_lines(left, op, right, SUMS))
    line, result = step(left, op, right)
    think.append(line)
    return Fraction(result)
