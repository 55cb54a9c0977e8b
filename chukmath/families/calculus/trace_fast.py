"""The calculus trace without sympy for the shapes the ``calculus`` generator writes.

Polynomial derivatives and integrals, and the integrals of ``c*sin(x)``, ``c*cos(x)``, ``c*exp(x)``,
``P(x)*exp(x)``, ``c/x`` and ``c*sqrt(x)`` at the generator's bounds, are explained with integers and
Fractions and printed with ``chukmath.families.common.symstr``. The text is byte for byte what the sympy path in
``trace.py`` writes: a shape is only taken when the expression is exactly sympy's own printing of it
(re-printed and compared), term order follows sympy's internal ``Add.args`` order, and anything else
returns None so the caller uses the sympy path.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chukmath.families.calculus.generator import TRIG_INTEGRALS, exp_antiderivative, exp_product_text, scaled_call
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, assemble, step

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
        head = f_text[: -len("*exp(x)")]
        terms = parse_polynomial(head[1:-1] if head.startswith("(") and head.endswith(")") else head)
        if terms is None or any(c.denominator != 1 for c, _ in terms):
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
