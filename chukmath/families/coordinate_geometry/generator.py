"""``coordinate_geometry``: two lattice points and what they determine.

Answers: a distance as ``5*sqrt(2)``, a midpoint as the mapping ``{x: 1, y: 7/2}``, a slope as a fraction, a line
as sympy's ``str()`` of ``m*x + b`` (``3 - x/2``). The trace subtracts coordinates and divides, one claim each.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.common.present import mapping_forms, number_forms
from chukmath.families.common.radicals import by_hand, radical_forms, simplify_sqrt_lines, sqrt_text
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("distance", "midpoint", "slope", "line")


@dataclass(frozen=True)
class CoordinateConfig:
    """Knobs of coordinate_geometry (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_coordinate: int = param(10, "largest absolute coordinate", min=3, max=10**4)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "midpoint,slope,distance", "max_coordinate": 6},
    2: {"kinds": "midpoint,slope,distance", "max_coordinate": 10},
    3: {},
    4: {"max_coordinate": 50},
    5: {"max_coordinate": 1000},
}


def line_text(m: Fraction, b: Fraction) -> str:
    """sympy's ``str(m*x + b)``: ``2*x + 3``, ``3 - x/2``, ``-x``, ``5``."""
    if m == 0:
        return num(b)
    p, q = abs(m.numerator), m.denominator
    term = ("x" if p == 1 else f"{p}*x") + (f"/{q}" if q != 1 else "")
    if b == 0:
        return ("-" if m < 0 else "") + term
    if m < 0 and b > 0:
        return f"{num(b)} - {term}"
    return f"{'-' if m < 0 else ''}{term} {'-' if b < 0 else '+'} {num(abs(b))}"


def present(answer: str) -> list[str]:
    """Each answer shape as a person writes it."""
    text = answer.strip()
    if text.startswith("{"):
        return mapping_forms(text)
    if "sqrt" in text:
        return radical_forms(text)
    if "x" in text:
        hand = text.replace("*", "")  # 3 - x/2, 4x/17 - 138/17
        return [text, f"y = {text}"] + ([hand, f"y = {hand}"] if hand != text else [])
    return number_forms(text)


def _point(x: int, y: int) -> str:
    return f"({x}, {y})"


def draw(cfg: CoordinateConfig, rng: Rng) -> tuple[str, Any] | None:
    """One two-point question."""
    kind = rng.choice(kind_names(cfg.kinds))
    k = cfg.max_coordinate
    x1, y1, x2, y2 = (rng.randint(-k, k) for _ in range(4))
    if (x1, y1) == (x2, y2):
        return None
    a, b = _point(x1, y1), _point(x2, y2)
    meta = {"kind": kind, "p": [x1, y1], "q": [x2, y2]}
    if kind == "distance":
        question = rng.choice((f"What is the distance between the points {a} and {b}?",
                               f"Find the exact length of the segment from {a} to {b}.",
                               f"How far apart are {a} and {b}? Give an exact answer."))  # fmt: skip
        return question, (f"sqrt(({x2} - ({x1}))**2 + ({y2} - ({y1}))**2)",
                          sqrt_text(1, (x2 - x1) ** 2 + (y2 - y1) ** 2), meta)  # fmt: skip
    if kind == "midpoint":
        question = rng.choice((f"What is the midpoint of the segment joining {a} and {b}?",
                               f"Find the midpoint of {a} and {b}; give it as x = ..., y = ...."))  # fmt: skip
        mx, my = Fraction(x1 + x2, 2), Fraction(y1 + y2, 2)
        return question, (f"{{x: ({x1} + {x2})/2, y: ({y1} + {y2})/2}}", f"{{x: {num(mx)}, y: {num(my)}}}", meta)
    if x1 == x2:
        return None
    slope = Fraction(y2 - y1, x2 - x1)
    if kind == "slope":
        question = rng.choice((f"What is the slope of the line through {a} and {b}?",
                               f"Find the slope of the line passing through the points {a} and {b}."))  # fmt: skip
        return question, (f"({y2} - ({y1}))/({x2} - ({x1}))", num(slope), meta)
    intercept = y1 - slope * x1
    question = rng.choice(
        (
            f"Find the equation of the line through {a} and {b} in the form y = mx + b. What is y in terms of x?",
            f"The line through {a} and {b} is y = mx + b. Write the right-hand side mx + b.",
        )
    )
    expr = f"({num(slope)})*x + ({num(intercept)})"
    return question, (expr, line_text(slope, intercept), meta)


def trace(problem: Problem) -> str:
    """Differences of coordinates first, then the formula for the kind."""
    m = problem.meta
    kind = m["kind"]
    (x1, y1), (x2, y2) = m["p"], m["q"]
    lines: list[str] = []
    if kind == "midpoint":
        lines.append("The midpoint averages the x-coordinates and the y-coordinates.")
        line, sx = step(x1, OP_ADD, x2)
        lines.append(line)
        line, mx = step(sx, OP_DIV, 2)
        lines.append(line)
        line, sy = step(y1, OP_ADD, y2)
        lines.append(line)
        line, my = step(sy, OP_DIV, 2)
        lines.append(line)
        answer = f"{{x: {num(Fraction(mx))}, y: {num(Fraction(my))}}}"
        shown = f"x = {num(Fraction(mx))}, y = {num(Fraction(my))}"
        lines.append(f"So the midpoint is ({num(Fraction(mx))}, {num(Fraction(my))}).")
        return assemble(lines, f"The midpoint is {shown}.", answer)
    lines.append("First the changes in x and in y:")
    line, dx = step(x2, OP_SUB, x1)
    lines.append(line)
    line, dy = step(y2, OP_SUB, y1)
    lines.append(line)
    if kind == "distance":
        lines.append("The distance is the square root of the sum of their squares.")
        line, sx = step(dx, OP_MUL, dx)
        lines.append(line)
        line, sy = step(dy, OP_MUL, dy)
        if line != lines[-1]:
            lines.append(line)
        line, total = step(sx, OP_ADD, sy)
        lines.append(line)
        total = int(total)
        answer = sqrt_text(1, total)
        lines += simplify_sqrt_lines(total)
        lines.append(f"So the distance is {by_hand(answer)}.")
        return assemble(lines, f"The answer is {by_hand(answer)}.", answer)
    lines.append("The slope is the change in y divided by the change in x:")
    line, slope = step(dy, OP_DIV, dx)
    lines.append(line)
    slope = Fraction(slope)
    if kind == "slope":
        lines.append(f"So the slope is {num(slope)}.")
        return assemble(lines, f"The answer is {num(slope)}.", num(slope))
    lines.append(f"The intercept b makes the line pass through ({x1}, {y1}): b is {y1} minus the slope times {x1}.")
    line, mx = step(slope, OP_MUL, x1)
    lines.append(line)
    line, b = step(y1, OP_SUB, mx)
    lines.append(line)
    answer = line_text(slope, Fraction(b))
    shown = answer.replace("*", "")
    lines.append(f"So the line is y = {shown}.")
    return assemble(lines, f"The line is y = {shown}.", answer)
