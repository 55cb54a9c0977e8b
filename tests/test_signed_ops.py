"""Sums and differences in the mix traces, worked the way a careful person does (issue 21): the sign rule in words
before a mixed-sign sum, a negative subtracted as an addition, borrows and carries column by column; every claim
true, prose holding no claim, the sizes' claim landing on the result's size, at the density the difficulty sets."""

from __future__ import annotations

import random
import re

import pytest

from chukmath.api import generate
from chukmath.families.common.format import claim
from chukmath.families.common.long_ops import detail_for
from chukmath.families.common.signed_ops import (
    column_difference_lines,
    column_sum_lines,
    plus_minus_lines,
    signed_lines,
)
from chukmath.teach.builtin import builtin_trace
from chukmath.verify import check_steps

# a claim, after the name of its column where it has one ("Tens: 7 + 9 = 16")
_CLAIM = re.compile(r"^(?:(?:Ones|Tens|Hundreds|Thousands|Ten thousands|Hundred thousands|Millions): )?"
                    r"(\(-\d+\)|\d+) [+-] (\(-\d+\)|\d+) = (-?\d+)$")
EASY = detail_for(1)


def _value(a: int, op: str, b: int) -> int:
    return a + b if op == "+" else a - b


def test_a_negative_added_goes_through_the_sign_rule_and_the_sizes() -> None:
    assert signed_lines(8, "+", -44, detail_for(3)) == [
        "8 + (-44): the signs differ, so take the smaller size from the larger; -44 has the larger size, so the "
        "result is negative.",
        "44 - 8 = 36",
    ]


def test_a_larger_number_taken_away_gives_a_negative_result() -> None:
    assert signed_lines(80, "-", 88, EASY) == [
        "80 - 88: 88 is larger than 80, so the result is negative; take 80 from 88 and put a minus sign in front.",
        "Take 80 from 88 column by column from the right, borrowing where needed:",
        "The ones digit is 8.",
        "Tens: 8 - 8 = 0",
        "88 - 80 = 8",
    ]


def test_subtracting_a_negative_is_adding() -> None:
    assert signed_lines(18, "-", -38, detail_for(3)) == [
        "Subtracting a negative number is adding its size: 18 - (-38) is 18 + 38.",
        "18 + 38 = 56",
    ]
    assert signed_lines(-15, "-", -2, detail_for(1)) == [
        "Subtracting a negative number is adding its size: (-15) - (-2) is (-15) + 2; the signs differ, so take the "
        "smaller size from the larger; -15 has the larger size, so the result is negative.",
        "Take 2 from 15 column by column from the right, borrowing where needed:",
        "Ones: 5 - 2 = 3",
        "2 has no tens, so the tens and above come down as they are: 1.",
        "15 - 2 = 13",
    ]
    assert signed_lines(-15, "-", 2, detail_for(3)) == [
        "(-15) - 2: taking 2 away from a negative number goes further below zero, so add the sizes and keep the "
        "minus sign.",
        "15 + 2 = 17",
    ]


def test_borrows_through_zeros_column_by_column() -> None:
    assert column_difference_lines(1000, 62) == [
        "Take 62 from 1000 column by column from the right, borrowing where needed:",
        "In the ones, 0 is less than 2, so borrow 1 from the tens: 0 becomes 10.",
        "Ones: 10 - 2 = 8",
        "The tens digit is 0 and lent 1, so it borrows 1 from the hundreds and keeps 10 less 1:",
        "10 - 1 = 9",
        "Tens: 9 - 6 = 3",
        "The hundreds digit is 0 and lent 1, so it borrows 1 from the thousands and keeps 10 less 1:",
        "10 - 1 = 9",
        "The thousands digit 1 lent 1:",
        "1 - 1 = 0",
    ]
    # 62 - 1000 is the same work on the sizes, after the sign rule, and ends on the size of the result
    lines = signed_lines(62, "-", 1000, detail_for(3))
    assert lines[0].startswith("62 - 1000: 1000 is larger than 62, so the result is negative")
    assert lines[1:-1] == column_difference_lines(1000, 62)
    assert lines[-1] == "1000 - 62 = 938"


def test_carries_column_by_column_and_digits_that_come_down() -> None:
    assert column_sum_lines(1947, 85) == [
        "Add 1947 and 85 column by column from the right, carrying:",
        "Ones: 7 + 5 = 12",
        "Write 2 and carry 1.",
        "Tens: 4 + 8 = 12",
        "12 + 1 = 13",
        "Write 3 and carry 1.",
        "Hundreds: 9 + 1 = 10",  # a column with one digit is named at its carry
        "Write 0 and carry 1.",
        "Thousands: 1 + 1 = 2",
        "Write 2.",
    ]
    assert column_sum_lines(12395, 21)[-3:] == [
        "Hundreds: 3 + 1 = 4",
        "Write 4.",
        "21 has no thousands, so the thousands and above come down as they are: 12.",
    ]
    # No column carries or borrows: the columns are still worked, so whether a sum gets columns follows its size
    # alone (a model cannot foresee a carry before working the column)
    assert column_sum_lines(12345, 21) == [
        "Add 12345 and 21 column by column from the right, carrying:",
        "Ones: 5 + 1 = 6",  # each column named, so a digit is not taken from the wrong one
        "Tens: 4 + 2 = 6",
        "21 has no hundreds, so the hundreds and above come down as they are: 123.",
    ]
    assert column_difference_lines(987, 654) == [
        "Take 654 from 987 column by column from the right, borrowing where needed:", "Ones: 7 - 4 = 3",
        "Tens: 8 - 5 = 3", "Hundreds: 9 - 6 = 3"]
    assert column_difference_lines(864, 80) == [
        "Take 80 from 864 column by column from the right, borrowing where needed:",
        "The ones digit is 4.",
        "In the tens, 6 is less than 8, so borrow 1 from the hundreds: 6 becomes 16.",
        "Tens: 16 - 8 = 8",
        "The hundreds digit 8 lent 1:",
        "8 - 1 = 7",
    ]


def test_density_follows_the_difficulty() -> None:
    assert "Ones: 17 - 8 = 9" in signed_lines(77, "-", 8, detail_for(1))
    assert signed_lines(77, "-", 8, detail_for(3)) == []  # two digits: columns only from difficulty 1-2's size
    assert signed_lines(216, "-", 80, detail_for(3))[0].startswith("Take 80 from 216 column by column")
    assert signed_lines(216, "-", 80, detail_for(5)) == []
    assert signed_lines(-5, "+", 3, detail_for(1)) != []  # every sign at the easy levels
    assert signed_lines(-5, "+", 3, detail_for(3)) == []
    assert signed_lines(8, "+", -44, detail_for(5)) == []
    assert signed_lines(3, "×", -4, EASY) == [] and signed_lines(0, "-", 5, EASY) == []


def _all_true(lines: list[str]) -> None:
    for line in lines:
        report = check_steps(line)
        assert report.skipped == 0, line
        if _CLAIM.match(line):
            assert report.checked == 1 and not report.bad, line
        else:  # prose holds no equality; a comparison it makes ("4 is less than 8") is checked, and true
            assert not report.bad and all(" than " in c.text for c in report.claims), line


@pytest.mark.parametrize("difficulty", [1, 3, 5])
def test_random_pairs_every_claim_true_and_the_sizes_land_on_the_result(difficulty: int) -> None:
    rng = random.Random(difficulty)
    detail = detail_for(difficulty)
    for _ in range(400):
        a = rng.choice([1, -1]) * rng.randint(1, 10 ** rng.randint(1, 5))
        b = rng.choice([1, -1]) * rng.randint(1, 10 ** rng.randint(1, 5))
        op = rng.choice("+-")
        value = _value(a, op, b)
        lines = signed_lines(a, op, b, detail)
        _all_true([*lines, claim(a, op, b, value)])
        claims = [m for m in (_CLAIM.match(line) for line in lines) if m]
        sign_in_play = a < 0 or b < 0 or value < 0
        if sign_in_play and lines and value != 0:
            assert int(claims[-1].group(3)) == abs(value), (a, op, b, lines)
        elif not sign_in_play and lines:  # no sign: only column work, which checks its own digits
            assert lines[0].startswith(("Add", "Take")), lines
            assert max(a, b) >= detail.columns_min


def test_columns_of_random_pairs_write_the_result() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a, b = sorted((rng.randint(0, 10**6), rng.randint(0, 10**6)), reverse=True)
        for lines in (column_sum_lines(a, b), column_difference_lines(a, b)):
            _all_true(lines)


def test_a_sum_of_fractions_still_goes_over_the_common_denominator() -> None:
    from fractions import Fraction

    lines = plus_minus_lines(Fraction(1, 2), "-", Fraction(3, 4), EASY)
    assert "Write both over the common denominator 4:" in lines
    # the numerators' difference goes below zero: the sign rule comes right before its claim
    lines = plus_minus_lines(Fraction(1, 2), "-", Fraction(4, 3), EASY)
    at = lines.index("3 - 8 = -5")
    assert lines[at - 2 : at] == [
        "3 - 8: 8 is larger than 3, so the result is negative; take 3 from 8 and put a minus sign in front.",
        "8 - 3 = 5",
    ]
    assert lines[-2:] == ["3 - 8 = -5", "-5/6 has no common factor: it is in lowest terms."]
    assert plus_minus_lines(Fraction(1, 2), "-", Fraction(3, 4), EASY, "decimal") == []
    assert plus_minus_lines(80, "-", 88, EASY) == signed_lines(80, "-", 88, EASY)


def test_mix_traces_show_the_sign_rule_and_classic_traces_do_not() -> None:
    problems = [p for d in (1, 2) for p in generate("linear_system", count=30, seed=5, difficulty=d)]
    mix = "\n".join(builtin_trace(p, "mix") for p in problems)
    classic = "\n".join(builtin_trace(p, "classic") for p in problems)
    assert "so the result is negative" in mix or "Subtracting a negative number" in mix
    assert "Subtracting a negative number" not in classic and "the signs differ" not in classic


def test_number_theory_chunks_show_their_borrows() -> None:
    problems = generate("number_theory", count=200, seed=2, difficulty=3)
    traces = [builtin_trace(p, "mix") for p in problems]
    worked = [t for t in traces if "column by column from the right, borrowing" in t]
    assert worked
    assert all(check_steps(t).checked and not check_steps(t).bad for t in worked)
