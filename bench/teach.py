"""Benchmark: `chukmath teach` (whole process) against a loopback endpoint with fixed latency.

Run: .venv/bin/python bench/teach.py [--n 10000] [--baseline-n 3000] [--concurrency 128] [--latency 0.05]

The fault server runs in its own process with latency L; the bound is C/L requests/s. Measured in the same
run, each as a separate child process (wall time, CPU and peak RSS from wait4): the `chukmath teach` CLI,
a plain `AsyncOpenAI` loop with a semaphore of C (the baseline), and a plain `httpx.AsyncClient` loop.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHUKMATH = str(Path(PY).with_name("chukmath"))


def write_requests(path: Path, n: int) -> None:
    from chukmath.hashing import content_hash

    with path.open("wb") as fh:
        for i in range(n):
            a, b = i % 997, (i * 7) % 991
            messages = [{"role": "user", "content": f"What is {a} + {b}? Think step by step.\nAnswer: {a + b}"}]
            req = {"id": content_hash({"messages": messages}), "problem_id": f"p{i}", "template": "bench",
                   "template_hash": "0" * 32, "messages": messages}
            fh.write(orjson.dumps(req) + b"\n")


def run_child(argv: list[str]) -> tuple[float, float, float, str]:
    """(wall s, CPU s, peak RSS MB, stdout) of one child process, from wait4 so only that child is counted."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.exit(f"child {argv[:3]} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode()


# -- baselines, each run in a child process via --mode --------------------------------------------------
def _load(path: str, n: int) -> list[list[dict[str, str]]]:
    out = []
    with open(path, "rb") as fh:
        for _, line in zip(range(n), fh, strict=False):
            out.append(orjson.loads(line)["messages"])
    return out


async def sdk_loop(url: str, path: str, n: int, c: int) -> int:
    from openai import AsyncOpenAI

    client = AsyncOpenAI(base_url=url, api_key="bench", max_retries=0)
    sem = asyncio.Semaphore(c)
    ok = 0

    async def one(messages: list[dict[str, str]]) -> None:
        nonlocal ok
        async with sem:
            r = await client.chat.completions.create(model="bench", messages=messages)  # type: ignore[arg-type]
            ok += bool(r.choices[0].message.content)

    await asyncio.gather(*(one(m) for m in _load(path, n)))
    await client.close()
    return ok


async def httpx_loop(url: str, path: str, n: int, c: int) -> int:
    import httpx

    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
    sem = asyncio.Semaphore(c)
    ok = 0
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one(messages: list[dict[str, str]]) -> None:
            nonlocal ok
            async with sem:
                r = await client.post("/chat/completions", content=orjson.dumps({"model": "bench",
                                      "messages": messages}), headers={"Content-Type": "application/json"})
                ok += bool(orjson.loads(r.content)["choices"][0]["message"]["content"])

        await asyncio.gather(*(one(m) for m in _load(path, n)))
    return ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--baseline-n", type=int, default=3_000)
    ap.add_argument("--concurrency", type=int, default=128)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--mode", choices=["sdk", "httpx"], help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--requests", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        loop = sdk_loop if args.mode == "sdk" else httpx_loop
        ok = asyncio.run(loop(args.url, args.requests, args.baseline_n, args.concurrency))
        print(ok)
        return

    bound = args.concurrency / args.latency
    server = subprocess.Popen(
        [PY, "-m", "chukmath_testing.fault_server", "--port", "0", "--latency", str(args.latency), "--no-log"],
        stdout=subprocess.PIPE, cwd=ROOT,
    )
    assert server.stdout is not None
    url = server.stdout.readline().decode().strip()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            req = Path(tmp) / "requests.jsonl"
            write_requests(req, max(args.n, args.baseline_n))
            results: dict[str, tuple[int, float, float, float]] = {}
            for name in ("sdk", "httpx"):
                wall, cpu, rss, out = run_child([PY, __file__, "--mode", name, "--url", url, "--requests", str(req),
                                                 "--baseline-n", str(args.baseline_n),
                                                 "--concurrency", str(args.concurrency)])
                assert int(out.strip()) == args.baseline_n, f"{name}: only {out.strip()} answers"
                results[name] = (args.baseline_n, wall, cpu, rss)
            teach_req = Path(tmp) / "teach.jsonl"
            with req.open("rb") as src, teach_req.open("wb") as dst:
                for _, line in zip(range(args.n), src, strict=False):
                    dst.write(line)
            journal = Path(tmp) / "journal.jsonl"
            argv = [CHUKMATH, "teach", "--requests", str(teach_req), "--out", str(journal), "--teacher", "openai",
                    "--base-url", url, "--model", "bench", "--concurrency", str(args.concurrency), "--quiet",
                    "--json"]
            wall, cpu, rss, out = run_child(argv)
            summary = orjson.loads(out)
            assert summary["succeeded"] == args.n, summary
            results["chukmath teach"] = (args.n, wall, cpu, rss)
    finally:
        server.terminate()
        server.wait(10)

    sdk_rate = results["sdk"][0] / results["sdk"][1]
    print(f"endpoint: fault server, latency {args.latency * 1000:.0f} ms, concurrency {args.concurrency}: "
          f"bound C/L = {bound:,.0f} req/s (2 cores shared by client and server)")
    print(f"{'client':<34}{'requests':>9}{'req/s':>9}{'% bound':>9}{'x SDK':>8}{'CPU ms/req':>12}{'peak RSS MB':>13}")
    labels = {"sdk": "AsyncOpenAI loop (baseline)", "httpx": "httpx.AsyncClient loop",
              "chukmath teach": "chukmath teach (whole process)"}
    for key in ("sdk", "httpx", "chukmath teach"):
        n, wall, cpu, rss = results[key]
        rate = n / wall
        print(f"{labels[key]:<34}{n:>9,}{rate:>9,.0f}{100 * rate / bound:>8.1f}%{rate / sdk_rate:>8.2f}"
              f"{1000 * cpu / n:>12.3f}{rss:>13.1f}")
    print("(wall time of each child process includes interpreter start-up and imports)")


if __name__ == "__main__":
    main()
