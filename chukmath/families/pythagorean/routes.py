"""``pythagorean`` solution routes: squares added directly, a common factor (or a known triple) scaled out, and the
square of a sum or a difference of squares; each checked by putting the answer back into a² + b² = c²."""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from chukmath.families.common.format import OP_ADD, OP_MUL, OP_SUB, num
from chukmath.families.common.radicals import by_hand, split_sqrt, sqrt_text
from chukmath.families.common.worked import Check, Work, finish, pick, square_root
from chukmath.families.contract import Trace
from chukmath.records import Problem

_PRIMITIVE = {
    (3, 4, 5),
    (5, 12, 13),
    (8, 15, 17),
    (7, 24, 25),
    (20, 21, 29),
    (9, 40, 41),
    (12, 35, 37),
    (11, 60, 61),
    (16, 63, 65),
    (28, 45, 53),
    (33, 56, 65),
    (48, 55, 73),
    (13, 84, 85),
    (36, 77, 85),
    (39, 80, 89),
    (65, 72, 97),
}


def _square(m: dict[str, int]) -> int:
    return m["a"] ** 2 + m["b"] ** 2 if m["find"] == "hypotenuse" else m["c"] ** 2 - m["a"] ** 2


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The answer ``k√m`` as ``(k,)`` (the radicand m is fixed by the problem)."""
    return (Fraction(split_sqrt(_square(problem.meta))[0]),)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Put the claimed side back into the theorem: a whole-number side through a difference of squares, a radical
    one by squaring it."""
    m = problem.meta
    rest = split_sqrt(_square(m))[1]
    side = claimed[0]
    work = Check(problem.difficulty)
    hypotenuse = m["find"] == "hypotenuse"
    a = m["a"]
    other = m["b"] if hypotenuse else m["c"]
    if rest == 1:
        work.say(
            pick(
                problem.id,
                "check",
                ("Check with a difference of squares:", "Check another way: x² - y² = (x - y)(x + y)."),
            )
        )
        big, small = (side, a) if hypotenuse else (other, side)
        target = other * other if hypotenuse else a * a
        work.op(other, OP_MUL, other) if hypotenuse else work.op(a, OP_MUL, a)
        work.say(
            f"{num(Fraction(big))}² - {num(Fraction(small))}² = ({num(Fraction(big))} - {num(Fraction(small))}) "
            f"× ({num(Fraction(big))} + {num(Fraction(small))}) must equal {target}:"
        )
        work.expect(work.op(big, OP_SUB, small), OP_MUL, work.op(big, OP_ADD, small), target)
        return work
    work.say(
        pick(
            problem.id,
            "check",
            (
                "Check by squaring the answer and putting it back into the theorem:",
                "To check, square the side found and compare.",
            ),
        )
    )
    square = work.op(work.op(side, OP_MUL, side), OP_MUL, rest)
    if hypotenuse:
        work.say(f"The hypotenuse squared minus {a} squared must leave {other} squared:")
        work.expect(square, OP_SUB, work.op(a, OP_MUL, a), other * other)
    else:
        work.say(f"The leg found, squared, plus {a} squared must give {other} squared:")
        work.expect(square, OP_ADD, work.op(a, OP_MUL, a), other * other)
    return work


def _close(problem: Problem, work: Work, k: int, rest: int) -> str:
    what = "hypotenuse" if problem.meta["find"] == "hypotenuse" else "other leg"
    answer = sqrt_text(k, rest)
    closing = f"So the {what} is {by_hand(answer)}."
    return finish(work, check(problem, (Fraction(k),)), closing, f"The answer is {by_hand(answer)}.", answer)


def _intro(problem: Problem, work: Work) -> None:
    m = problem.meta
    if m["find"] == "hypotenuse":
        work.say(
            pick(
                problem.id,
                "intro",
                (
                    f"The legs are {m['a']} and {m['b']}; the hypotenuse squared is the sum of their squares.",
                    f"Right triangle with legs {m['a']} and {m['b']}: c² = a² + b².",
                    f"By Pythagoras, hypotenuse² = {m['a']}² + {m['b']}².",
                ),
            )
        )
    else:
        work.say(
            pick(
                problem.id,
                "intro",
                (
                    f"The hypotenuse is {m['c']} and one leg is {m['a']}; the other leg squared is "
                    f"{m['c']}² - {m['a']}².",
                    f"Right triangle with hypotenuse {m['c']} and leg {m['a']}: b² = c² - a².",
                    "By Pythagoras, the missing leg squared is the hypotenuse squared minus the known leg squared.",
                ),
            )
        )


def direct(problem: Problem) -> str:
    """Square each side, add or subtract, take the root."""
    m = problem.meta
    work = Work(problem.difficulty)
    _intro(problem, work)
    if m["find"] == "hypotenuse":
        square = work.op(work.op(m["a"], OP_MUL, m["a"]), OP_ADD, work.op(m["b"], OP_MUL, m["b"]))
    else:
        square = work.op(work.op(m["c"], OP_MUL, m["c"]), OP_SUB, work.op(m["a"], OP_MUL, m["a"]))
    k, rest = square_root(work, int(square))
    return _close(problem, work, k, rest)


def scaled(problem: Problem) -> str:
    """Take the common factor of the two given sides out first (and spot a known triple when one is left)."""
    m = problem.meta
    first, second = (m["a"], m["b"]) if m["find"] == "hypotenuse" else (m["a"], m["c"])
    g = gcd(first, second)
    work = Work(problem.difficulty)
    _intro(problem, work)
    if g > 1:
        work.say(f"Both given sides are multiples of {g}, so the triangle is {g} times a smaller one:")
        p, q = work.op(first, "÷", g), work.op(second, "÷", g)
    else:
        work.say("The two given sides share no common factor, so work with them as they are.")
        p, q = first, second
    small = (int(p), int(q))
    if m["find"] == "hypotenuse":
        known = next((c for a, b, c in _PRIMITIVE if {a, b} == set(small)), None)
    else:
        known = next((b for a, b, c in _PRIMITIVE if c == small[1] and small[0] == a), None)
        known = known or next((a for a, b, c in _PRIMITIVE if c == small[1] and small[0] == b), None)
    if known is not None:
        triple = sorted([*small, known])
        work.say(f"{triple[0]}, {triple[1]}, {triple[2]} is a known Pythagorean triple:")
        work.op(work.op(triple[0], OP_MUL, triple[0]), OP_ADD, work.op(triple[1], OP_MUL, triple[1]))
        work.op(triple[2], OP_MUL, triple[2])
        k, rest = known, 1
    else:
        p2, q2 = work.op(p, OP_MUL, p), work.op(q, OP_MUL, q)
        small_square = work.op(p2, OP_ADD, q2) if m["find"] == "hypotenuse" else work.op(q2, OP_SUB, p2)
        k, rest = square_root(work, int(small_square), by_primes=True)
    if g > 1:
        work.say(f"Scale back up by {g}:")
        k = int(work.op(k, OP_MUL, g))
    return _close(problem, work, int(k), rest)


def identity(problem: Problem) -> str:
    """A difference of squares for a leg, c² - a² = (c - a)(c + a); the square of a sum for a hypotenuse,
    a² + b² = (a + b)² - 2ab."""
    m = problem.meta
    work = Work(problem.difficulty)
    _intro(problem, work)
    if m["find"] == "leg":
        c, a = m["c"], m["a"]
        work.say(f"A difference of squares factors: {c}² - {a}² = ({c} - {a}) × ({c} + {a}).")
        square = work.op(work.op(c, OP_SUB, a), OP_MUL, work.op(c, OP_ADD, a))
    else:
        a, b = m["a"], m["b"]
        work.say(f"Use a² + b² = (a + b)² - 2ab with a = {a} and b = {b}.")
        s = work.op(a, OP_ADD, b)
        s2 = work.op(s, OP_MUL, s)
        twice = work.op(work.op(2, OP_MUL, a), OP_MUL, b)
        square = work.op(s2, OP_SUB, twice)
    k, rest = square_root(work, int(square), by_primes=problem.difficulty % 2 == 0)
    return _close(problem, work, k, rest)


ROUTES: dict[str, Trace] = {"direct": direct, "scaled": scaled, "identity": identity}
