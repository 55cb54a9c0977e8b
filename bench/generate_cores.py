"""``compute_chunk`` (worker processes) against ``Stream.next_new`` (one process) on a machine with idle cores.

The twin rule of issue 20 keeps a fast path only where it pays at least 2x on its stage. ``compute_chunk`` is the
multi-core path of ``chukmath generate``: this times the same run's JSONL lines (``Run.lines``) with 1 worker (the
general code) and with 2, 4, 8 and 16 worker processes, checks the bytes are equal, and prints lines/s and the
ratio to one worker. Run: ``python bench/generate_cores.py [--family arithmetic] [--count 200000]``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time

from chukmath.generate import generate


def timed(family: str, count: int, workers: int) -> tuple[float, str]:
    digest = hashlib.sha256()
    started = time.perf_counter()
    for line in generate(family, seed=1, count=count).lines(workers):
        digest.update(line)
    return time.perf_counter() - started, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", default="arithmetic")
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--workers", default="1,2,4,8,16")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"{args.family}, {args.count:,} problems, {cores} usable cores")
    base_s, base_hash = timed(args.family, args.count, 1)
    print("| workers | lines/s | vs 1 worker | same bytes |\n|---|---|---|---|")
    print(f"| 1 | {args.count / base_s:,.0f} | 1.00x | - |", flush=True)
    for workers in (int(w) for w in args.workers.split(",")):
        if workers == 1 or workers > cores:
            continue
        seconds, digest = timed(args.family, args.count, workers)
        print(f"| {workers} | {args.count / seconds:,.0f} | {base_s / seconds:.2f}x | {digest == base_hash} |",
              flush=True)


if __name__ == "__main__":
    main()
