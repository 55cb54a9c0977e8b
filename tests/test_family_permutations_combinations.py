"""permutations_combinations: answers recomputed by brute force (itertools), traces verified, runs reproducible."""

from __future__ import annotations

import itertools
from math import prod

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "permutations_combinations"


def _count(p: Problem) -> str:
    m = p.meta
    kind = m["kind"]
    if kind == "factorial":
        n = m["n"]
        return str(sum(1 for _ in itertools.permutations(range(n)))) if n <= 8 else str(prod(range(1, n + 1)))
    if kind == "npr":
        n, r = m["n"], m["r"]
        return (
            str(sum(1 for _ in itertools.permutations(range(n), r))) if n <= 12 else str(prod(range(n - r + 1, n + 1)))
        )
    if kind == "ncr":
        n, r = m["n"], m["r"]
        if n <= 16:
            return str(sum(1 for _ in itertools.combinations(range(n), r)))
        row = [1]  # Pascal's triangle
        for _ in range(n):
            row = [a + b for a, b in zip([0, *row], [*row, 0], strict=True)]
        return str(row[r])
    if kind == "repeats":
        items = [c for c, k in zip(m["colours"], m["counts"], strict=True) for _ in range(k)]
        if len(items) <= 9:
            return str(len(set(itertools.permutations(items))))
        # multinomial as a product of binomials, counted by Pascal's rule
        total, left = 1, len(items)
        for k in m["counts"]:
            row = [1]
            for _ in range(left):
                row = [a + b for a, b in zip([0, *row], [*row, 0], strict=True)]
            total *= row[k]
            left -= k
        return str(total)
    return str(m["m"] ** m["k"])


def test_answers_traces_and_recount() -> None:
    check_family(NAME, _count)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_difficulty_grows_and_every_kind_appears() -> None:
    easy = [int(p.answer) for p in generate(NAME, seed=1, count=200, difficulty=1)]
    hard = [int(p.answer) for p in generate(NAME, seed=1, count=200, difficulty=5)]
    assert max(easy) < max(hard)
    assert {p.meta["kind"] for p in generate(NAME, seed=1, count=200)} == {
        "factorial",
        "npr",
        "ncr",
        "repeats",
        "codes",
    }
