"""Whitelist converter from a problem's ``expression`` string to exact values, without ``eval``.

The expression is parsed with ``ast.parse(expr, mode="eval")`` and the tree is walked; only numbers,
``+ - * / **``, unary minus/plus, parentheses, lists, tuples, a few symbol names and a few named calls
are allowed. Sizes are capped before any work grows with them (text length, node count, literal digits,
exponents, result size), so a hostile ``9**9**9**9`` or ``factorial(10**6)`` is refused, not computed.

Two evaluators share the whitelist: :func:`to_fraction` (pure arithmetic, sympy-free, fast) and
:func:`to_sympy` (symbolic families). :func:`parse_expression` returns the validated tree for callers
that walk it themselves (the built-in teacher writes one step per node).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from typing import Any

from chukmath.errors import UnsafeExpression

MAX_EXPR_CHARS = 4000
MAX_NODES = 400
MAX_LITERAL_DIGITS = 200
MAX_EXPONENT = 1000
MAX_RESULT_BITS = 20_000
MAX_FACTORIAL = 1000
MAX_DERIVATIVE_ORDER = 20
MAX_DIVISOR_COUNT_ARG = 10**18

SYMBOL_NAMES = frozenset({"x", "y", "z", "t"})
CONSTANT_NAMES = frozenset({"E", "pi"})
CALL_NAMES = frozenset(
    {
        "Eq",
        "Derivative",
        "Integral",
        "gcd",
        "lcm",
        "Mod",
        "divisor_count",
        "divisor_sigma",
        "multiplicity",
        "sqrt",
        "sin",
        "cos",
        "tan",
        "exp",
        "log",
        "Rational",
        "Abs",
        "factorial",
    }
)

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_UNARYOPS = (ast.USub, ast.UAdd)
_OP_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def _fail(where: str, expr: str, why: str) -> UnsafeExpression:
    shown = expr if len(expr) <= 80 else expr[:77] + "..."
    return UnsafeExpression(
        f"{where}: expression {shown!r} rejected: {why}. Allowed: numbers, + - * / **, parentheses, lists, "
        f"tuples, names {', '.join(sorted(SYMBOL_NAMES | CONSTANT_NAMES))} and calls "
        f"{', '.join(sorted(CALL_NAMES))}; fix the generator or the problems file."
    )


# Text made only of digits, points, spaces, brackets and + - * / can only parse to numbers, BinOp (+ - * / **
# and // when two slashes meet) and unary +/-; with at most MAX_NODES characters it has at most MAX_NODES
# nodes. Such text skips the per-node walk, which costs more than the parse itself on the hot path.
_PLAIN_ARITHMETIC = re.compile(r"[0-9. ()+\-*/]*")
_LONG_DIGITS = re.compile(rf"\d{{{MAX_LITERAL_DIGITS + 1}}}")


@lru_cache(maxsize=4096)
def _parse_cached(expr: str) -> ast.expr | str:
    """Parse and validate; returns the tree or the reason it was refused (cached: generators repeat shapes)."""
    if len(expr) > MAX_EXPR_CHARS:
        return f"longer than {MAX_EXPR_CHARS} characters"
    if not expr.isascii():
        return "non-ASCII characters"
    try:
        tree = ast.parse(expr, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"not a valid expression ({type(exc).__name__}: {exc})"
    if (
        len(expr) <= MAX_NODES
        and _PLAIN_ARITHMETIC.fullmatch(expr)
        and "//" not in expr
        and "..." not in expr  # Ellipsis is a constant too
        and not _LONG_DIGITS.search(expr)
    ):
        return tree.body
    count = 0
    stack: list[ast.AST] = [tree.body]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            return f"more than {MAX_NODES} syntax nodes"
        if isinstance(node, ast.Constant):
            value = node.value
            if type(value) is int:
                if value.bit_length() > 3 * MAX_LITERAL_DIGITS and len(str(value)) > MAX_LITERAL_DIGITS:
                    return f"an integer literal longer than {MAX_LITERAL_DIGITS} digits"
            elif type(value) is float:
                segment = ast.get_source_segment(expr, node) or ""
                if len(segment) > MAX_LITERAL_DIGITS:
                    return f"a decimal literal longer than {MAX_LITERAL_DIGITS} characters"
            else:
                return f"constant {value!r} of type {type(value).__name__} is not a number"
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, _BINOPS):
                return f"operator {type(node.op).__name__} is not allowed"
            stack.append(node.left)
            stack.append(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, _UNARYOPS):
                return f"unary operator {type(node.op).__name__} is not allowed"
            stack.append(node.operand)
        elif isinstance(node, ast.Name):
            if node.id not in SYMBOL_NAMES and node.id not in CONSTANT_NAMES:
                return f"name {node.id!r} is not allowed"
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                return "only calls of plain allowed names are allowed (no attribute or computed calls)"
            if node.func.id not in CALL_NAMES:
                return f"call {node.func.id!r} is not allowed"
            if node.keywords:
                return f"keyword arguments in call {node.func.id!r} are not allowed"
            for arg in node.args:
                if isinstance(arg, ast.Starred):
                    return f"starred arguments in call {node.func.id!r} are not allowed"
                stack.append(arg)
        elif isinstance(node, (ast.List, ast.Tuple)):
            stack.extend(node.elts)
        else:
            return f"{type(node).__name__} syntax is not allowed"
    return tree.body


def parse_expression(expr: str, where: str = "expression") -> ast.expr:
    """Parse ``expr`` and check every node against the whitelist; raise UnsafeExpression saying why not."""
    result = _parse_cached(expr)
    if isinstance(result, str):
        raise _fail(where, expr, result)
    return result


def source_segment(expr: str, node: ast.expr) -> str | None:
    """The text of ``node`` in ``expr`` (what ``ast.get_source_segment`` gives). A validated expression is one line
    of ASCII, so its column offsets index characters: sliced directly, without the line split that
    ``get_source_segment`` does on every call."""
    if node.lineno == node.end_lineno == 1 and node.end_col_offset is not None:
        return expr[node.col_offset : node.end_col_offset]
    return ast.get_source_segment(expr, node)


def literal_value(node: ast.Constant, expr: str) -> int | Fraction:
    """Exact value of a numeric literal: decimals are read from the source text (``0.1`` is 1/10, not a float)."""
    value = node.value
    if type(value) is int:
        return value
    if node.lineno == node.end_lineno == 1:
        # One-line ASCII text (checked at parse): column offsets are character offsets.
        segment = expr[node.col_offset : node.end_col_offset]
    else:
        segment = ast.get_source_segment(expr, node) or repr(value)
    return Fraction(segment)


def check_power(base: int | Fraction, exponent: int | Fraction, where: str, expr: str) -> int:
    """Refuse a numeric power whose exponent or result would be too large; return the integer exponent."""
    if not isinstance(exponent, int) and exponent.denominator != 1:
        raise _fail(where, expr, f"non-integer exponent {exponent} in exact arithmetic")
    n = int(exponent)
    if abs(n) > MAX_EXPONENT:
        raise _fail(where, expr, f"exponent {n} is larger than {MAX_EXPONENT}")
    if isinstance(base, int):
        size = base.bit_length()
    else:
        size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if size * abs(n) > MAX_RESULT_BITS:
        raise _fail(where, expr, f"power result would exceed {MAX_RESULT_BITS} bits")
    if base == 0 and n < 0:
        raise _fail(where, expr, "zero raised to a negative power (division by zero)")
    return n


def to_fraction(expr: str, where: str = "expression") -> int | Fraction:
    """Exact value of a pure arithmetic expression (numbers and ``+ - * / **`` only), without sympy."""
    tree = parse_expression(expr, where)

    def walk(node: ast.expr) -> int | Fraction:
        if isinstance(node, ast.Constant):
            return literal_value(node, expr)
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            return apply_op(node.op, left, right, where, expr)
        raise _fail(where, expr, f"{_describe(node)} is not plain arithmetic")

    return walk(tree)


def apply_op(op: ast.operator, left: int | Fraction, right: int | Fraction, where: str, expr: str) -> int | Fraction:
    """One exact binary operation, with the power and division checks; integers stay ``int`` where exact."""
    if isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
        result = left + right if isinstance(op, ast.Add) else left - right if isinstance(op, ast.Sub) else left * right
        return int(result) if isinstance(result, Fraction) and result.denominator == 1 else result
    if isinstance(op, ast.Div):
        if right == 0:
            raise _fail(where, expr, "division by zero")
        result = Fraction(left, right) if isinstance(left, int) and isinstance(right, int) else Fraction(left) / right
        return int(result) if result.denominator == 1 else result
    n = check_power(left, right, where, expr)
    result = left**n if n >= 0 else Fraction(1) / (Fraction(left) ** -n)
    if isinstance(result, Fraction) and result.denominator == 1:
        return int(result)
    return result


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"name {node.id!r}"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return f"call {node.func.id!r}"
    return f"{type(node).__name__} syntax"


def _sympy_calls() -> dict[str, Callable[..., Any]]:
    import sympy

    return {
        # Unevaluated: Eq(2*x + 1, 2*x + 3) must stay an equation (to be reported as unsolvable), not become False.
        "Eq": lambda a, b: sympy.Eq(a, b, evaluate=False),
        "Derivative": sympy.Derivative,
        "Integral": sympy.Integral,
        # sympy.gcd(a, b, c) reads c as a polynomial generator and ignores it; the list form folds them all.
        "gcd": lambda *a: sympy.gcd(list(a)),
        "lcm": lambda *a: sympy.lcm(list(a)),
        "Mod": sympy.Mod,
        "divisor_count": sympy.divisor_count,
        "divisor_sigma": sympy.divisor_sigma,
        "multiplicity": sympy.multiplicity,
        "sqrt": sympy.sqrt,
        "sin": sympy.sin,
        "cos": sympy.cos,
        "tan": sympy.tan,
        "exp": sympy.exp,
        "log": sympy.log,
        "Rational": sympy.Rational,
        "Abs": sympy.Abs,
        "factorial": sympy.factorial,
    }


_ARITY = {
    "Eq": (2, 2),
    "Derivative": (1, 8),
    "Integral": (1, 4),
    "gcd": (2, 16),
    "lcm": (2, 16),
    "Mod": (2, 2),
    "divisor_count": (1, 1),
    "divisor_sigma": (1, 2),
    "multiplicity": (2, 2),
    "sqrt": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "exp": (1, 1),
    "log": (1, 2),
    "Rational": (1, 2),
    "Abs": (1, 1),
    "factorial": (1, 1),
}


def to_sympy(expr: str, where: str = "expression") -> Any:
    """Build the sympy object for ``expr`` (lists and tuples become Python lists and tuples) without eval.

    Decimal literals become exact Rationals, like ``sympify(expr, rational=True)``.
    """
    import sympy

    tree = parse_expression(expr, where)
    calls = _sympy_calls()
    names: dict[str, Any] = {n: sympy.Symbol(n) for n in SYMBOL_NAMES}
    names["E"] = sympy.E
    names["pi"] = sympy.pi

    def as_int(value: Any, what: str) -> int:
        if isinstance(value, sympy.Integer):
            return int(value)
        raise _fail(where, expr, f"{what} must be an integer, got {value}")

    def walk(node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            value = literal_value(node, expr)
            return (
                sympy.Integer(value) if isinstance(value, int) else sympy.Rational(value.numerator, value.denominator)
            )
        if isinstance(node, ast.Name):
            return names[node.id]
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [walk(e) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
                raise _fail(where, expr, "arithmetic on a list or tuple")
            if isinstance(node.op, ast.Pow):
                if right.is_Number:
                    if not right.is_Integer and not right.is_Rational:
                        raise _fail(where, expr, f"exponent {right} is not exact")
                    if abs(right) > MAX_EXPONENT:
                        raise _fail(where, expr, f"exponent {right} is larger than {MAX_EXPONENT}")
                    if left.is_Rational and right.is_Integer:
                        check_power(Fraction(int(left.p), int(left.q)), int(right), where, expr)
                    elif _largest_rational_bits(left) * abs(right) > MAX_RESULT_BITS:
                        # sympy distributes a power over products and radicals, (2**999*x)**999 and
                        # sqrt(2**999)**999 build 500,000-bit integers; nesting them again would not finish.
                        raise _fail(where, expr, f"power result would exceed {MAX_RESULT_BITS} bits")
                elif not right.free_symbols and right.is_number:
                    # A constant exponent like E or pi**2 is fine only when its size is already bounded.
                    if abs(right.evalf(5)) > MAX_EXPONENT:
                        raise _fail(where, expr, f"exponent {right} is larger than {MAX_EXPONENT}")
                return left**right
            if isinstance(node.op, ast.Div) and right == 0:
                raise _fail(where, expr, "division by zero")
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return left / right
        if isinstance(node, ast.Call):
            name = node.func.id  # type: ignore[attr-defined]  # validated: always a Name
            low, high = _ARITY[name]
            if not low <= len(node.args) <= high:
                raise _fail(where, expr, f"{name} takes {low}..{high} arguments, got {len(node.args)}")
            args = [walk(a) for a in node.args]
            _check_call(name, args, as_int, where, expr)
            try:
                return calls[name](*args)
            except (TypeError, ValueError) as exc:
                raise _fail(where, expr, f"bad arguments to {name} ({exc})") from None
        raise _fail(where, expr, f"{_describe(node)} is not allowed")

    return walk(tree)


def _largest_rational_bits(value: Any) -> int:
    """Bit size of the largest numerator or denominator among the exact numbers inside ``value``."""
    import sympy

    sizes = [max(int(r.p).bit_length(), int(r.q).bit_length()) for r in value.atoms(sympy.Rational)]
    return max(sizes, default=0)


def _check_call(name: str, args: list[Any], as_int: Callable[[Any, str], int], where: str, expr: str) -> None:
    """Per-call caps: the few calls whose cost grows with an argument's value."""
    if name == "factorial":
        n = as_int(args[0], "the argument of factorial")
        if not 0 <= n <= MAX_FACTORIAL:
            raise _fail(where, expr, f"factorial argument {n} is outside 0..{MAX_FACTORIAL}")
    elif name in ("divisor_count", "divisor_sigma", "multiplicity"):
        # These factor their argument; cap it so factoring stays fast.
        n = as_int(args[-1] if name == "multiplicity" else args[0], f"the number in {name}")
        if not 1 <= abs(n) <= MAX_DIVISOR_COUNT_ARG:
            raise _fail(where, expr, f"{name} argument {n} is outside 1..{MAX_DIVISOR_COUNT_ARG}")
        if name == "divisor_sigma" and len(args) == 2 and not 0 <= as_int(args[1], "the power in divisor_sigma") <= 8:
            raise _fail(where, expr, "divisor_sigma power must be in 0..8")
        if name == "multiplicity" and not 2 <= as_int(args[0], "the prime in multiplicity") <= MAX_DIVISOR_COUNT_ARG:
            raise _fail(where, expr, "multiplicity needs a base of at least 2")
    elif name == "Derivative":
        for spec in args[1:]:
            orders = [spec[1]] if isinstance(spec, tuple) and len(spec) == 2 else [spec]
            for order in orders:
                if getattr(order, "is_Integer", False) and int(order) > MAX_DERIVATIVE_ORDER:
                    raise _fail(where, expr, f"derivative order {order} is larger than {MAX_DERIVATIVE_ORDER}")
    elif name == "Rational":
        for arg in args:
            if not getattr(arg, "is_Rational", False):
                raise _fail(where, expr, f"Rational takes exact numbers, got {arg}")
        if len(args) == 2 and args[1] == 0:
            raise _fail(where, expr, "Rational with denominator zero")
    elif name == "Mod" and args[1] == 0:
        raise _fail(where, expr, "Mod by zero")
    for arg in args:
        if isinstance(arg, list):
            raise _fail(where, expr, f"a list inside call {name}")
