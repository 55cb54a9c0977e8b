"""Scores of an evaluation: pass@k (the unbiased estimator of the Codex paper), maj@k (majority vote over the final
answers), format rate and reasoning length — overall and by family and difficulty.

Pure functions over :class:`SampleResult` records; nothing here reads files or asks a model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import comb, sqrt
from typing import Any

from chukmath.verify import answers_match

REASONING_UNIT = "words: whitespace-separated, in <think> (the whole completion when it has none)"
MAJORITY_RULE = (
    "majority of the final answers of samples 0..k-1, equal answers grouped by the verifier's answer equivalence; "
    "a tie goes to the group whose first answer came first; samples without a final answer do not vote"
)


@dataclass(slots=True)
class SampleResult:
    """What the verifier made of one sample of one problem."""

    problem_id: str
    sample: int
    generator: str
    difficulty: int
    answered: bool  # a response came back (failed requests are not answers)
    correct: bool  # its final answer equals the expected one
    accepted: bool  # the full verifier (the policy) accepts it as a training sample
    format_ok: bool  # well-formed <think>...</think><answer>...</answer>
    verdict: str
    final: str | None = None
    reasoning_words: int = 0
    completion_tokens: int | None = None
    false_step: bool = False  # states at least one false arithmetic claim (the verifier's bad_step check)
    false_equality: bool = False  # one of those is an equality (comparisons in words were not checked before)
    false_claims: tuple[str, ...] = ()  # the first of those claims, as the verifier quotes them
    claims_checked: int = 0  # arithmetic claims the verifier evaluated in it, true or false
    claims_false: int = 0  # how many of those were false

    def to_dict(self) -> dict[str, Any]:
        return {
            "problem_id": self.problem_id,
            "sample": self.sample,
            "generator": self.generator,
            "difficulty": self.difficulty,
            "answered": self.answered,
            "correct": self.correct,
            "accepted": self.accepted,
            "format_ok": self.format_ok,
            "verdict": self.verdict,
            "final": self.final,
            "reasoning_words": self.reasoning_words,
            "completion_tokens": self.completion_tokens,
            "false_step": self.false_step,
            "false_equality": self.false_equality,
            "false_claims": list(self.false_claims),
            "claims_checked": self.claims_checked,
            "claims_false": self.claims_false,
        }


@dataclass(slots=True)
class ProblemResult:
    """The samples of one problem, in sample order."""

    problem_id: str
    generator: str
    difficulty: int
    samples: list[SampleResult] = field(default_factory=list)


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate of pass@k from ``n`` samples of which ``c`` are correct: ``1 - C(n-c, k) / C(n, k)``.

    The chance that at least one of ``k`` samples drawn without replacement from the ``n`` is correct (Chen et al.
    2021, "Evaluating Large Language Models Trained on Code"); with ``n == k`` it is 1 if any sample is correct.
    """
    if not 0 <= c <= n:
        raise ValueError(f"pass_at_k: c={c} correct of n={n} samples is impossible")
    if not 1 <= k <= n:
        raise ValueError(f"pass_at_k: k={k} needs 1 <= k <= n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def _same_answer(a: str, b: str) -> bool:
    if " ".join(a.split()) == " ".join(b.split()):
        return True
    return answers_match(a, b) or answers_match(b, a)


def majority(finals: Sequence[str | None], correct: Sequence[bool],
             same: Callable[[str, str], bool] = _same_answer) -> bool:
    """Is the majority final answer correct? ``finals[i]`` is sample i's final answer (None: gave none) and
    ``correct[i]`` whether it is right. See :data:`MAJORITY_RULE`."""
    groups: list[list[int]] = []  # sample indexes per distinct answer, in order of first appearance
    for i, final in enumerate(finals):
        if final is None:
            continue
        for group in groups:
            if same(finals[group[0]], final):  # type: ignore[arg-type]
                group.append(i)
                break
        else:
            groups.append([i])
    if not groups:
        return False
    best = max(groups, key=len)  # max keeps the first of equal sizes: the earliest group wins a tie
    return correct[best[0]]


def maj_at_k(problem: ProblemResult, k: int) -> bool:
    """maj@k of one problem: the majority over its first ``k`` samples is correct."""
    first = problem.samples[:k]
    return majority([s.final for s in first], [s.correct for s in first])


def default_ks(samples: int, extra: Iterable[int] = ()) -> list[int]:
    """The k reported for ``samples`` samples per problem: 1, ``samples`` and any asked for (each <= samples)."""
    return sorted({1, samples, *extra})


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 6) if values else None


def standard_error(values: Sequence[float]) -> float | None:
    """The standard error of the mean of ``values`` (sample standard deviation over √n); None below two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    return sqrt(sum((v - mean) ** 2 for v in values) / (n - 1) / n)


def interval95(mean: float | None, se: float | None) -> list[float] | None:
    """``mean ± 1.96 se`` clipped to [0, 1] (a normal approximation), rounded; None without both."""
    if mean is None or se is None:
        return None
    return [round(max(0.0, mean - 1.96 * se), 6), round(min(1.0, mean + 1.96 * se), 6)]


def _per_problem_pass(problems: Sequence[ProblemResult], k: int) -> list[float]:
    """pass@k of each problem with at least ``k`` samples."""
    return [pass_at_k(len(p.samples), sum(s.correct for s in p.samples), k) for p in problems if len(p.samples) >= k]


def score(problems: Sequence[ProblemResult], ks: Sequence[int]) -> dict[str, Any]:
    """The metrics of a set of problems: accuracy (mean pass@1) with its standard error and 95 % interval over
    problems, pass@k, maj@k (k > 1), format and verified rates,
    the false-step rate (of answered samples), the false-claim rate (of the claims checked in them) and the claims
    checked a sample, mean reasoning length, verdict counts."""
    samples = [s for p in problems for s in p.samples]
    answered = [s for s in samples if s.answered]
    out: dict[str, Any] = {"problems": len(problems), "samples": len(samples), "answered": len(answered)}
    pass_k: dict[str, float | None] = {}
    maj_k: dict[str, float | None] = {}
    pass_1 = _per_problem_pass(problems, 1)  # accuracy, and its standard error below
    for k in ks:
        pass_k[str(k)] = _mean(pass_1 if k == 1 else _per_problem_pass(problems, k))
        if k > 1:
            maj_k[str(k)] = _mean([float(maj_at_k(p, k)) for p in problems if len(p.samples) >= k])
    out["accuracy"] = pass_k.get("1")
    # problems are the unit: the samples of one problem are not independent draws
    se = standard_error(pass_1)
    out["accuracy_se"] = None if se is None else round(se, 6)
    out["accuracy_ci95"] = interval95(out["accuracy"], se)
    out["pass@k"] = pass_k
    out["maj@k"] = maj_k
    out["format_rate"] = _mean([float(s.format_ok) for s in samples])
    out["verified_rate"] = _mean([float(s.accepted) for s in samples])
    out["false_step_rate"] = _mean([float(s.false_step) for s in answered])
    out["false_equality_step_rate"] = _mean([float(s.false_equality) for s in answered])
    checked = sum(s.claims_checked for s in answered)
    out["false_claim_rate"] = round(sum(s.claims_false for s in answered) / checked, 6) if checked else None
    out["mean_claims_checked"] = _mean([float(s.claims_checked) for s in answered])
    out["mean_reasoning_words"] = _mean([float(s.reasoning_words) for s in answered])
    tokens = [float(s.completion_tokens) for s in answered if s.completion_tokens is not None]
    out["mean_completion_tokens"] = _mean(tokens)
    out["verdicts"] = dict(sorted(Counter(s.verdict for s in samples).items()))
    return out


_DIGITS = re.compile(r"\d+")
_FRACTION = re.compile(r"\d/\d")
FALSE_CLAIMS_KEPT = 3  # false claims quoted per sample
FALSE_EXAMPLES = 40  # false claims quoted in eval.json
_OPERATIONS = (" mod ", " × ", " * ", " ÷ ", " / ", " + ", " - ", "^")
_SAME_OP = {"*": "×", "/": "÷"}


def longest_number_digits(claim: str) -> int:
    """Digits of the longest whole number written in ``claim`` (``216 - 80 = 136``: 3); 0 when it has none."""
    return max((len(d) for d in _DIGITS.findall(claim)), default=0)


def false_step_lines(problems: Sequence[ProblemResult]) -> dict[str, Any]:
    """What the false claims are (each sample's first :data:`FALSE_CLAIMS_KEPT`): counted by operation, by the
    length of the longest whole number in them and by whether a fraction is in them, with the first examples
    (``family: claim``) — which arithmetic a model gets wrong."""
    by: dict[str, Counter[str]] = {"operation": Counter(), "longest_number_digits": Counter(), "fraction": Counter()}
    examples: list[str] = []
    for problem in problems:
        for sample in problem.samples:
            for claim in sample.false_claims:
                op = next((o.strip() for o in _OPERATIONS if o in claim), "other")
                by["operation"][_SAME_OP.get(op, op)] += 1
                longest = longest_number_digits(claim)
                by["longest_number_digits"][str(longest) if longest < 5 else "5+"] += 1
                by["fraction"]["yes" if _FRACTION.search(claim) else "no"] += 1
                if len(examples) < FALSE_EXAMPLES:
                    examples.append(f"{sample.generator}: {claim}")
    return {"counts": {k: dict(v.most_common()) for k, v in by.items()}, "examples": examples}


def score_by(problems: Sequence[ProblemResult], ks: Sequence[int]) -> dict[str, Any]:
    """``overall``, ``by_family`` and ``by_difficulty`` (keys are strings: JSON objects)."""
    families: dict[str, list[ProblemResult]] = {}
    levels: dict[int, list[ProblemResult]] = {}
    for p in problems:
        families.setdefault(p.generator, []).append(p)
        levels.setdefault(p.difficulty, []).append(p)
    return {
        "overall": score(problems, ks),
        "by_family": {name: score(families[name], ks) for name in sorted(families)},
        "by_difficulty": {str(level): score(levels[level], ks) for level in sorted(levels)},
    }


__all__ = [
    "MAJORITY_RULE",
    "REASONING_UNIT",
    "ProblemResult",
    "SampleResult",
    "default_ks",
    "false_step_lines",
    "interval95",
    "longest_number_digits",
    "maj_at_k",
    "majority",
    "pass_at_k",
    "score",
    "score_by",
    "standard_error",
]
