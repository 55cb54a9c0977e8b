"""``vectors_matrices`` solution routes, one claim per operation:

- ``entrywise``: the textbook formula entry by entry (products then a sum; ad - bc; first-row expansion; row i of
  A times column j of B; the adjugate over the determinant);
- ``running_total``: a running total as each piece is added, and another method where there is one: elimination
  for determinants and inverses (Gauss-Jordan), the rule of Sarrus, whole vectors scaled first, AB column by column;
- ``regrouped``: the same value grouped differently: positive and negative products apart, a common factor out of a
  length, expansion along another row, ``a·u + b·v = a·(u + v) + (b - a)·v``, AB row by row.

Each ends with a check that recomputes another way: a dot product by ``|u + v|² - |u|² - |v|²``, a length squared
from ``a² = (a - 1)(a + 1) + 1``, a determinant by ``(a - b)d + b(d - c)`` or down the first column, each entry of a
combination undone, the row sums of AB against A times the row sums of B, and A times the inverse against I.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.radicals import by_hand, split_sqrt, sqrt_text
from chukmath.families.common.worked import Check, Work, finish, pick, square_root
from chukmath.families.contract import Trace
from chukmath.families.vectors_matrices import linalg
from chukmath.records import Problem

Rows = linalg.Rows


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The numbers of the answer: a scalar; ``k`` of a length ``k√m``; the entries of a vector or matrix."""
    m = problem.meta
    kind = m["kind"]
    if kind == "length":
        return (Fraction(split_sqrt(sum(a * a for a in m["v"]))[0]),)
    rows = linalg.parse_answer(problem.answer)
    if rows is not None:
        return tuple(v for row in rows for v in row)
    return (Fraction(problem.answer),)


def _sum(work: Work, values: list[Number]) -> Number:
    total = values[0]
    for v in values[1:]:
        total = work.op(total, OP_ADD, v)
    return total


def _expect_sum(check: Check, values: list[Number], target: Number) -> None:
    """Claim ``values[0] + … + values[-1] = target``: the partial sums worked out, the last addition expected."""
    if len(values) == 1:
        check.expect(values[0], OP_MUL, 1, target)
        return
    check.expect(_sum(check, values[:-1]), OP_ADD, values[-1], target)


def _shape(rows: list[Fraction], width: int) -> Rows:
    return [list(rows[i : i + width]) for i in range(0, len(rows), width)]


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Recompute another way; the last claim of each comparison is false when the claimed answer is wrong."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    if kind == "dot":
        u, v = m["u"], m["v"]
        work.say("Check with lengths: 2(u · v) = |u + v|² - |u|² - |v|².")
        s = [work.op(a, OP_ADD, b) for a, b in zip(u, v, strict=True)]
        whole = _sum(work, [work.op(x, OP_MUL, x) for x in s])
        uu = _sum(work, [work.op(a, OP_MUL, a) for a in u])
        vv = _sum(work, [work.op(b, OP_MUL, b) for b in v])
        work.expect(2, OP_MUL, claimed[0], work.op(work.op(whole, OP_SUB, uu), OP_SUB, vv))
        return work
    if kind == "length":
        v = m["v"]
        rest = split_sqrt(sum(a * a for a in v))[1]
        work.say("Check: each a² is (a - 1)(a + 1) + 1, so the sum of squares is the sum of those products plus "
                 f"{len(v)}; the answer squared must give it.")  # fmt: skip
        total = work.op(_sum(work, [work.op(a - 1, OP_MUL, a + 1) for a in v]), OP_ADD, len(v))
        k = claimed[0]
        if rest == 1:
            work.expect(k, OP_MUL, k, total)
        else:
            work.expect(work.op(k, OP_MUL, k), OP_MUL, rest, total)
        return work
    if kind == "det2":
        (a, b), (c, d) = m["rows"]
        work.say("Check: ad - bc is also (a - b)d + b(d - c).")
        first = work.op(work.op(a, OP_SUB, b), OP_MUL, d)
        second = work.op(b, OP_MUL, work.op(d, OP_SUB, c))
        work.expect(first, OP_ADD, second, claimed[0])
        return work
    if kind == "det3":
        rows = m["rows"]
        work.say("Check: expand down the first column instead, signs +, -, +.")
        terms = [work.op(rows[i][0], OP_MUL, _det2_value(work, linalg.minor(linalg.fractions(rows), i, 0)))
                 for i in range(3)]  # fmt: skip
        work.expect(work.op(terms[0], OP_SUB, terms[1]), OP_ADD, terms[2], claimed[0])
        return work
    if kind == "combination":
        u, v, a, b = m["u"], m["v"], m["a"], m["b"]
        undo = f"take away {b}v and {a}u must be left" if b else f"divide by {a} and u must come back"
        work.say(f"Check: undo the combination entry by entry; {undo}.")
        for x, y, got in zip(u, v, claimed, strict=True):
            if b:
                work.expect(got, OP_SUB, work.op(b, OP_MUL, y), work.op(a, OP_MUL, x))
            else:
                work.expect(got, OP_DIV, a, x)
        return work
    if kind == "product":
        a, b = linalg.fractions(m["a"]), linalg.fractions(m["b"])
        work.say("Check with row sums: each row of AB adds up to that row of A times the row sums of B.")
        sums = [_sum(work, list(row)) for row in b]
        got = _shape(list(claimed), len(b[0]))
        for row_a, row in zip(a, got, strict=True):
            target = _sum(work, [work.op(x, OP_MUL, s) for x, s in zip(row_a, sums, strict=True)])
            _expect_sum(work, list(row), target)
        return work
    rows = linalg.fractions(m["rows"])
    n = len(rows)
    inv = _shape(list(claimed), n)
    work.say("Check: A times the inverse must be the identity, entry by entry.")
    for i in range(n):
        for j in range(n):
            _expect_sum(work, [work.op(rows[i][k], OP_MUL, inv[k][j]) for k in range(n)], int(i == j))
    return work


def _det2_value(work: Work, rows: Rows) -> Number:
    (a, b), (c, d) = rows
    return work.op(work.op(a, OP_MUL, d), OP_SUB, work.op(b, OP_MUL, c))


def _scalar_close(problem: Problem, work: Work, value: Number) -> str:
    closing = pick(problem.id, "close", (f"So the answer is {num(value)}.", f"That gives {num(value)}."))
    return finish(work, check(problem, (Fraction(value),)), closing, f"The answer is {num(value)}.", problem.answer)


def _matrix_close(problem: Problem, work: Work, what: str, rows: Rows) -> str:
    shown = linalg.vector_text(rows[0]) if len(rows) == 1 else linalg.list_text(rows)
    claimed = tuple(Fraction(v) for row in rows for v in row)
    return finish(work, check(problem, claimed), f"So {what} is {shown}.", f"{what[0].upper()}{what[1:]} is {shown}.",
                  problem.answer)  # fmt: skip


def _dot(problem: Problem, how: str) -> str:
    u, v = problem.meta["u"], problem.meta["v"]
    work = Work(problem.difficulty)
    if how == "running_total":
        work.say("Keep a running total: add each product of matching entries as it comes.")
        total: Number = work.op(u[0], OP_MUL, v[0])
        for a, b in zip(u[1:], v[1:], strict=True):
            total = work.op(total, OP_ADD, work.op(a, OP_MUL, b))
        return _scalar_close(problem, work, total)
    products = [work.op(a, OP_MUL, b) for a, b in zip(u, v, strict=True)]
    if how == "regrouped" and any(p > 0 for p in products) and any(p < 0 for p in products):
        work.say("Add the positive products and the negative ones apart, then combine the two.")
        plus = _sum(work, [p for p in products if p > 0])
        minus = _sum(work, [p for p in products if p < 0])
        return _scalar_close(problem, work, work.op(plus, OP_ADD, minus))
    if how == "regrouped":
        work.say("All the products have the same sign; add them from the last one back to the first.")
        return _scalar_close(problem, work, _sum(work, products[::-1]))
    opening = ("Multiply matching entries, then add the products.",
               "The dot product is the sum of the products of matching entries.",
               "Pair up the entries position by position, multiply each pair, and add.")  # fmt: skip
    work.say(pick(problem.id, "dot", opening))
    return _scalar_close(problem, work, _sum(work, products))


def _length(problem: Problem, how: str) -> str:
    v = problem.meta["v"]
    work = Work(problem.difficulty)
    g = 0
    for a in v:
        g = gcd(g, a)
    if how == "regrouped" and g > 1:
        work.say(f"Every entry is a multiple of {g}: the length is {g} times the length of "
                 f"{linalg.vector_text([a // g for a in v])}.")  # fmt: skip
        total = _sum(work, [work.op(a // g, OP_MUL, a // g) for a in v])
        k, rest = square_root(work, int(total))
        k = int(work.op(g, OP_MUL, k))
    else:
        work.say({"entrywise": "The length is the square root of the sum of the squares of the entries.",
                  "running_total": "Square each entry and keep a running total; the length is its square root.",
                  "regrouped": "Add the squares, then simplify the root by pairing prime factors."}[how])  # fmt: skip
        if how == "running_total":
            total = work.op(v[0], OP_MUL, v[0])
            for a in v[1:]:
                total = work.op(total, OP_ADD, work.op(a, OP_MUL, a))
        else:
            total = _sum(work, [work.op(a, OP_MUL, a) for a in v])
        k, rest = square_root(work, int(total), by_primes=how == "regrouped")
    answer = sqrt_text(k, rest)
    return finish(work, check(problem, (Fraction(k),)), f"So the length is {by_hand(answer)}.",
                  f"The answer is {by_hand(answer)}.", answer)  # fmt: skip


def _det2(problem: Problem, how: str) -> str:
    (a, b), (c, d) = problem.meta["rows"]
    work = Work(problem.difficulty)
    if how == "running_total" and a != 0:
        work.say(f"Eliminate below the first entry: row 2 minus {num(Fraction(c, a))} times row 1 leaves a "
                 "triangle, whose determinant is the product of its diagonal.")  # fmt: skip
        f = work.op(c, OP_DIV, a)
        corner = work.op(d, OP_SUB, work.op(f, OP_MUL, b))
        return _scalar_close(problem, work, work.op(a, OP_MUL, corner))
    if how == "running_total":
        work.say("The top-left entry is 0, so the main diagonal gives 0 and only minus top right × bottom left is "
                 "left.")  # fmt: skip
        return _scalar_close(problem, work, work.op(0, OP_SUB, work.op(b, OP_MUL, c)))
    if how == "regrouped":
        work.say("Expand along the second row: -c × b + d × a.")
        cb, da = work.op(c, OP_MUL, b), work.op(d, OP_MUL, a)
        return _scalar_close(problem, work, work.op(da, OP_SUB, cb))
    work.say(pick(problem.id, "det2", ("The determinant is top left × bottom right minus top right × bottom left.",
                                       "For [[a, b], [c, d]] the determinant is ad - bc.",
                                       "Main diagonal product minus the other diagonal's product.")))  # fmt: skip
    return _scalar_close(problem, work, _det2_value(work, [[a, b], [c, d]]))


def _det3(problem: Problem, how: str) -> str:
    rows = linalg.fractions(problem.meta["rows"])
    work = Work(problem.difficulty)
    if how == "running_total":
        work.say("Rule of Sarrus: add the three products down the diagonals to the right, subtract the three down "
                 "the diagonals to the left, keeping a running total.")  # fmt: skip
        total: Number = 0
        for sign, cols in ((1, (0, 1, 2)), (1, (1, 2, 0)), (1, (2, 0, 1)), (-1, (2, 1, 0)), (-1, (0, 2, 1)),
                           (-1, (1, 0, 2))):  # fmt: skip
            product = work.op(work.op(rows[0][cols[0]], OP_MUL, rows[1][cols[1]]), OP_MUL, rows[2][cols[2]])
            total = work.op(total, OP_ADD if sign > 0 else OP_SUB, product)
        return _scalar_close(problem, work, total)
    r = 1 if how == "regrouped" else 0
    signs = ("-", "+", "-") if r == 1 else ("+", "-", "+")
    work.say(f"Expand along row {r + 1} with signs {', '.join(signs)}; each entry times the 2×2 determinant left when "
             "its row and column are crossed out.")  # fmt: skip
    terms = []
    for j in range(3):
        terms.append(work.op(rows[r][j], OP_MUL, _det2_value(work, linalg.minor(rows, r, j))))
    first = work.op(terms[0], OP_SUB, terms[1]) if r == 0 else work.op(terms[1], OP_SUB, terms[0])
    value = work.op(first, OP_ADD, terms[2]) if r == 0 else work.op(first, OP_SUB, terms[2])
    return _scalar_close(problem, work, value)


def _combination(problem: Problem, how: str) -> str:
    m = problem.meta
    u, v, a, b, term = m["u"], m["v"], m["a"], m["b"], m["term"]
    work = Work(problem.difficulty)
    if how == "running_total" and b:
        work.say(f"Scale the whole vectors first: {a}u, then {b}v, then add matching entries.")
        au = [work.op(a, OP_MUL, x) for x in u]
        bv = [work.op(b, OP_MUL, y) for y in v]
        out = [work.op(x, OP_ADD, y) for x, y in zip(au, bv, strict=True)]
    elif how == "running_total":
        work.say(f"Go through u from its first entry to its last, multiplying each by {a}.")
        out = [work.op(x, OP_MUL, a) for x in u]
    elif how == "regrouped" and b and b == a:
        work.say(
            f"Both vectors have the same weight {a}: add u and v first" + ("." if a == 1 else f", then times {a}.")
        )
        out = [
            work.op(x, OP_ADD, y) if a == 1 else work.op(a, OP_MUL, work.op(x, OP_ADD, y))
            for x, y in zip(u, v, strict=True)
        ]
    elif how == "regrouped" and not b and a < 0:
        work.say(f"{a}u is the opposite of {-a}u: multiply by {-a}, then change the sign.")
        out = [work.op(0, OP_SUB, work.op(-a, OP_MUL, x)) for x in u]
    elif how == "regrouped" and b:
        work.say(f"Regroup: {a}u + ({b})v = {a}(u + v) + ({b - a})v, entry by entry.")
        out = []
        for x, y in zip(u, v, strict=True):
            both = work.op(a, OP_MUL, work.op(x, OP_ADD, y))
            out.append(work.op(both, OP_ADD, work.op(b - a, OP_MUL, y)))
    elif how == "regrouped" and not b and a > 1:
        work.say(f"{a}u is u added {a} times: (a - 1) times each entry, plus the entry once more.")
        out = [work.op(work.op(a - 1, OP_MUL, x), OP_ADD, x) for x in u]
    else:
        work.say(f"Entry by entry, {term} takes {a} times the entry of u" + (f" plus {b} times the entry of v." if b
                                                                             else "."))  # fmt: skip
        out = []
        for x, y in zip(u, v, strict=True):
            ax = work.op(a, OP_MUL, x)
            out.append(work.op(ax, OP_ADD, work.op(b, OP_MUL, y)) if b else ax)
    return _matrix_close(problem, work, f"the vector {term}", [[Fraction(x) for x in out]])


def _product(problem: Problem, how: str) -> str:
    a, b = linalg.fractions(problem.meta["a"]), linalg.fractions(problem.meta["b"])
    rows_a, inner, cols_b = len(a), len(b), len(b[0])
    work = Work(problem.difficulty)
    work.say(f"A is {rows_a}×{inner} and B is {inner}×{cols_b}, so AB is {rows_a}×{cols_b}.")
    out: Rows = [[Fraction(0)] * cols_b for _ in range(rows_a)]
    if how == "running_total":
        work.say("Build AB column by column: column j of AB is the columns of A weighted by column j of B.")
        for j in range(cols_b):
            work.say(f"Column {j + 1}, weights {linalg.row_text([b[k][j] for k in range(inner)])}:")
            for i in range(rows_a):
                out[i][j] = Fraction(_sum(work, [work.op(b[k][j], OP_MUL, a[i][k]) for k in range(inner)]))
    elif how == "regrouped":
        work.say("Build AB row by row: row i of AB is the rows of B weighted by row i of A.")
        for i in range(rows_a):
            work.say(f"Row {i + 1}, weights {linalg.row_text(a[i])}:")
            for j in range(cols_b):
                out[i][j] = Fraction(_sum(work, [work.op(a[i][k], OP_MUL, b[k][j]) for k in range(inner)]))
    else:
        work.say("Entry (i, j) of AB is row i of A times column j of B.")
        for i in range(rows_a):
            for j in range(cols_b):
                row, col = linalg.row_text(a[i]), linalg.row_text([b[k][j] for k in range(inner)])
                work.say(f"Entry ({i + 1}, {j + 1}): row {row} with column {col}:")
                out[i][j] = Fraction(_sum(work, [work.op(a[i][k], OP_MUL, b[k][j]) for k in range(inner)]))
    return _matrix_close(problem, work, "the product AB", out)


def _gauss_jordan(work: Work, rows: Rows) -> Rows:
    """``[A | I]`` reduced to ``[I | A⁻¹]``, one claim per changed entry."""
    n = len(rows)
    grid = [list(row) + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(rows)]
    work.say("Write A next to the identity and row-reduce until the identity is on the left.")
    for col in range(n):
        pivot = next(r for r in range(col, n) if grid[r][col] != 0)
        if pivot != col:
            grid[col], grid[pivot] = grid[pivot], grid[col]
            work.say(f"Swap rows {col + 1} and {pivot + 1}.")
        p = grid[col][col]
        if p != 1:
            work.say(f"Divide row {col + 1} by {num(p)}:")
            grid[col] = [Fraction(work.op(x, OP_DIV, p)) if x else x for x in grid[col]]
        for r in range(n):
            f = grid[r][col]
            if r == col or f == 0:
                continue
            how_much = f"minus {num(f)}" if f > 0 else f"plus {num(-f)}"
            work.say(f"Row {r + 1} {how_much} times row {col + 1}:")
            grid[r] = [Fraction(work.op(x, OP_SUB, work.op(f, OP_MUL, y))) if y else x
                       for x, y in zip(grid[r], grid[col], strict=True)]  # fmt: skip
    return [row[n:] for row in grid]


def _inverse(problem: Problem, how: str) -> str:
    rows = linalg.fractions(problem.meta["rows"])
    n = len(rows)
    work = Work(problem.difficulty)
    if how == "running_total":
        return _matrix_close(problem, work, "the inverse of A", _gauss_jordan(work, rows))
    work.say(pick(problem.id, "inverse", ("The inverse is the adjugate (the transposed cofactor matrix) divided by "
                                          "the determinant.", "A^(-1) is adj(A) / det(A): cofactors first, then the "
                                          "determinant from them.")))  # fmt: skip
    cof: Rows = []
    for i in range(n):
        cof.append([])
        for j in range(n):
            if n == 2:
                value: Number = rows[1 - i][1 - j] * (-1 if i != j else 1)
                cof[-1].append(Fraction(value))
                continue
            work.say(f"Cofactor ({i + 1}, {j + 1}), sign {'+' if (i + j) % 2 == 0 else '-'}:")
            minor = _det2_value(work, linalg.minor(rows, i, j))
            cof[-1].append(Fraction(minor if (i + j) % 2 == 0 else work.op(0, OP_SUB, minor)))
    if n == 2:
        work.say(f"For a 2×2 matrix: swap the diagonal entries and change the signs of the other two: "
                 f"{linalg.list_text(linalg.transpose(cof))}.")  # fmt: skip
    r = 1 if how == "regrouped" else 0
    work.say(f"The determinant is row {r + 1} of A times its cofactors:")
    det = _sum(work, [work.op(x, OP_MUL, c) for x, c in zip(rows[r], cof[r], strict=True)])
    adj = linalg.transpose(cof)
    if how == "regrouped":
        scale = work.op(1, OP_DIV, det)
        work.say(f"Multiply every entry of the adjugate by 1/det, that is by {num(scale)}:")
        inv = [[Fraction(work.op(x, OP_MUL, scale)) for x in row] for row in adj]
    else:
        work.say(f"Divide every entry of the adjugate by {num(det)}:")
        inv = [[Fraction(work.op(x, OP_DIV, det)) for x in row] for row in adj]
    return _matrix_close(problem, work, "the inverse of A", inv)


_KINDS = {"dot": _dot, "length": _length, "det2": _det2, "det3": _det3, "combination": _combination,
          "product": _product, "inverse": _inverse}  # fmt: skip


def _route(how: str) -> Trace:
    def trace(problem: Problem) -> str:
        return _KINDS[problem.meta["kind"]](problem, how)

    trace.__name__ = trace.__qualname__ = how
    trace.__doc__ = f"The ``{how}`` route (see the module docstring)."
    return trace


ROUTES: dict[str, Trace] = {name: _route(name) for name in ("entrywise", "running_total", "regrouped")}
