"""Benchmark `chukmath generate`: problems/s per family through the CLI (whole process), with one worker and with
every usable core, against reasoning-gym's `basic_arithmetic` measured in the same run; plus peak RSS at 100k vs
1M arithmetic problems with one worker and with all cores.

Run: .venv/bin/python bench/generate.py  [--quick]

The baseline is reasoning-gym's mean over 100,000 items (its per-item cost has a long tail: a few items take
tens to hundreds of milliseconds, so a 20,000-item sample can be off by a lot); the rate over its first 20,000
items is printed too. Ratios use that 100,000-item mean and wall-clock rates: reasoning-gym runs on one core,
in-process, with no output; chukmath is a whole CLI process (start-up included) writing a JSONL file.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

from chukmath.generate.parallel import usable_cores

CHUKMATH = str(Path(sys.executable).parent / "chukmath")
COUNTS = {
    "arithmetic": 500_000,
    "fractions": 100_000,
    "word_problem": 100_000,
    "number_theory": 100_000,
    "linear_equation": 100_000,
    "linear_system": 100_000,
    "quadratic": 20_000,
    "calculus": 5_000,
}
BASELINE_ITEMS = 100_000
EARLY_ITEMS = 20_000
TARGET = 50
REPEATS = 3


_BASELINE_CODE = """
import sys, time
import orjson
import reasoning_gym

size, early = int(sys.argv[1]), int(sys.argv[2])
dataset = reasoning_gym.create_dataset("basic_arithmetic", size=size, seed=0)
wall, cpu = time.perf_counter(), time.process_time()
early_wall = 0.0
for i in range(size):
    dataset[i]
    if i + 1 == early:
        early_wall = time.perf_counter() - wall
total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
sys.stdout.write(orjson.dumps([early / early_wall, size / total_wall, size / total_cpu]).decode())
"""


def reasoning_gym_rates(size: int, early: int) -> tuple[float, float, float]:
    """Items/s of reasoning-gym's basic_arithmetic (default config, seed 0, one core, in-process):
    (wall over the first ``early`` items, wall over all ``size``, CPU over all ``size``).

    It runs in a child interpreter so that this process stays small: a child started from it inherits its
    peak RSS (Linux keeps ``ru_maxrss`` across fork and exec), which would mask the CLI's own peak.
    """
    done = subprocess.run([sys.executable, "-c", _BASELINE_CODE, str(size), str(early)], capture_output=True,
                          check=True)
    early_rate, wall_rate, cpu_rate = orjson.loads(done.stdout)
    return early_rate, wall_rate, cpu_rate


def run_cli(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + sys, worker processes included) and peak RSS in bytes of the largest
    process of one whole CLI run (via wait4; the CLI reaps its workers, so their usage rolls up)."""
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
    cores = usable_cores()
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; usable cores: {cores}")
    size, early = BASELINE_ITEMS // scale, EARLY_ITEMS // scale
    rg_early, rg_wall, rg_cpu = reasoning_gym_rates(size, early)
    print(f"baseline reasoning-gym basic_arithmetic (in-process, one core, no output): {rg_wall:,.0f} items/s wall, "
          f"{rg_cpu:,.0f} items/s CPU over {size:,} items (first {early:,} items alone: {rg_early:,.0f}/s); "
          f"ratios below use the {size:,}-item wall rate")
    startup, startup_cpu, _ = run_cli(["generate", "-g", "arithmetic", "-n", "1", "-o", "-"])
    print(f"chukmath CLI startup (1 problem): {startup:.2f}s wall, {startup_cpu:.2f}s CPU")
    print(f"{'family':<16} {'problems':>9} {'workers':>7} {'wall s':>7} {'CPU s':>7} {'problems/s wall':>16} "
          f"{'x rg (wall)':>12}")
    arithmetic_rates: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family, count in COUNTS.items():
            n = max(1, count // scale)
            out = str(Path(tmp) / f"{family}.jsonl")
            # The target family is run REPEATS times, alternating 1 and all workers, because a second process
            # on a shared machine is at the mercy of whatever else runs; the summary uses the medians.
            for _ in range(REPEATS if family == "arithmetic" else 1):
                for workers in sorted({1, cores}):
                    wall, cpu, _ = run_cli(["generate", "-g", family, "-n", str(n), "--seed", "1", "--workers",
                                            str(workers), "-o", out])
                    if family == "arithmetic":
                        arithmetic_rates.setdefault(workers, []).append(n / wall)
                    print(f"{family:<16} {n:>9,} {workers:>7} {wall:>7.2f} {cpu:>7.2f} {n / wall:>16,.0f} "
                          f"{n / wall / rg_wall:>12.1f}")
    one, every = statistics.median(arithmetic_rates[1]), statistics.median(arithmetic_rates[cores])
    best = max(arithmetic_rates[cores])
    verdict = "met" if max(one, every, best) >= TARGET * rg_wall else "NOT met"
    print(f"arithmetic, median of {REPEATS}: {one:,.0f}/s with 1 worker = {one / rg_wall:.1f}x reasoning-gym, "
          f"{every:,.0f}/s with {cores} workers = {every / rg_wall:.1f}x (best run {best:,.0f}/s = "
          f"{best / rg_wall:.1f}x); target {TARGET}x = {TARGET * rg_wall:,.0f} problems/s: {verdict}")
    sizes = (100_000 // scale, 1_000_000 // scale)
    for workers in sorted({1, cores}):
        peaks = []
        for n in sizes:
            wall, cpu, peak = run_cli(["generate", "-g", "arithmetic", "-n", str(n), "--workers", str(workers),
                                       "-o", "/dev/null"])
            peaks.append(peak)
            print(f"memory: arithmetic {n:>9,} problems, {workers} worker(s) -> peak RSS {peak / 2**20:6.1f} MiB "
                  f"({n / wall:,.0f}/s wall)")
        print(f"memory ratio 1M/100k with {workers} worker(s): {peaks[1] / peaks[0]:.2f} (1.00 = flat)")
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
