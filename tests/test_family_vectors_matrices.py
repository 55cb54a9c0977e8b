"""vectors_matrices: answers recomputed with sympy's Matrix (det, dot, norm), traces verified, runs reproducible."""

from __future__ import annotations

import itertools

import sympy
from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "vectors_matrices"


def _leibniz(rows: list[list[int]]) -> int:
    """The determinant as a sum over permutations, with the sign from counting inversions."""
    n = len(rows)
    total = 0
    for perm in itertools.permutations(range(n)):
        inversions = sum(1 for i, j in itertools.combinations(range(n), 2) if perm[i] > perm[j])
        term = (-1) ** inversions
        for i in range(n):
            term *= rows[i][perm[i]]
        total += term
    return total


def _independent(p: Problem) -> str:
    m = p.meta
    if m["kind"] == "dot":
        return str(sympy.Matrix(m["u"]).dot(sympy.Matrix(m["v"])))
    if m["kind"] == "length":
        return str(sympy.Matrix(m["v"]).norm())
    value = _leibniz(m["rows"])
    assert value == sympy.Matrix(m["rows"]).det()
    return str(value)


def test_answers_traces_and_sympy_matrices() -> None:
    check_family(NAME, _independent)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears() -> None:
    assert {p.meta["kind"] for p in generate(NAME, seed=1, count=200)} == {"dot", "length", "det2", "det3"}
