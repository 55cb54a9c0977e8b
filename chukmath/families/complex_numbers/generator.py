"""``complex_numbers``: Gaussian rationals ``a + b*I`` written as sympy's ``str()`` writes them.

The trace works on the real and imaginary parts separately: every claim is plain rational arithmetic
(``3 × 1 = 3``), and ``i`` appears only in prose (``i² = -1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.common.radicals import by_hand, simplify_sqrt_lines, sqrt_text
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("add", "multiply", "divide", "power_i", "square", "modulus")


@dataclass(frozen=True)
class ComplexConfig:
    """Knobs of complex_numbers (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_part: int = param(9, "largest absolute real or imaginary part", min=2, max=1000)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "add,power_i,modulus", "max_part": 6},
    2: {"kinds": "add,multiply,power_i,modulus", "max_part": 9},
    3: {},
    4: {"max_part": 30},
    5: {"max_part": 200},
}


def sympy_text(re_: Fraction, im: Fraction) -> str:
    """``3 + 4*I``, ``3/2 - 5*I/2``, ``-I``, ``4*I``, ``7``: as sympy prints ``re + im*I``."""
    if im == 0:
        return num(re_)
    mag = abs(im)
    p, q = mag.numerator, mag.denominator
    body = ("I" if p == 1 else f"{p}*I") + (f"/{q}" if q != 1 else "")
    if re_ == 0:
        return ("-" if im < 0 else "") + body
    return f"{num(re_)} {'-' if im < 0 else '+'} {body}"


def hand(re_: Fraction, im: Fraction) -> str:
    """``3 + 4i``, ``3/2 - (5/2)i``, ``-i``: as written on paper."""
    if im == 0:
        return num(re_)
    mag = abs(im)
    body = "i" if mag == 1 else f"{num(mag)}i" if mag.denominator == 1 else f"({num(mag)})i"
    if re_ == 0:
        return ("-" if im < 0 else "") + body
    return f"{num(re_)} {'-' if im < 0 else '+'} {body}"


def present(answer: str) -> list[str]:
    """The answer, then with ``i``: ``["3 + 4*I", "3 + 4i"]``; a radical modulus as ``["5*sqrt(2)", "5√2"]``."""
    text = answer.strip()
    if "sqrt" in text:
        return [text, by_hand(text)]
    if "I" not in text:
        return [text]
    written = text.replace("*I", "i").replace("I", "i")
    return [text, written] if written != text else [text]


def _c(rng: Rng, top: int, nonzero_im: bool = True) -> tuple[int, int]:
    a, b = rng.randint(-top, top), rng.randint(-top, top)
    if nonzero_im and b == 0:
        b = rng.choice((1, -1))
    return a, b


def _show(a: int, b: int) -> str:
    return hand(Fraction(a), Fraction(b))


def draw(cfg: ComplexConfig, rng: Rng) -> tuple[str, Any] | None:
    """One complex-number question."""
    kind = rng.choice(kind_names(cfg.kinds))
    top = cfg.max_part
    if kind == "power_i":
        n = rng.randint(2, 40 * top)
        question = rng.choice((f"Simplify i^{n}, where i² = -1.", f"What is i^{n}? (i is the imaginary unit.)",
                               f"Compute the power i^{n} of the imaginary unit i."))  # fmt: skip
        value = {0: (1, 0), 1: (0, 1), 2: (-1, 0), 3: (0, -1)}[n % 4]
        return question, (f"I**{n}", sympy_text(Fraction(value[0]), Fraction(value[1])), {"kind": kind, "n": n})
    if kind == "modulus":
        a, b = _c(rng, top)
        question = rng.choice((f"What is the modulus |{_show(a, b)}|? Give an exact answer.",
                               f"Find the absolute value of the complex number {_show(a, b)}, exactly."))  # fmt: skip
        return question, (f"Abs({a} + ({b})*I)", sqrt_text(1, a * a + b * b), {"kind": kind, "z": [a, b]})
    a, b = _c(rng, top)
    if kind == "square":
        re_, im = a * a - b * b, 2 * a * b
        question = rng.choice((f"Compute ({_show(a, b)})², where i² = -1.", f"Expand and simplify ({_show(a, b)})^2."))
        return question, (f"expand(({a} + ({b})*I)**2)", sympy_text(Fraction(re_), Fraction(im)),
                          {"kind": kind, "z": [a, b]})  # fmt: skip
    c, d = _c(rng, top)
    z, w = _show(a, b), _show(c, d)
    if kind == "add":
        minus = rng.chance(0.5)
        re_, im = (a - c, b - d) if minus else (a + c, b + d)
        sign = "-" if minus else "+"
        question = rng.choice((f"Simplify ({z}) {sign} ({w}).", f"What is ({z}) {sign} ({w})?",
                               f"Write ({z}) {sign} ({w}) in the form a + bi."))  # fmt: skip
        meta = {"kind": kind, "z": [a, b], "w": [c, d], "minus": minus}
        return question, (f"({a} + ({b})*I) {sign} ({c} + ({d})*I)", sympy_text(Fraction(re_), Fraction(im)), meta)
    if kind == "multiply":
        conj = rng.chance(0.2)
        if conj:
            c, d = a, -b
            w = _show(c, d)
        re_, im = a * c - b * d, a * d + b * c
        question = rng.choice((f"Multiply ({z})({w}).", f"What is ({z}) × ({w})? Write it as a + bi.",
                               f"Simplify the product ({z})({w}), using i² = -1."))  # fmt: skip
        meta = {"kind": kind, "z": [a, b], "w": [c, d]}
        return question, (f"expand(({a} + ({b})*I)*({c} + ({d})*I))", sympy_text(Fraction(re_), Fraction(im)), meta)
    den = c * c + d * d
    re_, im = Fraction(a * c + b * d, den), Fraction(b * c - a * d, den)
    question = rng.choice((f"Divide: ({z}) / ({w}). Write the result as a + bi.",
                           f"Simplify the quotient ({z}) ÷ ({w})."))  # fmt: skip
    meta = {"kind": "divide", "z": [a, b], "w": [c, d]}
    # the quotient times the conjugate over the conjugate: expand() gives sympy's a + b*I directly
    expr = f"expand(({a} + ({b})*I)*({c} - ({d})*I)/(({c})**2 + ({d})**2))"
    return question, (expr, sympy_text(re_, im), meta)


def _mul_parts(a: int, b: int, c: int, d: int, lines: list[str]) -> tuple[Fraction, Fraction]:
    """``(a + bi)(c + di)`` by the four products, then collecting with i² = -1."""
    lines.append("Multiply out the four products; i times i is -1, so the i² term moves to the real part.")
    line, ac = step(a, OP_MUL, c)
    lines.append(line)
    line, bd = step(b, OP_MUL, d)
    lines.append(line)
    line, ad = step(a, OP_MUL, d)
    lines.append(line)
    line, bc = step(b, OP_MUL, c)
    lines.append(line)
    lines.append("Real part: the first product minus the i² product.")
    line, re_ = step(ac, OP_SUB, bd)
    lines.append(line)
    lines.append("Imaginary part: the two mixed products added.")
    line, im = step(ad, OP_ADD, bc)
    lines.append(line)
    return Fraction(re_), Fraction(im)


def trace(problem: Problem) -> str:
    """Real and imaginary parts worked separately; moduli by the Pythagorean rule."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "power_i":
        n = m["n"]
        lines.append("Powers of i repeat every 4: i, -1, -i, 1. So only the remainder of the exponent mod 4 matters.")
        q, r = divmod(n, 4)
        lines.append(step(q, OP_MUL, 4)[0])
        lines.append(f"{n} - {q * 4} = {r}")
        lines.append(f"{n} mod 4 = {r}")
        value = {0: (1, 0), 1: (0, 1), 2: (-1, 0), 3: (0, -1)}[r]
        lines.append(f"So i^{n} is i^{r}, which is {hand(Fraction(value[0]), Fraction(value[1]))}."
                     if r else f"So i^{n} is 1.")  # fmt: skip
        re_, im = Fraction(value[0]), Fraction(value[1])
    elif kind == "modulus":
        a, b = m["z"]
        lines.append(f"The modulus of a + bi is the square root of a² + b², here with a = {a} and b = {b}.")
        line, aa = step(a, OP_MUL, a)
        lines.append(line)
        line, bb = step(b, OP_MUL, b)
        lines.append(line)
        line, total = step(aa, OP_ADD, bb)
        lines.append(line)
        total = int(total)
        answer = sqrt_text(1, total)
        lines += simplify_sqrt_lines(total)
        lines.append(f"So the modulus is {by_hand(answer)}.")
        return assemble(lines, f"The answer is {by_hand(answer)}.", answer)
    elif kind == "square":
        a, b = m["z"]
        lines.append(f"Square by multiplying {hand(Fraction(a), Fraction(b))} by itself.")
        re_, im = _mul_parts(a, b, a, b, lines)
    elif kind == "add":
        (a, b), (c, d), minus = m["z"], m["w"], m["minus"]
        op = OP_SUB if minus else OP_ADD
        lines.append(f"{'Subtract' if minus else 'Add'} the real parts and the imaginary parts separately.")
        line, re_ = step(a, op, c)
        lines.append(line)
        line, im = step(b, op, d)
        lines.append(line)
        re_, im = Fraction(re_), Fraction(im)
    elif kind == "multiply":
        (a, b), (c, d) = m["z"], m["w"]
        re_, im = _mul_parts(a, b, c, d, lines)
    else:
        (a, b), (c, d) = m["z"], m["w"]
        lines.append(f"Multiply top and bottom by the conjugate of the denominator, {hand(Fraction(c), Fraction(-d))}.")
        lines.append("The denominator becomes the sum of the squares of its parts:")
        line, cc = step(c, OP_MUL, c)
        lines.append(line)
        line, dd = step(d, OP_MUL, d)
        lines.append(line)
        line, den = step(cc, OP_ADD, dd)
        lines.append(line)
        lines.append("The numerator is the product with the conjugate:")
        top_re, top_im = _mul_parts(a, b, c, -d, lines)
        lines.append(f"Divide both parts by {den}:")
        line, re_ = step(top_re, OP_DIV, den)
        lines.append(line)
        line, im = step(top_im, OP_DIV, den)
        lines.append(line)
        re_, im = Fraction(re_), Fraction(im)
    answer = sympy_text(re_, im)
    shown = present(answer)[-1]  # 3 + 4i, 27/82 + 79i/82
    lines.append(f"So the result is {shown}.")
    return assemble(lines, f"The answer is {shown}.", answer)
