"""``chukmath eval``: measure a model on held-out problems; ``chukmath eval compare A B``: two results side by side."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import orjson
import typer
from rich.console import Console

from chukmath.cli.teacher_options import TeacherChoice, TeacherOptions
from chukmath.errors import ConfigError
from chukmath.teach.specs import DEFAULT_CONCURRENCY, EVAL_SPECS

if TYPE_CHECKING:
    from chukmath.eval.teachers import TeacherSpec

HELP = """Ask a model every problem of a test split (or any problems file), verify every answer with chukmath's
verifier and report accuracy (pass@1), pass@k and maj@k (with --samples > 1), format rate and mean reasoning
length, overall and by family and difficulty.

Answers go to a journal in --out (responses.jsonl), so rerunning the same command asks nothing already
answered. Writes OUT/eval.json, OUT/report.md and OUT/samples.jsonl. The prompt defaults to what a model trained
on the recipe's build saw (--prompt train: the train.jsonl user turn); --prompt plain asks the question alone
(base models), --prompt recipe the recipe's teacher template, or name any template.

Teachers: builtin (the exact reference: scores 100%), openai (any OpenAI-compatible URL: vLLM, llama.cpp, a
hosted API) and transformers (a local model in this process, batched; a GPU when there is one).

Exit code: 0 done, 1 some requests failed (rerun to retry them), 2 bad input or options, 130 interrupted.

Examples:

\b
  chukmath eval --recipe datasets/demo.toml --split test --out eval/builtin
  chukmath eval --recipe r.toml --split test --teacher openai \\
      --base-url http://127.0.0.1:8000/v1 --model my-sft --out eval/sft
  chukmath eval --problems mine.jsonl --teacher transformers --model runs/sft \\
      --samples 8 --temperature 0.6 --out eval/sft-k8
  chukmath eval compare eval/base eval/sft
"""

COMPARE_HELP = """Compare two eval results (eval.json files or --out folders) side by side: each metric for A and B
and the change B - A, overall and per family and difficulty.

Example:

\b
  chukmath eval compare eval/base eval/sft --json
"""


def eval_options() -> TeacherOptions:
    """The teacher options of ``eval``: the providers that evaluate, from their specs (eval reports no cost)."""
    return TeacherOptions(
        specs=EVAL_SPECS, kind_default="builtin", skip=frozenset({"price_in", "price_out"}),
        notes={
            "temperature": "0 (greedy) with 1 sample, 0.6 with more", "top_p": "the endpoint's own; transformers: 1.0",
            "max_tokens": f"{EVAL_SPECS['openai'].model_fields['max_tokens'].default} for every teacher",
            "seed": "the endpoint's own; transformers: 0",
            "concurrency": f"{DEFAULT_CONCURRENCY}; transformers: 2 x --batch-size",
        },
    )  # fmt: skip


def eval_command(
    ctx: typer.Context,
    *,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for the journal, eval.json, report.md.")
    ] = None,
    recipe: Annotated[Path | None, typer.Option("--recipe", "-r", help="Build recipe whose problems to ask.")] = None,
    split: Annotated[
        str, typer.Option("--split", help="test (the recipe's [split] held-out part), train or all.")
    ] = "test",
    count: Annotated[
        int | None, typer.Option("--count", "-n", min=1, help="Recipe problems (default: its count).")
    ] = None,
    problems: Annotated[
        Path | None, typer.Option("--problems", help="A problems JSONL instead (question and answer per line).")
    ] = None,
    decontaminate: Annotated[
        list[Path] | None,
        typer.Option("--decontaminate", help="Benchmark files the build was run with, so the split matches; repeat."),
    ] = None,
    prompt: Annotated[
        str | None, typer.Option("--prompt", help="train, recipe, plain or a template name (default: train with a "
                                 "recipe, plain with a problems file).")
    ] = None,
    templates_dirs: Annotated[
        list[Path] | None, typer.Option("--templates", help="Your template folder (repeatable).")
    ] = None,
    system: Annotated[str | None, typer.Option("--system", help="Replace (or add) the system turn.")] = None,
    teacher: TeacherChoice,  # --teacher and its settings, made from the specs (eval_options)
    ks: Annotated[
        list[int] | None, typer.Option("--k", help="Also report pass@k/maj@k at this k (repeatable).")
    ] = None,
    policy: Annotated[
        str, typer.Option("--policy", help="Verifier policy behind the verified rate (e.g. all, all,-language).")
    ] = "all",
    language: Annotated[str, typer.Option("--language", help="Language the reasoning should be in.")] = "en",
    allow_model_change: Annotated[
        bool, typer.Option("--allow-model-change", help="Resume a journal that holds another model's answers.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no report on the terminal.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print eval.json on stdout.")] = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from chukmath.eval import EvalOptions, file_problems, make_prompt, recipe_split_problems, run_eval

    if (recipe is None) == (problems is None):
        raise ConfigError("give one of --recipe FILE (with --split) or --problems FILE; see chukmath eval --help")
    if out is None:
        raise ConfigError("--out DIR is needed: it holds the journal (a rerun resumes from it) and eval.json")
    chosen_kind = teacher.kind or "builtin"
    teacher.spec(EVAL_SPECS)  # every setting given is one of this kind's, in its bounds (named by its flag)
    if chosen_kind != "builtin" and not teacher.given.get("model"):
        raise ConfigError(f"--teacher {chosen_kind} needs --model (an endpoint's model name, or a local model folder)")
    loaded = None
    if recipe is not None:
        from chukmath.build import load_recipe

        loaded = load_recipe(recipe)
        chosen = recipe_split_problems(loaded, split, count=count, decontaminate=list(decontaminate or []))  # type: ignore[arg-type]
    else:
        assert problems is not None
        chosen = file_problems(problems)
    asked = make_prompt(prompt, recipe=loaded, recipe_dir=recipe.parent if recipe else None,
                        templates_dirs=list(templates_dirs or []), system=system)  # fmt: skip
    spec = _eval_spec(teacher, chosen_kind)
    samples = teacher.given.get("samples", 1)
    concurrency = teacher.given.get("concurrency")
    options = EvalOptions(
        samples=samples, ks=list(ks or []),
        # transformers: one batch generating while the next one gathers
        concurrency=concurrency or (2 * spec.batch_size if chosen_kind == "transformers" else DEFAULT_CONCURRENCY),
        policy=policy, language=language, progress=not quiet and not json_out,
        allow_model_change=allow_model_change, sampling=spec.sampling(samples),
    )  # fmt: skip
    options.validate()
    console = Console(stderr=True)
    if not quiet and not json_out:
        console.print(f"asking {len(chosen.problems)} problems x {samples} ({chosen.source}); prompt: "
                      f"{asked.name} — {asked.description}", markup=False, highlight=False)  # fmt: skip
    try:
        result = run_eval(chosen, asked, spec.build(chosen.problems, samples), out, options, console=console)
    except KeyboardInterrupt:
        console.print(f"interrupted: the answers received are in {out}; rerun the same command to resume")
        raise typer.Exit(130) from None
    if json_out:
        sys.stdout.write(orjson.dumps(result.data, option=orjson.OPT_INDENT_2).decode() + "\n")
    elif not quiet:
        from chukmath.eval import markdown_report

        typer.echo(markdown_report(result.data))
        typer.echo(f"wrote {Path(out) / 'eval.json'} and {Path(out) / 'report.md'}")
    if result.summary.interrupted:
        raise typer.Exit(130)
    if result.data["run"]["no_response"]:
        raise typer.Exit(1)


def _eval_spec(teacher: TeacherChoice, kind: str) -> TeacherSpec:
    """eval's :class:`TeacherSpec` of the options given: its own fields by name, any other setting of the provider's
    spec passed through."""
    from chukmath.eval.teachers import TeacherSpec

    own = {f.name for f in dataclasses.fields(TeacherSpec)} - {"kind", "settings"}
    given = {k: v for k, v in teacher.given.items() if k not in ("samples", "concurrency")}
    return TeacherSpec(
        kind=kind, **{k: v for k, v in given.items() if k in own},
        settings={k: v for k, v in given.items() if k not in own},
    )  # fmt: skip


def compare_command(
    a: Annotated[Path, typer.Argument(help="Result A (eval.json or its folder), e.g. the base model.")],
    b: Annotated[Path, typer.Argument(help="Result B, e.g. the fine-tuned model.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    from chukmath.eval import compare, compare_text, load_result

    result = compare(load_result(a), load_result(b))
    if json_out:
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        typer.echo(compare_text(result), nl=False)


def register(app: typer.Typer) -> None:
    """Add ``eval`` (and ``eval compare``) to ``app``."""
    group = typer.Typer(
        name="eval", help=HELP, invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None,
    )  # fmt: skip
    group.callback()(eval_options().attach(eval_command))
    group.command("compare", help=COMPARE_HELP)(compare_command)
    app.add_typer(group, name="eval")
