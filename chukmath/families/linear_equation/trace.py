"""Trace for ``linear_equation``: isolate the unknown.

Sympy reads the equations (through the safe converter) and gives exact coefficients; every number the
trace states is then computed with ``Fraction`` and written as one true ``a op b = c`` claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from chukmath.errors import InputError
from chukmath.families.common.brackets import Side, Unsupported, equation_sides_as_written, evaluate_side, expand_side
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_SUB, Number, assemble, num, step
from chukmath.families.common.linear import evaluate_sum, linear_text, plain_number, term_text
from chukmath.families.common.polynomial import coefficient as coefficient_of
from chukmath.families.common.polynomial import degree, equation_sides, variables
from chukmath.records import Problem


def _answer_text(value: Number) -> str:
    return num(value)


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


@dataclass(frozen=True)
class Setup:
    """A linear equation read: its unknown, ``a1 x + b1 = a2 x + b2``, the sides as written (when they have
    brackets the trace can multiply out) and the opening lines that restate it."""

    name: str
    a1: Number
    b1: Number
    a2: Number
    b2: Number
    written: tuple[Side, Side] | None
    think: list[str]


def setup(problem: Problem) -> Setup:
    """Read ``problem``'s equation and write the opening lines (restated, brackets multiplied out)."""
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
    a1, b1 = plain_number(coefficient_of(lhs, name)), plain_number(coefficient_of(lhs, None))
    a2, b2 = plain_number(coefficient_of(rhs, name)), plain_number(coefficient_of(rhs, None))
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
    return Setup(name, a1, b1, a2, b2, written, think)


def substitution_check(problem: Problem, eq: Setup, solution: Number) -> list[str]:
    """Substitute the solution into both sides of the equation as written; raises if they differ."""
    name, written = eq.name, eq.written
    think = [f"Check: substitute {name} = {num(solution)} into both sides of the original equation."]
    if written is None:
        left_lines, left = evaluate_sum([eq.a1], [solution], eq.b1)
        right_lines, right = evaluate_sum([eq.a2], [solution], eq.b2)
        left_text, right_text = linear_text([eq.a1], [name], eq.b1), linear_text([eq.a2], [name], eq.b2)
    else:
        left_lines, left = evaluate_side(written[0], name, solution, problem.expression)
        right_lines, right = evaluate_side(written[1], name, solution, problem.expression)
        left_text, right_text = written[0].text(), written[1].text()
    think.append(f"Left side: {left_text}")
    think.extend(left_lines)
    think.append(f"Right side: {right_text}")
    think.extend(right_lines)
    if left != right:
        raise AssertionError(f"problem {problem.id}: substitution check failed ({left} != {right})")
    think.append(f"Both sides are {num(left)}, so {name} = {num(solution)} is correct.")
    return think


def linear_equation_trace(problem: Problem) -> str:
    """Isolate the unknown step by step, then substitute back into both sides as the check."""
    where = f"problem {problem.id}"
    eq = setup(problem)
    name, a1, b1, a2, b2, think = eq.name, eq.a1, eq.b1, eq.a2, eq.b2, list(eq.think)
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
    think.extend(substitution_check(problem, eq, solution))
    result = _answer_text(solution)
    return assemble(think, f"{name} = {result}", result)
