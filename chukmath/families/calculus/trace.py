"""Trace for ``calculus``: derivatives term by term with the named rule, integrals via an antiderivative.

Two paths that write the same text, kept together because they are twins (issue 20): the sympy-free path
(``fast_calculus_trace``, first half of this module) and the sympy path (second half). The fast path explains
polynomial derivatives and integrals, and the integrals of ``c*sin(x)``, ``c*cos(x)``, ``c*exp(x)``,
``P(x)*exp(x)``, ``c/x`` and ``c*sqrt(x)`` at the generator's bounds, with integers and Fractions printed with
``chukmath.families.common.symstr``; a shape is only taken when the expression is exactly sympy's own printing of
it (re-printed and compared), term order follows sympy's internal ``Add.args`` order, and anything else returns
None so the sympy path runs. It pays about 6x on the built-in teacher's calculus traces (bench/twins.py);
tests/test_twin_calculus_trace_fast_sympy.py checks both paths give the same bytes on generated problems.

The sympy path computes every piece (each term's derivative, each factor of a product, each inner function of a
chain); the trace names the rule and states the piece. Coefficient arithmetic (``3 × 4 = 12``, ``4 - 1 = 3``)
and the numeric evaluation of polynomial antiderivatives are written as true claims.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from chukmath.errors import InputError
from chukmath.families.calculus.generator import TRIG_INTEGRALS, exp_antiderivative, exp_product_text, scaled_call
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, num, step
from chukmath.families.common.linear import to_fraction
from chukmath.families.common.sympy_diff import fast_diff
from chukmath.records import Problem
from chukmath.safe_expr import parse_expression, to_sympy

Terms = list[tuple[Fraction, int]]

MAX_POWER = 64  # larger powers go to the sympy path, which has its own size limits
_TERM = re.compile(r"(?:([1-9]\d*)\*)?x(?:\*\*([1-9]\d*))?(?:/([1-9]\d*))?|([1-9]\d*)(?:/([1-9]\d*))?")
_CALL = re.compile(r"(-?)(?:([1-9]\d*)\*)?(sin|cos|sqrt|exp)\(x\)")
_INVERSE = re.compile(r"(-?[1-9]\d*)/x")
_INTEGRAL = re.compile(r"Integral\((.+), \(x, (-?\d+), (-?\d+|pi/[2346]|pi|E|exp\(2\))\)\)")
_SIN_COS_BOUNDS = ("pi/2", "pi", "pi/6", "pi/4", "pi/3")
_LOG_BOUNDS = {"E": 1, "exp(2)": 2}
_SQUARES = {1: 1, 4: 2, 9: 3, 16: 4}


def _show(text: str) -> str:
    return text.replace("**", "^")


def parse_polynomial(text: str) -> Terms | None:
    """``(coefficient, power)`` pairs of ``text`` if it is exactly sympy's printing of a polynomial in x."""
    pieces = re.split(r" ([+-]) ", text)
    first, sign = pieces[0], 1
    if first.startswith("-"):
        first, sign = first[1:], -1
    items = [(sign, first)] + [(1 if pieces[i] == "+" else -1, pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
    terms: Terms = []
    for sg, item in items:
        m = _TERM.fullmatch(item)
        if m is None:
            return None
        if m.group(4) is not None:
            c, n = Fraction(int(m.group(4)), int(m.group(5) or 1)), 0
        else:
            c, n = Fraction(int(m.group(1) or 1), int(m.group(3) or 1)), int(m.group(2) or 1)
        if n > MAX_POWER:
            return None
        terms.append((sg * c, n))
    if len({n for _, n in terms}) != len(terms):
        return None  # a repeated power: sympy would have collected it
    # Re-printing rejects anything sympy would not print this way (order, unreduced fractions, zeros).
    return terms if symstr.polynomial(terms) == text else None


def _number_rank(c: Fraction) -> int:
    # Positions of Half, NegativeOne, Integer and Rational in sympy's ``ordering_of_classes``.
    if c == Fraction(1, 2):
        return 2
    if c == -1:
        return 5
    return 7 if c.denominator == 1 else 8


def args_order(terms: Terms) -> Terms:
    """The terms in sympy's internal ``Add.args`` order (``Basic.compare``): the number, ``x``, the bare
    powers ``x**n``, then products ``c*x**n`` by the class and value of ``c``, then by the power."""

    def key(term: tuple[Fraction, int]) -> tuple[int, ...]:
        c, n = term
        if n == 0:
            return (0,)
        if c == 1:
            return (1,) if n == 1 else (2, n)
        return (3, _number_rank(c), c.numerator, c.denominator, 0 if n == 1 else 1, n)

    return sorted(terms, key=key)


def _derivative(f_text: str, terms: Terms) -> str:
    think = [f"We need to differentiate {_show(f_text)} with respect to x."]
    if len(terms) > 1:
        think.append("The derivative of a sum is the sum of the derivatives, so go term by term.")
    for c, n in args_order(terms):
        term = _show(symstr.monomial(c, n))
        if n == 0:
            think.append(f"{term} is a constant, so its derivative is 0.")
        elif n == 1:
            think.append(f"The derivative of {term} is {symstr.rational(c)} (the derivative of x is 1).")
        else:
            think.append(f"Power rule on {term}: bring the exponent down and lower it by 1.")
            if c != 1:
                think.append(step(c, OP_MUL, Fraction(n))[0])
            think.append(step(Fraction(n), OP_SUB, 1)[0])
            think.append(f"So the derivative of {term} is {_show(symstr.monomial(c * n, n - 1))}.")
    result = symstr.polynomial([(c * n, n - 1) for c, n in terms if n])
    if len(terms) > 1:
        think.append(f"Adding the pieces gives {_show(result)}.")
    back = symstr.polynomial([(c, n) for c, n in terms if n])
    think.append(integrate_back_check(_show(result), _show(back), _show(f_text)))
    think.append(f"So the derivative is {_show(result)}.")
    return assemble(think, f"The answer is {_show(result)}.", _show(result))


def integrate_back_check(result: str, back: str, f: str) -> str:
    """The check line of a derivative; "gives -5*x^2, which is -5*x^2 up to a constant" only says it twice."""
    if back == f:
        return f"Check: integrating {result} term by term gives back {f}."
    return f"Check: integrating {result} term by term gives {back}, which is {f} up to a constant."


def name_antiderivative(previous: str, F: str, f: str, x: str = "x") -> str:
    """The line naming the antiderivative F; it does not repeat what the line before it just said."""
    if previous.endswith(f" is {F} (its derivative gives back {f})."):
        return f"Call it F({x})."
    if previous.endswith((f" is {F}.", f" is {F} (since the derivative of log({x}) is 1/{x}).")):
        return f"Call it F({x}); check: differentiating F gives back {f}."
    return f"So F({x}) is {F}; check: differentiating F gives back {f}."


def _power_rule(c: Fraction, n: Fraction, term: str, piece: str, think: list[str]) -> None:
    think.append(f"Power rule for {term}: raise the exponent by 1 and divide by the new exponent.")
    line, m = step(n, OP_ADD, 1)
    think.append(line)
    think.append(step(c, OP_DIV, m)[0])
    think.append(f"So the antiderivative of {term} is {piece}.")


def evaluate_terms(terms: list[tuple[int, Fraction]], point: Fraction, lines: list[str]) -> Number:
    """``sum(c * point**power)`` over ``(power, c)`` in the given (descending) order, one claim per operation."""
    total: Number | None = None
    for power, c in terms:
        value: Number = 1
        for _ in range(power):
            if value == 1:
                value = point
            else:
                line, value = step(value, OP_MUL, point)
                lines.append(line)
        if c != 1:
            line, value = step(c, OP_MUL, value)
            lines.append(line)
        if total is None:
            total = value
        else:
            line, total = step(total, OP_ADD, value)
            lines.append(line)
    return total if total is not None else 0


def _polynomial_integral(f_text: str, terms: Terms, a: int, b: int) -> str:

    think = [f"We need the integral of {_show(f_text)} with respect to x from {a} to {b}."]
    if len(terms) > 1:
        think.append("Integrate term by term.")
    for c, n in args_order(terms):
        term = _show(symstr.monomial(c, n))
        if n == 0:
            think.append(f"The antiderivative of the constant {term} is {_show(symstr.monomial(c, 1))}.")
        else:
            _power_rule(c, Fraction(n), term, _show(symstr.monomial(c / (n + 1), n + 1)), think)
    antiderivative = [(c / (n + 1), n + 1) for c, n in terms]
    think.append(name_antiderivative(think[-1], _show(symstr.polynomial(antiderivative)), _show(f_text)))
    think.append(f"By the fundamental theorem of calculus the integral is F({b}) - F({a}).")
    descending = sorted(((n, c) for c, n in antiderivative), reverse=True)
    think.append(f"F({b}):")
    upper = evaluate_terms(descending, Fraction(b), think)
    think.append(f"F({a}):")
    lower = evaluate_terms(descending, Fraction(a), think)
    line, value = step(upper, OP_SUB, lower)
    think.append(line)
    result = symstr.rational(Fraction(value))
    think.append(f"So the integral is {result}.")
    return assemble(think, f"The answer is {result}.", result)


def _elementary_integral(f_text: str, a_text: str, b_text: str) -> str | None:
    """Integrals of the generator's elementary integrands at its bounds, or None for anything else."""
    think = [f"We need the integral of {_show(f_text)} with respect to x from {_show(a_text)} to {_show(b_text)}."]
    call = _CALL.fullmatch(f_text)
    inverse = _INVERSE.fullmatch(f_text)
    if call is not None:
        c = int(call.group(2) or 1) * (-1 if call.group(1) else 1)
        fn = call.group(3)
        if scaled_call(c, f"{fn}(x)") != f_text or a_text != "0":
            return None
        if fn in ("sin", "cos"):
            if b_text not in _SIN_COS_BOUNDS:
                return None
            p, q, m = TRIG_INTEGRALS[(fn, b_text)]
            upper_p, upper_q, upper_m = TRIG_INTEGRALS[("cos", b_text)] if fn == "cos" else _NEG_COS[b_text]
            piece = scaled_call(-c, "cos(x)") if fn == "sin" else scaled_call(c, "sin(x)")
            upper = _sqrt_value(c * upper_p, c * upper_q, upper_m)
            lower = str(-c) if fn == "sin" else "0"
            value = _sqrt_value(c * p, c * q, m)
            think.append(f"The antiderivative of {_show(f_text)} is {_show(piece)} (its derivative gives back "
                         f"{_show(f_text)}).")  # fmt: skip
        elif fn == "sqrt":
            if not b_text.isdigit() or int(b_text) not in _SQUARES:
                return None
            coefficient = Fraction(2 * c, 3)
            piece = symstr.scaled(coefficient, "x**(3/2)")
            _power_rule(Fraction(c), Fraction(1, 2), _show(f_text), _show(piece), think)
            upper = symstr.rational(coefficient * _SQUARES[int(b_text)] ** 3)
            lower, value = "0", upper
        else:
            return _exp_integral(f_text, [(Fraction(c), 0)], b_text, think)
    elif inverse is not None:
        c = int(inverse.group(1))
        if a_text != "1" or not (b_text in _LOG_BOUNDS or b_text in ("2", "3")):
            return None
        piece = scaled_call(c, "log(x)")
        think.append(
            f"The antiderivative of {_show(f_text)} is {_show(piece)} (since the derivative of log(x) is 1/x)."
        )
        upper = str(c * _LOG_BOUNDS[b_text]) if b_text in _LOG_BOUNDS else scaled_call(c, f"log({b_text})")
        lower, value = "0", upper
    elif f_text.endswith("*exp(x)") and a_text == "0":
        terms = parse_exp_product(f_text)
        if terms is None:
            return None
        return _exp_integral(f_text, terms, b_text, think)
    else:
        return None
    think.append(name_antiderivative(think[-1], _show(piece), _show(f_text)))
    think.append(f"By the fundamental theorem of calculus the integral is F({_show(b_text)}) - F({_show(a_text)}).")
    think.append(f"F({_show(b_text)}) is {_show(upper)} and F({_show(a_text)}) is {_show(lower)}.")
    think.append(f"Their difference is {_show(value)}.")
    think.append(f"So the integral is {_show(value)}.")
    return assemble(think, f"The answer is {_show(value)}.", _show(value))


# -cos(b) at the named bounds, as (rational part, radical coefficient, radicand): F(b) for sin.
_NEG_COS: dict[str, tuple[Fraction, Fraction, int]] = {
    "pi/2": (Fraction(0), Fraction(0), 1),
    "pi": (Fraction(1), Fraction(0), 1),
    "pi/6": (Fraction(0), Fraction(-1, 2), 3),
    "pi/4": (Fraction(0), Fraction(-1, 2), 2),
    "pi/3": (Fraction(-1, 2), Fraction(0), 1),
}


def _sqrt_value(p: Fraction, q: Fraction, m: int) -> str:
    return symstr.sqrt_sum(p, q, m) if q else symstr.rational(p)


def parse_exp_product(f_text: str) -> Terms | None:
    """P's ``(coefficient, power)`` pairs if ``f_text`` is sympy's printing of P(x)*exp(x) with whole coefficients
    (``(7 - 5*x**3)*exp(x)``, ``7*x**2*exp(x)``, ``7*exp(x)``), else None."""
    if not f_text.endswith("*exp(x)"):
        return None
    head = f_text[: -len("*exp(x)")]
    terms = parse_polynomial(head[1:-1] if head.startswith("(") and head.endswith(")") else head)
    if terms is None or any(c.denominator != 1 for c, _ in terms):
        return None
    return terms if exp_product_text([(int(c), n) for c, n in terms]) == f_text else None


def _exp_integral(f_text: str, terms: Terms, b_text: str, think: list[str]) -> str | None:
    if not b_text.isdigit() or not 1 <= int(b_text) <= 20:
        return None
    b = int(b_text)
    poly = [(int(c), n) for c, n in terms]
    if f_text != exp_product_text(poly):
        return None
    q = exp_antiderivative({n: c for c, n in poly})
    piece = exp_product_text(sorted(((c, n) for n, c in q.items()), key=lambda t: -t[1]))
    think.append(f"The antiderivative of {_show(f_text)} is {_show(piece)} (its derivative gives back "
                 f"{_show(f_text)}).")  # fmt: skip
    q_b = sum(c * b**n for n, c in q.items())
    q_0 = q.get(0, 0)
    upper = symstr.scaled(q_b, symstr.exp_number(b)) if q_b else "0"
    value = symstr.exp_combination(q_b, -q_0, b)
    think.append(name_antiderivative(think[-1], _show(piece), _show(f_text)))
    think.append(f"By the fundamental theorem of calculus the integral is F({b}) - F(0).")
    think.append(f"F({b}) is {_show(upper)} and F(0) is {q_0}.")
    think.append(f"Their difference is {_show(value)}.")
    think.append(f"So the integral is {_show(value)}.")
    return assemble(think, f"The answer is {_show(value)}.", _show(value))


def fast_calculus_trace(expression: str) -> str | None:
    """The trace of a generator-shaped ``Derivative(f, x)`` or ``Integral(f, (x, a, b))``, else None."""
    if expression.startswith("Derivative(") and expression.endswith(", x)"):
        f_text = expression[len("Derivative(") : -len(", x)")]
        terms = parse_polynomial(f_text)
        if terms is None or not any(n for _, n in terms):
            return None
        return _derivative(f_text, terms)
    m = _INTEGRAL.fullmatch(expression)
    if m is None:
        return None
    f_text, a_text, b_text = m.groups()
    terms = parse_polynomial(f_text)
    if terms is not None:
        if not re.fullmatch(r"-?\d+", b_text) or len(a_text) > 12 or len(b_text) > 12:
            return None
        return _polynomial_integral(f_text, terms, int(a_text), int(b_text))
    return _elementary_integral(f_text, a_text, b_text)


# The sympy path: any expression the safe parser accepts.

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


def fraction_of(value: Any) -> Fraction | None:
    """A sympy Rational as a Fraction, else None."""
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
    c = fraction_of(coefficient)
    if not rest.has(x):
        lines.append(f"{show(term)} is a constant, so its derivative is 0.")
        return result
    if rest == x:
        lines.append(f"The derivative of {show(term)} is {show(result)} (the derivative of x is 1).")
        return result
    if rest.is_Pow and rest.base == x and not rest.exp.has(x):
        n = fraction_of(rest.exp)
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
        c = fraction_of(coefficient)
        if c is not None and (rest == x or (rest.is_Pow and rest.base == x and fraction_of(rest.exp) is not None)):
            n = Fraction(1) if rest == x else fraction_of(rest.exp)
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
    ra, rb = fraction_of(a), fraction_of(b)
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
