"""How numbers and claims are written in a built-in trace, and how a trace is assembled.

Every arithmetic claim is one ``a op b = c`` on its own line with ``+ - × ÷`` (and ``mod``), so a step
checker can verify each one exactly: negative operands in parentheses, fractions as ``p/q`` in lowest
terms, decimals only when the problem itself uses decimals and the value terminates. A fraction on the
right of ``÷`` is parenthesised because ``a ÷ p/q`` read left to right would mean ``(a ÷ p) / q``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

Number = int | Fraction
Style = Literal["fraction", "decimal"]

OP_ADD = "+"
OP_SUB = "-"
OP_MUL = "×"
OP_DIV = "÷"
OP_MOD = "mod"


def _terminates(value: Fraction) -> bool:
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    return d == 1


def _decimal(value: Fraction) -> str:
    """Exact decimal text of a terminating fraction (caller checked ``_terminates``)."""
    sign = "-" if value < 0 else ""
    num, den = abs(value.numerator), value.denominator
    digits = 0
    scale = 1
    while scale % den != 0:
        scale *= 10
        digits += 1
    scaled = num * (scale // den)
    whole, frac = divmod(scaled, scale)
    text = str(frac).rjust(digits, "0").rstrip("0")
    return f"{sign}{whole}.{text}" if text else f"{sign}{whole}"


def num(value: Number, style: Style = "fraction") -> str:
    """A value as a result (right of ``=``): ``12``, ``-3/4``, ``2.25`` (decimal style, terminating only)."""
    if type(value) is int:
        return str(value)
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return str(numerator)
    if style == "decimal" and _terminates(value):
        return _decimal(value)
    return f"{numerator}/{denominator}"


def operand(value: Number, style: Style = "fraction", *, after_div: bool = False) -> str:
    """A value as an operand: negatives in parentheses; a fraction after ``÷`` too."""
    text = num(value, style)
    if text.startswith("-") or (after_div and "/" in text):
        return f"({text})"
    return text


def claim(left: Number, op: str, right: Number, result: Number, style: Style = "fraction") -> str:
    """One checkable line ``a op b = c``."""
    # str() for an int is what num() writes for it, without the call (a trace writes a few of these per problem)
    a = str(left) if type(left) is int else num(left, style)
    if a[0] == "-":
        a = f"({a})"
    b = str(right) if type(right) is int else num(right, style)
    if b[0] == "-" or (op == OP_DIV and "/" in b):
        b = f"({b})"
    return f"{a} {op} {b} = {str(result) if type(result) is int else num(result, style)}"


def compute(left: Number, op: str, right: Number) -> Number:
    """The exact result of one claimed operation (integers stay ``int`` where exact)."""
    if op == OP_ADD:
        return left + right
    if op == OP_SUB:
        return left - right
    if op == OP_MUL:
        return left * right
    if op == OP_MOD:
        return left % right
    result = Fraction(left) / right
    return result.numerator if result.denominator == 1 else result


def step(left: Number, op: str, right: Number, style: Style = "fraction") -> tuple[str, Number]:
    """Compute one operation and return ``(claim line, result)``."""
    result = compute(left, op, right)
    return claim(left, op, right, result, style), result


def assemble(think: list[str], answer: str, verifier_answer: str) -> str:
    """The exact tag layout of the contract: think block, answer sentence, clean verifier answer."""
    body = "\n".join(think)
    return f"<think>\n{body}\n</think>\n<answer>{answer}</answer>\n<verifier_answer>{verifier_answer}</verifier_answer>"


def pretty(expr: str) -> str:
    """A problem expression for prose: ``**`` as ``^``, ``*`` as ``×``, a spaced `` / `` as ``÷``; an unspaced
    ``3/4`` stays, since generators write fraction literals that way."""
    return expr.replace("**", "^").replace("*", " × ").replace("  ", " ").replace(" / ", " ÷ ")
