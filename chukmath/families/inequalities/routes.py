"""``inequalities`` solution routes.

- ``isolate``: undo the constant, then divide by the coefficient (flipping for a negative one); a quadratic is
  factored from the sum and product of its roots and read by the sign rule.
- ``divide_first``: divide every term by the coefficient first, then move the constant; a quadratic's roots come
  from the quadratic formula.
- ``boundary_test``: solve the boundary equation, then test a point of the original inequality to pick the side;
  a quadratic's regions are each tested with a point (a sign chart).

Each ends with the same check: every end of the answer put back into the original inequality's two sides must make
them equal (for a quadratic, the two roots must also add up to -b/a), so a wrong end makes a claim false.
"""

from __future__ import annotations

import math
from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.inequalities.generator import linear, present
from chukmath.families.inequalities.quadratic import FLIP, SHOW, factor_text, poly_text
from chukmath.records import Problem

_HOLDS = {"<": lambda u, v: u < v, "<=": lambda u, v: u <= v, ">": lambda u, v: u > v, ">=": lambda u, v: u >= v}


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The finite ends of the answer, lowest first."""
    m = problem.meta
    if m["kind"] == "quadratic":
        return tuple(Fraction(r) for r in m["roots"])
    if m["kind"] == "compound":
        return Fraction(m["lo"] - m["b"], m["a"]), Fraction(m["hi"] - m["b"], m["a"])
    rhs = (m["c"] if m["kind"] == "one_side" else m["e"]) - m["b"]
    return (Fraction(rhs, m["a"] - m["d"]),)


def _times_plus(work: Work, a: int, v: Number, b: int) -> Number:
    """``a·v + b`` as claims (no claim for a coefficient of 1 or a zero constant)."""
    av = v if a == 1 else work.op(a, OP_MUL, v)
    return av if b == 0 else work.op(av, OP_ADD, b)


def _expect_times_plus(check: Check, a: int, v: Number, b: int, target: Number) -> None:
    """Claim ``a·v + b = target`` with the target fixed in advance."""
    if b == 0:
        check.expect(a, OP_MUL, v, target)
    else:
        check.expect(v if a == 1 else check.op(a, OP_MUL, v), OP_ADD, b, target)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Each claimed end put back into the original: both sides equal there."""
    m = problem.meta
    work = Check(problem.difficulty)
    kind = m["kind"]
    if kind == "quadratic":
        a, b, c, k = m["a"], m["b"], m["c"], m["k"]
        work.say(f"Check: at each end the left side {poly_text(a, b, c)} must equal {k}.")
        for r in claimed:
            square = work.op(r, OP_MUL, r)
            s = _times_plus(work, a, square, 0)
            s = work.op(s, OP_ADD, work.op(b, OP_MUL, r)) if b else s
            work.expect(s, OP_ADD, c, k)
        work.say("And the two roots add up to -b/a:")
        work.expect(claimed[0], OP_ADD, claimed[1], work.op(-b, OP_DIV, a))
        return work
    if kind == "compound":
        a, b = m["a"], m["b"]
        work.say(f"Check: at the two ends {linear(a, b)} must equal {m['lo']} and {m['hi']}.")
        for end, bound in zip(claimed, (m["lo"], m["hi"]), strict=True):
            _expect_times_plus(work, a, end, b, bound)
        return work
    a, b, v = m["a"], m["b"], claimed[0]
    if kind == "one_side":
        work.say(f"Check: at x = {num(v)} the two sides are equal ({linear(a, b)} = {m['c']}):")
        _expect_times_plus(work, a, v, b, m["c"])
        return work
    work.say(f"Check: at x = {num(v)} both sides take the same value.")
    right = _times_plus(work, m["d"], v, m["e"])
    _expect_times_plus(work, a, v, b, right)
    return work


def _close(problem: Problem, work: Work, ends: tuple[Fraction, ...]) -> str:
    shown = present(problem.answer)[2]
    closing = pick(problem.id, "close", (f"So the solution set is {shown}.", f"The solution set is {shown}."))
    return finish(work, check(problem, ends), closing, f"The solution set is {shown}.", problem.answer)


def _side(op: str) -> str:
    return {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}[op]


def _linear(problem: Problem, how: str) -> str:
    m = problem.meta
    a, b, d, op = m["a"], m["b"], m["d"], m["op"]
    rhs: Number = m["c"] if m["kind"] == "one_side" else m["e"]
    right = linear(d, m["e"]) if m["kind"] == "both_sides" else str(m["c"])
    work = Work(problem.difficulty)
    shown = f"{linear(a, b)} {SHOW[op]} {right}"
    work.say(pick(problem.id, "open", (f"We need every x with {shown}.", f"Solve {shown} for x.")))
    coef: Number = a
    if d:
        work.say("Collect the x terms on the left:")
        coef = work.op(a, OP_SUB, d)
    final = op if coef > 0 else FLIP[op]
    if how == "boundary_test":
        work.say(f"First solve the boundary equation {linear(int(coef), b)} = {num(rhs)}.")
        value = work.op(rhs, OP_SUB, b) if b else rhs
        value = work.op(value, OP_DIV, coef) if coef != 1 else value
        end = Fraction(value)
        t = 0 if end > 0 else math.floor(end) - (1 if end.denominator == 1 else 0)  # a whole number below the end
        work.say(f"Now test x = {t}, which is below {num(value)}, in the original inequality:")
        left_t = _times_plus(work, a, t, b)
        right_t = _times_plus(work, d, t, m["e"]) if m["kind"] == "both_sides" else rhs
        below = _HOLDS[op](left_t, right_t)
        work.say(f"{num(left_t)} {SHOW[op]} {num(right_t)} is {'true' if below else 'false'}, so the solutions lie "
                 f"{'below' if below else 'above'} {num(value)}.")  # fmt: skip
        return _close(problem, work, (Fraction(value),))
    if how == "divide_first" and coef != 1 and b:
        flip = "; dividing by a negative number flips the sign" if coef < 0 else ""
        work.say(f"Divide every term by {num(coef)} first{flip}:")
        shift = work.op(b, OP_DIV, coef)
        value = work.op(rhs, OP_DIV, coef)
        work.say(f"x {'+' if shift >= 0 else '-'} {num(abs(Fraction(shift)))} {SHOW[final]} {num(value)}")
        value = work.op(value, OP_SUB, shift)
    else:
        value = rhs
        if b:
            work.say(f"Take {b} from both sides:" if b > 0 else f"Add {-b} to both sides:")
            value = work.op(rhs, OP_SUB, b)
        if coef != 1:
            flip = " (a negative number, so the sign flips)" if coef < 0 else ""
            work.say(f"Divide both sides by {num(coef)}{flip}:")
            value = work.op(value, OP_DIV, coef)
    work.say(f"So x is {_side(final)} {num(value)}.")
    return _close(problem, work, (Fraction(value),))


def _compound(problem: Problem, how: str) -> str:
    m = problem.meta
    a, b, lo, hi = m["a"], m["b"], m["lo"], m["hi"]
    lo_op, hi_op = m["ops"]
    work = Work(problem.difficulty)
    work.say(f"We need every x with {lo} {SHOW[lo_op]} {linear(a, b)} {SHOW[hi_op]} {hi}.")
    if how == "boundary_test":
        work.say(f"Solve the two boundary equations {linear(a, b)} = {lo} and {linear(a, b)} = {hi}:")
        ends = []
        for bound in (lo, hi):
            value: Number = work.op(bound, OP_SUB, b) if b else bound
            ends.append(Fraction(work.op(value, OP_DIV, a) if a != 1 else value))
        mid = (ends[0] + ends[1]) / 2
        work.say(f"{linear(a, b)} grows with x (its coefficient {a} is positive), so x lies between {num(ends[0])} "
                 f"and {num(ends[1])}; for instance x = {num(mid)}:")  # fmt: skip
        at_mid = _times_plus(work, a, mid, b)
        work.say(f"{num(at_mid)} is between {lo} and {hi}, as it must be.")
        return _close(problem, work, (ends[0], ends[1]))
    if how == "divide_first" and a != 1:
        work.say(f"Divide all three parts by {a} first (positive, so the signs stay):")
        shift, low, high = work.op(b, OP_DIV, a), work.op(lo, OP_DIV, a), work.op(hi, OP_DIV, a)
        if shift:
            work.say(f"Then take {num(shift)} from every part:" if shift > 0 else f"Then add {num(-shift)} to every "
                     "part:")  # fmt: skip
            low, high = work.op(low, OP_SUB, shift), work.op(high, OP_SUB, shift)
        return _close(problem, work, (Fraction(low), Fraction(high)))
    low, high = lo, hi
    if b:
        work.say(f"Take {b} from every part:" if b > 0 else f"Add {-b} to every part:")
        low, high = work.op(lo, OP_SUB, b), work.op(hi, OP_SUB, b)
    if a != 1:
        work.say(f"Divide every part by {a}:")
        low, high = work.op(low, OP_DIV, a), work.op(high, OP_DIV, a)
    return _close(problem, work, (Fraction(low), Fraction(high)))


def _quadratic(problem: Problem, how: str) -> str:
    m = problem.meta
    a, b, c, k, op = m["a"], m["b"], m["c"], m["k"], m["op"]
    r1, r2 = m["roots"]
    work = Work(problem.difficulty)
    work.say(f"We need every x with {poly_text(a, b, c)} {SHOW[op]} {k}.")
    c0: Number = c
    if k:
        work.say(f"Move {k} to the left:")
        c0 = work.op(c, OP_SUB, k)
    final, p, q = op, b, c0
    if a != 1:
        final = op if a > 0 else FLIP[op]
        flip = " (negative, so the sign flips)" if a < 0 else ""
        work.say(f"Divide by {a}{flip}:")
        p, q = work.op(b, OP_DIV, a), work.op(c0, OP_DIV, a)
    monic = poly_text(1, int(p), int(q))
    work.say(f"So {monic} {SHOW[final]} 0.")
    if how == "divide_first":
        work.say(f"Find the roots with the quadratic formula: x is (-p ± √(p² - 4q)) / 2, with p the x coefficient {p} "
                 f"and q the constant {q}:")  # fmt: skip
        disc = work.op(work.op(p, OP_MUL, p), OP_SUB, work.op(4, OP_MUL, q))
        root = r2 - r1
        work.say(f"The discriminant {num(disc)} is the square of {root}:")
        work.op(root, OP_MUL, root)
        work.op(work.op(-p, OP_SUB, root), OP_DIV, 2)
        work.op(work.op(-p, OP_ADD, root), OP_DIV, 2)
    else:
        work.say(f"Its roots add up to {-p} and multiply to {q}: {r1} and {r2}.")
        work.op(r1, OP_ADD, r2)
        work.op(r1, OP_MUL, r2)
    work.say(f"So the left side is {factor_text(r1)}{factor_text(r2)}.")
    inside = final in ("<", "<=")
    if how == "boundary_test":
        work.say("Test a point of each region in the factored form:")
        points = [r1 - 1, *([r1 + 1] if r2 - r1 > 1 else []), r2 + 1]
        for t in points:
            value = work.op(work.op(t, OP_SUB, r1), OP_MUL, work.op(t, OP_SUB, r2))
            ok = _HOLDS[final](value, 0)
            work.say(f"At x = {t}: {num(value)} {SHOW[final]} 0 is {'true' if ok else 'false'}.")
        work.say(f"So the solutions lie {'between' if inside else 'outside'} the roots.")
    else:
        work.say(f"A product of two factors is negative between the roots and positive outside them, so x lies "
                 f"{'between' if inside else 'outside'} {r1} and {r2}.")  # fmt: skip
    return _close(problem, work, (Fraction(r1), Fraction(r2)))


def _route(how: str) -> Trace:
    def trace(problem: Problem) -> str:
        kind = problem.meta["kind"]
        if kind == "quadratic":
            return _quadratic(problem, how)
        if kind == "compound":
            return _compound(problem, how)
        return _linear(problem, how)

    trace.__name__ = trace.__qualname__ = how
    trace.__doc__ = f"The ``{how}`` route (see the module docstring)."
    return trace


ROUTES: dict[str, Trace] = {name: _route(name) for name in ("isolate", "divide_first", "boundary_test")}
