"""Training steps per second of bench/sft_train.py's three ways to take the loss, side by side in one run.

    python bench/sft_step_speed.py [--steps 20 --tokens-per-batch 8192,16384,32768]   # on a GPU: Gemma 3 270M
    python bench/sft_step_speed.py --tiny --steps 3 --tokens-per-batch 2048            # anywhere: a smoke run

The model is Gemma 3 270M's architecture (262,144-token vocabulary, 640 wide, 18 layers, tied head) built from its
config with random weights: no download, and a step's cost does not depend on the weights. Rows are random tokens
of 150-900 (the proof's answer lengths), the last two thirds the assistant turn, grouped under ``--tokens-per-batch``
as sft_train groups them. One step is sft_train.train's own (``train_step``): forward, loss, backward, gradient
clipping, fused AdamW on fp32 master weights under bf16 autocast. Methods, each after 3 warm-up steps on the same
batches:

  plain      the whole batch's logits from ``model(...)``, then cross-entropy (the baseline: the first three runs)
  recompute  answer_loss(fused=False): assistant positions only, a chunk at a time, each chunk recomputed in backward
  fused      answer_loss(): assistant positions only, a chunk at a time, gradients worked out in the forward pass
  M+layers   method M with each decoder layer recomputed in backward (TrainConfig.checkpoint_layers): activations
             of one layer at a time, so larger batches fit

A small model on a GPU is often held up by the host launching kernels, not by the card: larger batches do more work
a launch. Each batch size (``--tokens-per-batch``, comma-separated) runs every method; a method that runs out of
memory says so and the run goes on. Prints steps/s, tokens/s and peak memory, and each line's tokens/s as a ratio of
the first line's (the baseline: plain at the first batch size).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))  # at the end: bench/build.py never shadows a package

from sft_loss_memory import plain_loss
from sft_train import answer_loss, batches, collate, layer_checkpointing, train_step

GEMMA3_270M = {
    "vocab_size": 262_144, "hidden_size": 640, "intermediate_size": 2048, "num_hidden_layers": 18,
    "num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 256, "sliding_window": 512,
    "query_pre_attn_scalar": 256, "max_position_embeddings": 32_768, "tie_word_embeddings": True,
    "pad_token_id": 0,
}  # fmt: skip
TINY = {**GEMMA3_270M, "vocab_size": 4096, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
        "num_attention_heads": 2, "head_dim": 32}  # fmt: skip


def rows(count: int, vocab: int, seed: int) -> list[tuple[list[int], int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        length = rng.randrange(150, 900)
        out.append(([rng.randrange(4, vocab) for _ in range(length)], length // 3))
    return out


def time_method(name: str, model: Any, groups: list[list[int]], encoded: list[tuple[list[int], int]],
                device: str, chunk: int) -> dict[str, Any]:  # fmt: skip
    import torch

    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5, fused=device == "cuda")
    cuda = device == "cuda"
    name, _, layers = name.partition("+")
    if layers:
        layer_checkpointing(model, True)
    model.train()

    def loss_of(model: Any, batch: dict[str, Any]) -> Any:
        if name == "plain":
            return plain_loss(model, batch)
        return answer_loss(model, batch, chunk, fused=name == "fused")

    def step(group: list[int]) -> int:
        batch = collate(encoded, group, 0, device)
        train_step(model, batch, optimizer, loss_of)
        return int(batch["token_count"])

    for group in groups[:3]:
        step(group)
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    tokens = sum(step(group) for group in groups[3:])
    if cuda:
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    if layers:
        layer_checkpointing(model, False)
    steps = len(groups) - 3
    return {"method": name + ("+layers" if layers else ""), "steps": steps, "seconds": seconds,
            "steps_per_s": steps / seconds, "tokens_per_s": tokens / seconds,
            "peak_gb": torch.cuda.max_memory_allocated() / 1e9 if cuda else None}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20, help="timed steps per method (after 3 warm-up steps)")
    parser.add_argument("--tokens-per-batch", default="8192", help="batch sizes in tokens, comma-separated")
    parser.add_argument("--chunk", type=int, default=1024, help="positions a loss chunk holds")
    parser.add_argument("--methods", default="plain,recompute,fused,fused+layers")
    parser.add_argument("--tiny", action="store_true", help="a small model of the same kind (smoke run)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.tokens_per_batch.split(",") if size]

    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = True
    shape = TINY if args.tiny else GEMMA3_270M
    torch.manual_seed(0)
    model = Gemma3ForCausalLM(Gemma3TextConfig(**shape)).float().to(device).train()
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    print(f"{torch.cuda.get_device_name() if device == 'cuda' else 'cpu'}, torch {torch.__version__}, "
          f"{'tiny' if args.tiny else 'Gemma 3 270M'} shape, {args.steps} timed steps a line, "
          f"loss chunk {args.chunk}")  # fmt: skip
    methods = args.methods.split(",")
    base: dict[str, Any] | None = None
    for index, size in enumerate(sizes):
        encoded = rows(size * (args.steps + 3) // 300, shape["vocab_size"], seed=0)
        groups = batches(encoded, size, seed=0)[: args.steps + 3]
        if index == 0:
            # One untimed pass of the first method first: on an H100 (2026-12-07) the first method timed in a process
            # ran at half its pace (fused 3.04 steps/s first, 6.63 when timed again after the others; plain 1.33
            # first, 6.11 later), its 3 warm-up steps too few for the process's one-time CUDA and allocator costs.
            model.load_state_dict(state)
            time_method(methods[0], model, groups, encoded, device, args.chunk)
            if device == "cuda":
                torch.cuda.empty_cache()
        for name in methods:
            model.load_state_dict(state)
            try:
                r = time_method(name, model, groups, encoded, device, args.chunk)
            except torch.OutOfMemoryError as error:
                print(f"{size:>6} tokens {name:>14}: out of memory ({str(error).splitlines()[0][:80]})", flush=True)
                model.zero_grad(set_to_none=True)
                torch.cuda.empty_cache()
                continue
            if device == "cuda":
                torch.cuda.empty_cache()
            base = base or r
            peak = "" if r["peak_gb"] is None else f", peak {r['peak_gb']:.1f} GB"
            print(f"{size:>6} tokens {r['method']:>14}: {r['steps_per_s']:.2f} steps/s, {r['tokens_per_s']:,.0f} "
                  f"tokens/s{peak}, {r['tokens_per_s'] / base['tokens_per_s']:.2f}x the first line's tokens/s",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
