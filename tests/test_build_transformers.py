"""`chukmath build` with `[teacher] kind = "transformers"`: a local model answering in this process, through the same
answer engine and journal as an endpoint (as `chukmath eval --teacher transformers` does). The tiny untrained model
answers nonsense: the build must complete, reject every answer with its reasons and resume from its journal. Under
CI=true a missing torch/transformers fails."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_examples_train_support import require_training, tiny_model_dir
from typer.testing import CliRunner

from chukmath.cli.main import app

pytestmark = pytest.mark.usefixtures("offline_hub")  # nothing in these tests may reach a hub

RECIPE = """name = "build-tf"
count = 6
seed = 4
[[mix]]
generator = "arithmetic"
difficulty = 1
[teacher]
kind = "transformers"
model = "{model}"
max_tokens = 8
batch_size = 4
device = "cpu"
"""


def _build(*args: str) -> dict:
    result = CliRunner().invoke(app, ["build", *args, "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return orjson.loads(result.stdout)


def _lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_build_answers_with_a_local_model_and_resumes(tmp_path: Path):
    require_training()
    from chukmath.build import load_recipe
    from chukmath.export import recipe_problems

    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE.format(model="placeholder"))
    questions = [p.question for p in recipe_problems(load_recipe(recipe))]
    model = tiny_model_dir(tmp_path / "tiny", questions)
    recipe.write_text(RECIPE.format(model=model))
    out = tmp_path / "run"
    summary = _build("--recipe", str(recipe), "--out", str(out))
    assert summary["complete"] and summary["problems"] == 6 and summary["asked"] == 6
    journal = _lines(out / "responses.jsonl")
    assert len(journal) == 6 and {(r["teacher"], r["model"]) for r in journal} == {("transformers", str(model))}
    assert all(r["content"] is not None and 1 <= r["usage"]["completion_tokens"] <= 9 for r in journal)
    # Nonsense is rejected with reasons, never accepted.
    rejects = _lines(out / "rejects.jsonl")
    assert summary["accepted"] == 0 and len(rejects) == summary["rejected"] == 6
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["recipe"]["teacher"]["kind"] == "transformers" and manifest["model"] == str(model)
    assert "via the local transformers model" in (out / "README.md").read_text()
    # The rerun asks nothing, also with another batch size (the pace is not part of the run).
    again = _build("--recipe", str(recipe), "--out", str(out), "--batch-size", "2")
    assert again["asked"] == 0 and again["from_journal"] == 6
    assert (out / "rejects.jsonl").read_bytes().count(b"\n") == 6


def test_build_refuses_a_local_teacher_without_a_model_before_writing(tmp_path: Path):
    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE.replace('model = "{model}"\n', ""))
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(out)])
    assert "[teacher] kind = \"transformers\": 'model' is missing" in str(result.exception)
    assert not out.exists()
