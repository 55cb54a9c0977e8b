"""Answer checks on a realistic LaTeX / plain mix: chukmath's answers_match against Math-Verify, in the same run.

Run: .venv/bin/python bench/verify_latex.py [--problems-per-family 250] [--mv-pairs 1500] [--repeats 3]

The pairs are generated deterministically (seed 0) from chukmath problems' exact answers, every family at
difficulties 1-5: half LaTeX (``\\frac``, ``\\dfrac``, ``\\tfrac``, ``\\dfrac34``, ``\\frac{-3}{4}``, ``-\\frac{3}{4}``,
``\\sqrt``, ``2\\sqrt{3}``, ``\\frac{\\sqrt{2}}{2}``, ``\\pi``, ``^{}``, ``\\boxed{}``, ``$...$``, ``\\left( \\right)``,
sets ``\\{a, b\\}``, ``x = \\frac{..}``), half plain (sympy ``str()``, ``p/q`` unreduced, decimals, ``x = 7``,
``The answer is 7.``, root lists, ``x = 3, y = 2``); about 30% are near misses (the value +-1, doubled, negated,
a root dropped or changed) rendered the same way. The ground truth is known by construction: the bench (not the
verifier) renders the sympy value, which is trusted generator output. A few derived answers (a problem's rational
answer times ``pi`` or a square root) give the ``\\pi`` and radical shapes the families rarely produce.

Cold: before every chukmath check the candidate-side parse cache is emptied (every completion is new text);
the expected answer's parse stays cached, as for one problem's K samples. A second chukmath column empties every
verifier cache before every check (``chukmath.verify.clear_caches()``: expected parsed again too).
Math-Verify: ``verify(parse(gold), parse(candidate))`` with the gold parsed once per pair outside the timing
(favouring it), both given ``$...$`` LaTeX (its extraction needs delimiters; gold is sympy's LaTeX of the answer,
a mapping as ``x = 3, y = 2``). Rewards: ``chukmath.rewards.accuracy_reward`` on R1-style completions carrying
each candidate in ``<answer>``, against Math-Verify on the same completions. Best of R passes (shared machine).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import sympy

Pair = tuple[str, str, bool, str]  # candidate, expected (sympy str), should match, "latex" | "plain"
X = sympy.Symbol("x")


def _frac_style(text: str, style: str) -> str:
    return text.replace("\\frac", "\\" + style) if style != "frac" else text


def latex_scalar(v: sympy.Expr, rng: random.Random) -> str:
    """One LaTeX spelling of a scalar, in the styles models use."""
    base = sympy.latex(v)
    shape = rng.randrange(10)
    if v.is_Rational and not v.is_Integer:
        p, q = int(v.p), int(v.q)
        if shape == 0 and abs(p) < 10 and q < 10:
            return f"{'-' if p < 0 else ''}\\dfrac{abs(p)}{q}"
        if shape == 1 and p < 0:
            return f"\\frac{{{p}}}{{{q}}}"
        if shape == 2:
            return f"{'-' if p < 0 else ''}\\tfrac{{{abs(p)}}}{{{q}}}"
    if shape == 3:
        return f"\\boxed{{{base}}}"
    if shape == 4:
        return f"x = {_frac_style(base, 'dfrac')}"
    if shape == 5:
        return f"${base}$"
    if shape == 6:
        return f"\\left( {base} \\right)"
    if shape == 7:
        return base.replace(" ", "")  # "2\sqrt{3}", "-\frac{3}{4}", "12x^{3}"
    return _frac_style(base, rng.choice(("frac", "dfrac")))


def plain_scalar(v: sympy.Expr, rng: random.Random) -> str:
    base = str(v)
    shape = rng.randrange(6)
    if v.is_Rational:
        p, q = int(v.p), int(v.q)
        if shape == 0 and q > 1:
            k = rng.randint(2, 4)
            return f"{p * k}/{q * k}"
        if shape == 1 and all(f in (2, 5) for f in sympy.factorint(q)):
            decimal = str(float(sympy.Rational(p, q)))
            return decimal if sympy.Rational(decimal) == v else base  # only where the float prints it exactly
    if shape == 2:
        return f"x = {base}"
    if shape == 3:
        return f"The answer is {base}."
    if shape == 4 and "**" in base:
        return base.replace("**", "^")
    return base


def render(value: object, latex: bool, rng: random.Random) -> str:
    """A candidate for a sympy value (scalar, set, or mapping dict) in LaTeX or plain text."""
    one = latex_scalar if latex else plain_scalar
    if isinstance(value, dict):
        names = sorted(value, key=str)
        vals = [sympy.latex(value[n]) if latex else str(value[n]) for n in names]
        shape = rng.randrange(3)
        if shape == 0:
            return ", ".join(f"{n} = {v}" for n, v in zip(names, vals, strict=True))
        if shape == 1 and latex:
            return "\\left( " + ", ".join(vals) + " \\right)"
        return "(" + ", ".join(map(str, names)) + ") = (" + ", ".join(vals) + ")"
    if isinstance(value, set | sympy.FiniteSet):
        items = sorted(value, key=sympy.default_sort_key)
        if not latex:
            texts = [str(i) for i in items]
            return rng.choice((", ".join(texts), " or ".join(f"x = {t}" for t in texts)))
        texts = [sympy.latex(i) for i in items]
        shape = rng.randrange(4)
        if shape == 0:
            return "\\{" + ", ".join(texts) + "\\}"
        if shape == 1:
            return "\\left\\{ " + ", ".join(texts) + " \\right\\}"
        if shape == 2:
            return " \\text{ or } ".join(f"x = {t}" for t in texts)
        return ", ".join(f"x_{i + 1} = {t}" for i, t in enumerate(texts))
    return one(value, rng)  # type: ignore[arg-type]


def near_miss(value: object, rng: random.Random) -> object:
    """A different value close to ``value`` in shape: what a model gets wrong."""
    if isinstance(value, dict):
        out = dict(value)
        name = rng.choice(sorted(out, key=str))
        out[name] = out[name] + rng.choice((1, -1))
        return out
    if isinstance(value, set | sympy.FiniteSet):
        items = sorted(value, key=sympy.default_sort_key)
        if len(items) > 1 and rng.random() < 0.5:
            return set(items[1:])  # a root dropped
        items[0] = items[0] + rng.choice((1, -1))
        return set(items)
    v = value
    options = [v + 1, v - 1, 2 * v if v != 0 else v + 2, -v if v != 0 else v + 3]
    if isinstance(v, sympy.Rational) and not v.is_Integer:
        options.append(sympy.Rational(v.p + 1, v.q))  # numerator off by one
    return rng.choice(options)


def value_of(answer: str) -> object:
    parsed = sympy.sympify(answer, rational=True)  # bench-only: generator output, trusted
    if isinstance(parsed, dict):
        return parsed
    if isinstance(parsed, sympy.FiniteSet | set):
        return set(parsed)
    return parsed


def expected_text(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{n}: {value[n]}" for n in sorted(value, key=str)) + "}"
    if isinstance(value, set):
        return "{" + ", ".join(str(i) for i in sorted(value, key=sympy.default_sort_key)) + "}"
    return str(value)


def make_pairs(per_family: int, seed: int = 0) -> list[Pair]:
    from chukmath.generate import generate, list_families

    rng = random.Random(seed)
    pairs: list[Pair] = []
    for fam in list_families():
        name = getattr(fam, "name", fam)
        for difficulty in range(1, 6):
            for problem in generate(name, seed=seed + 1, count=per_family // 5, difficulty=difficulty):
                value = value_of(problem.answer)
                if isinstance(value, sympy.Rational) and rng.random() < 0.25:  # derived pi and radical answers
                    value = value * rng.choice((sympy.pi, sympy.sqrt(2), sympy.sqrt(3), sympy.sqrt(5)))
                expected = expected_text(value)
                for latex in (True, False):
                    wrong = rng.random() < 0.3
                    shown = near_miss(value, rng) if wrong else value
                    pairs.append((render(shown, latex, rng), expected, not wrong, "latex" if latex else "plain"))
    rng.shuffle(pairs)
    return pairs


def gold_latex(expected: str) -> str:
    value = value_of(expected)
    if isinstance(value, dict):
        return "$" + ", ".join(f"{n} = {sympy.latex(value[n])}" for n in sorted(value, key=str)) + "$"
    if isinstance(value, set):
        return "$" + sympy.latex(sympy.FiniteSet(*value)) + "$"
    return f"${sympy.latex(value)}$"


def mv_candidate(cand: str) -> str:
    return cand if "\\boxed" in cand or cand.startswith("$") else f"${cand}$"


def timed(check: Callable[[str, str], bool], pairs: list[Pair], repeats: int) -> tuple[float, int]:
    """(checks/s best of ``repeats``, pairs judged as labelled)."""
    best, right = float("inf"), 0
    for _ in range(repeats):
        right = 0
        start = time.perf_counter()
        for cand, exp, want, _ in pairs:
            right += check(cand, exp) == want
        best = min(best, time.perf_counter() - start)
    return len(pairs) / best, right


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--problems-per-family", type=int, default=250)
    ap.add_argument("--mv-pairs", type=int, default=1_500, help="pairs (of the same shuffled list) for Math-Verify")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile chukmath on the LaTeX half and stop")
    args = ap.parse_args()

    from chukmath.rewards import accuracy_reward
    from chukmath.rewards.reading import clear_cache as clear_reward_cache
    from chukmath.verify import answers as answers_module
    from chukmath.verify import answers_match, clear_caches

    pairs = make_pairs(args.problems_per_family)
    halves = {
        "mix": pairs,
        "latex": [p for p in pairs if p[3] == "latex"],
        "plain": [p for p in pairs if p[3] == "plain"],
    }

    def ours(cand: str, exp: str) -> bool:
        answers_module.to_value.cache_clear()  # the candidate is new text; the expected answer stays parsed
        return answers_match(cand, exp)

    from chukmath.verify import latex_fast

    def general_only(cand: str, exp: str) -> bool:
        """The same check with the fast reader switched off: the general extraction, grammar and canonical form."""
        saved = latex_fast.scalar_form, latex_fast.list_forms
        latex_fast.scalar_form = latex_fast.list_forms = lambda *a, **k: None  # type: ignore[assignment]
        try:
            return ours(cand, exp)
        finally:
            latex_fast.scalar_form, latex_fast.list_forms = saved

    def ours_all_cold(cand: str, exp: str) -> bool:
        clear_caches()
        return answers_match(cand, exp)

    if args.profile:
        import cProfile
        import pstats

        timed(ours, halves["latex"], 1)
        cProfile.runctx("timed(ours, halves['latex'], 1)", globals(), locals(), "/tmp/verify_latex.prof")
        pstats.Stats("/tmp/verify_latex.prof").sort_stats("tottime").print_stats(25)
        return

    from math_verify import parse, verify

    gold_cache: dict[str, object] = {}

    def math_verify(cand: str, exp: str) -> bool:
        gold = gold_cache.get(exp)
        if gold is None:
            gold = gold_cache[exp] = parse(gold_latex(exp))
        return bool(verify(gold, parse(mv_candidate(cand))))

    mv_pairs = {k: v[: args.mv_pairs // (1 if k == "mix" else 2)] for k, v in halves.items()}
    for cand, exp, _, _ in pairs[: args.mv_pairs]:  # gold parsed outside the timing
        math_verify(cand, exp)
    timed(ours, pairs[:200], 1)  # warm-up
    from chukmath.generate import list_families

    print("families:", ", ".join(getattr(f, "name", f) for f in list_families()))
    print(f"{len(pairs)} pairs ({len(halves['latex'])} LaTeX, {len(halves['plain'])} plain, "
          f"{sum(not p[2] for p in pairs)} near misses); Math-Verify on the first {args.mv_pairs} (or half that "
          f"of a half); best of {args.repeats}\n")  # fmt: skip
    print(f"{'set':6} {'chukmath/s':>11} {'all-cold/s':>11} {'fast off/s':>11} {'Math-Verify/s':>13} {'ratio':>7} "
          f"{'all-cold ratio':>14} {'x fast off':>10} {'chukmath right':>15} {'MV right':>11} "
          f"{'chukmath on MV subset':>21}")  # fmt: skip
    for name, subset in halves.items():
        ck, ck_right = timed(ours, subset, args.repeats)
        cold, _ = timed(ours_all_cold, subset, args.repeats)
        general, general_right = timed(general_only, subset, 1)
        assert general_right == ck_right, (name, general_right, ck_right)
        mv, mv_right = timed(math_verify, mv_pairs[name], 1)
        sub_right = sum(ours(c, e) == w for c, e, w, _ in mv_pairs[name])
        n_mv = len(mv_pairs[name])
        print(f"{name:6} {ck:11,.0f} {cold:11,.0f} {general:11,.0f} {mv:13,.0f} {ck / mv:6,.0f}x {cold / mv:13,.0f}x "
              f"{ck / general:9.1f}x "
              f"{ck_right:>7}/{len(subset):<7} {mv_right:>5}/{n_mv:<5} {sub_right:>13}/{n_mv:<7}")  # fmt: skip

    # rewards: R1-style completions, one per pair
    def completion(cand: str, for_mv: bool) -> str:
        shown = mv_candidate(cand) if for_mv else cand
        return f"<think>\nCompute the value step by step.\n</think>\n<answer>{shown}</answer>"

    batch = [(completion(c, False), e, w) for c, e, w, _ in pairs]
    comps, answers, wants = [b[0] for b in batch], [b[1] for b in batch], [b[2] for b in batch]
    best = float("inf")
    for _ in range(args.repeats):
        clear_caches()
        clear_reward_cache()
        start = time.perf_counter()
        scores = [accuracy_reward([c], answer=[a])[0] for c, a in zip(comps, answers, strict=True)]
        best = min(best, time.perf_counter() - start)
    rw_rate, rw_right = len(batch) / best, sum((s == 1.0) == w for s, w in zip(scores, wants, strict=True))
    mv_batch = [(completion(c, True), e, w) for c, e, w, _ in pairs[: args.mv_pairs]]
    start = time.perf_counter()
    mv_right = sum(bool(verify(gold_cache[e], parse(c))) == w for c, e, w in mv_batch)
    mv_rate = len(mv_batch) / (time.perf_counter() - start)
    print(f"\nrewards: accuracy_reward {rw_rate:,.0f} completions/s ({rw_right}/{len(batch)} right, every cache "
          f"emptied before each pass, one completion per call); Math-Verify on the same completions {mv_rate:,.0f}/s "
          f"({mv_right}/{len(mv_batch)} right); ratio {rw_rate / mv_rate:,.0f}x")  # fmt: skip
    wrong = [(c, e, w) for c, e, w, _ in pairs if ours(c, e) != w]
    for cand, exp, want in wrong[:8]:
        print(f"  chukmath mislabels: {cand!r} vs {exp!r} (should match: {want})")


if __name__ == "__main__":
    main()
