"""``functions``: ``f(x) = a x² + b x + c`` style functions evaluated, composed and inverted at a point.

A function is stored as its coefficients (highest power first); the trace evaluates it by powers, one claim per
operation, and states each value in words (``So g(3) is 19.``) so no claim touches the function notation.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import kind_names, kinds_error, param
from chukmath.families.rng import Rng
from chukmath.records import Problem

KINDS = ("evaluate", "compose", "inverse")


@dataclass(frozen=True)
class FunctionsConfig:
    """Knobs of functions (defaults are difficulty 3)."""

    kinds: str = param(",".join(KINDS), "comma-separated question kinds: " + ", ".join(KINDS))
    max_coefficient: int = param(9, "largest absolute coefficient", min=2, max=1000)
    max_degree: int = param(2, "largest degree of a function", min=1, max=4)

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        return kinds_error(self.kinds, KINDS)


PRESETS: dict[int, dict[str, Any]] = {
    1: {"kinds": "evaluate,inverse", "max_coefficient": 5, "max_degree": 1},
    2: {"kinds": "evaluate,compose,inverse", "max_coefficient": 6, "max_degree": 2},
    3: {},
    4: {"max_coefficient": 20, "max_degree": 3},
    5: {"max_coefficient": 50, "max_degree": 4},
}


def show(coefs: list[int]) -> str:
    """``[3, 0, -2, 1]`` -> ``3x^3 - 2x + 1``."""
    parts: list[str] = []
    degree = len(coefs) - 1
    for i, c in enumerate(coefs):
        power = degree - i
        if c == 0:
            continue
        mag = abs(c)
        body = "x" if power == 1 else f"x^{power}" if power else ""
        text = (str(mag) if mag != 1 or not body else "") + body
        if not parts:
            parts.append(("-" if c < 0 else "") + text)
        else:
            parts.append(("- " if c < 0 else "+ ") + text)
    return " ".join(parts) or "0"


def python(coefs: list[int], x: Fraction) -> str:
    """The polynomial at ``x`` in Python syntax: ``(9)*(-10)**2 + (-7)*(-10) + (6)``."""
    degree = len(coefs) - 1
    at = f"({num(x)})"
    terms = [f"({c})*{at}**{degree - i}" if degree - i > 1 else f"({c})*{at}" if degree - i else f"({c})"
             for i, c in enumerate(coefs) if c]  # fmt: skip
    return " + ".join(terms) or "0"


def value(coefs: list[int], x: Fraction) -> Fraction:
    total = Fraction(0)
    for c in coefs:
        total = total * x + c
    return total


def _poly(cfg: FunctionsConfig, rng: Rng, degree: int) -> list[int] | None:
    k = cfg.max_coefficient
    coefs = [rng.randint(-k, k) for _ in range(degree + 1)]
    return None if coefs[0] == 0 else coefs


def draw(cfg: FunctionsConfig, rng: Rng) -> tuple[str, Any] | None:
    """One function question."""
    kind = rng.choice(kind_names(cfg.kinds))
    names = rng.choice((("f", "g"), ("p", "q"), ("h", "k"), ("f", "h")))
    if kind == "inverse":
        f = _poly(cfg, rng, 1)
        if f is None:
            return None
        target = rng.randint(-3 * cfg.max_coefficient, 3 * cfg.max_coefficient)
        answer = Fraction(target - f[1], f[0])
        n = names[0]
        question = rng.choice(
            (
                f"Let {n}(x) = {show(f)}. What is {n}⁻¹({target}), the value of the inverse function at {target}?",
                f"For {n}(x) = {show(f)}, find the x with {n}(x) = {target}.",
                f"The function {n}(x) = {show(f)} has an inverse. Evaluate the inverse at {target}.",
            )
        )
        meta = {"kind": kind, "f": f, "target": target, "names": list(names)}
        return question, (f"({target} - ({f[1]}))/({f[0]})", num(answer), meta)
    a = rng.randint(-5, 5)
    f = _poly(cfg, rng, rng.randint(1, cfg.max_degree))
    if f is None:
        return None
    if kind == "evaluate":
        n = names[0]
        question = rng.choice((f"If {n}(x) = {show(f)}, what is {n}({a})?", f"Evaluate {n}(x) = {show(f)} at x = {a}.",
                               f"Let {n}(x) = {show(f)}. Find {n}({a})."))  # fmt: skip
        meta = {"kind": kind, "f": f, "a": a, "names": list(names)}
        return question, (python(f, Fraction(a)), num(value(f, Fraction(a))), meta)
    g = _poly(cfg, rng, 1 if len(f) > 2 else rng.randint(1, cfg.max_degree))
    if g is None:
        return None
    outer, inner = names
    question = rng.choice(
        (
            f"Let {outer}(x) = {show(f)} and {inner}(x) = {show(g)}. What is {outer}({inner}({a}))?",
            f"Given {outer}(x) = {show(f)} and {inner}(x) = {show(g)}, evaluate ({outer} ∘ {inner})({a}).",
        )
    )
    meta = {"kind": kind, "f": f, "g": g, "a": a, "names": list(names)}
    inner_value = value(g, Fraction(a))
    return question, (python(f, inner_value), num(value(f, inner_value)), meta)


def _evaluate(coefs: list[int], x: Fraction, lines: list[str]) -> Fraction:
    """Evaluate term by term: each power, each coefficient times it, then the running sum."""
    degree = len(coefs) - 1
    terms: list[Fraction] = []
    power = Fraction(1)
    powers = {0: power}
    for p in range(1, degree + 1):
        if p > 1:
            line, power = step(power, OP_MUL, x)
            lines.append(line)
        else:
            power = x
        powers[p] = Fraction(power)
    for i, c in enumerate(coefs):
        p = degree - i
        if c == 0:
            continue
        if p == 0:
            terms.append(Fraction(c))
        elif c == 1:
            terms.append(powers[p])
        else:
            line, t = step(c, OP_MUL, powers[p])
            lines.append(line)
            terms.append(Fraction(t))
    total = terms[0]
    for t in terms[1:]:
        line, total = step(total, OP_ADD, t)
        lines.append(line)
    return Fraction(total)


def trace(problem: Problem) -> str:
    """Substitute, evaluate term by term; compose from the inside out; invert by undoing the steps."""
    m = problem.meta
    kind = m["kind"]
    outer, inner = m["names"]
    lines: list[str] = []
    if kind == "inverse":
        f, target = m["f"], m["target"]
        a, b = f
        lines.append(f"The inverse at {target} is the x with {outer}(x) equal to {target}: solve {show(f)} = {target}.")
        if b:
            lines.append(f"Undo the constant {b}:")
            line, rest = step(target, OP_SUB, b)
            lines.append(line)
        else:
            rest = target
        lines.append(f"Undo the factor {a}:")
        line, result = step(rest, OP_DIV, a)
        lines.append(line)
        result = Fraction(result)
    elif kind == "evaluate":
        f, a = m["f"], m["a"]
        lines.append(f"Substitute x = {a} into {show(f)}.")
        result = _evaluate(f, Fraction(a), lines)
    else:
        f, g, a = m["f"], m["g"], m["a"]
        lines.append(f"Work from the inside out: first {inner}({a}), then {outer} of that.")
        lines.append(f"Substitute x = {a} into {show(g)}:")
        inside = _evaluate(g, Fraction(a), lines)
        lines.append(f"So {inner}({a}) is {num(inside)}. Now substitute x = {num(inside)} into {show(f)}:")
        result = _evaluate(f, inside, lines)
    lines.append(f"So the answer is {num(result)}.")
    return assemble(lines, f"The answer is {num(result)}.", num(result))
