"""`chukmath eval --teacher transformers`: a local model in this process, batched, through the same journal and
verifier. The tiny untrained model answers nonsense: the eval must complete, report what it measured (no
well-formed answer) and resume from its journal. Under CI=true a missing torch/transformers fails."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_examples_train_support import require_training, tiny_model_dir
from typer.testing import CliRunner

from chukmath.cli.main import app
from chukmath.errors import ConfigError

pytestmark = pytest.mark.usefixtures("offline_hub")  # nothing in these tests may reach a hub

RECIPE = """name = "eval-tf"
count = 20
seed = 2
[[mix]]
generator = "arithmetic"
weight = 1
difficulty = 1
[[mix]]
generator = "fractions"
weight = 1
difficulty = 2
[split]
test = 0.3
"""


def _eval(args: list[str]) -> dict:
    result = CliRunner().invoke(app, ["eval", *args, "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    return orjson.loads(result.stdout)


def test_transformers_teacher_evaluates_a_local_model_and_resumes(tmp_path: Path):
    require_training()
    from chukmath.build import load_recipe
    from chukmath.export import recipe_problems

    recipe = tmp_path / "r.toml"
    recipe.write_text(RECIPE)
    questions = [p.question for p in recipe_problems(load_recipe(recipe))]
    model = tiny_model_dir(tmp_path / "tiny", questions)
    out = tmp_path / "eval"
    args = ["--recipe", str(recipe), "--split", "test", "--teacher", "transformers", "--model", str(model),
            "--max-tokens", "8", "--batch-size", "4", "--device", "cpu", "--out", str(out)]  # fmt: skip
    data = _eval(args)
    overall = data["overall"]
    samples = [orjson.loads(line) for line in (out / "samples.jsonl").read_bytes().splitlines()]
    assert data["teacher"] == "transformers" and data["model"] == str(model)
    assert overall["problems"] == len(samples) > 0 and overall["answered"] == len(samples)
    # What was measured is what is reported: nonsense has no <think>/<answer> format and (here) no right answer.
    assert overall["format_rate"] == 0.0 and overall["verified_rate"] == 0.0
    assert overall["accuracy"] == sum(s["correct"] for s in samples) / len(samples) == 0.0
    assert all(1 <= s["completion_tokens"] <= 9 for s in samples)
    assert data["sampling"] == {"temperature": 0.0, "max_tokens": 8, "batch_size": 4, "device": "cpu", "dtype": "auto"}
    assert data["run"]["asked"] == len(samples)
    # The rerun asks nothing: every answer is in the journal.
    again = _eval(args)
    assert again["run"]["asked"] == 0 and again["run"]["from_journal"] == len(samples)
    assert again["overall"] == overall


def test_transformers_teacher_samples_with_temperature(tmp_path: Path):
    require_training()
    from chukmath.eval import TransformersConfig, TransformersTeacher, make_prompt
    from chukmath.generate import generate

    problems = list(generate("arithmetic", seed=1, count=3, difficulty=1))
    model = tiny_model_dir(tmp_path / "tiny", [p.question for p in problems])
    teacher = TransformersTeacher(TransformersConfig(model=str(model), max_new_tokens=6, temperature=1.0,
                                                     device="cpu", seed=3))  # fmt: skip
    prompt = make_prompt("plain")
    requests = [prompt.request(p) for p in problems]
    first = teacher.generate([(r, 0) for r in requests])
    assert [r.request_id for r in first] == [r.id for r in requests]
    assert teacher.describe() == {"device": "cpu", "dtype": "float32", "chat_template": "tokenizer"}
    assert all(r.ok and r.finish_reason in ("stop", "length") and r.usage for r in first)
    # A batch is seeded from its first key: the same batch samples the same answers again.
    assert [r.content for r in teacher.generate([(r, 0) for r in requests])] == [r.content for r in first]


def test_a_gemma_tokenizer_without_a_chat_template_gets_gemmas_and_stops_at_end_of_turn():
    """A GGUF file often has no chat template (transformers reads none from it): Gemma's own format is used."""
    require_training()
    from types import SimpleNamespace

    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    from chukmath.eval.chat_templates import prepare, stop_token_ids

    vocab = {t: i for i, t in enumerate(["<pad>", "<eos>", "<bos>", "<unk>", "<end_of_turn>", "<start_of_turn>", "hi"])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<bos>", eos_token="<eos>", pad_token="<pad>")
    model = SimpleNamespace(config=SimpleNamespace(model_type="gemma3_text"),
                            generation_config=SimpleNamespace(eos_token_id=1))  # fmt: skip
    assert prepare(tokenizer, model) == "builtin gemma"
    text = tokenizer.apply_chat_template(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 + 3?"}],
        add_generation_prompt=True, tokenize=False,
    )  # fmt: skip
    assert text == "<bos><start_of_turn>user\nBe brief.\n\nWhat is 2 + 3?<end_of_turn>\n<start_of_turn>model\n"
    assert model.generation_config.eos_token_id == [1, 4] and stop_token_ids(tokenizer, model) == {1, 4}
    other = SimpleNamespace(config=SimpleNamespace(model_type="llama"), generation_config=None)
    tokenizer.chat_template = None
    with pytest.raises(ConfigError, match="--chat-template"):
        prepare(tokenizer, other)
    assert prepare(tokenizer, other, "chatml") == "given" and "<|im_start|>" in tokenizer.chat_template
