"""Independent answer checks: recompute every answer from its `expression` with sympy and compare strings."""

from __future__ import annotations

import ast

import pytest
import sympy

from chukmath.generate import generate, list_families

X, Y = sympy.symbols("x y")


def _value(expression: str) -> sympy.Basic:
    # The expressions come from our own generator (trusted test input); rational=True reads 2.5 as 5/2.
    return sympy.sympify(expression, rational=True)


def recompute(generator: str, expression: str) -> str:
    """The answer string sympy gives for a problem's expression, family by family."""
    ast.parse(expression, mode="eval")  # the contract: plain Python syntax
    if generator == "linear_equation":
        solutions = sympy.solve(_value(expression), X)
        assert len(solutions) == 1, expression
        return str(solutions[0])
    if generator == "linear_system":
        return str(sympy.solve(_value(expression), [X, Y]))
    if generator in ("quadratic", "polynomial_roots"):
        roots = sympy.solve(_value(expression), X)
        assert all(r.is_real for r in roots), expression
        return str(sympy.FiniteSet(*roots))
    if generator == "calculus":
        return str(sympy.sympify(expression).doit())
    value = _value(expression)
    if isinstance(value, sympy.MatrixBase):  # str() breaks a matrix over lines; answers keep sympy's one-line form
        return f"Matrix({value.tolist()})"
    return str(value)


CASES = [
    ("arithmetic", 700),
    ("fractions", 300),
    ("word_problem", 300),
    ("number_theory", 200),
    ("linear_equation", 120),
    ("linear_system", 60),
    ("quadratic", 60),
    ("calculus", 12),
    ("permutations_combinations", 100),
    ("probability", 100),
    ("expected_value", 100),
    ("statistics", 100),
    ("percent_ratio", 100),
    ("geometry_area", 100),
    ("pythagorean", 100),
    ("sequences", 100),
    ("vectors_matrices", 60),
    ("functions", 100),
    ("logarithms", 40),
    ("complex_numbers", 60),
    ("trig_values", 60),
    ("coordinate_geometry", 60),
    ("polynomial_roots", 30),
    ("unit_conversion", 100),
    ("multi_step_word", 100),
    ("inequalities", 30),
]


@pytest.mark.parametrize(("name", "per_level"), CASES)
def test_answers_match_sympy_at_every_difficulty(name: str, per_level: int) -> None:
    checked = 0
    for difficulty in (1, 2, 3, 4, 5):
        for problem in generate(name, seed=11, count=per_level, difficulty=difficulty):
            assert recompute(name, problem.expression) == problem.answer, (problem.index, problem.expression)
            checked += 1
    assert checked == 5 * per_level


def test_integer_only_arithmetic_gives_integers_that_sympy_agrees_with() -> None:
    problems = list(generate("arithmetic", seed=5, count=600, difficulty=3, overrides={"integer_only": "true"}))
    assert any("/" in p.expression for p in problems)
    for p in problems:
        assert "/" not in p.answer
        assert recompute("arithmetic", p.expression) == p.answer


def test_every_family_is_checked_here() -> None:
    assert {f.name for f in list_families()} == {name for name, _ in CASES}


def test_word_problem_meta_carries_unit_and_exact_decimal() -> None:
    for p in generate("word_problem", seed=2, count=300, difficulty=5):
        assert p.meta["unit"]
        if "answer_decimal" in p.meta:
            assert sympy.Rational(p.meta["answer_decimal"]) == sympy.Rational(p.answer)
