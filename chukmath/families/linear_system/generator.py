"""``linear_system``: two linear equations in x and y with a unique exact solution (Fractions)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.linear import integer_linear
from chukmath.families.common.numfmt import frac_str
from chukmath.families.config import param
from chukmath.families.rng import Rng

_SYS_PHRASES = (
    "Solve the system of equations: {a} and {b}.",
    "Find x and y if {a} and {b}.",
    "Solve for x and y: {a}, {b}.",
    "What values of x and y satisfy both {a} and {b}?",
    "Given {a} and {b}, find x and y.",
)


@dataclass(frozen=True)
class LinearSystemConfig:
    """Knobs of linear_system (defaults are difficulty 3)."""

    max_coefficient: int = param(6, "largest absolute coefficient", min=1, max=1000)
    max_solution: int = param(10, "largest absolute value of an integer solution", min=1, max=10**6)
    fractional_solutions: float = param(0.2, "chance that the solution need not be integers", min=0, max=1)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_coefficient": 3, "max_solution": 5, "fractional_solutions": 0.0},
    2: {"max_coefficient": 5, "max_solution": 9, "fractional_solutions": 0.0},
    3: {},
    4: {"max_coefficient": 12, "max_solution": 30, "fractional_solutions": 0.4},
    5: {"max_coefficient": 25, "max_solution": 100, "fractional_solutions": 0.6},
}


def draw(cfg: LinearSystemConfig, rng: Rng) -> tuple[str, Any] | None:
    """Two equations in x and y with a unique exact solution."""
    k, s = cfg.max_coefficient, cfg.max_solution
    a1, b1, a2, b2 = (rng.randint(-k, k) for _ in range(4))
    det = a1 * b2 - a2 * b1
    if det == 0 or (a1 == 0 and b1 == 0) or (a2 == 0 and b2 == 0):
        return None
    if rng.chance(cfg.fractional_solutions):
        c1, c2 = rng.randint(-s * k, s * k), rng.randint(-s * k, s * k)
        x, y = Fraction(c1 * b2 - c2 * b1, det), Fraction(a1 * c2 - a2 * c1, det)
    else:
        xi, yi = rng.randint(-s, s), rng.randint(-s, s)
        c1, c2 = a1 * xi + b1 * yi, a2 * xi + b2 * yi
        x, y = Fraction(xi), Fraction(yi)
    eqs_e = [f"Eq({integer_linear([(a, 'x'), (b, 'y')], 0, False)}, {c})" for a, b, c in ((a1, b1, c1), (a2, b2, c2))]
    eqs_q = [f"{integer_linear([(a, 'x'), (b, 'y')], 0, True)} = {c}" for a, b, c in ((a1, b1, c1), (a2, b2, c2))]
    question = rng.choice(_SYS_PHRASES).format(a=eqs_q[0], b=eqs_q[1])
    answer = f"{{x: {frac_str(x)}, y: {frac_str(y)}}}"
    return question, (f"[{eqs_e[0]}, {eqs_e[1]}]", answer, {"variables": ["x", "y"]})
