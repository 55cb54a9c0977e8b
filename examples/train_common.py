"""What train_sft.py and train_grpo.py share: reading rows, loading a model to train, precision, saving.

Two traps this file exists for:

- Precision. The weights are loaded in float32 and stay float32 (the optimizer's "master" copy); on a GPU that
  supports it the forward and backward passes run under bfloat16 autocast (``bf16=True`` in the trainer config).
  Loading the weights themselves in bfloat16 makes AdamW round most updates away at a learning rate like 5e-5:
  a bf16 weight near 1.0 moves only in steps of 2^-8, far more than lr x update.
- GGUF. ``from_pretrained(folder, gguf_file=...)`` dequantises a GGUF checkpoint into a normal model, but that
  model refuses ``save_pretrained`` (its quantizer is not serializable). :func:`save` then writes the state dict
  as safetensors next to the config and tokenizer, which ``from_pretrained(out)`` loads like any model folder.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def read_rows(data: str | Path, split: str = "train") -> list[dict[str, Any]]:
    """The rows of a JSONL file, or of ``<split>.jsonl`` in a folder (a ``chukmath build`` run or an export)."""
    path = Path(data)
    if path.is_dir():
        path = path / f"{split}.jsonl"
    if not path.is_file():
        raise SystemExit(f"error: {path}: no such file (give a chukmath build/export folder or a JSONL file)")
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    if not rows:
        raise SystemExit(f"error: {path}: no rows")
    return rows


def device_precision() -> dict[str, Any]:
    """Trainer settings for this machine: bf16 autocast over fp32 weights on a GPU that has bf16, else fp32."""
    import torch

    if torch.cuda.is_available():
        return {"bf16": torch.cuda.is_bf16_supported(), "use_cpu": False}
    return {"bf16": False, "use_cpu": True}


def load_model(
    model: str, gguf_file: str | None = None, attn_implementation: str | None = None, chat_template: str | None = None
) -> tuple[Any, Any]:
    """The model (float32 weights: the master copy) and its tokenizer (with a pad token and a chat template: a GGUF
    tokenizer has none; generation also stops at the end-of-turn token). A GGUF model is dequantised on load and
    its quantizer dropped, so Trainer trains it (see chukmath.eval.local_model)."""
    from chukmath.eval.local_model import load_local_model

    lm, tokenizer, _ = load_local_model(
        model, gguf_file=gguf_file, dtype="float32", attn_implementation=attn_implementation,
        chat_template=chat_template,
    )
    return lm, tokenizer


def save(model: Any, tokenizer: Any, out: str | Path, gguf: bool = False) -> None:
    """Save a trained model so that ``from_pretrained(out)`` loads it, including one loaded from a GGUF file."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(out)
    if not gguf:
        try:
            model.save_pretrained(out)
            return
        except ValueError:  # "... is quantized ... not serializable": a GGUF-loaded model
            pass
    from safetensors.torch import save_model

    config = model.config
    if getattr(config, "quantization_config", None) is not None:
        del config.quantization_config  # the weights written below are plain float tensors
    config.save_pretrained(out)
    if getattr(model, "generation_config", None) is not None:
        model.generation_config.save_pretrained(out)
    save_model(model, str(out / "model.safetensors"))  # drops tied duplicates; from_pretrained ties them again


def summary(trainer: Any) -> dict[str, Any]:
    """What a run did: steps, the last logged training loss, and the log (printed as JSON at the end)."""
    losses = [e["loss"] for e in trainer.state.log_history if "loss" in e]
    loss = losses[-1] if losses else None
    weights = next(trainer.model.parameters())
    return {
        "global_step": trainer.state.global_step,
        "weights": f"{weights.dtype} on {weights.device}",  # float32 master weights, also under bf16 autocast
        "loss": loss,
        "loss_finite": loss is not None and math.isfinite(loss),
        "log_history": trainer.state.log_history,
    }
