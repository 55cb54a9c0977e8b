"""``expected_value``: the probability-weighted average of an outcome, exactly.

The trace multiplies each value by its probability (one claim each) and adds the products.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("die", "game", "trials", "raffle")
_GAMES = ("a spinner", "a carnival game", "a scratch card", "a board-game card", "a prize wheel")
_TRIALS = (
    ("a free throw", "goes in", "baskets made"), ("a seed", "sprouts", "seeds that sprout"),
    ("a light bulb", "is faulty", "faulty bulbs"), ("a quiz guess", "is right", "right answers"),
    ("a customer", "buys something", "customers who buy"),
)  # fmt: skip


@dataclass(frozen=True)
class ExpectedValueConfig:
    """Knobs of expected_value (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    outcomes: int = param(3, "largest number of outcomes of a game", min=2, max=6)
    max_value: int = param(20, "largest prize or face value", min=4, max=10**4)
    negative: bool = param(True, "games may lose money (negative values)")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "die,trials", "outcomes": 2, "max_value": 10, "negative": False},
    2: {"kinds": "die,game,trials", "outcomes": 2, "max_value": 12, "negative": False},
    3: {},
    4: {"outcomes": 4, "max_value": 100},
    5: {"outcomes": 6, "max_value": 1000},
}


def _kinds(cfg: ExpectedValueConfig) -> list[str]:
    return kind_names(cfg.kinds)


def draw(cfg: ExpectedValueConfig, rng: Rng) -> tuple[str, Any] | None:
    """One expected-value question."""
    kind = rng.choice(_kinds(cfg))
    if kind == "die":
        sides = rng.choice((4, 6, 8, 10, 12, 20))
        if rng.chance(0.5):
            faces = list(range(1, sides + 1))
            question = rng.choice(
                (
                    f"What is the expected value of one roll of a fair {sides}-sided die numbered 1 to {sides}?",
                    f"A fair die has faces 1 through {sides}. What is the average result of a roll in the long run?",
                )
            )
        else:
            sides = rng.choice((4, 6, 8))
            faces = sorted(rng.randint(0, min(cfg.max_value, 30)) for _ in range(sides))
            shown = ", ".join(map(str, faces))
            question = rng.choice(
                (
                    f"A fair {sides}-sided die has the numbers {shown} on its faces. "
                    "What is the expected value of a roll?",
                    f"The faces of a fair die read {shown}. Find the expected value of the number rolled.",
                )
            )
        value = Fraction(sum(faces), len(faces))
        return question, (f"({' + '.join(map(str, faces))})/{len(faces)}", str(value), {"kind": kind, "faces": faces})
    if kind == "trials":
        n = rng.randint(5, max(6, min(cfg.max_value * 5, 500)))
        thing, verb, plural = rng.choice(_TRIALS)
        d = rng.choice((2, 3, 4, 5, 8, 10, 20))
        p = Fraction(rng.randint(1, d - 1), d)
        value = n * p
        question = rng.choice(
            (
                f"Each time, {thing} {verb} with probability {num(p)}, independently. Out of {n} tries, what is the "
                f"expected number of {plural}?",
                f"The chance that {thing} {verb} is {num(p)}. What is the expected number of {plural} in {n} "
                "independent tries?",
            )
        )
        return question, (f"{n} * {num(p)}", str(value), {"kind": kind, "n": n, "p": num(p)})
    if kind == "raffle":
        tickets = rng.choice((50, 100, 200, 250, 500, 1000))
        prizes = sorted({rng.randint(2, cfg.max_value) * 5 for _ in range(rng.randint(1, 3))}, reverse=True)
        cost = rng.randint(1, 10)
        value = Fraction(sum(prizes), tickets) - cost
        listed = ", ".join(f"${x}" for x in prizes[:-1]) + (" and " if len(prizes) > 1 else "") + f"${prizes[-1]}"
        each = "one prize" if len(prizes) == 1 else "one of the prizes"
        question = rng.choice(
            (
                f"A raffle sells {tickets} tickets at ${cost} each. Prizes of {listed} are drawn, each won by a "
                "different ticket. What is the expected net gain, in dollars, of buying one ticket?",
                f"{tickets} raffle tickets are sold for ${cost} apiece, and {each} ({listed}) goes to each of "
                f"{len(prizes)} different winning ticket{'s' if len(prizes) > 1 else ''}. Find the expected net "
                "winnings in dollars for one ticket.",
            )
        )
        meta = {"kind": kind, "tickets": tickets, "prizes": prizes, "cost": cost}
        return question, (f"({' + '.join(map(str, prizes))})/{tickets} - {cost}", str(value), meta)
    k = rng.randint(2, cfg.outcomes)
    denominator = rng.choice((4, 5, 6, 8, 10, 12, 20))
    if denominator < k:
        return None
    cuts = sorted({rng.randint(1, denominator - 1) for _ in range(k - 1)})
    if len(cuts) != k - 1:
        return None
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, denominator], strict=True)]
    values = []
    for i in range(k):
        v = rng.randint(0, cfg.max_value)
        if cfg.negative and i == 0:
            v = -rng.randint(1, cfg.max_value)
        values.append(v)
    if len(set(values)) != k:
        return None
    probs = [Fraction(w, denominator) for w in weights]
    value = sum((v * p for v, p in zip(values, probs, strict=True)), Fraction(0))
    game = rng.choice(_GAMES)
    parts = []
    for v, p in zip(values, probs, strict=True):
        outcome = f"lose ${-v}" if v < 0 else ("win nothing" if v == 0 else f"win ${v}")
        parts.append(f"{outcome} with probability {num(p)}")
    listed = "; ".join(parts[:-1]) + f"; or {parts[-1]}"
    question = rng.choice(
        (
            f"In {game}, you {listed}. What is the expected amount you win, in dollars?",
            f"A player of {game} can {listed}. Find the expected value of one play in dollars.",
        )
    )
    expr = " + ".join(f"({v})*{num(p)}" for v, p in zip(values, probs, strict=True))
    meta = {"kind": "game", "values": values, "probs": [num(p) for p in probs]}
    return question, (expr, str(value), meta)


def _sum(values: list[Fraction | int], lines: list[str]) -> Fraction | int:
    total = values[0]
    for v in values[1:]:
        line, total = step(total, OP_ADD, v)
        lines.append(line)
    return total


def trace(problem: Problem) -> str:
    """Weight each value by its probability and add."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "die":
        faces = m["faces"]
        lines.append(f"Each of the {len(faces)} faces is equally likely, so the expected value is the average face.")
        lines.append("Add the faces:")
        total = _sum(faces, lines)
        lines.append(f"Divide by the number of faces, {len(faces)}:")
        line, value = step(total, OP_DIV, len(faces))
        lines.append(line)
    elif kind == "trials":
        n, p = m["n"], Fraction(m["p"])
        lines.append("By linearity of expectation, each try adds its probability of success to the expected count.")
        lines.append(f"So multiply the {n} tries by {num(p)}:")
        line, value = step(n, OP_MUL, p)
        lines.append(line)
    elif kind == "raffle":
        tickets, prizes, cost = m["tickets"], m["prizes"], m["cost"]
        lines.append(
            f"Each prize is won by one ticket of {tickets}, so a ticket's expected winnings are the total "
            f"prize money over {tickets}."
        )
        if len(prizes) > 1:
            lines.append("Total prize money:")
        total = _sum(prizes, lines)
        line, share = step(total, OP_DIV, tickets)
        lines.append(line)
        lines.append(f"Subtract the ${cost} the ticket costs:")
        line, value = step(share, OP_SUB, cost)
        lines.append(line)
    else:
        values, probs = m["values"], [Fraction(p) for p in m["probs"]]
        lines.append("Multiply each amount by its probability (a loss counts as negative), then add:")
        products = []
        for v, p in zip(values, probs, strict=True):
            line, product = step(v, OP_MUL, p)
            lines.append(line)
            products.append(product)
        value = _sum(products, lines)
    value = Fraction(value)
    lines.append(f"So the expected value is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
