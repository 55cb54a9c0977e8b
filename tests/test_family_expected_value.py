"""expected_value: answers recomputed by simulating every equally likely outcome, traces verified, runs reproducible."""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "expected_value"


def _outcomes(p: Problem) -> str:
    """Spell the experiment out as a list of equally likely outcomes and average them."""
    m = p.meta
    kind = m["kind"]
    if kind == "die":
        outcomes = list(m["faces"])
    elif kind == "trials":
        # one try as q equally likely outcomes, n tries summed: the mean of a sum is the sum of the means
        prob = Fraction(m["p"])
        one = [1] * prob.numerator + [0] * (prob.denominator - prob.numerator)
        return str(Fraction(sum(one) * m["n"], len(one)))
    elif kind == "raffle":
        outcomes = [prize - m["cost"] for prize in m["prizes"]]
        outcomes += [-m["cost"]] * (m["tickets"] - len(m["prizes"]))
    else:
        probs = [Fraction(x) for x in m["probs"]]
        assert sum(probs) == 1
        d = lcm(*(x.denominator for x in probs))
        outcomes = [v for v, x in zip(m["values"], probs, strict=True) for _ in range(int(x * d))]
    return str(Fraction(sum(outcomes), len(outcomes)))


def test_answers_traces_and_outcome_lists() -> None:
    check_family(NAME, _outcomes)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears_and_games_can_lose() -> None:
    problems = list(generate(NAME, seed=1, count=300))
    assert {p.meta["kind"] for p in problems} == {"die", "game", "trials", "raffle"}
    assert any(Fraction(p.answer) < 0 for p in problems)
