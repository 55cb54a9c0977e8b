"""Exact polynomial sides of equations, read straight from the validated expression tree.

Linear equations, linear systems and quadratics only need rational coefficients, so the tree is folded
into ``{monomial: Fraction}`` without sympy (which costs milliseconds per problem in ``Poly``). Anything
outside plain polynomial arithmetic (``E``, ``pi``, ``sqrt(...)``) falls back to sympy through the safe
converter and is read into the same shape.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction

from chukmath.errors import InputError
from chukmath.safe_expr import (
    MAX_EXPR_CHARS,
    MAX_LITERAL_DIGITS,
    SYMBOL_NAMES,
    literal_value,
    parse_expression,
    to_sympy,
)

VARIABLES = tuple(sorted(SYMBOL_NAMES))
_INDEX = {name: i for i, name in enumerate(VARIABLES)}
_CONSTANT = (0,) * len(VARIABLES)
# The default of the dict look-ups below, made once: Fraction is immutable, and building Fraction(0) on every
# look-up (whether or not the key is there) cost more than the look-up.
_ZERO = Fraction(0)
# Equations in these families are at most quadratic; a higher product is refused rather than expanded.
MAX_DEGREE = 4

Monomial = tuple[int, ...]
Poly = dict[Monomial, Fraction]


class NotPolynomial(Exception):
    """The tree is not plain polynomial arithmetic in the allowed variables (use the sympy fallback)."""


def _add(a: Poly, b: Poly, sign: int = 1) -> Poly:
    out = dict(a)
    for mono, coef in b.items():
        value = out.get(mono, _ZERO) + sign * coef
        if value:
            out[mono] = value
        else:
            out.pop(mono, None)
    return out


def _mul(a: Poly, b: Poly) -> Poly:
    out: Poly = {}
    for m1, c1 in a.items():
        for m2, c2 in b.items():
            mono = tuple(e1 + e2 for e1, e2 in zip(m1, m2, strict=True))
            if sum(mono) > MAX_DEGREE:
                raise NotPolynomial("degree too high")
            value = out.get(mono, _ZERO) + c1 * c2
            if value:
                out[mono] = value
            else:
                out.pop(mono, None)
    return out


def _constant_of(poly: Poly) -> Fraction | None:
    if not poly:
        return Fraction(0)
    if len(poly) == 1 and _CONSTANT in poly:
        return poly[_CONSTANT]
    return None


def _fold(node: ast.expr, expr: str) -> Poly:
    if isinstance(node, ast.Constant):
        value = Fraction(literal_value(node, expr))
        return {_CONSTANT: value} if value else {}
    if isinstance(node, ast.Name):
        if node.id not in _INDEX:
            raise NotPolynomial(node.id)
        mono = [0] * len(VARIABLES)
        mono[_INDEX[node.id]] = 1
        return {tuple(mono): Fraction(1)}
    if isinstance(node, ast.UnaryOp):
        inner = _fold(node.operand, expr)
        return {m: -c for m, c in inner.items()} if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp):
        left, right = _fold(node.left, expr), _fold(node.right, expr)
        if isinstance(node.op, ast.Add):
            return _add(left, right)
        if isinstance(node.op, ast.Sub):
            return _add(left, right, -1)
        if isinstance(node.op, ast.Mult):
            return _mul(left, right)
        divisor = _constant_of(right)
        if isinstance(node.op, ast.Div):
            if not divisor:
                raise NotPolynomial("division by a non-constant or zero")
            return {m: c / divisor for m, c in left.items()}
        if divisor is None or divisor.denominator != 1 or not 0 <= divisor <= MAX_DEGREE:
            raise NotPolynomial("exponent")
        result: Poly = {_CONSTANT: Fraction(1)}
        for _ in range(int(divisor)):
            result = _mul(result, left)
        return result
    raise NotPolynomial(type(node).__name__)


def _sympy_sides(expr: str, where: str) -> list[tuple[Poly, Poly]]:
    """The fallback: sympy reads the sides; coefficients must still come out rational."""
    import sympy

    parsed = to_sympy(expr, where)
    equations = parsed if isinstance(parsed, (list, tuple)) else [parsed]
    symbols = [sympy.Symbol(name) for name in VARIABLES]
    sides = []
    for eq in equations:
        if not isinstance(eq, sympy.Equality):
            raise InputError(f"{where}: expected an equation Eq(lhs, rhs), got {eq}")
        pair = []
        for side in (eq.lhs, eq.rhs):
            try:
                poly = sympy.Poly(sympy.expand(side), *symbols)
            except sympy.PolynomialError as exc:
                raise InputError(f"{where}: {side} is not a polynomial ({exc})") from None
            folded: Poly = {}
            for mono, coef in poly.terms():
                if not coef.is_Rational:
                    raise InputError(f"{where}: coefficient {coef} in {side} is not an exact rational number")
                folded[tuple(mono)] = Fraction(int(coef.p), int(coef.q))
            pair.append(folded)
        sides.append((pair[0], pair[1]))
    return sides


# The generators' own shape: sums of ``c*v**n`` terms with integer coefficients, no brackets. Text in exactly
# this grammar is read without ``ast`` (the parse and tree walk cost more than the rest of a short trace);
# the result is the same dictionary ``_fold`` builds, since the grammar has Python's meaning.
_FAST_EQUATION = re.compile(r"Eq\(([^,()\[\]]{1,400}), ([^,()\[\]]{1,400})\)")
_NUMBER = rf"[1-9]\d{{0,{MAX_LITERAL_DIGITS - 1}}}"
_FAST_TERM = re.compile(rf"(?:({_NUMBER})\*)?([txyz])(?:\*\*([1-{MAX_DEGREE}]))?|(0|{_NUMBER})")
_SIGNED_TERMS = re.compile(r" ([+-]) ")


def _fast_side(text: str) -> Poly | None:
    pieces = _SIGNED_TERMS.split(text)
    first, sign = pieces[0], 1
    if first.startswith("-"):
        first, sign = first[1:], -1
    # Whole-number sums, the Fractions made once at the end: the same keys in the same order (a term that
    # cancels is popped and re-added exactly as before) at a fraction of the cost of Fraction arithmetic.
    poly: dict[tuple[int, ...], int] = {}
    for i in range(0, len(pieces), 2):
        item = first if i == 0 else pieces[i]
        if i:
            sign = 1 if pieces[i - 1] == "+" else -1
        m = _FAST_TERM.fullmatch(item)
        if m is None:
            return None
        if m.group(4) is not None:
            mono, value = _CONSTANT, int(m.group(4))
        else:
            exponents = [0] * len(VARIABLES)
            exponents[_INDEX[m.group(2)]] = int(m.group(3) or 1)
            mono, value = tuple(exponents), int(m.group(1) or 1)
        total = poly.get(mono, 0) + sign * value
        if total:
            poly[mono] = total
        else:
            poly.pop(mono, None)
    return {mono: Fraction(value) for mono, value in poly.items()}


def _fast_sides(expr: str) -> list[tuple[Poly, Poly]] | None:
    """The sides of generator-shaped equations read with regular expressions, or None for any other text."""
    found = _FAST_EQUATION.findall(expr)
    if not found:
        return None
    rebuilt = ", ".join(f"Eq({lhs}, {rhs})" for lhs, rhs in found)
    if expr != (f"[{rebuilt}]" if len(found) > 1 else rebuilt):
        return None
    sides = []
    for lhs, rhs in found:
        left, right = _fast_side(lhs), _fast_side(rhs)
        if left is None or right is None:
            return None
        sides.append((left, right))
    return sides


def equation_sides(expr: str, where: str) -> list[tuple[Poly, Poly]]:
    """``(lhs, rhs)`` polynomials of ``Eq(...)`` or of each equation in ``[Eq(...), ...]``."""
    if len(expr) <= MAX_EXPR_CHARS:
        fast = _fast_sides(expr)
        if fast is not None:
            return fast
    tree = parse_expression(expr, where)
    nodes = tree.elts if isinstance(tree, (ast.List, ast.Tuple)) else [tree]
    sides = []
    try:
        for node in nodes:
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Eq" and len(node.args) == 2):
                raise InputError(f"{where}: expected an equation Eq(lhs, rhs) in {expr!r}")
            sides.append((_fold(node.args[0], expr), _fold(node.args[1], expr)))
    except NotPolynomial:
        return _sympy_sides(expr, where)
    return sides


def variables(polys: list[Poly]) -> list[str]:
    """Names of the variables that occur, in alphabetical order."""
    used = {i for poly in polys for mono in poly for i, e in enumerate(mono) if e}
    return [VARIABLES[i] for i in sorted(used)]


def degree(poly: Poly) -> int:
    """Total degree (0 for a constant or zero polynomial)."""
    return max((sum(mono) for mono in poly), default=0)


def coefficient(poly: Poly, name: str | None, power: int = 1) -> Fraction:
    """Coefficient of ``name^power`` (or the constant term for ``name=None``)."""
    mono = [0] * len(VARIABLES)
    if name is not None:
        mono[_INDEX[name]] = power
    return poly.get(tuple(mono), _ZERO)


def subtract(a: Poly, b: Poly) -> Poly:
    """``a - b``."""
    return _add(a, b, -1)
