"""Comparisons of two numbers in words are checked steps: "160 is more than 1556, so 7 × 20 is the largest multiple"
is a false step like a false equation (the seventh GPU run's model wrote it). Only the plainest shape is read, so
prose around numbers is never judged."""

from __future__ import annotations

import pytest

from chukmath.generate import generate
from chukmath.records import Problem, Response
from chukmath.teach.builtin import builtin_trace
from chukmath.verify import check_steps, verify_response
from chukmath.verify.comparisons import comparison_claims


@pytest.mark.parametrize(("line", "text", "holds"), [
    ("160 is more than 1556, so 7 × 20 is the largest multiple of 20 that fits.", "160 is more than 1556", False),
    ("1700 is more than 1556, so stop at 1540.", "1700 is more than 1556", True),
    ("In the ones, 0 is less than 4, so borrow 1 from the tens: 0 becomes 10.", "0 is less than 4", True),
    ("80 - 88: 88 is larger than 80, so the result is negative.", "88 is larger than 80", True),
    ("So 5 is greater than 3.", "5 is greater than 3", True),
    ("and 10 is bigger than 20 which is odd", "10 is bigger than 20", False),
    ("3.5 is less than 3.25.", "3.5 is less than 3.25", False),
    ("3/4 is greater than 2/3", "3/4 is greater than 2/3", True),
    ("-5 is less than -7", "-5 is less than -7", False),
    ("(4 is smaller than 2)", "4 is smaller than 2", False),
    ("1700 > 1556, so stop at 1540.", "1700 > 1556", True),
    ("Since 2 > 5, we stop.", "2 > 5", False),
    ("3<4", "3 < 4", True),
])  # fmt: skip
def test_a_comparison_of_two_numbers_is_judged(line: str, text: str, holds: bool) -> None:
    assert [(c.text, c.holds) for c in comparison_claims(line)] == [(text, holds)]
    report = check_steps(line)
    assert (text in report.bad) is not holds
    assert check_steps(line, fast=False).claims == report.claims  # the same on the general path


@pytest.mark.parametrize("line", [
    "2 × 3 is more than 5",  # A would be 3, a factor of a product
    "5 is less than 3 × 4",  # B would be 3
    "12 is more than 10 apples",  # B with a word after it
    "1,556 is more than 2",  # not 556 alone
    "x is more than 3",
    "the sum 15 is more than 10",  # a word before A
    "5 is not more than 3",
    "5 is no less than 7",
    "5 is less than or equal to 3",
    "3 is less than 1/0.",
    "5 is less than 3.5.6",
    "There are more than 3 ways.",
    "2 < 3 < 4",  # a chain
    "x > 3",
    "5 -> 6",
    "1 >= 0",
    "<think>5</think>",
    "x = 3 > 2",  # 3 is a side of an equation
])  # fmt: skip
def test_anything_but_the_plain_shape_is_not_read(line: str) -> None:
    assert comparison_claims(line) == ()
    assert check_steps(line).checked == 0


def test_a_false_comparison_makes_a_bad_step_and_the_eval_keeps_equalities_apart() -> None:
    problem = Problem(id="p", generator="number_theory", difficulty=2, seed=0, index=0,
                      question="What is the remainder when 1556 is divided by 20?", expression="Mod(1556, 20)",
                      answer="16")  # fmt: skip
    text = ("<think>\n20 × 70 = 1400\n1400 + 20 = 1420\n1420 is more than 1556, so stop at 1400.\n1556 - 1400 = 156\n"
            "</think>\n<answer>16</answer>\n<verifier_answer>16</verifier_answer>")  # fmt: skip
    verdict = verify_response(problem, Response(request_id="r", sample=0, teacher="t", model="m", content=text))
    assert not verdict.accepted and "bad_step" in verdict.flags
    assert verdict.false_claims == ["1420 is more than 1556"]
    assert not any("=" in claim for claim in verdict.false_claims)  # eval's false_equality stays False


def test_every_comparison_in_the_built_in_traces_holds() -> None:
    seen = 0
    for family in ("arithmetic", "linear_system", "number_theory", "quadratic", "word_problem"):
        for problem in generate(family, count=40, seed=3, difficulty=2):
            for style in ("mix", "classic"):
                report = check_steps(builtin_trace(problem, style))
                assert not report.bad, (family, style, report.bad)
                seen += sum(" than " in c.text for c in report.claims)
    assert seen > 100
