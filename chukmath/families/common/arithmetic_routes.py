"""Other routes through a plain arithmetic expression than the classic walk: in order with long operations shown,
regrouped, and estimated first. Each ends with a check that recomputes the result another way and uses the result
as a number in a claim, so a wrong result makes the check a false claim.

The pieces (:func:`in_order`, :func:`regrouped`, :func:`estimated`) return think lines and the exact value; the
arithmetic, fractions and word-problem families wrap them in their own opening and answer sentences.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from math import gcd

from chukmath.errors import InputError
from chukmath.families.common.arithmetic_steps import ArithmeticWalk, recheck
from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, Style, num, pretty, step
from chukmath.families.common.long_ops import Detail, detail_for, operation_lines
from chukmath.families.common.signed_ops import plus_minus_lines, signed_lines, working_lines
from chukmath.safe_expr import parse_expression

_INVERSE = {OP_ADD: OP_SUB, OP_SUB: OP_ADD, OP_MUL: OP_DIV, OP_DIV: OP_MUL}
ORDER_SENTENCE = "Work in the order of operations: brackets, powers, × and ÷, then + and - from left to right."


class LongWalk(ArithmeticWalk):
    """The classic walk, with each long multiplication or division, each sum of fractions over different
    denominators, and each whole-number sum or difference with a sign, a carry or a borrow worked out before its
    claim."""

    def __init__(self, expr: str, where: str, style: Style, detail: Detail) -> None:
        super().__init__(expr, where, style)
        self.detail = detail

    def binary(self, left: Number, op: str, right: Number) -> Number:
        self.lines.extend(working_lines(left, op, right, self.detail, self.style))
        return super().binary(left, op, right)


def style_of(expr: str) -> Style:
    """Decimal style when the problem writes a decimal point (as the classic trace decides)."""
    return "decimal" if "." in expr else "fraction"


def is_fraction_literal(node: ast.expr) -> bool:
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
        return False
    top, bottom = node.left, node.right
    if isinstance(top, ast.UnaryOp) and isinstance(top.op, ast.USub):
        top = top.operand
    return (
        isinstance(top, ast.Constant) and type(top.value) is int and isinstance(bottom, ast.Constant)
        and type(bottom.value) is int and bottom.value > 1 and Fraction(top.value, bottom.value).denominator
        == bottom.value
    )  # fmt: skip


def literal_fraction(node: ast.expr) -> Fraction:
    """The value of a fraction literal (``3/4``, ``-3/4``; see :func:`is_fraction_literal`)."""
    assert isinstance(node, ast.BinOp)
    top, bottom = node.left, node.right
    sign = 1
    if isinstance(top, ast.UnaryOp):
        sign, top = -1, top.operand
    assert isinstance(top, ast.Constant) and isinstance(bottom, ast.Constant)
    return Fraction(sign * top.value, bottom.value)


def chain_of(node: ast.expr, kinds: tuple[type, ...]) -> list[tuple[str, ast.expr]]:
    """A left-leaning run of ``kinds`` (+ -, or × ÷) as ``[(op, operand), ...]``, the first op ``+`` or ``×``;
    a fraction literal stays one operand."""
    first = OP_ADD if ast.Add in kinds else OP_MUL
    out: list[tuple[str, ast.expr]] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, kinds) and not is_fraction_literal(node):
        out.append(({ast.Add: OP_ADD, ast.Sub: OP_SUB, ast.Mult: OP_MUL, ast.Div: OP_DIV}[type(node.op)], node.right))
        node = node.left
    out.append((first, node))
    out.reverse()
    return out


class Context:
    """One expression being explained: its tree, text, style and how much long-operation detail to show."""

    def __init__(self, expr: str, where: str, difficulty: int) -> None:
        self.expr = expr
        self.where = where
        self.tree = parse_expression(expr, where)
        self.style = style_of(expr)
        self.detail = detail_for(difficulty)

    def walk(self) -> LongWalk:
        return LongWalk(self.expr, self.where, self.style, self.detail)

    def text(self, node: ast.expr) -> str:
        """The source text of a sub-expression, for prose."""
        return pretty(ast.get_source_segment(self.expr, node) or ast.unparse(node))

    def quiet_value(self, node: ast.expr) -> Number:
        """The exact value of a sub-expression, without writing its steps."""
        return ArithmeticWalk(self.expr, self.where, self.style).value(node)

    def value_of(self, node: ast.expr) -> tuple[list[str], Number]:
        walk = self.walk()
        value = walk.value(node)
        return walk.lines, value


def back_check(ctx: Context, value: Number, walk: ArithmeticWalk) -> list[str]:
    """Undo every top-level + - (or × ÷) from the right, starting at the result, until the first operand is back."""
    terms = chain_of(ctx.tree, (ast.Add, ast.Sub))
    kinds = "+ and -"
    if len(terms) < 2:
        terms = chain_of(ctx.tree, (ast.Mult, ast.Div))
        kinds = "× and ÷"
    values = [ctx.quiet_value(node) for _, node in terms]
    if len(terms) < 2 or any(v == 0 for op, v in zip([t[0] for t in terms], values, strict=True) if op == OP_MUL):
        return recheck(walk)
    lines = [f"Check by working back from {num(value, ctx.style)}, undoing each {kinds} from the right:"]
    current = value
    for (op, _), operand in zip(reversed(terms[1:]), reversed(values[1:]), strict=True):
        line, current = step(current, _INVERSE[op], operand, ctx.style)
        lines.append(line)
    if current != values[0]:
        raise AssertionError(f"{ctx.where}: working back gave {current}, not the first operand {values[0]}")
    lines.append(f"That is the first number, {num(values[0], ctx.style)}, so the result is right.")
    return lines


def in_order(ctx: Context) -> tuple[list[str], Number]:
    """The order of operations, long operations worked out, then a check that works back from the result."""
    walk = ctx.walk()
    value = walk.value(ctx.tree)
    think = [ORDER_SENTENCE, *walk.lines] if walk.lines else []
    return [*think, *back_check(ctx, value, walk)], value


def _place_value_sum(ctx: Context, left: Number, op: str, right: Number) -> list[str] | None:
    """``47 + 38`` as ``47 + 30 = 77`` then ``77 + 8 = 85``: the second number split by place value. Only where no
    sign is in play (a negative, or a result below zero, goes through the sign rule of :func:`_worked_step`)."""
    if type(left) is not int or type(right) is not int or right < 10 or op not in (OP_ADD, OP_SUB):
        return None
    if left < 0 or (op == OP_SUB and left < right):
        return None
    digits = str(right)
    parts = [int(d) * 10 ** (len(digits) - 1 - i) for i, d in enumerate(digits) if d != "0"]
    if len(parts) < 2:
        return None
    verb = "add" if op == OP_ADD else "take away"
    lines = [f"Split {right} by place value ({' + '.join(map(str, parts))}) and {verb} one part at a time:"]
    current: Number = left
    for part in parts:
        line, current = step(current, op, part, ctx.style)
        lines.append(line)
    return lines


def regrouped(ctx: Context) -> tuple[list[str], Number]:
    """Terms first, then the added terms together and the subtracted ones together; a two-term sum by place value;
    a product with divisions as (product of the multipliers) ÷ (product of the divisors). Checked by recomputing
    in the original order."""
    terms = chain_of(ctx.tree, (ast.Add, ast.Sub))
    if len(terms) >= 2:
        return _regroup_sum(ctx, terms)
    factors = chain_of(ctx.tree, (ast.Mult, ast.Div))
    if len(factors) >= 3 and any(op == OP_DIV for op, _ in factors[1:]):
        return _regroup_product(ctx, factors)
    return in_order(ctx)


def _term_values(ctx: Context, items: list[tuple[str, ast.expr]], noun: str) -> tuple[list[str], list[Number]]:
    lines: list[str] = []
    values: list[Number] = []
    for number, (_, node) in enumerate(items, 1):
        found, value = ctx.value_of(node)
        if found:
            lines.append(f"{noun} {number}: {ctx.text(node)}")
            lines.extend(found)
        values.append(value)
    return lines, values


def _regroup_sum(ctx: Context, terms: list[tuple[str, ast.expr]]) -> tuple[list[str], Number]:
    lines, values = _term_values(ctx, terms, "Term")
    think = ["Work out each term on its own, then combine them.", *lines] if lines else []
    ops = [op for op, _ in terms]
    if len(terms) == 2:
        split = _place_value_sum(ctx, values[0], ops[1], values[1])
        if split is not None:
            think.extend(split)
            total = values[0] + values[1] if ops[1] == OP_ADD else values[0] - values[1]
            return [*think, *_forward_check(ctx, ops, values, total)], total
        # two terms that do not split by place value: the sum itself, checked by undoing it
        total = _worked_step(ctx, values[0], ops[1], values[1], think)
        return [*think, *_undo_second(ctx, ops[1], values, total)], total
    added = [v for op, v in zip(ops, values, strict=True) if op == OP_ADD]
    taken = [v for op, v in zip(ops, values, strict=True) if op == OP_SUB]
    think.append("Regroup: add up the terms that are added, and separately the terms that are subtracted.")
    plus = _sum_lines(ctx, added, think)
    if taken:
        minus = _sum_lines(ctx, taken, think)
        think.append("Then take the second total from the first:")
        total = _worked_step(ctx, plus, OP_SUB, minus, think)
    else:
        total = plus
    return [*think, *_forward_check(ctx, ops, values, total)], total


def _undo_second(ctx: Context, op: str, values: list[Number], total: Number) -> list[str]:
    line, back = step(total, _INVERSE[op], values[1], ctx.style)
    if back != values[0]:
        raise AssertionError(f"{ctx.where}: undoing {op} {values[1]} from {total} gave {back}")
    return [
        "Check with the inverse operation, starting from the result:",
        line,
        f"That is {num(values[0], ctx.style)} again, the first term.",
    ]


def _worked_step(ctx: Context, left: Number, op: str, right: Number, think: list[str]) -> Number:
    """One + or - claim, after the common-denominator steps when fractions with different denominators meet, or the
    sign, carry and borrow steps of whole numbers."""
    think.extend(plus_minus_lines(left, op, right, ctx.detail, ctx.style))
    line, total = step(left, op, right, ctx.style)
    think.append(line)
    return total


def _sum_lines(ctx: Context, values: list[Number], think: list[str]) -> Number:
    total = values[0]
    for value in values[1:]:
        total = _worked_step(ctx, total, OP_ADD, value, think)
    return total


def _forward_check(ctx: Context, ops: list[str], values: list[Number], total: Number) -> list[str]:
    """Recompute the terms in the order written; the last claim lands on the result."""
    lines = ["Check by combining the terms again in the order they are written:"]
    current = values[0]
    for op, value in zip(ops[1:], values[1:], strict=True):
        line, current = step(current, op, value, ctx.style)
        lines.append(line)
    if current != total:
        raise AssertionError(f"{ctx.where}: the regrouped total {total} differs from the written order's {current}")
    lines.append("Both orders give the same value.")
    return lines


def _regroup_product(ctx: Context, factors: list[tuple[str, ast.expr]]) -> tuple[list[str], Number]:
    lines, values = _term_values(ctx, factors, "Factor")
    think = ["Work out each factor on its own.", *lines] if lines else []
    ops = [op for op, _ in factors]
    up = [v for op, v in zip(ops, values, strict=True) if op == OP_MUL]
    down = [v for op, v in zip(ops, values, strict=True) if op == OP_DIV]
    if any(v == 0 for v in down):
        raise InputError(f"{ctx.where}: division by zero in {ctx.expr!r}; fix the generator")
    think.append("Regroup: multiply the numbers we multiply by, multiply the numbers we divide by, then divide once.")
    top = _product_lines(ctx, up, think)
    bottom = _product_lines(ctx, down, think)
    think.extend(operation_lines(top, OP_DIV, bottom, ctx.detail, ctx.style))
    line, total = step(top, OP_DIV, bottom, ctx.style)
    think.append(line)
    think.append("Check by undoing the division with a multiplication:")
    line, back = step(total, OP_MUL, bottom, ctx.style)
    if back != top:
        raise AssertionError(f"{ctx.where}: {total} × {bottom} is not {top}")
    think.append(line)
    think.append(f"That gives back {num(top, ctx.style)}, the product of the multipliers.")
    return think, total


def _product_lines(ctx: Context, values: list[Number], think: list[str]) -> Number:
    total = values[0]
    for value in values[1:]:
        think.extend(operation_lines(total, OP_MUL, value, ctx.detail, ctx.style))
        line, total = step(total, OP_MUL, value, ctx.style)
        think.append(line)
    return total


def common_denominator(ctx: Context) -> tuple[list[str], Number]:
    """A sum of fractions over their least common denominator: each term rewritten, the numerators combined, the
    result reduced; checked by working back from it. Other expressions go in order."""
    terms = chain_of(ctx.tree, (ast.Add, ast.Sub))
    if len(terms) < 2:
        return in_order(ctx)
    lines, values = _term_values(ctx, terms, "Term")
    fractions = [Fraction(v) for v in values]
    if all(f.denominator == 1 for f in fractions):
        return in_order(ctx)
    think = ["Work out each term on its own, then add over a common denominator.", *lines] if lines else []
    common = 1
    for f in fractions:
        common = common * f.denominator // gcd(common, f.denominator)
    think.append(f"The least common denominator of {', '.join(str(f.denominator) for f in fractions)} is {common}.")
    numerators: list[int] = []
    for f in fractions:
        factor = common // f.denominator
        if factor == 1:
            numerators.append(f.numerator)
            continue
        think.append(f"Write {num(f)} over {common}:")
        line, top = step(f.numerator, OP_MUL, factor)
        think.append(line)
        think.append(step(f.denominator, OP_MUL, factor)[0])
        numerators.append(int(top))
    ops = [op for op, _ in terms]
    think.append(f"Combine the numerators over {common}:")
    total = numerators[0]
    for op, top in zip(ops[1:], numerators[1:], strict=True):
        think.extend(signed_lines(total, op, top, ctx.detail))
        line, total = step(total, op, top)
        think.append(line)
    value = Fraction(int(total), common)
    divisor = gcd(int(total), common)
    if divisor > 1:
        think.append(f"{total} and {common} share the factor {divisor}; divide both by it:")
        think.append(step(total, OP_DIV, divisor)[0])
        think.append(step(common, OP_DIV, divisor)[0])
    result: Number = value.numerator if value.denominator == 1 else value
    think.append(f"So the total is {num(result)}.")
    walk = ArithmeticWalk(ctx.expr, ctx.where, ctx.style)  # only the value and its last step, no lines kept
    if walk.value(ctx.tree) != result:
        raise AssertionError(f"{ctx.where}: the common-denominator sum {result} differs from the walk's value")
    return [*think, *back_check(ctx, result, walk)], result


__all__ = [
    "ORDER_SENTENCE",
    "Context",
    "LongWalk",
    "back_check",
    "chain_of",
    "common_denominator",
    "in_order",
    "is_fraction_literal",
    "literal_fraction",
    "regrouped",
    "style_of",
]
