"""Benchmark `chukmath generate`: problems/s per family through the CLI (whole process), against
reasoning-gym's `basic_arithmetic` measured in the same run, plus peak RSS at 100k vs 1M arithmetic problems.

Run: .venv/bin/python bench/generate.py  [--quick]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHUKMATH = str(Path(sys.executable).parent / "chukmath")
COUNTS = {
    "arithmetic": 200_000,
    "fractions": 100_000,
    "word_problem": 100_000,
    "number_theory": 100_000,
    "linear_equation": 100_000,
    "linear_system": 100_000,
    "quadratic": 20_000,
    "calculus": 5_000,
}


def reasoning_gym_rate(size: int) -> tuple[float, float]:
    """(wall, CPU) items/s of reasoning-gym's basic_arithmetic (default config), one core, in-process."""
    import reasoning_gym

    dataset = reasoning_gym.create_dataset("basic_arithmetic", size=size, seed=0)
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(size):
        dataset[i]
    return size / (time.perf_counter() - wall), size / (time.process_time() - cpu)


def run_cli(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys) and peak RSS in bytes of one whole CLI process (via wait4)."""
    began = time.perf_counter()
    proc = subprocess.Popen([CHUKMATH, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - began
    if proc.returncode != 0:
        raise SystemExit(f"chukmath {' '.join(args)} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main() -> None:
    quick = "--quick" in sys.argv
    scale = 10 if quick else 1
    rg_wall, rg_cpu = reasoning_gym_rate(20_000 // scale)
    print(f"baseline reasoning-gym basic_arithmetic: {rg_wall:,.0f} items/s wall, {rg_cpu:,.0f} items/s CPU "
          "(in-process, no output)")
    startup, startup_cpu, _ = run_cli(["generate", "-g", "arithmetic", "-n", "1", "-o", "-"])
    print(f"chukmath CLI startup (1 problem): {startup:.2f}s wall, {startup_cpu:.2f}s CPU")
    print(f"{'family':<16} {'problems':>9} {'wall s':>7} {'CPU s':>7} {'problems/s wall':>16} {'problems/s CPU':>15} "
          f"{'x rg (wall)':>12} {'x rg (CPU)':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for family, count in COUNTS.items():
            n = max(1, count // scale)
            out = str(Path(tmp) / f"{family}.jsonl")
            wall, cpu, _ = run_cli(["generate", "-g", family, "-n", str(n), "--seed", "1", "-o", out])
            print(f"{family:<16} {n:>9,} {wall:>7.2f} {cpu:>7.2f} {n / wall:>16,.0f} {n / cpu:>15,.0f} "
                  f"{n / wall / rg_wall:>12.1f} {n / cpu / rg_cpu:>11.1f}")
    sizes = (100_000 // scale, 1_000_000 // scale)
    peaks = []
    for n in sizes:
        wall, cpu, peak = run_cli(["generate", "-g", "arithmetic", "-n", str(n), "-o", "/dev/null"])
        peaks.append(peak)
        print(f"memory: arithmetic {n:>9,} problems -> peak RSS {peak / 2**20:6.1f} MiB "
              f"({n / wall:,.0f}/s wall, {n / cpu:,.0f}/s CPU)")
    print(f"memory ratio 1M/100k: {peaks[1] / peaks[0]:.2f} (1.00 = flat)")


if __name__ == "__main__":
    main()
