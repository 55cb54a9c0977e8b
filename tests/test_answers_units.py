"""Units after a numeric answer: stripped when the expected answer is a number, never taken for variables."""

from __future__ import annotations

import pytest

from chukmath.verify import answers_match

MATCH = [
    ("5 m", "5"), ("5m", "5"), ("3 m/s", "3"), ("9.8 m/s^2", "49/5"), ("12 cm²", "12"), ("25 °C", "25"),
    ("25°C", "25"), ("25^{\\circ} C", "25"), ("$5\\text{ m}$", "5"), ("\\boxed{5 \\text{ s}}", "5"), ("40 W", "40"),
    ("The answer is 27 dollars.", "27"), ("x = 5 m", "5"), ("2 A.", "2"), ("3 km/h", "3"),
]  # fmt: skip
NO_MATCH = [
    ("5 m", "6"), ("5x", "5"), ("5 x", "5"), ("5 e", "5"), ("5 i", "5"), ("5 n", "5"), ("5 k", "5"), ("5 t", "5"),
    ("5 sin", "5"), ("5 m or 6 m", "5"),
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), MATCH)
def test_units_after_a_number_are_stripped(candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), NO_MATCH)
def test_letters_that_may_be_variables_are_not_units(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)


def test_symbolic_expected_keeps_single_letters() -> None:
    # with a symbolic answer expected, a trailing letter is part of the math
    assert answers_match("2 m", "2*m")
    assert answers_match("2 x", "2*x")
    assert not answers_match("2", "2*m")
