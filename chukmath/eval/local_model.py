"""Loading a local causal LM (a folder, a hub id, or a GGUF file) ready to generate or to train.

A GGUF file is dequantised by ``transformers`` into ordinary float tensors, but the model keeps the GGUF
"quantizer": ``Trainer`` then refuses to train it ("purely quantized models") and ``save_pretrained`` refuses to
save it. The weights are plain floats, so the quantizer is dropped here. A GGUF tokenizer also comes without a chat
template and with generation ending only at ``<eos>``; :func:`chukmath.eval.chat_templates.prepare` fixes that.
"""

from __future__ import annotations

from typing import Any

from chukmath.errors import TeacherError


def load_local_model(
    model: str,
    *,
    gguf_file: str | None = None,
    dtype: str = "float32",
    attn_implementation: str | None = None,
    chat_template: str | None = None,
) -> tuple[Any, Any, str]:
    """``(model, tokenizer, chat template source)``: weights in ``dtype``, a pad token, a chat template, stop tokens."""
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
    except ImportError as exc:
        raise TeacherError(f"a local model needs torch and transformers ({exc}); pip install -e '.[train]'") from None
    from chukmath.eval.chat_templates import prepare

    extra: dict[str, Any] = {"gguf_file": gguf_file} if gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(model, **extra)
        if attn_implementation:
            extra["attn_implementation"] = attn_implementation
        lm = AutoModelForCausalLM.from_pretrained(model, dtype=getattr(torch, dtype), **extra)
    except (OSError, ValueError) as exc:
        where = f"{model} ({gguf_file})" if gguf_file else model
        raise TeacherError(f"--model {where}: cannot load it with transformers ({exc})") from None
    if gguf_file:
        plain_weights(lm)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    source = prepare(tokenizer, lm, chat_template)
    return lm, tokenizer, source


def plain_weights(model: Any) -> None:
    """Forget a GGUF model's quantizer: its tensors were dequantised on load, so it trains and saves as plain."""
    quantizer = getattr(model, "hf_quantizer", None)
    if quantizer is not None:
        quantizer.remove_quantization_config(model)  # transformers' own undo: quantizer, config entry, is_quantized
    model.is_quantized = False
    for module in model.modules():
        config = getattr(module, "config", None)
        if getattr(config, "_is_quantized", False):
            config._is_quantized = False


__all__ = ["load_local_model", "plain_weights"]
