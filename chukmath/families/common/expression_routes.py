"""Whole built-in traces of a plain-expression problem (arithmetic, fractions) by a named route: the route's lines
between an opening and a closing sentence of its own, and the answer tags."""

from __future__ import annotations

from collections.abc import Callable

from chukmath.families.common.arithmetic_estimate import estimated
from chukmath.families.common.arithmetic_routes import Context, common_denominator, in_order, regrouped
from chukmath.families.common.arithmetic_steps import answer_text
from chukmath.families.common.format import Number, assemble, num, pretty
from chukmath.families.common.worked import pick
from chukmath.records import Problem

# Each route opens and closes in one of a few ways, picked by the problem id (phrasing varies, builds stay identical).
_OPENINGS = {
    "left_to_right": ("We need to evaluate {expr}.", "Let us work out {expr} step by step.", "Compute {expr}."),
    "regroup": ("We want the value of {expr}.", "Find {expr}, grouping the work sensibly.",
                "To evaluate {expr}, handle the pieces separately first."),
    "estimate_first": ("To find {expr}, estimate first, then compute exactly.",
                       "Before computing {expr} exactly, get a rough idea of its size.",
                       "First a quick estimate of {expr}, then the exact value."),
    "common_denominator": ("We need the value of {expr}.", "Work out {expr}.", "Let us find {expr}."),
}  # fmt: skip
_CLOSINGS = {
    "left_to_right": ("So the value is {value}.", "The value is {value}.", "That makes {value}."),
    "regroup": ("The result is {value}.", "So it comes to {value}.", "Altogether that is {value}."),
    "estimate_first": ("So the exact value is {value}.", "The exact answer is {value}.", "Exactly, it is {value}."),
    "common_denominator": ("So the value is {value}.", "The result is {value}.", "That gives {value}."),
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
        opening = pick(problem.id, "opening", _OPENINGS[used]).format(expr=pretty(problem.expression))
        think = [opening, *lines, pick(problem.id, "closing", _CLOSINGS[used]).format(value=shown)]
        return assemble(think, f"The answer is {shown}.", answer_text(value))

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


__all__ = ["expression_route"]
