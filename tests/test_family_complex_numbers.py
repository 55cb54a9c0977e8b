"""complex_numbers: answers recomputed with sympy's I, answer text equal to sympy's str(), traces verified."""

from __future__ import annotations

import sympy
from sympy import I
from test_family_support import check_family, check_runs

from chukmath.families import get_family
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.verify.answers import answers_match

NAME = "complex_numbers"


def _sympy(p: Problem) -> str:
    m = p.meta
    kind = m["kind"]
    if kind == "power_i":
        return str(I ** m["n"])
    z = m["z"][0] + m["z"][1] * I
    if kind == "modulus":
        return str(sympy.Abs(z))
    if kind == "square":
        return str(sympy.expand(z * z))
    w = m["w"][0] + m["w"][1] * I
    if kind == "add":
        return str(sympy.expand(z - w if m["minus"] else z + w))
    if kind == "multiply":
        return str(sympy.expand(z * w))
    return str(sympy.expand(sympy.radsimp(z / w)))


def test_answers_traces_and_sympy() -> None:
    check_family(NAME, _sympy)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears_and_i_forms_are_accepted() -> None:
    problems = list(generate(NAME, seed=1, count=300, difficulty=4))
    assert {p.meta["kind"] for p in problems} == {"add", "multiply", "divide", "power_i", "square", "modulus"}
    for p in problems:
        assert str(sympy.sympify(p.expression, rational=True)) == p.answer, p.expression
        for form in get_family(NAME).present(p.answer):
            assert answers_match(form, p.answer), (form, p.answer)
    assert answers_match("3 + 4i", "3 + 4*I") and answers_match("3+4i", "3 + 4*I")
    assert not answers_match("3 - 4i", "3 + 4*I") and not answers_match("4 + 3i", "3 + 4*I")
