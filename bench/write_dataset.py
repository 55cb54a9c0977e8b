"""Benchmark of `chukmath verify`'s writer: throughput against the unavoidable floor, and memory against size.

Run: .venv/bin/python bench/write_dataset.py [--problems N] [--samples K]

Inputs are realistic: N arithmetic problems, their rendered requests, and a journal of K answers per problem in
shuffled (completion) order, one in five wrong, one retried error per hundred keys.
- Throughput baseline (same run): the floor every writer pays — parse the three files and verify every answer,
  without ordering or writing. Ratio = write_dataset time / floor time.
- Memory: peak RSS of a child process running write_dataset at N and 4N problems, against a naive writer that
  holds the journal and problems in dicts (the obvious alternative). Growth from N to 4N is what scales.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from chukmath.hashing import content_hash
from chukmath.jsonl import read_jsonl
from chukmath.records import Problem, Request, Response
from chukmath.verify import Policy, verify_response
from chukmath.write import DatasetPaths, SelectOptions, write_dataset


def make_inputs(root: Path, n: int, k: int, seed: int = 5) -> DatasetPaths:
    """Write problems, requests and a shuffled journal for ``n`` problems with ``k`` answers each."""
    rng = random.Random(seed)
    problems, requests, journal = [], [], []
    for i in range(n):
        a, b, c = rng.randint(10, 999), rng.randint(10, 999), rng.randint(10, 999)
        total = a + b + c
        pid = f"arithmetic-{seed}-{i}"
        problems.append({
            "id": pid, "generator": "arithmetic", "difficulty": 1 + i % 3, "seed": seed, "index": i,
            "question": f"What is {a} + {b} + {c}?", "expression": f"{a} + {b} + {c}", "answer": str(total), "meta": {},
        })  # fmt: skip
        messages = [
            {"role": "system", "content": "You are a careful mathematics teacher."},
            {
                "role": "user",
                "content": f"Solve step by step, answer in <answer></answer>.\n\nWhat is {a} + {b} + {c}?",
            },
        ]
        rid = content_hash({"messages": messages})
        requests.append(
            {"id": rid, "problem_id": pid, "template": "cot", "template_hash": "h" * 32, "messages": messages}
        )
        for s in range(k):
            final = total + (1 if rng.random() < 0.2 else 0)
            think = f"{a} + {b} = {a + b}\n{a + b} + {c} = {final}\nSo the sum is {final}."
            content = (
                f"<think>\n{think}\n</think>\n<answer>{final}</answer>\n<verifier_answer>{final}</verifier_answer>"
            )
            line = {
                "request_id": rid, "sample": s, "teacher": "openai", "model": "m", "content": content,
                "reasoning_content": None, "finish_reason": "stop",
                "usage": {"prompt_tokens": 60, "completion_tokens": 40, "total_tokens": 100},
                "error": None, "attempts": 1, "latency_s": 1.0, "created": 0.0,
            }  # fmt: skip
            if rng.random() < 0.01:
                journal.append({**line, "content": None, "error": {"kind": "http_429", "message": "slow down"}})
            journal.append(line)
    # Completion order, but each key's error stays before its success.
    keyed: dict[tuple[str, int], list[dict]] = {}
    for line in journal:
        keyed.setdefault((line["request_id"], line["sample"]), []).append(line)
    keys = list(keyed)
    rng.shuffle(keys)
    ordered = [line for key in keys for line in keyed[key]]
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in (("problems", problems), ("requests", requests), ("responses", ordered)):
        (root / f"{name}.jsonl").write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return DatasetPaths(root / "problems.jsonl", root / "requests.jsonl", root / "responses.jsonl")


def floor(paths: DatasetPaths) -> float:
    """Parse the three files and verify every successful answer once: no ordering, no output."""
    start = time.perf_counter()
    policy = Policy.from_spec("all")
    problems = {}
    for n, d in read_jsonl(paths.problems):
        p = Problem.from_dict(d, f"{n}")
        problems[p.id] = p
    req_problem = {}
    for n, d in read_jsonl(paths.requests):
        r = Request.from_dict(d, f"{n}")
        req_problem[r.id] = r.problem_id
    for n, d in read_jsonl(paths.responses):
        resp = Response.from_dict(d, f"{n}")
        if resp.ok:
            verify_response(problems[req_problem[resp.request_id]], resp, policy, "en")
    return time.perf_counter() - start


def naive_write(paths: DatasetPaths, out: Path) -> None:
    """The obvious writer: everything in dicts, then sorted; same selection and output."""
    from chukmath.write.selection import Candidate, select_samples

    problems = [Problem.from_dict(d) for _, d in read_jsonl(paths.problems)]
    requests = {d["id"]: Request.from_dict(d) for _, d in read_jsonl(paths.requests)}
    latest: dict[tuple[str, int], Response] = {}
    for _, d in read_jsonl(paths.responses):
        r = Response.from_dict(d)
        if r.ok or r.key not in latest:
            latest[r.key] = r
    by_problem: dict[str, list[Candidate]] = {}
    for r in latest.values():
        req = requests[r.request_id]
        by_problem.setdefault(req.problem_id, []).append(Candidate(req, r))
    policy, options = Policy.from_spec("all"), SelectOptions()
    out.mkdir(parents=True, exist_ok=True)
    with (out / "train.jsonl").open("wb") as fh:
        for p in sorted(problems, key=lambda p: p.index):
            for row in select_samples(p, by_problem.get(p.id, []), policy, options).rows:
                fh.write(orjson.dumps(row) + b"\n")


def child(mode: str, root: Path) -> None:
    paths = DatasetPaths(root / "problems.jsonl", root / "requests.jsonl", root / "responses.jsonl")
    if mode == "write":
        write_dataset(paths, root / "out-write")
    else:
        naive_write(paths, root / "out-naive")
    # VmHWM, not ru_maxrss: ru_maxrss survives fork+exec, so a child would report the parent's peak.
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))  # KiB


def peak_rss_mib(mode: str, root: Path) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--dir", str(root)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--problems", type=int, default=20000)
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--child", choices=["write", "naive"])
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.dir)
        return
    n, k = args.problems, args.samples
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_inputs(root / "small", n, k)
        responses = sum(1 for _ in read_jsonl(paths.responses))
        floor(paths)  # warm the OS cache and lazy imports so both timings start equal
        # Interleaved, best of three each: the machine is shared, and the best run is the least disturbed.
        t_floor = t_write = float("inf")
        for _ in range(3):
            t_floor = min(t_floor, floor(paths))
            start = time.perf_counter()
            stats = write_dataset(paths, root / "small" / "out")
            t_write = min(t_write, time.perf_counter() - start)
        print(f"inputs: {n} problems x {k} samples = {responses} journal lines")
        print(f"floor (parse + verify only): {t_floor:.2f} s = {responses / t_floor:,.0f} lines/s")
        print(f"write_dataset:               {t_write:.2f} s = {responses / t_write:,.0f} lines/s")
        print(f"ratio write/floor: {t_write / t_floor:.2f}x  (written {stats['totals']['written']} samples)")

        make_inputs(root / "large", 4 * n, k)
        rss = {
            (mode, size): peak_rss_mib(mode, root / size) for mode in ("write", "naive") for size in ("small", "large")
        }
        for mode in ("write", "naive"):
            grow = rss[(mode, "large")] - rss[(mode, "small")]
            print(
                f"peak RSS {mode:5s}: {rss[(mode, 'small')]:.0f} MiB at {n} problems, "
                f"{rss[(mode, 'large')]:.0f} MiB at {4 * n}; growth {grow:.0f} MiB"
            )
        grow_w = rss[("write", "large")] - rss[("write", "small")]
        grow_n = rss[("naive", "large")] - rss[("naive", "small")]
        print(f"memory growth ratio write/naive: {grow_w / grow_n:.2f}" if grow_n > 0 else "naive did not grow")


if __name__ == "__main__":
    main()
