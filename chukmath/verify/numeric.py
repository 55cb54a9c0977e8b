"""High-precision numeric evaluation of our AST with mpmath: the last resort for transcendental answers.

Used when the exact canonical form cannot decide (trig identities, ``exp``/``log`` rewrites, rational functions)
and to enclose an irrational expected value for the decimal-approximation rule. Evaluation walks our own AST —
never a string — and refuses magnitudes beyond ``10**MAX_MAGNITUDE`` and ``exp``/power arguments that would make
mpmath work with astronomically long integers, so it is bounded in time like the rest of the verifier.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath

from chukmath.verify.grammar import Add, Div, Func, Mul, Neg, Node, Num, Pow, Sym

MAX_MAGNITUDE = 300
_LIMIT = mpmath.mpf(10) ** MAX_MAGNITUDE
_EXP_LIMIT = 700  # |exponent * log|base|| beyond this overflows the magnitude cap anyway
DPS = 40
# Generic evaluation points: far from 0, 1 and from each other, inside every real function's domain used here.
POINTS = (
    (Fraction(7, 11), Fraction(13, 17), Fraction(19, 23)),
    (Fraction(29, 31), Fraction(37, 41), Fraction(43, 53)),
    (Fraction(61, 47), Fraction(59, 67), Fraction(71, 73)),
    (Fraction(11, 83), Fraction(89, 97), Fraction(101, 103)),
)


class EvalFailure(ValueError):
    """The expression has no finite value at this point, or the value is beyond the caps."""


_FUNCS = {
    "sin": mpmath.sin, "cos": mpmath.cos, "tan": mpmath.tan, "cot": mpmath.cot, "sec": mpmath.sec,
    "csc": mpmath.csc, "asin": mpmath.asin, "acos": mpmath.acos, "atan": mpmath.atan, "sinh": mpmath.sinh,
    "cosh": mpmath.cosh, "tanh": mpmath.tanh, "sqrt": mpmath.sqrt, "abs": mpmath.fabs,
}  # fmt: skip


def _bounded(x: mpmath.mpf | mpmath.mpc) -> mpmath.mpf | mpmath.mpc:
    if not mpmath.isfinite(x) or abs(x) > _LIMIT:
        raise EvalFailure("value out of range")
    return x


def evaluate(node: Node, env: dict[str, mpmath.mpf]) -> mpmath.mpf | mpmath.mpc:
    """The numeric value of ``node`` with variables from ``env`` at the current mpmath precision."""
    if isinstance(node, Num):
        return _bounded(mpmath.mpf(node.value.numerator) / node.value.denominator)
    if isinstance(node, Sym):
        if node.name == "pi":
            return +mpmath.pi
        if node.name == "E":
            return +mpmath.e
        if node.name == "I":
            return mpmath.mpc(0, 1)
        if node.name in env:
            return env[node.name]
        raise EvalFailure(f"no value for {node.name}")
    if isinstance(node, Add):
        return _bounded(mpmath.fsum(evaluate(a, env) for a in node.args))
    if isinstance(node, Mul):
        out = mpmath.mpf(1)
        for a in node.args:
            out = _bounded(out * evaluate(a, env))
        return out
    if isinstance(node, Neg):
        return -evaluate(node.arg, env)
    if isinstance(node, Div):
        den = evaluate(node.den, env)
        if den == 0:
            raise EvalFailure("division by zero")
        return _bounded(evaluate(node.num, env) / den)
    if isinstance(node, Pow):
        base, exp = evaluate(node.base, env), evaluate(node.exp, env)
        if base == 0:
            if mpmath.re(exp) <= 0:
                raise EvalFailure("zero to a non-positive power")
            return mpmath.mpf(0)
        if abs(exp) * abs(mpmath.log(abs(base))) > _EXP_LIMIT:
            raise EvalFailure("power out of range")
        return _bounded(mpmath.power(base, exp))
    return _function(node, env)


def _function(node: Func, env: dict[str, mpmath.mpf]) -> mpmath.mpf | mpmath.mpc:
    args = [evaluate(a, env) for a in node.args]
    if node.name == "exp" and len(args) == 1:
        if mpmath.re(args[0]) > _EXP_LIMIT:
            raise EvalFailure("exp out of range")
        return _bounded(mpmath.exp(args[0]))
    if node.name == "log" and len(args) in (1, 2):
        if any(a == 0 for a in args):
            raise EvalFailure("log of zero")
        value = mpmath.log(args[0]) if len(args) == 1 else mpmath.log(args[0], args[1])
        return _bounded(value)
    fn = _FUNCS.get(node.name)
    if fn is None or len(args) != 1:
        raise EvalFailure(f"unknown function {node.name} with {len(args)} argument(s)")
    if abs(args[0]) > 10**6 and node.name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh"):
        raise EvalFailure("argument out of range")
    try:
        return _bounded(fn(args[0]))
    except (ValueError, ZeroDivisionError) as exc:
        raise EvalFailure(str(exc)) from exc


def numerically_equal(a: Node, b: Node, variables: list[str]) -> bool:
    """A randomized-style identity test at fixed generic points with 40 significant digits.

    Equal expressions agree to ~40 digits everywhere; unequal ones agreeing to 30 digits at two generic points
    would be a coincidence of probability far below any error rate that matters for a dataset.
    """
    if len(variables) > len(POINTS[0]):
        return False
    agreed = 0
    with mpmath.workdps(DPS):
        tol = mpmath.mpf(10) ** (10 - DPS)
        for point in POINTS:
            env = {v: mpmath.mpf(p.numerator) / p.denominator for v, p in zip(variables, point, strict=False)}
            try:
                va, vb = evaluate(a, env), evaluate(b, env)
            except (EvalFailure, ZeroDivisionError, ValueError, OverflowError):
                continue
            if abs(va - vb) > tol * max(1, abs(va), abs(vb)):
                return False
            agreed += 1
            if not variables or agreed >= 2:
                return True
    return False


def enclose(node: Node, significant: int) -> tuple[Fraction, Fraction] | None:
    """Rational bounds ``[lo, hi]`` around a real constant, tight to about ``significant + 10`` digits."""
    digits = significant + 20
    with mpmath.workdps(digits):
        try:
            value = evaluate(node, {})
        except (EvalFailure, ZeroDivisionError, ValueError, OverflowError):
            return None
        if isinstance(value, mpmath.mpc):
            if abs(value.imag) > mpmath.mpf(10) ** (-digits + 5) * max(1, abs(value)):
                return None
            value = value.real
        center = Fraction(mpmath.nstr(value, digits, min_fixed=-digits, max_fixed=digits))
        radius = Fraction(1, 10 ** (significant + 10)) * max(1, abs(center))
    return center - radius, center + radius
