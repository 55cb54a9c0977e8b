"""`chukmath build` end to end with the built-in teacher: every row correct, resume, refusal, --force, stats, card."""

from __future__ import annotations

import os
import re

import orjson
import pytest
from test_build_support import FINAL, same_files
from typer.testing import CliRunner

from chukmath.cli.main import app

RECIPE = """
name = "e2e"
count = {count}
seed = {seed}
[[mix]]
generator = "arithmetic"
weight = 3
difficulty = 2
[[mix]]
generator = "fractions"
weight = 1
difficulty = 2
[[mix]]
generator = "linear_equation"
weight = 1
difficulty = 2
[[mix]]
generator = "quadratic"
weight = 1
difficulty = 2
[teacher]
kind = "builtin"
"""
ASSISTANT = re.compile(r"\A<think>\n.+\n</think>\n<answer>.+</answer>\n<verifier_answer>.+</verifier_answer>\Z", re.S)


def _recipe(tmp_path, count=240, seed=5, name="recipe.toml"):
    path = tmp_path / name
    path.write_text(RECIPE.format(count=count, seed=seed))
    return path


def _project_with_own_template(tmp_path):
    """A folder "project" holding tpl/mine.jinja (no answer revealed); returns the path its recipe is to have."""
    folder = tmp_path / "project"
    (folder / "tpl").mkdir(parents=True)
    (folder / "tpl" / "mine.jinja").write_text(
        '{#---\nname = "mine"\ndescription = "d"\nvariables = ["question"]\nreveals_answer = false\n---#}\n'
        "Solve: {{ question }}\n"
    )
    return folder / "r.toml"


def _build(*args: str):
    result = CliRunner().invoke(app, ["build", *args])
    return result


def _lines(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_builtin_end_to_end_every_row_correct_and_loadable(tmp_path):
    from chukmath.verify import answers_match

    recipe = _recipe(tmp_path)
    out = tmp_path / "run"
    result = _build("--recipe", str(recipe), "--out", str(out), "--json")
    assert result.exit_code == 0, result.output + repr(result.exception)
    summary = orjson.loads(result.stdout)
    assert summary["complete"] and summary["problems"] == 240 and summary["asked"] == 240

    problems = _lines(out / "problems.jsonl")
    assert [p["index"] for p in problems] == list(range(240))
    by_id = {p["id"]: p for p in problems}
    train = _lines(out / "train.jsonl")
    rejects = _lines(out / "rejects.jsonl")
    assert len(train) + len(rejects) == 240 and len(train) == summary["accepted"] > 0
    order = {p["id"]: i for i, p in enumerate(problems)}
    assert [order[r["problem_id"]] for r in train] == sorted(order[r["problem_id"]] for r in train)
    for row in train:
        problem = by_id[row["problem_id"]]
        user, assistant = row["messages"]
        assert user == {"role": "user", "content": problem["question"]}
        assert assistant["role"] == "assistant" and ASSISTANT.match(assistant["content"]), assistant["content"]
        final = re.search(r"<answer>(.*?)</answer>", assistant["content"], re.S).group(1)
        assert answers_match(final, problem["answer"]), (final, problem["answer"])
        assert row["answer"] == problem["answer"] and row["generator"] == problem["generator"]

    stats = orjson.loads((out / "stats.json").read_bytes())
    assert stats["totals"]["problems"] == 240 and stats["totals"]["written"] == len(train)
    assert sum(g["problems"] for g in stats["by_generator"].values()) == 240
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["status"] == "complete" and manifest["teacher"] == "builtin" and manifest["template_hashes"]
    card = (out / "README.md").read_text()
    assert "# e2e" in card and "By family" in card and train[0]["id"] in card and "chukmath build" in card
    for heading in ("## By difficulty", "## Acceptance by verdict", "## Rejection reasons", "## Example sample",
                    "## Reproduce"):
        assert heading in card, heading
    if not rejects:
        assert "No response was rejected." in card
    assert f"chukmath build --recipe {recipe} --out {out}" in card

    datasets = pytest.importorskip("datasets") if os.environ.get("CI") != "true" else __import__("datasets")
    ds = datasets.load_dataset(
        "json", data_files=str(out / "train.jsonl"), split="train", cache_dir=str(tmp_path / "c")
    )
    assert len(ds) == len(train) and ds[0]["messages"][1]["role"] == "assistant"


def test_rerun_resumes_without_asking_and_gives_identical_files(tmp_path):
    recipe = _recipe(tmp_path, count=150)
    out = tmp_path / "run"
    assert _build("--recipe", str(recipe), "--out", str(out), "--quiet").exit_code == 0
    before = {name: (out / name).read_bytes() for name in FINAL}
    journal = (out / "responses.jsonl").read_bytes()
    again = _build("--recipe", str(recipe), "--out", str(out), "--json", "--concurrency", "3")
    assert again.exit_code == 0
    summary = orjson.loads(again.stdout)
    assert summary["asked"] == 0 and summary["from_journal"] == 150
    assert {name: (out / name).read_bytes() for name in FINAL} == before
    assert (out / "responses.jsonl").read_bytes() == journal


def test_torn_and_truncated_files_resume_to_identical_output(tmp_path):
    recipe = _recipe(tmp_path, count=200)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    assert _build("--recipe", str(recipe), "--out", str(whole), "--quiet").exit_code == 0
    assert _build("--recipe", str(recipe), "--out", str(cut), "--quiet").exit_code == 0
    # What a kill leaves: a journal and problems file cut mid-line, no final files yet.
    for name, keep in (("responses.jsonl", 0.37), ("problems.jsonl", 0.61)):
        data = (cut / name).read_bytes()
        (cut / name).write_bytes(data[: int(len(data) * keep)])
    for name in ("train.jsonl", "rejects.jsonl", "stats.json", "README.md"):
        (cut / name).unlink()
    result = _build("--recipe", str(recipe), "--out", str(cut), "--json")
    assert result.exit_code == 0
    summary = orjson.loads(result.stdout)
    assert 0 < summary["from_journal"] < 200 and summary["asked"] + summary["from_journal"] == 200
    # The card's reproduce line names its own --out; everything else is byte for byte the same.
    same_files(cut, whole)


def test_different_recipe_is_refused_and_force_replaces(tmp_path):
    out = tmp_path / "run"
    assert _build("--recipe", str(_recipe(tmp_path, count=40)), "--out", str(out), "--quiet").exit_code == 0
    train = (out / "train.jsonl").read_bytes()
    other = _recipe(tmp_path, count=40, seed=6, name="other.toml")
    refused = _build("--recipe", str(other), "--out", str(out), "--quiet")
    assert refused.exit_code != 0
    message = str(refused.exception)
    assert "different run" in message and "--force" in message and "e2e" in message
    assert (out / "train.jsonl").read_bytes() == train
    # A flag that changes what problem i is (the seed) is a different run too; --count only extends or cuts it.
    assert _build("--recipe", str(_recipe(tmp_path, count=40)), "--out", str(out), "--seed", "6").exit_code != 0
    assert (out / "train.jsonl").read_bytes() == train
    forced = _build("--recipe", str(other), "--out", str(out), "--quiet", "--force")
    assert forced.exit_code == 0
    assert (out / "train.jsonl").read_bytes() != train


def test_foreign_directory_is_not_overwritten(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = _build("--recipe", str(_recipe(tmp_path, count=10)), "--out", str(out), "--quiet")
    assert result.exit_code != 0 and "not empty" in str(result.exception)
    assert sorted(p.name for p in out.iterdir() if p.name != ".lock") == ["notes.txt"]


def test_paid_teacher_without_key_fails_before_any_request(tmp_path, monkeypatch):
    monkeypatch.delenv("CHUKMATH_TEST_NO_SUCH_KEY", raising=False)
    path = tmp_path / "paid.toml"
    path.write_text(
        RECIPE.format(count=5, seed=1).replace(
            'kind = "builtin"',
            'kind = "openai"\nmodel = "m"\nbase_url = "https://api.example.invalid/v1"\n'
            'api_key_env = "CHUKMATH_TEST_NO_SUCH_KEY"',
        )
    )
    out = tmp_path / "run"
    result = _build("--recipe", str(path), "--out", str(out))
    assert result.exit_code != 0
    assert "CHUKMATH_TEST_NO_SUCH_KEY" in str(result.exception) and "not set" in str(result.exception)
    assert not out.exists()


def test_stats_command_prints_tables(tmp_path):
    out = tmp_path / "run"
    assert _build("--recipe", str(_recipe(tmp_path, count=60)), "--out", str(out), "--quiet").exit_code == 0
    result = CliRunner().invoke(app, ["stats", str(out)])
    assert result.exit_code == 0
    for needle in ("By family", "arithmetic", "By difficulty", "Tokens and cost", "problems"):
        assert needle in result.stdout
    missing = CliRunner().invoke(app, ["stats", str(tmp_path / "nothing")])
    assert missing.exit_code != 0 and "no such file" in str(missing.exception)


def test_help_has_examples():
    for command in (["--help"], ["build", "--help"], ["stats", "--help"]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0 and "Example" in result.stdout


def test_progress_bars_show_every_stage(tmp_path):
    import io

    from chukmath.build import BuildOptions, build_dataset, load_recipe

    stream = io.StringIO()
    recipe = load_recipe(_recipe(tmp_path, count=80))
    summary = build_dataset(recipe, tmp_path / "run", BuildOptions(progress=True, progress_stream=stream))
    text = stream.getvalue()
    assert summary.complete
    for stage in ("generated", "answered", "verified", "accepted", "failures 0", "80/80"):
        assert stage in text, stage
    quiet = io.StringIO()
    build_dataset(recipe, tmp_path / "run", BuildOptions(quiet=True, progress_stream=quiet))
    assert quiet.getvalue() == ""


def test_relative_templates_dirs_are_found_next_to_the_recipe(tmp_path):
    recipe = _project_with_own_template(tmp_path)
    recipe.write_text(
        RECIPE.format(count=12, seed=1) + '[prompt]\ntemplate = "mine"\ntemplates_dirs = ["tpl"]\n'
        '[output]\nuser_turn = "prompt"\n'
    )
    out = tmp_path / "run"
    result = _build("--recipe", str(recipe), "--out", str(out), "--quiet")
    assert result.exit_code == 0, repr(result.exception)
    first = _lines(out / "train.jsonl")[0]
    assert first["template"] == "mine" and first["messages"][0]["content"].startswith("Solve: ")


def test_builtin_answers_from_older_code_do_not_outlive_it(tmp_path):
    """A journal answer the built-in teacher would no longer write (its code changed) is replaced, not reused."""
    recipe = _recipe(tmp_path, count=30)
    out, whole = tmp_path / "run", tmp_path / "whole"
    assert _build("--recipe", str(recipe), "--out", str(whole), "--quiet").exit_code == 0
    assert _build("--recipe", str(recipe), "--out", str(out), "--quiet").exit_code == 0
    journal = out / "responses.jsonl"
    lines = journal.read_bytes().splitlines()
    old = orjson.loads(lines[7])
    old["content"] = old["content"].replace("<think>\n", "<think>\nAn older trace wrote this line.\n", 1)
    lines[7] = orjson.dumps(old)
    journal.write_bytes(b"\n".join(lines) + b"\n")
    result = _build("--recipe", str(recipe), "--out", str(out), "--json")
    assert result.exit_code == 0
    summary = orjson.loads(result.stdout)
    assert (summary["asked"], summary["from_journal"]) == (1, 29)
    assert b"An older trace" not in (out / "train.jsonl").read_bytes()
    same_files(out, whole)
    # The corrected answer is appended (the last line of a key wins); a further run asks nothing.
    assert len(journal.read_bytes().splitlines()) == 31
    again = orjson.loads(_build("--recipe", str(recipe), "--out", str(out), "--json").stdout)
    assert (again["asked"], again["from_journal"]) == (0, 30)


def test_library_call_finds_templates_next_to_the_recipe_and_names_the_command(tmp_path, monkeypatch):
    from chukmath.build import BuildOptions, build_dataset, load_recipe

    recipe = _project_with_own_template(tmp_path)
    recipe.write_text(RECIPE.format(count=5, seed=1) + '[prompt]\ntemplate = "mine"\ntemplates_dirs = ["tpl"]\n')
    monkeypatch.chdir(tmp_path)  # not the recipe's folder
    summary = build_dataset(load_recipe("project/r.toml"), "out", BuildOptions(quiet=True))
    assert summary.complete
    manifest = orjson.loads((tmp_path / "out" / "manifest.json").read_bytes())
    assert manifest["command"] == "chukmath build --recipe project/r.toml --out out"
    assert "chukmath build --recipe project/r.toml --out out" in (tmp_path / "out" / "README.md").read_text()
