"""Three routes for the derivative of a sum of powers of x (whole or fractional) and terms c·g(k·x), g one of sin,
cos, exp, log and sqrt (the generator's ``p(x) + c·g(k·x)``, and the fractional powers x^(5/2) of its products):

- ``power_rule``: the rules term by term, highest power first; the chain rule's inner derivative k as a claim;
- ``from_definition``: each term's first-order change (the binomial term of (x + h)^n, the addition formulas of
  sin and cos, exp(kh) - 1 over h, log(1 + h/x) over h, √(x + h) - √x over h), lowest power first;
- ``horner``: a table of each term's coefficient and what the rule does to it.

Each route is checked by integrating every new term back (a claim per coefficient: the new coefficient divided by
the power, by k, or by -k gives the old one), so a wrong coefficient in the result makes a false claim. Shapes
this module does not know return None (the caller keeps the classic trace).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.calculus.claims import claim, power_rule_term
from chukmath.families.calculus.trace import fraction_of, show
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_DIV, OP_MUL, OP_SUB, assemble
from chukmath.families.common.sympy_diff import fast_diff

_CALLS = ("sin", "cos", "exp", "log")
_HALF = Fraction(1, 2)


@dataclass(frozen=True)
class Term:
    """One term of f: ``c·x^n`` (``fn`` empty), or ``c·g(k·x)`` (for sqrt, ``c·√k·√x``); ``text`` as sympy prints
    it, ``piece`` its derivative as sympy prints it (both with ^ for powers)."""

    c: Fraction
    n: Fraction
    fn: str
    k: int
    text: str
    piece: str


def _term(term: Any, x: Any) -> Term | None:
    import sympy

    coefficient, rest = term.as_coeff_Mul()
    c = fraction_of(coefficient)
    if c is None:
        return None
    piece = show(fast_diff(term, x))
    if not rest.has(x):
        return Term(c * fraction_of(rest), Fraction(0), "", 1, show(term), piece) if rest.is_Rational else None
    if rest == x:
        return Term(c, Fraction(1), "", 1, show(term), piece)
    if rest.is_Pow and rest.base == x:
        n = fraction_of(rest.exp)
        if n is None or n <= 0 or n.denominator > 2:
            return None
        if n == _HALF:
            return Term(c, n, "sqrt", 1, show(term), piece)
        return Term(c, n, "", 1, show(term), piece)
    radical, core = rest.as_independent(x)
    if radical != 1:  # c·√k·√x: sympy's printing of c·sqrt(k·x)
        if core != sympy.sqrt(x) or not (radical.is_Pow and radical.exp == _HALF and radical.base in (2, 3)):
            return None
        return Term(c, _HALF, "sqrt", int(radical.base), show(term), piece)
    if isinstance(rest, sympy.Function) and type(rest).__name__ in _CALLS and len(rest.args) == 1:
        inner = rest.args[0]
        k, base = inner.as_coeff_Mul()
        if base != x or not k.is_Integer or not 1 <= abs(int(k)) <= 9 or (k < 0 and type(rest).__name__ == "log"):
            return None
        return Term(c, Fraction(0), type(rest).__name__, int(k), show(term), piece)
    return None


def split(expression: Any, x: Any) -> list[Term] | None:
    """f's terms if every one is a power of x or a known call of k·x, with at least one call or fractional power."""
    import sympy

    terms = [_term(t, x) for t in sympy.Add.make_args(expression)]
    known = [t for t in terms if t is not None]
    if len(known) != len(terms) or not any(t.fn or t.n.denominator != 1 for t in known):
        return None
    return known


def _r(value: Fraction) -> str:
    return symstr.rational(value)


def _inner(k: int) -> str:
    return "x" if k == 1 else f"{k}x"


# --- the rules, term by term ---------------------------------------------------------------------------------


def _by_rule(t: Term, think: list[str]) -> None:
    if t.fn == "":
        power_rule_term(think, t.text, t.c, t.n)
    elif t.fn == "sqrt":
        think.append(f"{t.text}: √x is x^(1/2); bring down 1/2 and lower the exponent by 1"
                     + (f" (√{t.k} is a constant factor):" if t.k != 1 else ":"))  # fmt: skip
        claim(think, t.c, OP_MUL, _HALF)
        claim(think, _HALF, OP_SUB, 1)
        think.append(f"x^(-1/2) is 1/√x, so {t.text} gives {t.piece}.")
    elif t.fn == "log":
        if t.k == 1:
            think.append(f"{t.text}: the derivative of log(x) is 1/x, so it gives {t.piece}.")
            return
        think.append(f"{t.text}: chain rule, the derivative of log(u) is 1/u at u = {_inner(t.k)}, times the inner "
                     f"derivative {t.k}:")  # fmt: skip
        product = claim(think, t.c, OP_MUL, t.k)
        think.append(f"{_r(product)}/({_inner(t.k)}): the {t.k} cancels:")
        claim(think, product, OP_DIV, t.k)
    else:
        outer = {"sin": "cos", "cos": "-sin", "exp": "exp"}[t.fn]
        if t.k == 1 and t.fn != "cos":
            think.append(f"{t.text}: the derivative of {t.fn}(x) is {outer}(x), so it gives {t.piece}.")
            return
        if t.k == 1:
            think.append(f"{t.text}: the derivative of cos(x) is -sin(x), so the coefficient changes sign:")
        else:
            think.append(f"{t.text}: chain rule, the derivative of {t.fn} is {outer}, times the inner derivative "
                         f"{t.k}:")  # fmt: skip
        claim(think, t.c, OP_MUL, -t.k if t.fn == "cos" else t.k)
        think.append(f"That gives {t.piece}.")


_LIMITS = {
    "sin": "sin({a}) - sin({u}) = sin({u})·(cos({v}) - 1) + cos({u})·sin({v}); divided by h, the first part goes to 0 "
           "and sin({v})/h goes to {k}, so sin({u}) gives {m}cos({u})",
    "cos": "cos({a}) - cos({u}) = cos({u})·(cos({v}) - 1) - sin({u})·sin({v}); divided by h, the first part goes to 0 "
           "and sin({v})/h goes to {k}, so cos({u}) gives -{m}sin({u})",
    "exp": "exp({a}) - exp({u}) = exp({u})·(exp({v}) - 1), and (exp({v}) - 1)/h goes to {k}, so exp({u}) gives "
           "{m}exp({u})",
}  # fmt: skip


def limit_text(fn: str, k: int) -> str:
    """The first-order change of ``fn(k·x)`` in words, with k written out only where it is not 1."""
    one = k == 1
    return _LIMITS[fn].format(a="x + h" if one else f"{k}(x + h)", u=_inner(k), v="h" if one else f"{k}h", k=k,
                              m="" if one else f"{k}·")  # fmt: skip


def _by_definition(t: Term, think: list[str]) -> None:
    if t.fn == "" and t.n == 0:
        think.append(f"The constant {t.text} cancels in f(x + h) - f(x).")
    elif t.fn == "" and t.n == 1:
        think.append(f"{t.text} changes by {_r(t.c)}·h, so it gives {_r(t.c)}.")
    elif t.fn == "":
        if t.n.denominator == 1:
            lower = _power(t.n - 1)
            think.append(f"In (x + h)^{t.n} the terms with exactly one h add up to {t.n}·{lower}·h, so {t.text} "
                         + (f"gives {_r(t.c)} × {t.n} times {lower}:" if t.c != 1 else f"gives {t.n}·{lower}."))
            if t.c != 1:
                claim(think, t.c, OP_MUL, t.n)
        else:
            think.append(f"(x + h)^({_r(t.n)}) is x^({_r(t.n)})·(1 + h/x)^({_r(t.n)}), and (1 + t)^a is 1 + a·t "
                         f"to first order, so {t.text} changes by {_r(t.c)} × {_r(t.n)} times x^({_r(t.n)} - 1)·h:")
            claim(think, t.c, OP_MUL, t.n)
            claim(think, t.n, OP_SUB, 1)
    elif t.fn == "sqrt":
        think.append(f"{t.text}: √(x + h) - √x = h/(√(x + h) + √x); divided by h this goes to 1/(2√x), so the "
                     "coefficient is halved:")  # fmt: skip
        claim(think, t.c, OP_DIV, 2)
    elif t.fn == "log":
        moved = "x + h" if t.k == 1 else f"{t.k}(x + h)"
        cancels = "" if t.k == 1 else f" (the {t.k} cancels)"
        think.append(f"{t.text}: log({moved}) - log({_inner(t.k)}) = log(1 + h/x){cancels}, and log(1 + h/x)/h goes "
                     f"to 1/x, so it gives {t.piece}.")  # fmt: skip
    else:
        worked = t.k != 1 or t.fn == "cos"
        ending = ":" if worked else ("." if t.c == 1 else f", so {t.text} gives {t.piece}.")
        think.append(f"{t.text}: {limit_text(t.fn, t.k)}{ending}")
        if worked:
            claim(think, t.c, OP_MUL, -t.k if t.fn == "cos" else t.k)


def _by_table(t: Term, think: list[str]) -> None:
    head = f"{t.text}, c = {_r(t.c)}:"
    if t.fn == "" and t.n == 0:
        think.append(f"The constant {t.text} drops out.")
    elif t.fn == "" and t.n == 1:
        think.append(f"{head} the power 1 leaves the constant {_r(t.c)}.")
    elif t.fn == "":
        think.append(f"{head} times {_r(t.n)}, power {_r(t.n)} - 1:")
        claim(think, t.c, OP_MUL, t.n)
        claim(think, t.n, OP_SUB, 1)
    elif t.fn == "sqrt":
        think.append(f"{head} √x becomes 1/(2√x), so c is halved:")
        claim(think, t.c, OP_DIV, 2)
    elif t.fn == "log":
        if t.k == 1:
            think.append(f"{head} log(x) becomes 1/x, c stays: {t.piece}.")
            return
        think.append(f"{head} log({_inner(t.k)}) becomes 1/({_inner(t.k)}), times {t.k}:")
        product = claim(think, t.c, OP_MUL, t.k)
        claim(think, product, OP_DIV, t.k)
    else:
        became = {"sin": "cos", "cos": "sin", "exp": "exp"}[t.fn]
        factor = -t.k if t.fn == "cos" else t.k
        if factor == 1:
            think.append(f"{head} {t.fn}(x) becomes {became}(x), c stays: {t.piece}.")
            return
        think.append(f"{head} {t.fn}({_inner(t.k)}) becomes {became}({_inner(t.k)}), times {factor}:")
        claim(think, t.c, OP_MUL, factor)


# --- the check: every new term integrated back ----------------------------------------------------------------


def _back(t: Term, think: list[str]) -> None:
    """The new term of ``t`` integrated back to ``t`` (one claim for its coefficient where the rule changed it)."""
    if t.fn == "" and t.n == 0:
        return
    if t.fn == "":
        if t.n == 1:
            think.append(f"{_r(t.c)} integrates back to {t.text}.")
            return
        think.append(f"{_r(t.c * t.n)}·{_power(t.n - 1)}: raise the power by 1 and divide by the new power:")
        back = claim(think, t.c * t.n, OP_DIV, t.n)
    elif t.fn == "sqrt":
        think.append(f"{t.piece} is {_r(t.c / 2)}·x^(-1/2)" + (f"·√{t.k}" if t.k != 1 else "")
                     + ": raise the power by 1 and divide by the new power:")  # fmt: skip
        new = claim(think, -_HALF, "+", 1)
        back = claim(think, t.c / 2, OP_DIV, new)
    elif t.fn == "log":
        think.append(f"{t.piece} integrates to {_r(t.c)}·log(x)"
                     + (f"; log({_inner(t.k)}) is log({t.k}) + log(x), so that is {t.text} up to a constant."
                        if t.k != 1 else f", which is {t.text}."))  # fmt: skip
        return
    else:
        divide = -t.k if t.fn == "cos" else t.k
        new = t.c * divide
        if divide == 1:
            think.append(f"{t.piece} integrates back to {t.text}.")
            return
        into = {"sin": "cos", "cos": "sin", "exp": "exp"}[t.fn]
        antiderivative = {"sin": "sin", "cos": "-cos", "exp": "exp"}[t.fn] + f"({_inner(t.k)})"
        antiderivative += "" if t.k == 1 else (f"/{t.k}" if t.k > 0 else f"/({t.k})")
        think.append(f"The antiderivative of {into}({_inner(t.k)}) is {antiderivative}, so divide {_r(new)} by "
                     f"{divide}:")  # fmt: skip
        back = claim(think, new, OP_DIV, divide)
    if back != t.c:
        raise AssertionError(f"integrating back gave {back}, not {t.c}")


_ROUTES: dict[str, tuple[str, Callable[[Term, list[str]], None], bool]] = {
    "power_rule": ("Go term by term with the rules, highest power first.", _by_rule, True),
    "from_definition": ("From the definition: f'(x) is the limit of (f(x + h) - f(x)) / h as h goes to 0, taken "
                        "term by term, lowest power first.", _by_definition, False),
    "horner": ("Make a table: each term's coefficient c and what the rule does to it.", _by_table, True),
}  # fmt: skip


def _power(n: Fraction) -> str:
    """x to the power ``n`` as prose writes it: ``x``, ``x^3``, ``x^(-1/2)``."""
    if n == 1:
        return "x"
    return f"x^{n}" if n.denominator == 1 and n > 0 else f"x^({_r(n)})"


def elementary_derivative(route: str, opening: str, terms: list[Term], result: str) -> str:
    """The derivative of f (split into ``terms``) by ``route``, checked by integrating every new term back."""
    intro, explain, descending = _ROUTES[route]
    think = [opening, intro]
    powers = sorted((t for t in terms if not t.fn or t.fn == "sqrt"), key=lambda t: t.n, reverse=descending)
    ordered = powers + [t for t in terms if t.fn and t.fn != "sqrt"]
    for t in ordered:
        explain(t, think)
    think.append("Check by integrating each new term back to the term it came from:")
    for t in ordered:
        _back(t, think)
    think.append("Every term of f comes back (a constant aside), so the derivative is right.")
    think.append(f"So the derivative is {result}.")
    return assemble(think, f"The answer is {result}.", result)
