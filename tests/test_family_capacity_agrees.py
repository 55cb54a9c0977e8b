"""What the plan check says each family can give agrees with what its drawer gives (issue 21): every family at
every difficulty draws a few hundred distinct problems with the check on, and a mix of a family's five
difficulties draws its share from each."""

from __future__ import annotations

from collections import Counter

import pytest

from chukmath.families import DIFFICULTIES, list_families
from chukmath.generate import generate, generate_mix, parse_mix
from chukmath.generate.capacity import family_capacity

PER_DIFFICULTY = 200
MIX_COUNT = 300

NAMES = [f.name for f in list_families()]


@pytest.mark.parametrize("name", NAMES)
def test_the_plan_check_agrees_with_the_drawer(name: str) -> None:
    for difficulty in DIFFICULTIES:
        run = generate(name, seed=11, count=PER_DIFFICULTY, difficulty=difficulty)
        assert run.check() == [], (name, difficulty)
        questions = {row["question"] for row in run.rows()}
        assert len(questions) == PER_DIFFICULTY, (name, difficulty)
        capacity = family_capacity(run.streams[0].family, run.streams[0].config)
        assert capacity.questions >= PER_DIFFICULTY, (name, difficulty, capacity)
    mix = parse_mix({"mix": [{"generator": name, "difficulty": d} for d in DIFFICULTIES]}, f"{name}.toml")
    run = generate_mix(mix, seed=11, count=MIX_COUNT)
    assert run.check() == [], name
    rows = list(run.rows())
    assert len({row["question"] for row in rows}) == MIX_COUNT
    by_level = Counter(row["difficulty"] for row in rows)
    assert sorted(by_level) == list(DIFFICULTIES) and min(by_level.values()) > MIX_COUNT // 10, (name, by_level)


def test_a_listing_that_gave_up_raises_the_estimate_to_what_it_saw() -> None:
    # complex_numbers at difficulty 1 draws its questions with very unequal odds: the sampled estimate says
    # about 3,700, but a listing of the stream meets more questions than a listing may hold (5,000) and stops.
    run = generate("complex_numbers", seed=11, count=4800, difficulty=1)
    stream = run.streams[0]
    capacity = family_capacity(stream.family, stream.config)
    assert capacity.kind == "estimate" and capacity.questions < 4800
    assert run.check() == []
    assert len({row["question"] for row in run.rows()}) == 4800
