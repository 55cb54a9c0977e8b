"""safe_expr: the whitelist converter gives the same exact values as sympy, and refuses everything else."""

from __future__ import annotations

import ast
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.errors import InputError
from chukmath.safe_expr import UnsafeExpression, parse_expression, source_segment, to_fraction, to_sympy

CONTRACT_EXAMPLES = [
    "44 + 41 + 25",
    "(3/4) * (5/6)",
    "2.5 * (3 - (-4))",
    "2**3",
    "Eq(2*x + 3, 10)",
    "[Eq(x + y, 5), Eq(x - y, 1)]",
    "Eq(x**2 - 6*x + 1, 0)",
    "gcd(84, 36)",
    "lcm(4, 6)",
    "Mod(2**10, 7)",
    "divisor_count(36)",
    "Derivative(x**3*sin(x), x)",
    "Integral(x**2, (x, 0, 3))",
    "sqrt(8) + Rational(1, 3) * pi - log(E) + Abs(-2) + factorial(5) + cos(0) + tan(0) + exp(0)",
    "divisor_sigma(12) + multiplicity(2, 208)",
]


@pytest.mark.parametrize("expr", CONTRACT_EXAMPLES)
def test_same_value_as_sympify_rational(expr):
    assert to_sympy(expr) == sympy.sympify(expr, rational=True)


def test_decimals_are_exact_rationals():
    assert to_fraction("0.1 + 0.2") == Fraction(3, 10)
    assert to_fraction("7.5 - 2.25") == Fraction(21, 4)
    assert to_sympy("0.1") == sympy.Rational(1, 10)
    # 17 significant digits: a float would round this; the source text does not.
    assert to_fraction("0.10000000000000001") == Fraction("0.10000000000000001")


def test_integer_results_stay_integers():
    value = to_fraction("84 / 12 + 2**-1 * 2")
    assert value == 8 and isinstance(value, int)


def test_gcd_and_lcm_fold_over_all_arguments():
    # sympy.gcd(12, 18, 8) would treat 8 as a polynomial generator and answer 6.
    assert to_sympy("gcd(12, 18, 8)") == 2
    assert to_sympy("lcm(21, 6, 8)") == 168


def test_equations_stay_unevaluated():
    eq = to_sympy("Eq(2*x + 1, 2*x + 3)")
    assert isinstance(eq, sympy.Equality)


HOSTILE = [
    ("__import__('os')", "call '__import__' is not allowed"),
    ("__import__('os').system('touch PWNED')", "only calls of plain allowed names"),
    ("().__class__", "Attribute syntax is not allowed"),
    ("().__class__.__bases__[0].__subclasses__()", "only calls of plain allowed names"),
    ("x.y", "Attribute syntax is not allowed"),
    ("lambda: 1", "Lambda syntax is not allowed"),
    ("[i for i in (1, 2)]", "ListComp syntax is not allowed"),
    ("{i: i for i in (1, 2)}", "DictComp syntax is not allowed"),
    ("(i for i in (1, 2))", "GeneratorExp syntax is not allowed"),
    ("open('/etc/passwd')", "call 'open' is not allowed"),
    ("eval('1')", "call 'eval' is not allowed"),
    ("sympify('x')", "call 'sympify' is not allowed"),
    ("a + 1", "name 'a' is not allowed"),
    ("sin.__call__(1)", "only calls of plain allowed names"),
    ("sin(x=1)", "keyword arguments"),
    ("sin(*[1])", "starred arguments"),
    ("'abc'", "of type str is not a number"),
    ("True + 1", "of type bool is not a number"),
    ("1j", "of type complex is not a number"),
    ("x if 1 else 2", "IfExp syntax is not allowed"),
    ("1 < 2", "Compare syntax is not allowed"),
    ("7 % 3", "operator Mod is not allowed"),
    ("7 // 3", "operator FloorDiv is not allowed"),
    ("1 << 100000", "operator LShift is not allowed"),
    ("~1", "unary operator Invert is not allowed"),
    ("x[0]", "Subscript syntax is not allowed"),
    ("(y := 2)", "NamedExpr syntax is not allowed"),
    ("f'{1}'", "JoinedStr syntax is not allowed"),
    ("import os", "not a valid expression"),
    ("1; 2", "not a valid expression"),
    ("é + 1", "non-ASCII"),
]


@pytest.mark.parametrize(("expr", "why"), HOSTILE)
def test_hostile_input_is_refused_with_a_clear_reason(expr, why, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for convert in (to_sympy, to_fraction, parse_expression):
        with pytest.raises(UnsafeExpression) as info:
            convert(expr, where="problem p-7")
        message = str(info.value)
        assert message.startswith("problem p-7: expression ")
        assert why in message
        assert "Allowed: numbers" in message
    assert list(tmp_path.iterdir()) == []  # nothing ran


SIZE_BOMBS = [
    ("9**9**9**9", "exponent 387420489 is larger than 1000"),
    ("2**100000", "exponent 100000 is larger than 1000"),
    ("(10**200)**999", "power result would exceed"),
    # powers of non-rational numbers and of products: sympy expands them into huge integers, nested ones never end
    ("sqrt(2**999)**999", "power result would exceed"),
    ("((2**999*x)**999)**999", "power result would exceed"),
    ("Derivative((x + 2**999)**999, x)", "power result would exceed"),
    ("x**(10**6)", "is larger than 1000"),
    ("factorial(10**6)", "factorial argument 1000000 is outside 0..1000"),
    ("divisor_count(10**40)", "outside 1..1000000000000000000"),
    ("Derivative(x, (x, 1000))", "derivative order 1000 is larger than 20"),
    ("1" * 300, "integer literal longer than 200 digits"),
    ("1" * 201, "integer literal longer than 200 digits"),
    ("1 + ...", "constant Ellipsis of type ellipsis is not a number"),
    ("() + 1", "arithmetic on a list or tuple"),
    ("(" * 500 + "1" + ")" * 500, "not a valid expression"),
    ("+".join(["1"] * 1000), "more than 400 syntax nodes"),
    ("1 + " * 2000 + "1", "longer than 4000 characters"),
    ("1 / 0", "division by zero"),
    ("0**-1", "zero raised to a negative power"),
    ("Mod(5, 0)", "Mod by zero"),
]


@pytest.mark.parametrize(("expr", "why"), SIZE_BOMBS)
def test_size_bombs_are_refused_before_any_big_work(expr, why):
    with pytest.raises(InputError, match=why.replace("(", r"\(").replace("*", r"\*")):
        to_sympy(expr)


def test_ordinary_powers_of_products_and_radicals_are_allowed():
    x = sympy.Symbol("x")
    assert to_sympy("sqrt(2)**1000") == 2**500
    assert to_sympy("(12*x)**100") == 12**100 * x**100
    assert to_sympy("(x + 1)**1000") == (x + 1) ** 1000


def test_deep_but_small_inputs_do_not_crash():
    assert to_fraction("-" * 399 + "1") == -1
    assert to_sympy("(" * 20 + "1" + ")" * 20) == 1


def test_arithmetic_only_evaluator_refuses_symbols_and_calls():
    with pytest.raises(UnsafeExpression, match="name 'x' is not plain arithmetic"):
        to_fraction("x + 1")
    with pytest.raises(UnsafeExpression, match="call 'gcd' is not plain arithmetic"):
        to_fraction("gcd(4, 6)")
    with pytest.raises(UnsafeExpression, match="exponent 5000 is larger than 1000"):
        to_fraction("2**5000")
    with pytest.raises(UnsafeExpression, match="non-integer exponent 1/2"):
        to_fraction("4**(1/2)")


# --- property: for random arithmetic, the converter agrees with sympy's exact evaluation ----------------------

# Each strategy draws (text, exact value or None when undefined); the value is computed here, independently.
Drawn = tuple[str, "Fraction | None"]

_numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(lambda n: (str(n), Fraction(n))),
    st.tuples(st.integers(0, 999), st.integers(1, 99)).map(
        lambda t: (f"{t[0]}.{t[1]:02d}", Fraction(t[0]) + Fraction(t[1], 100))
    ),
)


def _apply(op: str, a: Fraction | None, b: Fraction | None) -> Fraction | None:
    if a is None or b is None:
        return None
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def _power(a: Fraction | None, n: int) -> Fraction | None:
    return None if a is None else a**n


def _combine(children: st.SearchStrategy[Drawn]) -> st.SearchStrategy[Drawn]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", _apply(t[1], t[0][1], t[2][1]))
        ),
        children.map(lambda c: (f"-({c[0]})", None if c[1] is None else -c[1])),
        st.tuples(children, st.integers(0, 4)).map(lambda t: (f"({t[0][0]})**{t[1]}", _power(t[0][1], t[1]))),
    )


_expressions = st.recursive(_numbers, _combine, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_expressions)
def test_to_fraction_matches_exact_evaluation_on_random_arithmetic(drawn):
    expr, value = drawn
    if value is None:
        with pytest.raises(InputError, match="division by zero"):
            to_fraction(expr)
        with pytest.raises(InputError, match="division by zero"):
            to_sympy(expr)
        return
    assert to_fraction(expr) == value
    assert to_sympy(expr) == sympy.Rational(value.numerator, value.denominator)


@pytest.mark.parametrize(
    "expr", [*CONTRACT_EXAMPLES, "(-21/11) * (5/4) / (5/17)", "Mod(19**14, 28)", "(1 +\n 2) * 3", "2.5 - 0.125"]
)
def test_source_segment_is_get_source_segment(expr: str) -> None:
    # the slice shortcut for one-line text, and the fallback for a bracket across lines, give ast's own text
    tree = parse_expression(expr)
    nodes = [n for n in ast.walk(tree) if isinstance(n, ast.expr)]
    assert len(nodes) > 1
    for node in nodes:
        assert source_segment(expr, node) == ast.get_source_segment(expr, node)
