"""sympy's ``str()`` written without sympy (``symstr``) and ``fast_diff``: compared with sympy itself."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
import sympy

from chukmath.families import Rng, get_family
from chukmath.families.calculus import generator as calculus
from chukmath.families.common import symstr
from chukmath.families.common.sympy_diff import fast_diff
from chukmath.generate import generate
from chukmath.generate.engine import stream_key

X = sympy.Symbol("x")


def _r(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def test_polynomials_print_like_sympy() -> None:
    rng = random.Random(3)
    for _ in range(800):
        powers = rng.sample(range(13), rng.randint(1, 5))
        terms = [(Fraction(rng.randint(-30, 30), rng.choice((1, 1, 2, 3, 6))), p) for p in powers]
        expected = str(sympy.Add(*(_r(c) * X**p for c, p in terms)))
        assert symstr.polynomial(terms) == expected, terms


def test_two_term_special_case_and_zero() -> None:
    assert symstr.polynomial([(-2, 1), (7, 0)]) == "7 - 2*x" == str(-2 * X + 7)
    assert symstr.polynomial([(2, 1), (-7, 0)]) == "2*x - 7"
    assert symstr.polynomial([(0, 3)]) == "0"


@pytest.mark.parametrize("m", [2, 3, 5, 6, 7, 10])
def test_radicals_and_root_sets_print_like_sympy(m: int) -> None:
    for pn, pd, qn, qd in itertools.product(range(-6, 7), (1, 2, 3), range(-5, 6), (1, 2, 4)):
        if qn == 0:
            continue
        p, q = Fraction(pn, pd), Fraction(qn, qd)
        assert symstr.sqrt_sum(p, q, m) == str(_r(p) + _r(q) * sympy.sqrt(m)), (p, q, m)
        if q > 0:
            roots = sympy.FiniteSet(_r(p) - _r(q) * sympy.sqrt(m), _r(p) + _r(q) * sympy.sqrt(m))
            assert symstr.sqrt_pair_set(p, q, m) == str(roots), (p, q, m)


def test_exp_combinations_and_rational_sets_print_like_sympy() -> None:
    for a, b, power in itertools.product(range(-8, 9), range(-25, 26, 3), (1, 2, 3)):
        assert symstr.exp_combination(a, b, power) == str(a * sympy.exp(power) + b), (a, b, power)
    values = [Fraction(3, 2), Fraction(-7), Fraction(0), Fraction(-1, 3)]
    assert symstr.rational_set(values) == str(sympy.FiniteSet(*(_r(v) for v in values)))


def test_square_part() -> None:
    for n in range(1, 3000):
        k, m = symstr.square_part(n)
        assert k * k * m == n
        assert sympy.sqrt(n) == k * sympy.sqrt(m)


def test_fast_diff_is_sympy_diff_on_the_calculus_family() -> None:
    family = get_family("calculus")
    checked = 0
    for difficulty, overrides in ((3, {}), (5, {"elementary": "1", "products": "1"}), (4, {"elementary": "1"})):
        config = family.config(difficulty, overrides)
        key = stream_key(family, config, difficulty, 17)
        for c in range(150):
            got = calculus.draw(config, Rng(key + c.to_bytes(8, "little")))
            if got is None or got[1][0] != "D" or not got[1][2]:
                continue
            f = calculus._function(got[1])
            fast = fast_diff(f, X)
            assert fast == sympy.diff(f, X) and str(fast) == str(sympy.diff(f, X)), f
            checked += 1
    assert checked > 100


def test_calculus_answers_agree_with_sympy_integrate_and_diff_across_configs() -> None:
    """Wider than test_generate_answers: every integrand shape, large coefficients and degrees."""
    cases = [
        (4, {"integrals": "1", "elementary": "1"}, 40),
        (5, {"integrals": "1", "elementary": "0", "max_degree": "12", "terms": "8", "max_bound": "100"}, 25),
        (2, {"integrals": "0", "elementary": "0", "max_coefficient": "1000"}, 25),
    ]
    for difficulty, overrides, count in cases:
        for problem in generate("calculus", seed=23, count=count, difficulty=difficulty, overrides=overrides):
            assert str(sympy.sympify(problem.expression).doit()) == problem.answer, problem.expression
