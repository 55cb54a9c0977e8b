"""``percent_ratio`` solution routes: the multiplier (p/100, the factor 1 ± p/100, the fraction of the whole), the
unit method (1 % first, one part first, the rate for one), and multiply-then-divide (scaling to 100, building a
percent from 10 % pieces). Each is checked by running the relation backwards from the answer to a given number."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.families.percent_ratio.generator import _PERCENT_ANSWERS
from chukmath.records import Problem

_MONEY = ("change", "reverse")


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The answer as a number (a percent answer without its sign)."""
    m = problem.meta
    kind = m["kind"]
    if kind == "percent_of":
        return (Fraction(m["p"] * m["n"], 100),)
    if kind == "what_percent":
        return (Fraction(m["part"] * 100, m["whole"]),)
    if kind == "change":
        return (abs(Fraction(m["new"]) - m["old"]) * 100 / m["old"],)
    if kind == "reverse":
        return (Fraction(m["final"]) * 100 / (100 + m["p"] if m["up"] else 100 - m["p"]),)
    if kind == "share":
        return (Fraction(m["total"] * m["parts"][m["who"]], sum(m["parts"])),)
    return (Fraction(m["a"] * m["t2"], m["t"]),)


def _work(problem: Problem, cls: type[Work] = Work) -> Work:
    return cls(problem.difficulty, "decimal" if problem.meta["kind"] in _MONEY else "fraction")


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Run the relation backwards from the answer to one of the given numbers."""
    m = problem.meta
    kind = m["kind"]
    work = _work(problem, Check)
    assert isinstance(work, Check)
    value = claimed[0]
    if kind == "percent_of":
        work.say(f"Check: the answer as a share of {m['n']}, times 100, must give back {m['p']} percent.")
        work.expect(work.op(value, OP_DIV, m["n"]), OP_MUL, 100, m["p"])
    elif kind == "what_percent":
        work.say(f"Check: that percent of {m['whole']} must be the part, {m['part']}.")
        work.expect(work.op(value, OP_MUL, m["whole"]), OP_DIV, 100, m["part"])
    elif kind == "change":
        old, up = m["old"], m["up"]
        work.say(f"Check: {'raise' if up else 'lower'} the old price by that percent; the new price must come out.")
        pct = work.op(100, OP_ADD if up else OP_SUB, value)
        work.expect(work.op(old, OP_MUL, pct), OP_DIV, 100, Fraction(m["new"]))
    elif kind == "reverse":
        p, up = m["p"], m["up"]
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check: apply the {p}% {'increase' if up else 'discount'} to the price "
                    "found; the final price must come out.",
                    "Check by going forwards from the original price:",
                ),
            )
        )
        factor = work.op(work.op(100, OP_ADD if up else OP_SUB, p), OP_DIV, 100)
        work.expect(value, OP_MUL, factor, Fraction(m["final"]))
    elif kind == "share":
        parts_, who = m["parts"], m["who"]
        work.say(
            f"Check: {m['names'][who]}'s {parts_[who]} parts give the size of one part; all "
            f"{sum(parts_)} parts must make the ${m['total']}."
        )
        work.expect(work.op(value, OP_DIV, parts_[who]), OP_MUL, sum(parts_), m["total"])
    else:
        work.say(
            f"Check: the answer shared over {m['t2']} gives the rate for one; {m['t']} of them must give {m['a']}."
        )
        work.expect(work.op(value, OP_DIV, m["t2"]), OP_MUL, m["t"], m["a"])
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    decimal = num(value, "decimal")
    shown = f"{decimal}%" if problem.meta["kind"] in _PERCENT_ANSWERS and "/" not in decimal else num(value)
    closing = pick(problem.id, "close", (f"So the answer is {shown}.", f"That makes {shown}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {shown}.", num(value))


def multiplier(problem: Problem) -> str:
    """One multiplier: p/100 of n, part/whole of 100, the old price's factor, ÷ (1 ± p/100), parts/sum of the total,
    the time ratio t2/t."""
    m = problem.meta
    kind = m["kind"]
    work = _work(problem)
    if kind == "percent_of":
        work.say(f"{m['p']} percent is the fraction {m['p']}/100; multiply:")
        return _close(problem, work, work.op(work.op(m["p"], OP_DIV, 100), OP_MUL, m["n"]))
    if kind == "what_percent":
        work.say("The part as a fraction of the whole, turned into hundredths:")
        return _close(problem, work, work.op(work.op(m["part"], OP_DIV, m["whole"]), OP_MUL, 100))
    if kind == "change":
        old, new = m["old"], Fraction(m["new"])
        work.say("The new price as a multiple of the old:")
        ratio = work.op(new, OP_DIV, old)
        work.say("The change from 1 (the whole old price), in hundredths:")
        diff = work.op(ratio, OP_SUB, 1) if m["up"] else work.op(1, OP_SUB, ratio)
        return _close(problem, work, work.op(diff, OP_MUL, 100))
    if kind == "reverse":
        p, up = m["p"], m["up"]
        work.say(f"The final price is the original times {'1 + ' if up else '1 - '}{p}/100:")
        factor = work.op(1, OP_ADD if up else OP_SUB, Fraction(p, 100))
        work.say("Divide the final price by that factor:")
        return _close(problem, work, work.op(Fraction(m["final"]), OP_DIV, factor))
    if kind == "share":
        parts_, who = m["parts"], m["who"]
        work.say(f"{m['names'][who]} gets {parts_[who]} of the {sum(parts_)} parts, that fraction of the total:")
        whole = work.total(parts_)
        return _close(problem, work, work.op(Fraction(parts_[who], int(whole)), OP_MUL, m["total"]))
    work.say(f"{m['t2']} is {num(Fraction(m['t2'], m['t']))} times {m['t']}, so scale {m['a']} by that factor:")
    factor = work.op(m["t2"], OP_DIV, m["t"])
    return _close(problem, work, work.op(m["a"], OP_MUL, factor))


def unit(problem: Problem) -> str:
    """The unit method: 1 % (or one part, or one unit of time) first, then scale up."""
    m = problem.meta
    kind = m["kind"]
    work = _work(problem)
    if kind == "percent_of":
        work.say(f"1 percent of {m['n']} is {m['n']} ÷ 100; then take {m['p']} of those:")
        return _close(problem, work, work.op(work.op(m["n"], OP_DIV, 100), OP_MUL, m["p"]))
    if kind == "what_percent":
        work.say(f"1 percent of {m['whole']} is {m['whole']} ÷ 100; count how many of those fit in {m['part']}:")
        return _close(problem, work, work.op(m["part"], OP_DIV, work.op(m["whole"], OP_DIV, 100)))
    if kind == "change":
        old, new, up = m["old"], Fraction(m["new"]), m["up"]
        work.say("The price moved by:")
        diff = work.op(new, OP_SUB, old) if up else work.op(old, OP_SUB, new)
        work.say(f"1 percent of the old price is {old} ÷ 100; how many of those make the change?")
        return _close(problem, work, work.op(diff, OP_DIV, work.op(old, OP_DIV, 100)))
    if kind == "reverse":
        p, up = m["p"], m["up"]
        work.say(f"The final price is {100 + p if up else 100 - p} percent of the original:")
        pct = work.op(100, OP_ADD if up else OP_SUB, p)
        work.say("So 1 percent of the original is the final price ÷ that, and the original is 100 of those:")
        one = work.op(Fraction(m["final"]), OP_DIV, pct)
        return _close(problem, work, work.op(one, OP_MUL, 100))
    if kind == "share":
        parts_, who = m["parts"], m["who"]
        work.say("Add the parts of the ratio, find one part, then take the share:")
        one = work.op(m["total"], OP_DIV, work.total(parts_))
        return _close(problem, work, work.op(one, OP_MUL, parts_[who]))
    unit_a, unit_t = m["units"]
    work.say(f"First the {unit_a} for one of the {unit_t}, then for {m['t2']}:")
    return _close(problem, work, work.op(work.op(m["a"], OP_DIV, m["t"]), OP_MUL, m["t2"]))


def scaled(problem: Problem) -> str:
    """Multiply first, divide last; a percent built from 10 % pieces; a whole scaled to 100."""
    m = problem.meta
    kind = m["kind"]
    work = _work(problem)
    if kind == "percent_of":
        p, n = m["p"], m["n"]
        tens, ones = divmod(p, 10)
        if tens and ones:
            work.say(f"Build {p} percent from pieces: {tens} × 10 percent and {ones} × 1 percent.")
            ten = work.op(n, OP_DIV, 10)
            one = work.op(n, OP_DIV, 100)
            return _close(problem, work, work.op(work.op(ten, OP_MUL, tens), OP_ADD, work.op(one, OP_MUL, ones)))
        work.say(f"Multiply {n} by {p}, then divide by 100:")
        return _close(problem, work, work.op(work.op(n, OP_MUL, p), OP_DIV, 100))
    if kind == "what_percent":
        work.say(f"Scale the whole {m['whole']} to 100 and the part with it: part × 100 ÷ whole.")
        return _close(problem, work, work.op(work.op(m["part"], OP_MUL, 100), OP_DIV, m["whole"]))
    if kind == "change":
        old, new, up = m["old"], Fraction(m["new"]), m["up"]
        diff = work.op(new, OP_SUB, old) if up else work.op(old, OP_SUB, new)
        work.say("Change × 100 ÷ old price:")
        return _close(problem, work, work.op(work.op(diff, OP_MUL, 100), OP_DIV, old))
    if kind == "reverse":
        p, up = m["p"], m["up"]
        pct = 100 + p if up else 100 - p
        work.say(f"Original = final × 100 ÷ {pct}, since the final price is {pct} hundredths of it:")
        work.op(100, OP_ADD if up else OP_SUB, p)
        return _close(problem, work, work.op(work.op(Fraction(m["final"]), OP_MUL, 100), OP_DIV, pct))
    if kind == "share":
        parts_, who = m["parts"], m["who"]
        whole = work.total(parts_)
        work.say(f"Share = total × {parts_[who]} ÷ {num(Fraction(whole))}:")
        return _close(problem, work, work.op(work.op(m["total"], OP_MUL, parts_[who]), OP_DIV, whole))
    work.say(f"Multiply {m['a']} by {m['t2']}, then divide by {m['t']}:")
    return _close(problem, work, work.op(work.op(m["a"], OP_MUL, m["t2"]), OP_DIV, m["t"]))


ROUTES: dict[str, Trace] = {"multiplier": multiplier, "unit": unit, "scaled": scaled}
