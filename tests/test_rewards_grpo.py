"""A real GRPO run: TRL's ``GRPOTrainer`` trains a tiny model for 2 steps on CPU with chukmath's reward functions.

Everything is built here, nothing is downloaded: the model from a ``Qwen2Config`` (2 layers, hidden 32), the
tokenizer from a word-level ``tokenizers`` model fitted on the prompts, with a chat template. The rows are
``chukmath export rl``'s output for a few chukmath problems, loaded with ``datasets``: ``prompt`` (chat messages),
``answer``, ``generator``, ``difficulty``, ``problem_id``. Under CI=true a missing trl/torch fails the test;
locally it skips.
"""

from __future__ import annotations

import math

import pytest
from conftest import require

from chukmath.export import RLOptions, export_rl
from chukmath.generate import generate
from chukmath.rewards import accuracy_reward, combined, format_reward, language_reward, step_reward

pytestmark = pytest.mark.usefixtures("offline_hub")  # nothing in these tests may reach a hub



def exported_rows(tmp_path):
    """``chukmath export rl`` of a few chukmath problems (R1-Zero's prompt), read back as the trainer reads it."""
    from datasets import load_dataset

    problems = list(generate("arithmetic", seed=3, count=2, difficulty=1)) + list(
        generate("fractions", seed=3, count=2, difficulty=1)
    )
    export_rl(problems, tmp_path / "rl", RLOptions(template="r1_zero"))
    train = load_dataset("json", data_files=str(tmp_path / "rl" / "train.jsonl"), split="train")
    assert set(train.column_names) >= {"prompt", "answer", "generator", "difficulty", "problem_id"}
    return train


def tiny_tokenizer(rows):
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    special = ["<pad>", "<unk>", "<s>", "</s>", "<|system|>", "<|user|>", "<|assistant|>"]
    words = {w for row in rows for m in row["prompt"] for w in m["content"].split()}
    words |= {"<think>", "</think>", "<answer>", "</answer>", "=", "+", "-", "*", "/", *map(str, range(20))}
    vocab = {tok: i for i, tok in enumerate(special + sorted(words - set(special)))}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    tokenizer.chat_template = (
        "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} {% endfor %}"
        "{% if add_generation_prompt %}<|assistant|> {% endif %}"
    )
    return tokenizer


def tiny_model(vocab_size: int):
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = Qwen2Config(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=1024, pad_token_id=0, bos_token_id=2, eos_token_id=3,
        tie_word_embeddings=True,
    )  # fmt: skip
    return Qwen2ForCausalLM(config)


def test_grpo_trainer_trains_two_steps_with_chukmath_rewards(tmp_path, monkeypatch):
    import importlib.util

    require([m for m in ("torch", "trl", "transformers", "datasets") if importlib.util.find_spec(m) is None],
            "the GRPO training test (pip install -e '.[train]')")  # fmt: skip
    import huggingface_hub.constants
    from trl import GRPOConfig, GRPOTrainer

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    train = exported_rows(tmp_path)
    tokenizer = tiny_tokenizer(train)
    model = tiny_model(len(tokenizer))
    shaping = combined({step_reward: 1.0, language_reward: 0.5}, name="r1_shaping")
    args = GRPOConfig(
        output_dir=str(tmp_path / "out"),
        per_device_train_batch_size=2,
        num_generations=2,
        max_completion_length=8,
        max_steps=2,
        logging_steps=1,
        learning_rate=1e-3,
        report_to="none",
        save_strategy="no",
        use_cpu=True,
        bf16=False,
        seed=0,
        dataloader_num_workers=0,
    )
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=[accuracy_reward, format_reward, shaping],
        args=args,
        train_dataset=train,
        processing_class=tokenizer,
    )
    trainer.train()

    assert trainer.state.global_step == 2
    logged = [entry for entry in trainer.state.log_history if "rewards/accuracy_reward/mean" in entry]
    assert len(logged) == 2, trainer.state.log_history
    for entry in logged:
        for name in ("accuracy_reward", "format_reward", "r1_shaping"):
            assert f"rewards/{name}/mean" in entry and f"rewards/{name}/std" in entry
        # every row has an answer, so accuracy is 0.0 or 1.0, never None (NaN): the answer column reached it
        assert not math.isnan(entry["rewards/accuracy_reward/mean"])
        assert 0.0 <= entry["rewards/format_reward/mean"] <= 1.0
