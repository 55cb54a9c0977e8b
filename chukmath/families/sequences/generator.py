"""``sequences``: ``a + (n-1)d``, ``n(first + last)/2``, ``a·r^(n-1)`` and ``a(r^n - 1)/(r - 1)``, exactly.

The trace applies the formula with one claim per operation; powers are stated as ``2^9 = 512``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, operand, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("arith_term", "arith_sum", "geom_term", "geom_sum", "two_terms")


@dataclass(frozen=True)
class SequencesConfig:
    """Knobs of sequences (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_terms: int = param(30, "largest term number n", min=4, max=1000)
    max_start: int = param(20, "largest size of the first term and the difference", min=2, max=10**4)
    fractions: bool = param(False, "geometric ratios may be fractions (1/2, -1/3, 3/2)")

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "arith_term,geom_term", "max_terms": 10, "max_start": 10},
    2: {"kinds": "arith_term,arith_sum,geom_term", "max_terms": 20, "max_start": 15},
    3: {},
    4: {"max_terms": 60, "max_start": 100, "fractions": True},
    5: {"max_terms": 200, "max_start": 1000, "fractions": True},
}


def _th(n: int) -> str:
    """``1st``, ``2nd``, ``23rd``, ``11th``."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _show(terms: list[Fraction]) -> str:
    return ", ".join(num(t) for t in terms)


def draw(cfg: SequencesConfig, rng: Rng) -> tuple[str, Any] | None:
    """One sequence question."""
    kind = rng.choice(kind_names(cfg.kinds))
    a = rng.randint(-cfg.max_start, cfg.max_start)
    if kind in ("arith_term", "arith_sum", "two_terms"):
        d = rng.randint(-cfg.max_start // 2 - 1, cfg.max_start // 2 + 1)
        if d == 0:
            return None
        n = rng.randint(5, cfg.max_terms)
        first = [Fraction(a + i * d) for i in range(4)]
        if kind == "arith_term":
            question = rng.choice(
                (
                    f"What is term number {n} of the arithmetic sequence {_show(first)}, ...?",
                    f"Find the {_th(n)} term of the arithmetic sequence that starts {_show(first)}.",
                    f"An arithmetic sequence begins {_show(first[:3])}, ... What is its term number {n}?",
                )
            )
            meta = {"kind": kind, "a": a, "d": d, "n": n}
            return question, (f"{a} + ({n} - 1)*({d})", str(a + (n - 1) * d), meta)
        if kind == "arith_sum":
            total = n * (2 * a + (n - 1) * d) // 2
            question = rng.choice(
                (
                    f"What is the sum of the first {n} terms of the arithmetic sequence {_show(first)}, ...?",
                    f"Add up the first {n} terms of the arithmetic sequence that starts {_show(first[:3])}.",
                )
            )
            meta = {"kind": kind, "a": a, "d": d, "n": n}
            return question, (f"{n}*(2*({a}) + ({n} - 1)*({d}))/2", str(total), meta)
        p, q = sorted(rng.randint(1, cfg.max_terms) for _ in range(2))
        if p == q or n in (p, q):
            return None
        ap, aq = a + (p - 1) * d, a + (q - 1) * d
        question = rng.choice(
            (
                f"In an arithmetic sequence, term {p} is {ap} and term {q} is {aq}. What is term {n}?",
                f"The {_th(p)} term of an arithmetic sequence is {ap} and its {_th(q)} term is {aq}. "
                f"Find its {_th(n)} term.",
            )
        )
        meta = {"kind": kind, "p": p, "q": q, "ap": ap, "aq": aq, "n": n}
        return question, (f"{ap} + ({n} - {p})*({aq} - {ap})/({q} - {p})", str(a + (n - 1) * d), meta)
    if a == 0:
        return None
    ratios = [Fraction(r) for r in (2, 3, -2, -3, 4, 5, 10)]
    if cfg.fractions:
        ratios += [Fraction(1, 2), Fraction(-1, 2), Fraction(1, 3), Fraction(3, 2), Fraction(2, 3)]
    r = rng.choice(ratios)
    n = rng.randint(4, min(cfg.max_terms, 12 if abs(r) > 1 else 10))
    first = [a * r**i for i in range(3)]
    if kind == "geom_term":
        question = rng.choice(
            (
                f"What is term number {n} of the geometric sequence {_show(first)}, ...?",
                f"Find the {_th(n)} term of the geometric sequence that starts {_show(first)}.",
            )
        )
        meta = {"kind": kind, "a": a, "r": num(r), "n": n}
        return question, (f"{a}*({num(r)})**({n} - 1)", num(a * r ** (n - 1)), meta)
    total = a * (r**n - 1) / (r - 1)
    question = rng.choice(
        (
            f"What is the sum of the first {n} terms of the geometric sequence {_show(first)}, ...?",
            f"Add the first {n} terms of the geometric sequence that begins {_show(first)}.",
        )
    )
    meta = {"kind": kind, "a": a, "r": num(r), "n": n}
    return question, (f"{a}*(({num(r)})**{n} - 1)/({num(r)} - 1)", num(total), meta)


def _power(base: Fraction, exponent: int, lines: list[str]) -> Fraction:
    """``base^exponent`` stated as one checkable claim."""
    value = base**exponent
    lines.append(f"{operand(base, after_div=True)}^{exponent} = {num(value)}")
    return value


def trace(problem: Problem) -> str:
    """The formula for the kind of sequence, worked out one claim per line."""
    m = problem.meta
    kind = m["kind"]
    lines: list[str] = []
    if kind == "two_terms":
        p, q, ap, aq, n = m["p"], m["q"], m["ap"], m["aq"], m["n"]
        lines.append(f"From term {p} to term {q} the common difference is added {q - p} times:")
        line, gap = step(aq, OP_SUB, ap)
        lines.append(line)
        line, steps_ = step(q, OP_SUB, p)
        lines.append(line)
        line, d = step(gap, OP_DIV, steps_)
        lines.append(line)
        lines.append(f"So the common difference is {num(Fraction(d))}. From term {p} to term {n}:")
        line, k = step(n, OP_SUB, p)
        lines.append(line)
        line, shift = step(k, OP_MUL, d)
        lines.append(line)
        line, value = step(ap, OP_ADD, shift)
        lines.append(line)
    elif kind in ("arith_term", "arith_sum"):
        a, d, n = m["a"], m["d"], m["n"]
        lines.append(f"The first term is {a} and the common difference is {d}.")
        lines.append(f"Term {n} is the first term plus {n} - 1 differences:")
        line, k = step(n, OP_SUB, 1)
        lines.append(line)
        line, shift = step(k, OP_MUL, d)
        lines.append(line)
        line, last = step(a, OP_ADD, shift)
        lines.append(line)
        value = last
        if kind == "arith_sum":
            lines.append(f"The sum of {n} terms is {n} times the average of the first and last terms:")
            line, pair = step(a, OP_ADD, last)
            lines.append(line)
            line, twice = step(pair, OP_MUL, n)
            lines.append(line)
            line, value = step(twice, OP_DIV, 2)
            lines.append(line)
    else:
        a, r, n = m["a"], Fraction(m["r"]), m["n"]
        lines.append(f"The first term is {a} and each term is the one before times the ratio {num(r)}.")
        if kind == "geom_term":
            lines.append(f"Term {n} is the first term times the ratio to the power {n - 1}:")
            power = _power(r, n - 1, lines)
            line, value = step(a, OP_MUL, power)
            lines.append(line)
        else:
            lines.append(f"The sum of the first {n} terms is first term × (ratio^{n} - 1) ÷ (ratio - 1):")
            power = _power(r, n, lines)
            line, top = step(power, OP_SUB, 1)
            lines.append(line)
            line, bottom = step(r, OP_SUB, 1)
            lines.append(line)
            line, times = step(a, OP_MUL, top)
            lines.append(line)
            line, value = step(times, OP_DIV, bottom)
            lines.append(line)
    value = Fraction(value)
    lines.append(f"So the answer is {num(value)}.")
    return assemble(lines, f"The answer is {num(value)}.", num(value))
