"""``vectors_matrices``: vectors and small matrices with integer entries.

Scalar answers (dot products, lengths as exact radicals, 2×2 / 3×3 determinants) and matrix or vector answers
(linear combinations ``a·u + b·v``, products ``AB``, inverses with exact fraction entries), written as in
:mod:`chukmath.families.vectors_matrices.linalg`. The traces are in :mod:`chukmath.families.vectors_matrices.trace`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.radicals import sqrt_text
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.families.vectors_matrices import linalg

KINDS = ("dot", "length", "det2", "det3", "combination", "product", "inverse")
# Draws per candidate for a matrix whose determinant is small and not zero (the rest of the run's candidates
# are independent, so a candidate that finds none is simply rejected).
INVERSE_TRIES = 64


@dataclass(frozen=True)
class VectorsMatricesConfig:
    """Knobs of vectors_matrices (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_entry: int = param(9, "largest absolute value of an entry", min=2, max=1000)
    dimension: int = param(3, "largest vector dimension", min=2, max=6)
    matrix_entry: int = param(5, "largest absolute entry of a matrix multiplied or inverted", min=1, max=100)
    product_size: int = param(3, "largest number of rows or columns of a matrix in a product", min=2, max=4)
    inverse_size: int = param(2, "largest n of an n×n matrix to invert", min=2, max=3)
    inverse_det: int = param(4, "largest |determinant| of a matrix to invert (1 gives integer inverses)", min=1,
                             max=1000)  # fmt: skip

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


# fmt: off
PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "dot,det2,combination", "max_entry": 6, "dimension": 2},
    2: {"kinds": "dot,length,det2,combination,product", "max_entry": 9, "dimension": 3, "product_size": 2,
        "matrix_entry": 4},
    3: {},
    4: {"max_entry": 20, "dimension": 4, "matrix_entry": 7, "inverse_size": 3, "inverse_det": 8},
    5: {"max_entry": 99, "dimension": 5, "matrix_entry": 9, "product_size": 4, "inverse_size": 3, "inverse_det": 30},
}
# fmt: on


def _vec(v: list[int]) -> str:
    return "(" + ", ".join(map(str, v)) + ")"


def _mat(rows: list[list[int]]) -> str:
    return "[" + ", ".join("[" + ", ".join(map(str, r)) + "]" for r in rows) + "]"


def draw(cfg: VectorsMatricesConfig, rng: Rng) -> tuple[str, Any] | None:
    """One vector or matrix question."""
    kind = rng.choice(kind_names(cfg.kinds))
    e = cfg.max_entry

    def entries(n: int) -> list[int]:
        return [rng.randint(-e, e) for _ in range(n)]

    if kind == "dot":
        n = rng.randint(2, cfg.dimension)
        u, v = entries(n), entries(n)
        question = rng.choice(
            (
                f"What is the dot product of u = {_vec(u)} and v = {_vec(v)}?",
                f"Compute u · v for u = {_vec(u)} and v = {_vec(v)}.",
                f"Find the scalar product of the vectors {_vec(u)} and {_vec(v)}.",
            )
        )
        expr = " + ".join(f"({a})*({b})" for a, b in zip(u, v, strict=True))
        return question, (expr, str(sum(a * b for a, b in zip(u, v, strict=True))), {"kind": kind, "u": u, "v": v})
    if kind == "length":
        n = rng.randint(2, cfg.dimension)
        v = entries(n)
        if not any(v):
            return None
        question = rng.choice(
            (
                f"What is the length of the vector {_vec(v)}? Give an exact answer.",
                f"Find the magnitude |v| of v = {_vec(v)}, exactly.",
            )
        )
        expr = f"sqrt({' + '.join(f'({a})**2' for a in v)})"
        return question, (expr, sqrt_text(1, sum(a * a for a in v)), {"kind": kind, "v": v})
    if kind == "combination":
        return _combination(cfg, rng, entries)
    if kind == "product":
        return _product(cfg, rng)
    if kind == "inverse":
        return _inverse(cfg, rng)
    n = 2 if kind == "det2" else 3
    rows = [entries(n) for _ in range(n)]
    question = rng.choice(
        (
            f"What is the determinant of the matrix {_mat(rows)} (given row by row)?",
            f"Compute det(A) for A = {_mat(rows)}, whose rows are listed in order.",
        )
    )
    if n == 2:
        (a, b), (c, d) = rows
        value = a * d - b * c
    else:
        value = sum((-1) ** j * rows[0][j] * _minor(rows, j) for j in range(3))
    return question, (f"Matrix({rows}).det()", str(value), {"kind": kind, "rows": rows})


def _minor(rows: list[list[int]], j: int) -> int:
    (a, b), (c, d) = ([r[k] for k in range(3) if k != j] for r in rows[1:])
    return a * d - b * c


def _scaled_name(coef: int, name: str, first: bool) -> str:
    """``2u``, ``- v``, ``+ 3v``, ``-u`` as a term of a combination."""
    size = abs(coef)
    body = name if size == 1 else f"{size}{name}"
    if first:
        return body if coef > 0 else f"-{body}"
    return f"{'+' if coef > 0 else '-'} {body}"


def _combination(cfg: VectorsMatricesConfig, rng: Rng, entries: Any) -> tuple[str, Any] | None:
    n = rng.randint(2, cfg.dimension)
    u, v = entries(n), entries(n)
    shape = rng.choice(("sum", "difference", "scalar", "combination"))
    a, b = {"sum": (1, 1), "difference": (1, -1), "scalar": (rng.choice((-3, -2, 2, 3, 4, 5)), 0),
            "combination": (rng.randint(-5, 5) or 2, rng.randint(-5, 5) or -3)}[shape]  # fmt: skip
    term = _scaled_name(a, "u", True) + ("" if b == 0 else " " + _scaled_name(b, "v", False))
    if b == 0:
        question = rng.choice((f"Compute {term} for u = {_vec(u)}.",
                               f"What is the vector {term} when u = {_vec(u)}?"))  # fmt: skip
        expr = f"({a})*Matrix([{u}])"
        v = [0] * n
    else:
        question = rng.choice((f"Compute {term} for u = {_vec(u)} and v = {_vec(v)}.",
                               f"Given u = {_vec(u)} and v = {_vec(v)}, find the vector {term}.",
                               f"What is {term} if u = {_vec(u)} and v = {_vec(v)}?"))  # fmt: skip
        expr = f"({a})*Matrix([{u}]) + ({b})*Matrix([{v}])"
    result = [Fraction(a * x + b * y) for x, y in zip(u, v, strict=True)]
    meta = {"kind": "combination", "u": u, "v": v, "a": a, "b": b, "term": term}
    return question, (expr, linalg.vector_answer(result), meta)


def _product(cfg: VectorsMatricesConfig, rng: Rng) -> tuple[str, Any] | None:
    m, k, p = (rng.randint(2, cfg.product_size) for _ in range(3))
    e = cfg.matrix_entry
    a = [[rng.randint(-e, e) for _ in range(k)] for _ in range(m)]
    b = [[rng.randint(-e, e) for _ in range(p)] for _ in range(k)]
    question = rng.choice((f"Compute the product AB for A = {_mat(a)} and B = {_mat(b)} (matrices given row by row).",
                           f"Let A = {_mat(a)} and B = {_mat(b)}, rows listed in order. What is AB?",
                           f"Multiply the matrices {_mat(a)} and {_mat(b)} (in that order; rows listed)."))  # fmt: skip
    product = linalg.matmul(linalg.fractions(a), linalg.fractions(b))
    return question, (f"Matrix({a})*Matrix({b})", linalg.matrix_answer(product), {"kind": "product", "a": a, "b": b})


def _inverse(cfg: VectorsMatricesConfig, rng: Rng) -> tuple[str, Any] | None:
    n = rng.randint(2, cfg.inverse_size)
    e = cfg.matrix_entry
    for _ in range(INVERSE_TRIES):
        rows = [[rng.randint(-e, e) for _ in range(n)] for _ in range(n)]
        d = linalg.det(linalg.fractions(rows))
        if d != 0 and abs(d) <= cfg.inverse_det:
            break
    else:
        return None
    question = rng.choice((f"Find the inverse of the matrix A = {_mat(rows)} (given row by row).",
                           f"Compute A^(-1) for A = {_mat(rows)}, whose rows are listed in order.",
                           f"What is the inverse of {_mat(rows)} (rows listed)? Give exact entries."))  # fmt: skip
    answer = linalg.matrix_answer(linalg.inverse(linalg.fractions(rows)))
    return question, (f"Matrix({rows}).inv()", answer, {"kind": "inverse", "rows": rows})
