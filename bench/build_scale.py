"""Benchmark the built-in-teacher build over several cores: local processes vs Ray, as ratios to one process.

    .venv/bin/python bench/build_scale.py               # 20,000 samples at 1, 2 and all cores
    .venv/bin/python bench/build_scale.py --count 6000  # quicker

Baseline, measured in the same run: ``chukmath build`` in one process (the local engine). Against it, for each core
count N (1, 2 and all of this machine's, without repeats):

- local processes: ``build --shard i/N`` in N processes at once, then ``chukmath merge`` of the N directories (the
  multi-process path a single machine has without Ray; merge re-judges every answer in one process);
- Ray: ``build --engine ray`` on a local Ray cluster of N CPUs, started before the clock (as a cluster a user already
  runs), so the figure is the job alone; the cluster's start-up is printed beside it.

Every variant is checked to write the baseline's train.jsonl byte for byte. Wall clock, samples/s = problems/s
(one sample a problem).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RECIPE = """
name = "scale"
count = {count}
seed = 1
[[mix]]
generator = "arithmetic"
weight = 3
difficulty = 3
[[mix]]
generator = "fractions"
weight = 2
difficulty = 4
[[mix]]
generator = "linear_equation"
weight = 2
difficulty = 3
[[mix]]
generator = "number_theory"
weight = 1
difficulty = 3
[teacher]
kind = "builtin"
"""
CLI = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
RAY_CHILD = """
import logging, sys, time
import ray
from chukmath.build import BuildOptions, build_dataset, load_recipe
started = time.perf_counter()
ray.init(num_cpus=int(sys.argv[3]), include_dashboard=False, logging_level=logging.WARNING)
up = time.perf_counter() - started
started = time.perf_counter()
summary = build_dataset(load_recipe(sys.argv[1]), sys.argv[2], BuildOptions(quiet=True, engine="ray"))
assert summary.complete
print(up, time.perf_counter() - started)
"""


def cli(*args: str) -> None:
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"chukmath {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def one_process(recipe: Path, out: Path) -> float:
    started = time.perf_counter()
    cli("build", "--recipe", str(recipe), "--out", str(out), "--quiet")
    return time.perf_counter() - started


def local_processes(recipe: Path, root: Path, n: int) -> tuple[float, float]:
    """Seconds for N shard builds at once, and for those plus the merge."""
    dirs = [root / f"shard{n}-{i}" for i in range(n)]
    started = time.perf_counter()
    procs = [subprocess.Popen([*CLI, "build", "--recipe", str(recipe), "--out", str(d), "--quiet",
                               "--shard", f"{i}/{n}"], stderr=subprocess.PIPE) for i, d in enumerate(dirs)]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a shard build failed:\n{err.decode()[-3000:]}")
    shards = time.perf_counter() - started
    cli("merge", *map(str, dirs), "--out", str(root / f"merged{n}"), "--quiet")
    return shards, time.perf_counter() - started


def on_ray(recipe: Path, out: Path, n: int) -> tuple[float, float]:
    """Seconds to start a local Ray cluster of N CPUs, and for the build on it."""
    done = subprocess.run([sys.executable, "-c", RAY_CHILD, str(recipe), str(out), str(n)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the Ray build failed:\n{done.stderr[-3000:]}")
    up, build = map(float, done.stdout.split()[-2:])
    return up, build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args()
    cores = sorted({1, 2, os.cpu_count() or 1})
    n = args.count
    print(f"{os.cpu_count()} cores on this machine; load average {os.getloadavg()[0]:.1f}; {n:,} samples, builtin")
    with tempfile.TemporaryDirectory(prefix="chukmath-bench-scale-") as tmp:
        root = Path(tmp)
        recipe = root / "scale.toml"
        recipe.write_text(RECIPE.format(count=n))
        one_process(recipe, root / "warm")  # page cache, .pyc files
        base = one_process(recipe, root / "one")
        train = (root / "one" / "train.jsonl").read_bytes()
        print(f"\n{'variant':<40} {'seconds':>8} {'samples/s':>10} {'vs 1 process':>13}")
        print(f"{'local engine, 1 process (baseline)':<40} {base:8.2f} {n / base:10,.0f} {1.0:12.2f}x")
        for cores_n in cores:
            shards, merged = local_processes(recipe, root, cores_n)
            assert (root / f"merged{cores_n}" / "train.jsonl").read_bytes() == train
            print(f"{f'{cores_n} shard process(es) + merge':<40} {merged:8.2f} {n / merged:10,.0f} "
                  f"{base / merged:12.2f}x  (shards alone {shards:.2f} s, {base / shards:.2f}x)")
            up, build = on_ray(recipe, root / f"ray{cores_n}", cores_n)
            assert (root / f"ray{cores_n}" / "train.jsonl").read_bytes() == train
            print(f"{f'Ray, {cores_n} CPU(s)':<40} {build:8.2f} {n / build:10,.0f} {base / build:12.2f}x  "
                  f"(+ {up:.1f} s to start the local cluster)")


if __name__ == "__main__":
    main()
