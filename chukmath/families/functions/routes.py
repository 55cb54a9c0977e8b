"""``functions`` solution routes: term by term with powers, nested (Horner's) multiplication, or powers built up
from the constant term; an inverse by undoing steps, dividing first, or asking how far from f(0) the target lies.
Each is checked independently: a value by Horner's rule, an inverse by putting it back into the function."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.functions.generator import show, value
from chukmath.records import Problem


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The value asked for."""
    m = problem.meta
    if m["kind"] == "inverse":
        a, b = m["f"]
        return (Fraction(m["target"] - b, a),)
    if m["kind"] == "evaluate":
        return (value(m["f"], Fraction(m["a"])),)
    return (value(m["f"], value(m["g"], Fraction(m["a"]))),)


def _horner(work: Work, coefs: list[int], x: Number) -> Number:
    """Nested multiplication: start with the leading coefficient; × x, + next coefficient, down to the constant."""
    acc: Number = coefs[0]
    for c in coefs[1:]:
        acc = work.op(acc, OP_MUL, x)
        if c:
            acc = work.op(acc, OP_ADD, c)
    return acc


def _horner_expect(work: Check, coefs: list[int], x: Number, claimed: Fraction) -> None:
    """Horner's rule with its last operation claimed to give ``claimed``."""
    if len(coefs) == 1:
        work.expect(coefs[0], OP_ADD, 0, claimed)
        return
    acc: Number = coefs[0]
    for c in coefs[1:-1]:
        acc = work.op(acc, OP_MUL, x)
        if c:
            acc = work.op(acc, OP_ADD, c)
    last = coefs[-1]
    if last:
        work.expect(work.op(acc, OP_MUL, x), OP_ADD, last, claimed)
    else:
        work.expect(acc, OP_MUL, x, claimed)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """A value recomputed by Horner's rule; an inverse put back into the function."""
    m = problem.meta
    outer, inner = m["names"]
    work = Check(problem.difficulty)
    if m["kind"] == "inverse":
        a, b = m["f"]
        work.say(f"Check: {outer} of the answer must be {m['target']}.")
        product = work.op(a, OP_MUL, claimed[0])
        work.expect(product, OP_ADD, b, m["target"])
        return work
    work.say(
        pick(
            problem.id,
            "check",
            (
                "Check with nested multiplication (Horner's rule): start from the leading "
                "coefficient, then multiply by x and add the next coefficient each time.",
                "Check another way, by Horner's rule:",
            ),
        )
    )
    x: Number = Fraction(m["a"])
    if m["kind"] == "compose":
        work.say(f"{inner}({m['a']}) first:")
        x = _horner(work, m["g"], x)
        work.say(f"then {outer} at {num(Fraction(x))}:")
    _horner_expect(work, m["f"], x, claimed[0])
    return work


def _close(problem: Problem, work: Work, result: Number) -> str:
    result = Fraction(result)
    closing = pick(problem.id, "close", (f"So the answer is {num(result)}.", f"The value is {num(result)}."))
    return finish(work, check(problem, (result,)), closing, f"The answer is {num(result)}.", num(result))


def _terms(work: Work, coefs: list[int], x: Number, ascending: bool) -> Number:
    """Term by term: powers of x (built up one multiplication at a time), each times its coefficient, then added."""
    degree = len(coefs) - 1
    powers: dict[int, Number] = {0: 1, 1: x}
    for p in range(2, degree + 1):
        powers[p] = work.op(powers[p - 1], OP_MUL, x)
    order = range(degree, -1, -1) if not ascending else range(0, degree + 1)
    terms: list[Number] = []
    for p in order:
        c = coefs[degree - p]
        if c == 0:
            continue
        terms.append(c if p == 0 else powers[p] if c == 1 else work.op(c, OP_MUL, powers[p]))
    return work.total(terms) if len(terms) > 1 else terms[0]


def _evaluate_route(problem: Problem, how: str) -> str:
    m = problem.meta
    outer, inner = m["names"]
    work = Work(problem.difficulty)
    a = Fraction(m["a"])

    def run(coefs: list[int], x: Number) -> Number:
        if how == "horner":
            work.say(f"Nest {show(coefs)} as repeated multiply-and-add, from the leading coefficient:")
            return _horner(work, coefs, x)
        work.say(
            f"Substitute x = {num(Fraction(x))} into {show(coefs)}"
            + (", smallest power first:" if how == "ascending" else ", term by term:")
        )
        return _terms(work, coefs, x, how == "ascending")

    if m["kind"] == "evaluate":
        return _close(problem, work, run(m["f"], a))
    work.say(f"Inside out: {inner}({m['a']}) first, then {outer} of that.")
    inside = run(m["g"], a)
    work.say(f"So {inner}({m['a']}) is {num(Fraction(inside))}.")
    return _close(problem, work, run(m["f"], inside))


def _inverse(problem: Problem, how: str) -> str:
    m = problem.meta
    (a, b), target = m["f"], m["target"]
    name = m["names"][0]
    work = Work(problem.difficulty)
    if how == "undo":
        work.say(f"The inverse at {target} is the x with {name}(x) = {target}: undo the steps of {show(m['f'])}.")
        rest = work.op(target, OP_SUB, b) if b else target
        return _close(problem, work, work.op(rest, OP_DIV, a))
    if how == "divide_first":
        work.say(f"Solve {show(m['f'])} = {target} by dividing everything by {a} first:")
        scaled = work.op(target, OP_DIV, a)
        shift = work.op(b, OP_DIV, a) if b else 0
        return _close(problem, work, work.op(scaled, OP_SUB, shift) if b else scaled)
    work.say(f"{name}(0) is {b}, and each step of 1 in x changes {name} by {a}. How far is {target} from {b}?")
    gap = work.op(target, OP_SUB, b)
    work.say(f"Divide that gap by the change per step, {a}:")
    return _close(problem, work, work.op(gap, OP_DIV, a))


def term_by_term(problem: Problem) -> str:
    """Powers of x, each term, then the sum; an inverse by undoing the steps in reverse order."""
    if problem.meta["kind"] == "inverse":
        return _inverse(problem, "undo")
    return _evaluate_route(problem, "terms")


def nested(problem: Problem) -> str:
    """Horner's rule; an inverse by dividing through by the slope first."""
    if problem.meta["kind"] == "inverse":
        return _inverse(problem, "divide_first")
    return _evaluate_route(problem, "horner")


def ascending(problem: Problem) -> str:
    """The constant term first, powers built up; an inverse as the distance from f(0) over the slope."""
    if problem.meta["kind"] == "inverse":
        return _inverse(problem, "gap")
    return _evaluate_route(problem, "ascending")


ROUTES: dict[str, Trace] = {"term_by_term": term_by_term, "nested": nested, "ascending": ascending}
