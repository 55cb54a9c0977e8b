"""vectors_matrices: answers recomputed with sympy's Matrix (det, dot, norm, products by the entry formula, inverses
checked both sides), traces verified, matrix answers accepted in every written form, runs reproducible."""

from __future__ import annotations

import itertools
from fractions import Fraction

import sympy
from test_family_support import check_family, check_runs

from chukmath.families import get_family
from chukmath.families.vectors_matrices import linalg
from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.verify.answers import answers_match

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


def _one_line(matrix: sympy.Matrix) -> str:
    return f"Matrix({matrix.tolist()})"


def _independent(p: Problem) -> str:
    m = p.meta
    if m["kind"] == "combination":
        return _one_line(m["a"] * sympy.Matrix([m["u"]]) + m["b"] * sympy.Matrix([m["v"]]))
    if m["kind"] == "product":
        a, b = sympy.Matrix(m["a"]), sympy.Matrix(m["b"])
        product = sympy.Matrix(a.rows, b.cols, lambda i, j: sum(a[i, k] * b[k, j] for k in range(a.cols)))
        assert product == a * b
        return _one_line(product)
    if m["kind"] == "inverse":
        a = sympy.Matrix(m["rows"])
        inverse = a.inv()
        assert a * inverse == sympy.eye(a.rows) and inverse * a == sympy.eye(a.rows)
        return _one_line(inverse)
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
    kinds = {"dot", "length", "det2", "det3", "combination", "product", "inverse"}
    assert {p.meta["kind"] for p in generate(NAME, seed=1, count=200)} == kinds
    hard = list(generate(NAME, seed=1, count=300, difficulty=5))
    assert any(p.meta["kind"] == "inverse" and len(p.meta["rows"]) == 3 for p in hard)
    assert any(p.meta["kind"] == "inverse" and "/" in p.answer for p in hard)


def test_matrix_answers_in_every_written_form_and_a_wrong_entry_is_rejected() -> None:
    checked = 0
    for p in generate(NAME, seed=2, count=120, difficulty=4):
        rows = linalg.parse_answer(p.answer)
        if rows is None:
            continue
        forms = get_family(NAME).present(p.answer)
        assert len(forms) >= 3 and all(answers_match(f, p.answer) for f in forms), forms
        rows[-1][-1] += Fraction(1, 2)  # one entry off
        assert not answers_match(linalg.list_text(rows), p.answer)
        assert not answers_match(linalg.pmatrix(rows), p.answer)
        checked += 1
    assert checked > 30
