"""The built-in teacher's sympy-free paths write exactly what its sympy paths write."""

from __future__ import annotations

import ast

import pytest
import sympy

from chukmath.families.calculus.trace import derivative_trace, fast_calculus_trace, integral_trace
from chukmath.families.common.polynomial import _fast_sides, _fold
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.safe_expr import parse_expression, to_sympy
from chukmath.teach.builtin import builtin_trace


def _sympy_path(problem: Problem) -> str:
    parsed = to_sympy(problem.expression, "test")
    if isinstance(parsed, sympy.Derivative):
        return derivative_trace(problem, parsed)
    return integral_trace(problem, parsed)


@pytest.mark.parametrize(
    ("difficulty", "overrides", "count"),
    [
        (1, {}, 40),
        (3, {}, 40),
        (4, {"integrals": "1", "elementary": "1"}, 40),
        (5, {"integrals": "1", "elementary": "0", "max_degree": "12", "terms": "8", "max_bound": "100"}, 15),
    ],
)
def test_fast_calculus_trace_is_byte_identical_to_the_sympy_path(difficulty, overrides, count) -> None:
    fast_seen = 0
    for problem in generate("calculus", seed=31, count=count, difficulty=difficulty, overrides=overrides):
        fast = fast_calculus_trace(problem.expression)
        if fast is None:
            continue
        fast_seen += 1
        assert fast == _sympy_path(problem), problem.expression
        assert builtin_trace(problem) == fast
    assert fast_seen >= count // 2


@pytest.mark.parametrize(
    "expression",
    [
        "Derivative(x**2 + x**2, x)",  # not sympy's printing: sympy path
        "Derivative((x + 1)**2, x)",
        "Derivative(x**3, (x, 2))",
        "Integral(x**2, (x, 1/2, 3))",
        "Integral(x**2, x)",
        "Integral(2*sin(x), (x, 1, pi))",
        "Integral(3*sqrt(x), (x, 0, 2))",
        "Derivative(0*x + 1, x)",
        "Derivative(7, x)",
    ],
)
def test_fast_calculus_trace_declines_other_shapes(expression: str) -> None:
    assert fast_calculus_trace(expression) is None


def test_fast_calculus_trace_takes_exactly_sympys_printing() -> None:
    assert fast_calculus_trace("Derivative(3*x**4 - 2*x + 7, x)") is not None
    assert fast_calculus_trace("Derivative(7 - 2*x, x)") is not None
    assert fast_calculus_trace("Derivative(-2*x + 7, x)") is None  # sympy prints 7 - 2*x


def _ast_sides(expression: str) -> list:
    tree = parse_expression(expression, "test")
    nodes = tree.elts if isinstance(tree, ast.List) else [tree]
    return [(_fold(n.args[0], expression), _fold(n.args[1], expression)) for n in nodes]


@pytest.mark.parametrize("family", ["linear_system", "quadratic", "linear_equation"])
def test_fast_equation_reading_equals_the_tree_fold(family: str) -> None:
    fast_seen = 0
    for difficulty in (1, 3, 5):
        for problem in generate(family, seed=8, count=150, difficulty=difficulty):
            fast = _fast_sides(problem.expression)
            if fast is None:
                assert "(" in problem.expression[3:-1], problem.expression  # only bracketed forms fall back
                continue
            fast_seen += 1
            assert fast == _ast_sides(problem.expression), problem.expression
    assert fast_seen > 300


@pytest.mark.parametrize("expression", ["Eq(007*x, 1)", "Eq(x  + 1, 2)", "Eq(0*x + 1, 2)", "Eq(x**5, 1)", "Eq(x, 1)]"])
def test_fast_equation_reading_declines_what_python_would_read_differently(expression: str) -> None:
    assert _fast_sides(expression) is None
