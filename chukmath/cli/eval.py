"""``chukmath eval``: measure a model on held-out problems; ``chukmath eval compare A B``: two results side by side."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from chukmath.errors import ConfigError
from chukmath.teach.specs import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_S, EVAL_SPECS

# "builtin, openai or transformers": the teachers eval offers, from their specs.
_TEACHER_KINDS = " or ".join([", ".join(list(EVAL_SPECS)[:-1]), list(EVAL_SPECS)[-1]])

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


def _extra_body(raw: str | None) -> dict[str, object]:
    from chukmath.cli.teach import parse_extra_body

    return parse_extra_body(raw)


def eval_command(
    ctx: typer.Context,
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
    teacher: Annotated[str, typer.Option("--teacher", help=f"{_TEACHER_KINDS}.")] = "builtin",
    model: Annotated[
        str | None, typer.Option("--model", help="Endpoint model name, or a local folder for transformers.")
    ] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible base URL.")] = None,
    api_key_env: Annotated[str, typer.Option("--api-key-env", help="Environment variable with the key.")] = (
        "OPENAI_API_KEY"
    ),
    gguf_file: Annotated[
        str | None, typer.Option("--gguf-file", help="transformers: a GGUF file in --model's folder.")
    ] = None,
    chat_template: Annotated[
        str | None, typer.Option("--chat-template", help="transformers: gemma, chatml, a file or Jinja text, for a "
                                 "tokenizer without one (GGUF).")
    ] = None,
    samples: Annotated[int, typer.Option("--samples", "-k", min=1, help="Samples per problem (pass@k, maj@k).")] = 1,
    ks: Annotated[
        list[int] | None, typer.Option("--k", help="Also report pass@k/maj@k at this k (repeatable).")
    ] = None,
    temperature: Annotated[
        float | None, typer.Option("--temperature", help="Default: 0 (greedy) with 1 sample, 0.6 with more.")
    ] = None,
    top_p: Annotated[float | None, typer.Option("--top-p", help="Nucleus sampling mass.")] = None,
    max_tokens: Annotated[int, typer.Option("--max-tokens", min=1, help="Most new tokens per answer.")] = 4096,
    seed: Annotated[int | None, typer.Option("--seed", help="Sampling seed (sample k is sent seed + k).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="transformers: prompts per batch.")] = 16,
    device: Annotated[str, typer.Option("--device", help="transformers: auto, cuda, cpu, cuda:1 ...")] = "auto",
    dtype: Annotated[str, typer.Option("--dtype", help="transformers: auto, bfloat16, float16, float32.")] = "auto",
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", min=1, help="Requests in flight (default 16; transformers: "
                                 "2 x --batch-size).")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="openai: seconds per request attempt.")
    ] = DEFAULT_TIMEOUT_S,
    max_retries: Annotated[
        int, typer.Option("--max-retries", help="openai: retries per request.")
    ] = DEFAULT_MAX_RETRIES,
    extra_body: Annotated[str | None, typer.Option("--extra-body", help="openai: JSON merged into each body.")] = None,
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
    from chukmath.eval import EvalOptions, TeacherSpec, file_problems, make_prompt, recipe_split_problems, run_eval

    if (recipe is None) == (problems is None):
        raise ConfigError("give one of --recipe FILE (with --split) or --problems FILE; see chukmath eval --help")
    if out is None:
        raise ConfigError("--out DIR is needed: it holds the journal (a rerun resumes from it) and eval.json")
    if teacher != "builtin" and not model:
        raise ConfigError(f"--teacher {teacher} needs --model (an endpoint's model name, or a local model folder)")
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
    spec = TeacherSpec(
        kind=teacher, model=model or "", base_url=base_url, api_key_env=api_key_env, temperature=temperature,
        top_p=top_p, max_tokens=max_tokens, seed=seed, timeout=timeout, max_retries=max_retries,
        extra_body=_extra_body(extra_body), gguf_file=gguf_file, batch_size=batch_size, device=device, dtype=dtype,
        chat_template=chat_template,
    )  # fmt: skip
    options = EvalOptions(
        samples=samples, ks=list(ks or []),
        # transformers: one batch generating while the next one gathers
        concurrency=concurrency or (2 * batch_size if teacher == "transformers" else 16),
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
    group.callback()(eval_command)
    group.command("compare", help=COMPARE_HELP)(compare_command)
    app.add_typer(group, name="eval")
