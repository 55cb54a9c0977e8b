"""The trace-style knob: classic stays today's trace byte for byte, mix picks a route per problem id (uniformly,
deterministically), a named route is used where a family declares it, and unknown styles are refused."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chukmath.api import generate, render
from chukmath.build.recipe import BuildRecipe, load_recipe
from chukmath.cli.main import app
from chukmath.errors import ConfigError
from chukmath.families import Family, get_family
from chukmath.families.trace_style import CLASSIC, MIX, known_styles, pick_trace, route_index, route_name
from chukmath.records import Problem
from chukmath.teach.builtin import BUILTIN_MODEL, builtin_model, builtin_trace, check_trace_style


def _problem(pid: str) -> Problem:
    return Problem(
        id=pid, generator="demo", difficulty=1, seed=0, index=0, question="1 + 1?", expression="1 + 1", answer="2"
    )


def _family(**routes: object) -> Family:
    base = get_family("arithmetic")
    return replace(base, routes={name: (lambda p, n=name: n) for name in routes})


def test_route_index_is_uniform_and_deterministic() -> None:
    ids = [f"problem-{i}" for i in range(6000)]
    counts = Counter(route_index(i, 3) for i in ids)
    assert set(counts) == {0, 1, 2}
    assert all(1800 < c < 2200 for c in counts.values()), counts
    assert [route_index(i, 3) for i in ids[:50]] == [route_index(i, 3) for i in ids[:50]]
    with pytest.raises(ValueError):
        route_index("x", 0)


def test_mix_picks_by_sorted_name_not_declaration_order() -> None:
    one, two = _family(b=1, a=1, c=1), _family(c=1, a=1, b=1)
    for i in range(30):
        p = _problem(f"id-{i}")
        assert route_name(one, p.id, MIX) == route_name(two, p.id, MIX)
        assert pick_trace(one, p, MIX)(p) == route_name(one, p.id, MIX)


def test_classic_named_and_missing_routes() -> None:
    fam = _family(left=1, right=1)
    p = _problem("x")
    assert pick_trace(fam, p, CLASSIC) is fam.trace
    assert pick_trace(fam, p, "left")(p) == "left"
    assert pick_trace(fam, p, "elsewhere") is fam.trace  # a route of another family: this one writes classic
    assert pick_trace(_family(), p, MIX) is _family().trace  # no routes: classic under every style


def test_route_names_are_checked() -> None:
    for bad in ("mix", "classic", "Left", "two words", ""):
        with pytest.raises(ConfigError, match="route name"):
            _family(**{bad: 1})


def test_classic_is_the_default_and_unchanged() -> None:
    for family in ("arithmetic", "linear_system", "quadratic", "calculus"):
        for p in generate(family, count=5, seed=3, difficulty=2):
            assert builtin_trace(p) == builtin_trace(p, CLASSIC) == get_family(family).trace(p)
    assert builtin_model() == BUILTIN_MODEL and builtin_model("mix") == f"{BUILTIN_MODEL}+mix"


def test_unknown_style_is_refused_with_the_choices() -> None:
    assert check_trace_style("mix") == "mix"
    with pytest.raises(ConfigError, match=r"unknown trace style 'mixed'.*classic, mix"):
        check_trace_style("mixed")
    assert known_styles([])[:2] == [CLASSIC, MIX]


def test_recipe_key_defaults_to_classic_and_dumps_as_before(tmp_path: Path) -> None:
    body = 'name = "t"\ncount = 3\n[[mix]]\ngenerator = "arithmetic"\n'
    plain = tmp_path / "plain.toml"
    plain.write_text(body)
    recipe = load_recipe(plain)
    assert recipe.teacher.trace_style == CLASSIC
    assert "trace_style" not in recipe.model_dump(mode="json")["teacher"]  # old run directories still resume
    mixed = tmp_path / "mixed.toml"
    mixed.write_text(body + '[teacher]\ntrace_style = "mix"\n')
    loaded = load_recipe(mixed)
    assert loaded.model_dump(mode="json")["teacher"]["trace_style"] == MIX
    assert loaded.fingerprint({}) != recipe.fingerprint({})
    assert recipe.with_overrides(trace_style="mix").fingerprint({}) == loaded.fingerprint({})
    bad = tmp_path / "bad.toml"
    bad.write_text(body + '[teacher]\ntrace_style = "fancy"\n')
    with pytest.raises(ConfigError, match="fancy"):
        load_recipe(bad)
    assert isinstance(recipe, BuildRecipe)


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def test_teach_and_build_take_a_trace_style_flag(tmp_path: Path) -> None:
    runner = CliRunner()
    problems = list(generate("linear_system", count=4, seed=2, difficulty=2))
    _write_jsonl(tmp_path / "problems.jsonl", [p.to_dict() for p in problems])
    _write_jsonl(tmp_path / "requests.jsonl", [r.to_dict() for r in render(problems)])
    args = ["teach", "--requests", str(tmp_path / "requests.jsonl"), "--problems", str(tmp_path / "problems.jsonl"),
            "--quiet"]  # fmt: skip
    taught = runner.invoke(app, [*args, "--out", str(tmp_path / "cramer.jsonl"), "--trace-style", "cramer"])
    assert taught.exit_code == 0, taught.output
    lines = [json.loads(line) for line in (tmp_path / "cramer.jsonl").read_text().splitlines()]
    assert {line["model"] for line in lines} == {"chukmath-builtin-1+cramer"}
    assert all("Cramer's rule" in line["content"] for line in lines)
    refused = runner.invoke(app, [*args, "--out", str(tmp_path / "bad.jsonl"), "--trace-style", "guess"])
    assert refused.exit_code != 0 and "unknown trace style 'guess'" in str(refused.exception)
    recipe = tmp_path / "r.toml"
    recipe.write_text('name = "r"\ncount = 10\n[[mix]]\ngenerator = "quadratic"\ndifficulty = 1\n')
    built = runner.invoke(app, ["build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--quiet",
                                "--trace-style", "factoring"])  # fmt: skip
    assert built.exit_code == 0, built.output
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["model"] == "chukmath-builtin-1+factoring"
    assert "by factoring" in (tmp_path / "run" / "train.jsonl").read_text()
