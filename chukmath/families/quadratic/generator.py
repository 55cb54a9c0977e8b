"""``quadratic``: a*x**2 + b*x + c = 0 with real roots, rational or irrational; the answer is the set of roots.

The root set is computed exactly from the integer coefficients in ``finish`` (which only runs for kept items)
and printed the way sympy prints the FiniteSet of roots (``chukmath.families.common.symstr``), without sympy.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import isqrt
from typing import Any

from chukmath.families.common import symstr
from chukmath.families.config import param
from chukmath.families.rng import Rng

_PHRASES = (
    "Solve {e}.",
    "Find all real solutions of {e}.",
    "What are the roots of {e}?",
    "Solve for x: {e}.",
    "Find every real x with {e}.",
    "Determine the solution set of {e}.",
)


@dataclass(frozen=True)
class QuadraticConfig:
    """Knobs of quadratic (defaults are difficulty 3)."""

    max_root: int = param(9, "largest absolute value of a root numerator (rational case)", min=1, max=1000)
    max_leading: int = param(3, "largest absolute leading coefficient", min=1, max=50)
    max_coefficient: int = param(12, "largest |b| and |c| (irrational case)", min=1, max=10**4)
    irrational: float = param(0.3, "chance that the roots are irrational", min=0, max=1)
    monic: float = param(0.5, "chance that the leading coefficient is 1", min=0, max=1)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_root": 6, "max_leading": 1, "irrational": 0.0, "monic": 1.0},
    2: {"max_root": 9, "max_leading": 2, "irrational": 0.1, "monic": 0.8},
    3: {},
    4: {"max_root": 15, "max_leading": 6, "max_coefficient": 30, "irrational": 0.5, "monic": 0.3},
    5: {"max_root": 30, "max_leading": 12, "max_coefficient": 100, "irrational": 0.6, "monic": 0.1},
}


def _poly(a: int, b: int, c: int, human: bool) -> str:
    parts: list[str] = []
    for coef, power in ((a, 2), (b, 1), (c, 0)):
        if coef == 0:
            continue
        mag = abs(coef)
        var = ("x^2" if human else "x**2") if power == 2 else ("x" if power == 1 else "")
        if not var:
            body = str(mag)
        elif mag == 1:
            body = var
        else:
            body = f"{mag}{var}" if human else f"{mag}*{var}"
        parts.append(("-" if coef < 0 else "") + body if not parts else ("- " if coef < 0 else "+ ") + body)
    return " ".join(parts)


def draw(cfg: QuadraticConfig, rng: Rng) -> tuple[str, Any] | None:
    """One quadratic with real roots; the payload is its integer coefficients."""
    lead = 1 if rng.chance(cfg.monic) else rng.randint(1, cfg.max_leading) * rng.sign()
    if rng.chance(cfg.irrational):
        k = cfg.max_coefficient
        b, c = rng.randint(-k, k), rng.randint(-k, k)
        disc = b * b - 4 * lead * c
        if disc <= 0 or isqrt(disc) ** 2 == disc:
            return None
        a = lead
    else:
        # lead*(x - r1)(x - r2) with integer roots, or (p*x - r1)(x - r2) for a fractional root.
        r1, r2 = rng.randint(-cfg.max_root, cfg.max_root), rng.randint(-cfg.max_root, cfg.max_root)
        p = abs(lead)
        sgn = 1 if lead > 0 else -1
        a, b, c = sgn * p, sgn * (-(r1 + p * r2)), sgn * (r1 * r2)
    question = rng.choice(_PHRASES).format(e=f"{_poly(a, b, c, True)} = 0")
    return question, (a, b, c)


def finish(cfg: QuadraticConfig, payload: tuple[int, int, int]) -> tuple[str, str, dict[str, Any]]:
    """Expression and the exact root set ``(-b ± sqrt(D)) / (2a)``, as sympy's ``str()`` of the FiniteSet."""
    a, b, c = payload
    disc = b * b - 4 * a * c
    root = isqrt(disc)
    center = Fraction(-b, 2 * a)
    if root * root == disc:
        half = Fraction(root, 2 * abs(a))
        answer = symstr.rational_set((center - half, center + half))
        kind = "double" if disc == 0 else "rational"
    else:
        k, m = symstr.square_part(disc)
        answer = symstr.sqrt_pair_set(center, Fraction(k, 2 * abs(a)), m)
        kind = "irrational"
    return f"Eq({_poly(a, b, c, False)}, 0)", answer, {"roots": kind}
