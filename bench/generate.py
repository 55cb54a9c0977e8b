"""Benchmark `chukmath generate`: problems/s per family through the CLI (whole process), against
reasoning-gym's `basic_arithmetic` measured in the same run, plus peak RSS at 100k vs 1M arithmetic problems.

Run: .venv/bin/python bench/generate.py  [--quick]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CHUKMATH = str(Path(sys.executable).parent / "chukmath")
COUNTS = {
    "arithmetic": 200_000,
    "fractions": 100_000,
    "word_problem": 100_000,
    "number_theory": 100_000,
    "linear_equation": 100_000,
    "linear_system": 100_000,
    "quadratic": 10_000,
    "calculus": 1_000,
}


def reasoning_gym_rate(size: int) -> float:
    """Items/s of reasoning-gym's basic_arithmetic (default config), one core, in-process."""
    import reasoning_gym

    dataset = reasoning_gym.create_dataset("basic_arithmetic", size=size, seed=0)
    began = time.perf_counter()
    for i in range(size):
        dataset[i]
    return size / (time.perf_counter() - began)


def run_cli(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes, sampled every 10 ms) of one CLI process."""
    began = time.perf_counter()
    proc = subprocess.Popen([CHUKMATH, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            peak = max(peak, watcher.memory_info().rss)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"chukmath {' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, peak


def main() -> None:
    quick = "--quick" in sys.argv
    scale = 10 if quick else 1
    rg = reasoning_gym_rate(20_000 // scale)
    print(f"baseline reasoning-gym basic_arithmetic: {rg:,.0f} items/s (in-process, no output)")
    startup, _ = run_cli(["generate", "-g", "arithmetic", "-n", "1", "-o", "-"])
    print(f"chukmath CLI startup (1 problem): {startup:.2f}s")
    print(f"{'family':<16} {'problems':>9} {'seconds':>8} {'problems/s':>11} {'x reasoning-gym':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for family, count in COUNTS.items():
            n = max(1, count // scale)
            out = str(Path(tmp) / f"{family}.jsonl")
            elapsed, _ = run_cli(["generate", "-g", family, "-n", str(n), "--seed", "1", "-o", out])
            rate = n / elapsed
            print(f"{family:<16} {n:>9,} {elapsed:>8.2f} {rate:>11,.0f} {rate / rg:>16.1f}")
    sizes = (100_000 // scale, 1_000_000 // scale)
    peaks = []
    for n in sizes:
        elapsed, peak = run_cli(["generate", "-g", "arithmetic", "-n", str(n), "-o", "/dev/null"])
        peaks.append(peak)
        print(f"memory: arithmetic {n:>9,} problems -> peak RSS {peak / 2**20:6.1f} MiB ({n / elapsed:,.0f}/s)")
    print(f"memory ratio 1M/100k: {peaks[1] / peaks[0]:.2f} (1.00 = flat)")


if __name__ == "__main__":
    main()
