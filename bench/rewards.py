"""Reward throughput on a GRPO-sized batch: chukmath's reward functions against Math-Verify, in the same run.

Run: .venv/bin/python bench/rewards.py [--prompts 8] [--generations 16] [--repeats 5]

The batch is what one GRPO step scores: P prompts (chukmath problems of several families, difficulty 3) x G
completions each, of realistic length: a ``<think>`` with the built-in teacher's arithmetic steps, then the final
answer. Completions mix correct (plain ``<answer>``, ``\\boxed{\\frac{3}{4}}`` in LaTeX, R1 without the opening
``<think>``, chukmath's ``<verifier_answer>``, a bare ``\\boxed{}`` line with no tags), wrong (a wrong final
answer, a false step), and malformed (text outside the tags, truncated mid-thought, empty). Each pass scores the
whole batch with the verifier's and the rewards' caches emptied first (every completion in a real step is new;
only the expected answer repeats, G times); the best of R passes is reported (the machine is shared).

Baseline: Math-Verify (``verify(parse(gold), parse(completion))``, the usual GRPO accuracy reward), gold parsed
once per prompt, on the same batch in the same run, after a whole warm-up pass, sympy's cache emptied before each
pass. Printed: completions/s for accuracy_reward alone, for all
five functions in turn (accuracy, format strict and lenient, language, step), for Math-Verify, and for each other
function alone; the ratios; and how many accuracy judgements are right for each scorer (the bench knows which
completions carry the expected final answer).
"""

from __future__ import annotations

import argparse
import random
import re
import time

FAMILIES = ("arithmetic", "fractions", "word_problem", "linear_equation", "quadratic", "number_theory",
            "linear_system", "calculus")  # fmt: skip


def latex(answer: str) -> str:
    """An exact answer (sympy ``str()``) as a model writes it in LaTeX: ``3/4`` -> ``\\frac{3}{4}``."""
    out = re.sub(r"(-?)(\d+)/(\d+)", r"\1\\frac{\2}{\3}", answer)
    out = out.replace("sqrt(", "\\sqrt(").replace("**", "^").replace("*", "")
    out = re.sub(r"\\sqrt\(([^()]*)\)", r"\\sqrt{\1}", out)
    if out.startswith("{") and ":" in out:  # {x: 3, y: 2}
        return out[1:-1].replace(":", " =")
    if out.startswith("{"):
        return "x = " + " or x = ".join(p.strip() for p in out[1:-1].split(","))
    return out


def wrong(answer: str) -> str:
    m = re.search(r"-?\d+", answer)
    if m is None:
        return answer + " + 1"
    return answer[: m.start()] + str(int(m.group()) + 1) + answer[m.end() :]


def false_step(think: str) -> str:
    """The think with the result of its first ``... = N`` line off by one (a false arithmetic claim)."""
    lines = think.splitlines()
    for i, line in enumerate(lines):
        m = re.search(r"= (-?\d+)\s*$", line)
        if m:
            lines[i] = line[: m.start(1)] + str(int(m.group(1)) + 1)
            break
    return "\n".join(lines)


def r1_think(trace: str, question: str) -> str:
    """The built-in trace dressed as an R1 reasoning: a restatement, the steps, then a re-check of each line."""
    checks = "\n".join(f"Check: {line}" for line in trace.splitlines() if "=" in line)
    return (
        f"Okay, let me see. The question is: {question}\nI need to work this out step by step and be careful "
        f"with each operation.\n\n{trace}\n\nWait, let me double-check each step before answering.\n{checks}\n"
        "Yes, every step holds, so I am confident in the result."
    )


# (shape, weight, the final answer is the expected one)
SHAPES = [
    (lambda t, a: f"<think>\n{t}\n</think>\n<answer>{a}</answer>", 4, True),
    (lambda t, a: f"<think>\n{t}\n</think>\n<answer>\\boxed{{{latex(a)}}}</answer>", 2, True),
    (lambda t, a: f"{t}\n</think>\n\n<answer>{latex(a)}</answer>", 2, True),  # R1: <think> was in the prompt
    (lambda t, a: f"<think>\n{t}\n</think>\n<answer>The answer is {latex(a)}.</answer>\n"
     f"<verifier_answer>{a}</verifier_answer>", 1, True),
    (lambda t, a: f"<think>\n{t}\n</think>\nSo the final answer is $\\boxed{{{latex(a)}}}$.", 2, True),
    (lambda t, a: f"<think>\n{t}\n</think>\n<answer>{wrong(a)}</answer>", 2, False),
    (lambda t, a: f"<think>\n{false_step(t)}\n</think>\n<answer>{a}</answer>", 1, True),
    (lambda t, a: f"Sure! Let me solve it.\n<think>\n{t}\n</think>\n<answer>{a}</answer>\nHope this helps!", 1, True),
    (lambda t, a: f"<think>\n{t[: len(t) // 2]}", 1, False),  # cut mid-thought at max_completion_length
    (lambda t, a: "", 0.3, False),
]  # fmt: skip


def build_batch(prompts: int, generations: int, seed: int) -> list[tuple[str, str, list[str], list[bool]]]:
    """[(expected answer, Math-Verify gold, completions, should_match)] for one GRPO step."""
    from chukmath.generate import generate
    from chukmath.parse import parse_response
    from chukmath.teach.builtin import builtin_trace

    rng = random.Random(seed)
    batch = []
    for i in range(prompts):
        family = FAMILIES[i % len(FAMILIES)]
        problem = next(iter(generate(family, seed=seed, count=1, start=i, difficulty=4)))
        think = r1_think(parse_response(builtin_trace(problem)).think or "", problem.question)
        picks = rng.choices(SHAPES, [w for _, w, _ in SHAPES], k=generations)
        completions = [shape(think, problem.answer) for shape, _, _ in picks]
        batch.append((problem.answer, f"${latex(problem.answer)}$", completions, [ok for _, _, ok in picks]))
    return batch


def clear_all() -> None:
    from chukmath.rewards import reading
    from chukmath.verify import clear_caches

    clear_caches()
    reading.clear_cache()


def time_chukmath(batch, funcs, repeats: int) -> tuple[float, list]:
    completions = [c for _, _, cs, _ in batch for c in cs]
    answers = [a for a, _, cs, _ in batch for _ in cs]
    best, results = float("inf"), []
    for _ in range(repeats):
        clear_all()
        start = time.perf_counter()
        results = [f(completions=completions, answer=answers) for f in funcs]
        best = min(best, time.perf_counter() - start)
    return len(completions) / best, results


def time_math_verify(batch, repeats: int) -> tuple[float, list[float]]:
    from math_verify import parse, verify
    from sympy.core.cache import clear_cache

    n = sum(len(cs) for _, _, cs, _ in batch)
    best, results = float("inf"), []
    for _ in range(repeats):
        clear_cache()  # sympy's expression cache, as chukmath's caches are emptied before each of its passes
        start = time.perf_counter()
        results = []
        for _, gold_text, completions, _ in batch:
            gold = parse(gold_text)  # once per prompt, as the expected answer is cached on chukmath's side
            results.extend(1.0 if completion and verify(gold, parse(completion)) else 0.0 for completion in completions)
        best = min(best, time.perf_counter() - start)
    return n / best, results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prompts", type=int, default=8)
    ap.add_argument("--generations", type=int, default=16)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from chukmath.rewards import (
        accuracy_reward,
        format_reward,
        format_reward_lenient,
        language_reward,
        step_reward,
    )

    batch = build_batch(args.prompts, args.generations, args.seed)
    n = sum(len(cs) for _, _, cs, _ in batch)
    chars = sum(len(c) for _, _, cs, _ in batch for c in cs) / n
    truth = [ok for *_, oks in batch for ok in oks]
    print(f"batch: {args.prompts} prompts x {args.generations} completions = {n}, mean {chars:,.0f} characters; "
          f"best of {args.repeats} passes, caches emptied before each")  # fmt: skip
    # warm-up, one whole pass each: imports, regex compilation, Math-Verify's LaTeX grammar
    time_chukmath(batch, [accuracy_reward, format_reward, format_reward_lenient, language_reward, step_reward], 1)
    time_math_verify(batch, 1)
    acc_rate, (acc,) = time_chukmath(batch, [accuracy_reward], args.repeats)
    all_funcs = [accuracy_reward, format_reward, format_reward_lenient, language_reward, step_reward]
    all_rate, results = time_chukmath(batch, all_funcs, args.repeats)
    mv_rate, mv = time_math_verify(batch, args.repeats)
    agree = sum(a == m for a, m in zip(acc, mv, strict=True))
    right = sum((a == 1.0) == t for a, t in zip(acc, truth, strict=True))
    mv_right = sum((m == 1.0) == t for m, t in zip(mv, truth, strict=True))
    print(f"{'scorer':44} {'completions/s':>13} {'vs Math-Verify':>14}")
    print(f"{'chukmath accuracy_reward':44} {acc_rate:13,.0f} {acc_rate / mv_rate:13.1f}x")
    print(f"{'chukmath all five (acc, fmt, fmt-lenient, lang, step)':44} {all_rate:13,.0f} {all_rate / mv_rate:13.1f}x")
    print(f"{'Math-Verify verify(parse(gold), parse(c))':44} {mv_rate:13,.0f} {1:13.1f}x")
    for func in all_funcs[1:]:
        rate, _ = time_chukmath(batch, [func], args.repeats)
        print(f"{'  ' + func.__name__ + ' alone':44} {rate:13,.0f} {rate / mv_rate:13.1f}x")
    print(f"accuracy labelled right (final answer is / is not the expected one): chukmath {right}/{n}, "
          f"Math-Verify {mv_right}/{n}; the two agree on {agree}/{n}")  # fmt: skip
    names = ["accuracy", "format", "format_lenient", "language", "step"]
    for name, rewards in zip(names, results, strict=True):
        scored = [r for r in rewards if r is not None]
        mean = sum(scored) / len(scored) if scored else float("nan")
        print(f"  {name:15} mean {mean:.3f} over {len(scored)} scored, {n - len(scored)} not applicable")


if __name__ == "__main__":
    main()
