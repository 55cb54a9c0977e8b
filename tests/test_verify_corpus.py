"""The project's own answer-equivalence corpus (tests/corpus/answers.jsonl): every verdict, and no false accept.

Each line is a case written for this project: ``gold`` (an exact answer as chukmath writes it, sympy ``str()``;
a few golds are LaTeX percents), ``prediction`` (what a person or a model wrote), ``match`` (the verdict the
verifier must give), with the problem's ``question`` where the verdict depends on it and the approximation
``policy`` (``exact`` unless stated). ``also`` lists values a prediction equals beyond the golds it matches.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sympy

from chukmath.verify import answers_match
from chukmath.verify.tolerance import Tolerance

CORPUS = Path(__file__).parent / "corpus" / "answers.jsonl"
CASES: list[dict[str, Any]] = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
CATEGORIES = {
    "whole_solution", "digit_groups", "decimal_comma", "currency", "units", "percent", "wrappers", "approximation",
    "expressions", "inequality_vs_number", "sets", "intervals", "complex", "matrices",
}  # fmt: skip


def _id(case: dict[str, Any]) -> str:
    return f"{case['category']}:{case['gold']}<-{case['prediction'][:40]!r}"


def test_the_corpus_covers_every_category_both_ways() -> None:
    assert len(CASES) >= 300
    counts = Counter((c["category"], c["match"]) for c in CASES)
    assert {c["category"] for c in CASES} == CATEGORIES
    for category in CATEGORIES:
        assert counts[category, True] >= 2 and counts[category, False] >= 2, category
    assert len({(c["gold"], c["prediction"], c.get("question", ""), c.get("policy", "")) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_case_gets_its_verdict(case: dict[str, Any]) -> None:
    tolerance = Tolerance.from_spec(case.get("policy", "exact"))
    got = answers_match(case["prediction"], case["gold"], question=case.get("question", ""), tolerance=tolerance)
    assert got == case["match"]


@cache
def _values(gold: str) -> tuple[Any, ...]:
    """What a gold may equal: its sympy value (a LaTeX percent gold: its number of percent, and that over 100)."""
    if gold.endswith("\\%"):
        number = sympy.sympify(gold[:-2])
        return (number, number / 100)
    return (sympy.sympify(gold),)  # our own gold text, never a prediction


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    if isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr):
        return sympy.simplify(a - b) == 0
    return False


def _equal_golds(a: str, b: str) -> bool:
    return any(_same(x, y) for x in _values(a) for y in _values(b))


def test_no_prediction_is_accepted_for_a_gold_it_does_not_equal() -> None:
    """Every gold against every other case's prediction (no question, exact policy): an accepted pair is one the
    corpus says is equal — the prediction matches an equal gold in its own case, or ``also`` names that value."""
    golds = sorted({c["gold"] for c in CASES})
    equal_to: dict[str, set[str]] = {}
    for case in CASES:
        known = equal_to.setdefault(case["prediction"], set())
        known.update(case.get("also", []))
        if case["match"] and not case.get("question") and case.get("policy", "exact") == "exact":
            known.add(case["gold"])
    predictions = sorted({c["prediction"] for c in CASES})
    false_accepts = []
    for gold in golds:
        for prediction in predictions:
            if answers_match(prediction, gold) and not any(
                _equal_golds(gold, known) for known in equal_to[prediction]
            ):
                false_accepts.append((gold, prediction))
    assert not false_accepts, false_accepts[:10]
