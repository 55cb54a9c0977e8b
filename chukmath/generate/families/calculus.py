"""``calculus``: derivatives and definite integrals of polynomials and elementary functions (sympy answers).

The drawer picks a small spec of integers; ``finish`` builds the sympy objects directly from it (never by
parsing text) and differentiates or integrates. Answers of repeated specs are cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chukmath.generate.config import param
from chukmath.generate.registry import Family, register
from chukmath.generate.rng import Rng

ELEMENTARY = ("sin", "cos", "exp", "log", "sqrt")
_D_PHRASES = (
    "Find the derivative of {f} with respect to x.",
    "Differentiate {f} with respect to x.",
    "What is d/dx of {f}?",
    "Compute the derivative of f(x) = {f}.",
    "Find f'(x) for f(x) = {f}.",
)
_I_PHRASES = (
    "Evaluate the integral of {f} from {a} to {b}.",
    "Compute the definite integral of {f} dx from x = {a} to x = {b}.",
    "What is the integral from {a} to {b} of {f} dx?",
    "Find the exact value of the integral of {f} over [{a}, {b}].",
)


@dataclass(frozen=True)
class CalculusConfig:
    """Knobs of calculus (defaults are difficulty 3)."""

    integrals: float = param(0.4, "chance of a definite integral instead of a derivative", min=0, max=1)
    max_degree: int = param(4, "highest power of x in a polynomial", min=1, max=12)
    max_coefficient: int = param(9, "largest absolute coefficient", min=1, max=1000)
    terms: int = param(3, "most terms in a polynomial", min=1, max=8)
    elementary: float = param(0.5, "chance of using sin, cos, exp, log or sqrt", min=0, max=1)
    products: float = param(0.3, "chance that a derivative is of a product or composition", min=0, max=1)
    max_bound: int = param(4, "largest integration bound for polynomials", min=1, max=100)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"integrals": 0.3, "max_degree": 3, "max_coefficient": 5, "terms": 2, "elementary": 0.0, "products": 0.0,
        "max_bound": 3},
    2: {"integrals": 0.4, "max_degree": 4, "max_coefficient": 9, "terms": 3, "elementary": 0.3, "products": 0.0},
    3: {},
    4: {"max_degree": 6, "max_coefficient": 20, "terms": 4, "elementary": 0.7, "products": 0.5, "max_bound": 6},
    5: {"max_degree": 8, "max_coefficient": 50, "terms": 5, "elementary": 0.8, "products": 0.7, "max_bound": 10},
}


def _draw_poly(cfg: CalculusConfig, rng: Rng) -> tuple[tuple[int, int], ...]:
    n = rng.randint(1, cfg.terms)
    powers = sorted({rng.randint(0, cfg.max_degree) for _ in range(n)}, reverse=True)
    return tuple((rng.randint(1, cfg.max_coefficient) * rng.sign(), p) for p in powers)


def draw(cfg: CalculusConfig, rng: Rng) -> tuple[str, Any] | None:
    """A derivative or definite integral spec; the question is rendered from sympy's own printing."""
    poly = _draw_poly(cfg, rng)
    fn = rng.choice(ELEMENTARY) if rng.chance(cfg.elementary) else ""
    k = rng.randint(1, 3)
    c = rng.randint(1, cfg.max_coefficient) * rng.sign()
    if rng.chance(cfg.integrals):
        if fn in ("sin", "cos"):
            spec = ("I", (), fn, 1, c, (0, rng.choice(("pi/2", "pi", "pi/6", "pi/4", "pi/3"))))
        elif fn == "exp":
            spec = ("I", poly if rng.below(2) else (), fn, 1, c, (0, rng.randint(1, 3)))
        elif fn == "log":
            spec = ("I", (), "inv", 1, c, (1, rng.choice(("E", "E**2", "2", "3"))))
        elif fn == "sqrt":
            spec = ("I", (), fn, 1, c, (0, rng.choice((1, 4, 9, 16))))
        else:
            a = rng.randint(-cfg.max_bound, cfg.max_bound - 1)
            spec = ("I", poly, "", 1, 0, (a, rng.randint(a + 1, cfg.max_bound)))
    else:
        shape = rng.choice(("mul", "compose")) if fn and rng.chance(cfg.products) else "add"
        spec = ("D", poly, fn, k, c, shape)
    f = _function(spec)
    if f is None:
        return None
    text = str(f).replace("**", "^")
    if spec[0] == "D":
        question = rng.choice(_D_PHRASES).format(f=text)
    else:
        a, b = spec[5]
        question = rng.choice(_I_PHRASES).format(f=text, a=_show(a), b=_show(b))
    return question, spec


def _show(bound: int | str) -> str:
    return str(bound).replace("**", "^").replace("E", "e")


@lru_cache(maxsize=4096)
def _function(spec: tuple[Any, ...]) -> Any:
    """The sympy integrand/function of a spec, or None when it degenerates to a constant."""
    import sympy

    x = sympy.Symbol("x")
    kind, poly, fn, k, c, shape = spec
    p = sum((sympy.Integer(co) * x**pw for co, pw in poly), sympy.Integer(0))
    if fn == "":
        f = p
    elif fn == "inv":
        f = sympy.Integer(c) / x
    else:
        g = {"sin": sympy.sin, "cos": sympy.cos, "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt}[fn]
        if kind == "I":
            f = sympy.Integer(c) * g(x) if fn != "exp" or not poly else p * sympy.exp(x)
        elif shape == "mul":
            f = p * g(k * x) if fn not in ("log", "sqrt") else p * g(x)
        elif shape == "compose":
            f = sympy.Integer(c) * g(p) if fn in ("sin", "cos", "exp") else sympy.Integer(c) * g(k * x**2 + 1)
        else:
            f = p + sympy.Integer(c) * g(k * x)
    if f.is_number:
        return None
    return f


def _bound(value: int | str) -> Any:
    import sympy

    if isinstance(value, int):
        return sympy.Integer(value)
    named = {
        "pi/2": sympy.pi / 2, "pi": sympy.pi, "pi/6": sympy.pi / 6, "pi/4": sympy.pi / 4, "pi/3": sympy.pi / 3,
        "E": sympy.E, "E**2": sympy.E**2, "2": sympy.Integer(2), "3": sympy.Integer(3),
    }
    return named[value]


@lru_cache(maxsize=4096)
def _solve(spec: tuple[Any, ...]) -> tuple[str, str, str]:
    import sympy

    x = sympy.Symbol("x")
    f = _function(spec)
    if spec[0] == "D":
        return f"Derivative({f}, x)", str(sympy.diff(f, x)), "derivative"
    a, b = (_bound(v) for v in spec[5])
    value = sympy.integrate(f, (x, a, b))
    return f"Integral({f}, (x, {a}, {b}))", str(value), "integral"


def finish(cfg: CalculusConfig, spec: tuple[Any, ...]) -> tuple[str, str, dict[str, Any]]:
    """Expression text and exact answer via sympy diff/integrate (cached per spec)."""
    expression, answer, operation = _solve(spec)
    return expression, answer, {"operation": operation}


FAMILY = register(
    Family(
        name="calculus",
        description="Derivatives and definite integrals of polynomials and sin, cos, exp, log, sqrt; exact answers.",
        config_cls=CalculusConfig,
        presets=PRESETS,
        draw=draw,
        finish=finish,
    )
)
