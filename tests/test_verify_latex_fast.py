"""The fast LaTeX reader (chukmath.verify.latex_fast) judges every answer exactly as the general path does."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chukmath.verify import answers as answers_module
from chukmath.verify import answers_match, clear_caches, judge_answer, latex_fast

EXPECTED = [
    "3/4", "-3/4", "7", "-12", "0", "2*sqrt(3)", "sqrt(2)/2", "3*pi", "pi/4", "-5*sqrt(2)/3", "12*x**3 - 7/x",
    "2*x + 2", "x**2 - 1", "{-7, 2/3}", "{1/6 - sqrt(97)/6, 1/6 + sqrt(97)/6}", "{x: 3, y: -2}", "{x: 49/2, y: 0}",
    "30 - 9*E", "x**2*cos(x) + 2*x*sin(x)", "{-1 - 2*I, -1 + 2*I}", "log(2)", "5/2", "-22 - 4*I", "1/2 - 3*I/2",
]  # fmt: skip

# Pieces of the shapes the reader takes, and of shapes it must hand over (commas, decimals, functions, units...)
ATOMS = [
    "3", "4", "-3", "12", "0", "7", "2", "97", "\\pi", "pi", "x", "y", "e", "E", "i", "\\sqrt{2}", "\\sqrt{3}",
    "\\sqrt2", "\\sqrt{97}", "\\sqrt{-4}", "sqrt(2)", "i", "I", "3i", "\\pi i",
    "\\frac{3}{4}", "\\dfrac34", "\\tfrac{1}{2}", "\\frac{-3}{4}",
    "\\frac{\\sqrt{2}}{2}", "\\frac{7}{x}", "\\frac{1}{x+1}", "\\frac{1}{0}", "\\cfrac34", "\\frac 1 2", "1.5", "1,5",
    "\\sin x", "x^{3}", "x^2", "x^{-1}", "2^{10}", "x**2", "(x+1)", "\\left( 5 \\right)", "{3}", "[2]", "\\cdot",
    "\\times", "*", "/", "+", "-", " ", "  ", "\\,", "\\!", "\\%", "cm", "^\\circ", "\\pm", "+-", "\\text{ or }",
    " or ", ", ", "=", "\\{", "\\}", "$", "\\boxed{", "}", "{", "(", ")", ".", "**", "_", "x_1", "\\infty", "oo",
]  # fmt: skip
WRAPS = [
    "{}", "${}$", "\\boxed{{{}}}", "x = {}", "\\boxed{{x = {}}}", "{}.", "\\left( {} \\right)", "\\{{{}\\}}",
    "\\left\\{{ {} \\right\\}}", "x = {} \\text{{ or }} x = 2", "{}, 3", "x = {}, y = -2", "(x, y) = ({}, -2)",
    "$\\boxed{{{}}}$.", "({})", "(x = {})", "(x, y) = \\left( {}, -2 \\right)",
    "The answer is x = {}.", "x_1 = {}, x_2 = 2/3", "**{}**", "The answer is {}.",
]  # fmt: skip

answer_text = st.builds(
    lambda parts, wrap: wrap.format("".join(parts)),
    st.lists(st.sampled_from(ATOMS), min_size=1, max_size=8),
    st.sampled_from(WRAPS),
)


# Well-formed expressions, so that most of them are the fast reader's (the pieces above mostly are not)
leaves = st.one_of(
    st.integers(0, 60).map(str),
    st.sampled_from(["\\pi", "x", "e", "\\sqrt{2}", "\\sqrt{8}", "\\sqrt{97}", "\\dfrac34", "i", "2i"]),
)
expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" + ", " - ", "", " \\cdot ", "*", "/"]), inner).map("".join),
        st.tuples(st.sampled_from(["\\frac", "\\dfrac", "\\tfrac"]), inner, inner).map(
            lambda t: f"{t[0]}{{{t[1]}}}{{{t[2]}}}"
        ),
        st.tuples(inner, st.sampled_from(["^{2}", "^3", "^{-1}", "**2"])).map("".join),
        inner.map(lambda t: f"({t})"),
        inner.map(lambda t: f"-{t}"),
        inner.map(lambda t: f"\\sqrt{{{t}}}"),
        inner.map(lambda t: f"\\left( {t} \\right)"),
    ),
    max_leaves=6,
)
well_formed = st.one_of(
    st.builds(lambda e, wrap: wrap.format(e), expressions, st.sampled_from(WRAPS)),
    st.builds(
        lambda a, b, sep: f"{a}{sep}{b}", expressions, expressions, st.sampled_from([", ", " or ", " \\text{ or } "])
    ),
)


def general_judgement(candidate: str, expected: str, question: str = "") -> str:
    """judge_answer with the fast reader switched off (the general extraction, grammar and canonical form)."""
    saved = latex_fast.scalar_form, latex_fast.list_forms
    latex_fast.scalar_form = lambda *a, **k: None  # type: ignore[assignment]
    latex_fast.list_forms = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return judge_answer(candidate, expected, question=question)
    finally:
        latex_fast.scalar_form, latex_fast.list_forms = saved


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_text, st.sampled_from(EXPECTED))
def test_fast_reader_judges_as_the_general_path(candidate: str, expected: str) -> None:
    fast = judge_answer(candidate, expected)
    assert fast == general_judgement(candidate, expected), (candidate, expected)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(well_formed, st.sampled_from(EXPECTED))
def test_fast_reader_judges_well_formed_answers_as_the_general_path(candidate: str, expected: str) -> None:
    fast = judge_answer(candidate, expected)
    assert fast == general_judgement(candidate, expected), (candidate, expected)


@settings(max_examples=300, deadline=None)
@given(st.integers(-99, 99), st.integers(1, 99), st.sampled_from(["\\frac", "\\dfrac", "\\tfrac"]), st.integers(1, 4))
def test_fractions_agree_both_ways(p: int, q: int, frac: str, shape: int) -> None:
    text = {
        1: f"{frac}{{{p}}}{{{q}}}",
        2: f"{'-' if p < 0 else ''}{frac}{{{abs(p)}}}{{{q}}}",
        3: f"\\boxed{{{'-' if p < 0 else ''}{frac}{{{abs(p)}}}{{{q}}}}}",
        4: f"x = {frac}{{{p}}}{{{q}}}",
    }[shape]
    for expected in (f"{p}/{q}", f"{p + 1}/{q}", "3/4", "sqrt(2)/2", "{x: 3, y: 2}"):
        assert judge_answer(text, expected) == general_judgement(text, expected), (text, expected)


def test_the_common_shapes_take_the_fast_reader() -> None:
    for text in [
        "\\frac{-3}{4}", "\\dfrac34", "-\\frac{3}{4}", "\\boxed{\\frac{3}{4}}", "2\\sqrt{3}", "\\frac{\\sqrt{2}}{2}",
        "3\\pi", "x = \\tfrac{1}{2}", "12x^{3} - \\frac{7}{x}", "\\left( 5 \\right)", "3*sqrt(2)/2", "$\\frac{3}{4}$.",
        "12*x**3 - 7/x", "2 \\cdot 3", "\\frac{1}{6} - \\frac{\\sqrt{97}}{6}",
    ]:  # fmt: skip
        assert latex_fast.scalar_form(text) is not None, text
    for text in [
        "\\{-7, \\frac{2}{3}\\}", "\\left\\{ -7, \\frac{2}{3} \\right\\}", "x = -7 \\text{ or } x = \\frac{2}{3}",
        "x_1 = -7, x_{2} = \\frac{2}{3}", "x = 3, y = -2", "\\left( 3, -2 \\right)", "-7 or 2/3",
    ]:  # fmt: skip
        assert latex_fast.list_forms(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "1.5", "1,100", "\\sin x", "\\frac{1}{x+1}", "5 cm", "3\\%", "\\frac{3}{4} + \\text{C}", "2 \\pm \\sqrt{3}",
        "x^2^3", "\\cfrac34", "\\frac1{2}", "3 \\boxed{4}", "\\boxed{3}\\boxed{4}", "x_1", "2e5", "\\sqrt[3]{8}",
        "i", "xy", "2 **3", "x = 3 = 4", "\\,3", "3 4", "", "\\frac{1}{0}", "\\{\\}", "∞", "−3",
    ],
)  # fmt: skip
def test_other_shapes_are_left_to_the_general_path(text: str) -> None:
    assert latex_fast.scalar_form(text) is None


@pytest.mark.parametrize(
    ("candidate", "expected", "match"),
    [
        ("\\frac{-3}{4}", "-3/4", True), ("\\frac{-3}{4}", "3/4", False), ("-\\frac{3}{4}", "-3/4", True),
        ("\\dfrac34", "3/4", True), ("\\dfrac34", "4/3", False), ("-\\tfrac{6}{8}", "-3/4", True),
        ("\\boxed{\\frac{3}{4}}", "3/4", True), ("\\boxed{\\frac{3}{5}}", "3/4", False),
        ("2\\sqrt{3}", "2*sqrt(3)", True), ("\\sqrt{12}", "2*sqrt(3)", True), ("2\\sqrt{2}", "2*sqrt(3)", False),
        ("\\frac{\\sqrt{2}}{2}", "sqrt(2)/2", True), ("\\frac{1}{\\sqrt{2}}", "sqrt(2)/2", True),
        ("\\frac{\\sqrt{3}}{2}", "sqrt(2)/2", False), ("3\\pi", "3*pi", True), ("3\\pi", "3", False),
        ("\\frac{\\pi}{4}", "pi/4", True), ("\\pi/4", "pi/4", True), ("\\frac{\\pi}{2}", "pi/4", False),
        ("x = \\frac{49}{2}", "49/2", True), ("x = \\frac{47}{2}", "49/2", False),
        ("12x^{3} - \\frac{7}{x}", "12*x**3 - 7/x", True), ("12x^{3} + \\frac{7}{x}", "12*x**3 - 7/x", False),
        ("\\left( 5 \\right)", "5", True), ("$-12$.", "-12", True), ("2(x+1)", "2*x + 2", True),
        ("x^2 - 1", "x**2 - 1", True), ("(x-1)(x+1)", "x**2 - 1", True), ("x^2 + 1", "x**2 - 1", False),
        ("30 - 9e", "30 - 9*E", True), ("30 - 9e", "30 + 9*E", False),
        ("\\{-7, \\frac{2}{3}\\}", "{-7, 2/3}", True), ("\\{-7, \\frac{3}{2}\\}", "{-7, 2/3}", False),
        ("\\{-7\\}", "{-7, 2/3}", False), ("x = -7 \\text{ or } x = \\frac{2}{3}", "{-7, 2/3}", True),
        ("x_1 = \\frac{1}{6} - \\frac{\\sqrt{97}}{6}, x_2 = \\frac{1}{6} + \\frac{\\sqrt{97}}{6}",
         "{1/6 - sqrt(97)/6, 1/6 + sqrt(97)/6}", True),
        ("\\frac{1}{6} + \\frac{\\sqrt{97}}{6}", "{1/6 - sqrt(97)/6, 1/6 + sqrt(97)/6}", False),
        ("x = 3, y = -2", "{x: 3, y: -2}", True), ("y = -2, x = 3", "{x: 3, y: -2}", True),
        ("x = -2, y = 3", "{x: 3, y: -2}", False), ("\\left( 3, -2 \\right)", "{x: 3, y: -2}", True),
        ("\\left( -2, 3 \\right)", "{x: 3, y: -2}", False), ("(3, -2)", "{x: 3, y: -2}", True),
        ("-22 - 4 i", "-22 - 4*I", True), ("-22 + 4 i", "-22 - 4*I", False),
        ("\\frac{1}{2}-\\frac{3i}{2}", "1/2 - 3*I/2", True),
        ("$-22 - 4I$", "-22 - 4*I", True), ("x = -1 \\pm 2i", "{-1 - 2*I, -1 + 2*I}", True),
        ("-1 - 2i, -1 + 2i", "{-1 - 2*I, -1 + 2*I}", True), ("-1 - 2i", "{-1 - 2*I, -1 + 2*I}", False),
    ],
)  # fmt: skip
def test_shapes_true_and_false(candidate: str, expected: str, match: bool) -> None:
    clear_caches()
    assert answers_match(candidate, expected) is match
    assert judge_answer(candidate, expected) == general_judgement(candidate, expected)


def test_rounding_asked_for_still_counts_on_the_fast_path() -> None:
    question = "Round to 2 decimal places."
    assert judge_answer("\\frac{3}{4}", "sqrt(2)/2", question=question) == "wrong"
    # a rounded value is a decimal: never the fast reader's, and still judged by the rounding asked for
    assert latex_fast.scalar_form("0.71") is None
    assert answers_match("0.71", "sqrt(2)/2", question=question)
    for candidate, expected in (("\\frac{71}{100}", "sqrt(2)/2"), ("\\frac{25436}{25}", "9157/9")):
        judged = answers_module.judge_answer(candidate, expected, question=question)
        assert judged == general_judgement(candidate, expected, question), candidate
