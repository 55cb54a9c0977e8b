"""Three routes to the unknown of a linear equation, each checked by substituting the solution into the equation as
written: x terms first, constants first (gathering x where its coefficient comes out positive), and dividing by
the coefficient first. Long divisions are worked out at the density the difficulty sets."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from chukmath.errors import InputError
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_SUB, Number, assemble, num, step
from chukmath.families.common.linear import linear_text, plain_number, term_text
from chukmath.families.common.long_ops import detail_for, operation_lines
from chukmath.families.common.signed_ops import signed_lines
from chukmath.families.common.worked import pick
from chukmath.families.linear_equation.trace import Setup, setup, substitution_check
from chukmath.records import Problem


def _move(think: list[str], what: str, side: str, value: Number, target: Number, difficulty: int) -> Number:
    """Take ``value`` (a constant or x coefficient) off one side by doing the opposite to ``target`` on the other;
    returns the new ``target``."""
    if value > 0:
        think.append(f"Subtract {what} from both sides{side}:")
        return _signed(think, target, OP_SUB, value, difficulty)
    think.append(f"Add {what} to both sides{side}:")
    return _signed(think, target, OP_ADD, -value, difficulty)


def _signed(think: list[str], left: Number, op: str, right: Number, difficulty: int) -> Number:
    """One + or - claim, after its sign, carry and borrow steps at the density the difficulty sets."""
    think.extend(signed_lines(left, op, right, detail_for(difficulty)))
    line, result = step(left, op, right)
    think.append(line)
    return result


def _divide(think: list[str], difficulty: int, value: Number, by: Number) -> Number:
    think.append(f"Divide both sides by {num(by)}:")
    think.extend(operation_lines(value, OP_DIV, by, detail_for(difficulty)))
    line, result = step(value, OP_DIV, by)
    think.append(line)
    return plain_number(result)


def _x_terms_first(problem: Problem, eq: Setup, think: list[str]) -> Number:
    x, a, b, c = eq.name, eq.a1, eq.b1, eq.b2
    if eq.a2 != 0:
        shown = term_text(abs(eq.a2), x)
        think.append(f"First gather the {x} terms on the left.")
        a = _move(think, shown, "", eq.a2, a, problem.difficulty)  # the x coefficient becomes a1 - a2
        think.append(f"{linear_text([a], [x], b)} = {num(c)}")
    _no_solution(problem, x, a)
    opening = "Then the constants on the right." if eq.a2 != 0 else "Move the constants to the right."
    return _constant_then_divide(problem, think, x, a, b, c, opening)


def _constant_then_divide(problem: Problem, think: list[str], x: str, a: Number, b: Number, c: Number,
                          opening: str) -> Number:  # fmt: skip
    """``a x + b = c``: the constant moved across (after ``opening``), then one division by ``a``."""
    if b != 0:
        think.append(opening)
        c = _move(think, num(abs(b)), "", b, c, problem.difficulty)
        think.append(f"{term_text(a, x)} = {num(c)}")
    return c if a == 1 else _divide(think, problem.difficulty, c, a)


def _constants_first(problem: Problem, eq: Setup, think: list[str]) -> Number:
    x = eq.name
    # x goes to the side where its coefficient stays positive (no dividing by a negative at the end)
    left = eq.a1 - eq.a2 > 0 or (eq.a1 - eq.a2 == 0)
    if left:
        a_keep, b_keep, a_other, b_other, here, there = eq.a1, eq.b1, eq.a2, eq.b2, "left", "right"
    else:
        a_keep, b_keep, a_other, b_other, here, there = eq.a2, eq.b2, eq.a1, eq.b1, "right", "left"
    think.append(f"Keep {x} on the {here}, where its coefficient will be positive, and move the constants first.")
    c = b_other
    if b_keep != 0:
        c = _move(think, num(abs(b_keep)), f" (it leaves the {here})", b_keep, b_other, problem.difficulty)
        think.append(f"The {there} side is now {linear_text([a_other], [x], c)}.")
    a = a_keep
    if a_other != 0 and a_keep == 0:
        a = -a_other
        think.append(f"Now move {term_text(abs(a_other), x)} to the {here}, where there was no {x} term.")
    elif a_other != 0:
        shown = term_text(abs(a_other), x)
        verb = f"subtract {shown} from" if a_other > 0 else f"add {shown} to"
        think.append(f"Now move {shown} to the {here}: {verb} both sides.")
        op, by = (OP_SUB, a_other) if a_other > 0 else (OP_ADD, -a_other)
        a = _signed(think, a_keep, op, by, problem.difficulty)
    _no_solution(problem, x, a)
    think.append(f"{term_text(a, x)} = {num(c)}" if left else f"{num(c)} = {term_text(a, x)}")
    return c if a == 1 else _divide(think, problem.difficulty, c, a)


def _divide_first(problem: Problem, eq: Setup, think: list[str]) -> Number:
    x, a, b, c = eq.name, eq.a1, eq.b1, eq.b2
    if eq.a2 != 0:
        shown = term_text(abs(eq.a2), x)
        verb = f"subtracting {shown} from" if eq.a2 > 0 else f"adding {shown} to"
        think.append(f"Bring the {x} terms together on the left by {verb} both sides:")
        op, by = (OP_SUB, eq.a2) if eq.a2 > 0 else (OP_ADD, -eq.a2)
        a = _signed(think, eq.a1, op, by, problem.difficulty)
        think.append(f"{linear_text([a], [x], b)} = {num(c)}")
    _no_solution(problem, x, a)
    if a == 1 or b == 0:  # nothing to divide first: x alone already, or no constant beside it
        if b != 0:
            c = _move(think, num(abs(b)), "", b, c, problem.difficulty)
        return c if a == 1 else _divide(think, problem.difficulty, c, a)
    if (Fraction(b) / a).denominator != 1 or (Fraction(c) / a).denominator != 1:
        # dividing first would bring in fractions: move the constant, then divide once at the end
        opening = f"{num(a)} does not divide every term exactly, so move the constant first."
        return _constant_then_divide(problem, think, x, a, b, c, opening)
    think.append(f"Divide every term by {num(a)} first, so {x} stands alone with a coefficient of 1:")
    line, shift = step(b, OP_DIV, a)
    think.append(line)
    line, right = step(c, OP_DIV, a)
    think.append(line)
    think.append(f"{linear_text([1], [x], shift)} = {num(right)}")
    shift, right = plain_number(shift), plain_number(right)
    return _move(think, num(abs(shift)), "", shift, right, problem.difficulty)


def _no_solution(problem: Problem, x: str, a: Number) -> None:
    if a == 0:
        raise InputError(f"problem {problem.id}: the {x} terms cancel, so the equation has no unique solution")


_STEPS: dict[str, Callable[[Problem, Setup, list[str]], Number]] = {
    "x_terms_first": _x_terms_first,
    "constants_first": _constants_first,
    "divide_first": _divide_first,
}


def equation_route(name: str) -> Callable[[Problem], str]:
    """The trace of a linear equation by route ``name``, checked by substitution into the original."""
    solve = _STEPS[name]

    def trace(problem: Problem) -> str:
        eq = setup(problem)
        think = list(eq.think)
        prefix = f"We need to solve for {eq.name}: "
        if think[0].startswith(prefix):  # the same equation, said one of a few ways
            form = pick(problem.id, "opening", ("We need to solve for {x}: {eq}", "Find {x} in {eq}",
                                                 "Solve {eq} for {x}"))  # fmt: skip
            think[0] = form.format(x=eq.name, eq=think[0][len(prefix) : -1]) + "."
        solution = plain_number(solve(problem, eq, think))
        final = f"{eq.name} = {num(solution)}"
        if think[-1] != final:
            think.append(final)
        think.extend(substitution_check(problem, eq, solution))
        return assemble(think, final, num(solution))

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


# Module-level names, so the family can name them through contract.lazy (this module imports sympy).
x_terms_first = equation_route("x_terms_first")
constants_first = equation_route("constants_first")
divide_first = equation_route("divide_first")
ROUTE_NAMES = tuple(_STEPS)

__all__ = ["ROUTE_NAMES", "constants_first", "divide_first", "equation_route", "x_terms_first"]
