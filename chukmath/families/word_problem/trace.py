"""Trace for ``word_problem``: the question, which quantity each step computes, the answer with its unit.

The answer is written as a person writes it: an amount of money with cents in two places (``9235.80 dollars``,
the currency named after the amount, as the question asks "in dollars"), and the unit singular for exactly 1.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.families.common.arithmetic_steps import answer_text, evaluate_with_steps, recheck
from chukmath.families.common.format import Number, Style, assemble, num, pretty
from chukmath.families.common.present import money_text, unit_for
from chukmath.families.word_problem.generator import CURRENCIES
from chukmath.records import Problem


def unit_of(meta: dict[str, Any]) -> str:
    unit = meta.get("unit")
    return unit.strip() if isinstance(unit, str) and unit.strip() else ""


MONEY_UNITS = frozenset(unit for _symbol, unit in CURRENCIES)


def _step_labels(meta: dict[str, Any], count: int) -> list[str] | None:
    """Per-step descriptions from the generator, when it gives one per operation."""
    for key in ("steps", "operations"):
        labels = meta.get(key)
        if isinstance(labels, list) and len(labels) == count and all(isinstance(s, str) for s in labels):
            return [s.strip().rstrip(".:") for s in labels]
    return None


def word_problem_trace(problem: Problem) -> str:
    """Trace for ``word_problem``: the question, which quantity each step computes, the answer with its unit."""
    where = f"problem {problem.id}"
    lines, value, walk = evaluate_with_steps(problem.expression, where)
    unit = unit_of(problem.meta)
    think = [problem.question.strip(), f"The quantity asked for is the value of {pretty(problem.expression)}."]
    claims = [i for i, line in enumerate(lines) if " = " in line]
    labels = _step_labels(problem.meta, len(claims))
    for position, line in enumerate(lines):
        if labels is not None and position in claims:
            think.append(f"{labels[claims.index(position)]}:")
        think.append(line)
    think.extend(recheck(walk))
    return finish(think, value, walk.style, unit)


def finish(think: list[str], value: Number, style: Style, unit: str) -> str:
    """The closing sentence with the unit (money in two places) and the answer tags, after ``think``."""
    shown = num(value, style)
    verifier = answer_text(value)
    if unit in MONEY_UNITS:
        money = money_text(Fraction(value))
        if "/" in shown and money != shown:
            think.append(f"{shown} = {money}")  # the exact fraction in dollars and cents
        shown = money
        if "/" not in money:
            verifier = money
    said = f"{shown} {unit_for(value, unit)}" if unit else shown
    think.append(f"So the answer is {said}.")
    return assemble(think, f"The answer is {said}.", verifier)
