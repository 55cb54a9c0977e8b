"""Supervised fine-tuning on a chukmath build: TRL's SFTTrainer on the run's train.jsonl, loss on the answer only.

    pip install -e '.[train]'
    chukmath build --recipe datasets/demo.toml --out datasets/demo
    python examples/train_sft.py --data datasets/demo --model Qwen/Qwen2.5-0.5B-Instruct --out runs/sft
    # Gemma 3 270M from a GGUF file (weights are dequantised to float32 for training):
    python examples/train_sft.py --data datasets/demo --model path/to/folder --gguf-file gemma-3-270m-it-F16.gguf

Then measure it: ``chukmath eval --recipe datasets/demo.toml --split test --teacher transformers --model runs/sft``.

Loss on the assistant turn only. Each chat row ``{"messages": [user, assistant]}`` is split into TRL's
conversational prompt-completion shape (``prompt`` = the turns before the answer, ``completion`` = the assistant
turn), and SFTTrainer then computes the loss on the completion tokens only (``completion_only_loss``, its default
for that shape). This works with any chat template. The alternative, ``assistant_only_loss=True`` on the messages
as they are, needs a chat template with ``{% generation %}`` markers, which most shipped templates (Gemma's, Qwen's)
do not have.

Precision: float32 weights with bfloat16 autocast on a GPU (see train_common.py for why not bf16 weights).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_common import device_precision, load_model, read_rows, save, summary


def prompt_completion(row: dict[str, Any]) -> dict[str, Any]:
    """A chukmath chat row as TRL's conversational prompt-completion pair (the last turn is the answer)."""
    messages = row["messages"]
    if not messages or messages[-1]["role"] != "assistant":
        raise SystemExit(f"error: row {row.get('id', '?')}: the last message must be the assistant's answer")
    return {"prompt": messages[:-1], "completion": messages[-1:]}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", required=True, help="a chukmath build folder (its train.jsonl) or a chat JSONL file")
    p.add_argument("--model", default="Qwen/Qwen2.5-0.5B-Instruct", help="model folder or hub id")
    p.add_argument("--gguf-file", default=None, help="a GGUF file in --model's folder (e.g. Gemma 3 270M)")
    p.add_argument("--chat-template", default=None, help="gemma, chatml, a file or Jinja text (a GGUF has none)")
    p.add_argument("--out", default="runs/sft", help="where the trained model is saved")
    p.add_argument("--epochs", type=float, default=2.0)
    p.add_argument("--lr", type=float, default=5e-5, help="learning rate (full fine-tune of a small model)")
    p.add_argument("--max-length", type=int, default=1024, help="tokens per row; longer rows are cut")
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--grad-accum", type=int, default=1, help="gradient accumulation steps")
    p.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (-1: run the epochs)")
    p.add_argument("--warmup", type=float, default=0.03, help="warmup: a share of the steps (< 1) or a step count")
    p.add_argument("--attn-implementation", default=None, help="e.g. eager (recommended for Gemma 3 training)")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    from trl import SFTConfig, SFTTrainer

    from datasets import Dataset

    rows = [prompt_completion(r) for r in read_rows(args.data)]
    model, tokenizer = load_model(args.model, args.gguf_file, args.attn_implementation, args.chat_template)
    config = SFTConfig(
        output_dir=args.out,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        lr_scheduler_type="cosine",
        warmup_steps=args.warmup,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        max_length=args.max_length,
        completion_only_loss=True,
        logging_steps=1,
        save_strategy="no",  # the end of the run saves (a GGUF-loaded model cannot save_pretrained mid-run)
        report_to="none",
        seed=args.seed,
        dataloader_num_workers=0,
        **device_precision(),
    )
    trainer = SFTTrainer(model=model, args=config, train_dataset=Dataset.from_list(rows), processing_class=tokenizer)
    trainer.train()
    save(trainer.model, tokenizer, args.out, gguf=bool(args.gguf_file))
    result = summary(trainer)
    print(json.dumps({k: v for k, v in result.items() if k != "log_history"}))
    return result


if __name__ == "__main__":
    main()
