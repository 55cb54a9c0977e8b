"""``trig_values``: ``sin(150°) = 1/2``, ``tan(-π/6) = -sqrt(3)/3``, ``sec(7π/4) = sqrt(2)``.

Values are kept as ``(rational, radicand)`` pairs. The trace brings the angle into [0°, 360°) and to its
reference angle with checkable claims, names the quadrant's sign, and states the values in words (never
``sin 30 = 1/2``, which a step checker would read as ``30 = 1/2``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_DIV, OP_MUL, OP_SUB, assemble, step
from chukmath.families.common.radicals import by_hand, sqrt_text
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem

BASIC = ("sin", "cos", "tan")
RECIPROCAL = {"sec": "cos", "csc": "sin", "cot": "tan"}
NAMES = {"sin": "sine", "cos": "cosine", "tan": "tangent", "sec": "secant", "csc": "cosecant", "cot": "cotangent"}
# reference angle -> (sin, cos) as (coefficient, radicand): sqrt(3)/2 is (1/2, 3)
_TABLE = {
    0: ((Fraction(0), 1), (Fraction(1), 1)),
    30: ((Fraction(1, 2), 1), (Fraction(1, 2), 3)),
    45: ((Fraction(1, 2), 2), (Fraction(1, 2), 2)),
    60: ((Fraction(1, 2), 3), (Fraction(1, 2), 1)),
    90: ((Fraction(1), 1), (Fraction(0), 1)),
}


@dataclass(frozen=True)
class TrigConfig:
    """Knobs of trig_values (defaults are difficulty 3)."""

    functions: str = param("sin,cos,tan", "comma-separated functions: sin, cos, tan, sec, csc, cot")
    max_turns: int = param(1, "angles range over this many full turns either side", min=1, max=20)
    negative: bool = param(False, "negative angles")
    radians: float = param(0.5, "share of angles given in radians", min=0, max=1)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        names = [k.strip() for k in self.functions.split(",")]
        if not any(names) or any(k not in NAMES for k in names):
            return f"invalid functions={self.functions!r} (allowed: a comma-separated subset of {', '.join(NAMES)})"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"functions": "sin,cos", "radians": 0.3},
    2: {"functions": "sin,cos,tan", "radians": 0.3},
    3: {},
    4: {"functions": "sin,cos,tan,sec,csc,cot", "max_turns": 2, "negative": True},
    5: {"functions": "sin,cos,tan,sec,csc,cot", "max_turns": 6, "negative": True, "radians": 0.7},
}


def _ratio(num_: tuple[Fraction, int], den: tuple[Fraction, int]) -> tuple[Fraction, int] | None:
    """``(a√p) / (b√q)`` as ``c√r``; None when the denominator is 0."""
    (a, p), (b, q) = num_, den
    if b == 0:
        return None
    # a√p / (b√q) = (a/b) √(p q) / q
    return a / b / q, p * q


def value_of(function: str, degrees: int) -> tuple[Fraction, int] | None:
    """The exact value as ``(coefficient, radicand)``; None where it is undefined."""
    d = degrees % 360
    ref, sin_sign, cos_sign = _reference(d)
    (s, sp), (c, cp) = _TABLE[ref]
    sin_v, cos_v = (sin_sign * s, sp), (cos_sign * c, cp)
    base = {"sin": sin_v, "cos": cos_v, "tan": _ratio(sin_v, cos_v)}
    if function in base:
        return base[function]
    inner = base[RECIPROCAL[function]]
    if inner is None:  # cot where tan is undefined: cos/sin
        return _ratio(cos_v, sin_v)
    return _ratio((Fraction(1), 1), inner)


def _reference(d: int) -> tuple[int, int, int]:
    """Reference angle of ``0 <= d < 360`` and the signs of sin and cos there."""
    if d <= 90:
        return d, 1, 1
    if d <= 180:
        return 180 - d, 1, -1
    if d <= 270:
        return d - 180, -1, -1
    return 360 - d, -1, 1


def _text(v: tuple[Fraction, int]) -> str:
    return sqrt_text(v[0], v[1])


def _radians(degrees: int) -> str:
    """``150`` -> ``5π/6``; ``-45`` -> ``-π/4``; ``0`` -> ``0``."""
    k = Fraction(degrees, 180)
    if k == 0:
        return "0"
    sign = "-" if k < 0 else ""
    p, q = abs(k.numerator), k.denominator
    head = "π" if p == 1 else f"{p}π"
    return f"{sign}{head}" if q == 1 else f"{sign}{head}/{q}"


def draw(cfg: TrigConfig, rng: Rng) -> tuple[str, Any] | None:
    """One exact-value question."""
    function = rng.choice([k.strip() for k in cfg.functions.split(",") if k.strip()])
    step_size = rng.choice((30, 45))
    turns = cfg.max_turns
    low = -turns * 360 if cfg.negative else 0
    degrees = rng.randint(low // step_size, (turns * 360) // step_size - 1) * step_size
    v = value_of(function, degrees)
    if v is None:
        return None
    in_radians = rng.chance(cfg.radians)
    angle = _radians(degrees) if in_radians else f"{degrees}°"
    question = rng.choice(
        (
            f"What is the exact value of {function}({angle})?",
            f"Find {function}({angle}) exactly.",
            f"Evaluate {function}({angle}). Give an exact answer, using radicals if needed.",
            f"Without a calculator, compute {function}({angle}).",
            f"Give the exact value of {function}({angle}) in simplest form.",
            f"What is {function}({angle}) equal to, exactly?",
        )
    )
    meta = {"function": function, "degrees": degrees, "radians": in_radians}
    return question, (f"{function}({degrees}*pi/180)", _text(v), meta)


def trace(problem: Problem) -> str:
    """Angle to degrees, into one turn, to its reference angle with the quadrant sign, then the known value."""
    m = problem.meta
    function, degrees = m["function"], m["degrees"]
    lines: list[str] = []
    if m["radians"]:
        k = Fraction(degrees, 180)
        lines.append(
            f"Convert to degrees: π radians is 180°, so {_radians(degrees)} is {k.numerator}/{k.denominator} "
            "of 180°.".replace("/1 of", " times").replace(" 1 times", " 1 times")
        )
        line, top = step(k.numerator, OP_MUL, 180)
        lines.append(line)
        if k.denominator != 1:
            line, _ = step(top, OP_DIV, k.denominator)
            lines.append(line)
    d = degrees
    if d < 0 or d >= 360:
        turns = d // 360
        lines.append(f"Add or remove whole turns of 360° to bring {d}° into 0° to 360°:")
        line, shift = step(turns, OP_MUL, 360)
        lines.append(line)
        line, d = step(d, OP_SUB, shift)
        lines.append(line)
    ref, sin_sign, cos_sign = _reference(d)
    if d in (0, 90, 180, 270):
        lines.append(f"{d}° lies on an axis, where sine and cosine are 0, 1 or -1.")
    elif d < 90:
        lines.append(f"{d}° is in the first quadrant, where every function is positive.")
    else:
        quadrant = {True: "second", False: "third"}[d < 180] if d < 270 else "fourth"
        lines.append(f"{d}° is in the {quadrant} quadrant. Its reference angle is:")
        if d < 180:
            lines.append(step(180, OP_SUB, d)[0])
        elif d < 270:
            lines.append(step(d, OP_SUB, 180)[0])
        else:
            lines.append(step(360, OP_SUB, d)[0])
        signs = {(1, -1): "sine is positive and cosine negative", (-1, -1): "sine and cosine are both negative",
                 (-1, 1): "sine is negative and cosine positive"}  # fmt: skip
        lines.append(f"There {signs[(sin_sign, cos_sign)]}.")
    (s, sp), (c, cp) = _TABLE[ref]
    sin_t, cos_t = by_hand(_text((sin_sign * s, sp))), by_hand(_text((cos_sign * c, cp)))
    lines.append(f"At {d}° the sine is {sin_t} and the cosine is {cos_t}.")
    v = value_of(function, degrees)
    assert v is not None
    answer = _text(v)
    if function == "tan":
        lines.append(f"The tangent is the sine divided by the cosine: {by_hand(answer)}.")
    elif function in RECIPROCAL:
        lines.append(f"The {NAMES[function]} is the reciprocal of the {NAMES[RECIPROCAL[function]]}"
                     + (", that is the cosine divided by the sine" if function == "cot" else "")
                     + f": {by_hand(answer)} after rationalising.")  # fmt: skip
    lines.append(f"So the {NAMES[function]} of {degrees}° is {by_hand(answer)}.")
    return assemble(lines, f"The answer is {by_hand(answer)}.", answer)
