"""multi_step_word: answers recomputed by each scenario's closed formula from its parameters (not the recorded
steps), numbers checked against the question text, traces verified, runs reproducible."""

from __future__ import annotations

import re

from test_family_support import check_family, check_runs

from chukmath.generate import generate
from chukmath.records import Problem

NAME = "multi_step_word"


def _formula(p: Problem) -> str:
    s, q = p.meta["params"], p.meta["scenario"]
    numbers = {int(n) for n in re.findall(r"\d+", p.question)}
    assert {v for v in s.values() if v != 1} <= numbers | {1}, (s, p.question)  # every parameter is in the story
    if q == "bakery":
        boxes = (s["trays"] * s["per"] - s["sold"]) // s["box"]
        return str(boxes * s["price"] if "price" in s else boxes)
    if q == "savings":
        left = s["wage"] * s["weeks"] - s["game"] - s["book"]
        return str(2 * left - 10 if "extra" in s else left)
    if q == "road_trip":
        gallons = (s["v1"] * s["h1"] + s["v2"] * s["h2"]) // s["mpg"]
        return str(gallons * s["price"] if "price" in s else gallons)
    if q == "garden":
        kept = s["rows"] * s["per"] * (s["k"] - 1) // s["k"]
        return str((kept + s["more"]) // 2 if "more" in s else kept)
    if q == "supplies":
        cost = s["kids"] * (s["nb"] * s["nb_cost"] + s["pens"] * s["pen_cost"])
        return str(s["budget"] - cost if "budget" in s else cost)
    return str(s["pages"] - s["per"] * (s["d1"] + 2 * s["d2"]))


def test_answers_traces_and_formulas() -> None:
    check_family(NAME, _formula)


def test_runs_are_reproducible_sliceable_and_distinct() -> None:
    check_runs(NAME)


def test_steps_grow_and_distractors_appear_with_difficulty() -> None:
    easy = list(generate(NAME, seed=1, count=200, difficulty=1))
    hard = list(generate(NAME, seed=1, count=200, difficulty=5))
    assert min(len(p.meta["steps"]) for p in easy) >= 3 and max(len(p.meta["steps"]) for p in hard) >= 6
    assert sum(len(p.meta["steps"]) for p in hard) > sum(len(p.meta["steps"]) for p in easy)
    assert all(len(p.question) > len(" ".join(p.question.split(".")[:1])) for p in hard)
    assert {p.meta["scenario"] for p in hard} == {"bakery", "savings", "road_trip", "garden", "supplies", "reading"}
