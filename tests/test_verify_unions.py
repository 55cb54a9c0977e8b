"""Unions of intervals: ``(-oo, 2) ∪ (3, oo)`` written in interval notation, as inequalities joined by "or", with
LaTeX \\cup or sympy's text; intersections by "and"; true and false matches."""

from __future__ import annotations

import time

import pytest

from chukmath.verify.answers import answers_match, judge_answer
from chukmath.verify.forms import Span
from chukmath.verify.unions import find_set, normalize, parse_expected_set

OPEN = "Union(Interval.open(-oo, 2), Interval.open(3, oo))"
CLOSED = "Union(Interval(-oo, -1/2), Interval(3, oo))"
BETWEEN = "Interval.open(-2, 5)"

TRUE = [
    ("(-oo, 2) U (3, oo)", OPEN), ("(-\\infty, 2) \\cup (3, \\infty)", OPEN), ("(-∞, 2) ∪ (3, ∞)", OPEN),
    ("x < 2 or x > 3", OPEN), ("x<2 or x>3", OPEN), ("$x < 2$ or $x > 3$", OPEN), ("x > 3 or x < 2", OPEN),
    ("x < 2 \\text{ or } x > 3", OPEN), ("x < 2 \\lor x > 3", OPEN), ("2 > x or x > 3", OPEN),
    ("The solution set is $x \\in (-\\infty, 2) \\cup (3, \\infty)$.", OPEN), (OPEN, OPEN),
    ("\\left(-\\infty, 2\\right) \\cup \\left(3, \\infty\\right)", OPEN), ("(3, oo) U (-oo, 2)", OPEN),
    ("(-oo, -1/2] U [3, oo)", CLOSED), ("x \\le -\\frac{1}{2} \\text{ or } x \\ge 3", CLOSED),
    ("x ≤ -0.5 or x ≥ 3", CLOSED), ("(-\\infty, -\\frac12] \\cup [3, \\infty)", CLOSED),
    ("x > -2 and x < 5", BETWEEN), ("-2 < x < 5", BETWEEN), ("(-2, 5)", BETWEEN), ("x > -2 \\land x < 5", BETWEEN),
    ("(-2, 1] ∪ (1, 5)", BETWEEN), ("(-2, 3) \\cup (0, 5)", BETWEEN),
]  # fmt: skip
FALSE = [
    ("(-oo, 2] U [3, oo)", OPEN), ("(-oo, 2) U (4, oo)", OPEN), ("x < 2", OPEN), ("x > 3", OPEN), ("(2, 3)", OPEN),
    ("x < 2 and x > 3", OPEN), ("2 < x < 3", OPEN), ("x <= 2 or x > 3", OPEN), ("(-oo, 3) U (2, oo)", OPEN),
    ("(-oo, -1/2) U (3, oo)", CLOSED), ("(-oo, 1/2] U [3, oo)", CLOSED), ("[-1/2, 3]", CLOSED),
    ("x > -2 or x < 5", BETWEEN), ("(-2, 1) ∪ (1, 5)", BETWEEN), ("x > -2", BETWEEN),
    ("x < 2 or x > 3 is wrong; the answer is x > 3", OPEN),
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), TRUE)
def test_unions_in_every_notation_match(candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), FALSE)
def test_other_sets_do_not(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)


def test_merging_and_the_expected_text() -> None:
    two = Span(None, False, 2, False), Span(2, True, 5, True)
    assert normalize(list(two)) == (Span(None, False, 5, True),)
    assert normalize([Span(1, False, 1, False)]) == ()  # (1, 1) is empty
    assert parse_expected_set(OPEN) == (Span(None, False, 2, False), Span(3, False, None, False))
    assert parse_expected_set("Union(Interval(1, 2))") is None and parse_expected_set("{1, 2}") is None
    assert find_set("no interval here") is None
    assert judge_answer("I do not know", OPEN) == "unparseable"


def _read_chains(pieces: int) -> float:
    """Seconds (best of three) to read chains of ``pieces`` repeated pieces in every form; asserts the verdicts."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        assert answers_match("x < 2 or " * pieces + "x > 3", OPEN)  # the same piece repeated, then the other
        assert not answers_match("x < 2 or " * pieces + "x > 4", OPEN)
        assert find_set("x < 2 or " * (10 * pieces) + "x > 3") == parse_expected_set(OPEN)
        assert find_set("Union(" + "Interval(1, 2)  " * (5 * pieces) + "x") is not None  # unclosed: no backtracking
        best = min(best, time.perf_counter() - started)
    return best


def test_a_long_chain_is_read_quickly() -> None:
    # Linear, not a wall-clock limit: ten times the pieces may cost about ten times the time (a quadratic reader
    # would cost a hundred times), measured against the short chain in the same test.
    short = _read_chains(40)
    long = _read_chains(400)
    assert long < 35 * short + 0.01, (short, long)
