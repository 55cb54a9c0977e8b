"""``multi_step_word`` solution routes: the story's quantities in the order they are told, a plan of what the
question needs before any arithmetic (quantities read straight off the story first), and the whole story as one
expression evaluated from the inside out. Each ends with the same check: the operations undone one by one from the
answer back to a number told in the story (a wrong answer makes the last claim false)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.multi_step_word.generator import run_steps, step_expression
from chukmath.records import Problem

_OPS = {"+": OP_ADD, "-": OP_SUB, "*": OP_MUL, "/": OP_DIV}
_UNDO = {"+": OP_SUB, "-": OP_ADD, "*": OP_DIV, "/": OP_MUL}
_SHOW = {"+": "+", "-": "-", "*": "×", "/": "÷"}


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The answer, the one number the check is about."""
    return (run_steps(problem.meta["steps"])[-1],)


def _value(ref: Any, results: list[Fraction]) -> Fraction:
    return results[int(ref[1:]) - 1] if isinstance(ref, str) else Fraction(ref)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Undo the operations from the claimed answer back along the chain that made it, until a number told in the
    story comes back (the last claim compares with that number, so a wrong answer makes it false)."""
    steps = problem.meta["steps"]
    results = run_steps(steps)
    work = Check(problem.difficulty)
    work.say("Check by working backwards from the answer to a number in the story:")
    current: Fraction = claimed[0]
    i = len(steps) - 1
    while True:
        _, left, op, right = steps[i]
        b = _value(right, results)
        if isinstance(left, str):
            current = Fraction(work.op(current, _UNDO[op], b))
            i = int(left[1:]) - 1
            continue
        a = Fraction(left)
        if op == "-":
            work.expect(a, OP_SUB, current, b)  # a - b = current, so a - current gives b back
        else:
            work.expect(current, _UNDO[op], b, a)
        return work


def _compute(work: Work, steps: list[list[Any]], order: list[int], say: Any) -> list[Fraction]:
    results: list[Fraction | None] = [None] * len(steps)
    for i in order:
        label, left, op, right = steps[i]
        a = results[int(left[1:]) - 1] if isinstance(left, str) else Fraction(left)
        b = results[int(right[1:]) - 1] if isinstance(right, str) else Fraction(right)
        say(i, label)
        results[i] = Fraction(work.op(a, _OPS[op], b))  # type: ignore[arg-type]
    return [r for r in results if r is not None]


def _close(problem: Problem, work: Work, value: Fraction) -> str:
    closing = pick(problem.id, "close", (f"So the answer is {num(value)}.", f"That gives {num(value)}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def _distractors(problem: Problem, work: Work) -> None:
    if problem.difficulty >= 4:
        work.say("Not every number in the story is needed: use only those the question depends on.")


def in_order(problem: Problem) -> str:
    """The quantities in the order the story tells them, one labelled operation each."""
    steps = problem.meta["steps"]
    work = Work(problem.difficulty)
    work.say(pick(problem.id, "open", ("Follow the story one quantity at a time.", "Take the story step by step.")))
    _distractors(problem, work)
    results = _compute(work, steps, list(range(len(steps))), lambda i, label: work.say(f"{label}:"))
    return _close(problem, work, results[-1])


def plan_first(problem: Problem) -> str:
    """A plan of the quantities needed, then the ones read straight off the story, then the rest."""
    steps = problem.meta["steps"]
    work = Work(problem.difficulty)
    work.say(f"The question asks for: {str(steps[-1][0]).lower()}. To get there we need, in turn:")
    for i, (label, *_) in enumerate(steps, 1):
        work.say(f"({i}) {str(label).lower()}")
    _distractors(problem, work)
    direct = [i for i, s in enumerate(steps) if not isinstance(s[1], str) and not isinstance(s[3], str)]
    order = direct + [i for i in range(len(steps)) if i not in direct]
    if len(direct) > 1:
        work.say("Quantities (" + ", ".join(str(i + 1) for i in direct) + ") come straight from the story; work "
                 "them out first.")  # fmt: skip
    results = _compute(work, steps, order, lambda i, label: work.say(f"({i + 1}) {label}:"))
    return _close(problem, work, results[-1])


def one_expression(problem: Problem) -> str:
    """The whole story as one expression, then evaluated from the innermost brackets out."""
    steps = problem.meta["steps"]
    work = Work(problem.difficulty)
    _distractors(problem, work)
    work.say(f"Write the whole story as one calculation: {step_expression(steps, _SHOW)}.")
    work.say("Work it out from the innermost brackets outwards:")
    results = _compute(work, steps, list(range(len(steps))), lambda i, label: None)
    return _close(problem, work, results[-1])


ROUTES: dict[str, Trace] = {"in_order": in_order, "plan_first": plan_first, "one_expression": one_expression}
