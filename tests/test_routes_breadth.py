"""Solution routes of multi_step_word, inequalities and vectors_matrices (issue 21): every route over difficulties
1-5 is accepted by the verifier with every claim checked, is deterministic, and has a check step (another route to
the answer) that a wrong answer makes false; ``mix`` spreads problems over the routes and ``classic`` is unchanged."""

from __future__ import annotations

import pytest
from route_checks import check_family_routes, check_wiring

FAMILIES = ("multi_step_word", "inequalities", "vectors_matrices")


@pytest.mark.parametrize("name", FAMILIES)
def test_routes_are_correct_deterministic_and_checked(name: str) -> None:
    check_family_routes(name)


@pytest.mark.parametrize("name", FAMILIES)
def test_routes_are_what_the_builtin_teacher_writes(name: str) -> None:
    check_wiring(name)
