"""Rounded numbers: accepted only when the question asks for that rounding, or as a chosen --tolerance allows."""

from __future__ import annotations

import pytest

from chukmath.errors import ConfigError
from chukmath.verify import answers_match
from chukmath.verify.tolerance import Rounding, Tolerance, requested_rounding

PLAIN = "A box holds 9157 marbles shared among 9 bags. How many marbles per bag?"


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [("1017.44", "9157/9"), ("1017.444444", "9157/9"), ("1017", "9157/9"), ("0.333333", "1/3"),
     ("1.66667", "5/3"), ("-1.111111", "-10/9"), ("10.8167", "3*sqrt(13)"), ("3.14159", "pi"),
     ("x = 1017.44", "9157/9"), ("1.41, 2", "{2, sqrt(2)}")],
)  # fmt: skip
def test_an_inexact_number_is_wrong_when_no_rounding_was_asked(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)
    assert not answers_match(candidate, expected, question=PLAIN)


@pytest.mark.parametrize(
    ("question", "candidate", "expected"),
    [("Round your answer to 2 decimal places.", "1017.44", "9157/9"),
     ("Give the answer correct to two decimal places.", "1017.44", "9157/9"),
     ("Write it to the nearest hundredth.", "1017.44", "9157/9"),
     ("Answer to the nearest tenth.", "1017.4", "9157/9"),
     ("Round to the nearest whole number.", "1017", "9157/9"),
     ("Round to the nearest integer.", "x = 1017", "9157/9"),
     ("Round to 3 significant figures.", "1020", "9157/9"),
     ("Round to 3 significant figures.", "0.333", "1/3"),
     ("Round to the nearest ten.", "1020", "9157/9"),
     ("Round to 4 decimal places.", "10.8167", "3*sqrt(13)"),
     ("Round to 3 decimal places.", "-1.111", "-10/9"),
     ("Round to 2 decimal places.", "1.30", "1299/1000"),
     ("Round to 2 decimal places.", "1.3", "1299/1000"),
     ("Round to 2 decimal places.", "9157/9", "9157/9"),  # the exact value is never wrong
     ("Round each root to 2 decimal places.", "1.41, 2", "{2, sqrt(2)}")],
)  # fmt: skip
def test_the_rounding_the_question_asks_for_is_accepted(question: str, candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected, question=question)


@pytest.mark.parametrize(
    ("question", "candidate", "expected"),
    [("Round your answer to 2 decimal places.", "1017.4", "9157/9"),  # fewer places than asked
     ("Round your answer to 2 decimal places.", "1017.45", "9157/9"),  # not the rounded value
     ("Round your answer to 2 decimal places.", "1017.444", "9157/9"),  # more places than asked
     ("Round to the nearest whole number.", "1018", "9157/9"),
     ("Round to 3 significant figures.", "1017", "9157/9"),
     ("Round to 2 decimal places.", "2.33", "7/3 + x"),  # a variable: no number stands for it
     ("How many decimal places does 1/8 have when written out?", "0.13", "1/8")],
)  # fmt: skip
def test_other_roundings_are_wrong(question: str, candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected, question=question)


def test_the_question_phrases_that_ask_for_rounding() -> None:
    assert requested_rounding("Round to 2 decimal places.") == Rounding(places=2)
    assert requested_rounding("Give it correct to 3 d.p.") == Rounding(places=3)
    assert requested_rounding("What is it to the nearest thousandth?") == Rounding(places=3)
    assert requested_rounding("to the nearest hundred") == Rounding(places=-2)
    assert requested_rounding("Approximate to four significant figures.") == Rounding(significant=4)
    assert requested_rounding("What is 9157 / 9?") is None
    assert requested_rounding("How many decimal places does 1/8 have?") is None


@pytest.mark.parametrize(
    ("spec", "candidate", "expected", "ok"),
    [("abs:0.01", "1017.44", "9157/9", True), ("abs:0.001", "1017.44", "9157/9", False),
     ("rel:1e-5", "1017.44", "9157/9", True), ("rel:1e-6", "1017.44", "9157/9", False),
     ("rel:0.001", "3.1416", "pi", True), ("rel:0.001", "3.2", "pi", False),
     ("abs:0.5", "1017", "9157/9", True),  # an integer is a number too
     ("digits:6", "0.333333", "1/3", True), ("digits:6", "0.33333", "1/3", False),
     ("digits:6", "1.66666", "5/3", True), ("digits:6", "10.8167", "3*sqrt(13)", True),
     ("digits:6", "0.750000", "3/4", True), ("digits:3", "0.7", "3/4", False),
     ("rel:0.1", "2.1*x", "2*x", False)],  # tolerance is for numbers, not expressions
)  # fmt: skip
def test_a_tolerance_lets_close_numbers_through(spec: str, candidate: str, expected: str, ok: bool) -> None:
    assert answers_match(candidate, expected, tolerance=Tolerance.from_spec(spec)) is ok
    assert answers_match(candidate, expected) is (candidate in ("0.750000",))  # the default: exact only


def test_tolerance_specs() -> None:
    assert Tolerance.from_spec("asked") == Tolerance()
    assert Tolerance.from_spec("rel:1e-6").spec() == "rel:1e-06"
    assert Tolerance.from_spec("abs:2").spec() == "abs:2"
    assert Tolerance.from_spec("digits:6").spec() == "digits:6"
    for bad in ("", "rel", "rel:-1", "abs:x", "digits:0", "digits:1.5", "close"):
        with pytest.raises(ConfigError, match="use 'asked'"):
            Tolerance.from_spec(bad)
