"""Every parser and matcher runs in time linear in its input (up to its cap), whatever the text looks like.

Times are compared as ratios with a short input measured in the same test, not with a wall-clock constant, so the
bound holds on a slow or busy machine: the long input may cost at most K times its length ratio times the short
one (plus a floor for timer noise). A regex that backtracks exponentially (minutes on a sentence) or
quadratically (a second at 4,000 characters) is far outside that bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chukmath.parse import MAX_RESPONSE_CHARS, parse_response
from chukmath.verify import answers_match, clear_caches, language_issues
from chukmath.verify.answers import judge_answer
from chukmath.verify.extract import MAX_CANDIDATE, extract_items

K = 25  # allowed cost per character, as a multiple of the short input's
FLOOR_S = 0.03  # timer resolution and scheduling noise on a shared machine
RIBBON = (
    "Each friend gets 2 meters of ribbon since sixteen meters shared equally among eight friends gives two meters "
    "each and nothing is left over at the end of the day"
)
# Prose: the shape that made the unit regex backtrack exponentially when the text did not end like a unit.
WORDS = ["Each", "friend", "gets", "meters", "of", "ribbon", "since", "sixteen", "shared", "equally", "among", "the",
         "day", "nothing", "is", "left", "over", "dollars", "cm", "km"]  # fmt: skip
VOCAB = [
    "Each", "friend", "gets", "meters", "of", "ribbon", "since", "and", "the", "answer", "is", "so", "cm", "km",
    "h", "m", "s", "kg", "dollars", "sin", "or", " ", "  ", "\n", "2", "16", "3.5", "1,000", "1\\,000", "/", ".",
    "..", ",", ";", "?", "!", "%", "°", "^{2}", "^2", "²", "\\circ", "^\\circ", "\\degree", "\\%", "{", "}",
    "\\boxed{", "\\frac{", "}{", "\\text{", "\\sqrt{", "$", "**", "__", "(", ")", "=", "x", "\\pm", "±", "`", "```",
    "<think>", "</think>", "<answer>", "</answer>", "<verifier_answer>", "</verifier_answer>", "我们", "é",
    # issue 19's readers: whole solutions, percents, choices, intervals, number formats
    "Final Answer:", "is", "$$", "\\(", "\\)", "percent", "(C)", "Option", "<=", "\\le", "\\infty", "€", "1 000",
    ",\\!", "\\begin{pmatrix}", "&", "about", "\\approx", "\\textnormal{",
]  # fmt: skip
ENDINGS = ["", "?", ",", " 3", ")", '"', ":", "x", ".", " m", "}", "%", "\\circ}", "<answer>"]
EXPECTED = ["2", "3/4", "{-2, 1}", "2*x + 2", "3*sqrt(13)", "{x: 3, y: 2}", "sin(1)", "Interval(-oo, 3)", "C", "28\\%"]
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
patterns = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=14), st.lists(st.sampled_from(VOCAB), min_size=1, max_size=14)
).map(" ".join)
endings = st.sampled_from(ENDINGS)


def _cost(fn: Callable[[str], object], text: str, repeats: int) -> float:
    """Best of ``repeats`` timings, each with cold verifier caches (a cached answer would cost nothing)."""
    best = float("inf")
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(fn: Callable[[str], object], short: str, long: str) -> None:
    """``fn(long)`` costs at most K x (length ratio) x ``fn(short)`` plus the floor."""
    unit = _cost(fn, short, 5)
    bound = K * (len(long) / len(short)) * unit + FLOOR_S
    spent = _cost(fn, long, 1)
    if spent > bound:  # one retry: a busy machine can stall any single call
        spent = min(spent, _cost(fn, long, 2))
    assert spent <= bound, f"{fn}: {spent:.3f}s for {len(long)} chars vs {unit * 1e6:.0f}µs for {len(short)}"


def _long(pattern: str, ending: str, size: int) -> str:
    return (pattern + " ") * (size // (len(pattern) + 1)) + ending


SHORT_ANSWER = "The answer is 2 meters."


@SETTINGS
@given(patterns, endings, st.sampled_from(EXPECTED))
def test_answers_match_and_the_extractor_are_linear(pattern: str, ending: str, expected: str) -> None:
    long = _long(pattern, ending, MAX_CANDIDATE - len(ending))
    assert_linear(lambda t: answers_match(t, expected), SHORT_ANSWER, long)
    assert_linear(lambda t: extract_items(t, scalar=False, numeric=True), SHORT_ANSWER, long)
    # <verifier_answer> is compared with <answer> too: teacher text on the expected side
    assert_linear(lambda t: answers_match(SHORT_ANSWER, t), SHORT_ANSWER, long)


@SETTINGS
@given(patterns, endings)
def test_parse_response_and_the_language_check_are_linear(pattern: str, ending: str) -> None:
    short = "<think>\n16 / 8 = 2\n</think>\n<answer>2 meters</answer>\n<verifier_answer>2</verifier_answer>"
    for size in (MAX_CANDIDATE, MAX_RESPONSE_CHARS - len(ending)):
        long = _long(pattern, ending, size)
        assert_linear(parse_response, short, long)
        assert_linear(lambda t: parse_response(short, t), short, long)  # as reasoning_content
        assert_linear(lambda t: language_issues(t, "en"), "Each friend gets 16 / 8 = 2 meters.", long)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("ending", ["", ".", "?", ",", " 3", ")", '"', ":"])
def test_the_ribbon_sentence_is_judged_quickly(ending: str) -> None:
    text = RIBBON + ending
    for expected in ("2", "16", "2*x + 2", "{-2, 1}"):
        assert_linear(lambda t, e=expected: answers_match(t, e), SHORT_ANSWER, text)
        # no rule reads a value from this prose; its last number counts only where it is right (it says 2 meters
        # each), so it is never a wrong value either
        states = "3" if ending == " 3" else "2"
        assert judge_answer(text, expected) == ("correct" if expected == states else "unparseable")
    assert answers_match("2 meters", "2") and answers_match("2 meters.", "2") and not answers_match("2 meters", "3")
    assert answers_match(f"$\\boxed{{2}}$ meters{ending}", "2")
    assert_linear(lambda t: extract_items(t, numeric=True), SHORT_ANSWER, text)


def test_nested_and_unclosed_boxes_stay_linear() -> None:
    depth = MAX_CANDIDATE // 8
    nested = "\\boxed{" * depth + "2" + "}" * depth
    # a box holding a box is read as its innermost one (the outermost here is never closed)
    assert answers_match("\\boxed{\\boxed{2}}", "2") and answers_match(nested[:MAX_CANDIDATE], "2")
    assert_linear(lambda t: answers_match(t, "2"), SHORT_ANSWER, nested[:MAX_CANDIDATE])
    assert_linear(lambda t: answers_match(t, "2"), SHORT_ANSWER, "\\boxed{" * (MAX_CANDIDATE // 7))


@pytest.mark.parametrize(
    "text",
    ["so" + " " * (MAX_CANDIDATE - 3) + "x", "." * (MAX_CANDIDATE - 1) + "x", "% " * (MAX_CANDIDATE // 2 - 1) + "x",
     "cm " * (MAX_CANDIDATE // 3 - 1) + "x", "1 " + "ab" * (MAX_CANDIDATE // 2 - 2) + "?"],
)  # fmt: skip
def test_runs_that_made_regexes_retry_are_linear(text: str) -> None:
    assert_linear(lambda t: answers_match(t, "2"), SHORT_ANSWER, text)


def test_a_long_set_on_the_expected_side_is_refused_not_compared_pair_by_pair() -> None:
    # <verifier_answer> is compared with <answer> as the "expected" side; each pair of opaque values (sin(k)) needs
    # a numeric test, so a 500-value set against 32 items would cost seconds
    values = ",".join(f"sin({k})" for k in range(1, 500))
    items = ", ".join(f"sin({k})" for k in range(32, 0, -1))
    assert_linear(lambda t: answers_match(items, t), "{sin(1)}", "{" + values + "}")
    assert not answers_match(items, "{" + values + "}")
    assert answers_match(items, "{" + values.split(",sin(33)")[0] + "}")  # 32 values: compared as usual


@pytest.mark.parametrize(
    "text",
    [", " + " " * 19_000 + "x than 3", "so " * 6_000 + "than", "1 is more than " * 1_300,
     ", 1 is more than 2" * 1_100 + " x", "; " * 9_000 + "5 is less than 3 than", "1 < " * 4_500 + "x",
     "; < > " * 3_000 + "3"],
)  # fmt: skip
def test_comparisons_in_words_are_read_in_linear_time(text: str) -> None:
    from chukmath.verify import check_steps

    assert_linear(check_steps, "2 is less than 3, so 5 is more than 4.", text)
