"""`chukmath export rl`: RL prompt rows with ground truth in TRL's and verl's shapes, JSONL and Parquet, loaded by
`datasets` as they are; curriculum order and buckets; the pass-rate filter from a build run with samples = 4."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_export_support import planned_run, read_rows
from typer.testing import CliRunner

from chukmath.cli.main import app

RECIPE = """name = "rl"
count = 60
seed = 3

[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1

[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 3

[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 2
"""


@pytest.fixture
def recipe(tmp_path) -> Path:
    path = tmp_path / "rl.toml"
    path.write_text(RECIPE)
    return path


def _export(*args: str, code: int = 0) -> dict:
    result = CliRunner().invoke(app, ["export", "rl", "--json", *args])
    assert result.exit_code == code, result.output + repr(result.exception)
    return orjson.loads(result.stdout) if code == 0 else {}


def test_trl_rows_have_an_answer_blind_prompt_and_the_ground_truth(recipe, tmp_path):
    out = tmp_path / "trl"
    report = _export("--recipe", str(recipe), "--out", str(out))
    rows = read_rows(out / "train.jsonl")
    assert len(rows) == 60 == report["rows"] and report["files"] == {"train.jsonl": 60}
    assert not (out / "test.jsonl").exists()
    row = rows[0]
    assert list(row) == ["prompt", "answer", "generator", "difficulty", "problem_id"]
    assert row["prompt"][-1]["role"] == "user" and "Problem:" in row["prompt"][-1]["content"]
    # The answer-blind template never shows the answer it asks for.
    assert all(f"answer: {r['answer']}" not in r["prompt"][-1]["content"].lower() for r in rows)
    assert {r["generator"] for r in rows} == {"arithmetic", "linear_equation"}
    from datasets import load_dataset

    loaded = load_dataset("json", data_files=str(out / "train.jsonl"), split="train")
    assert loaded[0]["prompt"] == row["prompt"] and loaded[0]["answer"] == row["answer"]


def test_verl_parquet_is_its_data_preparation_shape(recipe, tmp_path):
    out = tmp_path / "verl"
    _export("--recipe", str(recipe), "--out", str(out), "--shape", "verl", "--test", "0.25")
    from datasets import load_dataset

    data = load_dataset("parquet", data_files={"train": str(out / "train.parquet"), "test": str(out / "test.parquet")})
    assert len(data["train"]) + len(data["test"]) == 60 and len(data["test"]) > 0
    row = data["train"][0]
    assert set(row) == {"data_source", "prompt", "ability", "reward_model", "extra_info"}
    assert row["data_source"] == "chukmath" and row["ability"] == "math"
    assert row["prompt"][0]["role"] == "user" and isinstance(row["prompt"][0]["content"], str)
    assert row["reward_model"]["style"] == "rule" and isinstance(row["reward_model"]["ground_truth"], str)
    assert [r["extra_info"]["index"] for r in data["test"]] == list(range(len(data["test"])))
    assert {r["extra_info"]["split"] for r in data["train"]} == {"train"}
    assert {r["extra_info"]["split"] for r in data["test"]} == {"test"}


def test_r1_zero_prompt_as_a_plain_string(recipe, tmp_path):
    out = tmp_path / "r1"
    _export("--recipe", str(recipe), "--out", str(out), "--template", "r1_zero", "--prompt-format", "text")
    rows = read_rows(out / "train.jsonl")
    prompt = rows[0]["prompt"]
    assert isinstance(prompt, str) and prompt.startswith("A conversation between User and Assistant.")
    assert prompt.endswith("Assistant:") and "<think> reasoning process here </think>" in prompt


def test_a_template_that_shows_the_answer_is_refused(recipe, tmp_path):
    result = CliRunner().invoke(
        app, ["export", "rl", "--recipe", str(recipe), "--out", str(tmp_path / "x"), "--template", "step_by_step"]
    )
    assert result.exit_code != 0 and "reveals_answer" in str(result.exception)
    # --template recipe takes the recipe's own templates: step_by_step by default (refused), answer_blind here.
    result = CliRunner().invoke(
        app, ["export", "rl", "--recipe", str(recipe), "--out", str(tmp_path / "y"), "--template", "recipe"]
    )
    assert result.exit_code != 0 and "'step_by_step'" in str(result.exception)
    recipe.write_text(RECIPE + '\n[prompt]\ntemplate = "answer_blind"\n')
    report = _export("--recipe", str(recipe), "--out", str(tmp_path / "z"), "--template", "recipe")
    assert report["templates"] == ["answer_blind"] and report["rows"] == 60


def test_difficulty_order_and_buckets(recipe, tmp_path):
    _export("--recipe", str(recipe), "--out", str(tmp_path / "o"), "--order", "difficulty")
    ordered = [r["difficulty"] for r in read_rows(tmp_path / "o" / "train.jsonl")]
    assert ordered == sorted(ordered) and len(set(ordered)) == 3
    report = _export("--recipe", str(recipe), "--out", str(tmp_path / "b"), "--bucket", "--test", "0.3")
    assert set(report["files"]) == {f"difficulty-{d}/{s}.jsonl" for d in (1, 2, 3) for s in ("train", "test")}
    for name in report["files"]:
        assert {r["difficulty"] for r in read_rows(tmp_path / "b" / name)} == {int(name.split("/")[0][-1])}


def test_from_a_problems_file(recipe, tmp_path):
    problems = tmp_path / "p.jsonl"
    result = CliRunner().invoke(
        app, ["generate", "--generator", "fractions", "--count", "15", "--seed", "1", "--out", str(problems)]
    )
    assert result.exit_code == 0, result.output
    report = _export("--problems", str(problems), "--out", str(tmp_path / "f"), "--as", "parquet")
    assert report["files"] == {"train.parquet": 15}
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "f" / "train.parquet").column_names[:2] == ["prompt", "answer"]


def test_pass_rate_filter_keeps_problems_some_but_not_all_samples_solve(tmp_path):
    # Problem i is solved by i % 5 of its 4 samples (tests/test_export_support.py): pass rates 0, 1/4, 1/2, 3/4, 1.
    _, run_dir = planned_run(tmp_path, count=20, samples=4)
    problems = str(run_dir / "problems.jsonl")
    report = _export("--problems", problems, "--out", str(tmp_path / "rl"), "--pass-rate-from", str(run_dir))
    rows = read_rows(tmp_path / "rl" / "train.jsonl")
    index = {p["id"]: p["index"] for p in read_rows(run_dir / "problems.jsonl")}
    assert sorted({index[r["problem_id"]] % 5 for r in rows}) == [1, 2, 3] and len(rows) == 12
    assert {r["pass_rate"] for r in rows} == {0.25, 0.5, 0.75}
    assert report["pass_rate"]["dropped"] == {"all_pass": 4, "none_pass": 4, "outside_pass_range": 0, "unmeasured": 0}
    narrow = _export(
        "--problems",
        problems,
        "--out",
        str(tmp_path / "n"),
        "--pass-rate-from",
        str(run_dir),
        "--min-pass",
        "0.5",
        "--order",
        "pass_rate",
    )
    rates = [r["pass_rate"] for r in read_rows(tmp_path / "n" / "train.jsonl")]
    assert rates == sorted(rates, reverse=True) and set(rates) == {0.5, 0.75} and narrow["rows"] == 8
    # Problems the run never saw have no pass rate: they are left out and counted.
    other = tmp_path / "other.jsonl"
    CliRunner().invoke(app, ["generate", "--generator", "fractions", "--count", "3", "--out", str(other)])
    unmeasured = _export("--problems", str(other), "--out", str(tmp_path / "u"), "--pass-rate-from", str(run_dir))
    assert unmeasured["rows"] == 0 and unmeasured["pass_rate"]["dropped"]["unmeasured"] == 3


def test_bad_options_are_errors_before_anything_is_written(recipe, tmp_path):
    for args, message in (
        (["--shape", "verl", "--prompt-format", "text"], "verl"),
        (["--min-pass", "0.5"], "--pass-rate-from"),
        (["--order", "pass_rate"], "--pass-rate-from"),
        (["--test", "1.5"], "between 0 and 1"),
    ):
        result = CliRunner().invoke(app, ["export", "rl", "--recipe", str(recipe), "--out", str(tmp_path / "e"), *args])
        assert result.exit_code != 0 and message in str(result.exception), (args, result.exception)
    assert not (tmp_path / "e").exists()
