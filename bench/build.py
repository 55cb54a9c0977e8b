"""Benchmark `chukmath build` with the built-in teacher: samples/s end to end, and peak memory at 100k and 1M.

    .venv/bin/python bench/build.py            # throughput (20k) + peak RSS at 100,000 and 1,000,000 samples
    .venv/bin/python bench/build.py --quick    # throughput + peak RSS at 20,000 and 100,000

Baseline for the ratio, measured in the same run: the stages alone (generate -> render -> builtin_trace ->
verify/select) in a bare loop with no files, journal, ordering or stats. build / bare shows what the orchestration
costs; the target is >= 5,000 samples/s on one core and the same peak memory at both sizes, under 300 MB.
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
name = "bench"
count = {count}
seed = 1
# Difficulties high enough that every family has more than a million distinct questions (the generator refuses
# to repeat one; fractions at difficulty 2 run out after ~178,000).
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


def bare_stages(recipe_path: Path, count: int) -> float:
    """Samples/s of the stages alone (the baseline)."""
    from chukmath.build import load_recipe, stages
    from chukmath.teach.builtin import builtin_response
    from chukmath.verify import Policy
    from chukmath.write.selection import Candidate, SelectOptions, select_samples

    recipe = load_recipe(recipe_path).with_overrides(count=count)
    prompting = stages.load_prompting(recipe)
    mix = stages.load_mix(recipe, str(recipe_path))
    policy = Policy.from_spec("all")
    options = SelectOptions()
    started = time.perf_counter()
    for problem in stages.problems(mix, recipe, 0, count):
        request = prompting.request(problem)
        response = builtin_response(request, 0, problem)
        select_samples(problem, [Candidate(request, response)], policy, options)
    return count / (time.perf_counter() - started)


def end_to_end(recipe_path: Path, out: Path, count: int) -> float:
    """Samples/s of build_dataset in this process (one core)."""
    from chukmath.build import BuildOptions, build_dataset, load_recipe

    recipe = load_recipe(recipe_path).with_overrides(count=count)
    started = time.perf_counter()
    summary = build_dataset(recipe, out, BuildOptions(quiet=True, force=True))
    elapsed = time.perf_counter() - started
    assert summary.complete and summary.problems == count
    return count / elapsed


def peak_rss_mb(recipe_path: Path, out: Path, count: int) -> tuple[float, float]:
    """Peak RSS (MB) and wall seconds of the CLI building ``count`` samples in a fresh subprocess."""
    cmd = [
        sys.executable,
        "-c",
        "from chukmath.cli.main import run; run()",
        "build",
        "--recipe",
        str(recipe_path),
        "--out",
        str(out),
        "--count",
        str(count),
        "--quiet",
        "--force",
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"build of {count} failed with exit code {proc.returncode}")
    return usage.ru_maxrss / 1024, time.perf_counter() - started  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="memory at 20k and 100k instead of 100k and 1M")
    parser.add_argument("--throughput-count", type=int, default=20_000)
    args = parser.parse_args()
    sizes = (20_000, 100_000) if args.quick else (100_000, 1_000_000)
    with tempfile.TemporaryDirectory(prefix="chukmath-bench-build-") as tmp:
        root = Path(tmp)
        recipe = root / "bench.toml"
        recipe.write_text(RECIPE.format(count=args.throughput_count))
        n = args.throughput_count
        # Memory first, while this process is still small: a child's ru_maxrss starts from its parent's resident
        # size at fork (Linux carries the pre-exec high-water mark over exec), so measuring after the in-process
        # throughput runs below would report this process's memory, not the CLI's.
        peaks = []
        for count in sizes:
            mb, wall = peak_rss_mb(recipe, root / f"mem{count}", count)
            peaks.append(mb)
            print(f"peak RSS at {count:>9,} samples: {mb:7.1f} MB  ({wall:.1f} s wall, {count / wall:,.0f} samples/s)")
        print(f"ratio peak RSS {sizes[1]:,} / {sizes[0]:,}: {peaks[1] / peaks[0]:.2f}  (target: ~1.0, under 300 MB)")
        # Warm both paths first (imports, sympy caches, template compilation) so neither pays the start-up.
        bare_stages(recipe, 500)
        end_to_end(recipe, root / "warm", 500)
        bare = bare_stages(recipe, n)
        e2e = end_to_end(recipe, root / "e2e", n)
        print(f"stages alone (baseline): {bare:,.0f} samples/s  ({n:,} samples, no files)")
        print(f"build end to end:        {e2e:,.0f} samples/s  ({n:,} samples, builtin teacher, one process)")
        print(f"ratio build / baseline:  {e2e / bare:.2f}  (target: >= 5,000 samples/s end to end)")


if __name__ == "__main__":
    main()
