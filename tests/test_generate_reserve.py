"""Reserved questions when a family's streams overlap (issue 21): a stream whose space lies inside another's, or
equals it, still gets its share, and what the plan check says a stream can give is what it gives."""

from __future__ import annotations

from collections import Counter

import pytest

from chukmath.errors import ConfigError
from chukmath.generate import generate_mix, parse_mix
from chukmath.generate.reserve import share


def test_share_keeps_what_only_one_holds_and_splits_the_rest_by_weight() -> None:
    inner, outer = set(range(100)), set(range(160))
    even = share({0: inner, 1: outer}, {0: 1.0, 1: 1.0})
    assert len(even[0]) == len(even[1]) == 80  # outer keeps its 60 and the common 100 are split 20 / 80
    assert even[0] <= inner and not even[0] & even[1] and even[0] | even[1] == outer
    equal = share({0: inner, 1: set(inner), 2: set(inner)}, {0: 1.0, 1: 1.0, 2: 2.0})
    assert [len(equal[g]) for g in (0, 1, 2)] == [25, 25, 50]  # the same space, split by weight, none left empty
    apart = share({0: {1, 2}, 1: {3}}, {0: 1.0, 1: 5.0})
    assert apart == {0: frozenset({1, 2}), 1: frozenset({3})}
    assert share({0: inner, 1: outer}, {0: 1.0, 1: 1.0}) == even  # a function of the sets and weights


def test_trig_values_at_every_difficulty_in_one_mix() -> None:
    # Difficulties 2 and 3 make the same 552 questions (only the share in radians differs) and difficulty 1's 384
    # lie inside them: the old rule (the smallest listing owns, the earlier entry on a tie) left difficulty 3 with
    # nothing, so every build mixing trig_values at 1-5 stopped with "can give 0 distinct questions".
    mix = parse_mix({"mix": [{"generator": "trig_values", "difficulty": d} for d in range(1, 6)]}, "trig.toml")
    run = generate_mix(mix, seed=3, count=800)
    assert [s.owned for s in run.streams[:3]] == [184, 184, 184]  # 552 common questions, three equal weights
    assert run.streams[3].owned is not None and run.streams[3].owned > 3000 and run.streams[4].owned is None
    assert run.check() == []
    rows = list(run.rows())
    assert len({r["question"] for r in rows}) == 800
    assert min(Counter(r["difficulty"] for r in rows).values()) > 130
    # One more item asks 185 of difficulty 1; lowering its weight alone would shrink its part of the common
    # questions too, so the advice names every entry that shares them.
    with pytest.raises(ConfigError) as failed:
        generate_mix(mix, seed=3, count=850).check()
    assert "can give 184 distinct questions (exact: its own questions in this mix) but 185 are asked" in str(
        failed.value
    )
    assert "lower the weights of [[mix]] entries 1, 2, 3, 4 together" in str(failed.value)
