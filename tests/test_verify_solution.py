"""Whole-solution extraction (chukmath.verify.solution): one test per rule, in priority order, and bounded time."""

from __future__ import annotations

from functools import partial

import pytest
from timing import assert_each_costs_at_most

from chukmath.verify import answers_match, clear_caches
from chukmath.verify.answers import judge_answer
from chukmath.verify.extract import MAX_CANDIDATE
from chukmath.verify.solution import MAX_READ_CHARS, MAX_SOLUTION_CHARS, final_answer, last_number, math_spans

WORK = (
    "Let the width be $w$. Then the length is $2w + 3$ and the perimeter is $2(3w + 3) = 54$, so $w = 8$.\n"
    "Checking: $2(8 + 19) = 54$. The answer is not $19$ alone, since the question asks for the area.\n\n"
)


def span(text: str, scalar: bool = True) -> tuple[str, str]:
    found = final_answer(text, scalar=scalar)
    assert found is not None
    return found.rule, found.text


def test_rule_1_the_last_box_wins_over_every_phrase() -> None:
    text = WORK + "Final answer: 150.\n\nSo the area is $\\boxed{152}$ square metres."
    assert span(text) == ("boxed", "\\boxed{152}")
    assert span("We try \\boxed{3} first.\nIt fails, so \\fbox{4}.") == ("boxed", "\\fbox{4}")
    assert span("\\boxed{\\frac{1}{\\boxed{2}}}") == ("boxed", "\\boxed{\\frac{1}{\\boxed{2}}}")
    # boxes on the last box's line are one list answer; an earlier line's box is not
    roots = "First \\boxed{9}.\nThe roots are \\boxed{-2} and \\boxed{3}."
    assert span(roots) == span(roots, scalar=False) == ("boxed", "\\boxed{-2}, \\boxed{3}")
    assert not answers_match(roots, "3")  # the line boxes two values: not the one expected
    assert answers_match("First \\boxed{9}.\nThe roots are \\boxed{-2} and \\boxed{3}.", "{-2, 3}")
    assert not answers_match("We try \\boxed{3} first.\nIt fails, so \\fbox{4}.", "3")


def test_rule_2_final_answer_takes_its_sentence() -> None:
    text = WORK + "Final Answer: The final answer is $152$. I hope it is correct."
    assert span(text) == ("final_answer", "$152$")
    assert answers_match(text, "152") and not answers_match(text, "19")
    assert span("Work.\n\nFinal Answer: The largest $n$ is 34.") == ("final_answer", "34.")
    assert span("Work.\n\n**Final Answer**\n\n$$34$$\n") == ("final_answer", "$$34$$")
    # "final answer" beats a later "answer:" line that is not final
    assert span("The final answer is 7.\nAnswer: see above") == ("final_answer", "7.")


def test_rule_3_answer_colon_or_is() -> None:
    assert span(WORK + "Answer: 152") == ("answer", "152")
    assert span(WORK + "**Answer:** $A = 152$") == ("answer", "$A = 152$")
    assert span("So the answer is -1.") == ("answer", "-1.")
    assert answers_match(WORK + "Answer: 152", "152") and not answers_match(WORK + "Answer: 152", "19")


def test_rule_4_the_last_sentence_is_read_to_its_value() -> None:
    # after the last " is " outside math, when a value follows
    assert span("We count the cases.\nThe number of ways is 12.") == ("last_sentence", "12.")
    # prose around math: the last math span (all of them for a list answer)
    assert span("Adding the parts, we get $3 + 4 = 7$.") == ("last_sentence", "3 + 4 = 7")
    assert span("Both work: $x = 2$, then $x = 3$ too.", scalar=False) == ("last_sentence", "x = 2, x = 3")
    # a display block spans lines; a closing code fence is not the last line
    assert span("Thus\n$$\nx = 5\n$$\n") == ("last_sentence", "$$\nx = 5\n$$")
    assert span("Result:\n```\n110\n```") == ("last_sentence", "110")
    matrix = "The product is\n\\begin{pmatrix}\n1 & 2 \\\\\n3 & 4\n\\end{pmatrix}"
    assert span(matrix)[1].startswith("\\begin{pmatrix}")
    assert answers_match(matrix, "Matrix([[1, 2], [3, 4]])")
    # "sq. ft" and "e.g. the" do not end a sentence; text without prose comes back as it was
    assert span("12 sq. ft") == ("last_sentence", "12 sq. ft")
    assert span("x = 3, y = 2", scalar=False) == ("last_sentence", "x = 3, y = 2")


def test_a_copula_before_prose_is_not_an_answer() -> None:
    assert span("x = 3 is the answer")[1] == "x = 3 is the answer"
    assert answers_match("x = 3 is the answer", "3") and not answers_match("x = 3 is the answer", "4")


def test_the_one_number_of_plain_prose_counts_only_when_right() -> None:
    assert last_number("She has 18 apples left.") == "18"
    assert last_number("4.5 hours and 3 minutes") is None
    assert judge_answer("She has 18 apples left.", "18") == "correct"
    assert judge_answer("She has 18 apples left.", "17") == "unparseable"
    assert judge_answer("It takes 4.5 hours and 3 minutes.", "3") == "unparseable"


def test_math_spans_skip_escaped_dollars() -> None:
    text = "It costs \\$5, and $x = 2$ and \\(y\\) and \\[z\\]"
    assert [text[a:b] for _, _, a, b in math_spans(text)] == ["x = 2", "y", "z"]
    assert math_spans("an unclosed $x = 2") == []


def test_blank_and_oversized_text_has_no_answer() -> None:
    assert final_answer("  \n ") is None
    assert final_answer("1" * (MAX_SOLUTION_CHARS + 1)) is None
    assert judge_answer("1" * (MAX_SOLUTION_CHARS + 1), "1") == "unparseable"


def test_only_the_end_of_a_long_solution_is_read() -> None:
    early = "Answer: 999\n"
    filler = "We keep working on the problem and write a long line of reasoning here.\n" * (MAX_READ_CHARS // 40)
    assert span(early + filler + "So the total is 152.") == ("last_sentence", "152.")


ADVERSARIAL = [
    "$" * 1000, "\\boxed{" * 1000, "{" * 1000 + "}" * 999, "is " * 1000, "The answer is " * 300, ". " * 2000,
    "\\begin{pmatrix}" * 500, "\\[" * 1000, "1{,}" * 1000, "1 " * 2000, "28\\%" * 500, "final answer " * 300,
    "a" * 4000, "\\!" * 2000, "\n" * 4000, "x <= " * 800, "option" + " " * 3990 + "x", "(C" + " " * 3990,
    "1<x<2,", "1 < x < 2 ", "x < 1 or ", "(1, 2) \\cup ", "[1, 2]",
]  # fmt: skip


QUESTION = "What percent of the games did it win?"
EXPECTED_FORMS = ("3", "{-2, 1}", "Interval(-oo, 3)", "Matrix([[1, 2]])", "7/25", "C")
ORDINARY_LINE = "We keep working on the problem and write a line of reasoning: 12 + 30 = 42.\n"


def _judge_every_form(text: str) -> None:
    for expected in EXPECTED_FORMS:
        judge_answer(text, expected, question=QUESTION)


@pytest.mark.parametrize("size", [MAX_SOLUTION_CHARS, MAX_CANDIDATE], ids=["solution_cap", "answer_cap"])
@pytest.mark.parametrize("unit", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_no_check_costs_much_more_than_an_ordinary_solution(unit: str, size: int) -> None:
    """Any text at the solution cap (a whole solution) or the answer cap, whatever it repeats, is judged in a few
    milliseconds of CPU (the target is 10 ms, issue 19; bench/verify_corpus.py reports the slowest check). Not a
    wall-clock limit: each check may cost 100 times judging an ordinary solution of the same size against all six
    expected forms, measured in the same test (0.4 ms at the answer cap, where the worst check costs about 5 ms; 2 ms
    at the solution cap); a backtracking reader costs seconds at this size."""
    text = (unit * (size // len(unit) + 1))[: size - 2] + " 3"
    ordinary = (ORDINARY_LINE * (size // len(ORDINARY_LINE) + 1))[: size - 19] + "So the answer is 3."
    checks = {repr(e): partial(judge_answer, text, e, question=QUESTION) for e in EXPECTED_FORMS}
    assert_each_costs_at_most(checks, partial(_judge_every_form, ordinary), 100, before=clear_caches)
