"""Difficulty presets and config overrides change what they claim (measured from the expressions themselves)."""

from __future__ import annotations

import ast
import re
import statistics
from fractions import Fraction

from chukmath.generate import generate


def literals(expression: str) -> list[Fraction]:
    """Magnitudes of the number literals in an expression (exponents of ** excluded)."""
    tree = ast.parse(expression, mode="eval")
    exponents = {id(n.right) for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow)}
    return [Fraction(str(n.value)) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and id(n) not in exponents and not isinstance(n.value, str)]


def operators(expression: str) -> set[str]:
    names = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
    return {names[type(n.op)] for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.BinOp)}


def test_arithmetic_difficulty_grows_numbers_terms_and_operations() -> None:
    easy = list(generate("arithmetic", seed=1, count=400, difficulty=1))
    hard = list(generate("arithmetic", seed=1, count=400, difficulty=5))
    assert max(max(literals(p.expression)) for p in easy) <= 20
    assert max(max(literals(p.expression)) for p in hard) > 1000
    assert set().union(*(operators(p.expression) for p in easy)) <= {"+", "-"}
    assert {"*", "/", "**"} <= set().union(*(operators(p.expression) for p in hard))
    assert all(len(literals(p.expression)) == 2 for p in easy)
    assert statistics.mean(len(literals(p.expression)) for p in hard) > 4
    assert not any("." in p.expression for p in easy)
    assert any("." in p.expression for p in hard)
    assert any("(" in p.expression for p in hard)


def test_arithmetic_overrides_are_obeyed() -> None:
    overrides = {"max_value": "7", "operations": "*", "powers": "0", "negatives": "0", "min_terms": "3",
                 "max_terms": "3"}
    for p in generate("arithmetic", seed=2, count=200, overrides=overrides):
        assert operators(p.expression) == {"*"}
        assert len(literals(p.expression)) == 3 and max(literals(p.expression)) <= 7


def test_fractions_denominators_follow_the_preset() -> None:
    # Fraction operands are written without spaces (3/4); a division of whole numbers has them (3 / 4).
    seen = set()
    for difficulty, limit in ((1, 6), (4, 20)):
        for p in generate("fractions", seed=3, count=200, difficulty=difficulty):
            dens = [int(d) for d in re.findall(r"\d+/(\d+)", p.expression)]
            assert dens and max(dens) <= limit, p.expression
            seen.update((difficulty, d) for d in dens)
    assert max(d for level, d in seen if level == 4) > 6


def test_equation_difficulty_controls_fractional_solutions_and_both_sides() -> None:
    easy = list(generate("linear_equation", seed=4, count=300, difficulty=1))
    hard = list(generate("linear_equation", seed=4, count=300, difficulty=5))
    assert all("/" not in p.answer for p in easy)
    assert sum("/" in p.answer for p in hard) > 30
    assert all("x" not in p.expression.split(",")[1] for p in easy)
    assert sum("x" in p.expression.split(",")[1] for p in hard) > 200


def test_quadratic_irrational_knob() -> None:
    rational = list(generate("quadratic", seed=5, count=100, overrides={"irrational": "0"}))
    irrational = list(generate("quadratic", seed=5, count=100, overrides={"irrational": "1"}))
    assert not any("sqrt" in p.answer for p in rational)
    assert all("sqrt" in p.answer for p in irrational)


def test_number_theory_kinds_and_sizes() -> None:
    for p in generate("number_theory", seed=6, count=200, overrides={"kinds": "powmod"}, difficulty=1):
        assert p.expression.startswith("Mod(") and "**" in p.expression
    small = [max(literals(p.expression)) for p in generate("number_theory", seed=6, count=300, difficulty=1)]
    large = [max(literals(p.expression)) for p in generate("number_theory", seed=6, count=300, difficulty=5)]
    assert statistics.median(large) > 20 * statistics.median(small)


def test_word_problem_steps_grow_with_difficulty() -> None:
    def steps(difficulty: int) -> float:
        problems = generate("word_problem", seed=7, count=300, difficulty=difficulty)
        return statistics.mean(sum(1 for _ in ast.walk(ast.parse(p.expression, mode="eval"))
                                   if isinstance(_, ast.BinOp)) for p in problems)

    assert steps(5) > steps(1) + 1
    only = {p.meta["scenario"] for p in generate("word_problem", seed=7, count=50, overrides={"scenarios": "ages"})}
    assert only == {"ages"}


def test_calculus_integral_share_follows_the_knob() -> None:
    derivs = list(generate("calculus", seed=8, count=30, overrides={"integrals": "0"}, difficulty=1))
    assert all(p.expression.startswith("Derivative(") for p in derivs)
    integrals = list(generate("calculus", seed=8, count=20, overrides={"integrals": "1"}, difficulty=1))
    assert all(p.expression.startswith("Integral(") for p in integrals)
