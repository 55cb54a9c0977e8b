"""Trace for ``linear_system``: elimination, back-substitution and a check in every equation.

Sympy reads the equations (through the safe converter) and gives exact coefficients; every number the
trace states is then computed with ``Fraction`` and written as one true ``a op b = c`` claim.
"""

from __future__ import annotations

from fractions import Fraction

from chukmath.errors import InputError
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, num, step
from chukmath.families.common.linear import Working, evaluate_sum, linear_text, plain_number, term_text
from chukmath.families.common.polynomial import coefficient as coefficient_of
from chukmath.families.common.polynomial import degree, equation_sides, subtract, variables
from chukmath.records import Problem


def _row_text(row: list[Number], names: list[str]) -> str:
    return f"{linear_text(row[:-1], names)} = {num(row[-1])}"


def read_system(problem: Problem) -> tuple[list[str], list[list[Number]], list[str]]:
    """The unknowns, one row ``[coefficients..., constant]`` per equation (unknowns on the left), and the opening
    lines that restate the system (as given, then with the unknowns on the left when that differs)."""
    where = f"problem {problem.id}"
    sides = equation_sides(problem.expression, where)
    names = variables([side for pair in sides for side in pair])
    n = len(names)
    if n == 0:
        raise InputError(f"{where}: the system {problem.expression!r} has no unknowns")
    if len(sides) != n:
        raise InputError(f"{where}: {len(sides)} equations in {n} unknowns; the trace needs a square system")
    rows: list[list[Number]] = []
    for lhs, rhs in sides:
        difference = subtract(lhs, rhs)
        if degree(difference) > 1:
            raise InputError(f"{where}: {problem.expression!r} is not a linear system")
        row = [*(coefficient_of(difference, name) for name in names), -coefficient_of(difference, None)]
        rows.append([plain_number(v) for v in row])
    written = [
        " = ".join(linear_text([plain_number(coefficient_of(side, name)) for name in names], names,
                               plain_number(coefficient_of(side, None))) for side in pair)
        for pair in sides
    ]  # fmt: skip
    if written == [_row_text(row, names) for row in rows]:
        think = [f"We need to solve the system in {', '.join(names)}:"]
    else:
        # Restate the equations as given before moving the unknowns to the left.
        think = [f"We need to solve the system in {', '.join(names)}: {'; '.join(written)}.",
                 "With the unknowns on the left:"]  # fmt: skip
    think.extend(f"({i + 1}) {_row_text(row, names)}" for i, row in enumerate(rows))
    return names, rows, think


def check_every_equation(
    where: str, original: list[list[Number]], values: list[Number], names: list[str], working: Working | None = None
) -> list[str]:
    """Substitute the values into every original equation, one claim per product and sum, each after its
    ``working`` lines where given; raises if one fails."""
    think = ["Check every original equation with these values."]
    for i, row in enumerate(original):
        lines, total = evaluate_sum(row[:-1], values, 0, working)
        think.append(f"({i + 1}) {linear_text(row[:-1], names)}:")
        think.extend(lines)
        if total != row[-1]:
            raise AssertionError(f"{where}: check of equation {i + 1} failed ({total} != {row[-1]})")
        think.append(f"That is {num(total)}, as required.")
    return think


def answer_tags(think: list[str], names: list[str], values: list[Number]) -> str:
    """The answer sentence (``x = 2, y = -1``) and the verifier's ``{x: 2, y: -1}`` after ``think``."""
    pairs = ", ".join(f"{name} = {num(v)}" for name, v in zip(names, values, strict=True))
    verifier = "{" + ", ".join(f"{name}: {num(v)}" for name, v in zip(names, values, strict=True)) + "}"
    return assemble(think, pairs, verifier)


def linear_system_trace(problem: Problem) -> str:
    """Gaussian elimination with one claim per coefficient, back-substitution, then check every equation."""
    where = f"problem {problem.id}"
    names, rows, think = read_system(problem)
    n = len(names)
    original = [list(r) for r in rows]
    labels = [f"({i + 1})" for i in range(n)]
    for col in range(n):
        pivot, why = _pivot(rows, col, names[col])
        if pivot is None:
            raise InputError(f"{where}: the system has no unique solution ({names[col]} cannot be isolated)")
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
            labels[col], labels[pivot] = labels[pivot], labels[col]
            think.append(f"Use {labels[col]} to eliminate {names[col]}, since {why}.")
        for r in range(col + 1, n):
            if rows[r][col] == 0:
                continue
            think.extend(_eliminate(rows, col, r, labels, names))
    values: list[Number] = [0] * n
    think.append("Back-substitute from the last equation up.")
    for i in range(n - 1, -1, -1):
        rest = rows[i][-1]
        known = [k for k in range(i + 1, n) if rows[i][k] != 0]
        if known:
            put = ", ".join(f"{names[k]} = {num(values[k])}" for k in known)
            think.append(f"Put {put} into {labels[i]}: {_row_text(rows[i], names)}.")
        for k in known:
            product: Number = values[k]
            if rows[i][k] != 1:
                line, product = step(rows[i][k], OP_MUL, values[k])
                think.append(line)
            line, rest = step(rest, OP_ADD, -product) if product < 0 else step(rest, OP_SUB, product)
            think.append(line)
        value: Number = rest
        if rows[i][i] != 1:
            isolated = f"{term_text(rows[i][i], names[i])} = {num(rest)}"
            # The last row after elimination already reads "(2)' 3y = 6" just above: no need to say it again.
            if not any(line.endswith(f" {isolated}") for line in think[-2:]):
                think.append(isolated)
            think.append(f"Divide both sides by {num(rows[i][i])}:")
            line, value = step(rest, OP_DIV, rows[i][i])
            think.append(line)
        values[i] = plain_number(value)
        final = f"{names[i]} = {num(values[i])}"
        if not any(line == final or line.endswith(f" {final}") for line in think[-2:]):
            think.append(final)
    think.extend(check_every_equation(where, original, values, names))
    return answer_tags(think, names, values)


def _pivot(rows: list[list[Number]], col: int, name: str) -> tuple[int | None, str]:
    """The row to eliminate column ``col`` with, and why it reads well: one whose coefficient goes into every
    other row's a whole number of times if there is one (whole multipliers, as a person would choose), else
    the smallest coefficient, then the earliest row. ``(None, "")`` when every coefficient is 0."""
    candidates = [r for r in range(col, len(rows)) if rows[r][col] != 0]
    if not candidates:
        return None, ""

    def whole_multipliers(r: int) -> bool:
        return all(Fraction(rows[k][col], rows[r][col]).denominator == 1 for k in candidates)

    pivot = min(candidates, key=lambda r: (not whole_multipliers(r), abs(rows[r][col]), r))
    if rows[col][col] == 0:
        why = f"its {name} coefficient is not 0"
    elif whole_multipliers(pivot):
        why = f"its {name} coefficient goes into the others a whole number of times"
    else:
        why = f"its {name} coefficient is the smallest"
    return pivot, why


def _eliminate(rows: list[list[Number]], col: int, r: int, labels: list[str], names: list[str]) -> list[str]:
    """Replace row ``r`` by row ``r`` minus ``factor`` times row ``col``, one claim per entry."""
    factor = plain_number(Fraction(rows[r][col], rows[col][col]))
    # A negative factor reads better as adding |factor| times the pivot row; the arithmetic is the same.
    op = OP_SUB if factor > 0 else OP_ADD
    magnitude = abs(factor)
    times = "" if magnitude == 1 else f"{num(magnitude)} times "
    verb = f"subtract {times}{labels[col]} from" if op == OP_SUB else f"add {times}{labels[col]} to"
    lines = [f"Eliminate {names[col]} from {labels[r]}: {verb} {labels[r]}."]
    new_row = list(rows[r])
    for k in range(col, len(rows[r])):
        if rows[col][k] == 0:
            continue
        if magnitude == 1:
            product: Number = rows[col][k]
        else:
            line, product = step(magnitude, OP_MUL, rows[col][k])
            lines.append(line)
        # Adding a negative reads as subtracting (3 - 3 = 0, not 3 + (-3) = 0); the value is the same.
        if product < 0:
            line, result = step(rows[r][k], OP_ADD if op == OP_SUB else OP_SUB, -product)
        else:
            line, result = step(rows[r][k], op, product)
        lines.append(line)
        new_row[k] = plain_number(result)
    rows[r] = new_row
    labels[r] = labels[r] + "'"
    lines.append(f"{labels[r]} {_row_text(new_row, names)}")
    return lines
