"""The training examples run: examples/train_sft.py on a build's train.jsonl and examples/train_grpo.py on
`chukmath export rl` output, each for 2 steps on CPU with a tiny model made in the test (nothing downloaded).
Under CI=true a missing trl/torch fails these tests; locally it skips them."""

from __future__ import annotations

import math
from pathlib import Path

import orjson
import pytest
from test_examples_train_support import (
    completion_loss,
    load_example,
    require_training,
    texts_of,
    tiny_model_dir,
)
from typer.testing import CliRunner

from chukmath.cli.main import app

pytestmark = pytest.mark.usefixtures("offline_hub")  # nothing in these tests may reach a hub

RECIPE = """name = "train-test"
count = 8
seed = 4
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
"""


def _rows(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture
def recipe(tmp_path: Path) -> Path:
    path = tmp_path / "r.toml"
    path.write_text(RECIPE)
    return path


def test_train_sft_two_steps_lowers_the_answer_loss(recipe, tmp_path):
    require_training()
    run = tmp_path / "run"
    result = CliRunner().invoke(app, ["build", "--recipe", str(recipe), "--out", str(run), "--quiet"])
    assert result.exit_code == 0, result.output
    rows = _rows(run / "train.jsonl")
    assert len(rows) == 8
    model = tiny_model_dir(tmp_path / "tiny", texts_of(rows))
    before = completion_loss(model, rows)

    sft = load_example("train_sft")
    out = tmp_path / "sft"
    summary = sft.main(["--data", str(run), "--model", str(model), "--out", str(out), "--max-steps", "2",
                        "--lr", "3e-3", "--batch-size", "8", "--max-length", "512", "--warmup", "0"])  # fmt: skip
    assert summary["global_step"] == 2 and summary["loss_finite"], summary
    after = completion_loss(out, rows)
    assert math.isfinite(after) and after < before, (before, after)

    # The prompt-completion split keeps the user turn out of the loss: rows are [user] + [assistant].
    pair = sft.prompt_completion(rows[0])
    assert [m["role"] for m in pair["prompt"]] == ["user"] and pair["completion"][0]["role"] == "assistant"


def test_save_writes_a_loadable_state_dict_for_a_gguf_loaded_model(tmp_path):
    """The GGUF path (save_pretrained refuses such a model): config + safetensors state dict + tokenizer."""
    require_training()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    common = load_example("train_common")
    model_dir = tiny_model_dir(tmp_path / "tiny", ["What is 2 + 3 ?"])
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    common.save(model, tokenizer, tmp_path / "saved", gguf=True)
    again = AutoModelForCausalLM.from_pretrained(tmp_path / "saved", dtype=torch.float32)
    ids = torch.tensor([[5, 6, 7, 8]])
    with torch.no_grad():
        assert torch.allclose(model(ids).logits, again(ids).logits)


def test_train_grpo_two_steps_on_export_rl_with_chukmath_rewards(recipe, tmp_path):
    require_training()
    rl = tmp_path / "rl"
    result = CliRunner().invoke(app, ["export", "rl", "--recipe", str(recipe), "--out", str(rl), "--count", "4"])
    assert result.exit_code == 0, result.output
    rows = _rows(rl / "train.jsonl")
    assert {"prompt", "answer", "generator", "difficulty", "problem_id"} <= set(rows[0])
    model = tiny_model_dir(tmp_path / "tiny", texts_of(rows))

    grpo = load_example("train_grpo")
    summary = grpo.main(["--data", str(rl), "--model", str(model), "--out", str(tmp_path / "grpo"),
                         "--max-steps", "2", "--batch-size", "4", "--num-generations", "2",
                         "--max-completion-length", "8", "--lr", "1e-3"])  # fmt: skip
    assert summary["global_step"] == 2 and summary["loss_finite"], summary
    logged = [e for e in summary["log_history"] if "rewards/accuracy_reward/mean" in e]
    assert len(logged) == 2
    for entry in logged:
        assert 0.0 <= entry["rewards/accuracy_reward/mean"] <= 1.0
        assert 0.0 <= entry["rewards/format_reward_lenient/mean"] <= 1.0
    assert (tmp_path / "grpo" / "config.json").is_file()
