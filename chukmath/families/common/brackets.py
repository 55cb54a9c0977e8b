"""Bracketed sides of a linear equation, as a person works them: multiply out, collect, substitute.

``3(x - 20) - 69`` is multiplied out term by term (``3 × (-20) = -60``), like terms are collected one claim at
a time (``(-60) - 69 = -129``), and the check substitutes the solution into the side as written, innermost
bracket first. Only sums of numbers, ``k·x`` terms and ``k(...)`` brackets over those are handled; any other
shape raises :class:`Unsupported` and the caller falls back to the collected form.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fractions import Fraction

from chukmath.families.common.format import OP_ADD, OP_DIV, OP_MUL, OP_SUB, Number, num, step
from chukmath.families.common.linear import linear_text
from chukmath.safe_expr import literal_value, parse_expression, source_segment

_STAR_BEFORE_NAME = re.compile(r"(?<=[\d)])\s*\*\s*(?=[A-Za-z(])")
_STAR = re.compile(r"\s*\*\s*")
_OPS = {ast.Add: OP_ADD, ast.Sub: OP_SUB, ast.Mult: OP_MUL, ast.Div: OP_DIV}


class Unsupported(Exception):
    """The side is not a sum of numbers, ``k·x`` terms and brackets over those."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of ``Eq(lhs, rhs)``: its syntax tree and its source text."""

    node: ast.expr
    source: str

    def text(self) -> str:
        """The side for prose, as the question writes it: ``3(x - 20) - 69``, ``x^2``, ``2 × 3``."""
        text = _STAR_BEFORE_NAME.sub("", self.source.replace("**", "^"))
        return _STAR.sub(" × ", text)


def equation_sides_as_written(expr: str, where: str) -> tuple[Side, Side] | None:
    """The two sides of a single ``Eq(lhs, rhs)`` as written, or None for any other shape."""
    tree = parse_expression(expr, where)
    if not (isinstance(tree, ast.Call) and getattr(tree.func, "id", None) == "Eq" and len(tree.args) == 2):
        return None
    sides = []
    for node in tree.args:
        source = source_segment(expr, node)
        if source is None:
            return None
        sides.append(Side(node, source))
    return sides[0], sides[1]


def _number(node: ast.expr, expr: str) -> Number | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        value = literal_value(node, expr)
        return value.numerator if isinstance(value, Fraction) and value.denominator == 1 else value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand, expr)
        if inner is None:
            return None
        return -inner if isinstance(node.op, ast.USub) else inner
    return None


def _is_sum(node: ast.expr) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub))


def _terms(node: ast.expr, sign: int = 1) -> list[tuple[int, ast.expr]]:
    """A sum flattened into signed terms. ``+``/``-`` group to the left, so a sum on the right of one was
    written in brackets: ``a - (b + c)`` keeps ``(b + c)`` as one term, to be multiplied out."""
    if _is_sum(node):
        assert isinstance(node, ast.BinOp)
        right_sign = sign if isinstance(node.op, ast.Add) else -sign
        right = [(right_sign, node.right)] if _is_sum(node.right) else _terms(node.right, right_sign)
        return [*_terms(node.left, sign), *right]
    return [(sign, node)]


def _simple(node: ast.expr, name: str, expr: str) -> tuple[Number, Number]:
    """``(coefficient of name, constant)`` of a number, ``x``, ``k*x`` or ``-x``; Unsupported otherwise."""
    value = _number(node, expr)
    if value is not None:
        return 0, value
    if isinstance(node, ast.Name) and node.id == name:
        return 1, 0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        coefficient, constant = _simple(node.operand, name, expr)
        if constant != 0:
            raise Unsupported("negated sum")
        return -coefficient, 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        factor = _number(node.left, expr)
        if factor is not None and isinstance(node.right, ast.Name) and node.right.id == name:
            return factor, 0
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        divisor = _number(node.right, expr)
        if divisor:
            coefficient, constant = _simple(node.left, name, expr)
            return _exact(Fraction(coefficient) / divisor), _exact(Fraction(constant) / divisor)
    raise Unsupported(ast.dump(node)[:40])


def _exact(value: Fraction) -> Number:
    return value.numerator if value.denominator == 1 else value


def _bracket(node: ast.expr, expr: str) -> tuple[Number, ast.expr] | None:
    """``(multiplier, inner sum)`` of ``k*(...)``, ``-(...)`` or a bare ``(...)``; None for anything else."""
    if _is_sum(node):
        return 1, node
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        factor = _number(node.left, expr)
        if factor is not None and isinstance(node.right, ast.BinOp) and isinstance(node.right.op, (ast.Add, ast.Sub)):
            return factor, node.right
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        if isinstance(node.operand, ast.BinOp) and isinstance(node.operand.op, (ast.Add, ast.Sub)):
            return -1, node.operand
    return None


def _collect(values: list[Number], lines: list[str]) -> Number:
    """Add ``values`` left to right, one claim per addition (a negative value is subtracted)."""
    total = values[0]
    for value in values[1:]:
        line, total = step(total, OP_SUB if value < 0 else OP_ADD, abs(value))
        lines.append(line)
    return total


def expand_side(side: Side, name: str, expr: str) -> tuple[list[str], Number, Number]:
    """Lines that multiply out the brackets of ``side`` and collect like terms, and the collected
    ``(coefficient, constant)``. Raises Unsupported for a shape outside sums, ``k·x`` terms and brackets."""
    lines: list[str] = []
    coefficients: list[Number] = []
    constants: list[Number] = []
    for sign, term in _terms(side.node):
        bracket = _bracket(term, expr)
        if bracket is None:
            coefficient, constant = _simple(term, name, expr)
            if coefficient:
                coefficients.append(sign * coefficient)
            if constant:
                constants.append(sign * constant)
            continue
        factor, inner = bracket
        factor *= sign
        inner_coefficient = inner_constant = 0
        inner_parts: list[tuple[Number, Number]] = [_simple(t, name, expr) for _, t in _terms(inner)]
        signs = [s for s, _ in _terms(inner)]
        for s, (c, k) in zip(signs, inner_parts, strict=True):
            inner_coefficient += s * c
            inner_constant += s * k
        source = source_segment(expr, term)
        if source is None:
            raise Unsupported("no source text")
        if _is_sum(term):
            source = f"({source})"  # the node of a bracketed sum starts inside the bracket
        written = Side(term, f"-{source}" if sign < 0 else source).text()
        if factor == 1:
            lines.append(f"Drop the brackets of {written}:")
        elif factor == -1:
            lines.append(f"The minus sign in front of {written.lstrip('-')} flips the sign of each term inside:")
        else:
            lines.append(f"Multiply out {written}: multiply each term inside the bracket by {num(factor)}.")
        new_coefficient, new_constant = inner_coefficient, inner_constant
        if factor not in (1, -1):
            if inner_coefficient not in (0, 1):
                line, new_coefficient = step(factor, OP_MUL, inner_coefficient)
                lines.append(line)
            else:
                new_coefficient = factor * inner_coefficient
            if inner_constant:
                line, new_constant = step(factor, OP_MUL, inner_constant)
                lines.append(line)
        else:
            new_coefficient, new_constant = factor * inner_coefficient, factor * inner_constant
        lines.append(f"{written} = {linear_text([new_coefficient], [name], new_constant)}")
        if new_coefficient:
            coefficients.append(new_coefficient)
        if new_constant:
            constants.append(new_constant)
    coefficient: Number = 0
    constant: Number = 0
    if len(coefficients) > 1:
        lines.append(f"Collect the {name} terms:")
        coefficient = _collect(coefficients, lines)
    elif coefficients:
        coefficient = coefficients[0]
    if len(constants) > 1:
        lines.append("Collect the numbers:")
        constant = _collect(constants, lines)
    elif constants:
        constant = constants[0]
    return lines, coefficient, constant


def evaluate_side(side: Side, name: str, value: Number, expr: str) -> tuple[list[str], Number]:
    """Claims computing ``side`` at ``name = value`` as written, innermost bracket first; Unsupported for
    anything but numbers, the unknown, ``+ - × ÷`` and unary minus."""
    lines: list[str] = []

    def walk(node: ast.expr) -> Number:
        number = _number(node, expr)
        if number is not None:
            return number
        if isinstance(node, ast.Name) and node.id == name:
            return value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = walk(node.operand)
            line, result = step(-1, OP_MUL, inner)
            lines.append(line)
            return result
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left = walk(node.left)
            right = walk(node.right)
            op = _OPS[type(node.op)]
            if op == OP_MUL and left == 1 and isinstance(node.right, ast.Name):
                return right
            if op == OP_DIV and right == 0:
                raise Unsupported("division by zero")
            line, result = step(left, op, right)
            lines.append(line)
            return result if type(result) is int else _exact(result)
        raise Unsupported(ast.dump(node)[:40])

    return lines, walk(side.node)
