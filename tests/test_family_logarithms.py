"""logarithms: answers checked by raising back (b^answer == x) with exact sympy powers, traces verified."""

from __future__ import annotations

from fractions import Fraction

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "logarithms"


def _search(p: Problem) -> str:
    """Find the answer among fractions n/d by raising the base to it (no logarithm is taken):
    base^(n/d) == x exactly when base^n == x^d, for a positive base and x."""
    m = p.meta
    kind = m["kind"]
    if kind == "log_equation":
        return str(sympy.Integer(m["b"]) ** m["k"])
    shift, scale = Fraction(0), Fraction(1)  # the exponent is scale * e + shift
    if kind == "value":
        base, x = Fraction(m["c"] ** m["m"]), Fraction(m["c"]) ** m["n"]
    elif kind == "exp_equation":
        base, x = Fraction(m["c"] ** m["m"]), Fraction(m["c"] ** m["m2"]) ** m["k"]
        shift, scale = Fraction(m["q"]), Fraction(m["p"])
    else:
        base = Fraction(m["b"])
        x = Fraction(m["x"], m["y"]) if m["minus"] else Fraction(m["x"] * m["y"])
    for d in range(1, 13):
        for n in range(-60 * d, 60 * d + 1):
            e = Fraction(n, d)
            power = scale * e + shift
            if base**power.numerator == x**power.denominator:
                return str(e)
    raise AssertionError(p.question)


def test_answers_traces_and_search() -> None:
    check_family(NAME, _search)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears_and_expressions_simplify_to_the_answer() -> None:
    problems = list(generate(NAME, seed=1, count=200))
    assert {p.meta["kind"] for p in problems} == {"value", "exp_equation", "log_rules", "log_equation"}
    for p in problems:
        assert str(sympy.sympify(p.expression, rational=True)) == p.answer, p.expression
    assert any(Fraction(p.answer).denominator > 1 for p in problems)
