"""How hard each arithmetic step of the built-in teacher's traces is: ``classic`` against ``mix``, on the same problems.

The proof runs (bench/RESULTS.md) catalogued the false lines a fine-tuned Gemma 3 270M writes: mostly sums,
differences, products and quotients of two numbers of two or three digits each (``216 - 80 = 146``). A trace
teaches a small model to take steps of the size it shows, so this counts, over the claims the verifier checks in
each trace (chukmath.verify.steps.check_claims: the same claims the false-step rate is made of):

- claims a trace: every checked equality;
- multi-digit claims a trace: claims whose left side combines two or more numbers of two or more digits
  (``216 - 80``, ``87 × 13``): the steps a small model gets wrong, in the catalogue;
- long-number share: claims whose longest number has three or more digits, over all claims.

Run: ``.venv/bin/python bench/trace_claims.py [--count N] [--levels 1,2,3] [--families a,b]`` (default N = 600 a
family, in equal parts over the levels: the proof trains on difficulties 1-3).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass

from trace_variety import FAMILIES, think_lines

from chukmath.api import generate
from chukmath.eval.metrics import longest_number_digits
from chukmath.records import Problem
from chukmath.teach.builtin import builtin_trace
from chukmath.verify.steps import check_claims

_WHOLE = re.compile(r"\d+")


@dataclass(slots=True)
class ClaimProfile:
    """Counts over a set of traces: traces, checked claims, multi-digit claims, claims with a 3+ digit number."""

    traces: int = 0
    claims: int = 0
    multi_digit: int = 0
    long_numbers: int = 0

    def add(self, claims: list[str]) -> None:
        self.traces += 1
        self.claims += len(claims)
        for claim in claims:
            left = claim.split("=", 1)[0]
            if sum(len(n) >= 2 for n in _WHOLE.findall(left)) >= 2:
                self.multi_digit += 1
            if longest_number_digits(claim) >= 3:
                self.long_numbers += 1

    def merge(self, other: ClaimProfile) -> None:
        self.traces += other.traces
        self.claims += other.claims
        self.multi_digit += other.multi_digit
        self.long_numbers += other.long_numbers

    def row(self) -> tuple[float, float, float]:
        """(claims a trace, multi-digit claims a trace, long-number share)."""
        return (self.claims / max(self.traces, 1), self.multi_digit / max(self.traces, 1),
                self.long_numbers / max(self.claims, 1))  # fmt: skip


def profile(traces: list[str]) -> ClaimProfile:
    out = ClaimProfile()
    for text in traces:
        out.add([c.text for c in check_claims("\n".join(think_lines(text)))])
    return out


def problems_of(family: str, count: int, levels: list[int]) -> list[Problem]:
    per_level = max(count // len(levels), 1)
    return [p for d in levels for p in generate(family, count=per_level, seed=3, difficulty=d)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=600, help="problems a family (default 600)")
    parser.add_argument("--levels", default="1,2,3", help="difficulties, comma-separated (default 1,2,3)")
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated families")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",") if level]
    started = time.perf_counter()
    print(f"{'family':<16} {'claims a trace':>14} {'mix':>6}   {'multi-digit a trace':>19} {'mix':>6}   "
          f"{'long-number share':>17} {'mix':>6}")  # fmt: skip
    totals = {"classic": ClaimProfile(), "mix": ClaimProfile()}
    for family in [f for f in args.families.split(",") if f]:
        problems = problems_of(family, args.count, levels)
        classic = profile([builtin_trace(p) for p in problems])
        mixed = profile([builtin_trace(p, "mix") for p in problems])
        for name, part in (("classic", classic), ("mix", mixed)):
            totals[name].merge(part)
        (cc, mc, lc), (cm, mm, lm) = classic.row(), mixed.row()
        print(f"{family:<16} {cc:>14.1f} {cm:>6.1f}   {mc:>19.2f} {mm:>6.2f}   {lc:>17.1%} {lm:>6.1%}")
    (cc, mc, lc), (cm, mm, lm) = totals["classic"].row(), totals["mix"].row()
    print(f"{'all':<16} {cc:>14.1f} {cm:>6.1f}   {mc:>19.2f} {mm:>6.2f}   {lc:>17.1%} {lm:>6.1%}")
    print(f"({args.count} problems a family, difficulties {args.levels}; {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
