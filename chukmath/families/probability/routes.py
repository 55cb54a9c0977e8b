"""``probability`` solution routes: count the favourable outcomes directly, count by cases or unordered choices,
or go through the complement (or, for a repeated roll, the first success). Each is checked by turning the
probability back into a count: probability × number of equally likely outcomes = number of favourable ones."""

from __future__ import annotations

from fractions import Fraction
from math import comb

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.probability.generator import _pairs
from chukmath.records import Problem


def _counts(problem: Problem) -> tuple[int, int, list[Number], list[Number]]:
    """(favourable, total, factors of the favourable count, factors of the total): the outcome count of each kind."""
    m = problem.meta
    kind = m["kind"]
    if kind == "dice":
        fav = len(_pairs(m["target"], m["at_least"]))
        return fav, 36, [fav], [6, 6]
    if kind == "coins":
        return comb(m["n"], m["k"]), 2 ** m["n"], [comb(m["n"], m["k"])], [2] * m["n"]
    if kind == "urn":
        a, b, replace, event = m["a"], m["b"], m["replace"], m["event"]
        n = a + b
        second = n if replace else n - 1
        if event == "one_each":
            return 2 * a * b, n * second, [2, a, b], [n, second]
        count = a if event == "both_a" else b
        again = count if replace else count - 1
        return count * again, n * second, [count, again], [n, second]
    if kind == "cards":
        c = m["count"]
        if m["two"]:
            return c * (c - 1), 52 * 51, [c, c - 1], [52, 51]
        return c, 52, [c], [52]
    die, rolls = m["die"], m["rolls"]
    return die**rolls - (die - 1) ** rolls, die**rolls, [die**rolls, -((die - 1) ** rolls)], [die] * rolls


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The probability."""
    fav, total, _, _ = _counts(problem)
    return (Fraction(fav, total),)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """probability × (number of equally likely outcomes) must be the number of favourable outcomes."""
    fav, _, fav_factors, total_factors = _counts(problem)
    work = Check(problem.difficulty)
    work.say(
        pick(
            problem.id,
            "check",
            (
                "Check by turning the probability back into a count of outcomes:",
                "Check: the probability times the number of equally likely outcomes must be "
                "the number of favourable outcomes.",
            ),
        )
    )
    if problem.meta["kind"] == "at_least_one":
        work.say("Outcomes with at least one hit are all outcomes minus those with none:")
        die, rolls = problem.meta["die"], problem.meta["rolls"]
        everything = work.product([die] * rolls)
        none = work.product([die - 1] * rolls)
        fav_count = work.op(everything, OP_SUB, none)
        work.expect(claimed[0], OP_MUL, everything, fav_count)
        return work
    total = work.product(total_factors)
    if len(fav_factors) > 1:
        work.product(fav_factors)
    work.expect(claimed[0], OP_MUL, total, fav)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    closing = pick(problem.id, "close", (f"So the probability is {num(value)}.", f"The probability is {num(value)}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def _binomial(work: Work, n: int, k: int) -> int:
    """C(n, k) by the multiplicative formula on the smaller of k and n - k."""
    j = min(k, n - k)
    if j == 0:
        work.say(f"There is exactly 1 way to choose {'none' if k == 0 else 'all'} of the {n}.")
        return 1
    if j < k:
        work.say(f"Choosing {k} of {n} is the same as choosing the {j} left out: C({n}, {k}) is C({n}, {j}).")
    top = work.product(list(range(n, n - j, -1))) if j > 1 else n
    bottom = work.product(list(range(j, 0, -1))[:-1]) if j > 2 else j
    return int(work.op(top, OP_DIV, bottom)) if bottom != 1 else int(top)


def direct(problem: Problem) -> str:
    """Count favourable and possible outcomes (or multiply stage by stage) and divide."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    fav = _counts(problem)[0]
    if kind == "dice":
        pairs = _pairs(m["target"], m["at_least"])
        work.say(
            pick(
                problem.id,
                "dice",
                (
                    "Two dice give 6 × 6 equally likely ordered pairs:",
                    "Each die has 6 faces, so there are 6 × 6 equally likely outcomes:",
                    "Count the ordered pairs (first die, second die):",
                ),
            )
        )
        work.op(6, OP_MUL, 6)
        shown = ", ".join(f"({a}, {b})" for a, b in pairs) or "none"
        work.say(f"The pairs that work: {shown}; that is {fav}.")
        return _close(problem, work, work.reduce(fav, 36))
    if kind == "coins":
        n, k = m["n"], m["k"]
        work.say(
            pick(
                problem.id,
                "flips",
                (
                    f"There are 2^{n} equally likely sequences of {n} flips:",
                    "Each flip doubles the number of possible sequences:",
                    f"{n} flips with 2 outcomes each:",
                ),
            )
        )
        everything = work.product([2] * n)
        work.say(f"A sequence with {k} heads is a choice of which {k} flips are heads: C({n}, {k}).")
        ways = _binomial(work, n, k)
        return _close(problem, work, work.reduce(ways, int(everything)))
    if kind == "at_least_one":
        die, rolls, face = m["die"], m["rolls"], m["face"]
        miss = Fraction(die - 1, die)
        work.say(
            pick(
                problem.id,
                "miss",
                (
                    f"Complement: no {face} in one roll has probability {num(miss)}; the rolls are independent.",
                    f"It is easier to find the chance of never rolling a {face}: {num(miss)} per roll, independently.",
                ),
            )
        )
        none = work.product([miss] * rolls)
        work.say("At least one is everything else:")
        return _close(problem, work, work.op(1, OP_SUB, none))
    work.say(
        pick(
            problem.id,
            "stages",
            ("Multiply the probabilities of the two stages:", "Stage by stage, the first draw then the second:"),
        )
    )
    _, _, fav_factors, total_factors = _counts(problem)
    value: Number | None = None
    if kind == "urn" and m["event"] == "one_each":
        a, b = m["a"], m["b"]
        n, second = total_factors
        work.say(f"{m['colours'][0]} then {m['colours'][1]}, and the reverse order is just as likely, so double it:")
        one = work.op(work.reduce(a, int(n)), OP_MUL, work.reduce(b, int(second)))
        return _close(problem, work, work.op(one, OP_MUL, 2))
    for top, bottom in zip(fav_factors, total_factors, strict=True):
        p = work.reduce(int(top), int(bottom))
        value = p if value is None else work.op(value, OP_MUL, p)
    assert value is not None
    return _close(problem, work, value)


def counting(problem: Problem) -> str:
    """Count ordered outcomes in whole numbers (or, for dice, case by case on the first die), divide at the end."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    fav, _, fav_factors, total_factors = _counts(problem)
    if kind == "dice":
        target, at_least = m["target"], m["at_least"]
        work.say("Go through the first die's faces and count the second die's faces that work:")
        counts = []
        for a in range(1, 7):
            good = [b for b in range(1, 7) if (a + b >= target if at_least else a + b == target)]
            work.say(f"First die {a}: {len(good)} way{'s' if len(good) != 1 else ''}.")
            counts.append(len(good))
        work.total(counts)
        work.say("Out of 6 × 6 pairs:")
        work.op(6, OP_MUL, 6)
        return _close(problem, work, work.reduce(fav, 36))
    if kind == "coins":
        n, k = m["n"], m["k"]
        work.say(f"Count with factorials: C({n}, {k}) is {n}! ÷ ({k}! × {n - k}!), out of 2^{n} sequences.")
        if 0 < k < n:
            work.say(
                f"Cancel the larger factorial: C({n}, {k}) is ({n} × ... × {max(k, n - k) + 1}) ÷ {min(k, n - k)}!."
            )
        ways = _binomial(work, n, k)
        everything = work.product([2] * n)
        return _close(problem, work, work.reduce(ways, int(everything)))
    if kind == "at_least_one":
        die, rolls, face = m["die"], m["rolls"], m["face"]
        work.say(f"Count outcomes: {die}^{rolls} sequences of rolls in all, {die - 1}^{rolls} of them with no {face}.")
        everything = work.product([die] * rolls)
        none = work.product([die - 1] * rolls)
        hits = work.op(everything, OP_SUB, none)
        return _close(problem, work, work.reduce(int(hits), int(everything)))
    work.say(
        pick(
            problem.id,
            "pairs",
            (
                "Count ordered pairs of draws, favourable and possible:",
                "Think of the two draws as an ordered pair and count pairs:",
                "Count outcomes of the two draws in order:",
            ),
        )
    )
    favourable = work.product(fav_factors)
    possible = work.product(total_factors)
    return _close(problem, work, work.reduce(int(favourable), int(possible)))


def complement(problem: Problem) -> str:
    """What does not happen, subtracted from 1 (dice, one card); unordered choices (urns without replacement,
    two cards); the first success summed over rolls (at least one); a single sequence's chance times the number
    of sequences (coins)."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    fav, total, _, _ = _counts(problem)
    if kind in ("dice", "cards") and not (kind == "cards" and m["two"]):
        other = total - fav
        work.say(pick(problem.id, "comp", ("Count what does not happen and subtract from 1:", "Use the complement:")))
        work.say(f"{other} of the {total} equally likely outcomes miss the event.")
        work.op(total, OP_SUB, fav)
        return _close(problem, work, work.op(1, OP_SUB, work.reduce(other, total)))
    if kind == "coins":
        n, k = m["n"], m["k"]
        work.say(f"Each particular sequence of {n} flips has probability (1/2)^{n}:")
        each = work.product([Fraction(1, 2)] * n)
        work.say(f"and C({n}, {k}) sequences have {k} heads:")
        ways = _binomial(work, n, k)
        return _close(problem, work, work.op(each, OP_MUL, ways))
    if kind == "at_least_one":
        die, rolls = m["die"], m["rolls"]
        miss, hit = Fraction(die - 1, die), Fraction(1, die)
        work.say(f"Split by the roll where the face first appears: roll j means j - 1 misses, then a hit ({num(hit)}).")
        terms = []
        chance: Number = hit
        for j in range(1, rolls + 1):
            if j > 1:
                chance = work.op(chance, OP_MUL, miss)
            terms.append(chance)
        work.say("These cases cannot happen together, so add them:")
        return _close(problem, work, work.total(terms))
    if m.get("replace"):
        work.say("With replacement the draws are independent; multiply the chance of each draw.")
        _, _, fav_factors, total_factors = _counts(problem)
        n = total_factors[0]
        if m["event"] == "one_each":
            a, b = m["a"], m["b"]
            pa, pb = work.reduce(a, int(n)), work.reduce(b, int(n))
            work.say("Either colour can come first:")
            one = work.op(pa, OP_MUL, pb)
            return _close(problem, work, work.op(one, OP_ADD, one))
        p = work.reduce(int(fav_factors[0]), int(n))
        return _close(problem, work, work.op(p, OP_MUL, p))
    work.say(
        pick(
            problem.id,
            "unordered",
            (
                "The order of the two draws does not matter here: count unordered pairs.",
                "Treat the two items drawn as a group of 2 and count groups.",
            ),
        )
    )
    if kind == "cards":
        c = m["count"]
        good, every = comb(c, 2), comb(52, 2)
        work.say(f"Pairs of the {c}: C({c}, 2) is {c} × {c - 1} ÷ 2; pairs of the 52: 52 × 51 ÷ 2.")
        work.op(work.op(c, OP_MUL, c - 1), OP_DIV, 2)
        work.op(work.op(52, OP_MUL, 51), OP_DIV, 2)
        return _close(problem, work, work.reduce(good, every))
    a, b, event = m["a"], m["b"], m["event"]
    n = a + b
    work.op(a, OP_ADD, b)
    every = comb(n, 2)
    work.say(f"All pairs: C({n}, 2) is {n} × {n - 1} ÷ 2:")
    work.op(work.op(n, OP_MUL, n - 1), OP_DIV, 2)
    if event == "one_each":
        work.say("Pairs with one of each colour:")
        good = int(work.op(a, OP_MUL, b))
    else:
        count = a if event == "both_a" else b
        work.say(f"Pairs of the {count} of that colour: {count} × {count - 1} ÷ 2:")
        good = int(work.op(work.op(count, OP_MUL, count - 1), OP_DIV, 2))
    return _close(problem, work, work.reduce(good, every))


ROUTES: dict[str, Trace] = {"direct": direct, "counting": counting, "complement": complement}
