"""``vectors_matrices``: scalar answers from vectors and small matrices with integer entries.

The trace multiplies entry by entry and adds (one claim each); a 3×3 determinant is expanded along its first
row, each 2×2 minor worked out before it is weighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, assemble, step
from chukmath.families.common.radicals import by_hand, integer_sqrt, split_sqrt, sqrt_text
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("dot", "length", "det2", "det3")


@dataclass(frozen=True)
class VectorsMatricesConfig:
    """Knobs of vectors_matrices (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_entry: int = param(9, "largest absolute value of an entry", min=2, max=1000)
    dimension: int = param(3, "largest vector dimension", min=2, max=6)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "dot,det2", "max_entry": 6, "dimension": 2},
    2: {"kinds": "dot,length,det2", "max_entry": 9, "dimension": 3},
    3: {},
    4: {"max_entry": 20, "dimension": 4},
    5: {"max_entry": 99, "dimension": 5},
}


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


def _sum(values: list[int], lines: list[str]) -> int:
    total = values[0]
    for v in values[1:]:
        line, total = step(total, OP_ADD, v)
        lines.append(line)
    return int(total)


def _det2(a: int, b: int, c: int, d: int, lines: list[str]) -> int:
    line, ad = step(a, OP_MUL, d)
    lines.append(line)
    line, bc = step(b, OP_MUL, c)
    lines.append(line)
    line, value = step(ad, OP_SUB, bc)
    lines.append(line)
    return int(value)


def trace(problem: Problem) -> str:
    """Entry-by-entry products and sums; determinants by the 2×2 rule and first-row expansion."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "dot":
        u, v = m["u"], m["v"]
        lines.append("Multiply matching entries, then add the products:")
        products = []
        for a, b in zip(u, v, strict=True):
            line, p = step(a, OP_MUL, b)
            lines.append(line)
            products.append(int(p))
        value = _sum(products, lines)
        answer = str(value)
    elif kind == "length":
        v = m["v"]
        lines.append("The length is the square root of the sum of the squares of the entries:")
        squares = []
        for a in v:
            line, sq = step(a, OP_MUL, a)
            if line not in lines:
                lines.append(line)
            squares.append(int(sq))
        total = _sum(squares, lines)
        answer = sqrt_text(1, total)
        root = integer_sqrt(total)
        k, rest = split_sqrt(total)
        if root is not None:
            lines.append(f"{total} is a perfect square:")
            lines.append(step(root, OP_MUL, root)[0])
        elif k > 1:
            lines.append(f"Take the square factor {k * k} out of {total}:")
            lines.append(step(k * k, OP_MUL, rest)[0])
            lines.append(f"√{total} = {k}√{rest}")
        else:
            lines.append(f"{total} has no square factor, so the length stays √{total}.")
    elif kind == "det2":
        (a, b), (c, d) = m["rows"]
        lines.append("For a 2×2 matrix the determinant is (top left × bottom right) - (top right × bottom left):")
        answer = str(_det2(a, b, c, d, lines))
    else:
        rows = m["rows"]
        lines.append(
            "Expand along the first row with signs +, -, +; each entry multiplies the 2×2 determinant left "
            "when its row and column are crossed out."
        )
        terms = []
        for j, sign in enumerate(("+", "-", "+")):
            (a, b), (c, d) = ([r[k] for k in range(3) if k != j] for r in rows[1:])
            lines.append(f"Entry {j + 1} is {rows[0][j]} with sign {sign}; its minor is [[{a}, {b}], [{c}, {d}]]:")
            minor = _det2(a, b, c, d, lines)
            line, term = step(rows[0][j], OP_MUL, minor)
            lines.append(line)
            terms.append(int(term))
        lines.append("Combine the three terms with their signs:")
        line, partial = step(terms[0], OP_SUB, terms[1])
        lines.append(line)
        line, value = step(partial, OP_ADD, terms[2])
        lines.append(line)
        answer = str(int(value))
    lines.append(f"So the answer is {by_hand(answer)}.")
    return assemble(lines, f"The answer is {by_hand(answer)}.", answer)
