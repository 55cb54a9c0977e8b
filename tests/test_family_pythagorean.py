"""pythagorean: answers recomputed with sympy and squared back, traces verified, runs reproducible."""

from __future__ import annotations

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "pythagorean"


def _sympy(p: Problem) -> str:
    m = p.meta
    if m["find"] == "hypotenuse":
        value = sympy.sqrt(m["a"] ** 2 + m["b"] ** 2)
        assert sympy.expand(value**2 - m["a"] ** 2 - m["b"] ** 2) == 0
    else:
        value = sympy.sqrt(m["c"] ** 2 - m["a"] ** 2)
        assert value.is_positive and sympy.expand(value**2 + m["a"] ** 2 - m["c"] ** 2) == 0
    return str(value)


def test_answers_traces_and_sympy() -> None:
    check_family(NAME, _sympy)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_triples_at_the_easy_end_radicals_later() -> None:
    assert all(p.answer.isdigit() for p in generate(NAME, seed=1, count=200, difficulty=1))
    hard = [p.answer for p in generate(NAME, seed=1, count=200, difficulty=4)]
    assert any("sqrt" in a for a in hard) and any(a.isdigit() for a in hard)
    assert {p.meta["find"] for p in generate(NAME, seed=1, count=100)} == {"hypotenuse", "leg"}
