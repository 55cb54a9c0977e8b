"""``export dpo``: preference pairs from a build run with ``samples > 1`` — an accepted trace of a problem against
a rejected trace of the same problem, in TRL ``DPOTrainer``'s conversational shape.

Every journaled sample is verified again (:class:`chukmath.export.run.BuildRun`), so accepted samples that
``keep = "first"`` left out of train.jsonl are chosen too. A rejected sample is used when every reason that
rejected it is one of ``rejected_reasons`` (default ``wrong_answer`` and ``bad_step``): a truncated or badly
formatted trace would teach the format, not the math. Both turns are the normalised
``<think>…</think><answer>…</answer>…`` text the samples of train.jsonl have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError
from chukmath.export.rl import ExportSummary, recipe_split
from chukmath.export.run import ACCEPTED, BuildRun, Judged
from chukmath.export.writers import FormatName, SplitWriter, write_report
from chukmath.formats import DPO, Output, output
from chukmath.records import Message, Problem
from chukmath.split import TRAIN, OverlapCheck, SplitSpec, Splitter
from chukmath.verify.policy import REASONS
from chukmath.write.samples import assistant_content, sample_id, user_messages
from chukmath.write.selection import REJECTED, SampleOutcome

DEFAULT_REJECTED_REASONS = ("wrong_answer", "bad_step")


@dataclass
class DPOOptions:
    """How many pairs per problem, which rejections count, and where the pairs go."""

    pairs_per_problem: int = 1
    rejected_reasons: tuple[str, ...] = DEFAULT_REJECTED_REASONS
    shape: str = "trl"  # a --shape of export dpo in chukmath.formats.ROW_SHAPES
    file_format: FormatName | None = None  # None: the shape's own (jsonl for trl)
    split: SplitSpec | None = None  # None: the run recipe's [split] (if any)
    recipe: Path | None = None  # the run's recipe file, when its templates are not where the manifest says
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        output(DPO, self.shape, self.file_format)  # refuses an unknown --shape or --as before any work
        if "all" in self.rejected_reasons:
            self.rejected_reasons = REASONS
        if self.pairs_per_problem < 1:
            raise ConfigError(f"--pairs-per-problem {self.pairs_per_problem}: must be at least 1")
        unknown = [r for r in self.rejected_reasons if r not in REASONS]
        if unknown or not self.rejected_reasons:
            raise ConfigError(
                f"--rejected-reasons {','.join(self.rejected_reasons)!r}: use 'all' or any of {', '.join(REASONS)}"
            )

    @property
    def output(self) -> Output:
        """The row layout and the file format these options write (chukmath.formats)."""
        return output(DPO, self.shape, self.file_format)

    @property
    def format(self) -> FormatName:
        return self.output.file_format.name


def _text(outcome: SampleOutcome, strip_verifier_answer: bool) -> str | None:
    parsed = outcome.verdict.parsed if outcome.verdict is not None else None
    if parsed is not None and parsed.answer is not None:
        verifier = None if strip_verifier_answer else parsed.verifier_answer
        return assistant_content(parsed.think, parsed.answer, verifier)
    return outcome.candidate.response.content


def problem_pairs(judged: Judged, options: DPOOptions, run: BuildRun) -> list[dict[str, Any]]:
    """Up to ``pairs_per_problem`` pairs of one problem (distinct chosen texts, low sample indexes first)."""
    strip = run.recipe.output.strip_verifier_answer
    chosen: list[tuple[SampleOutcome, str]] = []
    seen: set[str] = set()
    rejected: list[tuple[SampleOutcome, str]] = []
    allowed = set(options.rejected_reasons)
    for outcome in judged.result.outcomes:
        text = _text(outcome, strip)
        if text is None:
            continue
        if outcome.status in ACCEPTED and text not in seen:
            seen.add(text)
            chosen.append((outcome, text))
        elif outcome.status == REJECTED and outcome.reasons and set(outcome.reasons) <= allowed:
            rejected.append((outcome, text))
    if not chosen or not rejected:
        return []
    # Pairs that reuse the fewest traces first: (0,0), (0,1), (1,0), (1,1), (0,2), ...
    combos = sorted(product(range(len(chosen)), range(len(rejected))), key=lambda cr: (max(cr), cr[1], cr[0]))
    problem, request = judged.problem, judged.request
    out = run.recipe.output
    prompt = user_messages(problem, request, out.user_turn, out.system or None)
    row = options.output.shape.row
    return [row(problem, prompt, *chosen[c], *rejected[r]) for c, r in combos[: options.pairs_per_problem]]


def trl_pair(
    problem: Problem, prompt: list[Message], good: SampleOutcome, good_text: str, bad: SampleOutcome, bad_text: str
) -> dict[str, Any]:
    """The ``dpo:trl`` entry of :data:`chukmath.formats.ROW_SHAPES`: TRL DPOTrainer's conversational pair."""
    return {
        "prompt": prompt,
        "chosen": [{"role": "assistant", "content": good_text}],
        "rejected": [{"role": "assistant", "content": bad_text}],
        "problem_id": problem.id,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "answer": problem.answer,
        "chosen_id": sample_id(good.candidate.response.request_id, good.candidate.response.sample),
        "rejected_id": sample_id(bad.candidate.response.request_id, bad.candidate.response.sample),
        "rejected_reasons": list(bad.reasons),
        "model": bad.candidate.response.model,
    }


def export_dpo(run_dir: str | Path, out: str | Path, options: DPOOptions | None = None) -> ExportSummary:
    """Write the preference pairs of the build run in ``run_dir`` into the folder ``out``."""
    options = options or DPOOptions()
    run = BuildRun(run_dir, options.recipe)
    out = Path(out)
    spec = options.split or recipe_split(run.recipe)
    splitter = Splitter(spec) if spec is not None else None
    overlap = OverlapCheck() if splitter is not None else None
    writer = SplitWriter(out, options.format)
    counts = {"problems": 0, "with_pairs": 0, "no_accepted": 0, "no_rejected": 0, "held_out_by_split": 0}
    try:
        for judged in run.judged():
            counts["problems"] += 1
            split = splitter.assign(judged.problem) if splitter is not None else TRAIN
            if split is None:
                counts["held_out_by_split"] += 1
                continue
            pairs = problem_pairs(judged, options, run)
            if not pairs:
                statuses = {o.status for o in judged.result.outcomes}
                counts["no_accepted" if not statuses & set(ACCEPTED) else "no_rejected"] += 1
                continue
            counts["with_pairs"] += 1
            if overlap is not None:
                overlap.add(split, judged.problem.question, judged.problem.expression)
            for pair in pairs:
                writer.write(split, pair)
    except BaseException:
        writer.abort()
        raise
    files = writer.close()
    report: dict[str, Any] = {
        "kind": "dpo",
        "source": str(run.run.root),
        "samples_per_problem": run.samples,
        "policy": run.recipe.verify.policy,
        "pairs_per_problem": options.pairs_per_problem,
        "rejected_reasons": list(options.rejected_reasons),
        "rule": "chosen: accepted by the run's policy (distinct texts); rejected: every rejecting reason is one of "
        "rejected_reasons",
        "problems": counts,
        "rows": sum(files.values()),
        "files": files,
    }
    if splitter is not None and overlap is not None:
        report["split"] = {**splitter.report(), "overlap": overlap.result()}
    write_report(out / "export.json", report)
    return ExportSummary(str(out), files, report)
