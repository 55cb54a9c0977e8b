"""Three routes for the generator's definite integrals of c·sin(x) and c·cos(x) from 0 to π/2, π, π/6, π/4 or π/3,
and of P(x)·exp(x) (c·exp(x) included) from 0 to a whole number; each is checked by another way.

sin and cos (values p + q·√m, worked as a rational part and a √m part, each a claim):

- ``power_rule``: the antiderivative at each end (F = -c·cos or c·sin), checked with the constant taken out first;
- ``horner``: the constant taken out first, c × (1 - cos(b)) or c × sin(b), checked with u = π/2 - x;
- ``from_definition``: u = π/2 - x turns sin into cos and cos into sin (π/2 - b a claim), checked at each end.

P(x)·exp(x), with F = Q(x)·exp(x) and Q + Q' = P:

- ``power_rule``: Q = P - P' + P'' - ... (integration by parts over and over), Q(b) term by term;
- ``from_definition``: Q's coefficients matched from the top power down, q_k = p_k - (k + 1)·q_(k+1);
- ``horner``: Q = P - P' + P'' - ..., Q(b) by Horner's rule.

Each checks Q by differentiating F back (a claim per coefficient: q_k + (k + 1)·q_(k+1) = p_k) and Q(b) the other
way (Horner's rule against term by term).
"""

from __future__ import annotations

import re
from fractions import Fraction

from chukmath.families.calculus.claims import claim, horner_value
from chukmath.families.calculus.trace import parse_exp_product
from chukmath.families.common import symstr
from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, assemble

_TRIG = re.compile(r"Integral\((-?)(?:([1-9]\d{0,5})\*)?(sin|cos)\(x\), \(x, 0, (pi/2|pi|pi/6|pi/4|pi/3)\)\)")
_EXP = re.compile(r"Integral\((.+), \(x, 0, ([1-9])\)\)")
_CONSTANT_EXP = re.compile(r"(-?)(?:([1-9]\d{0,5})\*)?exp\(x\)")
# The generator's highest degree (difficulty 5). Q's coefficients grow like degree!, and every derivative is worked,
# so a longer P from a user's file keeps the classic trace rather than a trace of thousands of lines.
_MAX_EXP_DEGREE = 8

# p + q·√m: a value of sin or cos at a multiple of π/6 or π/4.
Value = tuple[Fraction, Fraction, int]
_HALF = Fraction(1, 2)
# cos at multiples of π (as Fractions of π) in [-1/2, 1]; sin(t) is cos(1/2 - t).
_COS: dict[Fraction, Value] = {
    Fraction(0): (Fraction(1), Fraction(0), 1),
    Fraction(1, 6): (Fraction(0), _HALF, 3),
    Fraction(1, 4): (Fraction(0), _HALF, 2),
    Fraction(1, 3): (_HALF, Fraction(0), 1),
    Fraction(1, 2): (Fraction(0), Fraction(0), 1),
    Fraction(1): (Fraction(-1), Fraction(0), 1),
    Fraction(-1, 2): (Fraction(0), Fraction(0), 1),
}
_ANGLES = {"pi/2": Fraction(1, 2), "pi": Fraction(1), "pi/6": Fraction(1, 6), "pi/4": Fraction(1, 4),
           "pi/3": Fraction(1, 3)}  # fmt: skip


def _cos(t: Fraction) -> Value:
    return _COS[t]


def _sin(t: Fraction) -> Value:
    return _COS[_HALF - t] if _HALF - t in _COS else _negate(_COS[t - _HALF])


def _negate(v: Value) -> Value:
    return (-v[0], -v[1], v[2])


def _text(v: Value) -> str:
    p, q, m = v
    return symstr.sqrt_sum(p, q, m) if q else symstr.rational(p)


def _angle(t: Fraction) -> str:
    if t == 0:
        return "0"
    sign = "-" if t < 0 else ""
    t = abs(t)
    return f"{sign}pi" + ("" if t.denominator == 1 else f"/{t.denominator}") if t.numerator == 1 else f"{t}·pi"


def _scale(think: list[str], c: Fraction, v: Value, what: str) -> Value:
    """c × (p + q·√m), a claim for each part that is not 0."""
    p, q, m = v
    if q == 0:
        think.append(f"{what}:")
        return (claim(think, c, OP_MUL, p), Fraction(0), m)
    if p == 0:
        think.append(f"{what}, the √{m} part:")
        return (Fraction(0), claim(think, c, OP_MUL, q), m)
    think.append(f"{what}, the whole part and the √{m} part:")
    return (claim(think, c, OP_MUL, p), claim(think, c, OP_MUL, q), m)


def _minus(think: list[str], upper: Value, lower: Value) -> Value:
    """upper - lower where lower is a whole number (F(0)): the whole parts a claim, the √m part carried."""
    p = claim(think, upper[0], OP_SUB, lower[0])
    if upper[1]:
        think.append(f"The √{upper[2]} part stays {symstr.scaled(upper[1], f'sqrt({upper[2]})')}.")
    return (p, upper[1], upper[2])


def _trig_at_ends(think: list[str], c: Fraction, fn: str, b: Fraction) -> Value:
    if fn == "sin":
        think.append(f"The antiderivative of sin(x) is -cos(x), so F(x) = {symstr.rational(-c)}·cos(x).")
        upper = _scale(think, -c, _cos(b), f"F({_angle(b)}): cos({_angle(b)}) is {_text(_cos(b))}")
        lower = _scale(think, -c, _cos(Fraction(0)), "F(0): cos(0) is 1")
    else:
        think.append(f"The antiderivative of cos(x) is sin(x), so F(x) = {symstr.rational(c)}·sin(x).")
        upper = _scale(think, c, _sin(b), f"F({_angle(b)}): sin({_angle(b)}) is {_text(_sin(b))}")
        lower = _scale(think, c, _sin(Fraction(0)), "F(0): sin(0) is 0")
    think.append(f"The integral is F({_angle(b)}) - F(0):")
    return _minus(think, upper, lower)


def _trig_factored(think: list[str], c: Fraction, fn: str, b: Fraction) -> Value:
    if fn == "sin":
        p, q, m = _cos(b)
        think.append(f"Take {symstr.rational(c)} out: the integral of sin(x) from 0 to {_angle(b)} is "
                     f"-cos({_angle(b)}) + cos(0) = 1 - cos({_angle(b)}), with cos({_angle(b)}) = {_text(_cos(b))}"
                     + ("; the whole parts:" if q else ":"))  # fmt: skip
        inside: Value = (claim(think, 1, OP_SUB, p), -q, m)
    else:
        think.append(f"Take {symstr.rational(c)} out: the integral of cos(x) from 0 to {_angle(b)} is "
                     f"sin({_angle(b)}) - sin(0), with sin({_angle(b)}) = {_text(_sin(b))} and sin(0) = 0:")
        p, q, m = _sin(b)
        inside = (claim(think, p, OP_SUB, 0), q, m)
    return _scale(think, c, inside, f"Times {symstr.rational(c)}")


def _trig_shifted(think: list[str], c: Fraction, fn: str, b: Fraction) -> Value:
    other = "cos" if fn == "sin" else "sin"
    think.append(f"Substitute u = pi/2 - x: {fn}(x) = {other}(u) and dx = -du; x = 0 gives u = pi/2, and x = "
                 f"{_angle(b)} gives u = pi/2 - {_angle(b)}, in halves of pi minus the bound:")  # fmt: skip
    u = claim(think, _HALF, OP_SUB, b)
    think.append(f"So u runs from {_angle(u)} up to pi/2 (the minus sign of du turns the bounds round).")
    if fn == "sin":
        p, q, m = _sin(u)
        think.append(f"The integral of cos(u) is sin(u): sin(pi/2) - sin({_angle(u)}) = 1 - {_text(_sin(u))}"
                     + ("; the whole parts:" if q else ":"))  # fmt: skip
        inside: Value = (claim(think, 1, OP_SUB, p), -q, m)
    else:
        think.append(f"The integral of sin(u) is -cos(u): -cos(pi/2) + cos({_angle(u)}) = 0 + {_text(_cos(u))}:")
        p, q, m = _cos(u)
        inside = (claim(think, 0, OP_ADD, p), q, m)
    return _scale(think, c, inside, f"Times {symstr.rational(c)}")


_TRIG_WAYS = {"power_rule": (_trig_at_ends, _trig_factored, "with the constant taken out first"),
              "horner": (_trig_factored, _trig_shifted, "by substituting u = pi/2 - x"),
              "from_definition": (_trig_shifted, _trig_at_ends, "with the antiderivative at each end")}  # fmt: skip


def trig_integral(route: str, expression: str) -> str | None:
    """∫ c·sin(x) or c·cos(x) from 0 to a named multiple of π by ``route``, or None for another shape."""
    match = _TRIG.fullmatch(expression)
    if match is None:
        return None
    sign, coefficient, fn, bound = match.groups()
    c = Fraction(int(coefficient or 1)) * (-1 if sign else 1)
    b = _ANGLES[bound]
    think = [f"We need the integral of {sign}{coefficient + '*' if coefficient else ''}{fn}(x) from 0 to {bound}."]
    first, second, how = _TRIG_WAYS[route]
    value = first(think, c, fn, b)
    think.append(f"Check {how}:")
    again = second(think, c, fn, b)
    if again != value:
        raise AssertionError(f"the two ways give {value} and {again}")
    result = _text(value)
    think.append(f"Both ways give {result}.")
    think.append(f"So the integral is {result}.")
    return assemble(think, f"The answer is {result}.", result)


# --- P(x)·exp(x) ---------------------------------------------------------------------------------------------


def _exp_polynomial(f_text: str) -> dict[int, int] | None:
    """P's ``{power: coefficient}`` if ``f_text`` is sympy's printing of P(x)*exp(x) with whole coefficients."""
    constant = _CONSTANT_EXP.fullmatch(f_text)
    if constant is not None:
        c = int(constant.group(2) or 1) * (-1 if constant.group(1) else 1)
        return {0: c}
    terms = parse_exp_product(f_text)
    return None if terms is None else {n: int(c) for c, n in terms}


def _poly_text(coefficients: dict[int, int]) -> str:
    return symstr.polynomial(sorted(((c, n) for n, c in coefficients.items() if c), key=lambda t: -t[1])) or "0"


def _by_parts(think: list[str], p: dict[int, int]) -> dict[int, int]:
    """Q = P - P' + P'' - ...: each derivative's coefficients a claim, then each power's terms added."""
    think.append("Integrate by parts over and over: F(x) = (P - P' + P'' - ...)·exp(x), with P = "
                 f"{_poly_text(p).replace('**', '^')}.")  # fmt: skip
    derivatives = [p]
    while any(n for n in derivatives[-1]):
        previous = derivatives[-1]
        think.append(f"Derivative number {len(derivatives)}: multiply each coefficient by its power.")
        derivatives.append({n - 1: int(claim(think, c, OP_MUL, n)) for n, c in sorted(previous.items(), reverse=True)
                            if n})  # fmt: skip
    think.append("Q = P - P' + P'' - ..., power by power:")
    q: dict[int, int] = {}
    for power in range(max(p), -1, -1):
        parts = [(i, d[power]) for i, d in enumerate(derivatives) if d.get(power)]
        name = f"x^{power}" if power else "The constant"
        first, value = parts[0]
        if first % 2 == 0:
            think.append(f"{name}: {_nth(first)} gives {value}" + (":" if len(parts) > 1 else "."))
            total = Fraction(value)
        else:
            think.append(f"{name}: {_nth(first)} gives {value}, with a minus sign:")
            total = claim(think, 0, OP_SUB, value)
        for i, v in parts[1:]:
            total = claim(think, total, OP_SUB if i % 2 else OP_ADD, v)
        q[power] = int(total)
    return q


def _nth(i: int) -> str:
    return "P" if i == 0 else "P" + "'" * i if i < 4 else f"derivative number {i}"


def _matched(think: list[str], p: dict[int, int]) -> dict[int, int]:
    """Q + Q' = P matched from the top power down: q_n = p_n, then q_k = p_k - (k + 1)·q_(k+1)."""
    top = max(p)
    think.append(f"Look for F(x) = Q(x)·exp(x) with Q of degree {top}: F' = (Q + Q')·exp(x), so Q + Q' must be P. "
                 "Match the powers from the top down.")  # fmt: skip
    q = {top: p[top]}
    think.append(f"x^{top}: Q' has no x^{top} term, so q_{top} = {p[top]}.")
    for k in range(top - 1, -1, -1):
        think.append(f"x^{k}: q_{k} + {k + 1} × q_{k + 1} = {p.get(k, 0)}:" if k else
                     f"The constant: q_0 + 1 × q_1 = {p.get(0, 0)}:")  # fmt: skip
        carried = claim(think, k + 1, OP_MUL, q[k + 1])
        q[k] = int(claim(think, p.get(k, 0), OP_SUB, carried))
    return q


def _terms_at(think: list[str], q: dict[int, int], b: int) -> Fraction:
    total: Fraction | None = None
    power_of_b = Fraction(1)
    powers = {0: power_of_b}
    for n in range(1, max(q) + 1):
        power_of_b = claim(think, power_of_b, OP_MUL, b) if n > 1 else Fraction(b)
        powers[n] = power_of_b
    for n in sorted(q, reverse=True):
        if not q[n]:
            continue
        term = claim(think, q[n], OP_MUL, powers[n]) if n and q[n] != 1 else (powers[n] if n else Fraction(q[n]))
        total = term if total is None else claim(think, total, OP_ADD, term)
    return total if total is not None else Fraction(0)


def _horner_at(think: list[str], q: dict[int, int], b: int) -> Fraction:
    return horner_value([(Fraction(c), n) for n, c in q.items()], Fraction(b), think)


def _differentiate_back(think: list[str], p: dict[int, int], q: dict[int, int]) -> None:
    think.append("Check by differentiating F back: q_k + (k + 1) × q_(k+1) must give P's coefficient of x^k.")
    for k in range(max(q), -1, -1):
        if k == max(q):
            think.append(f"x^{k}: q_{k} = {q[k]}, P has {p.get(k, 0)}.")
            if q[k] != p.get(k, 0):
                raise AssertionError("the top coefficient differs")
            continue
        carried = claim(think, k + 1, OP_MUL, q[k + 1])
        if claim(think, q[k], OP_ADD, carried) != p.get(k, 0):
            raise AssertionError(f"Q + Q' differs from P at x^{k}")


def exp_integral(route: str, expression: str) -> str | None:
    """∫ P(x)·exp(x) from 0 to b by ``route``, or None for another shape."""
    match = _EXP.fullmatch(expression)
    p = _exp_polynomial(match.group(1)) if match is not None else None
    if match is None or p is None or max(p) > _MAX_EXP_DEGREE:
        return None
    f_text, b = match.group(1), int(match.group(2))
    think = [f"We need the integral of {f_text.replace('**', '^')} from 0 to {b}."]
    if max(p) == 0:
        return _constant_exp(route, p[0], f_text, b, think)
    q = _matched(think, p) if route == "from_definition" else _by_parts(think, p)
    think.append(f"So F(x) = ({_poly_text(q).replace('**', '^')})·exp(x).")
    think.append(f"Q({b}), " + ("by Horner's rule:" if route == "horner" else "term by term:"))
    at_b = (_horner_at if route == "horner" else _terms_at)(think, q, b)
    think.append(f"Q(0) is the constant term {q.get(0, 0)}, and exp(0) is 1.")
    _differentiate_back(think, p, q)
    think.append(f"Q({b}) again, " + ("term by term:" if route == "horner" else "by Horner's rule:"))
    again = (_terms_at if route == "horner" else _horner_at)(think, q, b)
    if again != at_b:
        raise AssertionError(f"Q({b}) is {at_b} one way and {again} the other")
    think.append(f"Both ways give Q({b}) = {symstr.rational(at_b)}.")
    result = symstr.exp_combination(int(at_b), -q.get(0, 0), b)
    think.append(f"The integral is F({b}) - F(0) = Q({b})·exp({b}) - Q(0) = {result}.")
    think.append(f"So the integral is {result}.")
    return assemble(think, f"The answer is {result}.", result)


def _constant_exp(route: str, c: int, f_text: str, b: int, think: list[str]) -> str:
    """c·exp(x) from 0 to b: F(b) - F(0) with F = c·exp(x), or c × (exp(b) - 1); each checks the other."""
    at_b = symstr.scaled(c, symstr.exp_number(b))

    def at_ends() -> int:
        think.append(f"The antiderivative of {f_text} is itself, since the derivative of exp(x) is exp(x). "
                     f"F({b}) is {at_b}; F(0): exp(0) is 1:")  # fmt: skip
        lower = int(claim(think, c, OP_MUL, 1))
        think.append(f"The integral is F({b}) - F(0), so its constant part is minus F(0), {-lower}.")
        return -lower

    def factored() -> int:
        think.append(f"Take {c} out: the integral of exp(x) from 0 to {b} is exp({b}) - exp(0) = exp({b}) - 1; "
                     f"times {c}, the exp({b}) part is {at_b} and the constant part:")  # fmt: skip
        return int(claim(think, c, OP_MUL, -1))

    first, second = (factored, at_ends) if route == "from_definition" else (at_ends, factored)
    constant = first()
    think.append("Check " + ("with F at each end:" if route == "from_definition" else "with the constant taken out:"))
    if second() != constant:
        raise AssertionError("the two ways differ")
    result = symstr.exp_combination(c, constant, b)
    think.append(f"Both ways give {result}.")
    think.append(f"So the integral is {result}.")
    return assemble(think, f"The answer is {result}.", result)
