"""An arithmetic expression evaluated one claim per line: the walk behind the arithmetic, fractions, word problem
and number theory traces, and the whole trace of a plain expression (:func:`arithmetic_trace`).

Sympy-free on purpose: these families are most of a dataset and the build must stay fast, so the walk
uses ``int``/``Fraction`` and the validated tree from :mod:`chukmath.safe_expr` directly.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from math import gcd

from chukmath.errors import InputError
from chukmath.families.common.format import (
    OP_ADD,
    OP_DIV,
    OP_MUL,
    OP_SUB,
    Number,
    Style,
    assemble,
    num,
    pretty,
    step,
)
from chukmath.records import Problem
from chukmath.safe_expr import check_power, literal_value, parse_expression

_OPS = {ast.Add: OP_ADD, ast.Sub: OP_SUB, ast.Mult: OP_MUL, ast.Div: OP_DIV}
_INVERSE = {OP_ADD: OP_SUB, OP_SUB: OP_ADD, OP_MUL: OP_DIV, OP_DIV: OP_MUL}
# Up to this exponent a power is written as repeated multiplication; above it, by repeated squaring.
_SEQUENTIAL_POWER_MAX = 6
_ORDER_NOTE = "Innermost parentheses first, then powers, then × and ÷ left to right, then + and - left to right."


class ArithmeticWalk:
    """Evaluates a validated tree in precedence order, recording one true claim per operation."""

    def __init__(self, expr: str, where: str, style: Style) -> None:
        self.expr = expr
        self.where = where
        self.style = style
        self.lines: list[str] = []
        # (left, op, right, result) of the last binary step, for the inverse-operation re-check.
        self.last: tuple[Number, str, Number, Number] | None = None

    def value(self, node: ast.expr) -> Number:
        """Value of ``node``, appending the claims that compute it."""
        if type(node) is ast.Constant:
            value = node.value
            return value if type(value) is int else literal_value(node, self.expr)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.operand, ast.Constant):
                value = literal_value(node.operand, self.expr)
                return -value if isinstance(node.op, ast.USub) else value
            inner = self.value(node.operand)
            if isinstance(node.op, ast.UAdd):
                return inner
            shown = num(inner, self.style)
            self.lines.append(f"Change the sign: the negative of {shown} is {num(-inner, self.style)}.")
            return -inner
        if isinstance(node, ast.BinOp):
            literal = _fraction_literal(node)
            if literal is not None:
                return literal
            if isinstance(node.op, ast.Pow):
                return self.power(self.value(node.left), self.value(node.right))
            return self.chain(node)
        raise InputError(
            f"{self.where}: {type(node).__name__} in {self.expr!r} is not plain arithmetic; "
            "the arithmetic trace takes numbers and + - * / ** only"
        )

    def chain(self, node: ast.BinOp) -> Number:
        """A run of + - over terms of × ÷ in textbook order: every factor (groups, powers) first,
        then × and ÷ inside each term left to right, then + and - left to right."""
        terms = _split(node, (ast.Add, ast.Sub), None)
        factor_values = [
            [(op, self.value(factor)) for op, factor in _split(term, (ast.Mult, ast.Div), None)] for _, term in terms
        ]
        term_values: list[tuple[str | None, Number]] = []
        for (term_op, _), factors in zip(terms, factor_values, strict=True):
            total = factors[0][1]
            for op, value in factors[1:]:
                if op == OP_DIV and value == 0:
                    raise InputError(f"{self.where}: division by zero in {self.expr!r}; fix the generator")
                total = self.binary(total, op or OP_MUL, value)
            term_values.append((term_op, total))
        result = term_values[0][1]
        for op, value in term_values[1:]:
            result = self.binary(result, op or OP_ADD, value)
        return result

    def binary(self, left: Number, op: str, right: Number) -> Number:
        line, result = step(left, op, right, self.style)
        self.lines.append(line)
        self.last = (left, op, right, result)
        return result

    def power(self, base: Number, exponent: Number) -> Number:
        n = check_power(base, exponent, self.where, self.expr)
        shown = f"({num(base, self.style)})" if num(base, self.style)[0] == "-" or "/" in num(base) else num(base)
        if n == 0:
            rule = "0^0 is taken as 1" if base == 0 else "any nonzero number to the power 0 is 1"
            self.lines.append(f"By the rule that {rule}, {shown}^0 is 1.")
            return 1
        magnitude = abs(n)
        if magnitude == 1:
            result: Number = base
        elif magnitude <= _SEQUENTIAL_POWER_MAX:
            self.lines.append(f"Power: {shown}^{magnitude} multiplies {num(base, self.style)} by itself.")
            result = base
            for _ in range(magnitude - 1):
                result = self.binary(result, OP_MUL, base)
        else:
            result = self.squaring(base, magnitude, shown)
        if n < 0:
            self.lines.append(f"A negative exponent means the reciprocal of {shown}^{magnitude}.")
            result = self.binary(1, OP_DIV, result)
        return result

    def squaring(self, base: Number, n: int, shown: str) -> Number:
        """``base^n`` by repeated squaring: square up the powers of two, then multiply the ones n needs."""
        self.lines.append(f"Power: {shown}^{n} by repeated squaring ({n} is {' + '.join(_binary_parts(n))}).")
        squares: list[Number] = [base]
        exponent = 1
        while exponent * 2 <= n:
            squares.append(self.binary(squares[-1], OP_MUL, squares[-1]))
            exponent *= 2
        result: Number | None = None
        for bit, square in enumerate(squares):
            if n >> bit & 1:
                result = square if result is None else self.binary(result, OP_MUL, square)
        assert result is not None  # n >= 1 always has a set bit
        return result


def _split(node: ast.expr, ops: tuple[type, ...], first: str | None) -> list[tuple[str | None, ast.expr]]:
    """Flatten a left-leaning run of ``ops`` into ``[(None, a), (op, b), ...]``; fraction literals stay whole."""
    if type(node) is not ast.BinOp:
        return [(first, node)]
    items: list[tuple[str | None, ast.expr]] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ops) and _literal_parts(node) is None:
        items.append((_OPS[type(node.op)], node.right))
        node = node.left
    items.append((first, node))
    items.reverse()
    return items


def _literal_parts(node: ast.BinOp) -> tuple[int, int] | None:
    """``(numerator, denominator)`` when ``node`` is a fraction literal (see :func:`_fraction_literal`), else None.

    Decided by a gcd, with no ``Fraction`` built: ``_split`` asks this of every × ÷ node it flattens, and the
    literal's value is built once, when the walk reaches it.
    """
    if not isinstance(node.op, ast.Div):
        return None
    top, bottom = node.left, node.right
    sign = 1
    if isinstance(top, ast.UnaryOp) and isinstance(top.op, ast.USub):
        sign, top = -1, top.operand
    if not (isinstance(top, ast.Constant) and type(top.value) is int):
        return None
    if not (isinstance(bottom, ast.Constant) and type(bottom.value) is int) or bottom.value <= 1:
        return None
    # lowest terms iff the numerator and denominator share no factor (0/n is never: gcd(0, n) = n > 1)
    return (sign * top.value, bottom.value) if gcd(top.value, bottom.value) == 1 else None


def _fraction_literal(node: ast.BinOp) -> Fraction | None:
    """``3/4`` written in lowest terms is a number, not a division step (``6/8`` is a step: it simplifies)."""
    parts = _literal_parts(node)
    return None if parts is None else Fraction(*parts)


def _binary_parts(n: int) -> list[str]:
    return [str(1 << bit) for bit in range(n.bit_length()) if n >> bit & 1]


def _style(expr: str) -> Style:
    """Decimal style when the problem itself writes a decimal point (a validated expression has no other dots)."""
    return "decimal" if "." in expr else "fraction"


def evaluate_with_steps(expr: str, where: str) -> tuple[list[str], Number, ArithmeticWalk]:
    """Claims that evaluate ``expr`` in precedence order, the exact value, and the walk (for re-checks)."""
    tree = parse_expression(expr, where)
    walk = ArithmeticWalk(expr, where, _style(expr))
    value = walk.value(tree)
    return walk.lines, value, walk


def recheck(walk: ArithmeticWalk) -> list[str]:
    """Undo the last operation with its inverse: a second, independent true claim about the result."""
    if walk.last is None:
        return []
    left, op, right, result = walk.last
    if op == OP_MUL and right == 0:
        return []  # x × 0 cannot be undone by ÷ 0
    line, back = step(result, _INVERSE[op], right, walk.style)
    if back != left:
        raise AssertionError(f"{walk.where}: inverse check failed for {line}")
    # After a final sign change the step undone is the one before it; "the last step" would be untrue.
    which = "the step before the sign change" if walk.lines and walk.lines[-1].startswith("Change the sign") else (
        "the last step"
    )
    return [f"Check by undoing {which} with the inverse operation:", line, "That gives back the value before it."]


def answer_text(value: Number) -> str:
    """The clean result in ``str()`` of the sympy value: ``110``, ``3/4``, ``-10/9``."""
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    return str(int(value))


def arithmetic_trace(problem: Problem) -> str:
    """Trace for ``arithmetic`` and ``fractions``: restate, evaluate step by step, re-check, answer."""
    where = f"problem {problem.id}"
    lines, value, walk = evaluate_with_steps(problem.expression, where)
    think = [f"We need to evaluate {pretty(problem.expression)}."]
    if lines:
        think.append(_ORDER_NOTE)
        think.extend(lines)
    think.extend(recheck(walk))
    shown = num(value, walk.style)
    think.append(f"So the value is {shown}.")
    # The sentence uses the problem's own style (a decimal when the problem has decimals and it terminates);
    # the verifier answer is always sympy's exact form.
    return assemble(think, f"The answer is {shown}.", answer_text(value))
