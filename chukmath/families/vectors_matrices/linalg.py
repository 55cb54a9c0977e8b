"""Exact matrix arithmetic over ``Fraction`` and how matrices and vectors are written (answer text and forms).

An answer matrix is written as sympy builds it, on one line: ``Matrix([[1, 2], [3, 4]])``; a vector is one row,
``Matrix([[1, 2, 3]])`` (``str()`` of a sympy matrix breaks lines, which a JSONL answer should not carry).
"""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import num
from chukmath.families.common.radicals import radical_forms

Rows = list[list[Fraction]]


def fractions(rows: list[list[int]]) -> Rows:
    """Integer rows as exact rows."""
    return [[Fraction(v) for v in row] for row in rows]


def matmul(a: Rows, b: Rows) -> Rows:
    """The product ``a·b`` (columns of ``a`` = rows of ``b``)."""
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0]))]
            for i in range(len(a))]  # fmt: skip


def det(rows: Rows) -> Fraction:
    """The determinant by expansion along the first row (n <= 3 here, so no elimination is needed)."""
    n = len(rows)
    if n == 1:
        return rows[0][0]
    if n == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    return sum(((-1) ** j * rows[0][j] * det(minor(rows, 0, j)) for j in range(n)), Fraction(0))


def minor(rows: Rows, i: int, j: int) -> Rows:
    """``rows`` without row ``i`` and column ``j``."""
    return [[v for c, v in enumerate(row) if c != j] for r, row in enumerate(rows) if r != i]


def cofactors(rows: Rows) -> Rows:
    """The cofactor matrix: ``(-1)^(i+j)`` times the determinant of minor ``(i, j)``."""
    n = len(rows)
    if n == 2:
        (a, b), (c, d) = rows
        return [[d, -c], [-b, a]]
    return [[(-1) ** (i + j) * det(minor(rows, i, j)) for j in range(n)] for i in range(n)]


def transpose(rows: Rows) -> Rows:
    """Rows become columns."""
    return [list(col) for col in zip(*rows, strict=True)]


def inverse(rows: Rows) -> Rows:
    """The inverse by the adjugate over the determinant (the caller made sure the determinant is not 0)."""
    d = det(rows)
    return [[v / d for v in row] for row in transpose(cofactors(rows))]


def identity(n: int) -> Rows:
    """The n×n identity."""
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def row_text(row: list[Fraction] | list[int]) -> str:
    """``[1, -3/2, 4]``."""
    return "[" + ", ".join(num(Fraction(v)) for v in row) + "]"


def list_text(rows: Rows | list[list[int]]) -> str:
    """``[[1, 2], [3, 4]]``: the bracket list a question and a trace write."""
    return "[" + ", ".join(row_text(r) for r in rows) + "]"


def vector_text(v: list[Fraction] | list[int]) -> str:
    """``(1, -2, 3/2)``."""
    return "(" + ", ".join(num(Fraction(x)) for x in v) + ")"


def matrix_answer(rows: Rows) -> str:
    """The answer text of a matrix: ``Matrix([[1, 2], [3, 4]])``."""
    return f"Matrix({list_text(rows)})"


def vector_answer(v: list[Fraction]) -> str:
    """The answer text of a vector: one row, ``Matrix([[1, 2, 3]])``."""
    return f"Matrix([{row_text(v)}])"


def _latex_entry(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def pmatrix(rows: Rows) -> str:
    """``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}`` with ``\\frac`` entries."""
    body = " \\\\ ".join(" & ".join(_latex_entry(v) for v in row) for row in rows)
    return f"\\begin{{pmatrix}} {body} \\end{{pmatrix}}"


def parse_answer(answer: str) -> Rows | None:
    """The rows of an answer written by :func:`matrix_answer` or :func:`vector_answer`; None for a scalar answer."""
    text = answer.strip()
    if not (text.startswith("Matrix([[") and text.endswith("]])")):
        return None
    return [[Fraction(v.strip()) for v in row.split(",")] for row in text[len("Matrix([[") : -3].split("], [")]


def present(answer: str) -> list[str]:
    """A matrix as sympy text, a bracket list and LaTeX; a vector also as a tuple and with angle brackets;
    a scalar as written by hand (``5√2``)."""
    rows = parse_answer(answer)
    if rows is None:
        return radical_forms(answer)
    forms = [answer.strip(), list_text(rows)]
    if len(rows) == 1:
        inner = vector_text(rows[0])[1:-1]
        forms += [f"({inner})", f"\\langle {inner} \\rangle", pmatrix(transpose(rows))]
    else:
        forms.append(pmatrix(rows))
    return forms
