"""Three routes for the polynomial questions of ``calculus`` (a derivative of a polynomial, a definite integral of
one between whole-number bounds), for ∫ c·sqrt(x) from 0 to a square (the power rule with x^(3/2) as x·√x or as
(√x)^3, or the substitution u = √x, each checked by the other way) and for ∫ c/x from 1 to e or e^2 (the
antiderivative c·log(x) at each end, the constant taken out first, or the substitution u = log(x), each checked by
another). Derivatives of sums with sin, cos, exp, log and sqrt terms are in ``elementary``, of products and
compositions in ``products``; integrals of c·sin, c·cos and P(x)·exp(x) in ``elementary_integrals``. ∫ c/x from 1
to 2 or 3 (the value c·log(2) has no number to claim) is checked by the bounds of 1/x: log(b) lies between
(b - 1)/b and b - 1.

- ``power_rule``: the power rule term by term from the highest power; a derivative is checked by integrating each
  new term back (a claim per coefficient), an integral by adding up each term's own definite integral;
- ``from_definition``: a derivative from the first-order term of the binomial expansion of (x + h)^n, checked by
  the value at x = 1 worked out from f and from the result; an integral term by term (each term's own F(b) - F(a)),
  checked with the antiderivative's F(b) - F(a);
- ``horner``: a derivative through a table of exponents and coefficients, checked by integrating back; an integral
  with F evaluated by Horner's rule (multiply by x, add the next coefficient), checked term by term.

Each check uses the result's numbers in its claims, so a wrong result makes a false claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from math import isqrt

from chukmath.families.calculus.claims import at_zero, horner_value, power_rule_term
from chukmath.families.calculus.claims import claim as _claim
from chukmath.families.calculus.elementary import elementary_derivative, split
from chukmath.families.calculus.elementary_integrals import exp_integral, trig_integral
from chukmath.families.calculus.generator import scaled_call
from chukmath.families.calculus.products import parts, product_or_chain
from chukmath.families.calculus.trace import parse_polynomial
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, step
from chukmath.families.common.sympy_diff import fast_diff
from chukmath.families.common.worked import pick
from chukmath.families.contract import lazy
from chukmath.records import Problem

# A definite integral between whole-number bounds of at most 6 characters (the generator's shape).
_INTEGRAL = re.compile(r"Integral\((.+), \(x, (-?\d{1,6}), (-?\d{1,6})\)\)")
# c*sqrt(x) from 0 to a perfect square (the generator's shape).
_SQRT_INTEGRAL = re.compile(r"Integral\((-?)(?:([1-9]\d{0,5})\*)?sqrt\(x\), \(x, 0, (1|4|9|16|25|36|49|64|81|100)\)\)")

Terms = list[tuple[Fraction, int]]


def _show(text: str) -> str:
    return text.replace("**", "^")


def _mono(c: Fraction, n: int) -> str:
    return _show(symstr.monomial(c, n))


# --- derivatives ---------------------------------------------------------------------------------------------


def _integrate_back(think: list[str], terms: Terms) -> None:
    think.append("Check by integrating each new term back: divide its coefficient by the power it came from.")
    for c, n in terms:
        if n == 0:
            continue
        back = _claim(think, c * n, OP_DIV, n)
        if back != c:
            raise AssertionError(f"integrating back gave {back}, not {c}")
    think.append("Every coefficient of the original comes back, so the derivative is right.")


def _derivative_power_rule(terms: Terms, think: list[str]) -> None:
    for c, n in sorted(terms, key=lambda t: -t[1]):
        power_rule_term(think, _mono(c, n), c, n)
    _integrate_back(think, terms)


def _derivative_definition(terms: Terms, think: list[str]) -> None:
    think.append("From the definition: f'(x) is the limit of (f(x + h) - f(x)) / h as h goes to 0.")
    think.append("In (x + h)^n the terms with exactly one h add up to n·x^(n-1)·h; the terms with h^2 or more vanish "
                 "after dividing by h and letting h go to 0.")  # fmt: skip
    for c, n in sorted(terms, key=lambda t: t[1]):
        if n == 0:
            think.append(f"The constant {_mono(c, 0)} cancels in f(x + h) - f(x).")
        elif n == 1:
            think.append(f"{_mono(c, 1)} changes by {symstr.rational(c)}·h, so it gives {symstr.rational(c)}.")
        else:
            think.append(f"{_mono(c, n)} gives {symstr.rational(c)} × {n} times x^{n - 1}:")
            _claim(think, c, OP_MUL, n)
    _value_at_one(terms, think)


def _value_at_one(terms: Terms, think: list[str]) -> None:
    """f'(1) two ways: adding the result's coefficients, and adding exponent × coefficient of f; their difference 0."""
    think.append("Check at x = 1, where every power of x is 1: add the coefficients of the result,")
    result = [c * n for c, n in sorted(terms, key=lambda t: -t[1]) if n]
    total = result[0]
    for c in result[1:]:
        total = _claim(think, total, OP_ADD, c)
    think.append("and separately add exponent × coefficient over the terms of f:")
    again: Fraction | None = None
    for c, n in sorted(terms, key=lambda t: -t[1]):
        if not n:
            continue
        product = _claim(think, n, OP_MUL, c)
        again = product if again is None else _claim(think, again, OP_ADD, product)
    assert again is not None
    difference = _claim(think, total, OP_SUB, again)
    if difference != 0:
        raise AssertionError("the value at 1 differs")
    think.append("The difference is 0, so both give the same slope at x = 1.")


def _derivative_table(terms: Terms, think: list[str]) -> None:
    ordered = sorted((t for t in terms if t[1]), key=lambda t: -t[1])
    think.append("Make a table: for each power n with coefficient c, the new term is (c × n)·x^(n-1).")
    for c, n in ordered:
        think.append(f"n = {n}, c = {symstr.rational(c)}:")
        if n != 1 and c != 1:
            _claim(think, c, OP_MUL, n)
        elif n == 1:
            think.append(f"the power 1 leaves the constant {symstr.rational(c)}.")
        else:
            think.append(f"the coefficient 1 times {n} is {n}.")
    if any(n == 0 for _, n in terms):
        think.append("The constant term drops out.")
    _integrate_back(think, terms)


_DERIVATIVES: dict[str, Callable[[Terms, list[str]], None]] = {
    "power_rule": _derivative_power_rule,
    "from_definition": _derivative_definition,
    "horner": _derivative_table,
}


# --- definite integrals --------------------------------------------------------------------------------------


def _power(think: list[str], point: Fraction, n: int) -> Fraction:
    if point in (0, 1):
        return point  # 0 and 1 to any positive power are themselves
    value = point
    for _ in range(n - 1):
        value = _claim(think, value, OP_MUL, point)
    return value


def _antiderivative(terms: Terms, think: list[str]) -> Terms:
    """F's terms, highest power first, one claim for each new exponent and coefficient."""
    big_f: Terms = []
    for c, n in sorted(terms, key=lambda t: -t[1]):
        think.append(f"{_mono(c, n)} integrates to {_mono(c / (n + 1), n + 1)}:")
        _claim(think, n, OP_ADD, 1)
        if c / (n + 1) != c:
            _claim(think, c, OP_DIV, n + 1)
        big_f.append((c / (n + 1), n + 1))
    think.append(f"So F(x) = {_show(symstr.polynomial(big_f))}.")
    return big_f


def _evaluate(big_f: Terms, point: Fraction, think: list[str]) -> Fraction:
    if point == 0:
        return at_zero(think)
    total: Fraction | None = None
    for c, n in big_f:
        value = _power(think, point, n) if n > 1 else point
        if c != 1:
            value = _claim(think, c, OP_MUL, value)
        total = value if total is None else _claim(think, total, OP_ADD, value)
    return total if total is not None else Fraction(0)


def _difference(think: list[str], upper: Fraction, lower: Fraction, a: int, b: int) -> Fraction:
    think.append(f"The integral is F({b}) - F({a}):")
    return _claim(think, upper, OP_SUB, lower)


def _term_by_term(terms: Terms, a: int, b: int, think: list[str]) -> Fraction:
    """Each term's own definite integral c/(n+1) × (b^(n+1) - a^(n+1)), then their sum (the last claim)."""
    total: Fraction | None = None
    for c, n in sorted(terms, key=lambda t: -t[1]):
        low_text, high_text = (f"({v})" if v < 0 else str(v) for v in (a, b))
        think.append(f"{_mono(c, n)} from {a} to {b}: {symstr.rational(c / (n + 1))} times "
                     f"{high_text}^{n + 1} - {low_text}^{n + 1}")
        high = _power(think, Fraction(b), n + 1)
        low = _power(think, Fraction(a), n + 1)
        gap = _claim(think, high, OP_SUB, low)
        piece = _claim(think, c / (n + 1), OP_MUL, gap) if c / (n + 1) != 1 else gap
        total = piece if total is None else _claim(think, total, OP_ADD, piece)
    return total if total is not None else Fraction(0)


def _integral(route: str, terms: Terms, a: int, b: int, think: list[str]) -> Fraction:
    if route == "from_definition":
        think.append("Integrate each term over the interval on its own, then add the pieces.")
        value = _term_by_term(terms, a, b, think)
        think.append("Check with the antiderivative of the whole polynomial:")
        big_f = _antiderivative(terms, think)
        think.append(f"F({b}):")
        upper = _evaluate(big_f, Fraction(b), think)
        think.append(f"F({a}):")
        lower = _evaluate(big_f, Fraction(a), think)
        again = _difference(think, upper, lower, a, b)
    else:
        big_f = _antiderivative(terms, think)
        evaluate = horner_value if route == "horner" else _evaluate
        if route == "horner":
            think.append("Evaluate F by Horner's rule: multiply by x, then add the next coefficient.")
        think.append(f"F({b}):")
        upper = evaluate(big_f, Fraction(b), think)
        think.append(f"F({a}):")
        lower = evaluate(big_f, Fraction(a), think)
        value = _difference(think, upper, lower, a, b)
        think.append("Check by integrating each term over the interval on its own and adding the pieces:")
        again = _term_by_term(terms, a, b, think)
    if again != value:
        raise AssertionError(f"the two ways give {value} and {again}")
    think.append(f"Both ways give {symstr.rational(value)}.")
    return value


def _sqrt_by_power_rule(c: Fraction, b: int, think: list[str], cube_first: bool) -> Fraction:
    """∫ c·x^(1/2) dx = (2c/3)·x^(3/2), with x^(3/2) = x·√x (or (√x)^3 when ``cube_first``) at x = b."""
    think.append("Write sqrt(x) as x^(1/2) and use the power rule: raise the exponent by 1, divide by the new one.")
    new = _claim(think, Fraction(1, 2), OP_ADD, 1)
    k = _claim(think, c, OP_DIV, new)
    root = Fraction(isqrt(b))
    think.append(f"F(x) = {symstr.rational(k)}·x^(3/2). F(0) is 0, and at x = {b}, √{b} is {root}:")
    _claim(think, root, OP_MUL, root)
    if cube_first:
        think.append("x^(3/2) is (√x)^3:")
        power = _claim(think, _claim(think, root, OP_MUL, root), OP_MUL, root)
    else:
        think.append("x^(3/2) is x × √x:")
        power = _claim(think, Fraction(b), OP_MUL, root)
    return _claim(think, k, OP_MUL, power)


def _sqrt_by_substitution(c: Fraction, b: int, think: list[str]) -> Fraction:
    """u = √x: x = u², dx = 2u du, so ∫ c·√x dx from 0 to b is ∫ 2c·u² du from 0 to √b = (2c/3)·(√b)^3."""
    root = Fraction(isqrt(b))
    think.append(f"Substitute u = √x, so x = u^2 and dx = 2u du; x from 0 to {b} is u from 0 to {root}:")
    _claim(think, root, OP_MUL, root)
    think.append(f"The integrand {symstr.rational(c)}·√x dx becomes {symstr.rational(c)}·u·2u du:")
    two_c = _claim(think, 2, OP_MUL, c)
    think.append(f"The antiderivative of {symstr.rational(two_c)}·u^2 is {symstr.rational(two_c)}·u^3 / 3:")
    cube = _claim(think, _claim(think, root, OP_MUL, root), OP_MUL, root)
    top = _claim(think, two_c, OP_MUL, cube)
    return _claim(think, top, OP_DIV, 3)


def _both_ways(think: list[str], value: Fraction, again: Fraction) -> str:
    """The ending of an integral worked one way and checked another: both values said, then the answer."""
    if again != value:
        raise AssertionError(f"the two ways give {value} and {again}")
    result = symstr.rational(value)
    think.append(f"Both ways give {result}.")
    think.append(f"So the integral is {result}.")
    return assemble(think, f"The answer is {result}.", result)


def _sqrt_integral(route: str, match: re.Match[str]) -> str:
    sign, coefficient, bound = match.groups()
    c = Fraction(int(coefficient or 1)) * (-1 if sign else 1)
    b = int(bound)
    f_text = f"{sign}{coefficient + '*' if coefficient else ''}sqrt(x)"
    think = [f"We need the integral of {f_text} from 0 to {b}."]
    if route == "from_definition":
        value = _sqrt_by_substitution(c, b, think)
        think.append("Check with the power rule:")
        again = _sqrt_by_power_rule(c, b, think, cube_first=False)
    else:
        value = _sqrt_by_power_rule(c, b, think, cube_first=route == "horner")
        think.append("Check by substituting u = √x:")
        again = _sqrt_by_substitution(c, b, think)
    return _both_ways(think, value, again)


# c/x from 1 to e or e^2 (a whole-number value), or to 2 or 3 (the value c·log(2) or c·log(3), checked by bounds).
_LOG_INTEGRAL = re.compile(r"Integral\((-?[1-9]\d{0,5})/x, \(x, 1, (E|exp\(2\)|2|3)\)\)")
# log(2) and log(3) to three decimals, for the estimate that checks c·log(b) against the bounds of 1/x.
_LOG_ABOUT = {2: "0.693", 3: "1.099"}


def _log_by_antiderivative(c: Fraction, k: int, bound: str, think: list[str]) -> Fraction:
    """F(x) = c·log(x): F(e^k) = c × k, since log undoes exp, and F(1) = c × 0, since e^0 = 1."""
    think.append(f"The antiderivative of {symstr.rational(c)}/x is {symstr.rational(c)}·log(x), since the derivative "
                 "of log(x) is 1/x.")  # fmt: skip
    think.append(f"F({bound}): log undoes exp, so log({bound}) is {k}:")
    upper = _claim(think, c, OP_MUL, k)
    think.append("F(1): e^0 = 1, so log(1) is 0:")
    lower = _claim(think, c, OP_MUL, 0)
    think.append(f"The integral is F({bound}) - F(1):")
    return _claim(think, upper, OP_SUB, lower)


def _log_by_substitution(c: Fraction, k: int, bound: str, think: list[str]) -> Fraction:
    """u = log(x): du = dx/x, so ∫ c/x dx from 1 to e^k is ∫ c du from 0 to k = c × (k - 0)."""
    think.append(f"Substitute u = log(x), so du = dx/x; x = 1 gives u = 0 and x = {bound} gives u = {k}.")
    think.append(f"The integral becomes the integral of {symstr.rational(c)} du from 0 to {k}: "
                 f"{symstr.rational(c)} times the length of the interval.")  # fmt: skip
    length = _claim(think, k, OP_SUB, 0)
    return _claim(think, c, OP_MUL, length)


def _log_factored(c: Fraction, k: int, bound: str, think: list[str]) -> Fraction:
    """F(e^k) - F(1) with the constant taken out first: c × (log(e^k) - log(1)) = c × (k - 0)."""
    think.append(f"The antiderivative of 1/x is log(x), so the integral is {symstr.rational(c)} times "
                 f"log({bound}) - log(1).")  # fmt: skip
    think.append(f"log undoes exp, so log({bound}) is {k}; and e^0 = 1, so log(1) is 0:")
    difference = _claim(think, k, OP_SUB, 0)
    return _claim(think, c, OP_MUL, difference)


def _log_at_ends(c: Fraction, b: int, think: list[str]) -> None:
    think.append(f"The antiderivative of {symstr.rational(c)}/x is {symstr.rational(c)}·log(x), since the derivative "
                 f"of log(x) is 1/x. F({b}) is {symstr.rational(c)}·log({b}), which stays as it is; F(1): log(1) is "
                 "0:")  # fmt: skip
    _claim(think, c, OP_MUL, 0)


def _log_by_bounds(c: Fraction, b: int, think: list[str]) -> None:
    """log(b) lies between (b - 1)/b and b - 1 (1/x lies between 1/b and 1 on [1, b]), and so does its value."""
    think.append(f"On [1, {b}], 1/x lies between 1/{b} and 1, and the interval's length is")
    length = _claim(think, b, OP_SUB, 1)
    think.append(f"so log({b}) lies between {symstr.rational(length)}/{b} and {symstr.rational(length)}:")
    low = _claim(think, length, OP_DIV, b)
    about = _LOG_ABOUT[b]
    think.append(f"log({b}) is about {about}: {about} is more than {symstr.rational(low)}, and {about} is less than "
                 f"{symstr.rational(length)}. So the integral is about")  # fmt: skip
    think.append(step(c, OP_MUL, Fraction(about), "decimal")[0])


def _log_named_integral(route: str, c: Fraction, b: int) -> str:
    """∫ c/x from 1 to 2 or 3: the value c·log(b) by F at each end, u = log(x) or the constant taken out, checked
    by F(1) = 0 or by the bounds of 1/x on [1, b]."""
    value = scaled_call(int(c), f"log({b})")
    think = [f"We need the integral of {symstr.rational(c)}/x from 1 to {b}."]
    if route == "from_definition":
        think.append(f"Substitute u = log(x), so du = dx/x; x = 1 gives u = 0 (log(1) is 0) and x = {b} gives u = "
                     f"log({b}). The integral of {symstr.rational(c)} du from 0 to log({b}) is "
                     f"{symstr.rational(c)}·(log({b}) - 0) = {value}.")  # fmt: skip
        think.append("Check with F(x) at each end:")
        _log_at_ends(c, b, think)
    else:
        if route == "power_rule":
            _log_at_ends(c, b, think)
        else:
            think.append(f"Take {symstr.rational(c)} out: the integral of 1/x from 1 to {b} is log({b}) - log(1), "
                         f"and log(1) is 0, so it is log({b}).")  # fmt: skip
        think.append("Check with the bounds of 1/x:")
        _log_by_bounds(c, b, think)
    think.append(f"So the integral is {value}.")
    return assemble(think, f"The answer is {value}.", value)


def _log_integral(route: str, match: re.Match[str]) -> str:
    c, bound = Fraction(int(match.group(1))), match.group(2)
    if bound in ("2", "3"):
        return _log_named_integral(route, c, int(bound))
    k = 1 if bound == "E" else 2
    think = [f"We need the integral of {match.group(1)}/x from 1 to {bound}."]
    if route == "power_rule":
        value = _log_by_antiderivative(c, k, bound, think)
        think.append("Check by substituting u = log(x):")
        again = _log_by_substitution(c, k, bound, think)
    else:
        first = _log_by_substitution if route == "from_definition" else _log_factored
        value = first(c, k, bound, think)
        think.append(f"Check with F(x) = {symstr.rational(c)}·log(x) at each end:")
        again = _log_by_antiderivative(c, k, bound, think)
    return _both_ways(think, value, again)


def _elementary(route: str, problem: Problem, form: str) -> str | None:
    """A sum of powers and calls of k·x (``elementary``), a product or a composition (``products``) by ``route``."""
    import sympy

    from chukmath.safe_expr import to_sympy

    parsed = to_sympy(problem.expression, f"problem {problem.id}")
    if not isinstance(parsed, sympy.Derivative) or parsed.variable_count != ((parsed.variables[0], 1),):
        return None
    x = parsed.variables[0]
    terms = split(parsed.expr, x)
    shape = parts(parsed.expr, x) if terms is None else None
    if terms is None and shape is None:
        return None
    result = str(fast_diff(parsed.expr, x)).replace("**", "^")
    opening = form.format(f=_show(str(parsed.expr)))
    if shape is not None:
        return product_or_chain(route, opening, shape, result)
    assert terms is not None
    return elementary_derivative(route, opening, terms, result)


def calculus_route(route: str, classic: Callable[[Problem], str]) -> Callable[[Problem], str]:
    """The trace of a polynomial derivative or integral by ``route``; other shapes use ``classic``."""

    def trace(problem: Problem) -> str:
        expression = problem.expression
        if expression.startswith("Derivative(") and expression.endswith(", x)"):
            f_text = expression[len("Derivative(") : -len(", x)")]
            terms = parse_polynomial(f_text)
            form = pick(problem.id, "opening", ("We need the derivative of {f} with respect to x.",
                                                "Differentiate {f} with respect to x.", "Find the derivative of {f}."))
            if terms is None:
                return _elementary(route, problem, form) or classic(problem)
            if not any(n for _, n in terms):
                return classic(problem)
            think = [form.format(f=_show(f_text))]
            _DERIVATIVES[route](terms, think)
            result = _show(symstr.polynomial([(c * n, n - 1) for c, n in terms if n]))
            think.append(f"So the derivative is {result}.")
            return assemble(think, f"The answer is {result}.", result)
        root_match = _SQRT_INTEGRAL.fullmatch(expression)
        if root_match is not None:
            return _sqrt_integral(route, root_match)
        log_match = _LOG_INTEGRAL.fullmatch(expression)
        if log_match is not None:
            return _log_integral(route, log_match)
        match = _INTEGRAL.fullmatch(expression)
        terms = parse_polynomial(match.group(1)) if match is not None else None
        if match is None or terms is None:
            return trig_integral(route, expression) or exp_integral(route, expression) or classic(problem)
        a, b = int(match.group(2)), int(match.group(3))
        form = pick(problem.id, "opening", ("We need the integral of {f} from {a} to {b}.",
                                            "Integrate {f} over the interval from {a} to {b}.",
                                            "Evaluate the definite integral of {f} from {a} to {b}."))
        think = [form.format(f=_show(match.group(1)), a=a, b=b)]
        value = _integral(route, terms, a, b, think)
        result = symstr.rational(value)
        think.append(f"So the integral is {result}.")
        return assemble(think, f"The answer is {result}.", result)

    trace.__name__ = trace.__qualname__ = f"{route}_trace"
    return trace


_CLASSIC = lazy("chukmath.families.calculus.trace", "calculus_trace")  # sympy: imported on first use
power_rule = calculus_route("power_rule", _CLASSIC)
from_definition = calculus_route("from_definition", _CLASSIC)
horner = calculus_route("horner", _CLASSIC)

__all__ = ["calculus_route", "from_definition", "horner", "power_rule"]
