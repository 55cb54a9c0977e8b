"""``polynomial_roots``: ``a(x - r1)(x - r2)(x - r3)`` expanded; the answer is the set of roots ``{-2, 1, 3}``.

The trace makes the polynomial monic, tries the divisors of the constant term (rational root test) by Horner's
rule, divides out each root found by synthetic division, and repeats down to a linear factor — one claim per
multiplication and addition.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, assemble, num, step
from chukmath.families.config import param
from chukmath.families.rng import Rng
from chukmath.records import Problem


@dataclass(frozen=True)
class PolynomialRootsConfig:
    """Knobs of polynomial_roots (defaults are difficulty 3)."""

    degree: int = param(3, "largest degree (3 or 4)", min=3, max=4)
    max_root: int = param(6, "largest absolute root", min=2, max=50)
    max_leading: int = param(1, "largest leading coefficient", min=1, max=9)
    repeated: bool = param(False, "a root may repeat")


PRESETS: dict[int, dict[str, Any]] = {
    1: {"max_root": 4},
    2: {"max_root": 5},
    3: {},
    4: {"max_root": 9, "max_leading": 3, "repeated": True},
    5: {"degree": 4, "max_root": 12, "max_leading": 4, "repeated": True},
}


def expand(leading: int, roots: list[int]) -> list[int]:
    """Coefficients, highest power first, of ``leading·Π(x - r)``."""
    coefs = [leading]
    for r in roots:
        coefs = [a - r * b for a, b in zip([*coefs, 0], [0, *coefs], strict=True)]
    return coefs


def show(coefs: list[int]) -> str:
    """``[1, -2, -5, 6]`` -> ``x^3 - 2x^2 - 5x + 6``."""
    degree = len(coefs) - 1
    parts: list[str] = []
    for i, c in enumerate(coefs):
        p = degree - i
        if c == 0:
            continue
        body = "x" if p == 1 else f"x^{p}" if p else ""
        text = (str(abs(c)) if abs(c) != 1 or not body else "") + body
        parts.append(("-" if c < 0 else "") + text if not parts else ("- " if c < 0 else "+ ") + text)
    return " ".join(parts)


def python(coefs: list[int]) -> str:
    degree = len(coefs) - 1
    return " + ".join(f"({c})*x**{degree - i}" for i, c in enumerate(coefs) if c)


def draw(cfg: PolynomialRootsConfig, rng: Rng) -> tuple[str, Any] | None:
    """One polynomial whose roots are all integers."""
    degree = rng.randint(3, cfg.degree)
    roots = [rng.randint(-cfg.max_root, cfg.max_root) for _ in range(degree)]
    if not cfg.repeated and len(set(roots)) != degree:
        return None
    leading = rng.randint(1, cfg.max_leading) * (rng.sign() if cfg.max_leading > 1 else 1)
    coefs = expand(leading, roots)
    question = rng.choice(
        (
            f"Find all roots of {show(coefs)} = 0.",
            f"Solve {show(coefs)} = 0 for x. List every distinct real solution.",
            f"What are the solutions of the equation {show(coefs)} = 0?",
            f"All roots of p(x) = {show(coefs)} are integers. Find them.",
        )
    )
    answer = "{" + ", ".join(map(str, sorted(set(roots)))) + "}"
    return question, (f"Eq({python(coefs)}, 0)", answer, {"coefficients": coefs})


def _horner(coefs: list[Fraction], r: int, lines: list[str]) -> list[Fraction]:
    """Synthetic division by ``x - r``: the quotient's coefficients, then the remainder (the value at r)."""
    out = [coefs[0]]
    for c in coefs[1:]:
        line, t = step(out[-1], OP_MUL, r)
        lines.append(line)
        line, v = step(c, OP_ADD, t)
        lines.append(line)
        out.append(Fraction(v))
    return out


def _divisors(n: int) -> list[int]:
    n = abs(n)
    found = [d for d in range(1, n + 1) if n % d == 0]
    return [v for d in found for v in (d, -d)]


def trace(problem: Problem) -> str:
    """Rational root test and synthetic division down to a linear factor."""
    coefs = [Fraction(c) for c in problem.meta["coefficients"]]
    lines: list[str] = []
    lead = coefs[0]
    if lead != 1:
        lines.append(f"Divide every coefficient by the leading coefficient {num(lead)} (the roots do not change):")
        monic = []
        for c in coefs:
            line, v = step(c, OP_DIV, lead)
            lines.append(line)
            monic.append(Fraction(v))
        coefs = monic
    roots: list[int] = []
    while len(coefs) > 2:
        if coefs[-1] == 0:
            lines.append(
                f"The constant term of {show([int(c) for c in coefs])} is 0, so x = 0 is a root; factor out x."
            )
            roots.append(0)
            coefs = coefs[:-1]
            continue
        poly = show([int(c) for c in coefs])
        const = int(coefs[-1])
        lines.append(
            f"Any integer root of {poly} divides the constant term {const}. Try the divisors with synthetic "
            "division; a remainder of 0 means a root."
        )
        for r in _divisors(const):
            trial: list[str] = []
            out = _horner(coefs, r, trial)
            lines.append(f"Try x = {r}:")
            lines.extend(trial)
            if out[-1] == 0:
                lines.append(
                    f"The remainder is 0, so x = {r} is a root and the quotient is {show([int(c) for c in out[:-1]])}."
                )
                roots.append(r)
                coefs = out[:-1]
                break
            lines.append(f"The remainder is {num(out[-1])}, not 0.")
        else:
            raise ValueError(f"no integer root of {poly}")
    a, b = coefs
    lines.append(f"The last factor is {show([int(a), int(b)])}; set it to 0:")
    line, root = step(Fraction(0), OP_SUB, b)
    lines.append(line)
    if a != 1:
        line, root = step(root, OP_DIV, a)
        lines.append(line)
    roots.append(int(root))
    distinct = sorted(set(roots))
    answer = "{" + ", ".join(map(str, distinct)) + "}"
    shown = ", ".join(map(str, distinct))
    lines.append(f"So the roots are x = {shown}.")
    return assemble(lines, f"The roots are x = {shown}.", answer)
