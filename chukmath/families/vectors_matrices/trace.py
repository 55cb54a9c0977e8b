"""The classic built-in traces of vectors_matrices: entry-by-entry products and sums (one claim each), a 3×3
determinant by first-row expansion, products entry by entry, inverses by the adjugate; matrix answers end with a
check that recomputes by another route (entry sums of a product, A times its inverse)."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.common.radicals import by_hand, simplify_sqrt_lines, sqrt_text
from chukmath.families.vectors_matrices import linalg
from chukmath.records import Problem


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
    if kind in MATRIX_TRACES:
        return MATRIX_TRACES[kind](problem)
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
        lines += simplify_sqrt_lines(total) or [f"{total} has no square factor, so the length stays √{total}."]
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


def _add_up(values: list[Fraction], lines: list[str]) -> Fraction:
    total = values[0]
    for v in values[1:]:
        line, total = step(total, OP_ADD, v)
        lines.append(line)
    return Fraction(total)


def _row_times_column(row: list[Fraction], col: list[Fraction], lines: list[str]) -> Fraction:
    """Matching entries multiplied (one claim each) and added."""
    products = []
    for a, b in zip(row, col, strict=True):
        line, p = step(a, OP_MUL, b)
        lines.append(line)
        products.append(Fraction(p))
    return _add_up(products, lines)


def _answer_tags(lines: list[str], what: str, rows: linalg.Rows, answer: str) -> str:
    shown = linalg.vector_text(rows[0]) if len(rows) == 1 else linalg.list_text(rows)
    lines.append(f"So {what} is {shown}.")
    return assemble(lines, f"{what[0].upper()}{what[1:]} is {shown}.", answer)


def combination_trace(problem: Problem) -> str:
    """Scale each vector entry by entry, add matching entries; check with the entry sums."""
    m = problem.meta
    u, v, a, b, term = m["u"], m["v"], m["a"], m["b"], m["term"]
    lines = [f"Work out {term} one entry at a time." + ("" if b == 0 else f" Entry k is {a} × u_k + ({b}) × v_k.")]
    result: list[Fraction] = []
    for k, (x, y) in enumerate(zip(u, v, strict=True)):
        lines.append(f"Entry {k + 1}:")
        line, ax = step(a, OP_MUL, x)
        lines.append(line)
        if b == 0:
            result.append(Fraction(ax))
            continue
        line, by = step(b, OP_MUL, y)
        lines.append(line)
        line, value = step(ax, OP_ADD, by)
        lines.append(line)
        result.append(Fraction(value))
    lines.append(f"Check with the entry sums: the entries of {term} add up to {a} × (sum of u)"
                 + ("" if b == 0 else f" + ({b}) × (sum of v)") + ".")  # fmt: skip
    got = _add_up(result, lines)
    su = _add_up([Fraction(x) for x in u], lines)
    line, want = step(a, OP_MUL, su)
    lines.append(line)
    if b:
        sv = _add_up([Fraction(y) for y in v], lines)
        line, bv = step(b, OP_MUL, sv)
        lines.append(line)
        line, want = step(want, OP_ADD, bv)
        lines.append(line)
    if got != want:
        raise AssertionError(f"combination check failed: {got} != {want}")
    lines.append(f"Both ways give {num(got)}.")
    return _answer_tags(lines, f"the vector {term}", [result], problem.answer)


def product_trace(problem: Problem) -> str:
    """Entry (i, j) of AB is row i of A times column j of B; check: the entries of AB add up to
    (column sums of A) · (row sums of B)."""
    a, b = linalg.fractions(problem.meta["a"]), linalg.fractions(problem.meta["b"])
    lines = [f"A has {len(a)} rows and {len(a[0])} columns, B has {len(b)} rows and {len(b[0])} columns, "
             f"so AB has {len(a)} rows and {len(b[0])} columns.",
             "Entry (i, j) of AB is row i of A times column j of B: multiply matching entries and add."]  # fmt: skip
    cols = linalg.transpose(b)
    out: linalg.Rows = []
    for i, row in enumerate(a):
        out.append([])
        for j, col in enumerate(cols):
            lines.append(f"Entry ({i + 1}, {j + 1}): row {i + 1} of A {linalg.row_text(row)} "
                         f"with column {j + 1} of B {linalg.row_text(col)}:")  # fmt: skip
            out[-1].append(_row_times_column(row, col, lines))
    lines.append("Check: the entries of AB add up to the column sums of A times the row sums of B.")
    got = _add_up([v for r in out for v in r], lines)
    col_sums = [_add_up(c, lines) for c in linalg.transpose(a)]
    row_sums = [_add_up(r, lines) for r in b]
    want = _row_times_column(col_sums, row_sums, lines)
    if got != want:
        raise AssertionError(f"product check failed: {got} != {want}")
    lines.append(f"Both ways give {num(got)}.")
    return _answer_tags(lines, "the product AB", out, problem.answer)


def _det_by_cofactors(rows: linalg.Rows, cof: linalg.Rows, lines: list[str]) -> Fraction:
    """det A along the first row, from the cofactors already worked out."""
    lines.append("The determinant is the first row of A times its cofactors:")
    return _row_times_column(rows[0], cof[0], lines)


def _cofactors(rows: linalg.Rows, lines: list[str]) -> linalg.Rows:
    n = len(rows)
    if n == 2:
        (a, b), (c, d) = rows
        lines.append(f"For a 2×2 matrix the cofactors are: {num(d)} and -({num(c)}) in the first row, "
                     f"-({num(b)}) and {num(a)} in the second.")  # fmt: skip
        return linalg.cofactors(rows)
    out: linalg.Rows = []
    for i in range(n):
        out.append([])
        for j in range(n):
            (p, q), (r, s) = linalg.minor(rows, i, j)
            sign = "+" if (i + j) % 2 == 0 else "-"
            minor = linalg.list_text([[p, q], [r, s]])
            lines.append(f"Cofactor ({i + 1}, {j + 1}), sign {sign}: minor {minor}:")
            line, ps = step(p, OP_MUL, s)
            lines.append(line)
            line, qr = step(q, OP_MUL, r)
            lines.append(line)
            line, value = step(ps, OP_SUB, qr) if sign == "+" else step(qr, OP_SUB, ps)
            lines.append(line)
            out[-1].append(Fraction(value))
    return out


def inverse_trace(problem: Problem) -> str:
    """Cofactors, the determinant from them, the adjugate divided by the determinant; check: A times the result
    gives the identity (the first row of the product for a 3×3)."""
    rows = linalg.fractions(problem.meta["rows"])
    n = len(rows)
    lines = ["The inverse is the adjugate (the transposed cofactor matrix) divided by the determinant."]
    cof = _cofactors(rows, lines)
    d = _det_by_cofactors(rows, cof, lines)
    adj = linalg.transpose(cof)
    lines.append(f"The determinant is {num(d)}, not 0, so A has an inverse.")
    lines.append(f"The adjugate, rows listed: {linalg.list_text(adj)}. Divide every entry by {num(d)}:")
    inv: linalg.Rows = []
    for row in adj:
        inv.append([])
        for v in row:
            line, value = step(v, OP_DIV, d)
            lines.append(line)
            inv[-1].append(Fraction(value))
    target = "the identity." if n == 2 else "(1, 0, 0) in its first row."
    lines.append(f"Check: A times the inverse must give {target}")
    cols = linalg.transpose(inv)
    for i in range(n if n == 2 else 1):
        for j in range(n):
            value = _row_times_column(rows[i], cols[j], lines)
            if value != (1 if i == j else 0):
                raise AssertionError(f"inverse check failed at ({i + 1}, {j + 1}): {value}")
    return _answer_tags(lines, "the inverse of A", inv, problem.answer)


MATRIX_TRACES = {"combination": combination_trace, "product": product_trace, "inverse": inverse_trace}
