"""How a person writes the roots: ``"{-4, 2}"`` -> ``["{-4, 2}", "x = -4 or x = 2", "-4, 2"]``; irrational
roots as the trace writes them (``x = 3 - 2√2 or x = 3 + 2√2``)."""

from __future__ import annotations

import re
from fractions import Fraction

_RATIONAL = re.compile(r"-?\d+(?:/\d+)?")


def _sqrt_pair(roots: list[str]) -> str | None:
    """``x = p - q√m or x = p + q√m`` for sympy's two conjugate roots, as the trace writes them."""
    import sympy

    from chukmath.families.quadratic.trace import root_text

    p, rest = sympy.sympify(roots[0], rational=True).as_coeff_Add()
    q, radical = rest.as_coeff_Mul()
    m = radical**2
    if not (p.is_Rational and q.is_Rational and m.is_Integer):
        return None
    pf, qf = Fraction(int(p.p), int(p.q)), abs(Fraction(int(q.p), int(q.q)))
    return f"x = {root_text(pf, qf, int(m), '-')} or x = {root_text(pf, qf, int(m), '+')}"


def root_forms(answer: str) -> list[str]:
    """The root set as sympy prints it, as ``x = … or x = …``, and as a bare list."""
    text = answer.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return [text]
    roots = [root.strip() for root in text[1:-1].split(",")]
    if all(_RATIONAL.fullmatch(root) for root in roots):
        written = " or ".join(f"x = {root}" for root in roots)
    elif len(roots) == 2 and "sqrt(" in text:
        written = _sqrt_pair(roots) or ""
    else:
        written = ""
    return [text, *([written] if written else []), ", ".join(roots)]
