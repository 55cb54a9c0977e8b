"""Mixes that never starve (issue 21): question counts per family and difficulty, small streams' questions
reserved for them, and the plan checked against the counts before drawing, with one message that names the
stream, what it can give, what is asked and the recipe key to change."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from chukmath.build.pipeline import build_dataset
from chukmath.build.plan import plan_build
from chukmath.build.recipe import load_recipe
from chukmath.cli.main import app
from chukmath.errors import ConfigError
from chukmath.families import Rng, get_family
from chukmath.families.quadratic.capacity import question_count
from chukmath.generate import capacity as capacity_module
from chukmath.generate import generate, generate_mix, parse_mix
from chukmath.generate.capacity import Capacity, estimate, family_capacity, listed_questions


def quadratic_mix(*weights: float, source: str = "q123.toml"):
    """quadratic at difficulties 1, 2, 3 with these weights: the recipe of issue 21."""
    tables = [{"generator": "quadratic", "difficulty": d, "weight": w} for d, w in zip((1, 2, 3), weights, strict=True)]
    return parse_mix({"mix": tables}, source)


def distinct_drawn(name: str, config: object, candidates: int) -> int:
    family = get_family(name)
    questions = set()
    for c in range(candidates):
        got = family.draw(config, Rng(b"brute force" + c.to_bytes(8, "little")))
        if got is not None:
            questions.add(got[0])
    return len(questions)


def test_quadratic_exact_count_matches_a_brute_force_count() -> None:
    family = get_family("quadratic")
    level1 = family.config(1)
    # Roots -6..6, monic: 91 root pairs, in 6 phrasings; 12,000 draws reach every one of them.
    assert question_count(level1) == 546 == distinct_drawn("quadratic", level1, 12_000)
    assert family_capacity(family, level1) == Capacity(546, "exact")
    # Both branches, non-monic leads and surds: still the count the drawer reaches.
    small = family.config(3, {"max_root": 2, "max_leading": 2, "max_coefficient": 2, "irrational": 0.5})
    assert question_count(small) == 612 == distinct_drawn("quadratic", small, 30_000)
    assert question_count(family.config(5)) is None  # too many combinations: the engine estimates it
    trig = get_family("trig_values")
    assert trig.capacity is not None
    assert trig.capacity(trig.config(1)) == 384 == distinct_drawn("trig_values", trig.config(1), 8_000)


def test_estimates_are_deterministic_and_say_what_they_are() -> None:
    perms = get_family("permutations_combinations")
    level1 = perms.config(1)
    first = estimate(perms, level1)
    assert first == estimate(perms, level1)
    listed = listed_questions(perms, level1, b"k" * 16)
    assert listed is not None
    assert first.kind == "estimate" and abs(first.questions - len(listed)) <= 0.1 * len(listed)
    assert estimate(get_family("linear_system"), get_family("linear_system").config(5)).kind == "at_least"
    capacity_module._CACHE.clear()
    assert family_capacity(perms, level1) == first  # recomputed, same answer


def test_a_small_stream_keeps_its_questions_in_a_mix_and_no_question_repeats() -> None:
    # Before issue 21 the larger difficulties used up difficulty 1's 546 questions: this mix stopped after
    # about 265 difficulty-1 problems although it asks about 430.
    run = generate_mix(quadratic_mix(1, 3, 3), seed=0, count=3000)
    assert run.check() == []
    rows = list(run.rows())
    assert len(rows) == 3000
    assert len({r["question"] for r in rows}) == 3000
    by_level = Counter(r["difficulty"] for r in rows)
    assert 380 < by_level[1] < 480 and by_level[2] > 1100 and by_level[3] > 1100
    level1 = {r["question"] for r in rows if r["difficulty"] == 1}
    others = {r["question"] for r in rows if r["difficulty"] != 1}
    reserved = run.streams[1].forbidden
    assert reserved is not None and len(reserved) == 546 == run.streams[0].owned
    assert not level1 & others


def test_the_new_mix_is_deterministic_in_slices_and_with_workers() -> None:
    mix = quadratic_mix(1, 1, 1)  # difficulty 1 is asked about 500 of its 546 questions
    full = list(generate_mix(mix, seed=4, count=1500).lines())
    assert list(generate_mix(mix, seed=4, count=1500).lines()) == full
    assert list(generate_mix(mix, seed=4, count=500, start=1000).lines()) == full[1000:]
    assert list(generate_mix(mix, seed=4, count=1500).lines(workers=2)) == full


def test_a_plan_over_a_streams_count_fails_before_drawing_naming_the_stream_and_recipe_key(tmp_path: Path) -> None:
    run = generate_mix(quadratic_mix(1, 1, 1), seed=0, count=3000)
    with pytest.raises(ConfigError) as failed:
        run.check()
    message = str(failed.value)
    assert message.startswith(
        "quadratic at difficulty 1 ([[mix]] entry 1 of q123.toml) can give 546 distinct questions "
        "(exact: its own questions in this mix) but 972 are asked (weight 1 of 3 in total over 3,000 items)"
    )
    assert "lower that entry's weight (to at most about 0.422 with the other weights as they are)" in message
    assert "count in a build recipe" in message and "[mix.config] (max_root, max_leading, max_coefficient)" in message
    assert "--set" not in message  # a mix recipe has no such flag
    assert run.streams[0].produced == 0  # nothing was drawn
    recipe = tmp_path / "q123.toml"
    recipe.write_text("".join(f'[[mix]]\ngenerator = "quadratic"\ndifficulty = {d}\n' for d in (1, 2, 3)))
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(app, ["generate", "--recipe", str(recipe), "--count", "3000", "-o", str(out)])
    assert isinstance(result.exception, ConfigError)  # the console script prints it as one line, exit code 2
    assert "can give 546 distinct questions (exact: its own questions in this mix) but 972 are asked" in str(
        result.exception
    )
    assert not out.exists()


def test_a_run_that_runs_dry_while_drawing_says_the_same() -> None:
    run = generate_mix(quadratic_mix(1, 1, 1), seed=0, count=3000)
    with pytest.raises(ConfigError) as failed:
        list(run.rows())
    assert str(failed.value).startswith(
        "quadratic at difficulty 1 ([[mix]] entry 1 of q123.toml) can give 546 distinct questions (it ran dry: "
        "5000 candidates in a row were repeats) but 972 are asked"
    )


def test_a_single_family_names_the_generate_options() -> None:
    with pytest.raises(ConfigError, match=r"^quadratic at difficulty 1 can give 546 distinct questions \(exact\) but "
                       r"600 are asked; ask for fewer problems \(--count\), pick a higher --difficulty, or widen the "
                       r"config with --set \(max_root, max_leading, max_coefficient\)$"):
        generate("quadratic", seed=0, count=600, difficulty=1).check()
    assert generate("quadratic", seed=0, count=540, difficulty=1).check() == []


def test_identical_entries_share_their_questions() -> None:
    tables = [{"generator": "quadratic", "difficulty": 1}, {"generator": "quadratic", "difficulty": 1},
              {"generator": "quadratic", "difficulty": 3, "weight": 2}]
    run = generate_mix(parse_mix({"mix": tables}, "twins.toml"), seed=1, count=900)
    assert run.check() == []
    rows = list(run.rows())
    assert len({r["question"] for r in rows}) == 900
    with pytest.raises(ConfigError, match=r"entry 1 of twins.toml\) can give 546 .* but \d+ are asked"):
        generate_mix(parse_mix({"mix": tables}, "twins.toml"), seed=1, count=1400).check()


def test_generators_list_shows_the_question_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    import chukmath.generate as generate_package

    families = [get_family("quadratic"), get_family("trig_values"), get_family("linear_system")]
    monkeypatch.setattr(generate_package, "list_families", lambda: families)
    result = CliRunner().invoke(app, ["generators", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = {entry["name"]: entry["capacity"] for entry in orjson.loads(result.output)}
    assert listed["quadratic"]["1"] == {"questions": 546, "kind": "exact"}
    assert listed["quadratic"]["5"]["kind"] in ("estimate", "at_least")
    assert listed["linear_system"]["5"]["kind"] == "at_least"  # no hook: sampled
    assert listed["trig_values"]["4"] == {"questions": 4224, "kind": "exact"}
    plain = CliRunner().invoke(app, ["generators", "list"])
    assert "distinct questions by difficulty: 1: 546 (exact), 2: 15,456 (exact)" in plain.output


BUILD = """
name = "q123"
count = {count}
seed = 0
[teacher]
kind = "builtin"
[[mix]]
generator = "quadratic"
difficulty = 1
weight = {weight}
[[mix]]
generator = "quadratic"
difficulty = 2
[[mix]]
generator = "quadratic"
difficulty = 3
"""


def test_build_dry_run_checks_the_mix(tmp_path: Path) -> None:
    recipe = tmp_path / "q123.toml"
    recipe.write_text(BUILD.format(count=3000, weight=1))
    with pytest.raises(ConfigError, match=r"quadratic at difficulty 1 \(\[\[mix\]\] entry 1 of .*q123.toml\) can "
                       r"give 546 distinct questions .* lower that entry's weight"):
        plan_build(load_recipe(recipe), tmp_path / "out")
    with pytest.raises(ConfigError, match=r"can give 546 distinct questions"):  # the real build, before anything
        build_dataset(load_recipe(recipe), tmp_path / "out")
    recipe.write_text(BUILD.format(count=3000, weight=0.3))
    assert plan_build(load_recipe(recipe), tmp_path / "out").warnings == []
    assert not (tmp_path / "out").exists()
