"""Claims in the forms real teachers write them: after list markers, with units in brackets, with Unicode operators
and invisible characters; and every claim-like link the checker cannot evaluate is counted, never dropped silently.
"""

from __future__ import annotations

import pytest

from chukmath.verify import bad_steps, check_claims, check_steps
from chukmath.verify.steps import MAX_CLAIMS, MAX_LINE

# A false claim in each hidden form, and the claim the detail names.
HIDDEN_FALSE = [
    # list markers
    ("b) 5 + 3 = 9", "5 + 3 = 9"), ("2) 48 × 6 = 290", "48 * 6 = 290"), ("(b) 12 - 5 = 8", "12 - 5 = 8"),
    ("iv. 7 × 8 = 54", "7 * 8 = 54"), ("1. 6 × 7 = 43", "6 * 7 = 43"), ("(3) 10 / 4 = 3", "10 / 4 = 3"),
    ("- 48 × 6 = 289", "48 * 6 = 289"), ("• 2 + 2 = 5", "2 + 2 = 5"), ("IV) 9 - 3 = 7", "9 - 3 = 7"),
    ("① 3 + 3 = 7", "3 + 3 = 7"), ("(3) - 4 = 5", "(3) - 4 = 5"),
    # a unit in brackets
    ("12 (m) + 3 (m) = 16 (m)", "12 + 3 = 16"), ("60 (km/h) × 2 (h) = 100 (km)", "60 * 2 = 100"),
    ("So 4 (cm^2) + 5 (cm^2) = 10 (cm^2).", "4 + 5 = 10"),
    # full-width and other Unicode operators
    ("１２ ＋ ３ ＝ １６", "12 + 3 = 16"), ("20 － 5 = 14", "20 - 5 = 14"), ("6 × 7 = 41", "6 * 7 = 41"),
    ("84 ÷ 4 = 20", "84 / 4 = 20"), ("10 − 3 = 8", "10 - 3 = 8"), ("3 ∗ 4 = 13", "3 * 4 = 13"),
    ("3 ⋅ 4 = 13", "3 * 4 = 13"), ("3 · 4 = 13", "3 * 4 = 13"), ("9 ⁄ 3 = 4", "9 / 3 = 4"), ("9 – 3 = 5", "9 - 3 = 5"),
    ("3 ✕ 4 = 11", "3 * 4 = 11"), ("9 ∕ 3 = 2", "9 / 3 = 2"), ("(2 ＋ 3) × 4 ＝ 21", "(2 + 3) * 4 = 21"),
    ("2³ + 1 = 10", "2^3 + 1 = 10"), ("1½ + 1½ = 4", "(1+1/2) + (1+1/2) = 4"),
    # zero-width characters between digits and around operators
    ("4\u200b8 × 6 = 290", "48 * 6 = 290"), ("1\u200c2 + 3 = 16", "12 + 3 = 16"), ("1\u200d2 + 3 = 16", "12 + 3 = 16"),
    ("1\u20602 + 3 = 16", "12 + 3 = 16"), ("\ufeff12 + 3 = 16", "12 + 3 = 16"), ("12 +\u200b 3 = 16", "12 + 3 = 16"),
]  # fmt: skip

HIDDEN_TRUE = [
    "b) 5 + 3 = 8", "2) 48 × 6 = 288", "(b) 12 - 5 = 7", "iv. 7 × 8 = 56", "1. 6 × 7 = 42", "(3) 10 / 4 = 5/2",
    "- 48 × 6 = 288", "• 2 + 2 = 4", "① 3 + 3 = 6", "(2) -3 + 5 = 2", "(3) - 4 = -1", "(3) × 4 = 12",
    "12 (m) + 3 (m) = 15 (m)", "60 (km/h) × 2 (h) = 120 (km)", "１２ ＋ ３ ＝ １５", "20 － 5 = 15", "84 ÷ 4 = 21",
    "3 ∗ 4 = 12", "3 ⋅ 4 = 12", "9 ⁄ 3 = 3", "9 – 3 = 6", "2³ + 1 = 9", "2⁴ + 1 = 17", "1½ + 1½ = 3",
    "2 ½ × 2 = 5", "½ + ¼ = ¾", "4\u200b8 × 6 = 288", "1\u20602 + 3 = 15", "3 ✕ 4 = 12", "10⁻¹ × 20 = 2",
]  # fmt: skip

# Unicode that must not turn prose or algebra into a false claim.
NOT_CLAIMS = [
    "5 + 3 = 8 — so 8 is the answer", "5 + 3 = 8 – so we stop", "pages 10–12 = 3 pages", "x₂ + 1 = 5",
    "3 (x) + 2 = 11", "2(x) + 3 = 7", "H₂O + 1 = 3", "a) x + 1 = 5", "x² + 1 = 10",
]  # fmt: skip


@pytest.mark.parametrize(("text", "shown"), HIDDEN_FALSE)
def test_false_claims_in_hidden_forms_are_bad_steps(text: str, shown: str | None) -> None:
    bad = bad_steps(text)
    assert bad, text
    if shown is not None:
        assert shown in bad, bad


@pytest.mark.parametrize("text", HIDDEN_TRUE)
def test_true_claims_in_hidden_forms_hold(text: str) -> None:
    claims = check_claims(text)
    assert claims, text
    assert all(c.holds for c in claims), claims


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_unicode_prose_and_algebra_are_not_false_claims(text: str) -> None:
    assert bad_steps(text) == []


@pytest.mark.parametrize("text", [text for text, _ in HIDDEN_FALSE] + HIDDEN_TRUE + NOT_CLAIMS)
def test_fast_and_general_paths_agree_on_hidden_forms(text: str) -> None:
    assert check_steps(text) == check_steps(text, fast=False)


@pytest.mark.parametrize(
    ("text", "checked", "skipped"),
    [
        ("85 + 25 = 110\n110 - 1 = 109", 2, 0),
        ("9^9^9^9 = 5", 0, 1),  # past the exponent caps
        ("7 / 0 = 1", 0, 1),  # division by zero
        ("√2 = 1.414", 0, 1),  # an approximation of an irrational value
        ("2^10 = 1024 = 2 mod 7", 1, 1),  # mod right of the first "="
        ("3/4 = 75%", 0, 1), ("5 + 3 = 9!", 0, 1), ("180 - 30 = 150°", 0, 1), ("1/3 = 0.333...", 0, 1),  # notations
        ("5 = 3!\nx = 3%", 0, 0),  # nothing computed on either side: no claim
        ("x = 3\nSo x + 1 = 4 apples\npages 10-12 = 3", 0, 0),  # not claims at all
        ("3 + 4 = 7 and 9^9^9^9 = 1", 1, 1),
    ],
)
def test_claims_that_cannot_be_evaluated_are_counted(text: str, checked: int, skipped: int) -> None:
    report = check_steps(text)
    assert (report.checked, report.skipped) == (checked, skipped), report
    slow = check_steps(text, fast=False)
    assert (slow.checked, slow.skipped) == (checked, skipped)


def test_a_line_over_the_length_cap_is_counted_as_skipped() -> None:
    long_line = "so " * (MAX_LINE // 3) + "2 + 2 = 5 and 3 + 3 = 7"
    report = check_steps("1 + 1 = 2\n" + long_line)
    assert report.checked == 1 and report.bad == []
    assert report.skipped == 2


def test_claims_past_the_claim_cap_are_counted_as_skipped() -> None:
    text = "\n".join(f"{i} + 1 = {i + 1}" for i in range(MAX_CLAIMS)) + "\n2 + 2 = 5\n3 × 3 = 10, 1 + 1 = 2"
    report = check_steps(text)
    assert report.checked == MAX_CLAIMS and report.bad == []
    assert report.skipped == 3
