"""polynomial_roots: roots recomputed by sympy.roots and by brute-force search, traces verified."""

from __future__ import annotations

from fractions import Fraction

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "polynomial_roots"
X = sympy.Symbol("x")


def _roots(p: Problem) -> str:
    coefs = p.meta["coefficients"]
    found = sorted(sympy.roots(sympy.Poly(coefs, X)))
    # and by search: every integer root divides the (monic) constant term, so it lies within that bound
    value = lambda r: sum(c * r ** (len(coefs) - 1 - i) for i, c in enumerate(coefs))  # noqa: E731
    bound = 1 + max(abs(Fraction(c, coefs[0])) for c in coefs[1:])  # Cauchy's bound on the roots
    searched = [r for r in range(-int(bound), int(bound) + 1) if value(r) == 0]
    assert searched == found and sympy.degree(sympy.Poly(coefs, X)) == len(coefs) - 1
    return str(sympy.FiniteSet(*found))


def test_answers_traces_and_roots() -> None:
    check_family(NAME, _roots)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_quartics_and_repeated_roots_at_the_top() -> None:
    hard = list(generate(NAME, seed=1, count=300, difficulty=5))
    assert any(len(p.meta["coefficients"]) == 5 for p in hard)
    assert any(len(p.answer.split(",")) < len(p.meta["coefficients"]) - 1 for p in hard)
