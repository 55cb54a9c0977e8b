"""Hypothesis fuzzing: the parser, answers_match and the step checker never raise and cost a bounded multiple of an
ordinary check."""

from functools import partial

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from timing import CostBudget

from chukmath.parse import parse_response
from chukmath.verify import answers_match, bad_steps, clear_caches

FRAGMENTS = [
    "<think>", "</think>", "<answer>", "</answer>", "<verifier_answer>", "</verifier_answer>", "```", "\\boxed{",
    "\\frac{", "}{", "}", "{", "\\sqrt[", "]", "\\sqrt{", "^", "**", "*", "/", "(", ")", "=", " or ", ", ", "\\pm",
    "x", "e", "pi", "\\pi", "sin", "\\left(", "\\right)", "$", "9" * 60, "1e999", "-", "−", ".", "0.", "\\{", "\\}",
    "\\text{cm}", "^\\circ", "%", "i", "I", "E", "log(", "oo", "9**9**9", "10^10^10", "__import__", "×", "÷", "√",
    "\n", " ", "≈", "mod", "x_1", ":", "(x, y) = ", "1,000", "&", "\\\\",
]  # fmt: skip
EXPECTED = [
    "110", "-10/9", "3/4", "3*sqrt(13)", "2*x + 2", "{-2, 1}", "{x: 3, y: 2}", "x**2*cos(x) + 2*x*sin(x)",
    "-1 + E", "log(2)", "pi/4", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}", "7/2", "EmptySet", "{-1 - 2*I, -1 + 2*I}",
]  # fmt: skip

fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)
numbers = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.fractions(max_denominator=10**6).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
candidates = st.one_of(fragment_text, numbers, st.text(max_size=200))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


ORDINARY_ANSWERS = [
    ("110", "110"), ("\\frac{3}{4}", "3/4"), ("3\\sqrt{13}", "3*sqrt(13)"), ("2(x+1)", "2*x + 2"),
    ("x = -2 or x = 1", "{-2, 1}"), ("x = 3, y = 2", "{x: 3, y: 2}"), ("\\ln 2", "log(2)"),
    ("x^2\\cos x + 2x\\sin x", "x**2*cos(x) + 2*x*sin(x)"),
]  # fmt: skip
ORDINARY_RESPONSE = "<think>\n85 + 25 = 110\n110 × 2 = 220\n</think>\n<answer>220</answer>"


def ordinary_work() -> None:
    """What one ordinary answer of each kind, one response and its steps cost: the unit of the budget below."""
    for candidate, expected in ORDINARY_ANSWERS:
        answers_match(candidate, expected)
    parse_response(ORDINARY_RESPONSE, None)
    bad_steps("85 + 25 = 110\n110 × 2 = 220")


# Not a wall-clock limit: one fuzzed call may cost 50 times the ordinary work above, measured in the same run
# (about 1 ms of CPU); a catastrophic backtrack or a runaway power costs seconds.
BUDGET = CostBudget(ordinary_work, 50, before=clear_caches)


def timed(fn, *args):
    return BUDGET.run(partial(fn, *args), what=repr(args)[:200])


@FUZZ
@given(candidates, st.sampled_from(EXPECTED))
def test_answers_match_never_raises(candidate, expected):
    assert timed(answers_match, candidate, expected) in (True, False)


@FUZZ
@given(candidates, candidates)
def test_answers_match_arbitrary_expected(candidate, expected):
    assert timed(answers_match, candidate, expected) in (True, False)


@FUZZ
@given(fragment_text, st.one_of(st.none(), fragment_text))
def test_parse_response_never_raises(text, reasoning):
    p = timed(parse_response, text, reasoning)
    for part in (p.think, p.answer, p.verifier_answer):
        assert part is None or (part == part.strip() and part)


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.integers(-999, 10**6).map(str)), max_size=60).map(" ".join))
def test_step_checker_never_raises(think):
    assert isinstance(timed(bad_steps, think), list)


@FUZZ
@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6))
def test_exact_numbers_match_themselves(p, q):
    from fractions import Fraction

    value = Fraction(p, q)
    assert answers_match(f"{value.numerator}/{value.denominator}", str(value))
    assert answers_match(f"\\frac{{{p}}}{{{q}}}", str(value))
    assert not answers_match(str(value + 1), str(value))
