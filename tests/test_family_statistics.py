"""statistics: answers recomputed with the standard library's statistics module, traces verified, runs reproducible."""

from __future__ import annotations

import statistics
from fractions import Fraction

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "statistics"


def _stdlib(p: Problem) -> str:
    m = p.meta
    kind = m["kind"]
    if kind == "missing":
        # the answer is right exactly when it brings the mean to the stated value
        given = Fraction(p.answer)
        ok = given.denominator == 1 and statistics.mean([*map(Fraction, m["known"]), given]) == m["mean"]
        return p.answer if ok else "not the missing value"
    data = [Fraction(x) for x in m["data"]]
    value = {
        "mean": statistics.mean,
        "median": statistics.median,
        "mode": statistics.mode,
        "range": lambda d: max(d) - min(d),
        "variance": statistics.pvariance,
    }[kind](data)
    return str(Fraction(value))


def test_answers_traces_and_stdlib() -> None:
    check_family(NAME, _stdlib)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_modes_are_unique_and_every_kind_appears() -> None:
    problems = list(generate(NAME, seed=1, count=300))
    assert {p.meta["kind"] for p in problems} == {"mean", "median", "mode", "range", "variance", "missing"}
    for p in problems:
        if p.meta["kind"] == "mode":
            assert len(statistics.multimode(p.meta["data"])) == 1
