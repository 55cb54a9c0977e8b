"""Random arithmetic expression trees with exact values, shared by the ``arithmetic`` and ``fractions`` drawers.

A node is ``(expression text, question text, precedence, is_negative, numerator, denominator)``; values are
exact rationals kept as int pairs (cheaper than Fraction in the hot path). Precedence: 1 = sum, 2 = product,
3 = negated group, 4 = power, 5 = atom. ``sym`` maps ``+ - * /`` to the symbols the question shows.
"""

from __future__ import annotations

from math import gcd
from typing import Protocol

from chukmath.families.rng import Rng

Node = tuple[str, str, int, bool, int, int]


class TreeConfig(Protocol):
    """The config knobs the tree builder reads (a family's config dataclass, or class attributes of it)."""

    @property
    def integer_only(self) -> bool: ...
    @property
    def max_value(self) -> int: ...
    @property
    def negatives(self) -> float: ...
    @property
    def unary_minus(self) -> float: ...


def combine(op: str, left: Node, right: Node, cfg: TreeConfig, rng: Rng, sym: dict[str, str]) -> Node | None:
    """``left op right`` as a node (exact value, both texts, parentheses where needed); None for a division by
    zero. With ``cfg.integer_only`` a dividend is replaced by a multiple of the divisor."""
    le, lq, lp, ln, a, b = left
    re_, rq, rp, rn, c, d = right
    if op == "/":
        if c == 0:
            return None
        if cfg.integer_only and a % c:
            # Replace the dividend by a multiple of the divisor so the quotient is exact.
            k = rng.randint(1, max(1, cfg.max_value // abs(c)))
            if cfg.negatives and rng.chance(cfg.negatives):
                k = -k
            a, b = c * k, 1
            le = lq = str(a) if a >= 0 else f"-{-a}"
            lp, ln = 5, a < 0
        num, den = a * d, b * c
        if den < 0:
            num, den = -num, -den
        prec = 2
    elif op == "*":
        num, den, prec = a * c, b * d, 2
    elif op == "+":
        num, den, prec = a * d + c * b, b * d, 1
    else:
        num, den, prec = a * d - c * b, b * d, 1
    if den != 1:
        g = gcd(num, den)
        if g != 1:
            num //= g
            den //= g
    if lp < prec or ln:
        le, lq = f"({le})", f"({lq})"
    if rp < prec or rn or (rp == prec and op in "-/"):
        re_, rq = f"({re_})", f"({rq})"
    s = sym[op]
    return (f"{le} {op} {re_}", f"{lq} {s} {rq}", prec, False, num, den)


def tree(leaves: list[Node], ops: list[str], lo: int, hi: int, cfg: TreeConfig, rng: Rng,
          sym: dict[str, str]) -> Node | None:
    """A random binary tree over ``leaves[lo:hi]`` with ``ops`` between them (parentheses as the shape needs)."""
    if hi - lo == 1:
        return leaves[lo]
    k = rng.randint(lo + 1, hi - 1)
    left = tree(leaves, ops, lo, k, cfg, rng, sym)
    right = tree(leaves, ops, k, hi, cfg, rng, sym)
    if left is None or right is None:
        return None
    node = combine(ops[k - 1], left, right, cfg, rng, sym)
    if node is not None and cfg.unary_minus and rng.chance(cfg.unary_minus):
        e, q, _, _, n, d = node
        node = (f"-({e})", f"-({q})", 3, True, -n, d)
    return node


def flat(leaves: list[Node], ops: list[str], cfg: TreeConfig, rng: Rng, sym: dict[str, str]) -> Node | None:
    """``leaves`` joined by ``ops`` with the usual precedence: products first, then sums left to right, so the
    printed text needs no parentheses."""
    terms: list[tuple[str, Node]] = []
    cur: Node | None = leaves[0]
    pending = "+"
    for op, leaf in zip(ops, leaves[1:], strict=True):
        if op in "*/":
            cur = combine(op, cur, leaf, cfg, rng, sym)
            if cur is None:
                return None
        else:
            terms.append((pending, cur))
            pending, cur = op, leaf
    terms.append((pending, cur))
    acc = terms[0][1]
    for op, node in terms[1:]:
        acc = combine(op, acc, node, cfg, rng, sym)
        if acc is None:
            return None
    return acc
