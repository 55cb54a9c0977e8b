"""``linear_equation``: one unknown x (both sides, brackets), solved exactly with Fractions."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.linear import integer_linear
from chukmath.families.common.numfmt import frac_str
from chukmath.families.config import param
from chukmath.families.rng import Rng

_EQ_PHRASES = (
    "Solve for x: {e}.",
    "Find x if {e}.",
    "What value of x satisfies {e}?",
    "Solve the equation {e}.",
    "If {e}, what is x?",
    "Determine x such that {e}.",
)

def _nonzero(rng: Rng, k: int) -> int:
    return rng.randint(1, k) * rng.sign()


@dataclass(frozen=True)
class LinearEquationConfig:
    """Knobs of linear_equation (defaults are difficulty 3)."""

    max_coefficient: int = param(9, "largest absolute coefficient of x", min=1, max=1000)
    max_constant: int = param(30, "largest absolute constant term", min=1, max=10**6)
    both_sides: float = param(0.5, "chance that x appears on both sides", min=0, max=1)
    bracket: float = param(0.2, "chance of a bracketed form such as 3(x + 2)", min=0, max=1)
    fractional_solutions: float = param(0.2, "chance that the solution need not be an integer", min=0, max=1)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_coefficient": 5, "max_constant": 10, "both_sides": 0.0, "bracket": 0.0, "fractional_solutions": 0.0},
    2: {"max_coefficient": 9, "max_constant": 20, "both_sides": 0.2, "bracket": 0.0, "fractional_solutions": 0.0},
    3: {},
    4: {"max_coefficient": 15, "max_constant": 100, "both_sides": 0.7, "bracket": 0.4, "fractional_solutions": 0.4},
    5: {"max_coefficient": 40, "max_constant": 500, "both_sides": 0.9, "bracket": 0.6, "fractional_solutions": 0.6},
}


def draw(cfg: LinearEquationConfig, rng: Rng) -> tuple[str, Any] | None:
    """One equation ``a*(x + p) + b = c*x + d`` (bracket optional), with its exact solution."""
    k, m = cfg.max_coefficient, cfg.max_constant
    a = _nonzero(rng, k)
    c = _nonzero(rng, k) if rng.chance(cfg.both_sides) else 0
    if a == c:
        return None
    p = _nonzero(rng, max(1, m // max(1, abs(a)))) if rng.chance(cfg.bracket) else 0
    b = rng.randint(-m, m)
    if rng.chance(cfg.fractional_solutions):
        d = rng.randint(-m, m)
    else:
        x0 = rng.randint(-max(1, m // 2), max(1, m // 2))
        d = (a - c) * x0 + a * p + b
    x = Fraction(d - a * p - b, a - c)
    if p:
        inner = f"x + {p}" if p > 0 else f"x - {-p}"
        lhs_e = (f"{a}*({inner})" if a not in (1, -1) else ("-" if a < 0 else "") + f"({inner})")
        lhs_q = (f"{a}({inner})" if a not in (1, -1) else ("-" if a < 0 else "") + f"({inner})")
        if b:
            tail = f" + {b}" if b > 0 else f" - {-b}"
            lhs_e += tail
            lhs_q += tail
    else:
        lhs_e = integer_linear([(a, "x")], b, human=False)
        lhs_q = integer_linear([(a, "x")], b, human=True)
    rhs_e = integer_linear([(c, "x")], d, human=False)
    rhs_q = integer_linear([(c, "x")], d, human=True)
    question = rng.choice(_EQ_PHRASES).format(e=f"{lhs_q} = {rhs_q}")
    return question, (f"Eq({lhs_e}, {rhs_e})", frac_str(x), {"variable": "x"})
