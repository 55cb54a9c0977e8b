"""sequences: answers recomputed by listing the terms one by one, traces verified, runs reproducible."""

from __future__ import annotations

from fractions import Fraction

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "sequences"


def _walk(p: Problem) -> str:
    """Generate the terms by repeated addition or multiplication, never by a closed formula."""
    m = p.meta
    kind = m["kind"]
    if kind == "two_terms":
        # find the (whole) difference by trying candidates until it carries term p to term q
        span = m["q"] - m["p"]
        d = next(Fraction(x) for x in range(-(10**4), 10**4) if m["ap"] + x * span == m["aq"])
        term, index = Fraction(m["ap"]), m["p"]
        while index > 1:
            term, index = term - d, index - 1
        terms = [term]
        while len(terms) < m["n"]:
            terms.append(terms[-1] + d)
        return str(terms[-1])
    terms = [Fraction(m["a"])]
    step = m.get("d")
    ratio = Fraction(m["r"]) if "r" in m else None
    while len(terms) < m["n"]:
        terms.append(terms[-1] + step if ratio is None else terms[-1] * ratio)
    return str(sum(terms) if kind.endswith("sum") else terms[-1])


def test_answers_traces_and_term_lists() -> None:
    check_family(NAME, _walk)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_every_kind_appears() -> None:
    kinds = {p.meta["kind"] for p in generate(NAME, seed=1, count=200)}
    assert kinds == {"arith_term", "arith_sum", "geom_term", "geom_sum", "two_terms"}
