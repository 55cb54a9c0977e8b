"""The answer corpus (tests/corpus/answers.jsonl) through chukmath's verifier and Math-Verify, in the same run.

Run: .venv/bin/python bench/verify_corpus.py [--repeats 3] [--plain-pairs 3000]

For each engine: agreement with the corpus verdicts (overall and by category), checks per second, and the slowest
single check. chukmath gets each case's question and approximation policy (``exact`` or ``graded``); Math-Verify
gets ``verify(parse(gold), parse(prediction))`` with its defaults, the gold as ``$...$`` LaTeX (sympy's LaTeX of
our exact answer, parsed once outside the timing) and a prediction without ``$`` or ``\\boxed`` wrapped in ``$``
(its extraction needs delimiters; whole solutions are passed as written). Math-Verify is not told the question,
so its percent and rounding verdicts are measured against the same labels as ours.

chukmath is timed cold on the candidate side (its parse caches emptied before every check: every completion is new
text); the expected answer stays parsed, as for one problem's samples. Best of ``--repeats`` passes (shared
machine). Last, the plain numeric path (integers, ``p/q``, decimals, half of them off by a little) on both, with
their ratio: the speed this issue must keep.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "answers.jsonl"


def gold_latex(gold: str) -> str:
    """The gold as Math-Verify reads it: ``$...$`` around sympy's LaTeX (a LaTeX percent gold as written)."""
    if gold.endswith("\\%"):
        return f"${gold}$"
    value = sympy.sympify(gold)  # bench-only: our own exact answers, trusted
    if isinstance(value, dict):
        return "$" + ", ".join(f"{k} = {sympy.latex(v)}" for k, v in sorted(value.items(), key=str)) + "$"
    return f"${sympy.latex(value)}$"


def mv_prediction(text: str) -> str:
    return text if "$" in text or "\\boxed" in text or "\\(" in text or "\n" in text else f"${text}$"


def timed_cases(check: Callable[[dict[str, Any]], bool], cases: list[dict[str, Any]], repeats: int
                ) -> tuple[list[bool], list[float]]:  # fmt: skip
    """Verdicts and the best time of each case over ``repeats`` passes."""
    best = [float("inf")] * len(cases)
    verdicts: list[bool] = []
    for _ in range(repeats):
        verdicts = []
        for k, case in enumerate(cases):
            start = time.perf_counter()
            verdicts.append(check(case))
            best[k] = min(best[k], time.perf_counter() - start)
    return verdicts, best


def report(name: str, cases: list[dict[str, Any]], verdicts: list[bool], times: list[float]) -> None:
    right = sum(v == c["match"] for v, c in zip(verdicts, cases, strict=True))
    false_accepts = sum(v and not c["match"] for v, c in zip(verdicts, cases, strict=True))
    slowest = max(range(len(cases)), key=lambda k: times[k])
    print(f"{name:12} agree {right}/{len(cases)} ({100 * right / len(cases):.1f} %), false accepts {false_accepts}, "
          f"{len(cases) / sum(times):,.0f} checks/s, slowest {times[slowest] * 1e3:.2f} ms "
          f"({cases[slowest]['category']}: {cases[slowest]['prediction'][:50]!r})")  # fmt: skip


def plain_pairs(n: int, seed: int = 0) -> list[tuple[str, str, bool]]:
    """(prediction, gold, match): integers, fractions and decimals, half of them equal."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        value = Fraction(rng.randint(-999, 9999), rng.choice((1, 1, 2, 3, 4, 5, 8, 10, 12, 25)))
        gold = str(value)
        same = rng.random() < 0.5
        shown = value if same else value + rng.choice((1, -1, Fraction(1, 2)))
        if shown.denominator == 1:
            text = str(shown.numerator)
        elif 10**6 % shown.denominator == 0 and rng.random() < 0.5:
            text = str(shown.numerator * (10**6 // shown.denominator) / 10**6)
        else:
            k = rng.choice((1, 2, 3))
            text = f"{shown.numerator * k}/{shown.denominator * k}"
        out.append((text, gold, same))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--plain-pairs", type=int, default=3_000)
    args = ap.parse_args()

    from math_verify import parse, verify

    from chukmath.verify import answers as answers_module
    from chukmath.verify import answers_match
    from chukmath.verify.tolerance import Tolerance

    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]

    def cold_candidate() -> None:
        answers_module.to_value.cache_clear()
        answers_module._cached_span.cache_clear()
        answers_module.answer_items.cache_clear()

    def ours(case: dict[str, Any]) -> bool:
        cold_candidate()
        tolerance = Tolerance.from_spec(case.get("policy", "exact"))
        return answers_match(case["prediction"], case["gold"], question=case.get("question", ""), tolerance=tolerance)

    golds = {c["gold"]: parse(gold_latex(c["gold"])) for c in cases}

    def theirs(case: dict[str, Any]) -> bool:
        return bool(verify(golds[case["gold"]], parse(mv_prediction(case["prediction"]))))

    for case in cases:  # warm-up: imports, regex compilation, the expected answers' parses
        ours(case)
    ck, ck_times = timed_cases(ours, cases, args.repeats)
    mv, mv_times = timed_cases(theirs, cases, 1)
    print(f"corpus: {len(cases)} cases, {len({c['category'] for c in cases})} categories; chukmath best of "
          f"{args.repeats}, Math-Verify one pass\n")  # fmt: skip
    report("chukmath", cases, ck, ck_times)
    report("Math-Verify", cases, mv, mv_times)
    print(f"speed ratio on the corpus: {sum(mv_times) / sum(ck_times):,.0f}x\n")
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for case, a, b in zip(cases, ck, mv, strict=True):
        row = by_category[case["category"]]
        row[0] += 1
        row[1] += a == case["match"]
        row[2] += b == case["match"]
    print(f"{'category':22} {'cases':>5} {'chukmath':>9} {'Math-Verify':>11}")
    for name, (n, a, b) in sorted(by_category.items()):
        print(f"{name:22} {n:5} {a:9} {b:11}")

    pairs = plain_pairs(args.plain_pairs)
    plain_cases = [{"prediction": p, "gold": g, "match": m, "category": "plain"} for p, g, m in pairs]
    golds.update({g: parse(gold_latex(g)) for _, g, _ in pairs})
    for case in plain_cases[:200]:
        ours(case)
    pk, pk_times = timed_cases(ours, plain_cases, args.repeats)
    pm, pm_times = timed_cases(theirs, plain_cases[: len(plain_cases) // 3], 1)
    print()
    report("chukmath", plain_cases, pk, pk_times)
    report("Math-Verify", plain_cases[: len(pm)], pm, pm_times)
    ratio = (len(pm) / sum(pm_times)) and (len(plain_cases) / sum(pk_times)) / (len(pm) / sum(pm_times))
    print(f"plain numeric path: chukmath {ratio:,.0f}x Math-Verify's checks/s (Math-Verify on the first third)")


if __name__ == "__main__":
    main()
