"""``fractions``: + - × ÷ on fractions (and the odd whole number); the answer is the reduced fraction."""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Any, ClassVar

from chukmath.families.common.exprtree import Node, flat, tree
from chukmath.families.config import param
from chukmath.families.rng import Rng

_PHRASES = (
    "What is {e}?",
    "Calculate {e}. Give the answer as a fraction in lowest terms.",
    "Compute {e} and simplify.",
    "Simplify {e}.",
    "Work out {e}, writing the result as a reduced fraction.",
    "Find {e} in simplest form.",
    "Evaluate {e}.",
    "What do you get for {e}? Reduce your answer.",
)
_STYLES = ({"+": "+", "-": "-", "*": "×", "/": "÷"}, {"+": "+", "-": "-", "*": "*", "/": "/"})


@dataclass(frozen=True)
class FractionsConfig:
    """Knobs of the fractions family (defaults are difficulty 3)."""

    min_terms: int = param(2, "fewest operands", min=2, max=8)
    max_terms: int = param(3, "most operands", min=2, max=8)
    max_denominator: int = param(12, "largest denominator of an operand", min=2, max=1000)
    max_numerator: int = param(12, "largest numerator of an operand", min=1, max=10000)
    operations: str = param("+-*/", "operators that may appear", chars="+-*/")
    parentheses: float = param(0.3, "chance of a random tree with parentheses", min=0, max=1)
    negatives: float = param(0.1, "chance that an operand is negative", min=0, max=1)
    whole_numbers: float = param(0.1, "chance that an operand is a whole number", min=0, max=1)
    reduced_operands: bool = param(True, "write every operand in lowest terms")

    # Read by the shared tree builder (chukmath.families.common.exprtree).
    integer_only: ClassVar[bool] = False
    unary_minus: ClassVar[float] = 0.0
    max_value: ClassVar[int] = 1

    def check(self) -> str | None:
        """Cross-field rules; a message when violated."""
        if self.min_terms > self.max_terms:
            return f"min_terms={self.min_terms} is larger than max_terms={self.max_terms}"
        return None


PRESETS: dict[int, dict[str, Any]] = {
    1: {"min_terms": 2, "max_terms": 2, "max_denominator": 6, "max_numerator": 5, "operations": "+-",
        "parentheses": 0.0, "negatives": 0.0, "whole_numbers": 0.0},
    2: {"min_terms": 2, "max_terms": 2, "max_denominator": 10, "max_numerator": 9, "negatives": 0.0,
        "parentheses": 0.0},
    3: {},
    4: {"min_terms": 3, "max_terms": 4, "max_denominator": 20, "max_numerator": 30, "parentheses": 0.5,
        "negatives": 0.15},
    5: {"min_terms": 3, "max_terms": 5, "max_denominator": 50, "max_numerator": 100, "parentheses": 0.6,
        "negatives": 0.2, "reduced_operands": False},
}


def _leaf(cfg: FractionsConfig, rng: Rng) -> Node:
    neg = cfg.negatives > 0 and rng.chance(cfg.negatives)
    if cfg.whole_numbers and rng.chance(cfg.whole_numbers):
        num, den = rng.randint(1, cfg.max_numerator), 1
        text = str(num)
        prec = 5
    else:
        den = rng.randint(2, cfg.max_denominator)
        num = rng.randint(1, cfg.max_numerator)
        if num % den == 0:
            num += 1
        if cfg.reduced_operands:
            # num is not a multiple of den, so the reduced denominator is still > 1.
            g = gcd(num, den)
            num, den = num // g, den // g
        text = f"{num}/{den}"
        prec = 1  # a fraction literal is bracketed next to × and ÷ and after -: (3/4) * (5/6)
        g = gcd(num, den)
        num, den = num // g, den // g
    if neg:
        return (f"-{text}", f"-{text}", 3, True, -num, den)
    return (text, text, prec, False, num, den)


def draw(cfg: FractionsConfig, rng: Rng) -> tuple[str, Any] | None:
    """One fractions candidate: ``(question, (expression, answer, meta))``."""
    sym = _STYLES[rng.below(2)]
    n = rng.randint(cfg.min_terms, cfg.max_terms)
    leaves = [_leaf(cfg, rng) for _ in range(n)]
    ops = [rng.choice(cfg.operations) for _ in range(n - 1)]
    if cfg.parentheses and rng.chance(cfg.parentheses):
        node = tree(leaves, ops, 0, n, cfg, rng, sym)
    else:
        node = flat(leaves, ops, cfg, rng, sym)
    if node is None:
        return None
    expr, q, _, _, num, den = node
    question = _PHRASES[rng.below(len(_PHRASES))].format(e=q)
    answer = str(num) if den == 1 else f"{num}/{den}"
    return question, (expr, answer, {"operations": "".join(sorted(set(ops)))})
