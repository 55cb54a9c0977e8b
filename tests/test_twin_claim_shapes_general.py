"""Twin: the step checker's fast claim shapes (``verify/steps.py``) against the general token rules, on random lines.

``check_claims(think)`` reads common lines (``A op B = C``, ``A mod M = R``) with one regex each and skips lines
with no operator inside a side; ``check_claims(think, fast=False)`` runs only the general rules and grammar. Both
must agree on every line, including hostile and near-miss ones.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chukmath.generate import generate, list_families
from chukmath.teach.builtin import builtin_trace
from chukmath.verify import Claim, bad_steps, check_claims, check_steps, claim_text, steps

NUMBERS = st.one_of(
    st.integers(0, 10**6).map(str),
    st.integers(0, 99).map(str),
    st.sampled_from(["0", "00", "1,000", "12,345.5", "3.5", "0.25", ".5", "10.", "٣", "10" * 40]),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"),
)
OPS = st.sampled_from(["+", "-", "*", "/", "×", "÷", "−", "x", "X", "^", "**", "mod", "\\times", "\\div", "·"])
SPACE = st.sampled_from(["", " ", "  ", "\t"])
OTHER = st.sampled_from(["(", ")", "[", "]", "{", "}", "=", "==", "x", "y", "is", "of", "so", ",", ".", "..", "%",
                         "!", "$", "\\frac{1}{2}", "²", "√", "≈", "<=", ":", "half", "times", "cm", "**", "√(",
                         "\\sqrt{", "\\sqrt[3]{", "\\(", "\\)", "\\[", "b)", "(2)", "- ", "＋", "＝", "\u200b", "½",
                         "³", "–", "(m)", "(cm)", "(x)", "①", "iv."])  # fmt: skip
PIECE = st.one_of(NUMBERS, NUMBERS, OPS, OTHER, st.tuples(st.sampled_from(["(", "(-"]), NUMBERS, OPS, NUMBERS).map(
    lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]})"
))


@st.composite
def lines(draw: st.DrawFn) -> str:
    """Random lines with an '=' built from numbers, operators, brackets, words and spacing."""
    left = draw(st.lists(st.tuples(SPACE, PIECE), min_size=1, max_size=6))
    right = draw(st.lists(st.tuples(SPACE, PIECE), min_size=1, max_size=4))
    tail = draw(st.lists(st.tuples(SPACE, PIECE), max_size=3))
    eq = draw(st.sampled_from(["=", "==", " = "]))
    return "".join(a + b for a, b in left) + eq + "".join(a + b for a, b in right) + "".join(a + b for a, b in tail)


@st.composite
def simple_lines(draw: st.DrawFn) -> str:
    """Lines in (or just outside) the shapes the regex fast path reads: ``A op B = C``, ``A mod M = R``."""
    atom = st.one_of(
        NUMBERS,
        st.tuples(st.sampled_from(["", "-"]), NUMBERS).map("".join),
        st.tuples(st.integers(-50, 50), st.integers(0, 12)).map(lambda t: f"{t[0]}/{t[1]}"),
        st.tuples(st.sampled_from(["(", "( "]), st.integers(-50, 50), st.sampled_from(["", "/3", " / 0", "/7"]))
        .map(lambda t: f"{t[0]}{t[1]}{t[2]})"),
    )  # fmt: skip
    a, b = draw(atom), draw(atom)
    op = draw(st.sampled_from(["+", "-", "*", "/", "x", "×", "÷", "mod", " mod ", "-"]))
    sp = draw(SPACE)
    result = draw(st.one_of(atom, st.integers(-10**4, 10**4).map(str)))
    tail = draw(st.sampled_from(["", " ", ".", " cm", ", so", ", so √D is 7.", ", 000", ",000", ", so 2 + 2 = 5",
                                 ", -3 + 1 = -2", ",  x = -2", ", (1) -3x + 2y = 6", ", 4 x 3 = 12"]))  # fmt: skip
    return f"{a}{sp}{op}{sp}{b} = {result}{tail}"


@settings(max_examples=1500, deadline=None)
@given(lines())
def test_fast_paths_equal_general_rules_on_random_lines(line: str) -> None:
    assert check_steps(line) == check_steps(line, fast=False)  # the same claims and the same skipped count


@settings(max_examples=1500, deadline=None)
@given(simple_lines())
def test_fast_paths_equal_general_rules_on_simple_shapes(line: str) -> None:
    assert check_steps(line) == check_steps(line, fast=False)


@pytest.mark.parametrize(
    "line", ["(0) - -0 = 0", "(5) - -3 = 2", "(5) - -3 = 8", "(5) - (-3) = -(-3)", "b) - -3 = 3", "1. - -3 = 3"]
)
def test_a_marker_before_minus_a_negative_is_read_as_the_general_rules_read_it(line: str) -> None:
    """Found by the property above: "(0) - -0 = 0" is a spaced "A op B = C", but past its marker "- -0 = 0" is a
    claim of its own, which the general rules prefer when it holds."""
    assert check_steps(line) == check_steps(line, fast=False)


@st.composite
def true_claims(draw: st.DrawFn) -> str:
    """``a op b = value`` with the exact value written as an integer, ``p/q`` or a (rounded) decimal."""
    a = Fraction(draw(st.integers(-999, 999)), draw(st.sampled_from([1, 1, 2, 3, 4, 7, 10])))
    b = Fraction(draw(st.integers(-999, 999)), draw(st.sampled_from([1, 1, 2, 3, 5])))
    op = draw(st.sampled_from(["+", "-", "×", "÷", "*", "/"]))
    if op in "÷/" and b == 0:
        b = Fraction(1)
    value = a + b if op == "+" else a - b if op == "-" else a * b if op in "×*" else a / b
    value += draw(st.sampled_from([0, 0, 0, 1, Fraction(1, 100)]))  # mostly true, sometimes just off

    def spell(x: Fraction, bracket: bool) -> str:
        text = str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
        return f"({text})" if bracket and (x < 0 or x.denominator != 1) else text

    right = draw(st.sampled_from(["exact", "decimal"]))
    r_text = spell(value, False) if right == "exact" else f"{float(value):.{draw(st.integers(0, 4))}f}"
    return f"{spell(a, True)} {op} {spell(b, True)} = {r_text}"


@settings(max_examples=1500, deadline=None)
@given(true_claims())
def test_fast_paths_equal_general_rules_on_true_and_near_claims(line: str) -> None:
    assert check_steps(line) == check_steps(line, fast=False)


def test_fast_paths_equal_general_rules_on_builtin_traces() -> None:
    for family in list_families():
        name = getattr(family, "name", family)
        for difficulty in range(1, 6):
            for problem in generate(name, seed=3, count=12, difficulty=difficulty):
                think = builtin_trace(problem)
                report = check_steps(think)
                claims = report.claims
                assert report == check_steps(think, fast=False), problem.id
                assert all(c.holds for c in claims), (problem.id, [c for c in claims if not c.holds])


def test_fast_paths_on_known_lines() -> None:
    cases = {
        "30 × 90 = 2700": [Claim("30 * 90 = 2700", True)],
        "85 + 25 = 111": [Claim("85 + 25 = 111", False)],
        "(-7/2) + 1/2 = -3": [Claim("(-7/2) + 1/2 = -3", True)],
        "2/3 / (3/4) = 8/9": [Claim("2/3 / (3/4) = 8/9", True)],
        "8500 ÷ 9 = 8500/9": [Claim("8500 / 9 = 8500/9", True)],
        "8500 ÷ 9 = 8501/9": [Claim("8500 / 9 = 8501/9", False)],
        "7 ÷ 2 = 3.5": [Claim("7 / 2 = 3.5", True)],
        "2 / 3/4 = 1": [Claim("2 / 3/4 = 1", False)],  # (2/3)/4, not 2/(3/4)
        "10 / 3 = 3.33": [Claim("10 / 3 = 3.33", True)],
        "10 / 3 = 3.34": [Claim("10 / 3 = 3.34", False)],
        "105 mod 10 = 4": [Claim("105 mod 10 = 4", False)],
        "10-12 = -2": [],  # a range
        "6 / 0 = 1": [],
        "x = -2": [],
        "5 = +6": [Claim("5 = +6", False)],
        "(1) -3x + 2y = 6": [],
        "We need to solve x² + 7x + 12 = 0.": [],
        "3 x 4 = 13": [Claim("3 x 4 = 13", False)],
        "3   x (4) = 12, so 2 x 2 = 5": [Claim("3 x (4) = 12", True), Claim("2 x 2 = 5", False)],
        "7 × 7 = 48, so √D is 7.": [Claim("7 * 7 = 48", False)],
        "7 × 7 = 49, so 2 + 2 = 5": [Claim("7 * 7 = 49", True), Claim("2 + 2 = 5", False)],
    }
    for line, want in cases.items():
        assert check_claims(line) == want, line
        assert check_claims(line, fast=False) == want, line


def test_running_total_chain_checks_each_link() -> None:
    assert bad_steps("3 × 4 = 12 + 3 = 15") == []
    assert check_claims("3 × 4 = 12 + 3 = 15") == [Claim("3 * 4 = 12", True), Claim("12 + 3 = 15", True)]
    assert bad_steps("3 × 4 = 12 + 3 = 16") == ["12 + 3 = 16"]
    assert bad_steps("3 × 4 = 13 + 3 = 16") == ["3 * 4 = 13 + 3"]  # the carried value is wrong
    assert bad_steps("2 × 3 = -6 + 1 = -5") == ["2 * 3 = -6 + 1"]
    # not a running total: nothing continues the chain, so the literal claim stands
    assert bad_steps("12 = 12 + 3") == ["12 = 12 + 3"]
    assert bad_steps("3 × 4 = 12 + 3") == ["3 * 4 = 12 + 3"]
    assert bad_steps("10/3 = 3.33 + 1 = 4.33") == []


SPACED_ATOM = st.one_of(
    NUMBERS,
    st.tuples(st.sampled_from(["", "-", "(", "(-", "--", "(("]), st.sampled_from(["", "0", "7", "12", "٣", "9" * 61]),
              st.sampled_from(["", "/", "/0", "/3", "/-3", "/07", ".5"]), st.sampled_from(["", ")", "))"]))
    .map("".join),
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(SPACED_ATOM, st.sampled_from(["+", "-", "*", "/", "x", "X", "×", "÷", "−", "·", "∗", "⋅", "^", "mod"]),
       SPACED_ATOM, st.sampled_from(["=", "=="]), SPACED_ATOM)  # fmt: skip
def test_spaced_line_shortcut_gives_the_simple_path_claim(a: str, op: str, b: str, eq: str, r: str) -> None:
    """``A op B = C`` with single spaces is decided from its five tokens in integers: the same claim as the regex
    path (``simple_claim`` of the normalized line), or None to leave the line to it."""
    line = f"{a} {op} {b} {eq} {r}"
    spaced = steps.spaced_claim(line)
    if spaced is not None:
        assert list(spaced) == steps.simple_claim(claim_text.normalize(line)), line
    assert check_steps(line) == check_steps(line, fast=False), line


def test_spaced_line_shortcut_takes_the_common_shapes() -> None:
    for line in ("55 × 79 = 4345", "8500/9 + 73 = 9157/9", "72 ÷ (-6) = -12", "(-6) × (-12) = 72", "3 - -7 = 10"):
        assert steps.spaced_claim(line) is not None, line
    for line in ("6 / 0 = 1", "2 / 3/4 = 1", "4 x -3 = -12", "7 ÷ 2 = 3.5", " 1 + 1 = 2", "1 + 1 == 2", "1 + 1 = (2)"):
        assert steps.spaced_claim(line) is None, line
