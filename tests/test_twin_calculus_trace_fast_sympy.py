"""Twin: the calculus trace's sympy-free path (``fast_calculus_trace``) against its sympy path.

Wherever the fast path answers (the generator's polynomial and elementary shapes), its text must be byte for byte
what the sympy path writes; elsewhere it must decline (None) so the sympy path runs.
"""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.families.calculus.trace import derivative_trace, fast_calculus_trace, integral_trace
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.safe_expr import to_sympy


def _sympy_path(problem: Problem) -> str:
    parsed = to_sympy(problem.expression, "test")
    if isinstance(parsed, sympy.Derivative):
        return derivative_trace(problem, parsed)
    return integral_trace(problem, parsed)


OVERRIDES = st.sampled_from([
    {},
    {"integrals": "1"},
    {"integrals": "0"},
    {"integrals": "1", "elementary": "1"},
    {"integrals": "1", "elementary": "0", "max_degree": "9", "terms": "6", "max_bound": "60"},
])  # fmt: skip


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**63 - 1), difficulty=st.integers(1, 5), overrides=OVERRIDES)
def test_fast_path_writes_the_sympy_text(seed: int, difficulty: int, overrides: dict[str, str]) -> None:
    for problem in generate("calculus", seed=seed, count=3, difficulty=difficulty, overrides=overrides):
        fast = fast_calculus_trace(problem.expression)
        if fast is not None:
            assert fast == _sympy_path(problem), problem.expression


@settings(max_examples=40, deadline=None)
@given(
    coefficients=st.lists(st.integers(-9, 9), min_size=1, max_size=4),
    integral=st.booleans(),
    bounds=st.tuples(st.integers(-5, 5), st.integers(-5, 5)),
)
def test_fast_path_on_printed_polynomials(coefficients: list[int], integral: bool, bounds: tuple[int, int]) -> None:
    x = sympy.Symbol("x")
    poly = sum((c * x**k for k, c in enumerate(coefficients)), sympy.Integer(0))
    if poly.free_symbols != {x}:
        return
    text = f"Integral({poly}, (x, {bounds[0]}, {bounds[1]}))" if integral else f"Derivative({poly}, x)"
    fast = fast_calculus_trace(text)
    problem = Problem(id="calculus-twin", generator="calculus", difficulty=1, seed=0, index=0, question=text,
                      expression=text, answer="0", meta={})
    if fast is not None:
        assert fast == _sympy_path(problem), text
