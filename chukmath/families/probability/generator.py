"""``probability``: dice sums, coin flips, draws from an urn with and without replacement, cards, complements.

Every answer is a ``Fraction`` in lowest terms; the trace counts favourable and possible outcomes (or multiplies
the probabilities of the stages) with one true claim per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("dice", "coins", "urn", "cards", "at_least_one")

_COLOURS = ("red", "blue", "green", "white", "black", "yellow")
_CARD_SETS = (  # (one, several, count of 52)
    ("a heart", "hearts", 13), ("an ace", "aces", 4), ("a red card", "red cards", 26),
    ("a face card (jack, queen or king)", "face cards (jacks, queens or kings)", 12), ("a king", "kings", 4),
    ("a black queen", "black queens", 2), ("a spade", "spades", 13), ("a red face card", "red face cards", 6),
    ("a number card from 2 to 10", "number cards from 2 to 10", 36),
)  # fmt: skip


@dataclass(frozen=True)
class ProbabilityConfig:
    """Knobs of probability (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_count: int = param(10, "largest number of balls of one colour, coin flips or rolls", min=3, max=30)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "dice,coins,urn,cards", "max_count": 5},
    2: {"kinds": "dice,coins,urn,cards", "max_count": 6},
    3: {},
    4: {"max_count": 15},
    5: {"max_count": 30},
}


def _pairs(target: int, at_least: bool) -> list[tuple[int, int]]:
    return [(a, b) for a in range(1, 7) for b in range(1, 7) if (a + b >= target if at_least else a + b == target)]


def draw(cfg: ProbabilityConfig, rng: Rng) -> tuple[str, Any] | None:
    """One probability question."""
    kind = rng.choice(kind_names(cfg.kinds))
    top = cfg.max_count
    if kind == "dice":
        at_least = rng.chance(0.5)
        target = rng.randint(3, 12) if at_least else rng.randint(2, 12)
        favourable = len(_pairs(target, at_least))
        event = f"at least {target}" if at_least else f"exactly {target}"
        question = rng.choice(
            (
                f"Two fair six-sided dice are rolled. What is the probability that the sum is {event}?",
                f"You roll a pair of fair dice. Find the probability that the total shown is {event}.",
                f"What is the probability of rolling a sum of {event} with two fair dice?",
            )
        )
        value = Fraction(favourable, 36)
        meta = {"kind": kind, "target": target, "at_least": at_least}
        return question, (f"{favourable}/36", str(value), meta)
    if kind == "coins":
        n = rng.randint(2, min(top, 12))
        k = rng.randint(0, n)
        value = Fraction(comb(n, k), 2**n)
        heads = "no heads" if k == 0 else f"exactly {k} head{'s' if k != 1 else ''}"
        question = rng.choice(
            (
                f"A fair coin is flipped {n} times. What is the probability of getting {heads}?",
                f"If you toss a fair coin {n} times, what is the probability that you get {heads}?",
            )
        )
        return question, (f"binomial({n}, {k})/2**{n}", str(value), {"kind": kind, "n": n, "k": k})
    if kind == "urn":
        a_col, b_col = rng.choice(((0, 1), (2, 3), (0, 4), (1, 5), (3, 4)))
        a, b = rng.randint(1, top), rng.randint(1, top)
        replace = rng.chance(0.4)
        event = rng.choice(("both_a", "one_each", "both_b"))
        if (event == "both_a" and a < 2 and not replace) or (event == "both_b" and b < 2 and not replace):
            return None
        n = a + b
        first = {"both_a": Fraction(a, n), "both_b": Fraction(b, n), "one_each": Fraction(a, n)}[event]
        m = n if replace else n - 1
        if event == "both_a":
            second = Fraction(a if replace else a - 1, m)
        elif event == "both_b":
            second = Fraction(b if replace else b - 1, m)
        else:
            second = Fraction(b, m)
        value = first * second * (2 if event == "one_each" else 1)
        colour_a, colour_b = _COLOURS[a_col], _COLOURS[b_col]
        how = "with replacement" if replace else "without replacement"
        wanted = {"both_a": f"both are {colour_a}", "both_b": f"both are {colour_b}",
                  "one_each": f"one is {colour_a} and one is {colour_b}"}[event]  # fmt: skip
        question = rng.choice(
            (
                f"A bag has {a} {colour_a} and {b} {colour_b} marbles. Two are drawn at random {how}. "
                f"What is the probability that {wanted}?",
                f"An urn holds {a} {colour_a} balls and {b} {colour_b} balls. Two balls are taken one after the other "
                f"{how}. Find the probability that {wanted}.",
            )
        )
        meta = {"kind": kind, "a": a, "b": b, "replace": replace, "event": event,
                "colours": [colour_a, colour_b]}  # fmt: skip
        expr = f"{num(first)} * {num(second)}" + (" * 2" if event == "one_each" else "")
        return question, (expr, str(value), meta)
    if kind == "cards":
        what, several, count = rng.choice(_CARD_SETS)
        two = top >= 6 and rng.chance(0.5)
        if two:
            if count < 2:
                return None
            value = Fraction(count, 52) * Fraction(count - 1, 51)
            question = rng.choice(
                (
                    f"Two cards are dealt from a shuffled standard 52-card deck. What is the probability that each "
                    f"card is {what}?",
                    f"Draw two cards without replacement from a standard deck of 52. Find the probability that both "
                    f"are {several}.",
                )
            )
            expr = f"{count}/52 * {count - 1}/51"
        else:
            value = Fraction(count, 52)
            question = rng.choice(
                (
                    f"One card is drawn from a shuffled standard 52-card deck. "
                    f"What is the probability that it is {what}?",
                    f"What is the probability of drawing {what} from a standard deck of 52 cards?",
                )
            )
            expr = f"{count}/52"
        return question, (expr, str(value), {"kind": kind, "what": several, "count": count, "two": two})
    rolls = rng.randint(2, min(top, 8))
    die = rng.choice((4, 6, 8, 10, 12, 20))
    face = rng.randint(1, die)
    value = 1 - Fraction(die - 1, die) ** rolls
    question = rng.choice(
        (
            f"A fair {die}-sided die (faces 1 to {die}) is rolled {rolls} times. What is the probability that a {face} "
            "comes up at least once?",
            f"What is the probability of getting at least one {face} in {rolls} rolls of a fair {die}-sided die "
            f"numbered 1 to {die}?",
        )
    )
    meta = {"kind": kind, "die": die, "rolls": rolls, "face": face}
    return question, (f"1 - ({die - 1}/{die})**{rolls}", str(value), meta)


def _reduce(favourable: int, total: int, lines: list[str]) -> Fraction:
    value = Fraction(favourable, total)
    line, _ = step(favourable, OP_DIV, total)
    lines.append(line)
    return value


def trace(problem: Problem) -> str:
    """Count outcomes, or multiply the probabilities of the stages, one true claim per line."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "dice":
        target, at_least = m["target"], m["at_least"]
        pairs = _pairs(target, at_least)
        lines.append("Two dice give equally likely ordered pairs:")
        lines.append(step(6, OP_MUL, 6)[0])
        word = f"at least {target}" if at_least else f"exactly {target}"
        if len(pairs) > 18:
            others = [(a, b) for a in range(1, 7) for b in range(1, 7) if (a, b) not in pairs]
            shown = ", ".join(f"({a}, {b})" for a, b in others)
            lines.append(
                f"It is quicker to count the other pairs, those with a smaller sum: {shown}; {len(others)} of them."
            )
            lines.append(step(36, OP_SUB, len(others))[0])
            lines.append(f"So {len(pairs)} pairs have a sum of {word}.")
        elif pairs:
            shown = ", ".join(f"({a}, {b})" for a, b in pairs)
            lines.append(f"The pairs with a sum of {word} are {shown}: {len(pairs)} of them.")
        else:
            lines.append(f"No pair has a sum of {word}.")
        value = _reduce(len(pairs), 36, lines)
    elif kind == "coins":
        n, k = m["n"], m["k"]
        lines.append(f"Each of the {n} flips has 2 outcomes, so there are 2^{n} equally likely sequences:")
        total = 2
        for _ in range(n - 1):
            line, total = step(total, OP_MUL, 2)
            lines.append(line)
        ways = comb(n, k)
        lines.append(
            f"The sequences with {k} head{'s' if k != 1 else ''} pick which {k} of the {n} flips are heads: "
            f"C({n}, {k}) is {ways}."
        )
        value = _reduce(ways, int(total), lines)
    elif kind == "urn":
        a, b, replace, event = m["a"], m["b"], m["replace"], m["event"]
        colour_a, colour_b = m["colours"]
        n = a + b
        lines.append(f"There are {a} {colour_a} and {b} {colour_b}, so:")
        lines.append(step(a, OP_ADD, b)[0])
        left = n if replace else n - 1
        how = (
            "The first ball goes back, so the second draw is from the same"
            if replace
            else (f"The first ball stays out, so the second draw is from {n} - 1:")
        )
        if event == "one_each":
            p1 = Fraction(a, n)
            lines.append(
                f"{colour_a.capitalize()} first has probability {num(p1)}. {how}" + (f" {n} balls." if replace else "")
            )
            if not replace:
                lines.append(step(n, OP_SUB, 1)[0])
            lines.append(f"{colour_b.capitalize()} second then has probability")
            p2 = _reduce(b, left, lines)
            line, both = step(p1, OP_MUL, p2)
            lines.append(line)
            lines.append(f"{colour_b.capitalize()} first and {colour_a} second is just as likely, so double it:")
            line, value = step(both, OP_MUL, 2)
            lines.append(line)
        else:
            count, colour = (a, colour_a) if event == "both_a" else (b, colour_b)
            p1 = Fraction(count, n)
            lines.append(
                f"The first is {colour} with probability {num(p1)}. {how}" + (f" {n} balls." if replace else "")
            )
            if not replace:
                lines.append(step(n, OP_SUB, 1)[0])
                lines.append(f"One {colour} is gone, leaving {count - 1} {colour}.")
            lines.append(f"The second is {colour} with probability")
            p2 = _reduce(count if replace else count - 1, left, lines)
            line, value = step(p1, OP_MUL, p2)
            lines.append(line)
    elif kind == "cards":
        what, count = m["what"], m["count"]
        lines.append(f"A standard deck has 52 cards, and {count} of them are {what}.")
        if m["two"]:
            lines.append("The first card is one of them with probability")
            first = _reduce(count, 52, lines)
            lines.append(f"Then {count - 1} of the remaining 51 cards are, so the second card is one with probability")
            second = _reduce(count - 1, 51, lines)
            line, value = step(first, OP_MUL, second)
            lines.append(line)
        else:
            value = _reduce(count, 52, lines)
    else:
        die, rolls, face = m["die"], m["rolls"], m["face"]
        miss = Fraction(die - 1, die)
        lines.append(
            f"Use the complement: the chance of no {face} in one roll is {num(miss)}, and the rolls are independent."
        )
        power = miss
        for _ in range(rolls - 1):
            line, power = step(power, OP_MUL, miss)
            lines.append(line)
        lines.append(f"So the chance of no {face} in {rolls} rolls is {num(power)}; subtract it from 1:")
        line, value = step(1, OP_SUB, power)
        lines.append(line)
    value = Fraction(value)
    lines.append(f"So the probability is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
