"""bench/trace_claims.py counts what it says: claims a trace, multi-digit claims (two or more numbers of two or more
digits on the left of "=") and claims holding a number of three or more digits."""

from __future__ import annotations

from types import ModuleType

import pytest
from conftest import bench_module


@pytest.fixture(scope="module")
def trace_claims() -> ModuleType:
    return bench_module("trace_claims")  # its sibling trace_variety imports by name


def test_claims_are_classified_by_their_numbers(trace_claims: ModuleType) -> None:
    profile = trace_claims.ClaimProfile()
    profile.add(["216 - 80 = 136", "11 - 8 = 3", "7 × 12 = 84", "(-50) - (-20) = -30"])
    profile.add(["1190 mod 87 = 59"])
    # multi-digit: 216 - 80, (-50) - (-20), 1190 mod 87; long numbers (3+ digits): 216 - 80, 1190 mod 87
    assert (profile.traces, profile.claims, profile.multi_digit, profile.long_numbers) == (2, 5, 3, 2)
    assert profile.row() == (2.5, 1.5, 0.4)


def test_profile_reads_the_checked_claims_of_a_trace(trace_claims: ModuleType) -> None:
    trace = (
        "<think>\nWe add.\n216 - 80 = 136\nSo 136 is left.\nCheck: 136 + 80 = 216\n</think>\n"
        "<answer>136</answer>\n<verifier_answer>136</verifier_answer>"
    )
    profile = trace_claims.profile([trace])
    assert (profile.traces, profile.claims, profile.multi_digit, profile.long_numbers) == (1, 2, 2, 2)


def test_mix_traces_carry_more_claims_than_classic_on_the_same_problems(trace_claims: ModuleType) -> None:
    from chukmath.teach.builtin import builtin_trace

    problems = trace_claims.problems_of("arithmetic", 30, [1, 2, 3])
    classic = trace_claims.profile([builtin_trace(p) for p in problems])
    mixed = trace_claims.profile([builtin_trace(p, "mix") for p in problems])
    assert classic.traces == mixed.traces == 30
    assert mixed.claims > classic.claims > 0
