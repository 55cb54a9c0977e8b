"""functions: answers recomputed by sympy (Lambda, composition, solve for the inverse), traces verified."""

from __future__ import annotations

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "functions"
X = sympy.Symbol("x")


def _poly(coefs: list[int]) -> sympy.Expr:
    return sum((c * X ** (len(coefs) - 1 - i) for i, c in enumerate(coefs)), sympy.Integer(0))


def _sympy(p: Problem) -> str:
    m = p.meta
    f = sympy.Lambda(X, _poly(m["f"]))
    if m["kind"] == "evaluate":
        return str(f(m["a"]))
    if m["kind"] == "compose":
        g = sympy.Lambda(X, _poly(m["g"]))
        return str(sympy.expand(f(g(X))).subs(X, m["a"]))
    (solution,) = sympy.solve(sympy.Eq(f(X), m["target"]), X)
    return str(solution)


def test_answers_traces_and_sympy() -> None:
    check_family(NAME, _sympy)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears_and_the_expression_is_plain_arithmetic() -> None:
    problems = list(generate(NAME, seed=1, count=200))
    assert {p.meta["kind"] for p in problems} == {"evaluate", "compose", "inverse"}
    for p in problems:
        assert "x" not in p.expression and str(sympy.sympify(p.expression, rational=True)) == p.answer
