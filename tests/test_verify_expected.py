"""An expected answer written in LaTeX or with wrappers (a gold from another dataset, or <verifier_answer> text)
is read like a candidate into the generators' form before comparing; generator answers are never rewritten."""

from __future__ import annotations

import pytest

from chukmath.verify import answers_match
from chukmath.verify.answers import expected_as_written, judge_answer


@pytest.mark.parametrize(
    ("candidate", "expected", "match"),
    [
        ("0.5", "$\\frac{1}{2}$", True), ("1/3", "$\\frac{1}{2}$", False), ("x = 2", "\\boxed{2}", True),
        ("3", "\\boxed{2}", False), ("(1, 2)", "(1,2)", True), ("\\{1, 3\\}", "\\{1,2\\}", False),
        ("3", "x=3", True), ("4", "x=3", False), ("7", "\\text{7}", True), ("y = 2x + 1", "y=2x+1", True),
        ("y = 2x - 1", "y=2x+1", False), ("x = 3, y = 2", "x=3, y=2", True), ("x = 2, y = 3", "x=3, y=2", False),
        ("2", "\\boxed{2}, \\boxed{3}", False), ("\\{2, 3\\}", "\\boxed{2}, \\boxed{3}", True),
    ],
)  # fmt: skip
def test_a_latex_gold_is_read_like_a_candidate(candidate: str, expected: str, match: bool) -> None:
    assert answers_match(candidate, expected) is match


def test_generator_answers_and_unreadable_golds_are_left_alone() -> None:
    for generated in ("3/4", "{-2, 1}", "{x: 3, y: 2}", "2*x + 2"):
        assert expected_as_written(generated) is None
    assert expected_as_written("one hundred and ten") is None
    assert judge_answer("110", "one hundred and ten") == "wrong"  # a gold no reader reads: every candidate wrong
