"""Matrix and vector answers: every natural way of writing one is accepted, other matrices, other shapes and
other vectors are not, and matrix lines in a trace are not read as false arithmetic claims."""

from __future__ import annotations

import time

import pytest

from chukmath.verify.answers import answers_match, judge_answer
from chukmath.verify.matrices import find_matrices, matrix_verdict, parse_expected_matrix
from chukmath.verify.steps import check_steps

M = "Matrix([[1, 2], [3, 4]])"
INV = "Matrix([[-2, 1], [3/2, -1/2]])"
V = "Matrix([[1, -2, 3]])"

TRUE = [
    ("[[1, 2], [3, 4]]", M), ("Matrix([[1, 2], [3, 4]])", M), ("[1, 2; 3, 4]", M),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", M), ("\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}", M),
    ("\\begin{matrix} 1 & 2 \\\\ 3 & 4 \\\\ \\end{matrix}", M),
    ("$$\\begin{Bmatrix} 1 & 2 \\\\ 3 & 4 \\end{Bmatrix}$$", M),
    ("\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]", M),
    ("The product is AB = [[1, 2], [3, 4]].", M), ("AB = \\boxed{\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}}", M),
    ("[[-2, 1], [3/2, -1/2]]", INV), ("[[-2, 1], [1.5, -0.5]]", INV),
    ("\\begin{pmatrix} -2 & 1 \\\\ \\frac{3}{2} & -\\frac{1}{2} \\end{pmatrix}", INV),
    ("\\begin{pmatrix} -2 & 1 \\\\ \\dfrac{3}{2} & \\frac{-1}{2} \\end{pmatrix}", INV),
    ("\\begin{pmatrix} -2 & 1 \\\\ \\tfrac32 & -\\frac12 \\end{pmatrix}", INV),
    ("A^{-1} = \\frac{1}{-2}\\begin{pmatrix} 4 & -2 \\\\ -3 & 1 \\end{pmatrix}", INV),
    ("A^{-1} = -\\frac{1}{2} \\begin{pmatrix} 4 & -2 \\\\ -3 & 1 \\end{pmatrix}", INV),
    ("-1/2 [[4, -2], [-3, 1]]", INV),
    ("A^{-1} = -\\left(\\begin{pmatrix} 2 & -1 \\\\ -3/2 & 1/2 \\end{pmatrix}\\right)", INV),
    ("(1, -2, 3)", V), ("[1, -2, 3]", V), ("\\langle 1, -2, 3 \\rangle", V), ("⟨1,-2,3⟩", V), ("<1, -2, 3>", V),
    ("\\left( 1, -2, 3 \\right)", V), ("\\begin{pmatrix} 1 \\\\ -2 \\\\ 3 \\end{pmatrix}", V),
    ("\\begin{pmatrix} 1 & -2 & 3 \\end{pmatrix}", V), ("[[1], [-2], [3]]", V), ("Matrix([[1, -2, 3]])", V),
    ("So u + v = (1, -2, 3).", V), ("$\\vec{w} = \\langle \\frac{2}{2}, −2, 3 \\rangle$", V),
    ("(1/2, 0)", "Matrix([[1/2, 0]])"), ("(\\frac12, 0)", "Matrix([[1/2], [0]])"),
]  # fmt: skip
FALSE = [
    ("[[1, 2], [3, 5]]", M), ("[[1, 3], [2, 4]]", M), ("[1, 2, 3, 4]", M), ("(1, 2, 3, 4)", M), ("[[1, 2]]", M),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\\\ 5 & 6 \\end{pmatrix}", M), ("2[[1, 2], [3, 4]]", M),
    ("[[1, 2], [3, 4]] is wrong; it is [[0, 0], [0, 0]]", M), ("[[4, -2], [-3, 1]]", INV),
    ("\\frac{1}{2}\\begin{pmatrix} 4 & -2 \\\\ -3 & 1 \\end{pmatrix}", INV), ("[[-2, 1], [1.5, -0.4]]", INV),
    ("(1, 2, 3)", V), ("(3, -2, 1)", V), ("(1, -2)", V), ("(1, -2, 3, 0)", V), ("[[1, -2], [3, 0]]", V),
    ("\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}", M), ("[[1, x], [3, 4]]", M),
]  # fmt: skip


@pytest.mark.parametrize(("candidate", "expected"), TRUE)
def test_every_natural_form_matches(candidate: str, expected: str) -> None:
    assert answers_match(candidate, expected)


@pytest.mark.parametrize(("candidate", "expected"), FALSE)
def test_other_matrices_shapes_and_vectors_do_not(candidate: str, expected: str) -> None:
    assert not answers_match(candidate, expected)


def test_no_matrix_is_unparseable_and_scalar_answers_are_untouched() -> None:
    assert judge_answer("I could not invert it", M) == "unparseable"
    assert judge_answer("[[1, 2], [3, 4]]", "10") != "correct"
    assert answers_match("(1, 2)", "{x: 1, y: 2}") and answers_match("{1, 2}", "{1, 2}")


def _scan_unclosed(n: int) -> float:
    """Seconds (best of three) to scan never-closed tuples, lists and angle vectors of about ``n`` entries."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in ("(" + "1, " * n, "(" + "- 1 ,  " * n, "[[1, 2], " * (n // 4), "<1, " * (n // 2)):
            assert find_matrices(text) is not None
        best = min(best, time.perf_counter() - started)
    return best


def test_expected_text_and_bounded_scanning() -> None:
    assert parse_expected_matrix("Matrix([1, 2, 3])") == parse_expected_matrix("Matrix([[1], [2], [3]])")
    assert parse_expected_matrix("Matrix([[1, 2], [3]])") is None  # ragged
    assert parse_expected_matrix("Matrix([[sqrt(2), 1]])") is None  # not rational: the general path decides
    many = "\\begin{pmatrix} 1 " * 5000  # never closed: one failed search, not one per \begin
    assert find_matrices(many) == []
    # Never closed: no backtracking over the spaces between entries. Linear, not a wall-clock limit: ten times the
    # entries may cost about ten times the time of the short texts timed in the same test (a quadratic or
    # exponential reader would cost a hundred times or more).
    assert _scan_unclosed(20000) < 35 * _scan_unclosed(2000) + 0.01
    assert judge_answer("[[1, 2], [3, 4]] " * 200, M) == "correct"
    assert matrix_verdict("[[1, 2], [3, 4]] " * 3000, M) == "correct"  # the reader alone, past the extraction cap


TRACE_LINES = [
    "So AB = [[19, 22], [43, 50]].",
    "[[1, 2], [3, 4]] + [[5, 6], [7, 8]] = [[6, 8], [10, 12]]",
    "(1, 2) + (3, 4) = (4, 6)",
    "2(1, 2, 3) - (0, 1, 1) = (2, 3, 5)",
    "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\begin{pmatrix} 5 \\\\ 6 \\end{pmatrix} = "
    "\\begin{pmatrix} 17 \\\\ 39 \\end{pmatrix}",
    "A^{-1} = \\frac{1}{-2} \\begin{pmatrix} 4 & -2 \\\\ -3 & 1 \\end{pmatrix} = [[-2, 1], [3/2, -1/2]]",
    "The adjugate, rows listed: [[4, -2], [-2, 0]]. Divide every entry by -4:",
    "Row 1 of AB = [1, 2] = 1 × [1, 0] + 2 × [0, 1]",
]


@pytest.mark.parametrize("line", TRACE_LINES)
def test_matrix_lines_are_not_false_claims(line: str) -> None:
    assert check_steps(line).bad == []


def test_a_false_entry_claim_next_to_a_matrix_is_still_caught() -> None:
    assert len(check_steps("Entry (1, 1): [1, 2] with [5, 7]:\n1 × 5 + 2 × 7 = 20").bad) == 1
