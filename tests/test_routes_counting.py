"""Solution routes of the counting and data families (issue 21): every route over difficulties 1-5 is accepted by
the verifier with every claim checked, is deterministic, and has a check step that a wrong answer makes false."""

from __future__ import annotations

import orjson
import pytest
from route_checks import check_family_routes, check_wiring
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.families import get_family
from chukmath.families.trace_style import MIX, route_name
from chukmath.records import Problem

FAMILIES = ("expected_value", "percent_ratio", "permutations_combinations", "probability", "statistics",
            "unit_conversion")  # fmt: skip


@pytest.mark.parametrize("name", FAMILIES)
def test_routes_are_correct_deterministic_and_checked(name: str) -> None:
    check_family_routes(name)


@pytest.mark.parametrize("name", FAMILIES)
def test_routes_are_what_the_builtin_teacher_writes(name: str) -> None:
    check_wiring(name)


def test_a_mix_build_over_the_fifteen_families_accepts_every_problem(tmp_path) -> None:
    """`chukmath build` with the built-in teacher in the mix style: every problem of the fifteen families with
    routes is accepted, and each family's problems are spread over its routes."""
    names = ("complex_numbers", "coordinate_geometry", "expected_value", "functions", "geometry_area", "logarithms",
             "percent_ratio", "permutations_combinations", "polynomial_roots", "probability", "pythagorean",
             "sequences", "statistics", "trig_values", "unit_conversion")  # fmt: skip
    # one difficulty per family, all five levels covered across them (each family's routes at every level are
    # checked above without a build)
    entries = "".join(
        f'[[mix]]\ngenerator = "{n}"\nweight = 1\ndifficulty = {i % 5 + 1}\n' for i, n in enumerate(names)
    )
    count = 9 * len(names)
    recipe = tmp_path / "routes.toml"
    recipe.write_text(f'name = "routes"\ncount = {count}\nseed = 4\n{entries}[teacher]\nkind = "builtin"\n'
                      'trace_style = "mix"\n')  # fmt: skip
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    summary = orjson.loads(result.stdout)
    assert summary["complete"] and summary["problems"] == count == summary["accepted"], summary
    assert (out / "rejects.jsonl").read_bytes() == b""
    train = [orjson.loads(line) for line in (out / "train.jsonl").read_bytes().splitlines()]
    assert {row["generator"] for row in train} == set(names)
    problems = [Problem.from_dict(orjson.loads(line)) for line in (out / "problems.jsonl").read_bytes().splitlines()]
    routes_seen: dict[str, set[str]] = {name: set() for name in names}
    for problem in problems:
        routes_seen[problem.generator].add(route_name(get_family(problem.generator), problem.id, MIX))
    assert all(len(seen) >= 2 for seen in routes_seen.values()), routes_seen
