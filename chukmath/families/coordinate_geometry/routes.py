"""``coordinate_geometry`` solution routes, each checked by going back to the two given points: the distance squared
against the differences taken the other way, the midpoint doubled back to the far end, the slope walked from one
point to the other, the line put through both points."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, num
from chukmath.families.common.radicals import by_hand, split_sqrt, sqrt_text
from chukmath.families.common.worked import Check, Work, expect_square, finish, pick, square_root
from chukmath.families.contract import Trace
from chukmath.families.coordinate_geometry.generator import line_text
from chukmath.records import Problem


def _points(problem: Problem) -> tuple[int, int, int, int]:
    (x1, y1), (x2, y2) = problem.meta["p"], problem.meta["q"]
    return x1, y1, x2, y2


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """distance ``k√m``: ``(k,)``; midpoint ``(x, y)``; slope ``(m,)``; line ``(m, b)``."""
    x1, y1, x2, y2 = _points(problem)
    kind = problem.meta["kind"]
    if kind == "distance":
        return (Fraction(split_sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2)[0]),)
    if kind == "midpoint":
        return Fraction(x1 + x2, 2), Fraction(y1 + y2, 2)
    slope = Fraction(y2 - y1, x2 - x1)
    return (slope,) if kind == "slope" else (slope, y1 - slope * x1)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Recompute from the points another way and compare with the claimed result."""
    x1, y1, x2, y2 = _points(problem)
    kind = problem.meta["kind"]
    work = Check(problem.difficulty)
    if kind == "distance":
        work.say(
            pick(
                problem.id,
                "check",
                (
                    "Check: take the differences the other way round; their squares must add "
                    "up to the distance squared.",
                    "Check by squaring the distance and recomputing from the points backwards:",
                ),
            )
        )
        dx, dy = work.op(x1, OP_SUB, x2), work.op(y1, OP_SUB, y2)
        total = work.op(work.op(dx, OP_MUL, dx), OP_ADD, work.op(dy, OP_MUL, dy))
        expect_square(work, claimed[0], split_sqrt(int(total))[1], int(total))
    elif kind == "midpoint":
        mx, my = claimed
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check: going from ({x1}, {y1}) to the midpoint twice must land on "
                    f"({x2}, {y2}), so 2 × midpoint - first point = second point.",
                    "Check: twice the midpoint minus one end gives the other end.",
                ),
            )
        )
        work.expect(work.op(2, OP_MUL, mx), OP_SUB, x1, x2)
        work.expect(work.op(2, OP_MUL, my), OP_SUB, y1, y2)
    elif kind == "slope":
        work.say(
            f"Check: start at ({x1}, {y1}) and move {x2 - x1} in x; y must change by the slope times that and "
            f"reach {y2}."
        )
        work.expect(y1, OP_ADD, work.op(claimed[0], OP_MUL, x2 - x1), y2)
    else:
        m, b = claimed
        work.say(
            pick(
                problem.id,
                "check",
                ("Check: both points must lie on the line.", "Check by substituting each point into y = mx + b:"),
            )
        )
        work.expect(work.op(m, OP_MUL, x1), OP_ADD, b, y1)
        work.expect(work.op(m, OP_MUL, x2), OP_ADD, b, y2)
    return work


def _close(problem: Problem, work: Work, claimed: tuple[Fraction, ...]) -> str:
    kind = problem.meta["kind"]
    x1, y1, x2, y2 = _points(problem)
    done = check(problem, claimed)
    if kind == "distance":
        answer = sqrt_text(int(claimed[0]), split_sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2)[1])
        return finish(work, done, f"So the distance is {by_hand(answer)}.", f"The answer is {by_hand(answer)}.", answer)
    if kind == "midpoint":
        mx, my = num(claimed[0]), num(claimed[1])
        return finish(
            work,
            done,
            f"So the midpoint is ({mx}, {my}).",
            f"The midpoint is x = {mx}, y = {my}.",
            f"{{x: {mx}, y: {my}}}",
        )
    if kind == "slope":
        return finish(
            work, done, f"So the slope is {num(claimed[0])}.", f"The answer is {num(claimed[0])}.", num(claimed[0])
        )
    answer = line_text(claimed[0], claimed[1])
    shown = answer.replace("*", "")
    return finish(work, done, f"So the line is y = {shown}.", f"The line is y = {shown}.", answer)


def _slope(work: Work, rise: int, run: int) -> Fraction:
    """rise ÷ run as a fraction in lowest terms, the run made positive first."""
    if run < 0:
        work.say(f"Make the run positive: {rise}/({run}) is the same as {-rise}/{-run}.")
        rise, run = -rise, -run
    return work.reduce(rise, run)


def formula(problem: Problem) -> str:
    """The textbook formulas, differences taken second point minus first."""
    x1, y1, x2, y2 = _points(problem)
    kind = problem.meta["kind"]
    work = Work(problem.difficulty)
    if kind == "midpoint":
        work.say("The midpoint averages the x-coordinates and the y-coordinates.")
        mx = work.op(work.op(x1, OP_ADD, x2), OP_DIV, 2)
        my = work.op(work.op(y1, OP_ADD, y2), OP_DIV, 2)
        return _close(problem, work, (Fraction(mx), Fraction(my)))
    work.say(
        pick(
            problem.id,
            "diff",
            (
                "First the changes in x and in y:",
                f"Subtract the coordinates of the first point, ({x1}, {y1}), from the second, ({x2}, {y2}):",
            ),
        )
    )
    dx, dy = work.op(x2, OP_SUB, x1), work.op(y2, OP_SUB, y1)
    if kind == "distance":
        work.say("The distance is the square root of dx² + dy².")
        total = work.op(work.op(dx, OP_MUL, dx), OP_ADD, work.op(dy, OP_MUL, dy))
        k, _ = square_root(work, int(total))
        return _close(problem, work, (Fraction(k),))
    work.say("Slope = rise ÷ run:")
    slope = Fraction(work.op(dy, OP_DIV, dx))
    if kind == "slope":
        return _close(problem, work, (slope,))
    work.say(f"The intercept makes the line pass through ({x1}, {y1}): b = {y1} - slope × {x1}.")
    b = work.op(y1, OP_SUB, work.op(slope, OP_MUL, x1))
    return _close(problem, work, (slope, Fraction(b)))


def backwards(problem: Problem) -> str:
    """Everything measured from the second point: differences first minus second, a midpoint as a start plus half
    the way, the intercept through the second point."""
    x1, y1, x2, y2 = _points(problem)
    kind = problem.meta["kind"]
    work = Work(problem.difficulty)
    if kind == "midpoint":
        work.say(f"Start at ({x2}, {y2}) and go half of the way to ({x1}, {y1}).")
        mx = work.op(x2, OP_ADD, work.op(work.op(x1, OP_SUB, x2), OP_DIV, 2))
        my = work.op(y2, OP_ADD, work.op(work.op(y1, OP_SUB, y2), OP_DIV, 2))
        return _close(problem, work, (Fraction(mx), Fraction(my)))
    work.say(f"Measure from ({x2}, {y2}) back to ({x1}, {y1}):")
    dx, dy = work.op(x1, OP_SUB, x2), work.op(y1, OP_SUB, y2)
    if kind == "distance":
        h, v = abs(dx), abs(dy)
        work.say(f"The segment is the hypotenuse of a right triangle with legs {h} and {v}.")
        total = work.op(work.op(h, OP_MUL, h), OP_ADD, work.op(v, OP_MUL, v))
        k, _ = square_root(work, int(total), by_primes=True)
        return _close(problem, work, (Fraction(k),))
    work.say("The slope is the same whichever point comes first: rise over run.")
    slope = _slope(work, int(dy), int(dx))
    if kind == "slope":
        return _close(problem, work, (slope,))
    work.say(f"Use the point ({x2}, {y2}) for the intercept: b = {y2} - slope × {x2}.")
    b = work.op(y2, OP_SUB, work.op(slope, OP_MUL, x2))
    return _close(problem, work, (slope, Fraction(b)))


def halves(problem: Problem) -> str:
    """Halve before adding for a midpoint; (|dx| + |dy|)² - 2|dx||dy| for a distance; for a line, the intercept
    from both points at once, b = (y1 + y2 - m(x1 + x2)) ÷ 2."""
    x1, y1, x2, y2 = _points(problem)
    kind = problem.meta["kind"]
    work = Work(problem.difficulty)
    if kind == "midpoint":
        work.say("Half of a sum is the sum of the halves: halve each coordinate, then add.")
        mx = work.op(work.op(x1, OP_DIV, 2), OP_ADD, work.op(x2, OP_DIV, 2))
        my = work.op(work.op(y1, OP_DIV, 2), OP_ADD, work.op(y2, OP_DIV, 2))
        return _close(problem, work, (Fraction(mx), Fraction(my)))
    h, v = abs(x2 - x1), abs(y2 - y1)
    work.say(f"Horizontal gap: {max(x1, x2)} - {min(x1, x2)}; vertical gap: {max(y1, y2)} - {min(y1, y2)}.")
    work.op(max(x1, x2), OP_SUB, min(x1, x2))
    work.op(max(y1, y2), OP_SUB, min(y1, y2))
    if kind == "distance":
        work.say(f"Use h² + v² = (h + v)² - 2hv with h = {h} and v = {v}.")
        s = work.op(h, OP_ADD, v)
        total = work.op(work.op(s, OP_MUL, s), OP_SUB, work.op(work.op(2, OP_MUL, h), OP_MUL, v))
        k, _ = square_root(work, int(total))
        return _close(problem, work, (Fraction(k),))
    rising = (x2 - x1) * (y2 - y1) > 0
    if y1 == y2:
        work.say("The line is level, so its slope is the vertical gap 0 over the horizontal gap:")
    else:
        sign = "rises, so the slope is positive" if rising else "falls, so the slope is negative"
        work.say(f"Going to the right the line {sign}; its size is the vertical gap over the horizontal gap:")
    size = Fraction(work.op(v, OP_DIV, h))
    slope = size if rising else -size
    if slope != size:
        work.say(f"With the sign: the slope is {num(slope)}.")
    if kind == "slope":
        return _close(problem, work, (slope,))
    work.say(
        "Add the two equations y = mx + b of the points: y1 + y2 = m(x1 + x2) + 2b, so b = (y1 + y2 - m(x1 + x2)) ÷ 2."
    )
    sy, sx = work.op(y1, OP_ADD, y2), work.op(x1, OP_ADD, x2)
    b = work.op(work.op(sy, OP_SUB, work.op(slope, OP_MUL, sx)), OP_DIV, 2)
    return _close(problem, work, (slope, Fraction(b)))


ROUTES: dict[str, Trace] = {"formula": formula, "backwards": backwards, "halves": halves}
