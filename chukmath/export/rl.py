"""``export rl``: RL prompt sets with ground truth — one row per problem, no teacher needed.

Shapes:

- ``trl`` (GRPOTrainer and friends): ``prompt`` (chat messages, or a string with ``prompt_format="text"``),
  ``answer``, ``generator``, ``difficulty``, ``problem_id`` — plain columns that reach the reward function as
  keyword arguments.
- ``verl`` (its data preparation layout, as ``examples/data_preprocess/gsm8k.py`` writes it): ``data_source``,
  ``prompt`` (chat messages), ``ability``, ``reward_model: {style: "rule", ground_truth}``,
  ``extra_info: {split, index, ...}``.

The prompt is a chukmath template rendered by :mod:`chukmath.render`. A template that shows the answer (such as
``step_by_step``) is refused: a policy trained on it would learn to copy. Problems pass, in order: the
decontamination filter, the train/test split (:mod:`chukmath.split`, the same assignment ``build`` makes), then
the pass-rate filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chukmath.decontaminate import DEFAULT_NGRAM, Decontaminator
from chukmath.errors import ConfigError
from chukmath.export.writers import FormatName, SplitWriter, write_report
from chukmath.formats import RL, Output, output
from chukmath.records import Message, Problem
from chukmath.split import TEST, TRAIN, OverlapCheck, SplitSpec, Splitter

Shape = str  # a --shape of export rl in chukmath.formats.ROW_SHAPES (trl, verl)
Order = Literal["index", "difficulty", "pass_rate"]
PromptFormat = Literal["chat", "text"]
RECIPE_TEMPLATES = "recipe"


@dataclass
class RLOptions:
    """What ``export rl`` writes; the defaults give TRL's conversational shape in JSONL."""

    shape: Shape = "trl"
    file_format: FormatName | None = None  # None: the shape's own (jsonl for trl, parquet for verl)
    template: str = "answer_blind"  # a template name, or "recipe" for the recipe's own per-family templates
    templates_dirs: list[Path] = field(default_factory=list)
    prompt_format: PromptFormat = "chat"
    system: str | None = None
    order: Order = "index"
    bucket: bool = False
    split: SplitSpec | None = None  # None: the recipe's [split] (if any)
    decontaminate: list[Path] = field(default_factory=list)
    decontaminate_cols: list[str] = field(default_factory=list)
    ngram: int = DEFAULT_NGRAM
    pass_rate_from: Path | None = None
    pass_rate_recipe: Path | None = None
    min_pass: float | None = None  # None: at least one sample solved it
    max_pass: float | None = None  # None: at least one sample failed it
    data_source: str = "chukmath"

    def __post_init__(self) -> None:
        row_shape = self.output.shape  # refuses an unknown --shape or --as before any work
        if self.order not in ("index", "difficulty", "pass_rate"):
            raise ConfigError(f"--order {self.order!r}: expected index, difficulty or pass_rate")
        if self.prompt_format not in ("chat", "text"):
            raise ConfigError(f"--prompt-format {self.prompt_format!r}: expected chat or text")
        if self.prompt_format == "text" and not row_shape.text_prompt:
            raise ConfigError(f"--prompt-format text with --shape {self.shape}: {self.shape}'s prompt is a list of "
                              "chat messages")
        if self.order == "pass_rate" and self.pass_rate_from is None:
            raise ConfigError("--order pass_rate needs --pass-rate-from RUN_DIR (a build run with samples > 1)")
        for name, value in (("--min-pass", self.min_pass), ("--max-pass", self.max_pass)):
            if value is not None and not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} {value}: a pass rate is between 0 and 1")
        if (self.min_pass is not None or self.max_pass is not None) and self.pass_rate_from is None:
            raise ConfigError("--min-pass/--max-pass need --pass-rate-from RUN_DIR")

    @property
    def output(self) -> Output:
        """The row layout and the file format these options write (chukmath.formats)."""
        return output(RL, self.shape, self.file_format)

    @property
    def format(self) -> FormatName:
        return self.output.file_format.name


@dataclass
class ExportSummary:
    """What an export wrote (rows per file, relative to ``out``) and what it left out, and why."""

    out: str
    files: dict[str, int]
    report: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"out": self.out, "files": self.files, **self.report}


class _Prompts:
    """The prompt of a problem: its family's template (or one for all), as messages or one string."""

    def __init__(self, options: RLOptions, recipe: Any | None, recipe_dir: Path | None) -> None:
        from chukmath.render import TemplateLibrary

        if options.template == RECIPE_TEMPLATES:
            if recipe is None:
                raise ConfigError("--template recipe needs --recipe (problems files have no templates)")
            from chukmath.build import stages

            self.by_family = dict(stages.load_prompting(recipe, recipe_dir).templates)
            self.single = None
        else:
            self.by_family = {}
            self.single = TemplateLibrary(list(options.templates_dirs)).get(options.template)
        for template in [self.single, *self.by_family.values()]:
            if template is not None and template.meta.reveals_answer:
                raise ConfigError(
                    f"template '{template.name}' shows the answer to the model (reveals_answer = true); an RL prompt "
                    "must not contain it. Use --template answer_blind, --template r1_zero or your own answer-blind "
                    "template"
                )
        self.options = options

    def names(self) -> list[str]:
        return sorted({t.name for t in ([self.single] if self.single else self.by_family.values())})

    def __call__(self, problem: Problem) -> list[Message] | str:
        # "*": a [source] recipe's one template for every row (chukmath.build.recipe.ANY_FAMILY)
        template = self.single or self.by_family.get(problem.generator) or self.by_family.get("*")
        if template is None:
            raise ConfigError(f"problem {problem.id}: generator '{problem.generator}' has no template in the recipe")
        messages = template.render(problem, self.options.system)
        if self.options.prompt_format == "text":
            return "\n\n".join(m["content"] for m in messages)
        return messages


def trl_row(problem: Problem, prompt: list[Message] | str, pass_rate: float | None = None) -> dict[str, Any]:
    """One TRL row: the prompt and the columns a reward function receives."""
    row: dict[str, Any] = {
        "prompt": prompt,
        "answer": problem.answer,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "problem_id": problem.id,
    }
    if pass_rate is not None:
        row["pass_rate"] = pass_rate
    return row


def verl_row(
    problem: Problem, prompt: list[Message], split: str, data_source: str, pass_rate: float | None = None
) -> dict[str, Any]:
    """One verl row (``extra_info.index`` is the row's position in its file, filled in as it is written)."""
    extra: dict[str, Any] = {
        "split": split,
        "index": 0,
        "problem_id": problem.id,
        "generator": problem.generator,
        "difficulty": problem.difficulty,
        "question": problem.question,
    }
    if pass_rate is not None:
        extra["pass_rate"] = pass_rate
    return {
        "data_source": data_source,
        "prompt": prompt,
        "ability": "math",
        "reward_model": {"style": "rule", "ground_truth": problem.answer},
        "extra_info": extra,
    }


def trl_shape_row(
    problem: Problem, prompt: list[Message] | str, split: str, options: RLOptions, rate: float | None
) -> dict[str, Any]:
    """The ``rl:trl`` entry of :data:`chukmath.formats.ROW_SHAPES`."""
    return trl_row(problem, prompt, rate)


def verl_shape_row(
    problem: Problem, prompt: list[Message], split: str, options: RLOptions, rate: float | None
) -> dict[str, Any]:
    """The ``rl:verl`` entry of :data:`chukmath.formats.ROW_SHAPES`."""
    return verl_row(problem, prompt, split, options.data_source, rate)


def set_verl_index(row: dict[str, Any], n: int) -> None:
    """A verl row's ``extra_info.index``: its position in its file."""
    row["extra_info"]["index"] = n


def pass_rates(run_dir: str | Path, recipe_path: str | Path | None = None) -> dict[str, tuple[int, int]]:
    """``problem_id -> (passed, answered)`` over every journaled sample of a build run, verified again."""
    from chukmath.export.run import BuildRun

    run = BuildRun(run_dir, recipe_path)
    return {j.problem.id: (j.passed, j.answered) for j in run.judged()}


def _keeps(passed: int, answered: int, options: RLOptions) -> bool:
    rate = passed / answered
    low = passed >= 1 if options.min_pass is None else rate >= options.min_pass
    high = passed < answered if options.max_pass is None else rate <= options.max_pass
    return low and high


def export_rl(
    problems: Iterable[Problem],
    out: str | Path,
    options: RLOptions | None = None,
    *,
    recipe: Any | None = None,
    recipe_dir: Path | None = None,
    source: str = "",
) -> ExportSummary:
    """Write the RL prompt rows of ``problems`` (in order) into the folder ``out``; returns what was written.

    ``recipe`` (a BuildRecipe) supplies the ``[split]`` table and, with ``template="recipe"``, the templates.
    """
    options = options or RLOptions()
    out = Path(out)
    prompts = _Prompts(options, recipe, recipe_dir)
    spec = options.split or (recipe_split(recipe) if recipe is not None else None)
    splitter = Splitter(spec) if spec is not None else None
    overlap = OverlapCheck() if splitter is not None else None
    decon = (
        Decontaminator.from_files(options.decontaminate, options.decontaminate_cols, options.ngram)
        if options.decontaminate
        else None
    )
    rates = pass_rates(options.pass_rate_from, options.pass_rate_recipe) if options.pass_rate_from else None
    order_key = {"index": None, "difficulty": lambda r: _difficulty(r), "pass_rate": lambda r: -_pass_rate(r)}
    chosen = options.output
    row_shape = chosen.shape
    writer = SplitWriter(
        out,
        chosen.file_format.name,
        bucket=_difficulty if options.bucket else None,
        order=order_key[options.order],
        finalize=row_shape.finalize,
    )
    counts = {
        "read": 0,
        "decontaminated": 0,
        "held_out": 0,
        "unmeasured": 0,
        "all_pass": 0,
        "none_pass": 0,
        "outside_pass_range": 0,
    }
    try:
        for problem in problems:
            counts["read"] += 1
            if decon is not None and not decon.admits(problem.id, problem.question):
                counts["decontaminated"] += 1
                continue
            split = splitter.assign(problem) if splitter is not None else TRAIN
            if split is None:
                counts["held_out"] += 1
                continue
            rate = None
            if rates is not None:
                measured = rates.get(problem.id)
                if measured is None or measured[1] == 0:
                    counts["unmeasured"] += 1
                    continue
                passed, answered = measured
                if not _keeps(passed, answered, options):
                    key = "all_pass" if passed == answered else "none_pass" if passed == 0 else "outside_pass_range"
                    counts[key] += 1
                    continue
                rate = round(passed / answered, 6)
            if overlap is not None:
                overlap.add(split, problem.question, problem.expression)
            writer.write(split, row_shape.row(problem, prompts(problem), split, options, rate))
    except BaseException:
        writer.abort()
        raise
    files = writer.close()
    report = _report(options, prompts, counts, files, source, splitter, overlap, decon, rates is not None)
    write_report(out / "export.json", report)
    return ExportSummary(str(out), files, report)


def _difficulty(row: dict[str, Any]) -> int:
    return int(row["extra_info"]["difficulty"] if "extra_info" in row else row["difficulty"])


def _pass_rate(row: dict[str, Any]) -> float:
    return float(row["extra_info"]["pass_rate"] if "extra_info" in row else row["pass_rate"])


def recipe_split(recipe: Any) -> SplitSpec | None:
    section = getattr(recipe, "split", None)
    return None if section is None else SplitSpec(test=section.test, test_count=section.test_count)


def _report(
    options: RLOptions,
    prompts: _Prompts,
    counts: dict[str, int],
    files: dict[str, int],
    source: str,
    splitter: Splitter | None,
    overlap: OverlapCheck | None,
    decon: Decontaminator | None,
    filtered: bool,
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "kind": "rl",
        "source": source,
        "shape": options.shape,
        "format": options.format,
        "prompt_format": options.prompt_format,
        "templates": prompts.names(),
        "order": options.order,
        "bucket": options.bucket,
        "problems_read": counts["read"],
        "rows": sum(files.values()),
        "files": files,
    }
    if splitter is not None and overlap is not None:
        report["split"] = {**splitter.report(), "overlap": overlap.result()}
    if decon is not None:
        report["decontamination"] = decon.report()
    if filtered:
        report["pass_rate"] = {
            "from": str(options.pass_rate_from),
            "min_pass": options.min_pass,
            "max_pass": options.max_pass,
            "rule": "kept: min_pass <= passed/answered <= max_pass (defaults: at least one sample passed and at least "
            "one failed)",
            "dropped": {k: counts[k] for k in ("all_pass", "none_pass", "outside_pass_range", "unmeasured")},
        }
    report["dropped"] = {
        "decontaminated": counts["decontaminated"],
        "held_out_by_split": counts["held_out"],
        **(
            {"pass_rate": sum(counts[k] for k in ("all_pass", "none_pass", "outside_pass_range", "unmeasured"))}
            if filtered
            else {}
        ),
    }
    return report


def recipe_problems(recipe: Any, count: int | None = None) -> Iterator[Problem]:
    """Problems ``0..count-1`` of a build recipe (its own count by default), as ``build`` makes them."""
    from chukmath.build import stages

    if count is not None:
        recipe = recipe.with_overrides(count=count)
    mix = stages.load_mix(recipe, recipe.source)
    return stages.problems(mix, recipe, 0, recipe.count)


__all__ = [
    "RECIPE_TEMPLATES",
    "TEST",
    "ExportSummary",
    "RLOptions",
    "export_rl",
    "pass_rates",
    "recipe_problems",
    "trl_row",
    "verl_row",
]
