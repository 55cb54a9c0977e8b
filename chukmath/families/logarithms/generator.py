"""``logarithms``: every number in a question is a power of one small base ``c``, so answers are exact rationals.

The trace rewrites the numbers as powers of ``c`` (checkable ``2^3 = 8`` claims) and compares exponents.
The expression is ``simplify(...)`` of sympy logarithms, whose value sympy reduces to the rational answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("value", "exp_equation", "log_rules", "log_equation")
_BASES = (2, 3, 5, 10, 7, 6)


@dataclass(frozen=True)
class LogarithmsConfig:
    """Knobs of logarithms (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_exponent: int = param(5, "largest exponent of the common base", min=2, max=12)
    rational: bool = param(True, "bases that are powers themselves (log_8 4 = 2/3)")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "value,log_equation", "max_exponent": 4, "rational": False},
    2: {"kinds": "value,log_equation,exp_equation", "max_exponent": 5, "rational": False},
    3: {},
    4: {"max_exponent": 8},
    5: {"max_exponent": 12},
}


def _power_text(c: int, n: int) -> str:
    """``c^n`` as a number: ``8``, ``1/8``, ``1``."""
    return num(Fraction(c) ** n)


def _log(x: str, b: int, rng: Rng) -> str:
    return rng.choice((f"log_{b}({x})", f"log base {b} of {x}", f"\\log_{{{b}}} {x}"))


def draw(cfg: LogarithmsConfig, rng: Rng) -> tuple[str, Any] | None:
    """One logarithm question."""
    kind = rng.choice(kind_names(cfg.kinds))
    c = rng.choice(_BASES[:4] if cfg.max_exponent < 6 else _BASES)
    top = cfg.max_exponent
    m = rng.randint(2, 3) if cfg.rational and c < 6 and rng.chance(0.5) else 1
    b = c**m
    if b > 1000:
        return None
    if kind == "value":
        n = rng.randint(-top, top)
        x = _power_text(c, n)
        value = Fraction(n, m)
        question = rng.choice((f"What is {_log(x, b, rng)}?", f"Evaluate {_log(x, b, rng)} exactly.",
                               f"Find the exact value of {_log(x, b, rng)}."))  # fmt: skip
        meta = {"kind": kind, "c": c, "m": m, "n": n}
        return question, (f"simplify(log({x}, {b}))", num(value), meta)
    if kind == "log_equation":
        k = rng.randint(-2, top) if b < 50 else rng.randint(-1, 3)
        x = Fraction(b) ** k
        question = rng.choice((f"Solve for x: {_log('x', b, rng)} = {k}.", f"If {_log('x', b, rng)} = {k}, what is x?"))
        meta = {"kind": kind, "b": b, "k": k}
        return question, (f"{b}**({k})", num(x), meta)
    if kind == "exp_equation":
        p = rng.randint(1, 3)
        q = rng.randint(-5, 5)
        m2 = rng.randint(1, 3) if cfg.rational else 1
        b2 = c**m2
        if b2 > 1000 or (m2 == m and rng.chance(0.5)):
            return None
        k = rng.randint(1, max(1, top // m2 + 1))
        target = _power_text(b2, k)
        exponent = f"x + {q}" if q > 0 else f"x - {-q}" if q < 0 else "x"
        if p > 1:
            exponent = f"{p}x" + exponent[1:]
        value = (Fraction(m2 * k, m) - q) / p
        lhs = f"{b}^{exponent}" if exponent == "x" else f"{b}^({exponent})"
        question = rng.choice((f"Solve for x: {lhs} = {target}.", f"Find x if {lhs} = {target}.",
                               f"What value of x satisfies {lhs} = {target}?"))  # fmt: skip
        meta = {"kind": kind, "c": c, "m": m, "p": p, "q": q, "m2": m2, "k": k}
        return question, (f"simplify((log({target}, {b}) - ({q}))/{p})", num(value), meta)
    k = rng.randint(1, min(top, 4))
    whole = b**k
    divisors = [d for d in range(2, min(whole, 10**4)) if whole % d == 0]
    if not divisors:
        return None
    x = rng.choice(divisors)
    minus = rng.chance(0.4)
    if minus:
        y = rng.randint(2, 9)
        big, small = x * y * (whole // x), y  # log(big) - log(small) = log(whole)
        if big > 10**6:
            return None
        question = rng.choice((f"What is {_log(str(big), b, rng)} - {_log(str(small), b, rng)}?",
                               f"Simplify {_log(str(big), b, rng)} - {_log(str(small), b, rng)}."))  # fmt: skip
        meta = {"kind": kind, "b": b, "x": big, "y": small, "minus": True, "k": k}
        return question, (f"simplify(log({big}, {b}) - log({small}, {b}))", str(k), meta)
    y = whole // x
    question = rng.choice((f"What is {_log(str(x), b, rng)} + {_log(str(y), b, rng)}?",
                           f"Simplify {_log(str(x), b, rng)} + {_log(str(y), b, rng)}."))  # fmt: skip
    meta = {"kind": kind, "b": b, "x": x, "y": y, "minus": False, "k": k}
    return question, (f"simplify(log({x}, {b}) + log({y}, {b}))", str(k), meta)


def _pow_claim(c: int, n: int) -> str:
    """``2^3 = 8`` (a non-negative exponent; the checker reads ``^``)."""
    return f"{c}^{n} = {c**n}"


def trace(problem: Problem) -> str:
    """Rewrite as powers of one base and compare exponents."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "value":
        c, mm, n = m["c"], m["m"], m["n"]
        b = c**mm
        x = _power_text(c, n)
        lines.append(f"Write both numbers as powers of {c}.")
        if mm > 1:
            lines.append(_pow_claim(c, mm))
        if n > 1 and (n != mm):
            lines.append(_pow_claim(c, n))
        elif n < 0:
            lines.append(_pow_claim(c, -n) if -n > 1 else f"{x} is 1 over {c}.")
            lines.append(f"So {x} is {c} to the power {n}.")
        elif n == 0:
            lines.append(f"{x} is {c} to the power 0.")
        lines.append(f"The logarithm asks which power of {b} gives {x}: that exponent times {mm} must equal {n}.")
        line, value = step(n, OP_DIV, mm)
        lines.append(line)
    elif kind == "log_equation":
        b, k = m["b"], m["k"]
        lines.append(f"log base {b} of x equal to {k} means x is {b} to the power {k}.")
        if k >= 2:
            power = Fraction(b)
            for _ in range(k - 1):
                line, power = step(power, OP_MUL, b)
                lines.append(line)
            value = power
        elif k < 0:
            power = Fraction(b)
            for _ in range(-k - 1):
                line, power = step(power, OP_MUL, b)
                lines.append(line)
            lines.append("A negative exponent means one over the power:")
            line, value = step(1, OP_DIV, power)
            lines.append(line)
        else:
            value = Fraction(b) ** k
            lines.append(f"Any base to the power {k} is {num(value)}.")
    elif kind == "exp_equation":
        c, mm, p, q, m2, k = m["c"], m["m"], m["p"], m["q"], m["m2"], m["k"]
        lines.append(f"Write both sides as powers of {c}.")
        if mm > 1:
            lines.append(_pow_claim(c, mm))
        lines.append(_pow_claim(c**m2, k) if k > 1 else f"The right side is {c**m2}.")
        if m2 > 1:
            lines.append(_pow_claim(c, m2 * k))
        if mm > 1:
            lines.append(f"So the exponents must match: {mm} times the exponent on the left equals {m2 * k}.")
            line, inner = step(m2 * k, OP_DIV, mm)
            lines.append(line)
        else:
            lines.append(f"So the exponents must match: the exponent on the left equals {m2 * k}.")
            inner = Fraction(m2 * k)
        if q:
            lines.append(f"Undo the {q} in the exponent:")
            line, inner = step(inner, OP_SUB, q)
            lines.append(line)
        if p > 1:
            lines.append(f"Undo the factor {p}:")
            line, inner = step(inner, OP_DIV, p)
            lines.append(line)
        value = inner
    else:
        b, x, y, minus, k = m["b"], m["x"], m["y"], m["minus"], m["k"]
        rule = "the quotient" if minus else "the product"
        lines.append(f"Logs with the same base combine: the {'difference' if minus else 'sum'} is the log of {rule}.")
        line, inside = step(x, OP_DIV, y) if minus else step(x, OP_MUL, y)
        lines.append(line)
        lines.append(_pow_claim(b, k) if k > 1 else f"{b} is {b} to the power 1.")
        lines.append(f"That is log base {b} of {b}^{k}: the exponent {k}.")
        value = k
        del inside
    value = Fraction(value)
    lines.append(f"So the answer is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
