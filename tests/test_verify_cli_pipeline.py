"""The real stages in a row — generate, prompts, teach (built-in), verify — through the installed command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
from test_write_support import read_jsonl

CHUKMATH = Path(sys.executable).with_name("chukmath")


def cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(CHUKMATH), *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (args, result.stderr)
    return result


def test_builtin_traces_of_every_family_are_accepted(tmp_path: Path) -> None:
    families = ["arithmetic", "fractions", "word_problem", "linear_equation", "number_theory"]
    problems = tmp_path / "problems.jsonl"
    with problems.open("wb") as fh:
        for family in families:
            fh.write(cli("generate", "--generator", family, "--count", "6", "--seed", "3").stdout.encode())
    # Indices restart per family here; rows must follow the index, file order breaking ties.
    expected_order = sorted(
        ((p["index"], n, p["id"]) for n, p in enumerate(read_jsonl(problems))), key=lambda t: (t[0], t[1])
    )
    requests = tmp_path / "requests.jsonl"
    journal = tmp_path / "responses.jsonl"
    cli("prompts", "--problems", str(problems), "--template", "step_by_step", "--out", str(requests))
    cli("teach", "--requests", str(requests), "--problems", str(problems), "--out", str(journal), "--samples", "2")
    out = tmp_path / "out"
    args = ["verify", "--problems", str(problems), "--requests", str(requests), "--responses", str(journal)]
    run = cli(*args, "--out-dir", str(out), "--json")
    stats = orjson.loads(run.stdout)
    rejects = read_jsonl(out / "rejects.jsonl")
    assert rejects == [], rejects[:3]
    t = stats["totals"]
    # The built-in teacher is deterministic, so sample 1 repeats sample 0 exactly: a duplicate, never a second row.
    assert (t["problems"], t["responses"], t["accepted"], t["written"], t["duplicates"]) == (30, 60, 60, 30, 30)
    assert sorted(stats["by_generator"]) == sorted(families)
    train = read_jsonl(out / "train.jsonl")
    assert [row["problem_id"] for row in train] == [pid for _, _, pid in expected_order]
    assert all(row["teacher"] == "builtin" and row["template"] == "step_by_step" for row in train)
    assert stats["think_chars"]["count"] == 30 and stats["think_chars"]["min"] > 0
