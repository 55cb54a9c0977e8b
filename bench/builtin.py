"""Built-in teacher speed: traces/s per family, against baselines measured in the same run.

Baselines: ``sympy.sympify(expression, rational=True)`` (just the exact value, the way a naive trace writer
would start) and, for the pure-arithmetic families, ``ast.parse(expression)`` alone (the floor: every trace
parses its expression once). Run: ``.venv/bin/python bench/builtin.py``.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable

import sympy

from chukmath.generate import generate
from chukmath.records import Problem
from chukmath.safe_expr import _parse_cached
from chukmath.teach.builtin import builtin_trace

FAST = ("arithmetic", "fractions", "word_problem")
COUNTS = {"arithmetic": 20_000, "fractions": 20_000, "word_problem": 20_000, "linear_equation": 5_000,
          "linear_system": 5_000, "quadratic": 2_500, "number_theory": 5_000}  # fmt: skip
SYMBOLIC_COUNT = 2_000  # calculus
TARGET_US = 30.0


def rate(problems: list[Problem], fn: Callable[[Problem], object], repeat: int = 3) -> float:
    """Best-of-``repeat`` calls per second over the whole list (best-of damps a shared machine's noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for p in problems:
            fn(p)
        best = min(best, time.perf_counter() - start)
    return len(problems) / best


def _uncached(fn: Callable[[Problem], object]) -> Callable[[Problem], object]:
    """Clear the parse cache before each repeat so every trace pays for its parse, as in a real run."""
    first: list[Problem] = []

    def call(p: Problem) -> object:
        if not first:
            first.append(p)
        elif p is first[0]:
            _parse_cached.cache_clear()
        return fn(p)

    return call


def main() -> None:
    print(f"{'family':16} {'n':>6} {'traces/s':>10} {'us/trace':>9} {'sympify/s':>10} {'ratio':>6} "
          f"{'ast.parse/s':>13} {'ratio':>6}")  # fmt: skip
    for family in ("arithmetic", "fractions", "word_problem", "linear_equation", "linear_system", "quadratic",
                   "number_theory", "calculus"):  # fmt: skip
        count = COUNTS.get(family, SYMBOLIC_COUNT)
        problems = [p for d in (1, 2, 3, 4, 5) for p in generate(family, seed=5, count=count // 5, difficulty=d)]
        builtin_trace(problems[0])  # import the family module (and sympy) outside the timing
        repeat = 3 if family in FAST else 1
        traces = rate(problems, _uncached(builtin_trace), repeat)
        sample = problems[: min(len(problems), 2000)]
        sympify = rate(sample, lambda p: sympy.sympify(p.expression, rational=True), 1)
        line = (f"{family:16} {len(problems):>6} {traces:>10,.0f} {1e6 / traces:>9.1f} {sympify:>10,.0f} "
                f"{traces / sympify:>6.1f}")  # fmt: skip
        if family in FAST:
            parse = rate(problems, lambda p: ast.parse(p.expression, mode="eval"), repeat)
            line += f" {parse:>13,.0f} {traces / parse:>6.2f}"
        print(line)
    print(f"target for arithmetic, fractions, word_problem: < {TARGET_US:.0f} us per trace")


if __name__ == "__main__":
    main()
