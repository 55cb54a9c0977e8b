"""The estimate-first route through a plain arithmetic expression: every number rounded to one significant figure,
the estimate worked out, then the exact value, checked against the estimate and by undoing the last step."""

from __future__ import annotations

import ast
from fractions import Fraction

from chukmath.errors import InputError
from chukmath.families.common.arithmetic_routes import ORDER_SENTENCE, Context, is_fraction_literal, literal_fraction
from chukmath.families.common.arithmetic_steps import ArithmeticWalk, recheck
from chukmath.families.common.format import OP_SUB, Number, num, pretty, step
from chukmath.safe_expr import literal_value, parse_expression


def _round_number(value: Fraction) -> int:
    """One significant figure for 10 and up, the nearest whole number below (never 0 for a nonzero value)."""
    size = abs(value)
    if size >= 10:
        scale = 10 ** (len(str(int(size))) - 1)
        rounded = int((size / scale + Fraction(1, 2)) // 1) * scale
    else:
        rounded = max(int((size + Fraction(1, 2)) // 1), 1)
    return -rounded if value < 0 else rounded


def _rounded_text(expr: str, tree: ast.expr) -> tuple[str, list[tuple[str, int]]]:
    """``expr`` with every number (not an exponent) rounded by :func:`_round_number`, brackets kept as written,
    and what changed (the number as written, its rounded value)."""
    spans: list[tuple[int, int, str, int]] = []

    def visit(node: ast.expr) -> None:
        if is_fraction_literal(node) or isinstance(node, ast.Constant):
            text = expr[node.col_offset : node.end_col_offset]
            value = Fraction(literal_value(node, expr)) if isinstance(node, ast.Constant) else literal_fraction(node)
            rounded = _round_number(value)
            if rounded != value:
                shown = f"({rounded})" if rounded < 0 and not text.startswith("(") else str(rounded)
                spans.append((node.col_offset, node.end_col_offset or node.col_offset, text, int(shown.strip("()"))))
            return
        if isinstance(node, ast.BinOp):
            visit(node.left)
            if not isinstance(node.op, ast.Pow):  # the exponent stays exact
                visit(node.right)
        elif isinstance(node, ast.UnaryOp):
            visit(node.operand)

    visit(tree)
    out = expr
    for start, end, _, value in sorted(spans, reverse=True):
        out = out[:start] + str(value) + out[end:]
    return out, [(text, value) for _, _, text, value in sorted(spans)]


def estimated(ctx: Context) -> tuple[list[str], Number] | None:
    """Round every number (one significant figure), work out the estimate, then the exact value in order, and check
    the exact value against the estimate and by undoing the last step. None when rounding changes nothing or makes
    a division by zero."""
    rounded_expr, changed = _rounded_text(ctx.expr, ctx.tree)
    if not changed:
        return None
    try:
        estimate_walk = ArithmeticWalk(rounded_expr, ctx.where, "fraction")
        estimate = estimate_walk.value(parse_expression(rounded_expr, ctx.where))
    except (InputError, ZeroDivisionError):
        return None
    shown = ", ".join(f"{text} ≈ {value}" for text, value in changed[:8])
    think = ["Round each number to one significant figure:", f"{shown}."]
    think.append(f"The rounded problem is {pretty(rounded_expr)}.")
    think.extend(estimate_walk.lines)
    whole = round(Fraction(estimate))
    if whole != estimate:
        think.append(f"{num(estimate)} is about {whole}.")
        estimate = whole
    think.append(f"So the answer should be roughly {num(estimate)}.")
    think.append("Now the exact value. " + ORDER_SENTENCE)
    walk = ctx.walk()
    value = walk.value(ctx.tree)
    think.extend(walk.lines)
    think.append("Check against the estimate:")
    think.append(step(value, OP_SUB, estimate, ctx.style)[0])
    think.append(
        "The exact value and the estimate are close, as rounding leads us to expect."
        if _close(value, estimate)
        else "The rounding moved the numbers a lot, so check the exact value too."
    )
    think.extend(recheck(walk))
    return think, value


def _close(value: Number, estimate: Number) -> bool:
    return abs(Fraction(value) - Fraction(estimate)) <= max(abs(Fraction(value)), abs(Fraction(estimate))) / 2


__all__ = ["estimated"]
