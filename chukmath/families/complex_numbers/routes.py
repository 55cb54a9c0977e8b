"""``complex_numbers`` solution routes, real and imaginary parts worked as plain numbers (``i`` only in prose):
parts separately (four products, the conjugate), distribution over one factor (or the quotient's formula, or
pairs of i), and a shortcut (three products instead of four, an identity, Cramer's rule, the last two digits,
a common factor). Each is checked another way: a sum undone, a product's modulus against the product of the
moduli, a quotient multiplied back, the square of a power of i, a modulus squared against (a + b)² - 2ab."""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MOD, OP_MUL, OP_SUB, Number
from chukmath.families.common.radicals import by_hand, split_sqrt, sqrt_text
from chukmath.families.common.worked import Check, Work, finish, pick, square_root
from chukmath.families.complex_numbers.generator import hand, present, sympy_text
from chukmath.families.contract import Trace
from chukmath.records import Problem

_POWERS = {0: (1, 0), 1: (0, 1), 2: (-1, 0), 3: (0, -1)}


def parts(problem: Problem) -> tuple[Fraction, ...]:
    """``(re, im)``; for a modulus ``k√m``, ``(k,)``."""
    m = problem.meta
    kind = m["kind"]
    if kind == "power_i":
        re_, im = _POWERS[m["n"] % 4]
        return Fraction(re_), Fraction(im)
    a, b = m["z"]
    if kind == "modulus":
        return (Fraction(split_sqrt(a * a + b * b)[0]),)
    if kind == "square":
        return Fraction(a * a - b * b), Fraction(2 * a * b)
    c, d = m["w"]
    if kind == "add":
        sign = -1 if m["minus"] else 1
        return Fraction(a + sign * c), Fraction(b + sign * d)
    if kind == "multiply":
        return Fraction(a * c - b * d), Fraction(a * d + b * c)
    den = c * c + d * d
    return Fraction(a * c + b * d, den), Fraction(b * c - a * d, den)


def check(problem: Problem, claimed: tuple[Fraction, ...]) -> Check:
    """Recompute another way and compare with the claimed parts."""
    m = problem.meta
    kind = m["kind"]
    work = Check(problem.difficulty)
    if kind == "power_i":
        n = m["n"]
        re_, im = claimed
        work.say(f"Check: the square of i^{n} is (i²)^{n}, that is (-1)^{n}, a real number; the parity of {n}:")
        sign = -1 if n % 2 else 1
        work.op(n, OP_MOD, 2)
        work.say(f"So (-1)^{n} is {sign}.")
        work.say("Square the answer: real part re² - im², imaginary part 2 × re × im.")
        work.expect(work.op(re_, OP_MUL, re_), OP_SUB, work.op(im, OP_MUL, im), sign)
        work.expect(work.op(2, OP_MUL, re_), OP_MUL, im, 0)
        return work
    a, b = m["z"]
    if kind == "modulus":
        rest = split_sqrt(a * a + b * b)[1]
        work.say(f"Check: the modulus squared must equal a² + b², here as (a + b)² - 2ab with a = {a}, b = {b}.")
        s = work.op(a, OP_ADD, b)
        target = work.op(work.op(s, OP_MUL, s), OP_SUB, work.op(work.op(2, OP_MUL, a), OP_MUL, b))
        k = claimed[0]
        work.say("The answer squared must give that:" if rest == 1 else f"The answer squared is k × k × {rest}:")
        if rest == 1:
            work.expect(k, OP_MUL, k, target)
        else:
            work.expect(work.op(k, OP_MUL, k), OP_MUL, rest, target)
        return work
    re_, im = claimed
    if kind in ("multiply", "square"):
        c, d = (a, b) if kind == "square" else m["w"]
        work.say(
            pick(
                problem.id,
                "check",
                (
                    "Check with moduli: |z × w|² = |z|² × |w|², so re² + im² of the result must equal "
                    "(a² + b²) × (c² + d²).",
                    "Check: the squared size of a product is the product of the squared sizes.",
                ),
            )
        )
        zz = work.op(work.op(a, OP_MUL, a), OP_ADD, work.op(b, OP_MUL, b))
        ww = zz if kind == "square" else work.op(work.op(c, OP_MUL, c), OP_ADD, work.op(d, OP_MUL, d))
        target = work.op(zz, OP_MUL, ww)
        work.expect(work.op(re_, OP_MUL, re_), OP_ADD, work.op(im, OP_MUL, im), target)
        return work
    c, d = m["w"]
    if kind == "add":
        undo = OP_ADD if m["minus"] else OP_SUB
        work.say(f"Check: {'add back' if m['minus'] else 'take away'} the second number; the first must come back.")
        work.expect(re_, undo, c, a)
        work.expect(im, undo, d, b)
        return work
    work.say(
        f"Check: the quotient times {hand(Fraction(c), Fraction(d))} must give back {hand(Fraction(a), Fraction(b))}."
    )
    work.say("Real part: re × c - im × d.")
    work.expect(work.op(re_, OP_MUL, c), OP_SUB, work.op(im, OP_MUL, d), a)
    work.say("Imaginary part: re × d + im × c.")
    work.expect(work.op(re_, OP_MUL, d), OP_ADD, work.op(im, OP_MUL, c), b)
    return work


def _close(problem: Problem, work: Work, re_: Number, im: Number) -> str:
    answer = sympy_text(Fraction(re_), Fraction(im))
    shown = present(answer)[-1]
    closing = pick(problem.id, "close", (f"So the result is {shown}.", f"The result is {shown}."))
    return finish(work, check(problem, (Fraction(re_), Fraction(im))), closing, f"The answer is {shown}.", answer)


def _close_modulus(problem: Problem, work: Work, k: int, rest: int) -> str:
    answer = sqrt_text(k, rest)
    closing = f"So the modulus is {by_hand(answer)}."
    return finish(work, check(problem, (Fraction(k),)), closing, f"The answer is {by_hand(answer)}.", answer)


def _four_products(work: Work, a: int, b: int, c: int, d: int) -> tuple[Number, Number]:
    work.say("Multiply out the four products; i × i is -1, so the i² product moves to the real part with a minus.")
    ac, bd, ad, bc = work.op(a, OP_MUL, c), work.op(b, OP_MUL, d), work.op(a, OP_MUL, d), work.op(b, OP_MUL, c)
    work.say("Real part: first product minus the i² product. Imaginary part: the two mixed products.")
    return work.op(ac, OP_SUB, bd), work.op(ad, OP_ADD, bc)


def _power_i(problem: Problem, how: str) -> str:
    n = problem.meta["n"]
    work = Work(problem.difficulty)
    if how == "divide":
        work.say("Powers of i repeat every 4: i, -1, -i, 1. Only n mod 4 matters.")
        q = n // 4
        work.op(q, OP_MUL, 4)
        r = int(work.op(n, OP_SUB, q * 4))
    elif how == "pairs":
        work.say(f"Group the factors in pairs: each i × i is -1. Split {n} into pairs:")
        q, r = divmod(n, 2)
        work.op(q, OP_MUL, 2)
        work.op(n, OP_SUB, q * 2)
        sign = -1 if q % 2 else 1
        work.say(f"{q} pairs give (-1)^{q}, and {'one i is' if r else 'no i is'} left over. The parity of {q}:")
        work.op(q, OP_MOD, 2)
        work.say(f"So (-1)^{q} is {sign}.")
        re_, im = (0, sign) if r else (sign, 0)
        return _close(problem, work, re_, im)
    else:
        tail = n % 100
        if n >= 100:
            work.say(f"100 is a multiple of 4, so {n} mod 4 is the last two digits, {tail}, mod 4.")
        else:
            work.say("i^4 = 1, so take away fours from the exponent until less than 4 is left:")
        r = n % 4
        work.say(f"{tail} mod 4 = {r}")
    work.say(f"So i^{n} is i^{r}.")
    re_, im = _POWERS[r]
    return _close(problem, work, re_, im)


def _modulus(problem: Problem, how: str) -> str:
    a, b = problem.meta["z"]
    work = Work(problem.difficulty)
    if how == "common":
        g = gcd(a, b)
        if g > 1:
            work.say(
                f"{a} and {b} share the factor {g}: |z| is {g} times the modulus of "
                f"{hand(Fraction(a // g), Fraction(b // g))}."
            )
            p, q = a // g, b // g
            total = work.op(work.op(p, OP_MUL, p), OP_ADD, work.op(q, OP_MUL, q))
            k, rest = square_root(work, int(total))
            return _close_modulus(problem, work, int(work.op(k, OP_MUL, g)), rest)
        work.say(f"{a} and {b} share no factor; the modulus is √(a² + b²).")
    elif how == "conjugate":
        work.say(
            f"|z|² is z times its conjugate: ({hand(Fraction(a), Fraction(b))})({hand(Fraction(a), Fraction(-b))}) "
            "= a² - (bi)² = a² + b²."
        )
    else:
        work.say(f"The modulus of a + bi is √(a² + b²) with a = {a}, b = {b}.")
    total = work.op(work.op(a, OP_MUL, a), OP_ADD, work.op(b, OP_MUL, b))
    k, rest = square_root(work, int(total), by_primes=how == "conjugate")
    return _close_modulus(problem, work, k, rest)


def componentwise(problem: Problem) -> str:
    """Real and imaginary parts separately: four products, the conjugate for a quotient, n mod 4 by division."""
    m = problem.meta
    kind = m["kind"]
    if kind == "power_i":
        return _power_i(problem, "divide")
    if kind == "modulus":
        return _modulus(problem, "plain")
    work = Work(problem.difficulty)
    a, b = m["z"]
    if kind == "square":
        work.say(f"Square by multiplying {hand(Fraction(a), Fraction(b))} by itself.")
        return _close(problem, work, *_four_products(work, a, b, a, b))
    c, d = m["w"]
    if kind == "add":
        op = OP_SUB if m["minus"] else OP_ADD
        work.say(f"{'Subtract' if m['minus'] else 'Add'} the real parts, then the imaginary parts.")
        return _close(problem, work, work.op(a, op, c), work.op(b, op, d))
    if kind == "multiply":
        return _close(problem, work, *_four_products(work, a, b, c, d))
    work.say(f"Multiply top and bottom by the conjugate of the bottom, {hand(Fraction(c), Fraction(-d))}.")
    work.say("The bottom becomes c² + d²:")
    den = work.op(work.op(c, OP_MUL, c), OP_ADD, work.op(d, OP_MUL, d))
    work.say("The top is the product with the conjugate:")
    top_re, top_im = _four_products(work, a, b, c, -d)
    work.say(f"Divide both parts by {den}:")
    return _close(problem, work, work.op(top_re, OP_DIV, den), work.op(top_im, OP_DIV, den))


def distributed(problem: Problem) -> str:
    """Distribute over one factor (the real part, then the imaginary part); a quotient by its formula; powers of i
    in pairs; a modulus through the conjugate."""
    m = problem.meta
    kind = m["kind"]
    if kind == "power_i":
        return _power_i(problem, "pairs")
    if kind == "modulus":
        return _modulus(problem, "conjugate")
    work = Work(problem.difficulty)
    a, b = m["z"]
    if kind == "add":
        c, d = m["w"]
        if m["minus"]:
            work.say(
                f"Subtracting is adding the opposite: -({hand(Fraction(c), Fraction(d))}) is "
                f"{hand(Fraction(-c), Fraction(-d))}. Collect like terms:"
            )
            return _close(problem, work, work.op(a, OP_ADD, -c), work.op(b, OP_ADD, -d))
        work.say("Collect like terms: the numbers together, the multiples of i together (i-terms first).")
        im = work.op(b, OP_ADD, d)
        return _close(problem, work, work.op(a, OP_ADD, c), im)
    c, d = (a, b) if kind == "square" else m["w"]
    if kind == "divide":
        work.say("Use the quotient formula: real part (ac + bd) ÷ (c² + d²), imaginary part (bc - ad) ÷ (c² + d²).")
        den = work.op(work.op(c, OP_MUL, c), OP_ADD, work.op(d, OP_MUL, d))
        top_re = work.op(work.op(a, OP_MUL, c), OP_ADD, work.op(b, OP_MUL, d))
        top_im = work.op(work.op(b, OP_MUL, c), OP_SUB, work.op(a, OP_MUL, d))
        return _close(problem, work, work.op(top_re, OP_DIV, den), work.op(top_im, OP_DIV, den))
    z = hand(Fraction(a), Fraction(b))
    work.say(f"Distribute: {z} times {c} (the real part), plus {z} times {d}i (the imaginary part).")
    work.say(f"Times {c}:")
    re1, im1 = work.op(a, OP_MUL, c), work.op(b, OP_MUL, c)
    work.say(
        f"Times {d}i: the real part becomes imaginary, and the imaginary part times i² flips sign and becomes real."
    )
    im2, re2 = work.op(a, OP_MUL, d), work.op(b, OP_MUL, d)
    work.say("Add the two results:")
    return _close(problem, work, work.op(re1, OP_SUB, re2), work.op(im1, OP_ADD, im2))


def shortcut(problem: Problem) -> str:
    """Three products instead of four, (a + bi)² = (a - b)(a + b) + 2abi, Cramer's rule for a quotient, the last two
    digits of the exponent, a common factor before a modulus."""
    m = problem.meta
    kind = m["kind"]
    if kind == "power_i":
        return _power_i(problem, "digits")
    if kind == "modulus":
        return _modulus(problem, "common")
    work = Work(problem.difficulty)
    a, b = m["z"]
    if kind == "square":
        work.say("(a + bi)² = a² - b² + 2abi, and a² - b² = (a - b)(a + b):")
        re_ = work.op(work.op(a, OP_SUB, b), OP_MUL, work.op(a, OP_ADD, b))
        return _close(problem, work, re_, work.op(work.op(2, OP_MUL, a), OP_MUL, b))
    c, d = m["w"]
    if kind == "add":
        sign = -1 if m["minus"] else 1
        work.say(
            "Write both as points (real, imaginary) and move from the first by the second"
            + (" in reverse:" if sign < 0 else ":")
        )
        op = OP_SUB if sign < 0 else OP_ADD
        im = work.op(b, op, d)
        return _close(problem, work, work.op(a, op, c), im)
    if kind == "multiply":
        work.say(
            "Three products are enough: k1 = c(a + b), k2 = a(d - c), k3 = b(c + d); real = k1 - k3, "
            "imaginary = k1 + k2."
        )
        k1 = work.op(c, OP_MUL, work.op(a, OP_ADD, b))
        k2 = work.op(a, OP_MUL, work.op(d, OP_SUB, c))
        k3 = work.op(b, OP_MUL, work.op(c, OP_ADD, d))
        return _close(problem, work, work.op(k1, OP_SUB, k3), work.op(k1, OP_ADD, k2))
    work.say(
        f"Call the quotient x + yi: ({c} + {d}i)(x + yi) must be {a} + {b}i, so {c}x - {d}y = {a} and "
        f"{d}x + {c}y = {b}. Solve by Cramer's rule."
    )
    work.say("The determinant:")
    det = work.op(work.op(c, OP_MUL, c), OP_SUB, work.op(-d, OP_MUL, d))
    work.say("For x replace the first column by the right-hand sides:")
    x_top = work.op(work.op(a, OP_MUL, c), OP_SUB, work.op(-d, OP_MUL, b))
    work.say("For y replace the second column:")
    y_top = work.op(work.op(c, OP_MUL, b), OP_SUB, work.op(d, OP_MUL, a))
    return _close(problem, work, work.op(x_top, OP_DIV, det), work.op(y_top, OP_DIV, det))


ROUTES: dict[str, Trace] = {"componentwise": componentwise, "distributed": distributed, "shortcut": shortcut}
