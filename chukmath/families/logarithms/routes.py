"""``logarithms`` solution routes: powers of one common base with exponents compared, the logarithm undone
(exponentiate both sides, or take the logarithm of both sides), and a table of powers or repeated division that
counts the exponent. Each is checked by putting the answer back: the exponent times the base's own exponent, the
power divided back down to 1, the solution substituted into the exponent."""

from __future__ import annotations

from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num
from chukmath.families.common.worked import Check, Work, finish, pick
from chukmath.families.contract import Trace
from chukmath.records import Problem


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """The answer."""
    m = problem.meta
    kind = m["kind"]
    if kind == "value":
        return (Fraction(m["n"], m["m"]),)
    if kind == "log_equation":
        return (Fraction(m["b"]) ** m["k"],)
    if kind == "exp_equation":
        return ((Fraction(m["m2"] * m["k"], m["m"]) - m["q"]) / m["p"],)
    return (Fraction(m["k"]),)


def _power_line(work: Work, base: int, n: int) -> int:
    """``base^n = value`` as one claim (n >= 2; the checker reads ``^``)."""
    value = base**n
    work.say(f"{base}^{n} = {value}")
    return value


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Put the answer back into the question."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    value = claimed[0]
    if kind == "value":
        c, mm, n = m["c"], m["m"], m["n"]
        b, x = c**mm, Fraction(c) ** n
        if value.denominator != 1:
            work.say(f"Check: the base is {c}^{mm} and the number is {c}^{n}, so the answer times {mm} must be {n}.")
            work.expect(value, OP_MUL, mm, n)
            return work
        y = int(value)
        work.say(f"Check: {b} to the power {y} must be {num(x)}.")
        if y == 0:
            work.expect(x, OP_MUL, b, b)
            return work
        power = _power_line(work, b, abs(y)) if abs(y) >= 2 else b
        if y > 0:
            work.expect(power, OP_DIV, x, 1)
        else:
            work.expect(x, OP_MUL, power, 1)
    elif kind == "log_equation":
        b, k = m["b"], m["k"]
        if k == 0:
            work.say(f"Check: {b} to the power 0 is 1, so x times {b} must be {b}.")
            work.expect(value, OP_MUL, b, b)
        elif k > 0:
            work.say(f"Check: dividing x by {b} {k} times must leave exactly 1.")
            for _ in range(k - 1):
                value = work.op(value, OP_DIV, b)
            work.expect(value, OP_DIV, b, 1)
        else:
            work.say(f"Check: multiplying x by {b} {-k} times must give exactly 1.")
            for _ in range(-k - 1):
                value = work.op(value, OP_MUL, b)
            work.expect(value, OP_MUL, b, 1)
    elif kind == "exp_equation":
        c, mm, p, q, m2, k = m["c"], m["m"], m["p"], m["q"], m["m2"], m["k"]
        work.say(
            pick(
                problem.id,
                "check",
                (
                    f"Check by substituting x into the exponent {p}x + {q}; in powers of {c} the left side has "
                    f"exponent {mm} times that, which must be {m2 * k}.",
                    f"Check: put x back into the exponent; {mm} times the exponent must equal {m2 * k}.",
                ),
            )
        )
        exponent = work.op(p, OP_MUL, value) if p != 1 else value
        if q:
            exponent = work.op(exponent, OP_ADD, q)
        work.expect(exponent, OP_MUL, mm, m2 * k)
    else:
        b, x, y, minus = m["b"], m["x"], m["y"], m["minus"]
        work.say(f"Check: the combined number divided by {b} as many times as the answer says must leave 1.")
        inside = work.op(x, OP_DIV if minus else OP_MUL, y)
        steps = int(value) if value.denominator == 1 and value > 0 else 1
        for _ in range(steps - 1):
            inside = work.op(inside, OP_DIV, b)
        work.expect(inside, OP_DIV, b, 1)
    return work


def _close(problem: Problem, work: Work, value: Number) -> str:
    value = Fraction(value)
    closing = pick(problem.id, "close", (f"So the answer is {num(value)}.", f"The answer comes out as {num(value)}."))
    return finish(work, check(problem, (value,)), closing, f"The answer is {num(value)}.", num(value))


def _power_of(work: Work, c: int, n: int) -> None:
    """Say which power of ``c`` the number ``c^n`` is, with a claim where there is arithmetic to check."""
    if n >= 2:
        _power_line(work, c, n)
    elif n == 1:
        work.say(f"{c} is {c} to the power 1.")
    elif n == 0:
        work.say(f"1 is {c} to the power 0.")
    else:
        power = _power_line(work, c, -n) if -n >= 2 else c
        work.op(1, OP_DIV, power)
        work.say(f"so 1/{power} is {c} to the power {n}.")


def _exp_exponent(work: Work, problem: Problem) -> Number:
    """The exponent both sides of an exponential equation share, in powers of ``b`` (m2·k ÷ m)."""
    m = problem.meta
    c, mm, m2, k = m["c"], m["m"], m["m2"], m["k"]
    if mm > 1:
        _power_line(work, c, mm)
    if m2 * k >= 2:
        _power_line(work, c, m2 * k)
    total = work.op(m2, OP_MUL, k) if m2 > 1 else k
    return work.op(total, OP_DIV, mm) if mm > 1 else total


def common_base(problem: Problem) -> str:
    """Both numbers as powers of one base; compare the exponents."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "value":
        c, mm, n = m["c"], m["m"], m["n"]
        b = c**mm
        work.say(f"Write the base {b} and the number as powers of {c}.")
        if mm > 1:
            _power_line(work, c, mm)
        _power_of(work, c, n)
        work.say(f"The logarithm is the power y with ({c}^{mm})^y = {c}^{n}: so {mm} × y must be {n}.")
        return _close(problem, work, work.op(n, OP_DIV, mm))
    if kind == "log_equation":
        b, k = m["b"], m["k"]
        work.say(f"log base {b} of x equal to {k} means x is {b} to the power {k}.")
        if k == 0:
            work.say("Any nonzero number to the power 0 is 1.")
            return _close(problem, work, 1)
        power = work.product([b] * abs(k)) if abs(k) > 1 else b
        return _close(problem, work, power if k > 0 else work.op(1, OP_DIV, power))
    if kind == "exp_equation":
        p, q = m["p"], m["q"]
        work.say(f"Write both sides as powers of {m['c']} and compare exponents.")
        target = _exp_exponent(work, problem)
        work.say(f"So {p}x + {q} must equal {num(Fraction(target))}; undo the + {q}, then the × {p}:")
        rest = work.op(target, OP_SUB, q) if q else target
        return _close(problem, work, work.op(rest, OP_DIV, p) if p != 1 else rest)
    b, x, y, minus, k = m["b"], m["x"], m["y"], m["minus"], m["k"]
    work.say(
        f"Logs with the same base combine: the {'difference' if minus else 'sum'} is the log of the "
        f"{'quotient' if minus else 'product'}."
    )
    work.op(x, OP_DIV if minus else OP_MUL, y)
    if k >= 2:
        _power_line(work, b, k)
    work.say(f"That number is {b} to the power {k}.")
    return _close(problem, work, k)


def undo(problem: Problem) -> str:
    """Undo the logarithm or the power: exponentiate both sides, or take the logarithm of both sides."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "value":
        c, mm, n = m["c"], m["m"], m["n"]
        b = c**mm
        if mm > 1:
            work.say(
                f"Call the answer y, so {b}^y equals the number. Since {b} is {c}^{mm}, {c} is {b} to the "
                f"power 1/{mm}, and the number is {c}^{n}."
            )
        else:
            work.say(f"Call the answer y: {b}^y must equal the number, so write the number as a power of {b}.")
        if mm > 1:
            _power_line(work, c, mm)
        _power_of(work, c, n)
        if mm == 1:
            work.say(f"So y is {n}.")
            return _close(problem, work, n)
        work.say(f"Each factor {c} is {b} to the power 1/{mm}, so y is {n} times 1/{mm}:")
        return _close(problem, work, work.op(n, OP_MUL, Fraction(1, mm)))
    if kind == "log_equation":
        b, k = m["b"], m["k"]
        work.say(f"Raise {b} to both sides: x = {b}^{k}. Build the power up, one line per exponent:")
        if k == 0:
            work.say(f"{b}^0 is 1.")
            return _close(problem, work, 1)
        for e in range(2, abs(k) + 1):
            _power_line(work, b, e)
        power = b ** abs(k)
        return _close(problem, work, power if k > 0 else work.op(1, OP_DIV, power))
    if kind == "exp_equation":
        b, p, q = m["c"] ** m["m"], m["p"], m["q"]
        work.say(f"Take log base {b} of both sides: the left side gives the exponent {p}x + {q}.")
        target = _exp_exponent(work, problem)
        work.say(f"Divide everything by {p} first, then move the {q} over:" if p != 1 else f"Move the {q} over:")
        scaled = work.op(target, OP_DIV, p) if p != 1 else target
        shift = work.op(q, OP_DIV, p) if p != 1 and q else q
        return _close(problem, work, work.op(scaled, OP_SUB, shift) if q else scaled)
    b, x, y, minus, k = m["b"], m["x"], m["y"], m["minus"], m["k"]
    work.say(f"Combine into one log, then count how many factors of {b} the number holds: divide by {b} until 1.")
    inside = work.op(x, OP_DIV if minus else OP_MUL, y)
    count = 0
    while inside != 1:
        inside = work.op(inside, OP_DIV, b)
        count += 1
    work.say(f"That took {count} division{'s' if count != 1 else ''}.")
    return _close(problem, work, count)


def table(problem: Problem) -> str:
    """A table of powers read against the number (or the equation solved in the other order)."""
    m = problem.meta
    kind = m["kind"]
    work = Work(problem.difficulty)
    if kind == "value":
        c, mm, n = m["c"], m["m"], m["n"]
        work.say(f"List powers of {c} until the base {c**mm} and the number {num(Fraction(c) ** n)} both appear.")
        for e in range(2, max(mm, abs(n)) + 1):
            _power_line(work, c, e)
        if n < 0:
            work.op(1, OP_DIV, c ** (-n))
        work.say(f"The base is {c}^{mm} and the number is {c}^{n}; the answer is the ratio of the exponents:")
        return _close(problem, work, work.op(n, OP_DIV, mm) if mm != 1 else n)
    if kind == "log_equation":
        b, k = m["b"], m["k"]
        if k == 0:
            work.say(f"A logarithm is 0 exactly when the number is 1 ({b}^0).")
            return _close(problem, work, 1)
        half = abs(k) // 2
        work.say(f"x = {b}^{k}. Square a half power: {b}^{abs(k)} = {b}^{half} × {b}^{abs(k) - half}.")
        low = work.product([b] * half) if half > 1 else b
        high = work.op(low, OP_MUL, b) if abs(k) - half > half else low
        power = work.op(low, OP_MUL, high) if half else b
        return _close(problem, work, power if k > 0 else work.op(1, OP_DIV, power))
    if kind == "exp_equation":
        p, q = m["p"], m["q"]
        work.say(
            f"Match exponents in powers of {m['c']}; then solve {p}x + {q} = (that exponent) by guessing x = 0 "
            f"and correcting: at x = 0 the exponent is {q}."
        )
        target = _exp_exponent(work, problem)
        gap = work.op(target, OP_SUB, q)
        work.say(f"Each unit of x adds {p} to the exponent:" if p != 1 else "Each unit of x adds 1:")
        return _close(problem, work, work.op(gap, OP_DIV, p) if p != 1 else gap)
    b, x, y, minus, k = m["b"], m["x"], m["y"], m["minus"], m["k"]
    work.say("Combine the logs, then find the combined number in a table of powers:")
    inside = work.op(x, OP_DIV if minus else OP_MUL, y)
    for e in range(2, k + 1):
        _power_line(work, b, e)
    work.say(f"{num(Fraction(inside))} is {b} to the power {k}." if k != 1 else f"{b} is {b} to the power 1.")
    return _close(problem, work, k)


ROUTES: dict[str, Trace] = {"common_base": common_base, "undo": undo, "table": table}
