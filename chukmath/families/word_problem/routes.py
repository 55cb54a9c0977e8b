"""Other routes through a word problem's expression than the classic walk: step by step with long operations
shown and a check that works back from the result, regrouped, and estimated first (see
:mod:`chukmath.families.common.arithmetic_routes`). An ages story is first turned into its steps one sentence at a
time ("younger means less, so - 15"), so the calculation's signs come from the words, not from nowhere. Money is
worked in decimals, so a price divided by 100 moves its decimal point."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from chukmath.families.common.arithmetic_estimate import estimated
from chukmath.families.common.arithmetic_routes import Context, in_order, regrouped
from chukmath.families.common.format import pretty
from chukmath.families.common.worked import pick
from chukmath.families.word_problem.generator import years_text
from chukmath.families.word_problem.trace import MONEY_UNITS, finish, unit_of
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


# The ages scenario's sentences, as chukmath's generator writes them (word_problem/generator.py, _ages).
_NAME = r"[A-Z][A-Za-z'-]*"
_AGE_START = re.compile(rf"({_NAME}) is (\d+) years? old\.")
_AGE_DIFFERENCE = re.compile(rf"({_NAME}) is (\d+) years? (older|younger) than ({_NAME})\.")
_AGE_TIMES = re.compile(rf"({_NAME}) is (\d+) times as old as ({_NAME})\.")
_AGE_LATER = re.compile(rf"(?:How old will ({_NAME}) be in (\d+) years?|What age will ({_NAME}) be (\d+) years? from "
                        r"now)\?")  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.?])\s+")


def story_steps(problem: Problem) -> list[str]:
    """An ages story turned into its steps, a sentence each, with the operation its words ask for; empty for any
    other story, or for text that is not the generator's own (then the route states the calculation alone)."""
    if problem.meta.get("scenario") != "ages":
        return []
    sentences = _SENTENCE_END.split(problem.question.strip())
    start = _AGE_START.fullmatch(sentences[0]) if len(sentences) >= 2 else None
    if start is None:
        return []
    lines = ["Turn each sentence into a step:", f"{sentences[0][:-1]}: start from {start.group(2)}."]
    value = Fraction(int(start.group(2)))
    for sentence in sentences[1:-1]:
        difference, times = _AGE_DIFFERENCE.fullmatch(sentence), _AGE_TIMES.fullmatch(sentence)
        if difference is not None:
            years, older = int(difference.group(2)), difference.group(3) == "older"
            value += years if older else -years
            word = "older means more, so +" if older else "younger means less, so -"
            lines.append(f"{sentence[:-1]}: {word} {years}.")
        elif times is not None:
            factor = int(times.group(2))
            value *= factor
            lines.append(f"{sentence[:-1]}: {factor} times the age so far, so × {factor}.")
        else:
            return []
    later = _AGE_LATER.fullmatch(sentences[-1])
    if later is None:
        return []
    who, years = (later.group(1), later.group(2)) if later.group(1) else (later.group(3), later.group(4))
    value += int(years)
    lines.append(f"{who} {years_text(int(years))} from now: + {years}.")
    try:
        expected = Fraction(problem.answer)
    except (ValueError, ZeroDivisionError):
        return []
    return lines if value == expected else []  # the steps must give the story's own answer


def word_route(name: str) -> Callable[[Problem], str]:
    """The trace of a word problem by route ``name`` (``step_by_step``, ``regroup`` or ``estimate_first``); an
    estimate that rounding cannot make goes step by step."""

    def trace(problem: Problem) -> str:
        ctx = Context(problem.expression, f"problem {problem.id}", problem.difficulty)
        unit = unit_of(problem.meta)
        if unit in MONEY_UNITS:
            # money in decimals throughout: 665 ÷ 100 moves the point to 6.65, where the fraction style went
            # round through 133/20 and back over 100
            ctx.style = "decimal"
        found = estimated(ctx) if name == "estimate_first" else None
        used = name if found is not None or name != "estimate_first" else "step_by_step"
        if found is None:
            found = regrouped(ctx) if used == "regroup" else in_order(ctx)
        lines, value = found
        opening = pick(problem.id, "opening", _OPENINGS[used]).format(expr=pretty(problem.expression))
        think = [problem.question.strip(), *story_steps(problem), opening, *lines]
        return finish(think, value, ctx.style, unit)

    trace.__name__ = trace.__qualname__ = f"{name}_trace"
    return trace


ROUTES = {name: word_route(name) for name in ("step_by_step", "regroup", "estimate_first")}

__all__ = ["ROUTES", "story_steps", "word_route"]
