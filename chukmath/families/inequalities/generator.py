"""``inequalities``: ``3x + 2 ≤ 11`` -> ``Interval(-oo, 3)`` (sympy's ``str()`` of the solution set); quadratic ones
(:mod:`chukmath.families.inequalities.quadratic`) may have a union of two rays as their answer.

The trace undoes the constant and the coefficient with one claim each, flips the sign when it divides by a
negative number, and writes the answer as an inequality and in interval notation (the verifier reads both,
see :mod:`chukmath.verify.forms`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_DIV, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.inequalities.quadratic import draw_quadratic, trace_quadratic, union_forms
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("one_side", "both_sides", "compound", "quadratic")
_SHOW = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


@dataclass(frozen=True)
class InequalitiesConfig:
    """Knobs of inequalities (defaults are difficulty 3)."""

    kinds: str = param("one_side,both_sides", "comma-separated kinds: " + ", ".join(KINDS))
    max_coefficient: int = param(9, "largest absolute coefficient or constant", min=2, max=1000)
    negative: bool = param(True, "negative coefficients of x (the sign flips)")
    max_root: int = param(9, "largest absolute root of a quadratic inequality", min=1, max=1000)
    quadratic_lead: int = param(1, "largest absolute leading coefficient of a quadratic (random sign above 1)", min=1,
                                max=20)  # fmt: skip
    move_constant: bool = param(False, "quadratic inequalities have a constant on the right to move over")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "one_side", "max_coefficient": 9, "negative": False},
    2: {"kinds": "one_side", "max_coefficient": 12},
    3: {},
    4: {"kinds": ",".join(KINDS), "max_coefficient": 20},
    5: {"kinds": ",".join(KINDS), "max_coefficient": 100, "max_root": 15, "quadratic_lead": 3, "move_constant": True},
}


def linear(a: int, b: int) -> str:
    """``3x + 2``, ``-x - 5``, ``4x``."""
    head = "x" if a == 1 else "-x" if a == -1 else f"{a}x"
    return head if b == 0 else f"{head} {'-' if b < 0 else '+'} {abs(b)}"


def interval_text(op: str, v: Fraction) -> str:
    """sympy's ``str()`` of ``{x : x op v}``."""
    return {"<=": f"Interval(-oo, {num(v)})", "<": f"Interval.open(-oo, {num(v)})",
            ">=": f"Interval({num(v)}, oo)", ">": f"Interval.open({num(v)}, oo)"}[op]  # fmt: skip


def bounded_text(lo: Fraction, lo_op: str, hi: Fraction, hi_op: str) -> str:
    kind = {("<", "<"): ".open", ("<", "<="): ".Lopen", ("<=", "<"): ".Ropen", ("<=", "<="): ""}[(lo_op, hi_op)]
    return f"Interval{kind}({num(lo)}, {num(hi)})"


def present(answer: str) -> list[str]:
    """The interval, as an inequality in x and in interval notation: ``x ≤ 3``, ``(-∞, 3]``."""
    unions = union_forms(answer.strip())
    if unions is not None:
        return unions
    m = re.fullmatch(r"Interval(?:\.(open|Lopen|Ropen))?\((\S+), (\S+)\)", answer.strip())
    if not m:
        return [answer]
    kind, a, b = m.groups()
    lc, hc = kind not in ("open", "Lopen"), kind not in ("open", "Ropen")
    if a == "-oo":
        return [answer, f"x {'≤' if hc else '<'} {b}", f"(-∞, {b}{']' if hc else ')'}"]
    if b == "oo":
        return [answer, f"x {'≥' if lc else '>'} {a}", f"{'[' if lc else '('}{a}, ∞)"]
    return [answer, f"{a} {'≤' if lc else '<'} x {'≤' if hc else '<'} {b}",
            f"{'[' if lc else '('}{a}, {b}{']' if hc else ')'}"]  # fmt: skip


def draw(cfg: InequalitiesConfig, rng: Rng) -> tuple[str, Any] | None:
    """One inequality."""
    kind = rng.choice(kind_names(cfg.kinds))
    if kind == "quadratic":
        return draw_quadratic(cfg.max_root, cfg.quadratic_lead, cfg.move_constant, rng)
    k = cfg.max_coefficient
    op = rng.choice(("<", "<=", ">", ">="))
    if kind == "compound":
        a, b = rng.randint(2, k), rng.randint(-k, k)
        lo, hi = sorted(rng.randint(-3 * k, 3 * k) for _ in range(2))
        if lo == hi:
            return None
        lo_op, hi_op = rng.choice(("<", "<=")), rng.choice(("<", "<="))
        middle = linear(a, b)
        question = rng.choice((f"Solve {lo} {_SHOW[lo_op]} {middle} {_SHOW[hi_op]} {hi}. Give the solution set.",
                               f"Find all x with {lo} {_SHOW[lo_op]} {middle} {_SHOW[hi_op]} {hi}."))  # fmt: skip
        answer = bounded_text(Fraction(lo - b, a), lo_op, Fraction(hi - b, a), hi_op)
        expr = (
            f"Intersection(solve_univariate_inequality({lo} {lo_op} {a}*x + ({b}), x, relational=False), "
            f"solve_univariate_inequality({a}*x + ({b}) {hi_op} {hi}, x, relational=False))"
        )
        meta = {"kind": kind, "a": a, "b": b, "lo": lo, "hi": hi, "ops": [lo_op, hi_op]}
        return question, (expr, answer, meta)
    a = rng.randint(1, k) * (rng.sign() if cfg.negative else 1)
    b, c = rng.randint(-k, k), rng.randint(-3 * k, 3 * k)
    d = e = 0
    if kind == "both_sides":
        d, e = rng.randint(-k, k), rng.randint(-k, k)
        if d in (0, a):
            return None
        a, b = a + d, b  # the left side is (a + d)x + b, so collecting x leaves a
        left, right = linear(a, b), linear(d, e)
    else:
        left, right = linear(a, b), str(c)
    coef = a - d
    rhs = (c if kind == "one_side" else e) - b
    value = Fraction(rhs, coef)
    final = op if coef > 0 else _FLIP[op]
    question = rng.choice((f"Solve the inequality {left} {_SHOW[op]} {right}.",
                           f"For which real x is {left} {_SHOW[op]} {right}? Give the solution as an interval.",
                           f"Find the solution set of {left} {_SHOW[op]} {right}."))  # fmt: skip
    expr = (
        f"solve_univariate_inequality({a}*x + ({b}) {op} "
        f"{f'{d}*x + ({e})' if kind == 'both_sides' else c}, x, relational=False)"
    )
    meta = {"kind": kind, "a": a, "b": b, "c": c, "d": d, "e": e, "op": op}
    return question, (expr, interval_text(final, value), meta)


def trace(problem: Problem) -> str:
    """Isolate x: undo the constant, collect x, divide (flipping for a negative divisor)."""
    m = problem.meta
    if m["kind"] == "quadratic":
        return trace_quadratic(problem)
    lines: list[str] = []
    if m["kind"] == "compound":
        a, b, lo, hi = m["a"], m["b"], m["lo"], m["hi"]
        lo_op, hi_op = m["ops"]
        lines.append(f"Work on all three parts of {lo} {_SHOW[lo_op]} {linear(a, b)} {_SHOW[hi_op]} {hi} at once.")
        if b:
            lines.append(f"Subtract {b} from every part:" if b > 0 else f"Add {-b} to every part:")
            line, lo_v = step(lo, OP_SUB, b)
            lines.append(line)
            line, hi_v = step(hi, OP_SUB, b)
            lines.append(line)
        else:
            lo_v, hi_v = lo, hi
        if a != 1:
            lines.append(f"Divide every part by {a} (positive, so the signs stay):")
            line, lo_v = step(lo_v, OP_DIV, a)
            lines.append(line)
            line, hi_v = step(hi_v, OP_DIV, a)
            lines.append(line)
        answer = bounded_text(Fraction(lo_v), lo_op, Fraction(hi_v), hi_op)
    else:
        a, b, c, d, e, op = m["a"], m["b"], m["c"], m["d"], m["e"], m["op"]
        rhs = c if m["kind"] == "one_side" else e
        right = linear(d, e) if m["kind"] == "both_sides" else str(c)
        lines.append(f"We need all x with {linear(a, b)} {_SHOW[op]} {right}.")
        coef = a
        if d:
            move = f"Subtract {linear(d, 0)} from" if d > 0 else f"Add {linear(-d, 0)} to"
            lines.append(f"{move} both sides to collect x on the left:")
            line, coef = step(a, OP_SUB, d)
            lines.append(line)
            coef = int(coef)
            lines.append(f"That leaves {linear(coef, b)} {_SHOW[op]} {rhs}.")
        if b:
            lines.append(f"Subtract {b} from both sides:" if b > 0 else f"Add {-b} to both sides:")
            line, rhs = step(rhs, OP_SUB, b)
            lines.append(line)
            lines.append(f"So {linear(coef, 0)} {_SHOW[op]} {num(Fraction(rhs))}.")
        final = op
        if coef != 1:
            if coef < 0:
                final = _FLIP[op]
                lines.append(f"Divide both sides by {coef}; dividing by a negative number flips the inequality:")
            else:
                lines.append(f"Divide both sides by {coef}:")
            line, rhs = step(rhs, OP_DIV, coef)
            lines.append(line)
        answer = interval_text(final, Fraction(rhs))
    forms = present(answer)
    if lines[-1] != f"So {forms[1]}.":
        lines.append(f"So {forms[1]}.")
    # interval notation in <answer>: a "<" there would read as the start of a tag
    return assemble(lines, f"The solution set is {forms[2]}.", answer)
