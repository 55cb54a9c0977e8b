"""``chukmath export rl`` (RL prompt sets with ground truth) and ``chukmath export dpo`` (preference pairs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

from chukmath.errors import ConfigError
from chukmath.formats import DPO, FORMATS, RL, shapes

if TYPE_CHECKING:
    from chukmath.export import ExportSummary


# --shape and --as are built from chukmath.formats. The annotations below are strings (``from __future__ import
# annotations``) that typer evaluates when it builds the command, so the help lists the tables as they are then.
def _shape_help(writer: str) -> str:
    """Each row layout ``writer`` offers, with its columns."""
    return "; ".join(f"{name}: {s.about}" for name, s in shapes(writer).items()) + "."


def _as_help(writer: str) -> str:
    """The file formats, and each layout's own."""
    own = ", ".join(f"{s.file_format} for {name}" for name, s in shapes(writer).items())
    return f"{' or '.join(FORMATS)} (default: {own})."


RL_HELP = """Write an RL prompt set: one row per problem with its prompt and exact answer, no teacher needed.

From a build recipe (--recipe; its [split] table is honoured) or a problems file (--problems), in the row layout
--shape names (TRL's by default, or verl's; --shape lists each layout's columns). Writes OUT/train.* (and
OUT/test.* with a split) and OUT/export.json (what was dropped and why).

The prompt is a template that does not show the answer: answer_blind (default), r1_zero (DeepSeek-R1-Zero's
plain-text prompt; use --prompt-format text for a string), your own, or --template recipe for the recipe's.

Examples:

\b
  chukmath export rl --recipe datasets/demo.toml --out rl/
  chukmath export rl --recipe datasets/demo.toml --out rl-verl/ --shape verl --test 0.1
  chukmath export rl --problems problems.jsonl --out rl/ --template r1_zero --prompt-format text
  chukmath export rl --recipe r.toml --out rl/ --pass-rate-from runs/k8 --order difficulty
  chukmath export rl --recipe r.toml --out rl/ --decontaminate gsm8k_test.jsonl math500.parquet
"""

DPO_HELP = """Write preference pairs from a build run with samples > 1: an accepted trace and a rejected trace of the
same problem, one row per pair in the layout --shape names (default trl: TRL DPOTrainer's conversational pair;
--shape lists each layout's columns), with the rejected sample's reasons.

Every journaled answer is verified again, so accepted samples that keep = "first" left out of train.jsonl are
used too. A rejected sample counts when all its reasons are among --rejected-reasons (default wrong_answer and
bad_step: a truncated or malformed trace teaches the format, not the math).

Example:

\b
  chukmath export dpo runs/k4 --out dpo/ --pairs-per-problem 2
"""


def _split(test: float | None, test_count: int | None):
    from chukmath.split import SplitSpec

    if test is None and test_count is None:
        return None
    return SplitSpec(test=test, test_count=test_count)


def _print(summary: ExportSummary, json_out: bool, quiet: bool) -> None:
    if json_out:
        sys.stdout.write(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    if quiet:
        return
    for name, rows in summary.files.items():
        typer.echo(f"{rows:>9,} rows  {Path(summary.out) / name}")
    dropped = summary.report.get("dropped") or {}
    shown = ", ".join(f"{k} {v:,}" for k, v in dropped.items() if v)
    if shown:
        typer.echo(f"dropped: {shown} (see {Path(summary.out) / 'export.json'})")
    split = summary.report.get("split")
    if split:
        o = split["overlap"]
        typer.echo(f"split overlap: {o['questions']} questions, {o['expressions']} expressions")


def rl_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (train.*, test.*, export.json).")],
    recipe: Annotated[Path | None, typer.Option("--recipe", "-r", help="Build recipe to take problems from.")] = None,
    problems: Annotated[Path | None, typer.Option("--problems", help="A problems JSONL file instead.")] = None,
    count: Annotated[int | None, typer.Option("--count", "-n", min=1, help="Problems (overrides the recipe).")] = None,
    shape: Annotated[str, typer.Option("--shape", help=_shape_help(RL))] = "trl",
    file_format: Annotated[str | None, typer.Option("--as", help=_as_help(RL))] = None,
    template: Annotated[
        str, typer.Option("--template", "-t", help="Answer-blind template, or 'recipe' for the recipe's.")
    ] = "answer_blind",
    templates_dirs: Annotated[
        list[Path] | None, typer.Option("--templates", help="Your template folder (repeatable).")
    ] = None,
    prompt_format: Annotated[str, typer.Option("--prompt-format", help="chat (messages) or text (a string).")] = "chat",
    system: Annotated[str | None, typer.Option("--system", help="Replace the template's system message.")] = None,
    order: Annotated[
        str, typer.Option("--order", help="Row order: index, difficulty (easy first) or pass_rate (high first).")
    ] = "index",
    bucket: Annotated[bool, typer.Option("--bucket", help="One folder per difficulty: difficulty-N/train.*")] = False,
    test: Annotated[
        float | None, typer.Option("--test", help="Hold out this fraction as test (overrides [split]).")
    ] = None,
    test_count: Annotated[int | None, typer.Option("--test-count", min=1, help="Hold out this many as test.")] = None,
    decontaminate: Annotated[
        list[Path] | None,
        typer.Option("--decontaminate", help="Benchmark file (JSONL or Parquet) whose questions to keep out; repeat."),
    ] = None,
    decontaminate_col: Annotated[
        list[str] | None,
        typer.Option(
            "--decontaminate-col", help="Question column of the benchmark files (default: question, problem)."
        ),
    ] = None,
    ngram: Annotated[
        int, typer.Option("--ngram", min=1, help="Shared window (words) that counts as contamination.")
    ] = 8,
    pass_rate_from: Annotated[
        Path | None,
        typer.Option("--pass-rate-from", help="Build run (samples > 1) to measure each problem's pass rate."),
    ] = None,
    pass_rate_recipe: Annotated[
        Path | None, typer.Option("--pass-rate-recipe", help="That run's recipe file, if its templates moved.")
    ] = None,
    min_pass: Annotated[
        float | None, typer.Option("--min-pass", help="Keep problems solved at least this often (default: > 0).")
    ] = None,
    max_pass: Annotated[
        float | None, typer.Option("--max-pass", help="Keep problems solved at most this often (default: < 1).")
    ] = None,
    data_source: Annotated[str, typer.Option("--data-source", help="verl's data_source value.")] = "chukmath",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the export report (JSON) on stdout.")] = False,
) -> None:
    from chukmath.export import RLOptions, export_rl, recipe_problems

    if (recipe is None) == (problems is None):
        raise ConfigError("give one of --recipe or --problems")
    options = RLOptions(
        shape=shape,  # type: ignore[arg-type]
        file_format=file_format,  # type: ignore[arg-type]
        template=template,
        templates_dirs=list(templates_dirs or []),
        prompt_format=prompt_format,  # type: ignore[arg-type]
        system=system,
        order=order,  # type: ignore[arg-type]
        bucket=bucket,
        split=_split(test, test_count),
        decontaminate=list(decontaminate or []),
        decontaminate_cols=list(decontaminate_col or []),
        ngram=ngram,
        pass_rate_from=pass_rate_from,
        pass_rate_recipe=pass_rate_recipe,
        min_pass=min_pass,
        max_pass=max_pass,
        data_source=data_source,
    )
    if recipe is not None:
        from chukmath.build import load_recipe

        loaded = load_recipe(recipe)
        rows = recipe_problems(loaded, count)
        summary = export_rl(rows, out, options, recipe=loaded, recipe_dir=recipe.parent, source=str(recipe))
    else:
        from itertools import islice

        from chukmath.render import read_problems

        assert problems is not None
        rows = read_problems(problems)
        summary = export_rl(islice(rows, count) if count else rows, out, options, source=str(problems))
    _print(summary, json_out, quiet)


def dpo_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory made by chukmath build with samples > 1.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (train.*, test.*, export.json).")],
    pairs_per_problem: Annotated[
        int, typer.Option("--pairs-per-problem", "-k", min=1, help="Most pairs a problem.")
    ] = 1,
    rejected_reasons: Annotated[
        str, typer.Option("--rejected-reasons", help="Comma list of reasons a rejected sample may have (or all).")
    ] = "wrong_answer,bad_step",
    shape: Annotated[str, typer.Option("--shape", help=_shape_help(DPO))] = "trl",
    file_format: Annotated[str | None, typer.Option("--as", help=_as_help(DPO))] = None,
    test: Annotated[float | None, typer.Option("--test", help="Hold out this fraction (overrides [split]).")] = None,
    test_count: Annotated[int | None, typer.Option("--test-count", min=1, help="Hold out this many problems.")] = None,
    recipe: Annotated[
        Path | None, typer.Option("--recipe", "-r", help="The run's recipe file, if its templates are not found.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the export report (JSON) on stdout.")] = False,
) -> None:
    from chukmath.export import DPOOptions, export_dpo

    reasons = tuple(r.strip() for r in rejected_reasons.split(",") if r.strip())
    options = DPOOptions(
        pairs_per_problem=pairs_per_problem,
        rejected_reasons=reasons,
        shape=shape,
        file_format=file_format,  # type: ignore[arg-type]
        split=_split(test, test_count),
        recipe=recipe,
    )
    _print(export_dpo(run_dir, out, options), json_out, quiet)


def register(app: typer.Typer) -> None:
    """Add ``export rl`` and ``export dpo`` to ``app``."""
    export = typer.Typer(
        name="export",
        help="Export for RL and preference training: RL prompt sets (TRL, verl) and DPO pairs from a build run.\n\n"
        "Example: chukmath export rl --recipe datasets/demo.toml --out rl/",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    export.command("rl", help=RL_HELP)(rl_command)
    export.command("dpo", help=DPO_HELP)(dpo_command)
    app.add_typer(export, name="export")
