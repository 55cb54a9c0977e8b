"""``pythagorean``: ``c² = a² + b²`` for the hypotenuse, ``b² = c² - a²`` for a leg, answers like ``5*sqrt(2)``.

The trace squares, adds or subtracts (one claim each) and takes the square root, pulling the largest square
factor out of the radicand with a checkable ``√n = k√m`` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, assemble, step
from chukmath.families.common.radicals import by_hand, integer_sqrt, split_sqrt, sqrt_text
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem

_TRIPLES = ((3, 4), (5, 12), (8, 15), (7, 24), (20, 21), (9, 40), (12, 35), (11, 60), (16, 63), (28, 45), (33, 56),
            (48, 55), (13, 84), (36, 77), (39, 80), (65, 72))  # fmt: skip
_STORIES = {
    "hypotenuse": (
        "A right triangle has legs {a} and {b}. How long is its hypotenuse?",
        "The two shorter sides of a right triangle are {a} cm and {b} cm. Find the exact length of the longest side.",
        "A rectangle is {a} m by {b} m. How long is its diagonal, exactly?",
        "A ship sails {a} km north and then {b} km east. How far is it, in a straight line, from where it started?",
    ),
    "leg": (
        "A right triangle has hypotenuse {c} and one leg {a}. How long is the other leg?",
        "A {c}-foot ladder leans against a wall with its foot {a} feet from the wall. How high up the wall does it "
        "reach, exactly?",
        "The diagonal of a rectangle is {c} and one side is {a}. What is the exact length of the other side?",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class PythagoreanConfig:
    """Knobs of pythagorean (defaults are difficulty 3)."""

    max_side: int = param(30, "largest given side", min=5, max=10**5)
    triples_only: bool = param(False, "only Pythagorean triples (whole-number answers)")
    leg_share: float = param(0.5, "share of questions that ask for a leg rather than the hypotenuse", min=0, max=1)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_side": 100, "triples_only": True, "leg_share": 0.3},
    2: {"max_side": 200, "triples_only": True, "leg_share": 0.5},
    3: {},
    4: {"max_side": 200},
    5: {"max_side": 5000},
}


def draw(cfg: PythagoreanConfig, rng: Rng) -> tuple[str, Any] | None:
    """One right-triangle question."""
    leg = rng.chance(cfg.leg_share)
    if cfg.triples_only or rng.chance(0.3):
        a, b = rng.choice(_TRIPLES)
        k = rng.randint(1, max(1, cfg.max_side // max(a, b)))
        a, b = a * k, b * k
        if rng.chance(0.5):
            a, b = b, a
        c = integer_sqrt(a * a + b * b)
        assert c is not None
    else:
        a, b = rng.randint(1, cfg.max_side), rng.randint(1, cfg.max_side)
        c = None
    if leg:
        if c is None:
            c = rng.randint(2, cfg.max_side)
            if a >= c:
                return None
        question = rng.choice(_STORIES["leg"]).format(a=a, c=c)
        radicand = c * c - a * a
        meta = {"find": "leg", "a": a, "c": c}
        expr = f"sqrt({c}**2 - {a}**2)"
    else:
        question = rng.choice(_STORIES["hypotenuse"]).format(a=a, b=b)
        radicand = a * a + b * b
        meta = {"find": "hypotenuse", "a": a, "b": b}
        expr = f"sqrt({a}**2 + {b}**2)"
    return question, (expr, sqrt_text(1, radicand), meta)


def trace(problem: Problem) -> str:
    """Square, add or subtract, take the root and simplify it."""
    m = problem.meta
    lines: list[str] = []
    if m["find"] == "hypotenuse":
        a, b = m["a"], m["b"]
        lines.append(
            f"The legs are {a} and {b}; by the Pythagorean theorem the hypotenuse squared is the sum of the "
            "squares of the legs."
        )
        sa, sb = step(a, OP_MUL, a), step(b, OP_MUL, b)
        lines += [sa[0], sb[0]] if sa[0] != sb[0] else [sa[0]]
        line, square = step(sa[1], OP_ADD, sb[1])
        lines.append(line)
        what = "hypotenuse"
    else:
        a, c = m["a"], m["c"]
        lines.append(
            f"The hypotenuse is {c} and one leg is {a}; the other leg squared is the hypotenuse squared minus "
            "the known leg squared."
        )
        sc, sa = step(c, OP_MUL, c), step(a, OP_MUL, a)
        lines += [sc[0], sa[0]]
        line, square = step(sc[1], OP_SUB, sa[1])
        lines.append(line)
        what = "other leg"
    square = int(square)
    root = integer_sqrt(square)
    if root is not None:
        lines.append(f"{square} is a perfect square:")
        lines.append(step(root, OP_MUL, root)[0])
    else:
        k, rest = split_sqrt(square)
        if k > 1:
            lines.append(f"Pull the largest square factor, {k * k}, out of {square}:")
            lines.append(step(k * k, OP_MUL, rest)[0])
            lines.append(f"√{square} = {k}√{rest}")
        else:
            lines.append(f"{square} has no square factor other than 1, so the root stays √{square}.")
    answer = sqrt_text(1, square)
    lines.append(f"So the {what} is {by_hand(answer)}.")
    return assemble(lines, f"The answer is {by_hand(answer)}.", answer)
