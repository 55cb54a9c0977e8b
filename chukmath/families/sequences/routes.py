"""``sequences`` solution routes: the closed formula, stepping from another known term (or adding the terms one by
one), and a rearranged formula (term zero, Gauss's pairing, the first term recovered, a split power). Each is
checked by walking back: from the answer to the first term, or the sum formula multiplied out the other way."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num, operand
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.records import Problem


def _arith(problem: Problem) -> tuple[Fraction, Fraction]:
    """First term and common difference of an arithmetic kind."""
    m = problem.meta
    if m["kind"] == "two_terms":
        d = Fraction(m["aq"] - m["ap"], m["q"] - m["p"])
        return m["ap"] - (m["p"] - 1) * d, d
    return Fraction(m["a"]), Fraction(m["d"])


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The term or the sum."""
    m = problem.meta
    kind, n = m["kind"], m["n"]
    if kind in ("geom_term", "geom_sum"):
        a, r = Fraction(m["a"]), Fraction(m["r"])
        return (a * r ** (n - 1),) if kind == "geom_term" else (a * (r**n - 1) / (r - 1),)
    a, d = _arith(problem)
    return (a + (n - 1) * d,) if kind != "arith_sum" else (n * (2 * a + (n - 1) * d) / 2,)


def _power(work: Work, base: Fraction, exponent: int) -> Fraction:
    """``base^exponent`` as one checkable claim (the checker reads ``^``)."""
    value = base**exponent
    work.say(f"{operand(base, after_div=True)}^{exponent} = {num(value)}")
    return value


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Walk back from the answer, or multiply the sum formula out the other way."""
    m = problem.meta
    kind, n = m["kind"], m["n"]
    work = Check(problem.difficulty)
    value = claimed[0]
    if kind == "arith_term":
        work.say(f"Check by walking back: term {n} minus {n - 1} steps of {m['d']} must give the first term {m['a']}.")
        work.expect(value, OP_SUB, work.op(n - 1, OP_MUL, m["d"]), m["a"])
    elif kind == "two_terms":
        q, aq = m["q"], m["aq"]
        d = _arith(problem)[1]
        work.say(f"Check from the other given term: term {q} is {aq}; step {n - q} times by {num(d)} to term {n}.")
        work.expect(aq, OP_ADD, work.op(n - q, OP_MUL, d), value)
    elif kind == "arith_sum":
        a, d = m["a"], m["d"]
        work.say(
            f"Check with sum = {n} × first + difference × (0 + 1 + ... + {n - 1}), where that last sum is "
            f"{n} × {n - 1} ÷ 2:"
        )
        steps = work.op(work.op(n, OP_MUL, n - 1), OP_DIV, 2)
        spread = work.op(d, OP_MUL, steps)
        work.expect(value, OP_SUB, work.op(n, OP_MUL, a), spread)
    elif kind == "geom_term":
        r = Fraction(m["r"])
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check: divide by the ratio {n - 1} times; the first term {m['a']} must come back.",
                    f"Check by walking back to term 1, dividing by {num(r)} each step:",
                ),
            )
        )
        for _ in range(n - 2):
            value = work.op(value, OP_DIV, r)
        work.expect(value, OP_DIV, r, m["a"])
    else:
        a, r = m["a"], Fraction(m["r"])
        work.say(
            f"Check: the sum times (ratio - 1) must equal first term × (ratio^{n} - 1), since every other term cancels."
        )
        rn = _power(work, r, n)
        target = work.op(a, OP_MUL, work.op(rn, OP_SUB, 1))
        work.expect(value, OP_MUL, work.op(r, OP_SUB, 1), target)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    closing = pick(problem.id, "close", (f"So the answer is {num(value)}.", f"That gives {num(value)}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def _intro(problem: Problem, work: Work) -> None:
    m = problem.meta
    if m["kind"] in ("geom_term", "geom_sum"):
        work.say(f"Geometric: first term {m['a']}, each term the one before times {m['r']}.")
    elif m["kind"] != "two_terms":
        work.say(f"Arithmetic: first term {m['a']}, common difference {m['d']}.")


def formula(problem: Problem) -> str:
    """The closed formulas: a + (n - 1)d, n(a + l) ÷ 2, a·r^(n-1), a(r^n - 1) ÷ (r - 1)."""
    m = problem.meta
    kind, n = m["kind"], m["n"]
    work = Work(problem.difficulty)
    _intro(problem, work)
    if kind == "two_terms":
        p, q, ap, aq = m["p"], m["q"], m["ap"], m["aq"]
        work.say(f"From term {p} to term {q} the difference is added {q - p} times:")
        d = work.op(work.op(aq, OP_SUB, ap), OP_DIV, work.op(q, OP_SUB, p))
        work.say(f"From term {p} to term {n}:")
        return _close(problem, work, work.op(ap, OP_ADD, work.op(work.op(n, OP_SUB, p), OP_MUL, d)))
    if kind in ("arith_term", "arith_sum"):
        a, d = m["a"], m["d"]
        work.say(f"Term {n} = first term + ({n} - 1) × difference:")
        last = work.op(a, OP_ADD, work.op(work.op(n, OP_SUB, 1), OP_MUL, d))
        if kind == "arith_term":
            return _close(problem, work, last)
        work.say(f"Sum = {n} × (first + last) ÷ 2:")
        return _close(problem, work, work.op(work.op(work.op(a, OP_ADD, last), OP_MUL, n), OP_DIV, 2))
    a, r = m["a"], Fraction(m["r"])
    if kind == "geom_term":
        work.say(f"Term {n} = first term × ratio^{n - 1}:")
        return _close(problem, work, work.op(a, OP_MUL, _power(work, r, n - 1)))
    work.say(f"Sum = first term × (ratio^{n} - 1) ÷ (ratio - 1):")
    top = work.op(_power(work, r, n), OP_SUB, 1)
    return _close(problem, work, work.op(work.op(a, OP_MUL, top), OP_DIV, work.op(r, OP_SUB, 1)))


def stepping(problem: Problem) -> str:
    """Step from a known term: the fourth term shown, the first term recovered, or every term written and added."""
    m = problem.meta
    kind, n = m["kind"], m["n"]
    work = Work(problem.difficulty)
    _intro(problem, work)
    if kind == "two_terms":
        p, q, ap, aq = m["p"], m["q"], m["ap"], m["aq"]
        work.say("Find the common difference, then go back to the first term and forward to the term asked for.")
        d = work.op(work.op(aq, OP_SUB, ap), OP_DIV, work.op(q, OP_SUB, p))
        first = work.op(ap, OP_SUB, work.op(p - 1, OP_MUL, d)) if p > 1 else ap
        if p > 1:
            work.say(f"So the first term is {num(Fraction(first))}.")
        return _close(problem, work, work.op(first, OP_ADD, work.op(n - 1, OP_MUL, d)))
    if kind == "arith_term":
        a, d = m["a"], m["d"]
        fourth = a + 3 * d
        work.say(f"The fourth term, {fourth}, is given; from it to term {n} is {n} - 4 more steps of {d}:")
        return _close(problem, work, work.op(fourth, OP_ADD, work.op(work.op(n, OP_SUB, 4), OP_MUL, d)))
    if kind == "arith_sum":
        a, d = m["a"], m["d"]
        work.say("Gauss's pairing: the first and last terms, the second and second-to-last, ... all have the same sum.")
        last = work.op(a, OP_ADD, work.op(n - 1, OP_MUL, d))
        pair = work.op(a, OP_ADD, last)
        if n % 2 == 0:
            work.say(f"{n} terms make {n // 2} pairs:")
            return _close(problem, work, work.op(pair, OP_MUL, n // 2))
        work.say(f"{n} terms make {n // 2} pairs and a middle term, term {n // 2 + 1}, worth half a pair:")
        pairs = work.op(pair, OP_MUL, n // 2)
        middle = work.op(pair, OP_DIV, 2)
        return _close(problem, work, work.op(pairs, OP_ADD, middle))
    a, r = Fraction(m["a"]), Fraction(m["r"])
    work.say(pick(problem.id, "list", ("Write the terms one after another:", "Multiply by the ratio term by term:")))
    terms = [a]
    for _ in range(n - 1):
        terms.append(Fraction(work.op(terms[-1], OP_MUL, r)))
    if kind == "geom_term":
        return _close(problem, work, terms[-1])
    work.say(f"Add the {n} terms:")
    return _close(problem, work, work.total(terms))


def rearranged(problem: Problem) -> str:
    """Rearranged formulas: term zero plus n differences, first × n plus the triangular number of differences,
    a split power, the sum as first × (1 - r^n) ÷ (1 - r)."""
    m = problem.meta
    kind, n = m["kind"], m["n"]
    work = Work(problem.difficulty)
    _intro(problem, work)
    if kind == "two_terms":
        p, q, ap, aq, n = m["p"], m["q"], m["ap"], m["aq"], m["n"]
        work.say(f"Walk from term {q} instead: first the difference per step,")
        d = work.op(work.op(ap, OP_SUB, aq), OP_DIV, work.op(p, OP_SUB, q))
        return _close(problem, work, work.op(aq, OP_ADD, work.op(work.op(n, OP_SUB, q), OP_MUL, d)))
    if kind == "arith_term":
        a, d = m["a"], m["d"]
        work.say("Imagine a term zero, one step before the first: term n is then term zero plus n steps.")
        zero = work.op(a, OP_SUB, d)
        return _close(problem, work, work.op(zero, OP_ADD, work.op(n, OP_MUL, d)))
    if kind == "arith_sum":
        a, d = m["a"], m["d"]
        work.say(
            f"Every term has the first term {a} in it, and term k adds k - 1 differences: "
            f"sum = {n} × {a} + {d} × (0 + 1 + ... + {n - 1})."
        )
        base = work.op(n, OP_MUL, a)
        triangle = work.op(work.op(n - 1, OP_MUL, n), OP_DIV, 2)
        return _close(problem, work, work.op(base, OP_ADD, work.op(d, OP_MUL, triangle)))
    a, r = m["a"], Fraction(m["r"])
    if kind == "geom_term":
        half = (n - 1) // 2
        work.say(f"Split the power: ratio^{n - 1} = ratio^{half} × ratio^{n - 1 - half}.")
        low = _power(work, r, half) if half > 1 else r
        high = _power(work, r, n - 1 - half)
        return _close(problem, work, work.op(a, OP_MUL, work.op(low, OP_MUL, high)))
    work.say(f"Sum = first term × (1 - ratio^{n}) ÷ (1 - ratio):")
    top = work.op(1, OP_SUB, _power(work, r, n))
    return _close(problem, work, work.op(work.op(a, OP_MUL, top), OP_DIV, work.op(1, OP_SUB, r)))


ROUTES: dict[str, Trace] = {"formula": formula, "stepping": stepping, "rearranged": rearranged}
