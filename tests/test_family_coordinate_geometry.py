"""coordinate_geometry: answers recomputed with sympy.geometry (Point, Segment, Line), traces verified."""

from __future__ import annotations

import sympy
from sympy.geometry import Line, Point
from test_family_support import check_family, check_runs

from chukmath.families import get_family
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.verify.answers import answers_match

NAME = "coordinate_geometry"
X, Y = sympy.symbols("x y")


def _geometry(p: Problem) -> str:
    a, b = Point(*p.meta["p"]), Point(*p.meta["q"])
    kind = p.meta["kind"]
    if kind == "distance":
        return str(a.distance(b))
    if kind == "midpoint":
        mid = a.midpoint(b)
        return str({X: mid.x, Y: mid.y})
    line = Line(a, b)
    if kind == "slope":
        return str(line.slope)
    (y,) = sympy.solve(line.equation(X, Y), Y)
    return str(y)


def test_answers_traces_and_sympy_geometry() -> None:
    check_family(NAME, _geometry)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears_and_its_forms_are_accepted() -> None:
    problems = list(generate(NAME, seed=1, count=200, difficulty=4))
    assert {p.meta["kind"] for p in problems} == {"distance", "midpoint", "slope", "line"}
    for p in problems:
        assert str(sympy.sympify(p.expression, rational=True)) == p.answer, p.expression
        for form in get_family(NAME).present(p.answer):
            assert answers_match(form, p.answer), (form, p.answer)
    assert answers_match("y = -x/2 + 3", "3 - x/2") and not answers_match("y = x/2 + 3", "3 - x/2")
    assert answers_match("(1, 7/2)", "{x: 1, y: 7/2}")
