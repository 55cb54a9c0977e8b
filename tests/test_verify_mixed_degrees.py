"""Mixed numbers and degree forms: true and false matches (a mixed number is a sum, never a product; an angle asked
for in degrees is not matched by the same angle in radians)."""

from __future__ import annotations

import pytest

from chukmath.verify.answers import answers_match, judge_answer
from chukmath.verify.mixed import rewrite_mixed
from chukmath.verify.steps import check_steps

MIXED_TRUE = [
    ("2 1/2", "5/2"), ("2\\frac{1}{2}", "5/2"), ("2 \\dfrac{1}{2}", "5/2"), ("2\\tfrac12", "5/2"), ("2½", "5/2"),
    ("-2 1/2", "-5/2"), ("-3\\frac{3}{4}", "-15/4"), ("The answer is 2 1/2.", "5/2"), ("x = 1 3/4", "7/4"),
    ("$2\\frac{1}{2}$ cups", "5/2"), ("\\boxed{4\\frac{2}{3}}", "14/3"), ("2.5", "5/2"), ("5/2", "5/2"),
]  # fmt: skip
MIXED_FALSE = [
    ("2\\frac{1}{2}", "1"), ("2 1/2", "1"), ("2 1/2", "2"), ("2 1/2", "3/2"), ("2\\frac{1}{2}", "2"),
    ("-2 1/2", "-3/2"), ("-2 1/2", "5/2"), ("3 1/2", "5/2"), ("1 3/4", "4/3"),
]  # fmt: skip
DEGREE_QUESTION = "What is the measure of angle B, in degrees?"
DEGREES_TRUE = [
    ("30^\\circ", "30"), ("30^{\\circ}", "30"), ("30°", "30"), ("30 °", "30"), ("30 degrees", "30"),
    ("30\\degree", "30"), ("The angle is 30°.", "30"), ("$\\angle B = 30^\\circ$", "30"), ("22.5°", "45/2"),
    ("22\\frac{1}{2}^\\circ", "45/2"), ("\\frac{\\pi}{6}", "pi/6"), ("\\pi/6 radians", "pi/6"),
]  # fmt: skip
DEGREES_FALSE = [
    ("\\pi/6", "30"), ("\\frac{\\pi}{6}", "30"), ("0.5236", "30"), ("60°", "30"), ("30^\\circ", "31"),
    ("-30°", "30"), ("30", "pi/6"), ("\\frac{\\pi}{3}", "pi/6"),
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), MIXED_TRUE)
def test_mixed_numbers_are_whole_plus_fraction(candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), MIXED_FALSE)
def test_mixed_numbers_are_not_products_or_other_values(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)


def test_only_a_whole_number_and_a_proper_fraction_is_rewritten() -> None:
    assert rewrite_mixed("2 1/2 and 3\\frac{1}{4}") == "5/2 and 13/4"
    for text in ("2 3/2", "x 1/2", "1/2 1/3", "0.5 1/2", "3 1/0", "2 1/2/3", "12", "2^2 1/2"):
        assert rewrite_mixed(text) == text, text
    assert judge_answer("2 3/2", "7/2") != "correct"  # not a mixed number, and not 2 + 3/2 either


def test_a_latex_mixed_number_in_a_claim_is_a_sum() -> None:
    assert check_steps("2\\frac{1}{2} + 1 = 3\\frac{1}{2}").bad == []
    assert len(check_steps("2\\frac{1}{2} + 1 = 3\\frac{3}{4}").bad) == 1


@pytest.mark.parametrize(("candidate", "expected"), DEGREES_TRUE)
def test_degree_forms_match(candidate: str, expected: str) -> None:
    question = DEGREE_QUESTION if "pi" not in expected else "Give the angle in radians."
    assert answers_match(candidate, expected, question=question)


@pytest.mark.parametrize(("candidate", "expected"), DEGREES_FALSE)
def test_radians_for_degrees_and_other_angles_do_not(candidate: str, expected: str) -> None:
    question = DEGREE_QUESTION if "pi" not in expected else "Give the angle in radians."
    assert not answers_match(candidate, expected, question=question)
