"""Variety of the built-in teacher's traces per family: ``classic`` (one template) against ``mix`` (a solution route
per problem), on the same problems, printed side by side with the ratio mix / classic.

Three measures over the ``<think>`` lines of the same N problems a family (difficulties 1-5 in equal parts), every
number replaced by ``#`` first (``12 + 7 = 19`` -> ``# + # = #``):
- line skeletons: how many distinct lines (sentence and claim shapes) the traces use;
- trace skeletons: how many distinct whole traces (one fixed template gives few, whatever the numbers);
- 4-gram ratio: distinct word 4-grams / all word 4-grams — how little the text repeats itself (longer traces with
  worked-out long operations lower it: each partial product repeats the ``# × # = #`` shape).

Run: ``.venv/bin/python bench/trace_variety.py [--count N] [--families a,b]`` (default N = 1,000 per family).
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from chukmath.api import generate
from chukmath.records import Problem
from chukmath.teach.builtin import builtin_trace

FAMILIES = ("arithmetic", "fractions", "linear_equation", "linear_system", "quadratic", "calculus", "number_theory",
            "word_problem")  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[./]\d+)*")


def think_lines(text: str) -> list[str]:
    """The lines between ``<think>`` and ``</think>``."""
    body = text.split("<think>\n", 1)[-1].split("\n</think>", 1)[0]
    return body.split("\n")


def measure(traces: list[str]) -> tuple[int, int, float]:
    """(distinct line skeletons, distinct trace skeletons, distinct 4-grams / all 4-grams) over ``traces``."""
    skeletons: set[str] = set()
    whole: set[str] = set()
    grams: set[tuple[str, ...]] = set()
    total = 0
    for text in traces:
        shapes = [_NUMBER.sub("#", line) for line in think_lines(text)]
        skeletons.update(shapes)
        whole.add("\n".join(shapes))
        for shape in shapes:
            words = shape.split()
            for i in range(len(words) - 3):
                grams.add(tuple(words[i : i + 4]))
                total += 1
    return len(skeletons), len(whole), len(grams) / max(total, 1)


def problems_of(family: str, count: int) -> list[Problem]:
    per_level = max(count // 5, 1)
    return [p for d in range(1, 6) for p in generate(family, count=per_level, seed=2, difficulty=d)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="problems per family (default 1000)")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated families")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"{'family':<16} {'line skeletons':>14} {'mix':>6} {'ratio':>6}   {'trace skeletons':>15} {'mix':>6} "
          f"{'ratio':>6}   {'4-gram ratio':>12} {'mix':>6} {'ratio':>6}   {'chars mix/classic':>17}")  # fmt: skip
    ratios: list[tuple[float, float, float]] = []
    families = [f for f in args.families.split(",") if f]
    for family in families:
        problems = problems_of(family, args.count)
        classic = [builtin_trace(p) for p in problems]
        mixed = [builtin_trace(p, "mix") for p in problems]
        (lc, tc, gc), (lm, tm, gm) = measure(classic), measure(mixed)
        length = sum(map(len, mixed)) / max(sum(map(len, classic)), 1)
        ratios.append((lm / lc, tm / tc, gm / gc))
        print(f"{family:<16} {lc:>14} {lm:>6} {lm / lc:>6.2f}   {tc:>15} {tm:>6} {tm / tc:>6.2f}   {gc:>12.3f} "
              f"{gm:>6.3f} {gm / gc:>6.2f}   {length:>17.2f}")  # fmt: skip
    means = [sum(r[k] for r in ratios) / len(ratios) for k in range(3)]
    print(f"{'mean ratio':<16} {'':>14} {'':>6} {means[0]:>6.2f}   {'':>15} {'':>6} {means[1]:>6.2f}   {'':>12} "
          f"{'':>6} {means[2]:>6.2f}")  # fmt: skip
    print(f"({args.count} problems a family, difficulties 1-5; {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
