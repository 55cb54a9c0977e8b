"""Quadratic inequalities ``a·x^2 + b·x + c op k`` with two integer roots: the answer is the interval between the
roots or the union of the two rays outside them (``Union(Interval.open(-oo, 2), Interval.open(3, oo))``).

The trace moves ``k`` over, divides by ``a`` (flipping the sign for a negative ``a``), finds the roots from their
sum and product, reads the sign of ``(x - r1)(x - r2)`` between and outside the roots, and checks by evaluating the
original left side at a point of each region (another route than the sign rule).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, step
from chukmath.families.rng import Rng
from chukmath.records import Problem

SHOW = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def poly_text(a: int, b: int, c: int) -> str:
    """``x^2 - 5x + 6``, ``-2x^2 + 4x``, ``3x^2 - 12``."""
    head = "x^2" if a == 1 else "-x^2" if a == -1 else f"{a}x^2"
    mid = "" if b == 0 else f" {'-' if b < 0 else '+'} {'' if abs(b) == 1 else abs(b)}x"
    tail = "" if c == 0 else f" {'-' if c < 0 else '+'} {abs(c)}"
    return head + mid + tail


def set_text(r1: int, r2: int, op: str) -> str:
    """sympy's ``str()`` of ``{x : (x - r1)(x - r2) op 0}`` for ``r1 < r2``."""
    closed = op in ("<=", ">=")
    kind = "" if closed else ".open"
    if op in ("<", "<="):
        return f"Interval{kind}({r1}, {r2})"
    return f"Union(Interval{kind}(-oo, {r1}), Interval{kind}({r2}, oo))"


def union_forms(answer: str) -> list[str] | None:
    """A union of two rays as ``x < 2 or x > 3`` and ``(-∞, 2) ∪ (3, ∞)``; None for any other answer."""
    if not answer.startswith("Union(Interval"):
        return None
    closed = not answer.startswith("Union(Interval.open")
    inner = answer[answer.index("(-oo, ") + len("(-oo, ") :]
    r1 = inner[: inner.index(")")]
    r2 = inner[inner.rindex("(") + 1 : inner.rindex(", oo")]
    lo, hi = ("≤", "≥") if closed else ("<", ">")
    left, right = ("]", "[") if closed else (")", "(")
    return [answer, f"x {lo} {r1} or x {hi} {r2}", f"(-∞, {r1}{left} ∪ {right}{r2}, ∞)"]


def draw_quadratic(max_root: int, max_lead: int, move_constant: bool, rng: Rng) -> tuple[str, Any] | None:
    """One quadratic inequality with distinct integer roots."""
    r1, r2 = sorted((rng.randint(-max_root, max_root), rng.randint(-max_root, max_root)))
    if r1 == r2:
        return None
    a = rng.randint(1, max_lead) * (rng.sign() if max_lead > 1 else 1)
    b, c = -a * (r1 + r2), a * r1 * r2
    k = rng.randint(-9, 9) if move_constant else 0
    op = rng.choice(("<", "<=", ">", ">="))
    left, right = poly_text(a, b, c + k), str(k)  # the constant k on both sides
    shown = f"{left} {SHOW[op]} {right}"
    question = rng.choice((f"Solve the inequality {shown}.", f"For which real x is {shown}? Give the solution set.",
                           f"Find all real x such that {shown}."))  # fmt: skip
    final = op if a > 0 else FLIP[op]
    expr = f"solve_univariate_inequality({a}*x**2 + ({b})*x + ({c + k}) {op} {k}, x, relational=False)"
    meta = {"kind": "quadratic", "a": a, "b": b, "c": c + k, "k": k, "op": op, "roots": [r1, r2]}
    return question, (expr, set_text(r1, r2, final), meta)


def _value_at(a: int, b: int, c: int, t: int, lines: list[str]) -> Fraction:
    """``a·t^2 + b·t + c``, one claim per operation."""
    line, tt = step(t, OP_MUL, t)
    lines.append(line)
    att = tt
    if a != 1:
        line, att = step(a, OP_MUL, tt)
        lines.append(line)
    line, bt = step(b, OP_MUL, t)
    lines.append(line)
    line, s = step(att, OP_ADD, bt)
    lines.append(line)
    line, value = step(s, OP_ADD, c)
    lines.append(line)
    return Fraction(value)


def trace_quadratic(problem: Problem) -> str:
    """Move the constant, divide by the leading coefficient, roots from sum and product, sign between and
    outside the roots; check by evaluating the original left side at a point of each region."""
    m = problem.meta
    a, b, c, k, op = m["a"], m["b"], m["c"], m["k"], m["op"]
    r1, r2 = m["roots"]
    lines = [f"We need all x with {poly_text(a, b, c)} {SHOW[op]} {k}."]
    c0 = c
    if k:
        lines.append(f"Subtract {k} from both sides:" if k > 0 else f"Add {-k} to both sides:")
        line, c0 = step(c, OP_SUB, k)
        lines.append(line)
        c0 = int(c0)
        lines.append(f"So {poly_text(a, b, c0)} {SHOW[op]} 0.")
    final, p, q = op, b, c0
    if a != 1:
        final = op if a > 0 else FLIP[op]
        flip = "; dividing by a negative number flips the inequality" if a < 0 else ""
        lines.append(f"Divide both sides by {a}{flip}:")
        line, p = step(b, OP_DIV, a)
        lines.append(line)
        line, q = step(c0, OP_DIV, a)
        lines.append(line)
        p, q = int(p), int(q)
        lines.append(f"So {poly_text(1, p, q)} {SHOW[final]} 0.")
    lines.append(f"The roots of {poly_text(1, p, q)} are two numbers with sum {-p} and product {q}: "
                 f"{r1} and {r2}.")  # fmt: skip
    lines.append(step(r1, OP_ADD, r2)[0])
    lines.append(step(r1, OP_MUL, r2)[0])
    factored = factor_text(r1) + factor_text(r2)
    lines.append(f"So {poly_text(1, p, q)} = {factored}, which is negative between the roots and positive outside "
                 "them.")  # fmt: skip
    inside = final in ("<", "<=")
    closed = final in ("<=", ">=")
    where = "between the roots" if inside else "outside the roots"
    lines.append(f"We want it {'below' if inside else 'above'} 0{' or equal to 0' if closed else ''}, so x lies "
                 f"{where}, {'including' if closed else 'not including'} {r1} and {r2}.")  # fmt: skip
    points = [r1 - 1, *([r1 + 1] if r2 - r1 > 1 else []), r2 + 1]
    lines.append(f"Check: put {', '.join(map(str, points[:-1]))} and {points[-1]} into the original left side and "
                 f"compare with {k}.")  # fmt: skip
    for t in points:
        value = _value_at(a, b, c, t, lines)
        holds = {"<": value < k, "<=": value <= k, ">": value > k, ">=": value >= k}[op]
        if holds != ((r1 < t < r2) == inside):
            raise AssertionError(f"quadratic inequality check failed at x = {t}")
        lines.append(f"At x = {t} the inequality {'holds' if holds else 'fails'}, as the sign rule says.")
    answer = problem.answer
    forms = union_forms(answer)
    shown = forms[2] if forms else _bounded(r1, r2, final)
    lines.append(f"So the solution set is {shown}.")
    return assemble(lines, f"The solution set is {shown}.", answer)


def factor_text(root: int) -> str:
    return "x" if root == 0 else f"(x - {root})" if root > 0 else f"(x + {-root})"


def _bounded(r1: int, r2: int, op: str) -> str:
    closed = op == "<="
    return f"{'[' if closed else '('}{r1}, {r2}{']' if closed else ')'}"
