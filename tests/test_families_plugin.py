"""A family from another distribution, registered through the ``chukmath.families`` entry-point group, runs
through ``chukmath generate``, ``build`` (built-in teacher), ``stats`` and ``generators list`` with no change to
chukmath. The distribution is a plain folder on PYTHONPATH with its ``.dist-info`` (what pip would install)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import orjson
import pytest

CHUKMATH = str(Path(sys.executable).parent / "chukmath")

TINY = '''
"""``doubling``: twice a whole number, a family that lives outside chukmath."""

from dataclasses import dataclass

from chukmath.families import Family, param
from chukmath.families.common.format import OP_MUL, assemble, step
from chukmath.families.common.present import number_forms


@dataclass(frozen=True)
class DoublingConfig:
    max_value: int = param(50, "largest number to double", min=1, max=10**6)


def draw(config, rng):
    n = rng.randint(1, config.max_value)
    return f"What is twice {n}?", (f"2 * {n}", str(2 * n), {"operations": "*"})


def trace(problem):
    n = int(problem.expression.split("*")[1])
    line, value = step(2, OP_MUL, n)
    return assemble([f"Twice {n} is 2 times {n}.", line], f"The answer is {value}.", str(value))


FAMILY = Family(
    name="doubling",
    description="Twice a whole number (a plugin family).",
    config_cls=DoublingConfig,
    presets={1: {"max_value": 10}, 5: {"max_value": 100000}},
    draw=draw,
    trace=trace,
    present=number_forms,
)
'''


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = tmp_path_factory.mktemp("site")
    (site / "tiny_family.py").write_text(textwrap.dedent(TINY))
    info = site / "tiny_family-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-family\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[chukmath.families]\ndoubling = tiny_family:FAMILY\n")
    # A second, broken plugin: it must not take the other families down, and naming it says why it failed.
    broken = site / "broken_family-0.1.dist-info"
    broken.mkdir()
    (broken / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-family\nVersion: 0.1\n")
    (broken / "entry_points.txt").write_text("[chukmath.families]\nbroken = no_such_module:FAMILY\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH", "")) if p)
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([CHUKMATH, *args], capture_output=True, text=True, timeout=300, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return result


def test_generators_list_shows_the_plugin(plugin_env: dict[str, str]) -> None:
    # The full listing (every family's question counts, ~4 s of CPU) once; the table for the plugin alone.
    listed = orjson.loads(run(plugin_env, "generators", "list", "--json").stdout)
    assert {"doubling", "arithmetic", "trig_values"} <= {e["name"] for e in listed}
    doubling = next(e for e in listed if e["name"] == "doubling")
    assert doubling["presets"]["1"] == {"max_value": 10} and doubling["config"][0]["name"] == "max_value"
    assert doubling["capacity"]["1"] == {"questions": 10, "kind": "estimate"}
    table = run(plugin_env, "generators", "list", "doubling").stdout
    assert table.startswith("doubling  Twice a whole number (a plugin family).")
    assert "distinct questions by difficulty: 1: ~10," in table


def test_generate_build_and_stats_with_the_plugin(plugin_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "problems.jsonl"
    run(plugin_env, "generate", "--generator", "doubling", "--count", "8", "--seed", "3", "--difficulty", "1",
        "--out", str(out))  # fmt: skip
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(rows) == 8 and {r["generator"] for r in rows} == {"doubling"}
    assert all(int(r["answer"]) == 2 * int(r["expression"].split("*")[1]) <= 20 for r in rows)

    recipe = tmp_path / "recipe.toml"
    recipe.write_text(textwrap.dedent("""
        name = "plugin-demo"
        count = 30
        seed = 5

        [[mix]]
        generator = "doubling"
        weight = 1

        [[mix]]
        generator = "fractions"
        weight = 1
        difficulty = 2

        [teacher]
        kind = "builtin"
    """))
    run_dir = tmp_path / "run"
    run(plugin_env, "build", "--recipe", str(recipe), "--out", str(run_dir))
    train = [orjson.loads(line) for line in (run_dir / "train.jsonl").read_bytes().splitlines()]
    doubled = [row for row in train if row["generator"] == "doubling"]
    assert len(train) == 30 and doubled, "every problem, the plugin's included, is accepted"
    assert "2 × " in doubled[0]["messages"][1]["content"]
    assert "doubling" in run(plugin_env, "stats", str(run_dir)).stdout


def test_a_broken_plugin_is_named_with_its_error(plugin_env: dict[str, str]) -> None:
    result = subprocess.run([CHUKMATH, "generate", "--generator", "broken", "--count", "1", "--out", "-"],
                            capture_output=True, text=True, timeout=120, env=plugin_env, check=False)  # fmt: skip
    assert result.returncode == 2
    assert "broken = no_such_module:FAMILY (from broken-family) failed: ModuleNotFoundError" in result.stderr


def test_without_the_plugin_the_name_is_unknown(tmp_path: Path) -> None:
    result = subprocess.run([CHUKMATH, "generate", "--generator", "doubling", "--count", "1", "--out", "-"],
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 2 and "unknown generator 'doubling'" in result.stderr
