"""Traces for ``linear_equation`` (isolate the unknown) and ``linear_system`` (elimination, back-substitution).

Sympy reads the equations (through the safe converter) and gives exact coefficients; every number the
trace states is then computed with ``Fraction`` and written as one true ``a op b = c`` claim.
"""

from __future__ import annotations

from fractions import Fraction

from chukmath.errors import InputError
from chukmath.records import Problem
from chukmath.teach.traces.brackets import Side, Unsupported, equation_sides_as_written, evaluate_side, expand_side
from chukmath.teach.traces.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, num, step
from chukmath.teach.traces.linear import linear_text, term_text
from chukmath.teach.traces.polynomial import coefficient as coefficient_of
from chukmath.teach.traces.polynomial import degree, equation_sides, subtract, variables


def _answer_text(value: Number) -> str:
    return num(value)


def _plain(value: Number) -> Number:
    """A whole number as ``int``: most coefficients are whole, and int arithmetic is far cheaper than Fraction's
    (the text is the same, since ``num`` writes both alike)."""
    if type(value) is int:
        return value
    return value.numerator if value.denominator == 1 else value


def _evaluate_side(
    coefficients: list[Number], values: list[Number], constant: Number
) -> tuple[list[str], Number]:
    """Claims computing ``sum(c_i * v_i) + constant`` one operation at a time (negative terms subtracted)."""
    lines: list[str] = []
    total: Number | None = None
    for coefficient, value in zip(coefficients, values, strict=True):
        if coefficient == 0:
            continue
        # After the first term a negative coefficient reads as subtraction, as a person would write it.
        subtract = total is not None and coefficient < 0
        factor = abs(coefficient) if subtract else coefficient
        if factor == 1:
            product: Number = value
        else:
            line, product = step(factor, OP_MUL, value)
            lines.append(line)
        if total is None:
            total = product
        else:
            line, total = step(total, OP_SUB if subtract else OP_ADD, product)
            lines.append(line)
    if total is None:
        total = constant
    elif constant != 0:
        line, total = step(total, OP_SUB if constant < 0 else OP_ADD, abs(constant))
        lines.append(line)
    return lines, total


Expansion = tuple[list[str], Number, Number]


def _written_sides(expr: str, name: str, where: str) -> tuple[tuple[Side, Side], list[Expansion]] | None:
    """The sides as written and the lines multiplying each out, when both are sums of numbers, ``k·x`` terms
    and brackets over those (which :func:`evaluate_side` can also substitute into); else None."""
    sides = equation_sides_as_written(expr, where)
    if sides is None:
        return None
    try:
        return sides, [expand_side(side, name, expr) for side in sides]
    except Unsupported:
        return None


def linear_equation_trace(problem: Problem) -> str:
    """Isolate the unknown step by step, then substitute back into both sides as the check."""
    where = f"problem {problem.id}"
    sides = equation_sides(problem.expression, where)
    if len(sides) != 1:
        raise InputError(f"{where}: expected one equation Eq(lhs, rhs), got {problem.expression!r}")
    lhs, rhs = sides[0]
    found = variables([lhs, rhs])
    if len(found) != 1:
        raise InputError(f"{where}: a linear equation needs exactly one unknown, found {', '.join(found) or 'none'}")
    name = found[0]
    if degree(lhs) > 1 or degree(rhs) > 1:
        raise InputError(f"{where}: {problem.expression!r} is not linear in {name}")
    a1, b1 = _plain(coefficient_of(lhs, name)), _plain(coefficient_of(lhs, None))
    a2, b2 = _plain(coefficient_of(rhs, name)), _plain(coefficient_of(rhs, None))
    collected = f"{linear_text([a1], [name], b1)} = {linear_text([a2], [name], b2)}"
    found_written = _written_sides(problem.expression, name, where) if "(" in problem.expression[3:-1] else None
    written, expansions = found_written if found_written is not None else (None, [])
    if written is None:
        think = [f"We need to solve for {name}: {collected}."]
        if "(" in problem.expression[3:-1]:
            think.append("(That is the equation with the brackets multiplied out and like terms collected.)")
    else:
        think = [f"We need to solve for {name}: {written[0].text()} = {written[1].text()}."]
        for (lines, coefficient, constant), label in zip(expansions, ("left", "right"), strict=True):
            if lines:
                think.append(f"Simplify the {label} side:")
                think.extend(lines)
            if (coefficient, constant) != ((a1, b1) if label == "left" else (a2, b2)):
                raise AssertionError(f"{where}: multiplying out the {label} side gave another polynomial")
        think.append(f"So the equation is {collected}.")
    a, b, c = a1, b1, b2
    if a2 != 0:
        verb = f"Subtract {term_text(a2, name)} from" if a2 > 0 else f"Add {term_text(-a2, name)} to"
        think.append(f"{verb} both sides to bring the {name} terms together:")
        # "Add 8x to both sides" then "2 + 8 = 10": the claim does what the sentence says.
        line, a = step(a1, OP_ADD, -a2) if a2 < 0 else step(a1, OP_SUB, a2)
        think.append(line)
        think.append(f"{linear_text([a], [name], b)} = {num(c)}")
    if a == 0:
        raise InputError(f"{where}: the {name} terms cancel, so the equation has no unique solution")
    if b != 0:
        verb = f"Subtract {num(b)} from" if b > 0 else f"Add {num(-b)} to"
        think.append(f"{verb} both sides:")
        line, c = step(c, OP_SUB if b > 0 else OP_ADD, abs(b))
        think.append(line)
        think.append(f"{term_text(a, name)} = {num(c)}")
    solution = c
    if a != 1:
        think.append(f"Divide both sides by {num(a)}:")
        line, quotient = step(c, OP_DIV, a)
        think.append(line)
        solution = quotient
    final = f"{name} = {num(solution)}"
    if think[-1] != final:
        # With a coefficient of 1 the last step already reads "x = 3"; saying it twice reads like a slip.
        think.append(final)
    think.append(f"Check: substitute {name} = {num(solution)} into both sides of the original equation.")
    if written is None:
        left_lines, left = _evaluate_side([a1], [solution], b1)
        right_lines, right = _evaluate_side([a2], [solution], b2)
        left_text, right_text = linear_text([a1], [name], b1), linear_text([a2], [name], b2)
    else:
        left_lines, left = evaluate_side(written[0], name, solution, problem.expression)
        right_lines, right = evaluate_side(written[1], name, solution, problem.expression)
        left_text, right_text = written[0].text(), written[1].text()
    think.append(f"Left side: {left_text}")
    think.extend(left_lines)
    think.append(f"Right side: {right_text}")
    think.extend(right_lines)
    if left != right:
        raise AssertionError(f"{where}: substitution check failed ({left} != {right})")
    think.append(f"Both sides are {num(left)}, so {name} = {num(solution)} is correct.")
    result = _answer_text(solution)
    return assemble(think, f"{name} = {result}", result)


def _row_text(row: list[Number], names: list[str]) -> str:
    return f"{linear_text(row[:-1], names)} = {num(row[-1])}"


def linear_system_trace(problem: Problem) -> str:
    """Gaussian elimination with one claim per coefficient, back-substitution, then check every equation."""
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
        rows.append([_plain(v) for v in row])
    original = [list(r) for r in rows]
    written = [
        " = ".join(linear_text([_plain(coefficient_of(side, name)) for name in names], names,
                               _plain(coefficient_of(side, None))) for side in pair)
        for pair in sides
    ]  # fmt: skip
    if written == [_row_text(row, names) for row in rows]:
        think = [f"We need to solve the system in {', '.join(names)}:"]
    else:
        # Restate the equations as given before moving the unknowns to the left.
        think = [f"We need to solve the system in {', '.join(names)}: {'; '.join(written)}.",
                 "With the unknowns on the left:"]  # fmt: skip
    think.extend(f"({i + 1}) {_row_text(row, names)}" for i, row in enumerate(rows))
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
        values[i] = _plain(value)
        final = f"{names[i]} = {num(values[i])}"
        if not any(line == final or line.endswith(f" {final}") for line in think[-2:]):
            think.append(final)
    think.append("Check every original equation with these values.")
    for i, row in enumerate(original):
        lines, total = _evaluate_side(row[:-1], values, 0)
        think.append(f"({i + 1}) {linear_text(row[:-1], names)}:")
        think.extend(lines)
        if total != row[-1]:
            raise AssertionError(f"{where}: check of equation {i + 1} failed ({total} != {row[-1]})")
        think.append(f"That is {num(total)}, as required.")
    pairs = ", ".join(f"{name} = {num(v)}" for name, v in zip(names, values, strict=True))
    verifier = "{" + ", ".join(f"{name}: {num(v)}" for name, v in zip(names, values, strict=True)) + "}"
    return assemble(think, pairs, verifier)


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
    factor = _plain(Fraction(rows[r][col], rows[col][col]))
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
        new_row[k] = _plain(result)
    rows[r] = new_row
    labels[r] = labels[r] + "'"
    lines.append(f"{labels[r]} {_row_text(new_row, names)}")
    return lines
