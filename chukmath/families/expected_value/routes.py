"""``expected_value`` solution routes: add then average, weight each outcome by its probability, or count in whole
numbers over a common denominator (pairs of faces, the whole prize pool, wins and losses apart). Each is checked by
undoing it another way: the mean times the count against the total added in reverse order, the expectation
divided by the chance of success, the expectation of a game shifted by its first value."""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.records import Problem


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The expected value."""
    m = problem.meta
    kind = m["kind"]
    if kind == "die":
        return (Fraction(sum(m["faces"]), len(m["faces"])),)
    if kind == "trials":
        return (m["n"] * Fraction(m["p"]),)
    if kind == "raffle":
        return (Fraction(sum(m["prizes"]), m["tickets"]) - m["cost"],)
    return (sum((v * Fraction(p) for v, p in zip(m["values"], m["probs"], strict=True)), Fraction(0)),)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Undo the expectation another way and compare."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    value = claimed[0]
    if kind == "die":
        faces = m["faces"]
        work.say(f"Check: the expected value times {len(faces)} must be the sum of the faces, added from the top down.")
        work.expect(value, OP_MUL, len(faces), work.total(list(reversed(faces))))
    elif kind == "trials":
        work.say(f"Check: the expected count divided by the chance {m['p']} must give back the {m['n']} tries.")
        work.expect(value, OP_DIV, Fraction(m["p"]), m["n"])
    elif kind == "raffle":
        prizes, tickets, cost = m["prizes"], m["tickets"], m["cost"]
        work.say(
            f"Check: add the ${cost} ticket price back and multiply by the {tickets} tickets; that must be all "
            "the prize money."
        )
        pool = work.total(list(reversed(prizes)))
        work.expect(work.op(value, OP_ADD, cost), OP_MUL, tickets, pool)
    else:
        values, probs = m["values"], [Fraction(p) for p in m["probs"]]
        base = values[0]
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check by shifting every amount by {base}: the expectation moves by exactly {base}.",
                    f"Check: measure every amount from {base}; the expected gap plus {base} "
                    "must give the expected value.",
                ),
            )
        )
        gaps = [work.op(work.op(v, OP_SUB, base), OP_MUL, p) for v, p in zip(values[1:], probs[1:], strict=True)]
        work.expect(value, OP_SUB, base, work.total(gaps))
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    closing = pick(
        problem.id, "close", (f"So the expected value is {num(value)}.", f"The expectation is {num(value)}.")
    )
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def average(problem: Problem) -> str:
    """Add the amounts, then average: faces ÷ count, n × p, prize pool ÷ tickets minus the price, products added."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "die":
        faces = m["faces"]
        work.say(f"All {len(faces)} faces are equally likely: the expected value is their average.")
        return _close(problem, work, work.op(work.total(faces), OP_DIV, len(faces)))
    if kind == "trials":
        work.say(
            pick(
                problem.id,
                "lin",
                (
                    "Each try adds its chance of success to the expected count (linearity):",
                    "Expected successes = number of tries × chance of success:",
                ),
            )
        )
        return _close(problem, work, work.op(m["n"], OP_MUL, Fraction(m["p"])))
    if kind == "raffle":
        prizes, tickets, cost = m["prizes"], m["tickets"], m["cost"]
        work.say(f"A ticket's expected winnings are the prize money shared over {tickets} tickets:")
        share = work.op(work.total(prizes), OP_DIV, tickets)
        work.say(f"minus the ${cost} it costs:")
        return _close(problem, work, work.op(share, OP_SUB, cost))
    work.say("Multiply each amount by its probability (a loss is negative), then add:")
    products = [work.op(v, OP_MUL, Fraction(p)) for v, p in zip(m["values"], m["probs"], strict=True)]
    return _close(problem, work, work.total(products))


def weighted(problem: Problem) -> str:
    """Every outcome weighted by its probability: each face times 1/k, n ÷ d × k, each prize's share, the game
    over a common denominator."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "die":
        faces = m["faces"]
        k = len(faces)
        work.say(f"Each face has probability 1/{k}; weight each and add:")
        return _close(problem, work, work.total([work.op(f, OP_MUL, Fraction(1, k)) for f in faces]))
    if kind == "trials":
        p = Fraction(m["p"])
        work.say(
            f"A chance of {num(p)} means {p.numerator} success{'es' if p.numerator > 1 else ''} per "
            f"{p.denominator} tries on average. Count the blocks of {p.denominator} tries first:"
        )
        blocks = work.op(m["n"], OP_DIV, p.denominator)
        return _close(problem, work, work.op(blocks, OP_MUL, p.numerator))
    if kind == "raffle":
        prizes, tickets, cost = m["prizes"], m["tickets"], m["cost"]
        work.say(f"Each prize adds prize ÷ {tickets} to a ticket's expected winnings:")
        shares = [work.op(x, OP_DIV, tickets) for x in prizes]
        total = work.total(shares)
        work.say(f"Take away the ${cost} price:")
        return _close(problem, work, work.op(total, OP_SUB, cost))
    values, probs = m["values"], [Fraction(p) for p in m["probs"]]
    d = lcm(*(p.denominator for p in probs))
    work.say(f"Put every probability over {d}: out of {d} equally likely plays, count how often each amount comes.")
    weights = [work.op(p, OP_MUL, d) for p in probs]
    total = work.total([work.op(v, OP_MUL, w) for v, w in zip(values, weights, strict=True)])
    work.say(f"That is the total over {d} plays; per play:")
    return _close(problem, work, work.op(total, OP_DIV, d))


def split(problem: Problem) -> str:
    """Split the outcomes: faces paired from both ends, n × k then ÷ d, winners and losers of a raffle apart, a
    game's gains and losses apart."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "die":
        faces = sorted(m["faces"])
        k = len(faces)
        work.say("Pair the smallest face with the largest, the next with the next, and add the pairs:")
        pairs = [work.op(faces[i], OP_ADD, faces[-1 - i]) for i in range(k // 2)]
        total = work.total(pairs) if len(pairs) > 1 else pairs[0]
        if k % 2:
            total = work.op(total, OP_ADD, faces[k // 2])
        work.say(f"Divide by the {k} faces:")
        return _close(problem, work, work.op(total, OP_DIV, k))
    if kind == "trials":
        p = Fraction(m["p"])
        work.say(f"Multiply the {m['n']} tries by {p.numerator}, then divide by {p.denominator}:")
        return _close(problem, work, work.op(work.op(m["n"], OP_MUL, p.numerator), OP_DIV, p.denominator))
    if kind == "raffle":
        prizes, tickets, cost = m["prizes"], m["tickets"], m["cost"]
        losers = tickets - len(prizes)
        work.say(
            f"Net results: a winning ticket gains its prize minus ${cost}; each of the other {losers} tickets "
            f"loses ${cost}. Add the net results of all {tickets} tickets:"
        )
        gains = [work.op(x, OP_SUB, cost) for x in prizes]
        won = work.total(gains)
        lost = work.op(losers, OP_MUL, cost)
        return _close(problem, work, work.op(work.op(won, OP_SUB, lost), OP_DIV, tickets))
    values, probs = m["values"], [Fraction(p) for p in m["probs"]]
    work.say("Add up the expected gains and the expected losses separately:")
    gains = [work.op(v, OP_MUL, p) for v, p in zip(values, probs, strict=True) if v > 0]
    losses = [work.op(-v, OP_MUL, p) for v, p in zip(values, probs, strict=True) if v < 0]
    won: Number = work.total(gains) if gains else 0
    if not losses:
        work.say("Nothing can be lost, so that is the expected value.")
        return _close(problem, work, won)
    lost = work.total(losses)
    return _close(problem, work, work.op(won, OP_SUB, lost))


ROUTES: dict[str, Trace] = {"average": average, "weighted": weighted, "split": split}
