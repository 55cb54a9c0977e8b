"""``permutations_combinations``: how many ways to arrange, choose or code; answers are whole numbers.

The trace multiplies one factor per line (``7 × 6 = 42``) and divides out the orders that do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb, factorial, perm
from typing import Any

from chukmath.families.common.format import OP_DIV, OP_MUL, assemble, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("factorial", "npr", "ncr", "repeats", "codes")

_THINGS = ("books", "paintings", "students", "trophies", "plants", "flags", "cars", "runners", "songs", "photos")
_PEOPLE = ("members", "students", "players", "employees", "volunteers", "candidates", "scientists", "teachers")
_ROLES = ("a president", "a vice-president", "a secretary", "a treasurer", "a captain", "a spokesperson",
          "a coach", "an editor")  # fmt: skip
_COLOURS = ("red", "blue", "green", "yellow", "white", "black")
_SYMBOLS = (("digits", 10), ("letters A to F", 6), ("the letters A to Z", 26), ("the digits 1 to 9", 9),
            ("the vowels A, E, I, O, U", 5), ("binary digits 0 and 1", 2))  # fmt: skip


@dataclass(frozen=True)
class CountingConfig:
    """Knobs of permutations_combinations (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_n: int = param(10, "largest number of objects", min=4, max=30)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "factorial,npr,ncr", "max_n": 6},
    2: {"kinds": "factorial,npr,ncr,codes", "max_n": 8},
    3: {},
    4: {"max_n": 14},
    5: {"max_n": 20},
}


def _places(r: int) -> str:
    names = ("first", "second", "third", "fourth")[:r]
    return ", ".join(names[:-1]) + f" and {names[-1]}"


def _kinds(cfg: CountingConfig) -> list[str]:
    return kind_names(cfg.kinds)


def draw(cfg: CountingConfig, rng: Rng) -> tuple[str, Any] | None:
    """One counting question."""
    kind = rng.choice(_kinds(cfg))
    top = cfg.max_n
    if kind == "factorial":
        n = rng.randint(3, min(top, 12))
        thing = rng.choice(_THINGS)
        question = rng.choice(
            (
                f"In how many different orders can {n} different {thing} be lined up in a row?",
                f"How many ways are there to arrange {n} distinct {thing} in a line?",
                f"{n} different {thing} are placed side by side. How many orderings are possible?",
            )
        )
        return question, (f"factorial({n})", str(factorial(n)), {"kind": kind, "n": n})
    if kind == "npr":
        n = rng.randint(4, top)
        r = rng.randint(2, min(4, n - 1))
        people = rng.choice(_PEOPLE)
        roles = ", ".join(_ROLES[: r - 1]) + f" and {_ROLES[r - 1]}"
        question = rng.choice(
            (
                f"A club has {n} {people}. In how many ways can it choose {roles}, if no one holds two posts?",
                f"How many ways can {r} of {n} {people} finish {_places(r)} in a contest with no ties?",
                f"From {n} different {rng.choice(_THINGS)}, {r} are picked and placed in a row, in order. "
                "How many different rows are possible?",
            )
        )
        return question, (f"factorial({n})/factorial({n - r})", str(perm(n, r)), {"kind": kind, "n": n, "r": r})
    if kind == "ncr":
        n = rng.randint(4, top)
        r = rng.randint(2, n - 2)
        people = rng.choice(_PEOPLE)
        question = rng.choice(
            (
                f"In how many ways can a committee of {r} be chosen from {n} {people}?",
                f"How many different groups of {r} can be formed from {n} {people}?",
                f"A student must pick {r} of {n} different {rng.choice(_THINGS)}; order does not matter. "
                "How many choices are there?",
                f"Compute the binomial coefficient C({n}, {r}).",
            )
        )
        return question, (f"binomial({n}, {r})", str(comb(n, r)), {"kind": kind, "n": n, "r": r})
    if kind == "repeats":
        groups = rng.randint(2, 3 if top < 12 else 4)
        colours = _COLOURS[:groups] if rng.chance(0.5) else _COLOURS[-groups:]
        counts = [rng.randint(1, max(2, min(5, top // groups))) for _ in colours]
        if max(counts) < 2 or sum(counts) > top:
            return None
        total = sum(counts)
        listing = ", ".join(f"{c} {col}" for c, col in zip(counts[:-1], colours[:-1], strict=True))
        listing += f" and {counts[-1]} {colours[-1]}"
        question = rng.choice(
            (
                f"How many different rows can be made from {listing} beads, if beads of one colour look alike?",
                f"A shelf holds {listing} identical-looking cups of each colour. In how many distinguishable orders "
                "can all the cups be lined up?",
                f"In how many distinct ways can {listing} flags be hung in a line (flags of the same colour are "
                "identical)?",
            )
        )
        denominator = "*".join(f"factorial({c})" for c in counts)
        value = factorial(total)
        for c in counts:
            value //= factorial(c)
        meta = {"kind": kind, "counts": counts, "colours": list(colours)}
        return question, (f"factorial({total})/({denominator})", str(value), meta)
    name, m = rng.choice(_SYMBOLS)
    k = rng.randint(2, min(6, max(2, top // 2)))
    question = rng.choice(
        (
            f"How many codes of length {k} can be made from {name} if symbols may repeat?",
            f"A lock code uses {k} symbols, each one of {name}, repeats allowed. How many codes are possible?",
        )
    )
    return question, (f"{m}**{k}", str(m**k), {"kind": kind, "m": m, "k": k})


def _product(factors: list[int], lines: list[str]) -> int:
    """Multiply left to right, one true claim per multiplication."""
    value = factors[0]
    for f in factors[1:]:
        line, value = step(value, OP_MUL, f)
        lines.append(line)
    return int(value)


def _factorial(n: int, lines: list[str], label: str) -> int:
    if n <= 1:
        lines.append(f"{label}: {n}! is 1.")
        return 1
    if n == 2:
        lines.append(f"{label}: 2! is 2.")
        return 2
    lines.append(f"{label}: {n}! = " + " × ".join(str(k) for k in range(n, 0, -1)) + ".")
    return _product(list(range(n, 1, -1)), lines)


def trace(problem: Problem) -> str:
    """Multiply the choices place by place; divide out the orders that count as one."""
    meta = problem.meta
    kind = meta["kind"]
    lines: list[str] = []
    if kind == "factorial":
        n = meta["n"]
        lines.append(f"The first place has {n} choices, the next {n - 1}, and so on down to 1, so the count is {n}!.")
        value = _product(list(range(n, 1, -1)), lines)
    elif kind == "npr":
        n, r = meta["n"], meta["r"]
        lines.append(
            f"Order matters: {n} choices for the first position, {n - 1} for the second, and so on for {r} positions."
        )
        value = _product(list(range(n, n - r, -1)), lines)
    elif kind == "ncr":
        n, r = meta["n"], meta["r"]
        lines.append(
            f"Order does not matter, so count ordered choices of {r} from {n}, then divide by the {r}! "
            "orders of each group."
        )
        ordered = _product(list(range(n, n - r, -1)), lines)
        orders = _factorial(r, lines, "Orders of one group")
        line, value = step(ordered, OP_DIV, orders)
        lines.append(line)
        value = int(value)
    elif kind == "repeats":
        counts, colours = meta["counts"], meta["colours"]
        total = sum(counts)
        lines.append(
            f"There are {total} items in all; swapping items of the same colour gives the same row, so "
            f"divide {total}! by the factorial of each colour's count."
        )
        value = _factorial(total, lines, "All orders")
        for c, col in zip(counts, colours, strict=True):
            if c < 2:
                lines.append(f"The {c} {col} item can only be ordered 1 way.")
                continue
            size = _factorial(c, lines, f"Orders of the {c} {col} items")
            line, value = step(value, OP_DIV, size)
            lines.append(line)
        value = int(value)
    else:
        m, k = meta["m"], meta["k"]
        lines.append(f"Each of the {k} positions has {m} choices, independently, so the count is {m}^{k}.")
        value = _product([m] * k, lines)
    lines.append(f"So the number of ways is {value}.")
    return assemble(lines, f"The answer is {value}.", str(value))
