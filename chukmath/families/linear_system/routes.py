"""Three routes through a system of two linear equations, each checked by substituting the values into every
original equation: elimination by matching coefficients (both equations scaled to a common multiple),
substitution (one unknown expressed through the other), and Cramer's rule (three 2×2 determinants). A system of
another size is solved by the classic elimination."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import lcm

from chukmath.errors import InputError
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num, step
from chukmath.families.common.linear import linear_text, plain_number, term_text
from chukmath.families.common.long_ops import detail_for
from chukmath.families.common.signed_ops import working_lines
from chukmath.families.common.worked import pick
from chukmath.families.linear_system.trace import (
    answer_tags,
    check_every_equation,
    linear_system_trace,
    read_system,
)
from chukmath.records import Problem

Row = list[Number]


def _claim(think: list[str], left: Number, op: str, right: Number, difficulty: int = 0) -> Number:
    if difficulty:
        think.extend(working_lines(left, op, right, detail_for(difficulty)))
    line, result = step(left, op, right)
    think.append(line)
    return plain_number(result)


def _singular(problem: Problem) -> InputError:
    return InputError(f"problem {problem.id}: the system has no unique solution (its determinant is 0)")


def _matching(problem: Problem, names: list[str], rows: list[Row], think: list[str]) -> list[Number]:
    """Scale both equations so one unknown's coefficients are equal in size, then add or subtract them."""
    (a1, b1, _), (a2, b2, _) = rows
    # eliminate the unknown whose coefficients reach a common multiple soonest (both must be nonzero)
    options = [(lcm(int(abs(r1)), int(abs(r2))), k) for k, (r1, r2) in enumerate(((a1, a2), (b1, b2))) if r1 and r2]
    if not options or any(Fraction(v).denominator != 1 for v in (a1, b1, a2, b2)):
        raise _FallBack()  # an unknown already alone in one equation, or fractions: the classic elimination
    common, k = min(options)
    gone, kept = names[k], names[1 - k]
    m1, m2 = common // int(abs(rows[0][k])), common // int(abs(rows[1][k]))
    think.append(f"Eliminate {gone}: make its coefficients {common} in size by scaling the equations.")
    scaled: list[Row] = []
    for label, row, m in (("(1)", rows[0], m1), ("(2)", rows[1], m2)):
        if m == 1:
            scaled.append(list(row))
            continue
        think.append(f"Multiply {label} by {m}:")
        scaled.append([_claim(think, m, OP_MUL, v) for v in row])
        think.append(f"{label}' {linear_text(scaled[-1][:2], names)} = {num(scaled[-1][2])}")
    same = scaled[0][k] == scaled[1][k]
    op = OP_SUB if same else OP_ADD
    shown = f"The {gone} coefficients are {num(scaled[0][k])} and {num(scaled[1][k])}"
    if same:  # the rule said each time, not left to be inferred from the signs
        think.append(f"{shown}, the same, so subtract the second equation from the first; the {gone} terms cancel:")
    else:
        think.append(f"{shown}, opposite signs, so add the two equations; the {gone} terms cancel:")
    coefficient = _claim(think, scaled[0][1 - k], op, scaled[1][1 - k], problem.difficulty)
    constant = _claim(think, scaled[0][2], op, scaled[1][2], problem.difficulty)
    if coefficient == 0:
        raise _singular(problem)
    think.append(f"{term_text(coefficient, kept)} = {num(constant)}")
    value = constant if coefficient == 1 else _divide(think, problem, constant, coefficient)
    think.append(f"{kept} = {num(value)}")
    first = _back_into(problem, names, rows, k, 1 - k, value, think)
    return [first, value] if k == 0 else [value, first]


def _divide(think: list[str], problem: Problem, value: Number, by: Number) -> Number:
    think.append(f"Divide both sides by {num(by)}:")
    return _claim(think, value, OP_DIV, by, problem.difficulty)


def _back_into(problem: Problem, names: list[str], rows: list[Row], want: int, known: int, value: Number,
               think: list[str]) -> Number:  # fmt: skip
    """Put the known unknown's value into an equation where the wanted one's coefficient is nonzero; solve."""
    index = 0 if rows[0][want] != 0 else 1
    row = rows[index]
    equation = f"{linear_text(row[:2], names)} = {num(row[2])}"
    think.append(f"Put {names[known]} = {num(value)} into ({index + 1}): {equation}.")
    product = value if row[known] == 1 else _claim(think, row[known], OP_MUL, value)
    rest = _claim(think, row[2], OP_SUB, product, problem.difficulty)
    think.append(f"{term_text(row[want], names[want])} = {num(rest)}")
    result = rest if row[want] == 1 else _divide(think, problem, rest, row[want])
    think.append(f"{names[want]} = {num(result)}")
    return result


def _substitution(problem: Problem, names: list[str], rows: list[Row], think: list[str]) -> list[Number]:
    """Solve one equation for the unknown with the simplest coefficient and put that into the other."""
    choices = [(abs(rows[i][k]) != 1, abs(rows[i][k]), i, k) for i in range(2) for k in range(2) if rows[i][k] != 0]
    _, _, i, k = min(choices)
    j, other = 1 - i, 1 - k
    a, b, c = rows[i][k], rows[i][other], rows[i][2]
    x, y = names[k], names[other]
    if (Fraction(c) / a).denominator != 1 or (Fraction(b) / a).denominator != 1:
        # solving for it would bring in fractions; Cramer's rule works in whole numbers until the last division
        think.append("No unknown can be solved for without fractions, so use determinants instead.")
        return _cramer(problem, names, rows, think)
    if b == 0:
        think.append(f"({i + 1}) has no {y} term, so it gives {x} at once.")
    else:
        divide = "" if a == 1 else f", then divide by {num(a)}"
        think.append(f"Solve ({i + 1}) for {x}: move the {y} term across{divide}.")
    p = c if a == 1 else _claim(think, c, OP_DIV, a)
    q = b if a == 1 or b == 0 else _claim(think, b, OP_DIV, a)
    think.append(f"{x} = {num(p)} - ({linear_text([q], [y])})" if q else f"{x} = {num(p)}")
    a2, b2, c2 = rows[j][k], rows[j][other], rows[j][2]
    think.append(f"Substitute this {x} into ({j + 1}): {linear_text(rows[j][:2], names)} = {num(c2)}.")
    r = p if a2 == 1 else _claim(think, a2, OP_MUL, p)
    s = (q if a2 == 1 else _claim(think, a2, OP_MUL, q)) if q else 0
    y_term = f" - {linear_text([-b2], [y])}" if b2 < 0 else f" + {linear_text([b2], [y])}"
    y_part = f" - ({linear_text([s], [y])}){y_term}" if s else y_term
    think.append(f"That gives {num(r)}{y_part} = {num(c2)}." if b2 or s else f"That gives {num(r)} = {num(c2)}.")
    think.append(f"Collect the {y} terms and move {num(r)} across:" if s else f"Move {num(r)} across:")
    coefficient = _claim(think, b2, OP_SUB, s, problem.difficulty) if s else b2
    constant = _claim(think, c2, OP_SUB, r, problem.difficulty)
    if coefficient == 0:
        raise _singular(problem)
    think.append(f"{term_text(coefficient, y)} = {num(constant)}")
    value = constant if coefficient == 1 else _divide(think, problem, constant, coefficient)
    think.append(f"{y} = {num(value)}")
    first = p
    if q:
        think.append(f"Then {x} = {num(p)} - {num(q)} × {y}:")
        w = value if q == 1 else _claim(think, q, OP_MUL, value)
        first = _claim(think, p, OP_SUB, w, problem.difficulty)
    think.append(f"{x} = {num(first)}")
    return [first, value] if k == 0 else [value, first]


def _cramer(problem: Problem, names: list[str], rows: list[Row], think: list[str]) -> list[Number]:
    """x = Dx / D and y = Dy / D with D = a1 b2 - b1 a2 and the constants put in each column in turn."""
    (a1, b1, c1), (a2, b2, c2) = rows
    think.append("Use Cramer's rule: D = a1 × b2 - b1 × a2 from the coefficients, then replace one column at a "
                 "time by the constants.")  # fmt: skip
    determinants: list[Number] = []
    for label, (p, q, r, s) in (("D", (a1, b2, b1, a2)), (f"D{names[0]}", (c1, b2, b1, c2)),
                                (f"D{names[1]}", (a1, c2, c1, a2))):  # fmt: skip
        think.append(f"{label}:")
        left = _claim(think, p, OP_MUL, q, problem.difficulty)
        right = _claim(think, r, OP_MUL, s, problem.difficulty)
        determinants.append(_claim(think, left, OP_SUB, right, problem.difficulty))
    d, dx, dy = determinants
    if d == 0:
        raise _singular(problem)
    values = []
    for name, top in ((names[0], dx), (names[1], dy)):
        think.append(f"{name} = D{name} ÷ D:")
        values.append(_claim(think, top, OP_DIV, d, problem.difficulty))
    return values


class _FallBack(Exception):
    """The route does not fit this system (an unknown already alone, or fractional coefficients to scale): the
    classic elimination explains it."""


_SOLVERS: dict[str, Callable[[Problem, list[str], list[Row], list[str]], list[Number]]] = {
    "elimination": _matching,
    "substitution": _substitution,
    "cramer": _cramer,
}


def system_route(name: str) -> Callable[[Problem], str]:
    """The trace of a two-equation system by route ``name``; checked in every original equation."""
    solve = _SOLVERS[name]

    def trace(problem: Problem) -> str:
        names, rows, think = read_system(problem)
        if len(names) != 2:
            return linear_system_trace(problem)
        opening = pick(problem.id, "opening", ("We need to solve the system in", "Solve this system for",
                                               "Find the values of"))  # fmt: skip
        think[0] = think[0].replace("We need to solve the system in", opening, 1)
        try:
            values = solve(problem, names, [list(r) for r in rows], think)
        except _FallBack:
            return linear_system_trace(problem)
        detail = detail_for(problem.difficulty)
        # the check is worked like the solving: a model that must guess 6 × 33/42 in its head writes 33/11
        think.extend(check_every_equation(f"problem {problem.id}", rows, values, names,
                                          lambda left, op, right: working_lines(left, op, right, detail)))
        return answer_tags(think, names, values)

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


# Module-level names, so the family can name them through contract.lazy (this module imports sympy).
elimination = system_route("elimination")
substitution = system_route("substitution")
cramer = system_route("cramer")

__all__ = ["cramer", "elimination", "substitution", "system_route"]
