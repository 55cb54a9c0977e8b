"""``permutations_combinations`` solution routes: multiply down from the largest factor, build up from the smallest
(or choose positions one group at a time), or pair factors and cancel first. Each is checked by undoing the count:
divide it back down factor by factor to 1, or multiply it by the orders that were divided out."""

from __future__ import annotations

from fractions import Fraction
from math import comb, factorial, perm

from chukmath.families.common.format import OP_DIV, OP_MUL, Number
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.records import Problem


def _count(problem: Problem) -> int:
    m = problem.meta
    kind = m["kind"]
    if kind == "factorial":
        return factorial(m["n"])
    if kind == "npr":
        return perm(m["n"], m["r"])
    if kind == "ncr":
        return comb(m["n"], m["r"])
    if kind == "repeats":
        value = factorial(sum(m["counts"]))
        for c in m["counts"]:
            value //= factorial(c)
        return value
    return int(m["m"] ** m["k"])


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The count."""
    return (Fraction(_count(problem)),)


def _divide_down(work: Check, value: Number, factors: list[int]) -> None:
    """Divide by each factor in turn; the last division must leave exactly 1."""
    for f in factors[:-1]:
        value = work.op(value, OP_DIV, f)
    work.expect(value, OP_DIV, factors[-1], 1)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Undo the count: divide it back to 1 by the choices of each place, or multiply by the orders divided out."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    value = claimed[0]
    if kind in ("factorial", "npr", "codes"):
        factors = (
            list(range(m["n"], 1, -1))
            if kind == "factorial"
            else list(range(m["n"], m["n"] - m["r"], -1))
            if kind == "npr"
            else [m["m"]] * m["k"]
        )
        work.say(
            pick(
                problem.id,
                "check",
                (
                    "Check by dividing the count back down by each place's choices; it must end at exactly 1:",
                    "Check: undo each multiplication in turn and reach 1.",
                ),
            )
        )
        _divide_down(work, value, factors)
        return work
    if kind == "ncr":
        n, r = m["n"], m["r"]
        work.say(
            f"Check: each group of {r} can be put in order in {r}! ways, so the count times {r}! must be the "
            f"number of ordered choices, {n} × ... × {n - r + 1}."
        )
        orders = work.product(list(range(2, r + 1))) if r > 2 else 2
        ordered = work.product(list(range(n, n - r, -1)))
        work.expect(value, OP_MUL, orders, ordered)
        return work
    counts = m["counts"]
    total = sum(counts)
    work.say(
        f"Check: giving same-coloured items their own labels multiplies the count by each colour's orders and "
        f"must give all {total}! orders."
    )
    orders = [factorial(c) for c in counts if c > 1]
    divisor = work.product(orders) if orders else 1
    everything = work.product(list(range(total, 1, -1)))
    work.expect(value, OP_MUL, divisor, everything)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    count = int(value)
    closing = pick(problem.id, "close", (f"So the number of ways is {count}.", f"That gives {count} ways."))
    return finish(work, check(problem, (Fraction(count),)), closing, f"The answer is {count}.", str(count))


def _factors(problem: Problem) -> list[int]:
    """The factors, largest first, of a count that is a plain product (factorial, npr, codes)."""
    m = problem.meta
    if m["kind"] == "factorial":
        return list(range(m["n"], 1, -1))
    if m["kind"] == "npr":
        return list(range(m["n"], m["n"] - m["r"], -1))
    return [m["m"]] * m["k"]


def _intro_product(problem: Problem, work: Work) -> None:
    m = problem.meta
    if m["kind"] == "factorial":
        n = m["n"]
        options = (
            f"{n} places in a row: {n} choices for the first, one fewer for each next place: {n}!.",
            f"Fill the row one place at a time: {n} items can go first, then {n - 1} are left, and so on down to 1.",
            f"The number of orders of {n} different things is {n} factorial, the product of 1 up to {n}.",
        )
    elif m["kind"] == "npr":
        n, r = m["n"], m["r"]
        options = (
            f"Order matters: {n} choices for the first post, {n - 1} for the second, and so on for {r} posts.",
            f"Fill {r} ordered slots from {n}: each slot has one choice fewer than the one before.",
            f"An ordered pick of {r} from {n} is the product of {r} numbers counting down from {n}.",
        )
    else:
        k, base = m["k"], m["m"]
        options = (
            f"Each of the {k} positions has {base} choices, independently: {base}^{k}.",
            f"Repeats are allowed, so every one of the {k} places can be any of the {base} symbols.",
            f"Multiply {base} by itself once for each of the {k} positions.",
        )
    work.say(pick(problem.id, "intro", options))


def _by_factorials(work: Work, total: int, groups: list[int]) -> Number:
    value = work.product(list(range(total, 1, -1)))
    for c in groups:
        if c > 1:
            work.say(f"Divide out the {c}! orders of a group of {c}:")
            value = work.op(value, OP_DIV, work.product(list(range(c, 1, -1))) if c > 2 else 2)
    return value


def down(problem: Problem) -> str:
    """Largest factor first; a combination as ordered choices divided by the orders of a group."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind in ("factorial", "npr", "codes"):
        _intro_product(problem, work)
        return _close(problem, work, work.product(_factors(problem)))
    if kind == "ncr":
        n, r = m["n"], m["r"]
        work.say(
            f"Order does not matter: count ordered choices of {r} from {n}, then divide by the {r}! orders of "
            "each group."
        )
        ordered = work.product(list(range(n, n - r, -1)))
        orders = work.product(list(range(r, 1, -1))) if r > 2 else 2
        return _close(problem, work, work.op(ordered, OP_DIV, orders))
    counts = m["counts"]
    work.say(f"All {sum(counts)} items in a row, then divide out the swaps of same-coloured items.")
    return _close(problem, work, _by_factorials(work, sum(counts), counts))


def up(problem: Problem) -> str:
    """Smallest factor first; a combination kept whole at every step (c × (n - i) ÷ (i + 1)); repeated colours by
    choosing the positions of each colour in turn."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind in ("factorial", "npr", "codes"):
        _intro_product(problem, work)
        work.say("Multiply from the smallest factor up:")
        return _close(problem, work, work.product(list(reversed(_factors(problem)))))
    if kind == "ncr":
        n, r = m["n"], m["r"]
        work.say(
            f"Build C({n}, {r}) one pick at a time: C({n}, 1) is {n}, and C({n}, i + 1) is C({n}, i) × "
            f"({n} - i) ÷ (i + 1). Every step stays a whole number."
        )
        value: Number = n
        for i in range(1, r):
            value = work.op(work.op(value, OP_MUL, n - i), OP_DIV, i + 1)
        return _close(problem, work, value)
    counts, colours = m["counts"], m["colours"]
    left = sum(counts)
    work.say("Choose the positions of each colour in turn; the last colour fills what is left.")
    ways: list[int] = []
    for c, colour in zip(counts[:-1], colours[:-1], strict=True):
        work.say(f"Places for the {c} {colour}: C({left}, {c}) of the {left} places left:")
        j = min(c, left - c)
        top = work.product(list(range(left, left - j, -1))) if j > 1 else left
        bottom = work.product(list(range(j, 1, -1))) if j > 2 else j
        ways.append(int(work.op(top, OP_DIV, bottom)) if bottom > 1 else int(top))
        left -= c
    return _close(problem, work, work.product(ways))


def paired(problem: Problem) -> str:
    """Factors paired from both ends (or a power split in halves); a combination through the smaller of r and
    n - r; repeated colours with the largest group's factorial cancelled at once."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind in ("factorial", "npr"):
        _intro_product(problem, work)
        factors = _factors(problem)
        work.say("Pair the largest factor with the smallest, the next largest with the next smallest, and so on:")
        pairs = [work.op(factors[i], OP_MUL, factors[-1 - i]) for i in range(len(factors) // 2)]
        if len(factors) % 2:
            pairs.append(factors[len(factors) // 2])
        return _close(problem, work, work.product(pairs))
    if kind == "codes":
        _intro_product(problem, work)
        base, k = m["m"], m["k"]
        half = k // 2
        work.say(f"Split the power: {base}^{k} = {base}^{half} × {base}^{k - half}.")
        low = work.product([base] * half)
        high = work.product([base] * (k - half)) if k - half != half else low
        if k - half == half:
            work.say(f"Both halves are {low}.")
        return _close(problem, work, work.op(low, OP_MUL, high))
    if kind == "ncr":
        n, r = m["n"], m["r"]
        j = min(r, n - r)
        if j < r:
            work.say(f"Choosing {r} to take is the same as choosing the {j} to leave: C({n}, {r}) is C({n}, {j}).")
        else:
            work.say(f"C({n}, {r}) is {n}! ÷ ({r}! × {n - r}!); cancel {n - r}! against {n}!.")
        top = work.product(list(range(n - j + 1, n + 1)))
        work.say(f"Divide by {j}! one factor at a time:")
        value: Number = top
        for d in range(2, j + 1):
            value = work.op(value, OP_DIV, d)
        return _close(problem, work, value)
    counts = m["counts"]
    total, largest = sum(counts), max(counts)
    rest = list(counts)
    rest.remove(largest)
    work.say(
        f"{total}! ÷ {largest}! leaves the factors from {largest + 1} to {total}; then divide out the other "
        "groups' orders."
    )
    value = work.product(list(range(largest + 1, total + 1))) if total > largest + 1 else total
    for c in rest:
        if c > 1:
            value = work.op(value, OP_DIV, work.product(list(range(c, 1, -1))) if c > 2 else 2)
    return _close(problem, work, value)


ROUTES: dict[str, Trace] = {"down": down, "up": up, "paired": paired}
