"""The proof's train rows before and after a trace change: rows changed and characters a family, and (with a GGUF
tokenizer) how long the rows are in tokens and how many pass a length limit.

Build the rows of each checkout with sft_proof's data stage (about 20 s each), then compare::

    python bench/sft_proof.py --gguf M.gguf --trace-style mix --work /tmp/old --out /tmp/old/out --stages data
    python bench/proof_rows.py /tmp/old/build-mix/train.jsonl /tmp/new/build-mix/train.jsonl --gguf M.gguf

The rows are matched by their question (the same recipe and seed give the same problems); the token figures count
the question and the answer, plus ``--template-tokens`` for the chat template around them.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def answers(path: Path) -> dict[str, tuple[str, str]]:
    """question -> (family, assistant text)."""
    return {r["messages"][0]["content"]: (r.get("generator", "?"), r["messages"][-1]["content"]) for r in rows(path)}


def compare(old: Path, new: Path) -> None:
    before, after = answers(old), answers(new)
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for question, (family, text) in after.items():
        was = before.get(question, (family, ""))[1]
        s = stats[family]
        s[0] += 1
        s[1] += text != was
        s[2] += len(was)
        s[3] += len(text)
    print(f"{'family':16} {'rows':>6} {'changed':>8} {'chars before':>13} {'chars after':>12} {'change':>8}")
    for family, (count, changed, was, now) in sorted(stats.items()):
        print(f"{family:16} {count:6} {changed:8} {was:13} {now:12} {100 * (now - was) / max(1, was):+7.1f}%")


def lengths(paths: list[Path], gguf: Path, limit: int, template_tokens: int) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    for path in paths:
        data = list(rows(path))
        questions = tokenizer([r["messages"][0]["content"] for r in data], add_special_tokens=False)["input_ids"]
        replies = tokenizer([r["messages"][-1]["content"] for r in data], add_special_tokens=False)["input_ids"]
        totals = [len(q) + len(a) + template_tokens for q, a in zip(questions, replies, strict=True)]
        over = Counter(r.get("generator", "?") for r, n in zip(data, totals, strict=True) if n > limit)
        answer = sorted(len(a) for a in replies)
        print(f"{path}: {len(data)} rows, {sum(totals)} tokens; answer tokens p50 {answer[len(answer) // 2]}, "
              f"p99 {answer[int(len(answer) * 0.99)]}, max {answer[-1]}; over {limit}: {sum(over.values())} "
              f"{dict(sorted(over.items()))}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="train.jsonl before the change")
    parser.add_argument("new", type=Path, help="train.jsonl after it")
    parser.add_argument("--gguf", type=Path, help="a GGUF whose tokenizer counts the tokens (skipped without)")
    parser.add_argument("--limit", type=int, default=2048, help="tokens a row may have (sft_proof's --max-length)")
    parser.add_argument("--template-tokens", type=int, default=12, help="tokens the chat template adds to a row")
    args = parser.parse_args()
    compare(args.old, args.new)
    if args.gguf is not None:
        lengths([args.old, args.new], args.gguf, args.limit, args.template_tokens)


if __name__ == "__main__":
    main()
