"""The arithmetic-claim checker: true claims pass, false ones are caught, non-claims are left alone."""

import pytest
from timing import assert_linear

from chukmath.verify import bad_steps, check_claims, clear_caches
from chukmath.verify.steps import MAX_LINE

TRUE_CLAIMS = [
    "44 + 41 = 85", "(-3) × 4 = -12", "3/4 × 5/6 = 5/8", "2^3 = 8", "7.5 − 2.25 = 5.25", "84 = 2 × 36 + 12",
    "1/2 + 1/3 = 5/6", "44 x 3 = 132", "2^10 mod 7 = 2",
    r"\frac{3}{4} \times \frac{5}{6} = \frac{15}{24} = \frac{5}{8}",
    "12 ÷ 4 = 3", "2 ** 10 = 1024", r"6 \cdot 7 = 42", "3 · 4 = 12", "1,000 + 2,000 = 3,000", "(2 + 3) × (4 - 1) = 15",
    r"2^{10} = 1024", "10/3 = 3.33", "0.1 + 0.2 = 0.3", "-3 + 5 = 2", "3² = 9", "2 × 3 × 4 = 24",
    r"\( 85 + 25 = 110 \)", r"\[\frac{3}{4} \times 4 = 3\]",
    "√324 = 18", r"\sqrt{16} = 4", "√(9 + 16) = 5", r"\sqrt[3]{8} = 2", "√4 × √9 = 6", "5 = √25", "√16 + 1 = 5",
    "85 + 25 = 110 = 110.0", "10/3 = 3.333 = 3.33",
    "√32 = 4√2", "2√3 = √12", "√12 + √27 = 5√3", "√2 × √3 = √6", r"\frac{6 + \sqrt{32}}{2} = 3 + 2\sqrt{2}",
]  # fmt: skip

FALSE_CLAIMS = [
    ("85 + 25 = 111", "85 + 25 = 111"), ("44 x 3 = 131", "44 x 3 = 131"), ("(-3) × 4 = 12", "(-3) * 4 = 12"),
    ("3/4 × 5/6 = 5/9", "3/4 * 5/6 = 5/9"), ("84 = 2 × 36 + 11", "84 = 2 * 36 + 11"), ("2^10 mod 7 = 3", None),
    (r"\frac{3}{4} + \frac{1}{4} = 2", None), ("so $7 \\cdot 8 = 54$.", "7 * 8 = 54"), ("**4 + 4 = 9**", "4 + 4 = 9"),
    ("10/3 = 3.4", "10/3 = 3.4"), ("0.1 + 0.2 = 0.30000000000000004", None), ("3 × 4 = 12 + 3 = 14", "12 + 3 = 14"),
    # roots, rational and irrational; a plain link that carries a computed chain on
    ("√324 = 17", "√324 = 17"), (r"\sqrt{16} = 5", "√(16) = 5"), ("x = √(9 + 16) = 7", "√(9 + 16) = 7"),
    (r"\sqrt[3]{27} = 2", None), ("So √1,000,000 = 100", "√1,000,000 = 100"), ("√48 = 3√4", "√48 = 3√4"),
    ("√2 + √3 = √5", "√2 + √3 = √5"),
    ("85 + 25 = 110 = 111", "110 = 111"), ("3 × 4 = 12 + 3 = 15 = 16", "15 = 16"),
    (r"\frac{6 + \sqrt{32}}{2} = 3 + \sqrt{2}", None),
    # inside the LaTeX math delimiters \( \) and \[ \] (their brackets are not the claim's)
    (r"\(85+25=111\)", "85+25 = 111"), (r"so \( 85 + 25 = 111 \).", "85 + 25 = 111"), (r"\[44 \times 3 = 131\]", None),
]  # fmt: skip

NOT_CLAIMS = [
    "Let 2x + 3 = 11, so x = 4.", "f(2) = 4 + 1", "x_1 = 2 + 3", "On 2024-01-15 we met.", "Step 1: compute.",
    "half of 6 + 2 = 5", "3/4 = 75%", "1/3 = 0.333...", "5 apples = 2 + 2 apples", "x - 3 + 2 = 5",
    "2^10 = 1024 = 2 mod 7", "π ≈ 3.14", "22/7 ≈ 3.142", "1. 2 + 3", "pages 10-12 = 3 pages", "x² = 4 + 5",
    "3 times 4 = 13", "a = b + 1 = 7", "the 3rd = 2 + 2", "1 <= 2 + 3", "2 + 3 != 6", "n! = 2 × 3", "5 = 3!",
    "x = 3", "100 = 100", "= 4 squared", "4 + 1 = 6x", "total: 3 + 4 = 8 dozen",
    # roots: an irrational value next to a decimal is an approximation, and a letter under the root is no number
    "√2 = 1.5", "√257/4 = 4.008", "2√2 = √8 = 2.83", "√D = √257", "(-b ± √D) / (2a) = 3", "√16 = ±4", "√-4 = 2",
    "√b^2 - 4ac = 5",
]  # fmt: skip


@pytest.mark.parametrize("text", TRUE_CLAIMS)
def test_true_claims_are_found_and_hold(text):
    claims = check_claims(text)
    assert claims, text
    assert all(c.holds for c in claims), claims


@pytest.mark.parametrize(("text", "shown"), FALSE_CLAIMS)
def test_false_claims_are_bad_steps(text, shown):
    bad = bad_steps(text)
    assert bad, text
    if shown is not None:
        assert shown in bad


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_non_claims_are_not_flagged(text):
    assert bad_steps(text) == []


def test_claims_across_lines_and_sentences():
    think = "First 85 + 25 = 110.\nThen 110 × 2 = 220, and 220 - 20 = 199.\nStep 3: 199 + 1 = 200"
    assert bad_steps(think) == ["220 - 20 = 199"]


def _huge_claims(scale: int) -> str:
    """A power tower, a sum of ``400 * scale`` terms (under MAX_LINE, so it is read) and deep parentheses."""
    terms, depth = 400 * scale, 200 * scale
    return f"9^9^9^9 = 5\n{'1 + ' * terms}1 = {terms + 1}\n{'(' * depth}1{')' * depth} = 1"


@pytest.mark.timeout(60)  # a hang guard only, far above the ~0.1 s this takes; the growth check is the real test
def test_huge_claims_are_bounded():
    assert bad_steps("9^9^9^9 = 5\n" + "1 + " * 5000 + "1 = 5001\n" + "(" * 2000 + "1" + ")" * 2000 + " = 1") == []
    assert bad_steps(_huge_claims(10)) == [] and len(_huge_claims(10).splitlines()[1]) < MAX_LINE
    # Linear, not a wall-clock limit: ten times the terms and parentheses may cost about ten times the time of
    # the short text measured in the same test (a quadratic reader would cost a hundred times).
    assert_linear(bad_steps, _huge_claims(1), _huge_claims(10), before=clear_caches, what="bad_steps")
