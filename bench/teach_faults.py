"""Benchmark: `chukmath teach` throughput when a share of requests fail once (429 with Retry-After, 500, drop).

Run: .venv/bin/python bench/teach_faults.py [--n 4000] [--concurrency 128] [--latency 0.05] [--retry-after 1]

One fault server process (latency L, ``Retry-After`` R on its 429s) serves every run; each run is the
`chukmath teach --teacher openai` CLI in a child process over N requests, of which 0 %, 5 % or 25 % carry a
fault marker that fails their first attempt (kinds in turn: 429 + Retry-After, 500, connection dropped).
Every request must end answered. Each rate is printed as a ratio of the fault-free rate of the same run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from teach import CHUKMATH, PY, ROOT, run_child

KINDS = ("429", "500", "drop")
RATES = (0.0, 0.05, 0.25)


def write_requests(path: Path, n: int, rate: float) -> int:
    """N requests, every (1/rate)-th marked with the next fault kind; returns how many are marked."""
    from chukmath.hashing import content_hash

    every = round(1 / rate) if rate else 0
    marked = 0
    with path.open("wb") as fh:
        for i in range(n):
            # The rate is in the text so that each run's requests are new to the server's attempt counter.
            text = f"What is {i} + 1? (run {rate:g})\nAnswer: {i + 1}"
            if every and i % every == 0:
                text = f"[fault:{KINDS[marked % len(KINDS)]}]\n{text}"
                marked += 1
            messages = [{"role": "user", "content": text}]
            req = {"id": content_hash({"messages": messages}), "problem_id": f"p{i}", "template": "bench",
                   "template_hash": "0" * 32, "messages": messages}
            fh.write(orjson.dumps(req) + b"\n")
    return marked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4_000)
    ap.add_argument("--concurrency", type=int, default=128)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--retry-after", type=float, default=1.0)
    args = ap.parse_args()

    server = subprocess.Popen(
        [PY, "-m", "chukmath_testing.fault_server", "--port", "0", "--latency", str(args.latency), "--no-log",
         "--retry-after", str(args.retry_after)],
        stdout=subprocess.PIPE, cwd=ROOT,
    )
    assert server.stdout is not None
    url = server.stdout.readline().decode().strip()
    rows: list[tuple[float, int, float, float, int]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for rate in RATES:
                req, journal = Path(tmp) / f"req-{rate:g}.jsonl", Path(tmp) / f"journal-{rate:g}.jsonl"
                marked = write_requests(req, args.n, rate)
                wall, cpu, _rss, out = run_child([
                    CHUKMATH, "teach", "--requests", str(req), "--out", str(journal), "--teacher", "openai",
                    "--base-url", url, "--model", "bench", "--concurrency", str(args.concurrency), "--quiet", "--json",
                ])
                summary = orjson.loads(out)
                assert summary["succeeded"] == args.n, summary
                rows.append((rate, marked, args.n / wall, cpu, summary["retries"]))
    finally:
        server.terminate()
        server.wait(10)

    base = rows[0][2]
    print(f"endpoint: fault server, latency {args.latency * 1000:.0f} ms, Retry-After {args.retry_after:g} s, "
          f"concurrency {args.concurrency}, {args.n:,} requests a run (kinds in turn: {', '.join(KINDS)})")
    print(f"{'faults':>7}{'marked':>8}{'retries':>9}{'req/s':>9}{'x fault-free':>14}{'CPU ms/req':>12}")
    for rate, marked, req_s, cpu, retries in rows:
        print(f"{rate:>7.0%}{marked:>8,}{retries:>9,}{req_s:>9,.0f}{req_s / base:>14.2f}{1000 * cpu / args.n:>12.3f}")
    print("(wall time of each child process includes interpreter start-up and imports)")


if __name__ == "__main__":
    main()
