"""bench/sft_train.py's lean loss: the LM head and cross-entropy applied to the assistant positions a chunk at a
time (gradients worked out in the forward pass, or each chunk recomputed in backward) give the plain
``model(...).logits`` loss and gradients, and the loss step's peak memory is measured lower. Tiny Gemma 3 (tied
head, final logit soft-capping) and Qwen2 (untied head) models with a 4,096-token vocabulary are built from a
config here; nothing is downloaded. Under CI=true missing torch fails."""

from __future__ import annotations

import importlib.util
import math
from types import ModuleType
from typing import Any

import pytest
from conftest import bench_module, require

VOCAB = 4096


def _require_torch() -> None:
    require([m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None], "the lean-loss tests")


@pytest.fixture(scope="module")
def sft_train() -> ModuleType:
    _require_torch()
    return bench_module("sft_train")


@pytest.fixture(scope="module")
def loss_memory(sft_train: ModuleType) -> ModuleType:
    return bench_module("sft_loss_memory")


def _model(kind: str) -> Any:
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig, Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    common = {
        "vocab_size": VOCAB,
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 1,
        "max_position_embeddings": 512,
        "pad_token_id": 0,
    }
    if kind == "gemma3":
        config = Gemma3TextConfig(**common, head_dim=32, sliding_window=16, final_logit_softcapping=30.0)
        model = Gemma3ForCausalLM(config)
        with torch.no_grad():  # logits of a few tens (the tied head scaled up) so the cap of 30 bends them
            model.lm_head.weight.mul_(100.0)
    else:
        model = Qwen2ForCausalLM(Qwen2Config(**common, tie_word_embeddings=False))
    return model.float().train()


def _encoded(rows: int, seed: int) -> list[tuple[list[int], int]]:
    """Chats as (token ids, first assistant position), of different lengths so batches carry padding."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        length = rng.randrange(20, 90)
        out.append(([rng.randrange(1, VOCAB) for _ in range(length)], rng.randrange(4, length - 8)))
    return out


def _grads(model: Any) -> dict[str, Any]:
    return {name: p.grad.detach().clone() for name, p in model.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("fused", [True, False], ids=["fused", "recompute"])
@pytest.mark.parametrize("kind", ["gemma3", "qwen2"])
@pytest.mark.parametrize("chunk", [7, 100_000])
def test_chunked_loss_and_gradients_equal_the_plain_path(sft_train, loss_memory, kind, chunk, fused):
    import torch

    model = _model(kind)
    encoded = _encoded(5, seed=1)
    batch = sft_train.collate(encoded, list(range(5)), 0, "cpu")

    plain, plain_count = loss_memory.plain_loss(model, batch)
    (plain / plain_count).backward()
    expected = _grads(model)
    model.zero_grad(set_to_none=True)

    lean, count = sft_train.answer_loss(model, batch, chunk, fused=fused)
    (lean / count).backward()
    got = _grads(model)

    assert count == plain_count == sum(len(ids) - start for ids, start in encoded)
    assert torch.allclose(lean, plain, rtol=1e-5, atol=1e-4), (float(lean), float(plain))
    assert got.keys() == expected.keys() and len(got) > 10
    for name, grad in expected.items():
        assert torch.allclose(got[name], grad, rtol=1e-4, atol=1e-6), name


def test_softcapping_is_applied(sft_train, loss_memory):
    """The cap changes the loss here; the chunked path follows the model's own forward with the cap and without."""
    import torch

    model = _model("gemma3").eval()
    batch = sft_train.collate(_encoded(3, seed=2), [0, 1, 2], 0, "cpu")
    with torch.no_grad():
        capped = sft_train.answer_loss(model, batch, 16)[0]
        model.config.final_logit_softcapping = None
        uncapped = sft_train.answer_loss(model, batch, 16)[0]
        assert torch.allclose(uncapped, loss_memory.plain_loss(model, batch)[0], rtol=1e-5)
    assert not torch.allclose(capped, uncapped, rtol=1e-2), (float(capped), float(uncapped))


def test_mean_loss_equals_the_plain_token_weighted_mean(sft_train, loss_memory):
    import torch

    model = _model("gemma3").eval()
    encoded = _encoded(12, seed=3)
    total = count = 0.0
    with torch.no_grad():
        for group in sft_train.batches(encoded, 300, seed=0):
            loss, n = loss_memory.plain_loss(model, sft_train.collate(encoded, group, 0, "cpu"))
            total, count = total + float(loss), count + n
    lean = sft_train.mean_loss(model, encoded, 0, 300, loss_chunk=9)
    assert math.isclose(lean, total / count, rel_tol=1e-5)


def test_a_chunk_below_one_is_refused(sft_train):
    batch = sft_train.collate(_encoded(1, seed=4), [0], 0, "cpu")
    with pytest.raises(ValueError, match="loss chunk 0"):
        sft_train.answer_loss(_model("qwen2"), batch, 0)


def test_training_with_small_chunks_lowers_the_answer_loss(sft_train):
    """The loop trains through the chunked loss: finite losses, and the assistant-turn loss fell."""
    model = _model("qwen2")
    encoded = _encoded(8, seed=5)
    before = sft_train.mean_loss(model, encoded, 0, 400, loss_chunk=5)
    config = sft_train.TrainConfig(epochs=2.0, lr=3e-3, warmup=0.0, tokens_per_batch=400, loss_chunk=5, log_every=1)
    stats = sft_train.train(model, encoded, 0, config)
    after = sft_train.mean_loss(model, encoded, 0, 400, loss_chunk=5)
    assert stats["steps"] >= 2 and all(math.isfinite(loss) for _, loss in stats["curve"])
    assert after < before - 0.1, (before, after)


def test_the_loss_step_peaks_lower(sft_train, loss_memory, capsys):
    """Forward, loss and backward of one batch (4 rows x 96 tokens, vocabulary 4,096, fp32 on CPU): the plain path's
    logits are 6.3 MB a copy; the lean path keeps about one 32-position chunk's at a time."""
    model = _model("gemma3")
    encoded = [(ids[:96] + [1] * (96 - len(ids[:96])), 48) for ids, _ in _encoded(4, seed=6)]
    batch = sft_train.collate(encoded, [0, 1, 2, 3], 0, "cpu")
    logits_copy = 4 * 96 * VOCAB * 4

    def plain() -> None:
        loss, count = loss_memory.plain_loss(model, batch)
        (loss / count).backward()
        model.zero_grad(set_to_none=True)

    def lean() -> None:
        loss, count = sft_train.answer_loss(model, batch, 32)
        (loss / count).backward()
        model.zero_grad(set_to_none=True)

    plain(), lean()  # warm-up: lazy initialisation stays out of the figures
    plain_peak, plain_largest = loss_memory.peak_cpu_bytes(plain)
    lean_peak, lean_largest = loss_memory.peak_cpu_bytes(lean)
    with capsys.disabled():
        print(
            f"\nloss step peak: plain {plain_peak / 1e6:.2f} MB (largest tensor {plain_largest / 1e6:.2f} MB), "
            f"chunked {lean_peak / 1e6:.2f} MB (largest {lean_largest / 1e6:.2f} MB); "
            f"one fp32 logits copy {logits_copy / 1e6:.2f} MB"
        )
    assert plain_largest >= logits_copy * 0.9  # the reference really materialises the batch's logits
    assert lean_largest < logits_copy / 4  # here the embedding gradient (4,096 x 64), not a logits chunk
    assert lean_peak * 3 < plain_peak, (lean_peak, plain_peak)


@pytest.mark.parametrize("kind", ["gemma3", "qwen2"])
def test_fused_loss_under_bf16_autocast_follows_the_plain_path(sft_train, loss_memory, kind):
    """As on the GPU: bf16 autocast, fp32 weights. The fused loss does its head products in bf16 like the model's
    head; loss and gradients agree with the plain path to bf16's precision."""
    import torch

    model = _model(kind)
    batch = sft_train.collate(_encoded(4, seed=7), [0, 1, 2, 3], 0, "cpu")
    with torch.autocast("cpu", dtype=torch.bfloat16):
        plain, count = loss_memory.plain_loss(model, batch)
        (plain / count).backward()
    expected = _grads(model)
    model.zero_grad(set_to_none=True)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        fused, _ = sft_train.answer_loss(model, batch, 9)
        (fused / count).backward()
    got = _grads(model)
    assert math.isclose(float(fused), float(plain), rel_tol=2e-2), (float(fused), float(plain))
    assert got.keys() == expected.keys()
    for name, grad in expected.items():
        scale = float(grad.abs().max()) or 1.0
        assert float((got[name] - grad).abs().max()) <= 0.05 * scale, name
    assert all(g.dtype == torch.float32 for g in got.values())  # gradients land on the fp32 master weights


def test_layer_checkpointing_keeps_the_gradients_and_is_switched_off_after_training(sft_train):
    """Recomputing each decoder layer in backward (for larger batches) changes memory, not maths."""
    import torch

    model = _model("gemma3")
    batch = sft_train.collate(_encoded(4, seed=8), [0, 1, 2, 3], 0, "cpu")
    loss, count = sft_train.answer_loss(model, batch, 16)
    (loss / count).backward()
    expected = _grads(model)
    model.zero_grad(set_to_none=True)
    sft_train.layer_checkpointing(model, True)
    assert model.is_gradient_checkpointing
    again, _ = sft_train.answer_loss(model, batch, 16)
    (again / count).backward()
    got = _grads(model)
    sft_train.layer_checkpointing(model, False)
    assert not model.is_gradient_checkpointing
    assert torch.allclose(again, loss)
    for name, grad in expected.items():
        assert torch.allclose(got[name], grad, rtol=1e-4, atol=1e-6), name

    encoded = _encoded(8, seed=9)
    before = sft_train.mean_loss(model, encoded, 0, 400, loss_chunk=5)
    config = sft_train.TrainConfig(epochs=2.0, lr=3e-3, warmup=0.0, tokens_per_batch=400, loss_chunk=5,
                                   log_every=1, checkpoint_layers=True)  # fmt: skip
    stats = sft_train.train(model, encoded, 0, config)
    assert all(math.isfinite(value) for _, value in stats["curve"])
    assert sft_train.mean_loss(model, encoded, 0, 400, loss_chunk=5) < before - 0.1
    assert not model.is_gradient_checkpointing  # generation after training runs without it


def test_host_side_answer_positions_pick_the_masked_positions(sft_train):
    """collate's ``answer_index`` (worked out on the host, so a step never waits on the GPU) names exactly the
    positions the label mask names, in the same order, and its counts are the batch's."""
    import torch

    model = _model("gemma3")
    encoded = _encoded(6, seed=11)
    batch = sft_train.collate(encoded, [5, 0, 3, 1], 0, "cpu")
    target = batch["labels"][:, 1:]
    masked = torch.nonzero((target != -100).reshape(-1)).squeeze(1)
    assert torch.equal(batch["answer_index"], masked)
    assert batch["answer_count"] == len(masked) == sum(len(encoded[i][0]) - encoded[i][1] for i in [5, 0, 3, 1])
    assert batch["token_count"] == int(batch["attention_mask"].sum())
    with torch.no_grad():
        indexed, indexed_count = sft_train.answer_loss(model, batch, 7)
        no_index = {k: v for k, v in batch.items() if k not in ("answer_index", "answer_count")}
        by_mask, mask_count = sft_train.answer_loss(model, no_index, 7)
    assert indexed_count == mask_count and torch.equal(indexed, by_mask)
