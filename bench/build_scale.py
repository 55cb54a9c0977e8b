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
(one sample a problem). On a machine shared with other work the wall clock says little about scaling, so each row
also gives the CPU seconds of the part that does not spread over workers (the driver of the Ray job, the merge after
the shards) and the bound that puts on the speed-up: one process's CPU seconds / that serial part's.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import RECIPE  # the same four-family mix bench/build.py times, so the figures compare

CLI = [sys.executable, "-c", "from chukmath.cli.main import run; run()"]
RAY_CHILD = """
import logging, resource, sys, time
import ray
from chukmath.build import BuildOptions, build_dataset, load_recipe
started = time.perf_counter()
ray.init(num_cpus=int(sys.argv[3]), include_dashboard=False, logging_level=logging.WARNING)
up = time.perf_counter() - started
before = resource.getrusage(resource.RUSAGE_SELF)
started = time.perf_counter()
summary = build_dataset(load_recipe(sys.argv[1]), sys.argv[2], BuildOptions(quiet=True, engine="ray"))
wall = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF)
assert summary.complete
print(up, wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
"""


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(*args: str) -> float:
    """Run the CLI; returns its CPU seconds."""
    before = children_cpu()
    done = subprocess.run([*CLI, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"chukmath {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return children_cpu() - before


def one_process(recipe: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one local build."""
    started = time.perf_counter()
    cpu = cli("build", "--recipe", str(recipe), "--out", str(out), "--quiet")
    return time.perf_counter() - started, cpu


def local_processes(recipe: Path, root: Path, n: int) -> tuple[float, float, float]:
    """Wall seconds of N shard builds at once and of those plus the merge, and the merge's CPU seconds."""
    dirs = [root / f"shard{n}-{i}" for i in range(n)]
    started = time.perf_counter()
    procs = [subprocess.Popen([*CLI, "build", "--recipe", str(recipe), "--out", str(d), "--quiet",
                               "--shard", f"{i}/{n}"], stderr=subprocess.PIPE) for i, d in enumerate(dirs)]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"a shard build failed:\n{err.decode()[-3000:]}")
    shards = time.perf_counter() - started
    merge_cpu = cli("merge", *map(str, dirs), "--out", str(root / f"merged{n}"), "--quiet")
    return shards, time.perf_counter() - started, merge_cpu


def on_ray(recipe: Path, out: Path, n: int) -> tuple[float, float, float]:
    """Seconds to start a local Ray cluster of N CPUs, for the build on it, and the driver's CPU seconds."""
    done = subprocess.run([sys.executable, "-c", RAY_CHILD, str(recipe), str(out), str(n)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the Ray build failed:\n{done.stderr[-3000:]}")
    up, build, driver = map(float, done.stdout.split()[-3:])
    return up, build, driver


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
        base, base_cpu = one_process(recipe, root / "one")
        train = (root / "one" / "train.jsonl").read_bytes()
        print(f"one process: {base_cpu:.1f} CPU s for {n:,} samples ({n / base_cpu:,.0f} samples per CPU second)")
        print(f"\n{'variant':<34} {'seconds':>8} {'samples/s':>10} {'vs 1 process':>13} {'serial CPU s':>13} "
              f"{'bound':>6}")
        print(f"{'local engine, 1 process (baseline)':<34} {base:8.2f} {n / base:10,.0f} {1.0:12.2f}x {base_cpu:13.1f} "
              f"{1.0:5.1f}x")
        for cores_n in cores:
            shards, merged, merge_cpu = local_processes(recipe, root, cores_n)
            assert (root / f"merged{cores_n}" / "train.jsonl").read_bytes() == train
            print(f"{f'{cores_n} shard process(es) + merge':<34} {merged:8.2f} {n / merged:10,.0f} "
                  f"{base / merged:12.2f}x {merge_cpu:13.1f} {base_cpu / merge_cpu:5.1f}x  "
                  f"(shards alone {shards:.2f} s, {base / shards:.2f}x)")
            up, build, driver = on_ray(recipe, root / f"ray{cores_n}", cores_n)
            assert (root / f"ray{cores_n}" / "train.jsonl").read_bytes() == train
            print(f"{f'Ray, {cores_n} CPU(s)':<34} {build:8.2f} {n / build:10,.0f} {base / build:12.2f}x "
                  f"{driver:13.1f} {base_cpu / driver:5.1f}x  (+ {up:.1f} s to start the local cluster)")


if __name__ == "__main__":
    main()
