"""``run_eval``: ask a model every problem (through a teacher and the journal), verify every answer, score it.

The output folder holds the journal (``responses.jsonl``: a rerun asks only what it lacks), ``samples.jsonl``
(one line per sample: verdict, final answer, correct or not), ``eval.json`` (the scores) and ``report.md``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from chukmath import __version__
from chukmath.errors import ConfigError
from chukmath.eval.metrics import (
    FALSE_CLAIMS_KEPT,
    MAJORITY_RULE,
    REASONING_UNIT,
    ProblemResult,
    SampleResult,
    default_ks,
    false_step_lines,
    score_by,
)
from chukmath.eval.problems import ProblemSet
from chukmath.eval.prompts import Prompt
from chukmath.jsonl import AtomicWriter, dumps_line
from chukmath.records import Problem, Request, Response
from chukmath.teach.base import Teacher
from chukmath.teach.journal import final_responses
from chukmath.teach.runner import TeachOptions, teach_async
from chukmath.teach.summary import TeachSummary

JOURNAL, SAMPLES, RESULT, REPORT = "responses.jsonl", "samples.jsonl", "eval.json", "report.md"
CORRECT_RULE = (
    "the final answer (<verifier_answer>, else <answer>, else the last \\boxed{} or last line after the reasoning) "
    "equals the expected answer by chukmath's verifier"
)
FORMAT_RULE = (
    "<think>...</think> then <answer>...</answer> and nothing else (an opening <think> left to the chat template "
    "and one trailing <verifier_answer> allowed): chukmath.rewards.format_reward_lenient"
)


@dataclass
class EvalOptions:
    """How to run: samples per problem, the k of pass@k/maj@k (1 and ``samples`` are always reported), the
    verifier policy behind ``verified_rate``, and the teach runner's settings."""

    samples: int = 1
    ks: Sequence[int] = ()
    concurrency: int = 16
    policy: str = "all"
    language: str = "en"
    progress: bool = True
    allow_model_change: bool = False
    grace_s: float = 10.0
    sampling: dict[str, Any] = field(default_factory=dict)  # recorded in eval.json (temperature, max tokens, ...)

    def validate(self) -> list[int]:
        """The k to report; ConfigError naming the bad option."""
        if self.samples < 1:
            raise ConfigError(f"--samples {self.samples}: must be >= 1")
        bad = [k for k in self.ks if not 1 <= k <= self.samples]
        if bad:
            raise ConfigError(f"--k {bad[0]}: must be between 1 and --samples ({self.samples})")
        return default_ks(self.samples, self.ks)


@dataclass
class EvalResult:
    """The scores (``data``, what eval.json holds) and the teach run behind them."""

    data: dict[str, Any]
    summary: TeachSummary
    out: Path

    @property
    def complete(self) -> bool:
        return not self.summary.interrupted and self.data["run"]["no_response"] == 0


def run_eval(
    problem_set: ProblemSet,
    prompt: Prompt,
    teacher: Teacher,
    out: str | Path,
    options: EvalOptions | None = None,
    *,
    console: Console | None = None,
    stop: asyncio.Event | None = None,
) -> EvalResult:
    """Ask ``teacher`` every problem ``options.samples`` times (what the journal in ``out`` lacks), verify and score.

    Writes ``out/eval.json``, ``out/report.md`` and ``out/samples.jsonl``; returns the scores.
    """
    options = options or EvalOptions()
    ks = options.validate()
    from chukmath.verify import Policy

    policy = Policy.from_spec(options.policy)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    journal = out / JOURNAL
    problems = problem_set.problems
    requests = [prompt.request(p) for p in problems]
    teach = TeachOptions(
        samples=options.samples, concurrency=options.concurrency, progress=options.progress,
        allow_model_change=options.allow_model_change, grace_s=options.grace_s,
    )  # fmt: skip

    async def ask() -> TeachSummary:
        return await teach_async(
            requests, journal, teacher, teach, console=console or Console(stderr=True), stop=stop,
            expected_total=len(requests) * options.samples,
        )  # fmt: skip

    started = time.monotonic()
    summary = asyncio.run(ask())
    answers = final_responses(journal) if journal.exists() else {}
    results = [
        _judge(problem, request, answers, options.samples, policy, options.language)
        for problem, request in zip(problems, requests, strict=True)
    ]
    with AtomicWriter(out / SAMPLES) as fh:
        fh.write(b"".join(dumps_line(s.to_dict()) for r in results for s in r.samples))
    data = {
        "kind": "chukmath-eval",
        "chukmath": __version__,
        "model": teacher.model,
        "teacher": teacher.name,
        "prompt": prompt.describe(),
        "problems": problem_set.describe(),
        "samples": options.samples,
        "ks": ks,
        "sampling": options.sampling,
        "policy": options.policy,
        "rules": {
            "correct": CORRECT_RULE,
            "accuracy": "pass@1: the share of correct samples, averaged over problems",
            "accuracy_ci95": "accuracy ± 1.96 standard errors of the per-problem pass@1 (accuracy_se), clipped to "
            "[0, 1]: a normal approximation with problems as the unit, so a problem's samples are not counted as "
            "independent draws",
            "pass@k": "unbiased estimator 1 - C(n-c, k)/C(n, k) over n samples with c correct (Chen et al. 2021)",
            "maj@k": MAJORITY_RULE,
            "format_rate": FORMAT_RULE,
            "verified_rate": f"the share of samples the full verifier accepts under policy '{options.policy}' "
            "(what build would keep as training data)",
            "false_step_rate": "the share of answered samples that state at least one false arithmetic claim "
            "(the verifier's step check, in the reasoning or the answer tags: equalities, and comparisons of two "
            "numbers in words such as '152 is more than 127'), right final answer or not",
            "false_equality_step_rate": "the same, counting false equalities only: the false-step rate as measured "
            "before comparisons in words were checked (chukmath 0.1.0 before stop 30)",
            "false_claim_rate": "false claims over all claims the step check evaluated in the answered samples: the "
            "error rate a claim, which does not grow with the length of the reasoning as false_step_rate does",
            "reasoning_length": REASONING_UNIT,
            "completion_tokens": "as the teacher reported them (usage), where it did",
        },
        **score_by(results, ks),
        "false_steps": false_step_lines(results),
        "run": {
            "asked": summary.sent,
            "from_journal": summary.skipped + summary.duplicates,
            "no_response": sum(1 for r in results for s in r.samples if not s.answered),
            "interrupted": summary.interrupted,
            "elapsed_s": round(time.monotonic() - started, 3),
            # what this run asked (not the journal's earlier answers): for throughput, tokens / teach_s
            "teach_s": round(summary.elapsed_s, 3),
            "completion_tokens": summary.completion_tokens,
            "journal": str(journal),
        },
    }
    from chukmath.eval.report import markdown_report, write_json

    write_json(out / RESULT, data)
    with AtomicWriter(out / REPORT) as fh:
        fh.write(markdown_report(data).encode())
    return EvalResult(data, summary, out)


def _judge(
    problem: Problem,
    request: Request,
    answers: dict[tuple[str, int], Response],
    samples: int,
    policy: Any,
    language: str,
) -> ProblemResult:
    from chukmath.rewards import final_answer
    from chukmath.rewards.functions import r1_format_ok
    from chukmath.rewards.reading import reasoning
    from chukmath.verify import verify_response
    from chukmath.verify.answers import CORRECT, judge_answer
    from chukmath.verify.tolerance import GRADED

    result = ProblemResult(problem.id, problem.generator, problem.difficulty)
    for sample in range(samples):
        response = answers.get((request.id, sample))
        if response is None or not response.ok or (response.content is None and response.reasoning_content is None):
            result.samples.append(SampleResult(problem.id, sample, problem.generator, problem.difficulty,
                                               answered=False, correct=False, accepted=False, format_ok=False,
                                               verdict="no_response"))  # fmt: skip
            continue
        text = _full_text(response)
        verdict = verify_response(problem, response, policy, language)
        final = final_answer(text)
        # the accuracy reward's rule: the same extraction and the graded approximation policy
        correct = final is not None and judge_answer(final, problem.answer, question=problem.question,
                                                     tolerance=GRADED) == CORRECT  # fmt: skip
        tokens = (response.usage or {}).get("completion_tokens")
        result.samples.append(
            SampleResult(
                problem.id, sample, problem.generator, problem.difficulty,
                answered=True,
                correct=correct,
                accepted=verdict.accepted,
                format_ok=r1_format_ok(text, lenient=True),
                verdict=verdict.verdict,
                final=final,
                reasoning_words=len(reasoning(text).split()),
                completion_tokens=tokens if isinstance(tokens, int) else None,
                false_step="bad_step" in verdict.flags,
                false_equality=any("=" in claim for claim in verdict.false_claims),
                false_claims=tuple(verdict.false_claims[:FALSE_CLAIMS_KEPT]),
                claims_checked=verdict.claims_checked,
                claims_false=len(verdict.false_claims),
            )
        )  # fmt: skip
    return result


def _full_text(response: Response) -> str:
    """The completion as the model wrote it: reasoning an endpoint returned apart (``reasoning_content``) is put back
    in its ``<think>`` block, so the format and the reasoning length are read the same for every endpoint."""
    content = response.content or ""
    if response.reasoning_content and "<think>" not in content:
        return f"<think>\n{response.reasoning_content.strip()}\n</think>\n{content.lstrip()}"
    return content


__all__ = ["JOURNAL", "REPORT", "RESULT", "SAMPLES", "EvalOptions", "EvalResult", "run_eval"]
