"""Reinforcement learning with verifiable rewards: TRL's GRPOTrainer on `chukmath export rl` rows, rewarded by
chukmath's verifier (chukmath.rewards).

    pip install -e '.[train]'
    chukmath export rl --recipe datasets/demo.toml --out rl/
    python examples/train_grpo.py --data rl/ --model runs/sft --out runs/grpo

Each row holds ``prompt`` (chat messages, answer-blind) and the columns the reward functions read (``answer``,
``generator``, ``difficulty``, ``problem_id``); TRL passes them to every reward function as keyword lists.
Rewards (``--rewards``, names from ``chukmath.rewards.REWARDS``): ``accuracy`` (the final answer equals ``answer``
by the verifier) and ``format_lenient`` (R1's ``<think>..</think><answer>..</answer>``, allowing the trailing
``<verifier_answer>`` a chukmath-SFT model writes; use ``format`` for R1-Zero's strict form from a base model).

Precision: float32 weights with bfloat16 autocast on a GPU (see train_common.py). For speed on a GPU, TRL can
generate with vLLM (``use_vllm``); this example keeps to plain transformers generation.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_common import device_precision, load_model, read_rows, save, summary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data", required=True, help="a `chukmath export rl` folder (its train.jsonl) or a JSONL file")
    p.add_argument("--model", default="Qwen/Qwen2.5-0.5B-Instruct", help="model folder or hub id (e.g. an SFT run)")
    p.add_argument("--gguf-file", default=None, help="a GGUF file in --model's folder")
    p.add_argument("--chat-template", default=None, help="gemma, chatml, a file or Jinja text (a GGUF has none)")
    p.add_argument("--out", default="runs/grpo", help="where the trained model is saved")
    p.add_argument("--rewards", default="accuracy,format_lenient", help="comma list of chukmath.rewards.REWARDS names")
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--lr", type=float, default=1e-6)
    p.add_argument("--batch-size", type=int, default=8, help="completions per device step (a multiple of generations)")
    p.add_argument("--num-generations", type=int, default=8, help="completions per prompt (the GRPO group)")
    p.add_argument("--max-completion-length", type=int, default=1024)
    p.add_argument("--temperature", type=float, default=1.0, help="sampling temperature of the generations")
    p.add_argument("--beta", type=float, default=0.0, help="KL coefficient (0: no reference model, as in DAPO/R1)")
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--max-steps", type=int, default=-1)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def reward_functions(names: str) -> list[Any]:
    from chukmath.rewards import REWARDS

    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in REWARDS]
    if unknown or not chosen:
        raise SystemExit(f"error: --rewards {names!r}: choose from {', '.join(REWARDS)}")
    return [REWARDS[n] for n in chosen]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    from trl import GRPOConfig, GRPOTrainer

    from datasets import Dataset

    rows = read_rows(args.data)
    if "prompt" not in rows[0] or "answer" not in rows[0]:
        raise SystemExit("error: rows need 'prompt' and 'answer' (make them with: chukmath export rl --shape trl)")
    model, tokenizer = load_model(args.model, args.gguf_file, chat_template=args.chat_template)
    config = GRPOConfig(
        output_dir=args.out,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        learning_rate=args.lr,
        per_device_train_batch_size=args.batch_size,
        gradient_accumulation_steps=args.grad_accum,
        num_generations=args.num_generations,
        max_completion_length=args.max_completion_length,
        temperature=args.temperature,
        beta=args.beta,
        logging_steps=1,
        save_strategy="no",  # the end of the run saves (a GGUF-loaded model cannot save_pretrained mid-run)
        report_to="none",
        seed=args.seed,
        dataloader_num_workers=0,
        **device_precision(),
    )
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=reward_functions(args.rewards),
        args=config,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
    )
    trainer.train()
    save(trainer.model, tokenizer, args.out, gguf=bool(args.gguf_file))
    result = summary(trainer)
    print(json.dumps({k: v for k, v in result.items() if k != "log_history"}))
    return result


if __name__ == "__main__":
    main()
