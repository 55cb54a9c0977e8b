"""Bad input gets one line on stderr and exit code 2, never a traceback: recipe weights, line lengths, torn journal
tails and counts (issue 13). Each test drives the installed CLI in a child process with real files."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from test_build_support import CLI

# Spelled out rather than imported, so that this file also runs (and fails) against code from before these limits.
MAX_LINE_ENV = "CHUKMATH_MAX_LINE_BYTES"
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024
ESTIMATE_ABOVE = 10_000_000
RUNNER_MEMORY = 2 * 1024**3  # address space for the CLI when it reads /dev/zero: far less than an unbounded read takes


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
        preexec: Callable[[], None] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``chukmath ARGS`` in a child process."""
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, preexec_fn=preexec,
        env={**os.environ, **(env or {})},
    )


def one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The run failed with exit code 2 and one ``error:`` line (after any warning or estimate lines) naming all
    ``needles``; returns that line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors and errors[-1].startswith("error: "), result.stderr
    assert not [line for line in errors[:-1] if not line.startswith(("warning: ", "estimate: "))], result.stderr
    for needle in needles:
        assert needle in errors[-1], (needle, errors[-1])
    return errors[-1]


def bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (RUNNER_MEMORY, RUNNER_MEMORY))


PROBLEM = {
    "id": "arithmetic-1-0", "generator": "arithmetic", "difficulty": 1, "seed": 1, "index": 0,
    "question": "What is 2 + 3?", "expression": "2 + 3", "answer": "5", "meta": {},
}

# -- 1. recipe weights -------------------------------------------------------------------------------------------

MIX = """name = "weights"
seed = 3
[[mix]]
generator = "arithmetic"
weight = {first}
[[mix]]
generator = "fractions"
weight = {second}
"""
BUILD = """name = "weights"
count = 20
seed = 3
[[mix]]
generator = "arithmetic"
weight = {first}
difficulty = 1
[[mix]]
generator = "fractions"
weight = {second}
difficulty = 1
"""


@pytest.mark.parametrize("weight", ["inf", "+inf", "-inf", "nan", "-1", "-0.5", "0", "0.0"])
@pytest.mark.parametrize("command", ["generate", "build"])
def test_a_weight_that_is_not_a_positive_finite_number_names_file_line_and_key(tmp_path, command, weight):
    recipe = tmp_path / "r.toml"
    if command == "generate":
        recipe.write_text(MIX.format(first=1, second=weight))
        result = cli("generate", "--recipe", str(recipe), "--count", "5", "--out", str(tmp_path / "p.jsonl"))
        line = 8
    else:
        recipe.write_text(BUILD.format(first=1, second=weight))
        result = cli("build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--quiet")
        line = 10
    one_line_error(result, f"{recipe}:{line}:", "weight", weight.lstrip("+").replace(".0", ""), "allowed")
    assert not (tmp_path / "p.jsonl").exists() and not (tmp_path / "run" / "problems.jsonl").exists()


def test_zero_weight_for_every_family_is_refused_at_the_first(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(MIX.format(first=0, second=0))
    one_line_error(cli("generate", "--recipe", str(recipe), "-n", "5"), f"{recipe}:5:", "weight 0")


def test_inf_or_nan_in_a_build_recipe_setting_is_refused(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILD.format(first=1, second=1) + "[teacher]\nkind = \"builtin\"\ntimeout = inf\n")
    one_line_error(cli("build", "--recipe", str(recipe), "--out", str(tmp_path / "run")), f"{recipe}:14:", "timeout",
                   "finite")


# -- 4. line length ----------------------------------------------------------------------------------------------


def test_a_17_mib_line_is_refused_naming_file_and_line(tmp_path):
    problems = tmp_path / "problems.jsonl"
    with problems.open("wb") as fh:
        fh.write(orjson.dumps(PROBLEM) + b"\n")
        fh.write(b'{"id": "' + b"x" * (17 * 1024 * 1024) + b'"}\n')
    result = cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out",
                 str(tmp_path / "requests.jsonl"))
    one_line_error(result, f"{problems}:2:", f"longer than {DEFAULT_MAX_LINE_BYTES:,} bytes", MAX_LINE_ENV)
    assert not (tmp_path / "requests.jsonl").exists()


def test_the_line_cap_is_set_by_the_environment_and_checked(tmp_path):
    problems = tmp_path / "problems.jsonl"
    lines = [orjson.dumps({**PROBLEM, "id": f"arithmetic-1-{i}", "index": i}) for i in range(3)]
    lines[2] = orjson.dumps({**PROBLEM, "id": "arithmetic-1-2", "index": 2, "meta": {"pad": "y" * 5000}})
    problems.write_bytes(b"\n".join(lines) + b"\n")
    args = ("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(tmp_path / "r.jsonl"))
    one_line_error(cli(*args, env={MAX_LINE_ENV: "4096"}), f"{problems}:3:", "longer than 4,096 bytes")
    assert cli(*args, env={MAX_LINE_ENV: "8192"}).returncode == 0
    assert cli(*args).returncode == 0  # the default, 16 MiB
    one_line_error(cli(*args, env={MAX_LINE_ENV: "lots"}), MAX_LINE_ENV, "'lots'", "whole number")


@pytest.mark.parametrize("option", ["--problems", "--requests", "--responses"])
def test_verify_refuses_dev_zero_fast_with_bounded_memory(tmp_path, option):
    files = {"--problems": tmp_path / "p.jsonl", "--requests": tmp_path / "q.jsonl",
             "--responses": tmp_path / "r.jsonl"}
    files["--problems"].write_bytes(orjson.dumps(PROBLEM) + b"\n")
    files["--requests"].write_bytes(b"")
    files["--responses"].write_bytes(b"")
    files[option] = Path("/dev/zero")
    args = [arg for name, path in files.items() for arg in (name, str(path))]
    result = cli("verify", *args, "--out-dir", str(tmp_path / "out"), preexec=bounded_memory, timeout=60)
    one_line_error(result, "/dev/zero:1:", "longer than")


def test_prompts_refuses_dev_zero_fast_with_bounded_memory(tmp_path):
    result = cli("prompts", "--problems", "/dev/zero", "--template", "step_by_step", "--out",
                 str(tmp_path / "r.jsonl"), preexec=bounded_memory, timeout=60)
    one_line_error(result, "/dev/zero:1:", "longer than")


@pytest.mark.parametrize("option", ["--requests", "--problems"])
def test_teach_refuses_dev_zero_as_input(tmp_path, option):
    requests = tmp_path / "q.jsonl"
    requests.write_bytes(b"")
    paths = {"--requests": str(requests), "--problems": str(tmp_path / "p.jsonl"), option: "/dev/zero"}
    (tmp_path / "p.jsonl").write_bytes(orjson.dumps(PROBLEM) + b"\n")
    args = [arg for pair in paths.items() for arg in pair]
    result = cli("teach", *args, "--out", str(tmp_path / "responses.jsonl"), "--quiet", preexec=bounded_memory,
                 timeout=60)
    one_line_error(result, f"{option} /dev/zero", "not a regular file")


def test_a_teach_journal_with_a_huge_line_is_refused_naming_it(tmp_path):
    problems, requests = tmp_path / "p.jsonl", tmp_path / "q.jsonl"
    problems.write_bytes(orjson.dumps(PROBLEM) + b"\n")
    prompts = cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(requests))
    assert prompts.returncode == 0, prompts.stderr
    journal = tmp_path / "responses.jsonl"
    journal.write_bytes(b'{"request_id": "' + b"z" * 6000 + b'"}\n')
    result = cli("teach", "--requests", str(requests), "--problems", str(problems), "--out", str(journal), "--quiet",
                 env={MAX_LINE_ENV: "4096"})
    one_line_error(result, f"{journal}:1:", "longer than 4,096 bytes")


# -- 5. a torn last line in the journal --------------------------------------------------------------------------


def _teach_case(tmp_path: Path) -> tuple[Path, Path, Path]:
    problems, requests, journal = tmp_path / "p.jsonl", tmp_path / "q.jsonl", tmp_path / "responses.jsonl"
    assert cli("generate", "-g", "arithmetic", "-n", "4", "--seed", "2", "--out", str(problems)).returncode == 0
    prompts = cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(requests))
    assert prompts.returncode == 0, prompts.stderr
    taught = cli("teach", "--requests", str(requests), "--problems", str(problems), "--out", str(journal), "--quiet")
    assert taught.returncode == 0, taught.stderr
    return problems, requests, journal


def test_verify_warns_about_a_torn_last_journal_line_and_counts_it(tmp_path):
    problems, requests, journal = _teach_case(tmp_path)
    whole = journal.read_bytes()
    journal.write_bytes(whole + whole.splitlines(keepends=True)[0][:40])  # a crash mid-write
    result = cli("verify", "--problems", str(problems), "--requests", str(requests), "--responses", str(journal),
                 "--out-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert f"warning: {journal}: 1 torn last line ignored (a crash mid-write)" in result.stderr
    assert "rerun the teacher" in result.stderr
    assert journal.read_bytes().endswith(whole.splitlines(keepends=True)[0][:40])  # verify only reads


def test_build_reports_the_torn_journal_line_it_cuts(tmp_path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILD.format(first=1, second=1))
    out = tmp_path / "run"
    assert cli("build", "--recipe", str(recipe), "--out", str(out), "--quiet").returncode == 0
    journal = out / "responses.jsonl"
    journal.write_bytes(journal.read_bytes() + b'{"request_id": "torn')
    result = cli("build", "--recipe", str(recipe), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert f"warning: {journal}: 1 torn last line cut" in result.stderr
    assert journal.read_bytes().endswith(b"\n")


# -- 6. counts ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "count"), [("1e3", 1000), ("1_000", 1000), ("2.5e2", 250), ("1E2", 100)])
def test_counts_in_scientific_and_underscore_notation(tmp_path, written, count):
    out = tmp_path / "p.jsonl"
    result = cli("generate", "-g", "arithmetic", "--count", written, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(out.read_bytes().splitlines()) == count


@pytest.mark.parametrize("written", ["1.5", "1e-3", "ten", "-5", "1__0", "1e400000"])
def test_a_count_that_is_not_a_whole_number_is_refused_plainly(tmp_path, written):
    result = cli("generate", "-g", "arithmetic", "--count", written, "--out", str(tmp_path / "p.jsonl"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "count" in result.stderr and written in result.stderr
    assert not (tmp_path / "p.jsonl").exists()


def test_a_huge_generate_run_prints_an_estimate_and_is_refused_when_the_disk_is_too_small(tmp_path):
    result = cli("generate", "-g", "arithmetic", "--count", "1e13", "--out", str(tmp_path / "p.jsonl"), timeout=60)
    estimate = next(line for line in result.stderr.splitlines() if line.startswith("estimate: "))
    assert "10,000,000,000,000 problems take about" in estimate and "bytes each, measured on the first 256" in estimate
    one_line_error(result, "--count 10,000,000,000,000", "free", str(tmp_path))
    assert not (tmp_path / "p.jsonl").exists() and not list(tmp_path.iterdir())


def test_build_estimates_a_huge_run_first(tmp_path):
    from chukmath.cli.sizing import estimate_build

    recipe = tmp_path / "r.toml"
    recipe.write_text(BUILD.format(first=1, second=1))
    count = ESTIMATE_ABOVE + 1
    result = cli("build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--count", f"{count:_}",
                 "--dry-run", "--quiet")
    assert result.stderr.startswith(f"estimate: {count:,} samples take about"), result.stderr
    needed = estimate_build(count, 1, "builtin", 4096, 16).total_bytes
    if needed > shutil.disk_usage(tmp_path).free:
        one_line_error(result, f"--count {count:,}", "free")
    else:
        assert result.returncode == 0, result.stderr
    one_line_error(cli("build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--count", "1e10",
                       "--dry-run"), "--count 10,000,000,000", "free")
    below = cli("build", "--recipe", str(recipe), "--out", str(tmp_path / "run"), "--count", "1e3", "--dry-run",
                "--quiet")
    assert below.returncode == 0 and "estimate" not in below.stderr, below.stderr
