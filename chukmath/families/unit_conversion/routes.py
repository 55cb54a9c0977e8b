"""``unit_conversion`` solution routes: through the base unit (× source size ÷ target size), one conversion factor
worked out first, or divide first then multiply; speeds by distance then time, time then distance, or one combined
factor. Each is checked by converting the answer back to the unit of the question."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_DIV, OP_MUL, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.unit_conversion.generator import SPEEDS, UNITS, _base
from chukmath.records import Problem


def _sizes(problem: Problem) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """(source size, target size, source time size, target time size) in base units; time sizes are 1 unless the
    question is a speed."""
    m = problem.meta
    if m["kind"] == "speed":
        (_, sd, st), (_, dd, dt) = SPEEDS[m["from"]], SPEEDS[m["to"]]
        return UNITS["length"][sd][1], UNITS["length"][dd][1], UNITS["time"][st][1], UNITS["time"][dt][1]
    kind = m["kind"]
    return UNITS[kind][m["from"]][1], UNITS[kind][m["to"]][1], Fraction(1), Fraction(1)


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The converted amount."""
    s, d, ts, td = _sizes(problem)
    return (Fraction(problem.meta["amount"]) * s / d * td / ts,)


def _work(problem: Problem) -> Work:
    return Work(problem.difficulty, "decimal")


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Convert the answer back into the question's unit."""
    m = problem.meta
    s, d, ts, td = _sizes(problem)
    work = Check(problem.difficulty, "decimal")
    amount = Fraction(m["amount"])
    work.say(
        pick(
            problem.id,
            "check",
            (
                f"Check by converting back to {m['from']}:",
                f"Check: go back from {m['to']} to {m['from']}; the original {num(amount, 'decimal')} must come out.",
            ),
        )
    )
    value = work.op(claimed[0], OP_MUL, d)
    if m["kind"] != "speed" or ts == td:
        work.expect(value, OP_DIV, s, amount)
        return work
    value = work.op(value, OP_DIV, s)
    work.expect(value, OP_MUL, ts / td, amount)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    text = num(value, "decimal")
    closing = pick(
        problem.id, "close", (f"So the answer is {text} {problem.meta['to']}.", f"That is {text} {problem.meta['to']}.")
    )
    # the unit stays out of <answer>: a one-letter unit ("61/24 d") would read as a variable
    return finish(work, check(problem, (value,)), closing, f"The answer is {text}.", num(value))


def _names(problem: Problem) -> tuple[str, str]:
    m = problem.meta
    if m["kind"] == "speed":
        return SPEEDS[m["from"]][1], SPEEDS[m["to"]][1]
    return m["from"], m["to"]


def through_base(problem: Problem) -> str:
    """Into the base unit and out again (for a speed, distance first, then time)."""
    m = problem.meta
    s, d, ts, td = _sizes(problem)
    src, dst = _names(problem)
    work = _work(problem)
    base = _base("length" if m["kind"] == "speed" else m["kind"])
    amount = Fraction(m["amount"])
    if s != d:
        work.say(
            f"1 {src} is {num(s, 'decimal')} {base} and 1 {dst} is {num(d, 'decimal')} {base}: multiply into "
            f"{base}, then divide into {dst}."
        )
        amount = Fraction(work.op(work.op(amount, OP_MUL, s), OP_DIV, d))
    if ts != td:
        (_, _, st), (_, _, dt) = SPEEDS[m["from"]], SPEEDS[m["to"]]
        work.say(f"Per {st} becomes per {dt}: 1 {dt} is {num(td / ts, 'decimal')} {st}.")
        amount = Fraction(work.op(amount, OP_MUL, td / ts))
    return _close(problem, work, amount)


def factor(problem: Problem) -> str:
    """One conversion factor first (time first for a speed), then one multiplication or division."""
    m = problem.meta
    s, d, ts, td = _sizes(problem)
    src, dst = _names(problem)
    work = _work(problem)
    amount = Fraction(m["amount"])
    if ts != td:
        (_, _, st), (_, _, dt) = SPEEDS[m["from"]], SPEEDS[m["to"]]
        work.say(f"Time first: per {st} to per {dt}.")
        ratio = td / ts
        amount = Fraction(
            work.op(amount, OP_MUL, ratio)
            if ratio.denominator == 1 or ratio.numerator != 1
            else work.op(amount, OP_DIV, ratio.denominator)
        )
    if s != d:
        ratio = s / d
        if ratio.numerator == 1 and ratio.denominator != 1:
            work.say(f"1 {dst} is {ratio.denominator} {src}, so divide by {ratio.denominator}:")
            amount = Fraction(work.op(amount, OP_DIV, ratio.denominator))
        else:
            work.say(f"How many {dst} in 1 {src}:")
            factor_ = work.op(s, OP_DIV, d)
            work.say("Multiply by that factor:")
            amount = Fraction(work.op(amount, OP_MUL, factor_))
    return _close(problem, work, amount)


def combined(problem: Problem) -> str:
    """Divide by the target's size first, then multiply by the source's; a speed with all factors combined into one."""
    m = problem.meta
    s, d, ts, td = _sizes(problem)
    src, dst = _names(problem)
    work = _work(problem)
    amount = Fraction(m["amount"])
    if m["kind"] == "speed":
        work.say("Combine everything into one factor: (length factor) × (time factor).")
        length = work.op(s, OP_DIV, d) if s != d else Fraction(1)
        total = work.op(length, OP_MUL, td / ts) if ts != td else length
        return _close(problem, work, work.op(amount, OP_MUL, total))
    work.say(
        pick(
            problem.id,
            "order",
            (
                f"Divide by the size of 1 {dst} first, then multiply by the size of 1 {src}.",
                f"Count how many {dst} the amount would be if it were in base units, then "
                f"scale by the size of 1 {src}.",
            ),
        )
    )
    return _close(problem, work, work.op(work.op(amount, OP_DIV, d), OP_MUL, s))


ROUTES: dict[str, Trace] = {"through_base": through_base, "factor": factor, "combined": combined}
