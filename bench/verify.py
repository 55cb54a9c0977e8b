"""Answer-check throughput: chukmath's answers_match against Math-Verify on the same pairs, in the same run.

Run: .venv/bin/python bench/verify.py [--pairs N] [--mv-pairs M] [--per-family K]
Prints checks/s for plain numeric answers (integers, fractions, decimals; ~20% wrong) for both checkers, the
ratio, the agreement between them, and checks/s for a symbolic set (polynomials, radicals, root sets,
transcendental expressions) for chukmath. Then, per problem family, ``verify_response`` on builtin-teacher
traces of K generated problems (difficulties 1-5 in equal parts): samples/s and µs/sample, against
``parse_response`` alone (the floor every verification pays) and the step check with its fast paths off
(``check_claims(think, fast=False)``, the general token rules), all measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction


def numeric_pairs(n: int, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(candidate, expected, should_match) with the spellings teachers use for plain numbers."""
    pairs = []
    for _ in range(n):
        kind = rng.randrange(3)
        if kind == 0:
            value = Fraction(rng.randint(-10**6, 10**6))
            spellings = [str(value), f"{value}.0", f"{int(value):,}", f"{float(value):.1f}"]
        elif kind == 1:
            value = Fraction(rng.randint(-999, 999), rng.randint(1, 99))
            k = rng.randint(2, 4)
            spellings = [str(value), f"{value.numerator * k}/{value.denominator * k}"]
            if value.denominator in (1, 2, 4, 5, 8, 10, 20, 25, 50):
                spellings.append(str(float(value)))
        else:
            value = Fraction(rng.randint(-10**5, 10**5), 100)
            spellings = [str(float(value)), f"{float(value):.2f}", str(value)]
        expected = str(value)
        if rng.random() < 0.2:
            pairs.append((str(value + rng.choice([1, -1, Fraction(1, 3)])), expected, False))
        else:
            pairs.append((rng.choice(spellings), expected, True))
    return pairs


SYMBOLIC = [
    ("2x+2", "2*x + 2", True), ("2(x+1)", "2*x + 2", True), (r"3x^{2} - 2x + 1", "3*x**2 - 2*x + 1", True),
    (r"(x+1)^2", "x**2 + 2*x + 1", True), (r"\sqrt{117}", "3*sqrt(13)", True), (r"3\sqrt{13}", "3*sqrt(13)", True),
    (r"\frac{\sqrt{2}}{2}", "sqrt(2)/2", True), (r"3 \pm 2\sqrt{2}", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}", True),
    ("x = -2 or x = 1", "{-2, 1}", True), (r"\{1, -2\}", "{-2, 1}", True), ("x = 3, y = 2", "{x: 3, y: 2}", True),
    (r"x^2\cos x + 2x\sin x", "x**2*cos(x) + 2*x*sin(x)", True), ("e - 1", "-1 + E", True),
    (r"\frac{\pi}{4}", "pi/4", True), (r"2\sin x\cos x", "sin(2*x)", True), ("2x+3", "2*x + 2", False),
    (r"\sqrt{118}", "3*sqrt(13)", False), ("1, -2, 3", "{-2, 1}", False),
    (r"x^2\cos x", "x**2*cos(x) + 2*x*sin(x)", False),
    (r"3 + 2\sqrt{2}", "{3 - 2*sqrt(2), 3 + 2*sqrt(2)}", False),
]  # fmt: skip


def rate(fn, pairs: list[tuple[str, str, bool]]) -> tuple[float, int]:
    """(checks per second, number of results equal to should_match)."""
    right = 0
    start = time.perf_counter()
    for cand, exp, want in pairs:
        right += fn(cand, exp) == want
    return len(pairs) / (time.perf_counter() - start), right


def best_of(fn, items: list, repeats: int = 3) -> float:
    """Seconds per item, best of ``repeats`` passes (the machine is shared; the best pass is the least disturbed).

    The verifier's caches are emptied before every pass, so a pass never profits from the one before it: hits
    come only from lines and answers repeated within the pass, as in a real build.
    """
    from chukmath.verify import clear_caches

    best = float("inf")
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best


def per_family(count: int) -> None:
    """verify_response per family on builtin traces, with parse_response and the general step rules as baselines."""
    from chukmath.errors import ConfigError
    from chukmath.generate import generate, list_families
    from chukmath.parse import parse_response
    from chukmath.records import Response
    from chukmath.teach.builtin import builtin_trace
    from chukmath.verify import check_claims, verify_response

    print(f"\nverify_response per family, builtin traces, {count} problems each (difficulty 1-5), best of 3:")
    print(f"{'family':16} {'samples/s':>10} {'us/sample':>10} {'target us':>9} {'parse-only us':>13} "
          f"{'x parse':>7} {'steps us':>8} {'general steps us':>16} {'steps speedup':>13} {'accepted':>9}")  # fmt: skip
    symbolic = {"calculus", "quadratic", "linear_equation", "linear_system"}
    for fam in list_families():
        name = getattr(fam, "name", fam)
        items = []
        for difficulty in range(1, 6):
            try:
                for problem in generate(name, seed=1, count=count // 5, difficulty=difficulty):
                    content = builtin_trace(problem)
                    response = Response(request_id=problem.id, sample=0, teacher="builtin", model="m",
                                        content=content, finish_reason="stop")  # fmt: skip
                    items.append((problem, response))
            except ConfigError:  # a small question space (polynomial_roots at 1): the problems it gave are kept
                print(f"  ({name} at difficulty {difficulty} has fewer than {count // 5} distinct questions)")
        accepted = sum(verify_response(p, r).accepted for p, r in items)  # also warms every cache once
        thinks = [parse_response(r.content).think or "" for _, r in items]
        t_verify = best_of(lambda pr: verify_response(*pr), items)
        t_parse = best_of(lambda pr: parse_response(pr[1].content), items)
        t_steps = best_of(check_claims, thinks)
        t_general = best_of(lambda t: check_claims(t, fast=False), thinks, repeats=1)
        target = 150 if name in symbolic else 60
        print(f"{name:16} {1 / t_verify:10,.0f} {t_verify * 1e6:10.1f} {target:>9} {t_parse * 1e6:13.1f} "
              f"{t_verify / t_parse:7.1f} {t_steps * 1e6:8.1f} {t_general * 1e6:16.1f} {t_general / t_steps:12.1f}x "
              f"{accepted:>5}/{len(items)}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=50_000)
    ap.add_argument("--mv-pairs", type=int, default=1_000)
    ap.add_argument("--per-family", type=int, default=2_000, help="problems per family for verify_response")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--families-only", action="store_true", help="run only the per-family verify_response section")
    args = ap.parse_args()
    if args.families_only:
        per_family(args.per_family)
        return
    rng = random.Random(args.seed)
    pairs = numeric_pairs(args.pairs, rng)

    from chukmath.verify import answers as answers_module

    def answers_match(cand: str, exp: str) -> bool:
        # candidate parses are cached by text; the sets below repeat pairs, so forget them before every check
        # (only the expected answer stays cached, as it does for one problem's K samples in a real run)
        answers_module.to_value.cache_clear()
        return answers_module.answers_match(cand, exp)

    rate(answers_match, pairs[-50:])  # warm-up, as for Math-Verify below
    ours, ours_right = rate(answers_match, pairs)

    from math_verify import parse, verify

    def math_verify_check(cand: str, exp: str) -> bool:
        return bool(verify(parse(exp), parse(cand)))

    rate(math_verify_check, pairs[-50:])  # warm-up: Math-Verify builds its parsers on first use
    mv_pairs = pairs[: args.mv_pairs]
    mv_pairs_ours = [p for p in mv_pairs if answers_match(p[0], p[1]) == p[2]]
    mv, mv_right = rate(math_verify_check, mv_pairs)
    print(f"numeric, chukmath answers_match: {ours:12,.0f} checks/s  ({ours_right}/{len(pairs)} as labelled)")
    print(f"numeric, Math-Verify verify:     {mv:12,.0f} checks/s  ({mv_right}/{len(mv_pairs)} as labelled)")
    print(f"numeric ratio (chukmath / Math-Verify): {ours / mv:,.0f}x   [target >= 100x]")
    print(f"  (chukmath labels right on {len(mv_pairs_ours)}/{len(mv_pairs)} of the Math-Verify subset)")

    sym_pairs = SYMBOLIC * max(1, 4000 // len(SYMBOLIC))
    rate(answers_match, SYMBOLIC)  # warm the expected-answer cache and mpmath constants once
    sym, sym_right = rate(answers_match, sym_pairs)
    # Math-Verify extracts LaTeX from math delimiters and misreads sympy str() gold ("3*sqrt(13)" -> 3), so to be
    # fair to it both sides get "$...$" and the gold is sympy's LaTeX of the (trusted, bench-only) expected answer.
    import sympy

    def gold_latex(expected: str) -> str:
        return f"${sympy.latex(sympy.sympify(expected))}$"

    mv_sym_pairs = [(f"${c}$", gold_latex(e), w) for c, e, w in SYMBOLIC] * 5
    mv_sym, mv_sym_right = rate(math_verify_check, mv_sym_pairs)
    print(f"symbolic, chukmath answers_match: {sym:11,.0f} checks/s  ({sym_right}/{len(sym_pairs)} as labelled)"
          "   [target >= 2,000]")
    n_mv = len(mv_sym_pairs)
    print(f"symbolic, Math-Verify verify:     {mv_sym:11,.0f} checks/s  ({mv_sym_right}/{n_mv} as labelled)")
    print(f"symbolic ratio (chukmath / Math-Verify): {sym / mv_sym:,.1f}x")
    per_family(args.per_family)


if __name__ == "__main__":
    main()
