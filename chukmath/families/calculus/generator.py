"""``calculus``: derivatives and definite integrals of polynomials and elementary functions (sympy answers).

The drawer picks a small spec of integers. Polynomials and the elementary integrals (a short table of
antiderivatives at named bounds) are computed exactly with integers and Fractions and printed the way
sympy prints them (``chukmath.families.common.symstr``), because sympy's ``integrate`` and printer cost
milliseconds per problem. Derivatives of elementary functions still build the sympy objects directly
(never by parsing text) and differentiate them with ``fast_diff`` (sympy's own rules without the
``Derivative`` machinery). Answers of repeated specs are cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from chukmath.families.common import symstr
from chukmath.families.common.sympy_diff import fast_diff
from chukmath.families.config import param
from chukmath.families.rng import Rng

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
    f = _function_text(spec)
    if f is None:
        return None
    text = f.replace("**", "^")
    if spec[0] == "D":
        question = rng.choice(_D_PHRASES).format(f=text)
    else:
        a, b = spec[5]
        question = rng.choice(_I_PHRASES).format(f=text, a=_show(a), b=_show(b))
    return question, spec


def _show(bound: int | str) -> str:
    return str(bound).replace("**", "^").replace("E", "e")


# sympy's text of ``c*sin(x)`` and the exact value of the integral from 0 to each named bound, as
# (rational part, radical coefficient, radicand): integral of sin is 1 - cos(b), of cos is sin(b).
TRIG_INTEGRALS: dict[tuple[str, str], tuple[Fraction, Fraction, int]] = {
    ("sin", "pi/2"): (Fraction(1), Fraction(0), 1),
    ("sin", "pi"): (Fraction(2), Fraction(0), 1),
    ("sin", "pi/6"): (Fraction(1), Fraction(-1, 2), 3),
    ("sin", "pi/4"): (Fraction(1), Fraction(-1, 2), 2),
    ("sin", "pi/3"): (Fraction(1, 2), Fraction(0), 1),
    ("cos", "pi/2"): (Fraction(1), Fraction(0), 1),
    ("cos", "pi"): (Fraction(0), Fraction(0), 1),
    ("cos", "pi/6"): (Fraction(1, 2), Fraction(0), 1),
    ("cos", "pi/4"): (Fraction(0), Fraction(1, 2), 2),
    ("cos", "pi/3"): (Fraction(0), Fraction(1, 2), 3),
}
_BOUND_TEXT = {"E": "E", "E**2": "exp(2)"}


def exp_product_text(poly: Sequence[tuple[int, int]]) -> str:
    """sympy's text of ``P(x)*exp(x)`` for ``(coefficient, power)`` pairs of P with distinct powers."""
    if len(poly) == 1:
        co, power = poly[0]
        return scaled_call(co, f"{symstr.monomial(1, power)}*exp(x)" if power else "exp(x)")
    return f"({symstr.polynomial(poly)})*exp(x)"


def exp_antiderivative(coefficients: Mapping[int, int]) -> dict[int, int]:
    """Q with Q*exp(x) an antiderivative of P*exp(x) (``{power: coefficient}``): Q = P - P' + P'' - ..."""
    q: dict[int, int] = {}
    derivative, sign = dict(coefficients), 1
    while derivative:
        for power, co in derivative.items():
            q[power] = q.get(power, 0) + sign * co
        derivative = {power - 1: co * power for power, co in derivative.items() if power}
        sign = -sign
    return {power: co for power, co in q.items() if co}


def scaled_call(c: int, call: str) -> str:
    """sympy's text of ``c*call`` for a nonzero integer ``c``: ``3*sin(x)``, ``-exp(x)``."""
    return call if c == 1 else ("-" + call if c == -1 else f"{c}*{call}")


def _fast_kind(spec: tuple[Any, ...]) -> bool:
    """True for the specs computed without sympy: polynomials and every integral."""
    return spec[0] == "I" or spec[2] == ""


@lru_cache(maxsize=4096)
def _function_text(spec: tuple[Any, ...]) -> str | None:
    """sympy's ``str()`` of the spec's function, or None when it degenerates to a constant."""
    if not _fast_kind(spec):
        f = _function(spec)
        return None if f is None else str(f)
    _kind, poly, fn, _k, c, _shape = spec
    if fn == "":
        if all(power == 0 for _, power in poly):
            return None
        return symstr.polynomial(poly)
    if fn == "inv":
        return f"{c}/x" if c != -1 else "-1/x"
    if fn == "exp" and poly:
        return exp_product_text(poly)
    return scaled_call(c, f"{fn}(x)")


def _bound_text(value: int | str) -> str:
    return str(value) if isinstance(value, int) else _BOUND_TEXT.get(value, value)


def _integral_value(spec: tuple[Any, ...]) -> str:
    """The exact definite integral of an integral spec, as sympy prints it."""
    _kind, poly, fn, _k, c, (a, b) = spec
    if fn == "":
        total = Fraction(0)
        for co, power in poly:
            n = power + 1
            total += Fraction(co * (b**n - a**n), n)
        return symstr.rational(total)
    if fn in ("sin", "cos"):
        p, q, m = TRIG_INTEGRALS[(fn, b)]
        return symstr.sqrt_sum(c * p, c * q, m) if q else symstr.rational(c * p)
    if fn == "sqrt":
        root = {1: 1, 4: 2, 9: 3, 16: 4}[b]
        return symstr.rational(Fraction(2 * c * root**3, 3))
    if fn == "inv":
        return {"E": str(c), "E**2": str(2 * c)}.get(b) or scaled_call(c, f"log({b})")
    # exp: the antiderivative of P(x)*exp(x) is Q(x)*exp(x) with Q = P - P' + P'' - ... (c*exp(x): P = c).
    q_coefficients = exp_antiderivative({power: co for co, power in poly} if poly else {0: c})
    q_at_b = sum(co * b**power for power, co in q_coefficients.items())
    return symstr.exp_combination(q_at_b, -q_coefficients.get(0, 0), b)


@lru_cache(maxsize=4096)
def _function(spec: tuple[Any, ...]) -> Any:
    """The sympy integrand/function of a spec, or None when it degenerates to a constant."""
    import sympy

    x = sympy.Symbol("x")
    kind, poly, fn, k, c, shape = spec
    p = sympy.Add(*(sympy.Integer(co) * x**pw for co, pw in poly))
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


@lru_cache(maxsize=4096)
def _solve(spec: tuple[Any, ...]) -> tuple[str, str, str]:
    f = _function_text(spec)
    if spec[0] == "I":
        a, b = spec[5]
        return f"Integral({f}, (x, {_bound_text(a)}, {_bound_text(b)}))", _integral_value(spec), "integral"
    if spec[2] == "":
        derivative = [(co * power, power - 1) for co, power in spec[1] if power]
        return f"Derivative({f}, x)", symstr.polynomial(derivative), "derivative"
    import sympy

    return f"Derivative({f}, x)", str(fast_diff(_function(spec), sympy.Symbol("x"))), "derivative"


def finish(cfg: CalculusConfig, spec: tuple[Any, ...]) -> tuple[str, str, dict[str, Any]]:
    """Expression text and exact answer via sympy diff/integrate (cached per spec)."""
    expression, answer, operation = _solve(spec)
    return expression, answer, {"operation": operation}
