"""Shared pieces of the training-example and transformers-teacher tests: a tiny causal LM and tokenizer made here
(nothing downloaded), the example scripts loaded as modules, and the loss of a model on chat rows.

Imported by test_examples_train*.py and test_eval_transformers.py; it holds no tests itself.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from conftest import require

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SPECIAL = ["<pad>", "<unk>", "<s>", "</s>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|> {{ m['content'] }} </s> {% endfor %}"
    "{% if add_generation_prompt %}<|assistant|> {% endif %}"
)


def require_training() -> None:
    """Skip without torch/trl/transformers/datasets; under CI=true fail instead."""
    missing = [m for m in ("torch", "trl", "transformers", "datasets") if importlib.util.find_spec(m) is None]
    require(missing, "the training tests (pip install -e '.[train]')")


def texts_of(rows: list[dict[str, Any]]) -> list[str]:
    """Every message text of chat rows (``messages``) and RL rows (``prompt``)."""
    out = []
    for row in rows:
        for key in ("messages", "prompt", "completion"):
            value = row.get(key)
            if isinstance(value, list):
                out += [m["content"] for m in value]
            elif isinstance(value, str):
                out.append(value)
    return out


def tiny_model_dir(path: Path, texts: list[str], *, seed: int = 0) -> Path:
    """Save a 2-layer Qwen2 (hidden 32) and a word-level tokenizer fitted on ``texts`` (with a chat template) into
    ``path``, loadable with ``from_pretrained(path)``."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    words = {w for text in texts for w in text.split()}
    words |= {"<think>", "</think>", "<answer>", "</answer>", "=", "+", "-", "*", "/", *map(str, range(20))}
    vocab = {tok: i for i, tok in enumerate(SPECIAL + sorted(words - set(SPECIAL)))}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=1024, pad_token_id=0, bos_token_id=2, eos_token_id=3,
        tie_word_embeddings=True,
    )  # fmt: skip
    Qwen2ForCausalLM(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def load_example(name: str) -> ModuleType:
    """``examples/<name>.py`` as a module (its ``main(argv)`` runs the script in this process)."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def completion_loss(model_dir: Path, rows: list[dict[str, Any]]) -> float:
    """Mean cross-entropy of the assistant turn of chat ``rows`` given the turns before it (what SFT lowers)."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    total = 0.0
    with torch.no_grad():
        for row in rows:
            prompt = tokenizer.apply_chat_template(row["messages"][:-1], add_generation_prompt=True, tokenize=False)
            full = tokenizer.apply_chat_template(row["messages"], tokenize=False)
            prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            ids = tokenizer(full, add_special_tokens=False, return_tensors="pt")["input_ids"]
            labels = ids.clone()
            labels[:, : len(prompt_ids)] = -100
            total += float(model(input_ids=ids, labels=labels).loss)
    return total / len(rows)
