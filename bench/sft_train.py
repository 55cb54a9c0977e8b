"""The fine-tuning loop of ``bench/sft_proof.py``: chat rows in, a fully fine-tuned causal LM out.

Plain PyTorch on purpose: the device machine has torch and transformers but not TRL or ``datasets``, and the loop
is small. fp32 master weights with bf16 autocast (AdamW on bf16 weights at lr 5e-5 rounds most updates away),
loss on the assistant turn only, length-bucketed batches under a token budget, cosine schedule with warm-up.

The loss never holds the logits of a whole batch: a 262k vocabulary makes them 8.6 GB per fp32 copy at 8,192
tokens, and the forward, softmax and gradient copies were most of a process's GPU memory. ``answer_loss`` takes the
model's final hidden states, keeps the assistant positions only, and applies the LM head and cross-entropy to
``loss_chunk`` positions at a time, each chunk recomputed in backward (``torch.utils.checkpoint``), so at most one
chunk's logits exist at once. The value and the gradients are the plain ``model(...).logits`` path's.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class TrainConfig:
    """What a run of the loop may change; the defaults are the ones the proof used."""

    epochs: float = 1.0
    lr: float = 5e-5
    weight_decay: float = 0.0
    warmup: float = 0.03
    max_length: int = 640
    tokens_per_batch: int = 16384
    seed: int = 0
    log_every: int = 50
    loss_chunk: int = 1024
    checkpoint_layers: bool = False  # recompute each decoder layer in backward: activations of one layer at a time
    fused_loss: bool = True  # answer_loss's head gradients in the forward pass; False: recompute each chunk in backward


def encode_rows(tokenizer: Any, rows: list[list[dict[str, str]]], max_length: int) -> list[tuple[list[int], int]]:
    """Each chat as (token ids, index of the first assistant token); rows longer than ``max_length`` are dropped."""
    encoded: list[tuple[list[int], int]] = []
    for messages in rows:
        prompt_ids = tokenizer.apply_chat_template(messages[:-1], add_generation_prompt=True, tokenize=True)
        full_ids = tokenizer.apply_chat_template(messages, tokenize=True)
        prompt_ids = _ids(prompt_ids)
        full_ids = _ids(full_ids)
        if full_ids[: len(prompt_ids)] != prompt_ids or len(full_ids) > max_length:
            continue
        encoded.append((full_ids, len(prompt_ids)))
    return encoded


def _ids(value: Any) -> list[int]:
    # transformers 5 returns a BatchEncoding from apply_chat_template(tokenize=True); 4.x returned a list
    if isinstance(value, list):
        return value
    return list(value["input_ids"])


def batches(encoded: list[tuple[list[int], int]], tokens_per_batch: int, seed: int) -> list[list[int]]:
    """Indices grouped by similar length so padding stays small; the batch order is shuffled."""
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    groups: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = max(len(encoded[j][0]) for j in [*current, i])
        if current and longest * (len(current) + 1) > tokens_per_batch:
            groups.append(current)
            current = []
        current.append(i)
    if current:
        groups.append(current)
    random.Random(seed).shuffle(groups)
    return groups


def collate(encoded: list[tuple[list[int], int]], group: list[int], pad_id: int, device: str) -> dict[str, Any]:
    """Right-padded input ids, attention mask and labels (-100 on the prompt and padding), built on the host and sent
    with one copy each. Beside them, worked out on the host so the training step never waits on the GPU to learn
    them: ``answer_index``, the flat positions (into the ``(rows, longest - 1)`` grid of next-token predictions)
    whose target is an assistant token, and ``answer_count`` and ``token_count`` as plain ints."""
    import torch

    longest = max(len(encoded[i][0]) for i in group)
    ids = torch.full((len(group), longest), pad_id, dtype=torch.long)
    labels = torch.full((len(group), longest), -100, dtype=torch.long)
    mask = torch.zeros((len(group), longest), dtype=torch.long)
    answer: list[torch.Tensor] = []
    tokens_in_batch = 0
    for row, i in enumerate(group):
        tokens, start = encoded[i]
        ids[row, : len(tokens)] = torch.tensor(tokens)
        labels[row, start : len(tokens)] = torch.tensor(tokens[start:])
        mask[row, : len(tokens)] = 1
        tokens_in_batch += len(tokens)
        # prediction p (made at position p) has target token p + 1: the labelled targets are max(start, 1)..len - 1
        answer.append(torch.arange(max(start, 1) - 1, len(tokens) - 1) + row * (longest - 1))
    index = torch.cat(answer)  # a group is never empty (batches() makes none)
    pinned = device.startswith("cuda") and torch.cuda.is_available()
    sent = {
        name: (tensor.pin_memory() if pinned else tensor).to(device, non_blocking=pinned)
        for name, tensor in (("input_ids", ids), ("attention_mask", mask), ("labels", labels), ("answer_index", index))
    }
    return {**sent, "answer_count": len(index), "token_count": tokens_in_batch}


def _chunk_logits(head: Any, states: Any, cap: float | None) -> Any:
    """fp32 logits of ``states`` through the LM head, soft-capped as the model's own forward does."""
    import torch

    logits = head(states).float()
    if cap is not None:
        logits = torch.tanh(logits / cap) * cap
    return logits


def _head_loss_with_grads(states: Any, weight: Any, wanted: Any, cap: float | None, chunk: int) -> tuple[Any, ...]:
    """Summed cross-entropy of ``states @ weight.T`` (soft-capped) against ``wanted``, with its gradients for the
    states and the head weight, worked out chunk by chunk in one pass: softmax minus one-hot, through the cap's
    derivative, then two matrix products. The matrix products run in the autocast dtype where autocast is on (as
    the model's head would), the softmax in fp32."""
    import torch

    dtype = torch.get_autocast_dtype("cuda" if states.is_cuda else "cpu")
    autocast = torch.is_autocast_enabled(states.device.type)
    compute = dtype if autocast else weight.dtype
    w = weight.to(compute)
    total = torch.zeros((), dtype=torch.float32, device=states.device)
    grad_states = torch.empty_like(states, dtype=torch.float32)
    grad_weight = torch.zeros_like(weight, dtype=torch.float32)
    for start in range(0, len(wanted), chunk):
        part = states[start : start + chunk].to(compute)
        target = wanted[start : start + chunk]
        raw = (part @ w.T).float()
        if cap is not None:
            bent = torch.tanh(raw / cap)
            logits = bent * cap
        else:
            logits = raw
        log_norm = torch.logsumexp(logits, dim=-1)
        total += (log_norm - logits.gather(1, target[:, None]).squeeze(1)).sum()
        grad = torch.exp(logits - log_norm[:, None])  # softmax
        grad[torch.arange(len(target), device=grad.device), target] -= 1.0
        if cap is not None:
            grad *= 1.0 - bent * bent  # d(cap * tanh(x / cap)) / dx
        grad = grad.to(compute)
        grad_states[start : start + chunk] = (grad @ w).float()
        grad_weight += (grad.T @ part).float()
    return total, grad_states, grad_weight


def _fused_head_loss() -> Any:
    """An autograd function whose forward computes the loss and both gradients at once (``_head_loss_with_grads``)
    and whose backward only scales them: the LM head's matrix products run as often as in the plain path (one
    forward, two backward), with no recompute and no logits kept beyond one chunk."""
    import torch

    class FusedHeadLoss(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, states: Any, weight: Any, wanted: Any, cap: float | None, chunk: int) -> Any:
            total, grad_states, grad_weight = _head_loss_with_grads(states, weight, wanted, cap, chunk)
            ctx.save_for_backward(grad_states, grad_weight)
            ctx.dtypes = (states.dtype, weight.dtype)
            return total

        @staticmethod
        def backward(ctx: Any, grad_total: Any) -> tuple[Any, ...]:
            grad_states, grad_weight = ctx.saved_tensors
            states_dtype, weight_dtype = ctx.dtypes
            return (
                (grad_states * grad_total).to(states_dtype),
                (grad_weight * grad_total).to(weight_dtype),
                None,
                None,
                None,
            )

    return FusedHeadLoss


def answer_loss(model: Any, batch: dict[str, Any], chunk: int, *, fused: bool = True) -> tuple[Any, int]:
    """Summed next-token cross-entropy over the labelled (assistant) positions of ``batch``, and how many there are.

    Equal to cross-entropy over ``model(...).logits`` with ``ignore_index=-100`` (including Gemma's final logit
    soft-capping), but the logits of at most ``chunk`` positions exist at a time. Under autograd, ``fused`` (the
    default) works out the head's gradients chunk by chunk in the forward pass itself (``_fused_head_loss``);
    ``fused=False`` recomputes each chunk in backward instead (``torch.utils.checkpoint``: one more head product per
    position). Either way the graph holds hidden states, not logits."""
    import torch
    from torch.utils.checkpoint import checkpoint

    if chunk < 1:
        raise ValueError(f"loss chunk {chunk}: must be >= 1 (positions whose logits are computed at once)")
    hidden = model.get_decoder()(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
    predictions = hidden.last_hidden_state[:, :-1]
    target = batch["labels"][:, 1:]
    if "answer_index" in batch:  # collate's host-side positions: no device-to-host wait for a mask's nonzeros
        index = batch["answer_index"]
        states = predictions.reshape(-1, predictions.size(-1)).index_select(0, index)
        wanted = target.reshape(-1).index_select(0, index)
        count = batch["answer_count"]
    else:
        keep = target != -100
        states = predictions[keep]
        wanted = target[keep]
        count = len(wanted)
    head = model.get_output_embeddings()
    cap = getattr(model.config, "final_logit_softcapping", None)
    if torch.is_grad_enabled() and fused and getattr(head, "bias", None) is None:
        return _fused_head_loss().apply(states, head.weight, wanted, cap, chunk), count

    def chunk_loss(states: Any, wanted: Any) -> Any:
        return torch.nn.functional.cross_entropy(_chunk_logits(head, states, cap), wanted, reduction="sum")

    total = states.new_zeros((), dtype=torch.float32)
    for start in range(0, count, chunk):
        part = (states[start : start + chunk], wanted[start : start + chunk])
        if torch.is_grad_enabled():
            total = total + checkpoint(chunk_loss, *part, use_reentrant=False)
        else:
            total = total + chunk_loss(*part)
    return total, count


def mean_loss(
    model: Any, encoded: list[tuple[list[int], int]], pad_id: int, tokens_per_batch: int, loss_chunk: int = 1024
) -> float:
    """Token-weighted mean loss on the assistant turns of ``encoded``."""
    import torch

    device = next(model.parameters()).device
    total = count = 0.0
    model.eval()
    with torch.no_grad():
        for group in batches(encoded, tokens_per_batch, seed=0):
            batch = collate(encoded, group, pad_id, str(device))
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss, tokens = answer_loss(model, batch, loss_chunk)
            total += float(loss)
            count += tokens
    return total / max(count, 1.0)


def layer_checkpointing(model: Any, on: bool) -> None:
    """Recompute each decoder layer in backward (``on``) or keep its activations: transformers' activation
    checkpointing, under the name the installed version has (``activation_checkpointing_*`` in newer releases,
    ``gradient_checkpointing_*`` before, and in the device machine's 5.17)."""
    prefix = "activation" if hasattr(model, "activation_checkpointing_enable") else "gradient"
    if on:
        getattr(model, f"{prefix}_checkpointing_enable")(**{f"{prefix}_checkpointing_kwargs": {"use_reentrant": False}})
    else:
        getattr(model, f"{prefix}_checkpointing_disable")()


def train_step(model: Any, batch: dict[str, Any], optimizer: Any, loss_of: Callable[[Any, dict[str, Any]], Any]) -> Any:
    """One optimiser step on ``batch``: ``loss_of(model, batch)`` (summed loss, positions) under bf16 autocast on a
    GPU, the mean's backward, gradients clipped to norm 1, the step, gradients cleared; returns the mean loss."""
    import torch

    device = next(model.parameters()).device
    with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
        summed, count = loss_of(model, batch)
    loss = summed / max(count, 1)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss


def train(model: Any, encoded: list[tuple[list[int], int]], pad_id: int, config: TrainConfig) -> dict[str, Any]:
    """Fine-tune ``model`` in place; returns the loss curve and timings."""
    import torch

    device = next(model.parameters()).device
    if config.checkpoint_layers:
        layer_checkpointing(model, True)
    model.train()
    torch.manual_seed(config.seed)
    groups = batches(encoded, config.tokens_per_batch, config.seed)
    steps = max(1, int(len(groups) * config.epochs))
    warmup = max(1, int(steps * config.warmup))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay, fused=True)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda s: (s + 1) / warmup if s < warmup else 0.5 * (1 + math.cos(math.pi * (s - warmup) / (steps - warmup))),
    )
    curve: list[tuple[int, float]] = []
    cuda = device.type == "cuda"
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
    started = time.perf_counter()
    tokens = 0
    order = groups
    for step in range(steps):
        if step and step % len(groups) == 0:  # each further epoch visits the same batches in a new order
            order = groups[:]
            random.Random(config.seed + step // len(groups)).shuffle(order)
        group = order[step % len(groups)]
        batch = collate(encoded, group, pad_id, str(device))
        loss = train_step(
            model, batch, optimizer, lambda m, b: answer_loss(m, b, config.loss_chunk, fused=config.fused_loss)
        )
        schedule.step()
        tokens += batch["token_count"]
        if step % config.log_every == 0 or step == steps - 1:
            curve.append((step, float(loss.detach())))
            elapsed = time.perf_counter() - started
            print(f"  step {step + 1}/{steps} loss {curve[-1][1]:.4f} after {elapsed:.0f} s", flush=True)
    model.eval()
    if config.checkpoint_layers:
        layer_checkpointing(model, False)
    seconds = time.perf_counter() - started
    stats: dict[str, Any] = {
        "steps": steps,
        "seconds": seconds,
        "tokens": tokens,
        "tokens_per_s": tokens / seconds,
        "curve": curve,
    }
    if cuda:  # what an arm really needs, for sizing how many run beside each other on one GPU
        stats["cuda_peak_allocated_gb"] = torch.cuda.max_memory_allocated(device) / 1e9
        stats["cuda_peak_reserved_gb"] = torch.cuda.max_memory_reserved(device) / 1e9
    return stats
