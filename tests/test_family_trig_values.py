"""trig_values: answers recomputed by sympy from the angle as written in the question, traces verified."""

from __future__ import annotations

import re

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "trig_values"
_ANGLE = re.compile(r"\b(sin|cos|tan|sec|csc|cot)\((-?\d*π?(?:/\d+)?|-?\d+°)\)")


def _from_question(p: Problem) -> str:
    function, angle = _ANGLE.search(p.question).groups()
    if angle.endswith("°"):
        x = sympy.Integer(angle[:-1]) * sympy.pi / 180
    else:
        text = angle.replace("π", "*pi").replace("-*", "-").lstrip("*") or "0"
        x = sympy.sympify(text)
    value = getattr(sympy, function)(x)
    assert value.is_finite, p.question
    return str(sympy.radsimp(value))


def test_answers_traces_and_sympy_from_the_question() -> None:
    check_family(NAME, _from_question)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME, count=120)


def test_radians_degrees_and_all_functions_appear() -> None:
    problems = list(generate(NAME, seed=1, count=300, difficulty=5))
    assert {p.meta["function"] for p in problems} == {"sin", "cos", "tan", "sec", "csc", "cot"}
    assert {p.meta["radians"] for p in problems} == {True, False}
    assert any(p.meta["degrees"] < 0 for p in problems) and any(p.meta["degrees"] >= 360 for p in problems)
