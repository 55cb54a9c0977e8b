"""inequalities: answers recomputed by sympy's rational-inequality solver (the polynomial sign analysis behind
reduce_inequalities, without its general dispatch: ~15x faster) and checked at sample points, traces verified;
the verifier reads interval notation and inequalities (true and false cases; unions in test_verify_unions)."""

from __future__ import annotations

import pytest
import sympy
from sympy.solvers.inequalities import reduce_rational_inequalities
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.verify.answers import answers_match, judge_answer

NAME = "inequalities"
X = sympy.Symbol("x", real=True)
_OPS = {"<": sympy.StrictLessThan, "<=": sympy.LessThan, ">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan}


def _reduce(p: Problem) -> str:
    m = p.meta
    if m["kind"] == "compound":
        lo_op, hi_op = m["ops"]
        middle = m["a"] * X + m["b"]
        system = [_OPS[lo_op](m["lo"], middle), _OPS[hi_op](middle, m["hi"])]
        test = lambda v: _OPS[lo_op](m["lo"], m["a"] * v + m["b"]) and _OPS[hi_op](m["a"] * v + m["b"], m["hi"])  # noqa: E731
    elif m["kind"] == "quadratic":
        left = m["a"] * X**2 + m["b"] * X + m["c"]
        system = [_OPS[m["op"]](left, m["k"])]
        test = lambda v: bool(_OPS[m["op"]](left.subs(X, v), m["k"]))  # noqa: E731
        solution = reduce_rational_inequalities([system], X, relational=False)
        for root in m["roots"]:  # each root is an end of the answer, and points beside it agree with membership
            assert root in solution.boundary
            for v in (root - sympy.Rational(1, 4), root, root + sympy.Rational(1, 4)):
                assert test(v) == bool(solution.contains(v)), (p.question, v)
        return str(solution)
    else:
        right = m["d"] * X + m["e"] if m["kind"] == "both_sides" else sympy.Integer(m["c"])
        system = [_OPS[m["op"]](m["a"] * X + m["b"], right)]
        test = lambda v: bool(_OPS[m["op"]](m["a"] * v + m["b"], right.subs(X, v)))  # noqa: E731
    solution = reduce_rational_inequalities([system], X, relational=False)
    # sample points: every point a quarter-step either side of each endpoint agrees with membership
    for end in (solution.inf, solution.sup):
        if end.is_finite:
            for v in (end - sympy.Rational(1, 4), end, end + sympy.Rational(1, 4)):
                assert bool(test(v)) == bool(solution.contains(v)), (p.question, v)
    return str(solution)


def test_answers_traces_and_reduce_inequalities() -> None:
    check_family(NAME, _reduce, per_level=60)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME, count=200)


TRUE = [
    ("(-oo, 3]", "Interval(-oo, 3)"), ("x <= 3", "Interval(-oo, 3)"), ("(-\\infty, 3]", "Interval(-oo, 3)"),
    ("x ≤ 3", "Interval(-oo, 3)"), ("3 >= x", "Interval(-oo, 3)"), ("x \\le 3", "Interval(-oo, 3)"),
    ("The solution is x > 2.", "Interval.open(2, oo)"), ("(2, ∞)", "Interval.open(2, oo)"),
    ("[-7/2, oo)", "Interval(-7/2, oo)"), ("x \\geq -\\frac{7}{2}", "Interval(-7/2, oo)"),
    ("x >= -3.5", "Interval(-7/2, oo)"), ("-2 < x <= 5", "Interval.Lopen(-2, 5)"), ("(-2, 5]", "Interval.Lopen(-2, 5)"),
    ("Interval(-oo, 3)", "Interval(-oo, 3)"), ("x < 3", "Interval.open(-oo, 3)"),
]  # fmt: skip
FALSE = [
    ("(-oo, 3)", "Interval(-oo, 3)"), ("x < 3", "Interval(-oo, 3)"), ("x >= 3", "Interval(-oo, 3)"),
    ("[3, oo)", "Interval(-oo, 3)"), ("(-oo, 4]", "Interval(-oo, 3)"), ("x > 2", "Interval(2, oo)"),
    ("(oo, 3]", "Interval(-oo, 3)"), ("3 <= x", "Interval(-oo, 3)"), ("-2 <= x <= 5", "Interval.Lopen(-2, 5)"),
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), TRUE)
def test_verifier_accepts_intervals_in_any_notation(candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), FALSE)
def test_verifier_rejects_other_intervals(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)


def test_no_interval_is_unparseable_and_other_answers_are_untouched() -> None:
    assert judge_answer("I am not sure", "Interval(-oo, 3)") == "unparseable"
    assert answers_match("3", "3") and answers_match("{1, 2}", "{1, 2}") and not answers_match("3", "{1, 2}")


def test_every_kind_appears_and_signs_flip() -> None:
    problems = list(generate(NAME, seed=1, count=200, difficulty=4))
    assert {p.meta["kind"] for p in problems} == {"one_side", "both_sides", "compound", "quadratic"}
    hard = list(generate(NAME, seed=1, count=200, difficulty=5))
    assert any(p.answer.startswith("Union(") for p in hard) and any(p.meta.get("a", 1) < 0 for p in hard)
    assert any(p.meta["kind"] == "quadratic" and p.meta["k"] for p in hard)
    assert any("flips" in p.meta.get("op", "") or p.meta.get("a", 1) - p.meta.get("d", 0) < 0 for p in problems)
