"""The named approximation policies (exact for build, graded for eval and rewards), and the rewards' use of the
verifier's whole-solution extraction and percent rule."""

from __future__ import annotations

from fractions import Fraction

import pytest

from chukmath.errors import ConfigError
from chukmath.rewards import accuracy_reward
from chukmath.verify import Tolerance, answers_match
from chukmath.verify.tolerance import EXACT, GRADED, GRADED_PRECISION, POLICIES

BASE_MODEL = (
    "Problem: what is 1/3 as a decimal?\n\nWe divide 1 by 3. The long division repeats: 10 / 3 = 3 remainder 1, "
    "and again 3 remainder 1, so the digits are all 3.\n\nFinal Answer: The final answer is ${value}$. I hope it is "
    "correct."
)


def test_the_policies_have_names_and_specs() -> None:
    assert Tolerance.from_spec("exact") == EXACT == Tolerance() == POLICIES["exact"]
    assert Tolerance.from_spec("graded") == GRADED == POLICIES["graded"]
    assert GRADED == Tolerance("rel", Fraction(1, 10_000)) and GRADED_PRECISION == Fraction(1, 10_000)
    assert GRADED.spec() == "graded" and Tolerance.from_spec(GRADED.spec()) == GRADED
    with pytest.raises(ConfigError, match="'graded'"):
        Tolerance.from_spec("lenient")


@pytest.mark.parametrize(
    ("candidate", "expected", "exact", "graded"),
    [
        ("0.3333", "1/3", False, True), ("0.333", "1/3", False, False), ("0.33333333", "1/3", False, True),
        ("4.1231056256", "sqrt(17)", False, True), ("4.12", "sqrt(17)", False, False),
        ("0.30000000000000004", "3/10", False, True), ("12.33", "37/3", False, False), ("3.14", "pi", False, False),
        ("1/3", "1/3", True, True), ("0.25", "1/4", True, True), ("0.2501", "1/4", False, False),
    ],
)  # fmt: skip
def test_graded_accepts_a_relative_precision_of_1e_4_and_exact_nothing_inexact(
    candidate: str, expected: str, exact: bool, graded: bool
) -> None:
    assert answers_match(candidate, expected) is exact
    assert answers_match(candidate, expected, tolerance=EXACT) is exact
    assert answers_match(candidate, expected, tolerance=GRADED) is graded


def test_a_requested_rounding_counts_under_both_policies() -> None:
    asked = "Cut 37 m into 3 equal parts. How long is each? Round to 2 decimal places."
    for tolerance in (EXACT, GRADED):
        assert answers_match("12.33", "37/3", question=asked, tolerance=tolerance)
        assert not answers_match("12.34", "37/3", question=asked, tolerance=tolerance)


def test_the_accuracy_reward_reads_a_whole_solution_under_the_graded_policy() -> None:
    right = BASE_MODEL.replace("{value}", "0.3333")
    wrong = BASE_MODEL.replace("{value}", "0.3")
    assert accuracy_reward([right, wrong, BASE_MODEL.replace("{value}", "\\frac{1}{3}")], answer=["1/3"] * 3) == [
        1.0, 0.0, 1.0
    ]  # fmt: skip
    assert not answers_match(right, "1/3")  # build keeps exact values only
    assert answers_match(right, "1/3", tolerance=GRADED)


def test_the_accuracy_reward_reads_percents_with_the_question() -> None:
    completion = "<think>\n21 / 75 = 7/25\n</think>\n<answer>28%</answer>"
    asked = "What percent of 75 is 21?"
    assert accuracy_reward([completion], answer=["28"], question=[asked]) == [1.0]
    assert accuracy_reward([completion], answer=["28"], question=["How many are left?"]) == [0.0]
    assert accuracy_reward([completion], answer=["7/25"]) == [1.0]
