"""The fine-tuning loop of ``bench/sft_proof.py``: chat rows in, a fully fine-tuned causal LM out.

Plain PyTorch on purpose: the device machine has torch and transformers but not TRL or ``datasets``, and the loop
is small. fp32 master weights with bf16 autocast (AdamW on bf16 weights at lr 5e-5 rounds most updates away),
loss on the assistant turn only, length-bucketed batches under a token budget, cosine schedule with warm-up.
"""

from __future__ import annotations

import math
import random
import time
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
    """Right-padded input ids, attention mask and labels (-100 on the prompt and padding)."""
    import torch

    longest = max(len(encoded[i][0]) for i in group)
    ids = torch.full((len(group), longest), pad_id, dtype=torch.long)
    labels = torch.full((len(group), longest), -100, dtype=torch.long)
    mask = torch.zeros((len(group), longest), dtype=torch.long)
    for row, i in enumerate(group):
        tokens, start = encoded[i]
        ids[row, : len(tokens)] = torch.tensor(tokens)
        labels[row, start : len(tokens)] = torch.tensor(tokens[start:])
        mask[row, : len(tokens)] = 1
    return {"input_ids": ids.to(device), "attention_mask": mask.to(device), "labels": labels.to(device)}


def mean_loss(model: Any, encoded: list[tuple[list[int], int]], pad_id: int, tokens_per_batch: int) -> float:
    """Token-weighted mean loss on the assistant turns of ``encoded``."""
    import torch

    device = next(model.parameters()).device
    total = count = 0.0
    model.eval()
    with torch.no_grad():
        for group in batches(encoded, tokens_per_batch, seed=0):
            batch = collate(encoded, group, pad_id, str(device))
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
            logits = out.logits[:, :-1].float()
            target = batch["labels"][:, 1:]
            loss = torch.nn.functional.cross_entropy(
                logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100, reduction="sum"
            )
            total += float(loss)
            count += float((target != -100).sum())
    return total / max(count, 1.0)


def train(model: Any, encoded: list[tuple[list[int], int]], pad_id: int, config: TrainConfig) -> dict[str, Any]:
    """Fine-tune ``model`` in place; returns the loss curve and timings."""
    import torch

    device = next(model.parameters()).device
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
    started = time.perf_counter()
    tokens = 0
    for step in range(steps):
        group = groups[step % len(groups)]
        batch = collate(encoded, group, pad_id, str(device))
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        logits = out.logits[:, :-1].float()
        target = batch["labels"][:, 1:]
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100
        )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        tokens += int(batch["attention_mask"].sum())
        if step % config.log_every == 0 or step == steps - 1:
            curve.append((step, float(loss.detach())))
            print(f"  step {step + 1}/{steps} loss {curve[-1][1]:.4f}", flush=True)
    model.eval()
    seconds = time.perf_counter() - started
    return {"steps": steps, "seconds": seconds, "tokens": tokens, "tokens_per_s": tokens / seconds, "curve": curve}
