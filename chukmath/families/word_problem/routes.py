"""Other routes through a word problem's expression than the classic walk: step by step with long operations
shown and a check that works back from the result, regrouped, and estimated first (see
:mod:`chukmath.families.common.arithmetic_routes`)."""

from __future__ import annotations

from collections.abc import Callable

from chukmath.families.common.arithmetic_estimate import estimated
from chukmath.families.common.arithmetic_routes import Context, in_order, regrouped
from chukmath.families.common.format import pretty
from chukmath.families.common.worked import pick
from chukmath.families.word_problem.trace import finish, unit_of
from chukmath.records import Problem

_OPENINGS = {
    "step_by_step": ("Write the story as one calculation: {expr}.", "In numbers, the question is {expr}.",
                     "The story's steps make the calculation {expr}."),
    "regroup": ("The story asks for {expr}; work out its parts, then put them together.",
                "Turn the story into {expr} and handle its pieces one at a time.",
                "The calculation is {expr}; split it into parts first."),
    "estimate_first": ("In numbers the story asks for {expr}; a rough estimate first tells us what size to expect.",
                       "The calculation is {expr}. Estimate it first, then work it out exactly.",
                       "We need {expr}; a quick estimate first."),
}  # fmt: skip


def word_route(name: str) -> Callable[[Problem], str]:
    """The trace of a word problem by route ``name`` (``step_by_step``, ``regroup`` or ``estimate_first``); an
    estimate that rounding cannot make goes step by step."""

    def trace(problem: Problem) -> str:
        ctx = Context(problem.expression, f"problem {problem.id}", problem.difficulty)
        found = estimated(ctx) if name == "estimate_first" else None
        used = name if found is not None or name != "estimate_first" else "step_by_step"
        if found is None:
            found = regrouped(ctx) if used == "regroup" else in_order(ctx)
        lines, value = found
        opening = pick(problem.id, "opening", _OPENINGS[used]).format(expr=pretty(problem.expression))
        think = [problem.question.strip(), opening, *lines]
        return finish(think, value, ctx.style, unit_of(problem.meta))

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


ROUTES = {name: word_route(name) for name in ("step_by_step", "regroup", "estimate_first")}

__all__ = ["ROUTES", "word_route"]
