"""Three routes for the generator's products u·v (u a polynomial, v one of sin(k·x), cos(k·x), exp(k·x), log(x),
sqrt(x)) and compositions c·g(u) (g one of sin, cos, exp of a polynomial u; log and sqrt of k·x^2 + 1):

- ``power_rule``: the product rule u'v + uv' (or the chain rule c·g'(u)·u') with u' by the power rule, highest
  power first;
- ``from_definition``: the difference quotient split into u's change and v's change (or u(x + h) = u + u'·h to
  first order), u' from the binomial's first-order term, lowest power first;
- ``horner``: a table of u's coefficients and powers.

Each checks its pieces by integrating them back: u' to u (a claim per coefficient: the new coefficient divided by
the power), v' to v, and for a composition the substitution u = inner function. Anything else returns None.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.calculus.claims import claim, power_rule_term
from chukmath.families.calculus.elementary import limit_text
from chukmath.families.calculus.trace import fraction_of, show
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_DIV, OP_MUL, OP_SUB, assemble

_CALLS = ("sin", "cos", "exp", "log")
_OUTER = {"sin": "cos(u)", "cos": "-sin(u)", "exp": "exp(u)", "log": "1/u", "sqrt": "1/(2·sqrt(u))"}


@dataclass(frozen=True)
class Parts:
    """f = c·g(u) (``chain``) or u·v; ``u`` as ``(coefficient, power)`` pairs, highest power first."""

    chain: bool
    c: Fraction
    u: list[tuple[Fraction, int]]
    fn: str
    k: int
    u_text: str
    v_text: str
    dv_text: str


def _call(v: Any, x: Any) -> tuple[str, int] | None:
    """``(name, k)`` for sin, cos, exp or log of k·x, or sqrt(x)."""
    import sympy

    if v.is_Pow and v.base == x and v.exp == sympy.Rational(1, 2):
        return "sqrt", 1
    if isinstance(v, sympy.Function) and type(v).__name__ in _CALLS and len(v.args) == 1:
        k, base = v.args[0].as_coeff_Mul()
        if base == x and k.is_Integer and 1 <= int(k) <= 9 and (type(v).__name__ != "log" or k == 1):
            return type(v).__name__, int(k)
    return None


def _polynomial(u: Any, x: Any) -> list[tuple[Fraction, int]] | None:
    import sympy

    if not u.has(x) or not u.is_polynomial(x):
        return None
    terms = []
    for (power,), c in sorted(sympy.Poly(u, x).terms(), reverse=True):
        if not c.is_Rational or power > 12:
            return None
        terms.append((fraction_of(c), int(power)))
    return terms


def parts(f: Any, x: Any) -> Parts | None:
    """The product or composition f splits into, or None for another shape."""
    import sympy

    from chukmath.families.common.sympy_diff import fast_diff

    factors = sympy.Mul.make_args(f)
    calls = [(a, call) for a in factors if (call := _call(a, x)) is not None]
    if len(calls) == 1:
        v, (fn, k) = calls[0]
        u = sympy.Mul(*[a for a in factors if a is not v])
        poly = _polynomial(u, x)
        if poly is None:
            return None
        return Parts(False, Fraction(1), poly, fn, k, show(u), show(v), show(fast_diff(v, x)))
    c, rest = f.as_coeff_Mul()
    if not c.is_Rational:
        return None
    outer = type(rest).__name__ if isinstance(rest, sympy.Function) else ("sqrt" if rest.is_Pow else "")
    inner = rest.args[0] if outer in _CALLS else (rest.base if outer == "sqrt" else None)
    if inner is None or (outer == "sqrt" and rest.exp != sympy.Rational(1, 2)):
        return None
    poly = _polynomial(inner, x)
    if poly is None or (len(poly) == 1 and poly[0][1] <= 1):
        return None
    return Parts(True, fraction_of(c), poly, outer, 1, show(inner), show(rest), "")


def _derivative_text(u: list[tuple[Fraction, int]]) -> str:
    return symstr.polynomial([(c * n, n - 1) for c, n in u if n]).replace("**", "^")


def _r(value: Fraction) -> str:
    return symstr.rational(value)


def _mono(c: Fraction, n: int) -> str:
    return symstr.monomial(c, n).replace("**", "^")


# --- u' three ways ----------------------------------------------------------------------------------------------


def _u_by_rule(u: list[tuple[Fraction, int]], think: list[str]) -> None:
    for c, n in u:
        power_rule_term(think, _mono(c, n), c, n)


def _u_by_definition(u: list[tuple[Fraction, int]], think: list[str]) -> None:
    for c, n in reversed(u):
        if n == 0:
            think.append(f"The constant {_mono(c, 0)} cancels in u(x + h) - u(x).")
        elif n == 1:
            think.append(f"{_mono(c, 1)} changes by {_r(c)}·h, so it gives {_r(c)}.")
        else:
            lower = "x" if n == 2 else f"x^{n - 1}"
            think.append(f"In (x + h)^{n} the terms with exactly one h add up to {n}·{lower}·h, so "
                         f"{_mono(c, n)} gives " + (f"{_r(c)} × {n}:" if c != 1 else f"{n}·{lower}."))  # fmt: skip
            if c != 1:
                claim(think, c, OP_MUL, n)


def _u_by_table(u: list[tuple[Fraction, int]], think: list[str]) -> None:
    think.append("A table for u': for each power n with coefficient c, the new term is (c × n)·x^(n-1).")
    for c, n in u:
        if n == 0:
            think.append(f"The constant {_r(c)} drops out.")
        elif n == 1 or c == 1:
            think.append(f"n = {n}, c = {_r(c)}: the new coefficient is {_r(c * n)}.")
        else:
            think.append(f"n = {n}, c = {_r(c)}:")
            claim(think, c, OP_MUL, n)


_U_WAYS = {"power_rule": _u_by_rule, "from_definition": _u_by_definition, "horner": _u_by_table}


def _v_prime(p: Parts) -> str:
    """How v' comes about, in words (no arithmetic: v's coefficient is 1)."""
    if p.fn == "sqrt":
        return f"v = sqrt(x) = x^(1/2), so v' = (1/2)·x^(-1/2) = {p.dv_text}."
    if p.fn == "log":
        return f"v = log(x), so v' = {p.dv_text}."
    if p.k == 1:
        return f"v = {p.v_text}, so v' = {p.dv_text}."
    return f"v = {p.v_text}: by the chain rule with inner derivative {p.k}, v' = {p.dv_text}."


def _u_back(u: list[tuple[Fraction, int]], think: list[str]) -> None:
    for c, n in u:
        if n == 0:
            think.append(f"The constant {_r(c)} of u comes back as the constant of integration.")
        elif n == 1:
            think.append(f"{_r(c)} integrates back to {_mono(c, 1)}.")
        else:
            think.append(f"{_mono(c * n, n - 1)}: raise the power to {n} and divide by it:")
            if claim(think, c * n, OP_DIV, n) != c:
                raise AssertionError("integrating back differs")


def _product(route: str, p: Parts, think: list[str]) -> None:
    if route == "from_definition":
        think.append("From the definition: u(x + h)·v(x + h) - u(x)·v(x) = (u(x + h) - u(x))·v(x + h) + "
                     "u(x)·(v(x + h) - v(x)); divided by h, the two parts go to u'·v and u·v'.")  # fmt: skip
    else:
        think.append("Product rule: (uv)' = u'·v + u·v'.")
    think.append(f"u = {p.u_text.replace('**', '^')}; u':")
    _U_WAYS[route](p.u, think)
    if route == "from_definition" and p.fn in ("sin", "cos", "exp"):
        think.append(f"v = {p.v_text}: {limit_text(p.fn, p.k)}.")
    else:
        think.append(_v_prime(p))
    front: tuple[Fraction, int] | None = None
    if len(p.u) == 1 and p.u[0][1] and (p.fn == "cos" or (p.fn in ("sin", "exp") and p.k > 1)):
        factor = -p.k if p.fn == "cos" else p.k
        think.append(f"The number in front of u·v' is {_r(p.u[0][0])} times {factor}:")
        front = (claim(think, p.u[0][0], OP_MUL, factor), factor)
    elif len(p.u) == 1 and p.fn == "log" and p.u[0][1] > 1:
        think.append(f"u·v' = {_mono(*p.u[0])}/x: lower the power by 1:")
        claim(think, p.u[0][1], OP_SUB, 1)
    think.append(f"So u' = {_derivative_text(p.u)} and v' = {p.dv_text}; f' is u'·v + u·v'.")
    think.append("Check each piece by integrating it back: u' to u,")
    _u_back(p.u, think)
    back = {"sqrt": "x^(-1/2)/2 integrates to x^(1/2) = sqrt(x)", "log": "1/x integrates to log(x)"}
    think.append(f"and v': {back[p.fn]}." if p.fn in back else
                 f"and v': {p.dv_text} integrates back to {p.v_text}" + (f" (divide by {p.k})." if p.k > 1 else "."))
    if front is not None:
        think.append(f"The number in front of u·v', {_r(front[0])}, divided by {front[1]} gives back u's "
                     f"{_r(p.u[0][0])}:")  # fmt: skip
        if claim(think, front[0], OP_DIV, front[1]) != p.u[0][0]:
            raise AssertionError("dividing back differs")


def _chain(route: str, p: Parts, think: list[str]) -> None:
    c_text = "" if p.c == 1 else (f"({_r(p.c)}) × " if p.c < 0 else f"{_r(p.c)} × ")
    outer = f"({_OUTER[p.fn]})" if c_text and p.fn in ("cos", "sqrt") else _OUTER[p.fn]
    if route == "from_definition":
        think.append(f"From the definition: u(x + h) = u(x) + u'(x)·h to first order, so {p.fn}(u(x + h)) - "
                     f"{p.fn}(u(x)) divided by h goes to {p.fn}'(u)·u' (the chain rule).")  # fmt: skip
    else:
        think.append(f"Chain rule with u = {p.u_text.replace('**', '^')}: f' = {c_text}{outer} × u'.")
    think.append(f"u = {p.u_text.replace('**', '^')}; u':")
    _U_WAYS[route](p.u, think)
    think.append(f"So u' = {_derivative_text(p.u)}, and f' is {c_text}{outer} × u' at u = "
                 f"{p.u_text.replace('**', '^')}.")  # fmt: skip
    du = [(c * n, n - 1) for c, n in p.u if n]
    # The number in front of the result when u' has one term: (inner factor) × (scale), checked by dividing back.
    inner = scale = combined = None
    if p.fn in ("log", "sqrt") and len(du) == 1:
        inner = du[0][0]
        if p.fn == "sqrt":
            think.append(f"The derivative of sqrt(u) is u'/(2·sqrt(u)): halve {_r(inner)}:")
            inner = claim(think, inner, OP_DIV, 2)
        else:
            think.append("The derivative of log(u) is u'/u.")
        if p.c != 1:
            think.append(f"Times {_r(p.c)}:")
            scale, combined = p.c, claim(think, p.c, OP_MUL, inner)
    elif len(du) == 1 and (p.c != 1 or p.fn == "cos"):
        sign = -1 if p.fn == "cos" else 1
        inner = du[0][0]
        think.append(f"Gather the numbers in front: ({_r(p.c)})" + (" × (-1)" if sign < 0 else "")
                     + f" × {_r(inner)}:")  # fmt: skip
        scale = claim(think, p.c, OP_MUL, sign) if sign < 0 else p.c
        combined = claim(think, scale, OP_MUL, inner)
    think.append(f"Check by substituting back: with u = {p.u_text.replace('**', '^')}, du = u'·dx, and the "
                 f"antiderivative of {c_text}{outer} du is {symstr.scaled(p.c, f'{p.fn}(u)')}; u' integrates back "
                 "to u:")  # fmt: skip
    _u_back(p.u, think)
    if combined is not None and scale is not None and scale != 1:
        think.append(f"and the number in front, {_r(combined)}, divided by {_r(scale)} gives back {_r(inner or 0)}:")
        if claim(think, combined, OP_DIV, scale) != inner:
            raise AssertionError("dividing back differs")


def product_or_chain(route: str, opening: str, p: Parts, result: str) -> str:
    """The derivative of a product or composition by ``route``, its pieces checked by integrating them back."""
    think = [opening]
    (_chain if p.chain else _product)(route, p, think)
    think.append(f"So the derivative is {result}.")
    return assemble(think, f"The answer is {result}.", result)
