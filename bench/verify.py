"""Answer-check throughput: chukmath's answers_match against Math-Verify on the same pairs, in the same run.

Run: .venv/bin/python bench/verify.py [--pairs N] [--mv-pairs M]
Prints checks/s for plain numeric answers (integers, fractions, decimals; ~20% wrong) for both checkers, the
ratio, the agreement between them, and checks/s for a symbolic set (polynomials, radicals, root sets,
transcendental expressions) for chukmath.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=50_000)
    ap.add_argument("--mv-pairs", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    pairs = numeric_pairs(args.pairs, rng)

    from chukmath.verify import answers_match

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


if __name__ == "__main__":
    main()
