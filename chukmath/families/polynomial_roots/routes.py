"""``polynomial_roots`` solution routes: the rational root test with synthetic division all the way down to a linear
factor; down to a quadratic finished by two numbers with the right sum and product; down to a quadratic finished by
the quadratic formula (trying negative candidates first). Each is checked by substituting every root into the
original polynomial (Horner's rule must give 0) and by the sum of the roots (Vieta: minus the second coefficient
over the first)."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from math import isqrt

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.polynomial_roots.generator import show
from chukmath.records import Problem


def _roots(coefs: list[int]) -> Counter[int]:
    """The integer roots with multiplicity (every root is an integer dividing the constant term, or 0)."""
    found: Counter[int] = Counter()
    poly = [Fraction(c) for c in coefs]
    while len(poly) > 1:
        for r in [0, *_candidates(int(poly[-1]))]:
            out = [poly[0]]
            for c in poly[1:]:
                out.append(c + out[-1] * r)
            if out[-1] == 0:
                found[r] += 1
                poly = out[:-1]
                break
        else:
            raise ValueError(f"no integer root of {show(coefs)}")
    return found


def _candidates(const: int, negative_first: bool = False) -> list[int]:
    """Divisors of the constant term, smallest first, each with its negative."""
    n = abs(const)
    small = [d for d in range(1, isqrt(n) + 1) if n % d == 0]
    found = sorted({*small, *(n // d for d in small)})
    return [v for d in found for v in ((-d, d) if negative_first else (d, -d))]


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The distinct roots, smallest first."""
    return tuple(Fraction(r) for r in sorted(_roots(problem.meta["coefficients"])))


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Each root put into the original polynomial by Horner's rule (must give 0); the roots, each counted as often
    as it divides the polynomial, must add up to minus the second coefficient over the first."""
    coefs = problem.meta["coefficients"]
    counts = _roots(coefs)
    work = Check(problem.difficulty)
    work.say(
        pick(
            problem.id,
            "check",
            (
                f"Check: substitute each root into {show(coefs)} with nested multiplication; each must give 0.",
                "Check every root in the original polynomial (Horner's rule), then the sum of the roots.",
            ),
        )
    )
    for r in claimed:
        work.say(f"At x = {num(r)}:")
        acc: Number = coefs[0]
        for c in coefs[1:-1]:
            acc = work.op(work.op(acc, OP_MUL, r), OP_ADD, c) if c else work.op(acc, OP_MUL, r)
        if coefs[-1]:
            work.expect(work.op(acc, OP_MUL, r), OP_ADD, coefs[-1], 0)
        else:
            work.expect(acc, OP_MUL, r, 0)
    multiplicities = [counts[r] for r in sorted(counts)]
    terms = [r for r, k in zip(claimed, multiplicities, strict=True) for _ in range(k)]
    repeated = any(k > 1 for k in multiplicities)
    work.say(
        f"Vieta: the roots{', a repeated one counted each time,' if repeated else ''} add up to "
        f"minus the second coefficient over the first, -({coefs[1]}) ÷ {coefs[0]}:"
    )
    target = work.op(-coefs[1], OP_DIV, coefs[0])
    total = work.total(terms[:-1])
    work.expect(total, OP_ADD, terms[-1], target)
    return work


def _close(problem: Problem, work: Work, roots: list[int]) -> str:
    distinct = sorted(set(roots))
    shown = ", ".join(map(str, distinct))
    answer = "{" + shown + "}"
    claimed = tuple(Fraction(r) for r in distinct)
    closing = pick(problem.id, "close", (f"So the roots are x = {shown}.", f"The solutions are x = {shown}."))
    return finish(work, check(problem, claimed), closing, f"The roots are x = {shown}.", answer)


def _monic(work: Work, coefs: list[int]) -> list[int]:
    lead = coefs[0]
    if lead == 1:
        return coefs
    work.say(f"Divide every coefficient by the leading coefficient {lead} (the roots do not change):")
    return [int(work.op(c, OP_DIV, lead)) for c in coefs]


def _deflate(work: Work, coefs: list[int], stop: int, negative_first: bool = False) -> tuple[list[int], list[int]]:
    """Roots found by trial and synthetic division until ``stop`` coefficients are left; returns (roots, what is
    left)."""
    roots: list[int] = []
    while len(coefs) > stop:
        if coefs[-1] == 0:
            work.say(f"The constant term of {show(coefs)} is 0, so x = 0 is a root; factor out x.")
            roots.append(0)
            coefs = coefs[:-1]
            continue
        work.say(
            f"An integer root of {show(coefs)} divides {coefs[-1]}. Try divisors by synthetic division; "
            "a remainder of 0 means a root."
        )
        for r in _candidates(coefs[-1], negative_first):
            work.say(f"Try x = {r}:")
            out = [coefs[0]]
            for c in coefs[1:]:
                out.append(int(work.op(c, OP_ADD, work.op(out[-1], OP_MUL, r))))
            if out[-1] == 0:
                work.say(f"Remainder 0: x = {r} is a root, and the quotient is {show(out[:-1])}.")
                roots.append(r)
                coefs = out[:-1]
                break
            work.say(f"Remainder {out[-1]}, not 0.")
    return roots, coefs


def synthetic(problem: Problem) -> str:
    """Rational root test and synthetic division down to a linear factor."""
    work = Work(problem.difficulty)
    coefs = _monic(work, problem.meta["coefficients"])
    roots, (a, b) = _deflate(work, coefs, 2)
    work.say(f"The last factor is {show([a, b])}; set it to 0:")
    roots.append(int(work.op(0, OP_SUB, b)))
    return _close(problem, work, roots)


def _quadratic_left(problem: Problem, negative_first: bool) -> tuple[Work, list[int], int, int]:
    work = Work(problem.difficulty)
    coefs = _monic(work, problem.meta["coefficients"])
    roots, (_, b, c) = _deflate(work, coefs, 3, negative_first)
    return work, roots, b, c


def sum_product(problem: Problem) -> str:
    """Down to a quadratic x² + bx + c, then two numbers adding to -b and multiplying to c."""
    work, roots, b, c = _quadratic_left(problem, negative_first=False)
    disc = b * b - 4 * c
    s = isqrt(disc)
    r1, r2 = (-b - s) // 2, (-b + s) // 2
    work.say(
        f"What is left is {show([1, b, c])}: look for two numbers with sum {-b} and product {c}. {r1} and {r2} work:"
    )
    work.op(r1, OP_ADD, r2)
    work.op(r1, OP_MUL, r2)
    work.say(f"So {show([1, b, c])} factors as ({show([1, -r1])})({show([1, -r2])}).")
    return _close(problem, work, [*roots, r1, r2])


def formula(problem: Problem) -> str:
    """Down to a quadratic (negative candidates first), then the quadratic formula."""
    work, roots, b, c = _quadratic_left(problem, negative_first=True)
    work.say(f"What is left is {show([1, b, c])}. The discriminant b² - 4c:")
    disc = work.op(work.op(b, OP_MUL, b), OP_SUB, work.op(4, OP_MUL, c))
    s = isqrt(int(disc))
    if s:
        work.say(f"{num(Fraction(disc))} is a perfect square:")
        work.op(s, OP_MUL, s)
    else:
        work.say("The discriminant is 0: one repeated root.")
    work.say("x = (-b ± √D) ÷ 2:")
    r1 = work.op(work.op(-b, OP_SUB, s), OP_DIV, 2)
    r2 = work.op(work.op(-b, OP_ADD, s), OP_DIV, 2)
    return _close(problem, work, [*roots, int(r1), int(r2)])


ROUTES: dict[str, Trace] = {"synthetic": synthetic, "sum_product": sum_product, "formula": formula}
