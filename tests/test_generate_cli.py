"""The `generators list` and `generate` commands: output shapes, recipes and one-line errors with exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ChukmathError

CHUKMATH = str(Path(sys.executable).parent / "chukmath")
FAMILIES = {"arithmetic", "fractions", "linear_equation", "linear_system", "quadratic", "number_theory",
            "calculus", "word_problem", "permutations_combinations", "probability", "expected_value", "statistics",
            "percent_ratio", "geometry_area", "pythagorean", "sequences", "vectors_matrices", "functions",
            "logarithms", "complex_numbers", "trig_values", "coordinate_geometry",
            "polynomial_roots", "unit_conversion", "multi_step_word", "inequalities"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHUKMATH, *args], capture_output=True, text=True, timeout=120, check=False)


def cli_error(*args: str) -> str:
    """Run in-process and return the library error's one-line message (`chukmath` prints it, exit code 2)."""
    result = CliRunner().invoke(app, list(args))
    assert isinstance(result.exception, ChukmathError), (result.exception, result.output)
    message = str(result.exception)
    assert "\n" not in message
    return message


def assert_error(message: str, *needles: str) -> None:
    for needle in needles:
        assert needle in message, (needle, message)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


def test_list_json_describes_every_family_with_config_defaults() -> None:
    result = CliRunner().invoke(app, ["generators", "list", "--json"])
    assert result.exit_code == 0, result.output
    listed = orjson.loads(result.stdout)
    assert {f["name"] for f in listed} == FAMILIES
    arithmetic = next(f for f in listed if f["name"] == "arithmetic")
    assert arithmetic["description"]
    fields = {c["name"]: c for c in arithmetic["config"]}
    assert fields["max_value"]["default"] == 100 and fields["max_value"]["type"] == "int"
    assert fields["integer_only"]["default"] is False
    assert arithmetic["presets"]["1"]["operations"] == "+-"


def test_list_table_names_every_family() -> None:
    result = CliRunner().invoke(app, ["generators", "list"])
    assert result.exit_code == 0
    for name in FAMILIES:
        assert name in result.stdout


def test_list_names_only_the_families_asked_for() -> None:
    result = CliRunner().invoke(app, ["generators", "list", "trig_values", "quadratic", "--json"])
    assert result.exit_code == 0, result.output
    listed = orjson.loads(result.stdout)
    assert [f["name"] for f in listed] == ["trig_values", "quadratic"]
    assert listed[0]["capacity"]["1"] == {"questions": 384, "kind": "exact"}
    assert_error(cli_error("generators", "list", "quadratics"), "unknown generator 'quadratics'", "quadratic,")


def test_stdout_carries_only_jsonl() -> None:
    result = run_cli("generate", "-g", "fractions", "-n", "5", "--seed", "1", "--difficulty", "2", "--out", "-")
    assert result.returncode == 0 and result.stderr == ""
    rows = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["index"] for r in rows] == [0, 1, 2, 3, 4]
    assert all(r["generator"] == "fractions" and r["difficulty"] == 2 and r["seed"] == 1 for r in rows)


def test_file_output_prints_a_summary_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "p.jsonl"
    result = run_cli("generate", "-g", "number_theory", "-n", "20", "--set", "kinds=gcd,lcm", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "wrote 20 problems" in result.stderr
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert {r["expression"].split("(")[0] for r in rows} <= {"gcd", "lcm"}


def test_bundled_recipe_by_name_and_by_path(tmp_path: Path) -> None:
    by_name = run_cli("generate", "--recipe", "gsm8k_style", "-n", "30")
    path = Path(__file__).resolve().parent.parent / "generators" / "gsm8k_style.toml"
    by_path = run_cli("generate", "--recipe", str(path), "-n", "30")
    assert by_name.returncode == 0 and by_name.stdout == by_path.stdout
    assert {orjson.loads(line)["generator"] for line in by_name.stdout.splitlines()} <= {
        "word_problem", "arithmetic", "fractions"}


def test_unknown_family_lists_the_known_ones(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    result = run_cli("generate", "-g", "geometry", "-n", "5", "-o", str(out))
    assert_one_line_error(result, "unknown generator 'geometry'", "arithmetic", "word_problem")
    assert not out.exists()


def test_invalid_config_value_names_key_value_and_allowed() -> None:
    assert_one_line_error(run_cli("generate", "-g", "arithmetic", "-n", "5", "--set", "max_value=lots"),
                          "max_value='lots'", "an integer from 1 to")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "5", "--set", "operations=+^"),
                          "operations='+^'", "+-*/")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "5", "--set", "integer_only=maybe"),
                          "integer_only='maybe'", "true or false")
    assert_error(cli_error("generate", "-g", "fractions", "-n", "5", "--set", "wrong=1"),
                          "unknown config key 'wrong'", "max_denominator")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "5", "--difficulty", "9"),
                          "invalid difficulty 9", "1, 2, 3, 4 or 5")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "5", "--set", "min_terms=5",
                                  "--set", "max_terms=3"), "min_terms=5 is larger than max_terms=3")


def test_malformed_recipes_name_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n[[mix]]\ngenerator = "arithmetic"\nweight = = 2\n')
    assert_one_line_error(run_cli("generate", "--recipe", str(broken), "-n", "5"), f"{broken}:4:", "invalid TOML")

    typo = tmp_path / "typo.toml"
    typo.write_text('name = "x"\n[[mix]]\ngenerator = "arithmetic"\n\n[[mix]]\ngenerator = "fractions"\nwieght = 2\n')
    assert_error(cli_error("generate", "--recipe", str(typo), "-n", "5"),
                          f"{typo}:7:", "mix entry 2", "unknown key 'wieght'")

    family = tmp_path / "family.toml"
    family.write_text('[[mix]]\ngenerator = "geometry"\n')
    assert_error(cli_error("generate", "--recipe", str(family), "-n", "5"),
                          f"{family}:2:", "unknown generator 'geometry'")

    config = tmp_path / "config.toml"
    config.write_text('[[mix]]\ngenerator = "arithmetic"\n[mix.config]\nmax_value = 0\n')
    assert_error(cli_error("generate", "--recipe", str(config), "-n", "5"),
                          f"{config}:4:", "max_value=0")

    top = tmp_path / "top.toml"
    top.write_text('name = "x"\ncount = 3\n[[mix]]\ngenerator = "arithmetic"\n')
    assert_error(cli_error("generate", "--recipe", str(top), "-n", "5"), f"{top}:2:", "unknown key 'count'")

    # An unknown table is named by its header's line, and a key inside another table is not mistaken for it.
    table = tmp_path / "table.toml"
    table.write_text('name = "x"\n[[mix]]\ngenerator = "arithmetic"\n[extra]\nseed = 1\n[[families]]\n')
    assert_error(cli_error("generate", "--recipe", str(table), "-n", "5"), f"{table}:4:", "unknown key 'extra'")

    assert_error(cli_error("generate", "--recipe", str(tmp_path / "missing.toml"), "-n", "5"),
                          "no such recipe file", "gsm8k_style")


def test_bad_option_combinations_fail_with_code_2() -> None:
    assert_error(cli_error("generate", "-n", "5"), "exactly one of --generator")
    assert_error(cli_error("generate", "-g", "arithmetic", "-r", "gsm8k_style", "-n", "5"), "exactly one")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "-1"), "invalid count -1")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "1", "--seed", "-4"), "invalid seed -4")
    assert_error(cli_error("generate", "-g", "arithmetic", "-n", "1", "--set", "novalue"), "key=value")


def test_devices_are_written_in_place_not_replaced(tmp_path: Path) -> None:
    # Renaming a temp file over /dev/null would replace the device; it must be written to directly.
    result = run_cli("generate", "-g", "arithmetic", "-n", "50", "-o", "/dev/null")
    assert result.returncode == 0, result.stderr
    assert Path("/dev/null").is_char_device()
