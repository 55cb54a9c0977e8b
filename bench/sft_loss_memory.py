"""Peak memory of one training step's loss at Gemma 3 270M's head size: the plain logits path vs bench/sft_train.py's
chunked ``answer_loss``, measured on the CPU in the same run.

    .venv/bin/python bench/sft_loss_memory.py [--rows 4 --length 256 --chunk 1024]

The model is one decoder layer of Gemma 3 with the real vocabulary (262,144) and hidden size (640), so the embedding
and tied LM head are the real ones (671 MB in fp32) and the layers are as few as can be: the step's memory beyond
the weights is the loss's. Rows are ``--length`` tokens, the second half the assistant turn. Peak is the most bytes
of CPU tensors alive at once during forward + loss + backward, from torch's profiler memory events (allocations and
frees in time order), after a warm-up step. The gradients of the tied 262,144 x 640 matrix (about 2 GB at their
peak: the embedding's, the head's and their sum) are in both figures whatever the batch. On a GPU the plain path
also holds bf16 copies of the logits (autocast) that this fp32 CPU run does not have.

Measured 2026-12-07 on a shared 2-core CPU (torch 2.13.0+cpu, transformers 5.25.0), fp32:
  --rows 2 --length 512 --chunk 256: plain 3.29 GB peak (largest tensor 1.07 GB), chunked 2.09 GB (0.67 GB): 1.6x
  --rows 4 --length 512 --chunk 1024: plain 6.59 GB (2.15 GB), chunked 3.37 GB (1.07 GB): 2.0x
After the fused loss became the default (the chunked figures above are its ``fused=False`` recompute path), same
machine, ``--rows 4 --length 512 --chunk 1024``: plain 6.59 GB and an 18.3 s step, recompute 3.37 GB and 11.1 s,
fused 4.05 GB and 9.5 s. The fused path keeps the head weight's fp32 gradient (0.67 GB) from forward to backward
instead of recomputing the chunks.
Above the ~2 GB of weight gradients, the plain path's peak grows by about two fp32 copies of the batch's logits
(4.5 GB at 2,048 tokens, so about 18 GB at 8,192), the chunked path's by about one chunk's (1.3 GB at 1,024
positions) whatever the batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.append(str(Path(__file__).resolve().parent))  # at the end: bench/build.py never shadows a package

from sft_train import answer_loss, collate


def peak_cpu_bytes(step: Callable[[], None]) -> tuple[int, int]:
    """The most bytes of CPU tensors alive at once during ``step`` and its largest single allocation (torch's
    profiler memory events, allocations positive and frees negative, summed in time order)."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        step()
    events = sorted((e for e in prof.profiler.kineto_results.events() if e.name() == "[memory]"),
                    key=lambda e: e.start_ns())  # fmt: skip
    if not events:
        raise RuntimeError("the profiler recorded no CPU allocations; this torch does not report memory events")
    live = peak = largest = 0
    for event in events:
        live += event.nbytes()
        peak = max(peak, live)
        largest = max(largest, event.nbytes())
    return peak, largest


def plain_loss(model: Any, batch: dict[str, Any]) -> tuple[Any, int]:
    """The loss as sft_train computed it before: the whole batch's logits, then cross-entropy (the baseline)."""
    import torch

    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1].float()
    target = batch["labels"][:, 1:]
    loss = torch.nn.functional.cross_entropy(
        logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=-100, reduction="sum"
    )
    return loss, int((target != -100).sum())


def main(argv: list[str] | None = None) -> None:
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=4)
    parser.add_argument("--length", type=int, default=256, help="tokens a row; the second half is the answer")
    parser.add_argument("--chunk", type=int, default=1024, help="sft_train's loss_chunk")
    parser.add_argument("--vocab", type=int, default=262_144)
    parser.add_argument("--hidden", type=int, default=640)
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    config = Gemma3TextConfig(
        vocab_size=args.vocab, hidden_size=args.hidden, intermediate_size=2 * args.hidden, num_hidden_layers=1,
        num_attention_heads=4, num_key_value_heads=1, head_dim=256, max_position_embeddings=max(2048, args.length),
    )  # fmt: skip
    model = Gemma3ForCausalLM(config).float().train()
    rows = [([(7 * i + 13 * r) % (args.vocab - 1) + 1 for i in range(args.length)], args.length // 2)
            for r in range(args.rows)]  # fmt: skip
    batch = collate(rows, list(range(args.rows)), 0, "cpu")
    positions = args.rows * (args.length - args.length // 2)
    logits_copy = args.rows * (args.length - 1) * args.vocab * 4

    def step(loss_of: Callable[[], tuple[Any, int]]) -> Callable[[], None]:
        def run() -> None:
            loss, count = loss_of()
            (loss / count).backward()
            model.zero_grad(set_to_none=True)

        return run

    arms = {"plain logits": step(lambda: plain_loss(model, batch)),
            f"recompute ({args.chunk} positions)": step(lambda: answer_loss(model, batch, args.chunk, fused=False)),
            f"fused ({args.chunk} positions)": step(lambda: answer_loss(model, batch, args.chunk))}  # fmt: skip
    figures = {}
    for name, run in arms.items():
        run()  # warm-up: lazy initialisation and first gradient buffers stay out of the figure
        started = time.perf_counter()
        run()
        seconds = time.perf_counter() - started
        peak, largest = peak_cpu_bytes(run)
        figures[name] = peak
        print(f"{name:28s} peak {peak / 1e9:6.2f} GB, largest tensor {largest / 1e9:5.2f} GB, step {seconds:5.1f} s")
    plain, recompute, fused = figures.values()
    print(f"{args.rows} rows x {args.length} tokens, {positions} answer positions, vocabulary {args.vocab}: "
          f"one fp32 copy of the batch's logits is {logits_copy / 1e9:.2f} GB; peak ratio plain/recompute "
          f"{plain / recompute:.1f}x, plain/fused {plain / fused:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
