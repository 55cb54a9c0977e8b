"""``linear_equation`` (one unknown) and ``linear_system`` (two unknowns), solved exactly with Fractions."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.generate.config import param
from chukmath.generate.numfmt import frac_str
from chukmath.generate.registry import Family, register
from chukmath.generate.rng import Rng

_EQ_PHRASES = (
    "Solve for x: {e}.",
    "Find x if {e}.",
    "What value of x satisfies {e}?",
    "Solve the equation {e}.",
    "If {e}, what is x?",
    "Determine x such that {e}.",
)
_SYS_PHRASES = (
    "Solve the system of equations: {a} and {b}.",
    "Find x and y if {a} and {b}.",
    "Solve for x and y: {a}, {b}.",
    "What values of x and y satisfy both {a} and {b}?",
    "Given {a} and {b}, find x and y.",
)


def _lin(terms: list[tuple[int, str]], const: int, human: bool) -> str:
    """``2*x - y + 3`` (sympy) or ``2x - y + 3`` (question text) from integer coefficients."""
    parts: list[str] = []
    for coef, var in terms:
        if coef == 0:
            continue
        mag = abs(coef)
        body = var if mag == 1 else (f"{mag}{var}" if human else f"{mag}*{var}")
        if not parts:
            parts.append(("-" if coef < 0 else "") + body)
        else:
            parts.append(("- " if coef < 0 else "+ ") + body)
    if const or not parts:
        if not parts:
            parts.append(str(const))
        else:
            parts.append(("- " if const < 0 else "+ ") + str(abs(const)))
    return " ".join(parts)


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


EQ_PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_coefficient": 5, "max_constant": 10, "both_sides": 0.0, "bracket": 0.0, "fractional_solutions": 0.0},
    2: {"max_coefficient": 9, "max_constant": 20, "both_sides": 0.2, "bracket": 0.0, "fractional_solutions": 0.0},
    3: {},
    4: {"max_coefficient": 15, "max_constant": 100, "both_sides": 0.7, "bracket": 0.4, "fractional_solutions": 0.4},
    5: {"max_coefficient": 40, "max_constant": 500, "both_sides": 0.9, "bracket": 0.6, "fractional_solutions": 0.6},
}


def draw_equation(cfg: LinearEquationConfig, rng: Rng) -> tuple[str, Any] | None:
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
        lhs_e = _lin([(a, "x")], b, human=False)
        lhs_q = _lin([(a, "x")], b, human=True)
    rhs_e = _lin([(c, "x")], d, human=False)
    rhs_q = _lin([(c, "x")], d, human=True)
    question = rng.choice(_EQ_PHRASES).format(e=f"{lhs_q} = {rhs_q}")
    return question, (f"Eq({lhs_e}, {rhs_e})", frac_str(x), {"variable": "x"})


@dataclass(frozen=True)
class LinearSystemConfig:
    """Knobs of linear_system (defaults are difficulty 3)."""

    max_coefficient: int = param(6, "largest absolute coefficient", min=1, max=1000)
    max_solution: int = param(10, "largest absolute value of an integer solution", min=1, max=10**6)
    fractional_solutions: float = param(0.2, "chance that the solution need not be integers", min=0, max=1)


SYS_PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_coefficient": 3, "max_solution": 5, "fractional_solutions": 0.0},
    2: {"max_coefficient": 5, "max_solution": 9, "fractional_solutions": 0.0},
    3: {},
    4: {"max_coefficient": 12, "max_solution": 30, "fractional_solutions": 0.4},
    5: {"max_coefficient": 25, "max_solution": 100, "fractional_solutions": 0.6},
}


def draw_system(cfg: LinearSystemConfig, rng: Rng) -> tuple[str, Any] | None:
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
    eqs_e = [f"Eq({_lin([(a, 'x'), (b, 'y')], 0, False)}, {c})" for a, b, c in ((a1, b1, c1), (a2, b2, c2))]
    eqs_q = [f"{_lin([(a, 'x'), (b, 'y')], 0, True)} = {c}" for a, b, c in ((a1, b1, c1), (a2, b2, c2))]
    question = rng.choice(_SYS_PHRASES).format(a=eqs_q[0], b=eqs_q[1])
    answer = f"{{x: {frac_str(x)}, y: {frac_str(y)}}}"
    return question, (f"[{eqs_e[0]}, {eqs_e[1]}]", answer, {"variables": ["x", "y"]})


EQUATION = register(
    Family(
        name="linear_equation",
        description="Linear equations in one unknown x (both sides, brackets); the answer is the exact value of x.",
        config_cls=LinearEquationConfig,
        presets=EQ_PRESETS,
        draw=draw_equation,
    )
)
SYSTEM = register(
    Family(
        name="linear_system",
        description="Two linear equations in x and y with a unique solution; the answer is {x: ..., y: ...}.",
        config_cls=LinearSystemConfig,
        presets=SYS_PRESETS,
        draw=draw_system,
    )
)
