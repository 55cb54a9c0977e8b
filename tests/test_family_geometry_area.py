"""geometry_area: answers recomputed from textbook formulas in sympy (exact π and radicals), traces verified."""

from __future__ import annotations

from fractions import Fraction

import sympy
from sympy import Rational, pi, sqrt
from test_family_support import check_family, check_runs

from chukmath.families.common.radicals import radical_forms, sqrt_text, sympy_text
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.verify.answers import answers_match

NAME = "geometry_area"
FORMULAS = {
    "rectangle_area": lambda length, w: length * w,
    "rectangle_perimeter": lambda length, w: 2 * length + 2 * w,
    "triangle_area": lambda b, h: Rational(b * h, 2),
    "trapezoid_area": lambda a, b, h: Rational((a + b) * h, 2),
    "circle_area": lambda r: pi * r**2,
    "circumference": lambda r: 2 * pi * r,
    "diameter_area": lambda d: pi * Rational(d, 2) ** 2,
    "semicircle_area": lambda r: pi * r**2 / 2,
    "equilateral_area": lambda s: sqrt(3) / 4 * s**2,
    "square_diagonal": lambda s: sqrt(s**2 + s**2),
    "box_volume": lambda length, w, h: length * w * h,
    "cube_surface": lambda s: 6 * s**2,
    "cylinder_volume": lambda r, h: pi * r**2 * h,
    "cone_volume": lambda r, h: pi * r**2 * h / 3,
    "sphere_volume": lambda r: Rational(4, 3) * pi * r**3,
    "sphere_surface": lambda r: 4 * pi * r**2,
}


def _formula(p: Problem) -> str:
    m = dict(p.meta)
    shape = m.pop("shape")
    return str(FORMULAS[shape](*(sympy.Integer(v) for v in m.values())))


def test_answers_traces_and_formulas() -> None:
    check_family(NAME, _formula)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_shape_appears_and_expression_is_the_answer() -> None:
    problems = list(generate(NAME, seed=1, count=400))
    assert {p.meta["shape"] for p in problems} == set(FORMULAS)
    for p in problems:
        assert str(sympy.sympify(p.expression, rational=True)) == p.answer


def test_radical_text_is_sympys_and_every_hand_form_is_accepted() -> None:
    for n in range(0, 400):
        for c in (Rational(1), Rational(3), Rational(-1, 2), Rational(5, 4), Rational(-7, 3)):
            assert sqrt_text(Fraction(c.p, c.q), n) == str(c * sqrt(n)), (c, n)
            assert sympy_text(Fraction(c.p, c.q), "pi") == str(c * pi)
            for form in radical_forms(str(c * sqrt(n))):
                assert answers_match(form, str(c * sqrt(n))), form
