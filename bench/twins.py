"""Fast-path twins (issue 20): each fast path against its general code, on its own stage's work, in one run.

A fast path is kept only where it pays at least 2x on its stage. Each row times the stage with the fast path on
and with it switched off (the general code only), alternating the two, best of ``--repeats`` passes:

- generate: ``chukmath generate --workers 2`` (``engine.compute_chunk`` in worker processes) against
  ``--workers 1`` (``engine.Stream.next_new``), whole CLI processes;
- builtin: calculus traces with the sympy-free path against the sympy path;
- verify: ``check_claims`` and ``verify_response`` on built-in traces with the step checker's fast shapes and
  against ``fast=False`` (the general token rules only);
- render: ``build_requests`` with the plain-template plan against Jinja for every section.

The twins removed after this measure (``problem_id``'s hand-sorted dump, ``verify/fastarith``) were timed by this
script at commit 597e617; bench/RESULTS.md ("twins (issue 20)") has those figures.

Run: .venv/bin/python bench/twins.py [--quick] [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chukmath.records import Problem

CHUKMATH = str(Path(sys.executable).parent / "chukmath")


@contextmanager
def patched(module: Any, name: str, value: Any) -> Iterator[None]:
    """``module.name`` replaced by ``value`` for the block (the general path of a twin)."""
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


def best(fast: Callable[[], object], general: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best-of-``repeats`` seconds of ``fast`` and ``general``, alternated so that load hits both alike."""
    tf = tg = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        fast()
        tf = min(tf, time.perf_counter() - began)
        began = time.perf_counter()
        general()
        tg = min(tg, time.perf_counter() - began)
    return tf, tg


def report(pair: str, unit: str, n: int, tf: float, tg: float) -> None:
    ratio = tg / tf
    print(f"{pair:<44} {n:>7,} {unit:<9} fast {n / tf:>11,.0f}/s  general {n / tg:>11,.0f}/s  "
          f"ratio {ratio:5.2f}x  {'pays' if ratio >= 2 else 'does not pay'}")


def workers_pair(n: int, repeats: int) -> None:
    def cli(workers: int) -> Callable[[], object]:
        args = [CHUKMATH, "generate", "-g", "arithmetic", "-n", str(n), "--seed", "1", "--workers", str(workers),
                "-o", os.devnull]
        return lambda: subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    tf, tg = best(cli(2), cli(1), repeats)
    report("generate: compute_chunk (2 workers) vs next_new", "problems", n, tf, tg)


def calculus_pair(n: int, repeats: int) -> None:
    from chukmath.families.calculus import trace
    from chukmath.generate import generate

    problems = [p for d in (1, 2, 3, 4, 5) for p in generate("calculus", seed=5, count=n // 5, difficulty=d)]
    trace.calculus_trace(problems[0])  # import sympy outside the timing

    def run() -> None:
        trace.show.cache_clear()
        for p in problems:
            trace.calculus_trace(p)

    def general() -> None:
        with patched(trace, "fast_calculus_trace", lambda expression: None):
            run()

    tf, tg = best(run, general, repeats)
    report("builtin: calculus trace fast vs sympy", "traces", len(problems), tf, tg)


def verify_pairs(n: int, repeats: int) -> None:
    for family in ("arithmetic", "fractions", "linear_equation", "number_theory"):
        verify_family(family, n, repeats)


def verify_family(family: str, n: int, repeats: int) -> None:
    from chukmath.generate import generate
    from chukmath.parse import parse_response
    from chukmath.records import Response
    from chukmath.teach.builtin import builtin_trace
    from chukmath.verify import check_claims, clear_caches, verdict, verify_response
    from chukmath.verify import steps as steps_module

    items: list[tuple[Problem, Response]] = []
    for d in (1, 2, 3, 4, 5):
        for p in generate(family, seed=1, count=n // 5, difficulty=d):
            items.append((p, Response(request_id=p.id, sample=0, teacher="builtin", model="m",
                                      content=builtin_trace(p), finish_reason="stop")))
    thinks = [parse_response(r.content).think or "" for _, r in items]

    def steps(fast: bool = True) -> Callable[[], object]:
        def go() -> None:
            clear_caches()
            for t in thinks:
                check_claims(t, fast=fast)
        return go

    def responses() -> None:
        clear_caches()
        for p, r in items:
            verify_response(p, r)

    def no_shapes_responses() -> None:
        real = steps_module.check_steps
        with patched(verdict, "check_steps", lambda text, fast=True: real(text, fast=False)):
            responses()

    tf, tg = best(steps(), steps(False), repeats)
    report(f"verify {family}: check_claims shapes vs general", "traces", len(thinks), tf, tg)
    tf, tg = best(responses, no_shapes_responses, repeats)
    report(f"verify {family}: verify_response shapes vs general", "samples", len(items), tf, tg)


def render_pair(n: int, repeats: int) -> None:
    from chukmath.render import TemplateLibrary, build_requests, template

    problems = [Problem(id=f"arithmetic-1-{i}", generator="arithmetic", difficulty=1 + i % 5, seed=1, index=i,
                        question=f"What is {i} + {2 * i + 7} * {i % 13 + 2}?",
                        expression=f"{i} + {2 * i + 7} * {i % 13 + 2}", answer=str(i + (2 * i + 7) * (i % 13 + 2)),
                        meta={"operations": ["+", "*"]}) for i in range(n)]
    planned = TemplateLibrary().get("step_by_step")
    with patched(template, "_plain_plan", lambda ast: None):
        jinja = TemplateLibrary().get("step_by_step")
    tf, tg = best(lambda: sum(1 for _ in build_requests(problems, planned)),
                  lambda: sum(1 for _ in build_requests(problems, jinja)), repeats)
    report("render step_by_step: _plain_plan vs Jinja", "requests", n, tf, tg)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the work")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=("workers", "calculus", "verify", "render"))
    args = ap.parse_args()
    scale = 10 if args.quick else 1
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    pairs: dict[str, Callable[[], None]] = {
        "workers": lambda: workers_pair(200_000 // scale, args.repeats),
        "calculus": lambda: calculus_pair(1_000 // scale, args.repeats),
        "verify": lambda: verify_pairs(2_000 // scale, args.repeats),
        "render": lambda: render_pair(20_000 // scale, args.repeats),
    }
    for name, fn in pairs.items():
        if args.only in (None, name):
            fn()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
