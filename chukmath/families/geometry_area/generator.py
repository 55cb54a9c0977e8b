"""``geometry_area``: measurement formulas with exact answers such as ``25*pi`` and ``9*sqrt(3)/4``.

The trace states the formula in words, multiplies the rational part one claim per line, and attaches π or the
radical at the end (the step checker reads only the rational arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, assemble, step
from chukmath.families.common.radicals import by_hand, sympy_text
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem

# name -> (parameter names, question templates, formula in words, answer atom, [(op, factor)...] after the product)
SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str, str]] = {
    "rectangle_area": (("l", "w"), ("What is the area of a rectangle {l} units long and {w} units wide?",
                                    "A rectangular garden measures {l} m by {w} m. What is its area in square metres?"),
                       "area = length × width", ""),
    "rectangle_perimeter": (("l", "w"), ("What is the perimeter of a rectangle with sides {l} and {w}?",
                                         "How much fencing goes around a {l} m by {w} m rectangular yard?"),
                            "perimeter = 2 × (length + width)", ""),
    "triangle_area": (("b", "h"), ("A triangle has base {b} and height {h}. What is its area?",
                                   "Find the area of a triangle whose base is {b} cm and whose height is {h} cm."),
                      "area = base × height ÷ 2", ""),
    "trapezoid_area": (("a", "b", "h"), ("A trapezoid has parallel sides {a} and {b} and height {h}. Find its area.",
                                         "What is the area of a trapezoid with bases {a} m and {b} m, {h} m apart?"),
                       "area = (sum of the parallel sides) × height ÷ 2", ""),
    "circle_area": (("r",), ("What is the area of a circle of radius {r}? Give an exact answer in terms of π.",
                             "A circular rug has radius {r} ft. What is its exact area, in terms of π?"),
                    "area = π × radius × radius", "pi"),
    "circumference": (("r",), ("What is the circumference of a circle with radius {r}? Answer in terms of π.",
                               "Find the exact distance around a circular track of radius {r} m, in terms of π."),
                      "circumference = 2 × π × radius", "pi"),
    "diameter_area": (("d",), ("A circle has diameter {d}. What is its area, in terms of π?",
                               "A round table top is {d} dm across. What is its exact area in terms of π?"),
                      "area = π × (diameter ÷ 2) squared", "pi"),
    "semicircle_area": (("r",), ("What is the area of a semicircle of radius {r}? Answer in terms of π.",),
                        "area = π × radius × radius ÷ 2", "pi"),
    "equilateral_area": (("s",), ("What is the exact area of an equilateral triangle with side {s}?",
                                  "An equilateral triangle has sides of length {s} cm. Find its exact area."),
                         "area = side × side × √3 ÷ 4", "sqrt(3)"),
    "square_diagonal": (("s",), ("How long is the diagonal of a square with side {s}? Give an exact answer.",),
                        "diagonal = side × √2", "sqrt(2)"),
    "box_volume": (("l", "w", "h"), ("What is the volume of a box {l} by {w} by {h}?",
                                     "A rectangular tank is {l} m long, {w} m wide and {h} m deep. What is its "
                                     "volume in cubic metres?"),
                   "volume = length × width × height", ""),
    "cube_surface": (("s",), ("What is the surface area of a cube with edge {s}?",),
                     "surface area = 6 × edge × edge", ""),
    "cylinder_volume": (("r", "h"), ("A cylinder has radius {r} and height {h}. What is its volume in terms of π?",
                                     "A can is {h} cm tall with radius {r} cm. Find its exact volume in terms of π."),
                        "volume = π × radius × radius × height", "pi"),
    "cone_volume": (("r", "h"), ("A cone has base radius {r} and height {h}. What is its exact volume in terms of π?",),
                    "volume = π × radius × radius × height ÷ 3", "pi"),
    "sphere_volume": (("r",), ("What is the volume of a sphere of radius {r}, in terms of π?",
                               "A ball has radius {r} cm. What is its exact volume in terms of π?"),
                      "volume = 4 × π × radius cubed ÷ 3", "pi"),
    "sphere_surface": (("r",), ("What is the surface area of a sphere with radius {r}? Answer in terms of π.",),
                       "surface area = 4 × π × radius × radius", "pi"),
}  # fmt: skip
EASY = ("rectangle_area", "rectangle_perimeter", "triangle_area", "circle_area", "circumference", "box_volume",
        "cube_surface")  # fmt: skip


@dataclass(frozen=True)
class GeometryAreaConfig:
    """Knobs of geometry_area (defaults are difficulty 3)."""

    shapes: str = param("all", "comma-separated shapes, or all: " + ", ".join(SHAPES))
    max_side: int = param(20, "largest length in a question", min=3, max=10**4)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        if self.shapes == "all":
            return None
        names = [k.strip() for k in self.shapes.split(",")]
        if not any(names) or any(k not in SHAPES for k in names):
            return f"invalid shapes={self.shapes!r} (allowed: all, or a comma-separated subset of {', '.join(SHAPES)})"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"shapes": ",".join(EASY), "max_side": 10},
    2: {"shapes": ",".join(EASY), "max_side": 20},
    3: {},
    4: {"max_side": 60},
    5: {"max_side": 500},
}


def _value(shape: str, p: dict[str, int]) -> tuple[Fraction, list[tuple[str, int | Fraction]]]:
    """The rational coefficient and the operations that give it, in order."""
    if shape == "rectangle_area":
        ops = [("start", p["l"]), (OP_MUL, p["w"])]
    elif shape == "rectangle_perimeter":
        ops = [("start", p["l"]), (OP_ADD, p["w"]), (OP_MUL, 2)]
    elif shape == "triangle_area":
        ops = [("start", p["b"]), (OP_MUL, p["h"]), (OP_DIV, 2)]
    elif shape == "trapezoid_area":
        ops = [("start", p["a"]), (OP_ADD, p["b"]), (OP_MUL, p["h"]), (OP_DIV, 2)]
    elif shape in ("circle_area", "sphere_surface", "semicircle_area"):
        ops = [("start", p["r"]), (OP_MUL, p["r"])]
        ops += [(OP_MUL, 4)] if shape == "sphere_surface" else [(OP_DIV, 2)] if shape == "semicircle_area" else []
    elif shape == "circumference":
        ops = [("start", 2), (OP_MUL, p["r"])]
    elif shape == "diameter_area":
        ops = [("start", p["d"]), (OP_DIV, 2), ("square", 0)]
    elif shape == "equilateral_area":
        ops = [("start", p["s"]), (OP_MUL, p["s"]), (OP_DIV, 4)]
    elif shape == "square_diagonal":
        ops = [("start", p["s"])]
    elif shape == "box_volume":
        ops = [("start", p["l"]), (OP_MUL, p["w"]), (OP_MUL, p["h"])]
    elif shape == "cube_surface":
        ops = [("start", p["s"]), (OP_MUL, p["s"]), (OP_MUL, 6)]
    elif shape in ("cylinder_volume", "cone_volume"):
        ops = [("start", p["r"]), (OP_MUL, p["r"]), (OP_MUL, p["h"])]
        ops += [(OP_DIV, 3)] if shape == "cone_volume" else []
    else:  # sphere_volume
        ops = [("start", p["r"]), (OP_MUL, p["r"]), (OP_MUL, p["r"]), (OP_MUL, 4), (OP_DIV, 3)]
    value = Fraction(0)
    for op, x in ops:
        if op == "start":
            value = Fraction(x)
        elif op == "square":
            value = value * value
        else:
            value = Fraction(step(value, op, x)[1])
    return value, ops


def draw(cfg: GeometryAreaConfig, rng: Rng) -> tuple[str, Any] | None:
    """One measurement question."""
    names = list(SHAPES) if cfg.shapes == "all" else [k.strip() for k in cfg.shapes.split(",") if k.strip()]
    shape = rng.choice(names)
    params, templates, _, atom = SHAPES[shape]
    top = cfg.max_side if shape not in ("sphere_volume", "box_volume") else max(3, min(cfg.max_side, 60))
    p = {k: rng.randint(2, top) for k in params}
    if shape == "trapezoid_area" and p["a"] == p["b"]:
        return None
    question = rng.choice(templates).format(**p)
    coef, _ = _value(shape, p)
    answer = sympy_text(coef, atom)
    expr = answer if atom != "sqrt(3)" else f"{sympy_text(coef)}*sqrt(3)"
    return question, (expr, answer, {"shape": shape, **p})


def trace(problem: Problem) -> str:
    """The formula, its rational part multiplied out, then π or the radical attached."""
    m = dict(problem.meta)
    shape = m.pop("shape")
    _, _, formula, atom = SHAPES[shape]
    lines = [f"Use {formula}."]
    value = Fraction(0)
    _, ops = _value(shape, m)
    for op, x in ops:
        if op == "start":
            value = Fraction(x)
        elif op == "square":
            lines.append("Square the radius:")
            line, value = step(value, OP_MUL, value)
            lines.append(line)
        else:
            line, value = step(value, op, x)
            lines.append(line)
    answer = sympy_text(value, atom)
    shown = by_hand(answer)
    if atom == "pi":
        lines.append(f"Keep π as a factor: the result is {shown}.")
    elif atom:
        lines.append(f"Attach the factor {by_hand(atom)}: the result is {shown}.")
    else:
        lines.append(f"So the result is {shown}.")
    return assemble(lines, f"The answer is {shown}.", answer)
