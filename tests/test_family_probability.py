"""probability: answers recomputed by enumerating the sample space (itertools), traces verified, runs reproducible."""

from __future__ import annotations

import itertools
from fractions import Fraction

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "probability"
_CARDS = {"hearts": lambda r, s: s == "H", "aces": lambda r, s: r == 1, "red cards": lambda r, s: s in "HD",
          "face cards (jacks, queens or kings)": lambda r, s: r > 10, "kings": lambda r, s: r == 13,
          "black queens": lambda r, s: r == 12 and s in "SC", "spades": lambda r, s: s == "S",
          "red face cards": lambda r, s: r > 10 and s in "HD",
          "number cards from 2 to 10": lambda r, s: 2 <= r <= 10}  # fmt: skip
DECK = [(r, s) for r in range(1, 14) for s in "HDSC"]


def _enumerate(p: Problem) -> str:
    m = p.meta
    kind = m["kind"]
    if kind == "dice":
        rolls = list(itertools.product(range(1, 7), repeat=2))
        hit = [r for r in rolls if (sum(r) >= m["target"] if m["at_least"] else sum(r) == m["target"])]
        return str(Fraction(len(hit), len(rolls)))
    if kind == "coins":
        flips = list(itertools.product("HT", repeat=m["n"]))
        return str(Fraction(sum(1 for f in flips if f.count("H") == m["k"]), len(flips)))
    if kind == "urn":
        balls = ["a"] * m["a"] + ["b"] * m["b"]
        idx = range(len(balls))
        draws = list(itertools.product(idx, idx) if m["replace"] else itertools.permutations(idx, 2))
        want = {"both_a": ("a", "a"), "both_b": ("b", "b")}.get(m["event"])
        hits = [d for d in draws if (tuple(balls[i] for i in d) == want if want else balls[d[0]] != balls[d[1]])]
        return str(Fraction(len(hits), len(draws)))
    if kind == "cards":
        good = _CARDS[m["what"]]
        if m["two"]:
            pairs = list(itertools.permutations(DECK, 2))
            return str(Fraction(sum(1 for a, b in pairs if good(*a) and good(*b)), len(pairs)))
        return str(Fraction(sum(1 for c in DECK if good(*c)), 52))
    die, rolls, face = m["die"], m["rolls"], m["face"]
    if die**rolls <= 200_000:
        seqs = itertools.product(range(1, die + 1), repeat=rolls)
        return str(Fraction(sum(1 for s in seqs if face in s), die**rolls))
    # inclusion-exclusion over how many rolls show the face
    total = sum((-1) ** (j + 1) * Fraction(itertools_comb(rolls, j), die**j) for j in range(1, rolls + 1))
    return str(total)


def itertools_comb(n: int, k: int) -> int:
    return sum(1 for _ in itertools.combinations(range(n), k))


def test_answers_traces_and_enumeration() -> None:
    check_family(NAME, _enumerate)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME, count=200)


def test_every_kind_appears_and_answers_are_probabilities() -> None:
    problems = list(generate(NAME, seed=1, count=300))
    assert {p.meta["kind"] for p in problems} == {"dice", "coins", "urn", "cards", "at_least_one"}
    assert all(0 <= Fraction(p.answer) <= 1 for p in problems)
