"""The building blocks of the solution routes (chukmath.families.common.worked): long operations at the density
of the difficulty and shown once per trace, a check whose fixed target catches a wrong result, a trace that is
refused when its own check fails."""

from __future__ import annotations

from fractions import Fraction

import pytest

from chukmath.families.common.format import OP_DIV, OP_MUL
from chukmath.families.common.worked import Check, Work, finish, pick, square_root
from chukmath.verify.steps import check_steps


def test_long_products_follow_the_difficulty_and_are_shown_once() -> None:
    easy, hard = Work(1), Work(5)
    assert easy.op(47, OP_MUL, 36) == hard.op(47, OP_MUL, 36) == 1692
    assert len(easy.lines) > 3 and hard.lines == ["47 × 36 = 1692"]
    shown = len(easy.lines)
    easy.op(47, OP_MUL, 36)
    assert easy.lines[shown:] == ["47 × 36 = 1692"]
    assert easy.op(Fraction(1692), OP_DIV, 36) == 47
    assert not check_steps("\n".join(easy.lines)).bad


def test_a_check_with_a_wrong_result_is_false_and_the_trace_is_refused() -> None:
    right, wrong = Check(3), Check(3)
    right.expect(Fraction(7, 2), OP_MUL, 4, 14)
    wrong.expect(Fraction(9, 2), OP_MUL, 4, 14)
    assert not right.failed and wrong.failed == ["9/2 × 4 = 14"]
    assert check_steps("\n".join(wrong.lines)).bad == ["9/2 * 4 = 14"]
    work = Work(3)
    assert "<verifier_answer>7/2</verifier_answer>" in finish(work, right, "So 7/2.", "7/2", "7/2")
    with pytest.raises(AssertionError, match="check step"):
        finish(work, wrong, "So 9/2.", "9/2", "9/2")


def test_a_decimal_target_is_written_exactly() -> None:
    check = Check(3, "decimal")
    check.expect(Fraction(2501, 1000), OP_MUL, 1, Fraction(5, 2))
    assert check.lines == ["2501/1000 × 1 = 5/2"] and check_steps(check.lines[0]).bad


def test_square_roots_and_phrasing() -> None:
    work = Work(3)
    assert square_root(work, 72) == (6, 2) and square_root(work, 49) == (7, 1) and square_root(work, 15) == (1, 15)
    assert not check_steps("\n".join(work.lines)).bad
    options = ("a", "b", "c")
    assert pick("p1", "k", options) == pick("p1", "k", options) in options
    assert len({pick(f"p{i}", "k", options) for i in range(30)}) == 3
