"""Whole built-in traces of a plain-expression problem (arithmetic, fractions) by a named route: the route's lines
between an opening and a closing sentence of its own, and the answer tags."""

from __future__ import annotations

from collections.abc import Callable

from chukmath.families.common.arithmetic_estimate import estimated
from chukmath.families.common.arithmetic_routes import Context, common_denominator, in_order, regrouped
from chukmath.families.common.arithmetic_steps import answer_text
from chukmath.families.common.format import Number, assemble, num, pretty
from chukmath.records import Problem

_OPENINGS = {
    "left_to_right": "We need to evaluate {expr}.",
    "regroup": "We want the value of {expr}.",
    "estimate_first": "To find {expr}, estimate first, then compute exactly.",
    "common_denominator": "We need the value of {expr}.",
}
_CLOSINGS = {
    "left_to_right": "So the value is {value}.",
    "regroup": "The result is {value}.",
    "estimate_first": "So the exact value is {value}.",
    "common_denominator": "So the value is {value}.",
}
RouteLines = Callable[[Context], "tuple[list[str], Number] | None"]
_ROUTES: dict[str, RouteLines] = {
    "left_to_right": in_order,
    "regroup": regrouped,
    "estimate_first": estimated,
    "common_denominator": common_denominator,
}


def expression_route(name: str) -> Callable[[Problem], str]:
    """The whole trace of a plain-expression problem by route ``name`` (``left_to_right``, ``regroup``,
    ``estimate_first`` or ``common_denominator``); a route that does not apply to a problem goes in order."""
    route = _ROUTES[name]

    def trace(problem: Problem) -> str:
        ctx = Context(problem.expression, f"problem {problem.id}", problem.difficulty)
        found = route(ctx)
        used = name
        if found is None:
            found, used = in_order(ctx), "left_to_right"
        lines, value = found
        shown = num(value, ctx.style)
        think = [_OPENINGS[used].format(expr=pretty(problem.expression)), *lines, _CLOSINGS[used].format(value=shown)]
        return assemble(think, f"The answer is {shown}.", answer_text(value))

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


__all__ = ["expression_route"]
