"""Trace for ``calculus``: derivatives term by term with the named rule, integrals via an antiderivative.

Generator-shaped polynomials and integrals take the sympy-free path in ``calculus_fast`` (same text);
otherwise sympy computes every piece (each term's derivative, each factor of a product, each inner function of a
chain); the trace names the rule and states the piece. Coefficient arithmetic (``3 × 4 = 12``,
``4 - 1 = 3``) and the numeric evaluation of polynomial antiderivatives are written as true claims.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from functools import lru_cache
from typing import Any

from chukmath.errors import InputError
from chukmath.families.calculus.trace_fast import (
    evaluate_terms,
    fast_calculus_trace,
    integrate_back_check,
    name_antiderivative,
)
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, num, step
from chukmath.families.common.linear import to_fraction
from chukmath.families.common.sympy_diff import fast_diff
from chukmath.records import Problem
from chukmath.safe_expr import parse_expression, to_sympy

_KNOWN = {"sin": "cos", "cos": "-sin", "exp": "exp", "log": "1/u", "tan": "1 + tan^2"}


@lru_cache(maxsize=2048)
def show(expr: Any) -> str:
    """Sympy text with ``^`` for powers, for prose (cached: a trace prints the same pieces several times)."""
    return str(expr).replace("**", "^")


def _same(a: Any, b: Any) -> bool:
    """Exact equality of two expressions: cheap expansion first, ``simplify`` only when that is inconclusive."""
    import sympy

    if a == b:  # structural equality: the usual case, and far cheaper than expanding the difference
        return True
    difference = sympy.expand(a - b)
    return difference == 0 or sympy.simplify(difference) == 0


def _rational(value: Any) -> Fraction | None:
    return Fraction(int(value.p), int(value.q)) if getattr(value, "is_Rational", False) else None


def _polynomial_steps(name: str, f: Any, x: Any, lines: list[str]) -> None:
    """The power-rule claims for the derivative of a polynomial part (u, v or an inner function) of a product
    or chain rule; a part that is not a polynomial of degree >= 2 or a sum is stated without steps."""
    if not f.is_polynomial(x) or f == x or not f.has(x):
        return
    import sympy

    if len(sympy.Add.make_args(f)) == 1 and sympy.degree(f, x) < 2:
        return
    lines.append(f"First differentiate {name} = {show(f)}:")
    _differentiate(f, x, lines)


def _derivative_of_term(term: Any, x: Any, lines: list[str]) -> Any:
    """Explain and return d/dx of one term (a numeric coefficient times a product of factors)."""
    import sympy

    result = fast_diff(term, x)
    coefficient, rest = term.as_coeff_Mul()
    c = _rational(coefficient)
    if not rest.has(x):
        lines.append(f"{show(term)} is a constant, so its derivative is 0.")
        return result
    if rest == x:
        lines.append(f"The derivative of {show(term)} is {show(result)} (the derivative of x is 1).")
        return result
    if rest.is_Pow and rest.base == x and not rest.exp.has(x):
        n = _rational(rest.exp)
        lines.append(f"Power rule on {show(term)}: bring the exponent down and lower it by 1.")
        if n is not None and c is not None:
            if c != 1:
                lines.append(step(c, OP_MUL, n)[0])
            lines.append(step(n, OP_SUB, 1)[0])
        lines.append(f"So the derivative of {show(term)} is {show(result)}.")
        return result
    factors = sympy.Mul.make_args(rest)
    if len(factors) > 1:
        u = factors[0]
        v = sympy.Mul(*factors[1:])
        du, dv = fast_diff(u, x), fast_diff(v, x)
        lines.append(f"Product rule on {show(rest)} with u = {show(u)} and v = {show(v)}: (uv)' is u'v + uv'.")
        _polynomial_steps("u", u, x, lines)
        _polynomial_steps("v", v, x, lines)
        lines.append(f"u' is {show(du)} and v' is {show(dv)}.")
        if c is not None and c != 1:
            lines.append(f"Multiply by the constant factor {num(c)}.")
        lines.append(f"So the derivative of {show(term)} is {show(result)}.")
        return result
    if isinstance(rest, sympy.Function) and len(rest.args) == 1:
        inner = rest.args[0]
        if isinstance(rest, (sympy.sin, sympy.cos, sympy.exp, sympy.log)):
            outer = rest.fdiff(1)  # what diff(f(u), u) at u = inner gives, without the substitution
        else:
            outer = sympy.diff(rest.func(sympy.Symbol("u")), sympy.Symbol("u")).subs(sympy.Symbol("u"), inner)
        if inner == x:
            lines.append(f"The derivative of {show(rest)} is {show(fast_diff(rest, x))} (a standard derivative).")
        else:
            _polynomial_steps("the inner function u", inner, x, lines)
            lines.append(
                f"Chain rule on {show(rest)}: the outer derivative at u = {show(inner)} is {show(outer)}, "
                f"times the inner derivative {show(fast_diff(inner, x))}."
            )
        if c is not None and c != 1:
            lines.append(f"Multiply by the constant factor {num(c)}.")
        lines.append(f"So the derivative of {show(term)} is {show(result)}.")
        return result
    if rest.is_Pow and rest.base.has(x) and not rest.exp.has(x):
        inner = rest.base
        lines.append(
            f"Chain rule on {show(rest)}: {show(rest.exp)} times {show(inner)} to the power {show(rest.exp - 1)}, "
            f"times the inner derivative {show(fast_diff(inner, x))}."
        )
        lines.append(f"So the derivative of {show(term)} is {show(result)}.")
        return result
    lines.append(f"The derivative of {show(term)} is {show(result)}.")
    return result


def _differentiate(f: Any, x: Any, lines: list[str]) -> Any:
    import sympy

    terms = sympy.Add.make_args(f)
    if len(terms) > 1:
        lines.append("The derivative of a sum is the sum of the derivatives, so go term by term.")
    pieces = [_derivative_of_term(term, x, lines) for term in terms]
    total = sympy.Add(*pieces)
    if len(terms) > 1:
        lines.append(f"Adding the pieces gives {show(total)}.")
    return total


def _derivative_orders(derivative: Any) -> tuple[Any, Any, int]:
    variables = derivative.variable_count
    if len(variables) != 1:
        raise InputError(f"mixed partial derivatives are not explained by the built-in teacher: {derivative}")
    x, order = variables[0]
    return derivative.expr, x, int(order)


def derivative_trace(problem: Problem, derivative: Any) -> str:
    """Differentiate term by term (repeatedly for higher orders) and check polynomials by integrating back."""
    import sympy

    f, x, order = _derivative_orders(derivative)
    think = [
        f"We need the derivative of order {order} of {show(f)} with respect to {x}."
        if order > 1
        else f"We need to differentiate {show(f)} with respect to {x}."
    ]
    current = f
    for k in range(order):
        if order > 1:
            think.append(f"Derivative number {k + 1}, of {show(current)}:")
        current = _differentiate(current, x, think)
    result = fast_diff(f, x) if order == 1 else derivative.doit()
    if not _same(current, result):
        raise AssertionError(f"problem {problem.id}: term-by-term derivative {current} differs from {result}")
    if order == 1 and f.is_polynomial(x):
        back = sympy.Poly(result, x).integrate().as_expr()
        if sympy.expand(back - f).has(x):
            raise AssertionError(f"problem {problem.id}: integrating back does not recover {f}")
        think.append(integrate_back_check(show(result), show(back), show(f)))
    if think[-1] != f"So the derivative of {show(f)} is {show(result)}.":  # not said twice in a row
        think.append(f"So the derivative is {show(result)}.")
    return assemble(think, f"The answer is {show(result)}.", show(result))


def _antiderivative(f: Any, x: Any, lines: list[str]) -> Any:
    """Antiderivative term by term: the power rule with claims for ``c x^n``, sympy for other terms."""
    import sympy

    pieces = []
    terms = sympy.Add.make_args(sympy.expand(f)) if f.is_polynomial(x) else sympy.Add.make_args(f)
    if len(terms) > 1:
        lines.append("Integrate term by term.")
    for term in terms:
        coefficient, rest = term.as_coeff_Mul()
        c = _rational(coefficient)
        if c is not None and (rest == x or (rest.is_Pow and rest.base == x and _rational(rest.exp) is not None)):
            n = Fraction(1) if rest == x else _rational(rest.exp)
            assert n is not None
            # The power rule directly: sympy.integrate finds the same piece far more slowly.
            m_sym = sympy.Rational((n + 1).numerator, (n + 1).denominator)
            piece = coefficient * sympy.log(x) if n == -1 else coefficient / m_sym * x**m_sym
            if n == -1:
                lines.append(
                    f"The antiderivative of {show(term)} is {show(piece)} (since the derivative of log(x) is 1/x)."
                )
            else:
                lines.append(f"Power rule for {show(term)}: raise the exponent by 1 and divide by the new exponent.")
                line, m = step(n, OP_ADD, 1)
                lines.append(line)
                lines.append(step(c, OP_DIV, m)[0])
                lines.append(f"So the antiderivative of {show(term)} is {show(piece)}.")
        elif not term.has(x):
            piece = term * x
            lines.append(f"The antiderivative of the constant {show(term)} is {show(piece)}.")
        else:
            piece = sympy.integrate(term, x)
            if piece.has(sympy.Integral):
                raise InputError(f"no elementary antiderivative of {term} for the built-in teacher to explain")
            lines.append(
                f"The antiderivative of {show(term)} is {show(piece)} (its derivative gives back {show(term)})."
            )
        pieces.append(piece)
    return sympy.Add(*pieces)


def _evaluate_polynomial(F: Any, x: Any, point: Fraction, lines: list[str]) -> Number:
    """``F(point)`` for a polynomial with rational coefficients, one claim per operation."""
    import sympy

    poly = sympy.Poly(F, x)
    terms = [(power, to_fraction(c, "antiderivative")) for (power,), c in sorted(poly.terms(), reverse=True)]
    return evaluate_terms(terms, point, lines)


def integral_trace(problem: Problem, integral: Any) -> str:
    """Find an antiderivative term by term; for a definite integral evaluate F(b) - F(a) with true claims."""
    import sympy

    if len(integral.limits) != 1:
        raise InputError(f"problem {problem.id}: multiple integrals are not explained by the built-in teacher")
    limit = integral.limits[0]
    f, x = integral.function, limit[0]
    think: list[str] = []
    if len(limit) == 3:
        a, b = limit[1], limit[2]
        think.append(f"We need the integral of {show(f)} with respect to {x} from {show(a)} to {show(b)}.")
    else:
        think.append(f"We need an antiderivative of {show(f)} with respect to {x}.")
    F = _antiderivative(f, x, think)
    if not _same(fast_diff(F, x), f):
        raise AssertionError(f"problem {problem.id}: antiderivative {F} does not differentiate back to {f}")
    think.append(name_antiderivative(think[-1], show(F), show(f), str(x)))
    if len(limit) != 3:
        result = F
        think.append("Any constant C can be added; the answer gives the antiderivative with C = 0.")
        think.append(f"So the antiderivative is {show(result)}.")
        return assemble(think, f"The answer is {show(result)}.", show(result))
    if _singular_between(f, x, a, b):
        raise InputError(f"problem {problem.id}: {f} is undefined between {a} and {b} (improper integral)")
    think.append(f"By the fundamental theorem of calculus the integral is F({show(b)}) - F({show(a)}).")
    ra, rb = _rational(a), _rational(b)
    if F.is_polynomial(x) and ra is not None and rb is not None and _rational_coefficients(F, x):
        think.append(f"F({show(b)}):")
        upper = _evaluate_polynomial(F, x, rb, think)
        think.append(f"F({show(a)}):")
        lower = _evaluate_polynomial(F, x, ra, think)
        line, value = step(upper, OP_SUB, lower)
        think.append(line)
        result = sympy.Rational(Fraction(value).numerator, Fraction(value).denominator)
    else:
        upper, lower = F.subs(x, b), F.subs(x, a)
        result = upper - lower
        if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise InputError(f"problem {problem.id}: the antiderivative is undefined at a limit (improper integral)")
        think.append(f"F({show(b)}) is {show(upper)} and F({show(a)}) is {show(lower)}.")
        think.append(f"Their difference is {show(result)}.")
    think.append(f"So the integral is {show(result)}.")
    return assemble(think, f"The answer is {show(result)}.", show(result))


def _singular_between(f: Any, x: Any, a: Any, b: Any) -> bool:
    """True when 0 lies in [a, b] and f has x to a negative power or log(x): FTC would not apply there."""
    import sympy

    low, high = sorted((float(a), float(b)))
    if not low <= 0 <= high:
        return False
    negative_power = any(p.base == x and p.exp.is_negative for p in f.atoms(sympy.Pow))
    return negative_power or any(g.args[0] == x for g in f.atoms(sympy.log))


def _rational_coefficients(F: Any, x: Any) -> bool:
    import sympy

    return all(c.is_Rational for c in sympy.Poly(F, x).coeffs())


def calculus_trace(problem: Problem) -> str:
    """Dispatch on ``Derivative(...)`` or ``Integral(...)``."""
    import sympy

    where = f"problem {problem.id}"
    parsed_tree = parse_expression(problem.expression, where)  # validates before any fast path reads the text
    fast = fast_calculus_trace(problem.expression) if isinstance(parsed_tree, ast.Call) else None
    if fast is not None:
        return fast
    parsed = to_sympy(problem.expression, where)
    if isinstance(parsed, sympy.Derivative):
        return derivative_trace(problem, parsed)
    if isinstance(parsed, sympy.Integral):
        return integral_trace(problem, parsed)
    raise InputError(f"{where}: expected Derivative(...) or Integral(...), got {problem.expression!r}")
