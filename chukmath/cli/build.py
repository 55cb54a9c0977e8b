"""``chukmath build`` (recipe to dataset, resumable) and ``chukmath stats`` (the tables of a run's stats.json)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from chukmath.cli.sizing import ESTIMATE_ABOVE, check_room, estimate_build, parse_count
from chukmath.cli.teacher_options import TeacherChoice, TeacherOptions
from chukmath.errors import InputError
from chukmath.outpath import check_output
from chukmath.teach.specs import SPECS

BUILD_HELP = """Make a verified reasoning dataset from one recipe file, end to end.

Generates the problems, renders the prompts, asks the teacher, verifies every answer and writes train.jsonl,
rejects.jsonl, stats.json, manifest.json and a README.md dataset card into OUT. Running the same command again
resumes: nothing already answered is asked again and the files come out as from an unbroken run. A larger --count
extends the run in OUT and a smaller one cuts it to the first N problems (the teacher's samples likewise); answers
already bought are always reused,
also when the recipe's [verify] or [output] tables change (the journal is judged again). OUT holding a different
run (another mix, seed, template, teacher or model) is refused (use --force to replace it). Options given here
override the recipe. Exit code 1 means
some answers failed after their retries (they are in the journal as errors): run the same command again to retry.

Examples:

\b
  chukmath build --recipe datasets/demo.toml --out datasets/demo
  chukmath build --recipe datasets/deepseek.toml --out runs/r1 --dry-run    # check first: no key, nothing sent
  DEEPSEEK_API_KEY=... chukmath build --recipe datasets/deepseek.toml --out runs/r1
  chukmath build --recipe datasets/demo.toml --out datasets/demo --count 10000    # extend the run
  chukmath build --recipe datasets/demo.toml --out datasets/demo --engine ray --address auto    # on a Ray cluster
"""

STATS_HELP = """Print the tables of a run's stats.json: by family, difficulty, verdict and reason; tokens and cost.

Example: chukmath stats datasets/demo
"""


def build_options() -> TeacherOptions:
    """The teacher options of ``build``: every provider's settings, each overriding the recipe's ``[teacher]``."""
    return TeacherOptions(
        specs=SPECS, kind_help="(overrides [teacher] kind)", defaults="(overrides [teacher] {name})",
        # --seed is the generation seed.
        names={"seed": "--teacher-seed"},
    )  # fmt: skip


def build_command(
    *,
    recipe: Annotated[Path, typer.Option("--recipe", "-r", help="Build recipe (TOML), e.g. datasets/demo.toml.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory to create or resume.")],
    count: Annotated[
        int | None,
        typer.Option(
            "--count", "-n", parser=parse_count,
            help="Number of problems: 3000, 10_000_000 or 1e7 (overrides the recipe; raising it extends a run in OUT). "
            f"Above {ESTIMATE_ABOVE:,} samples the size and time are estimated first, and a run the disk cannot hold "
            "is refused.",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Generation seed (overrides the recipe).")] = None,
    teacher: TeacherChoice,  # --teacher and its settings, made from the specs (build_options)
    judge_model: Annotated[
        str | None,
        typer.Option("--judge-model", help="Judge model that decides answers the rules cannot read (sets [judge] "
                     "model; needs a [judge] base_url or --judge-base-url)."),
    ] = None,
    judge_base_url: Annotated[
        str | None, typer.Option("--judge-base-url", help="OpenAI-compatible base URL of the judge (sets [judge]).")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Start over in --out instead of refusing a different run: chukmath's files there are removed, "
            "the journal too (answers in it are asked again).",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars and no summary text.")] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print a machine-readable summary (JSON) on stdout.")
    ] = False,
    decontaminate: Annotated[
        list[Path] | None,
        typer.Option(
            "--decontaminate",
            help="Benchmark file (JSONL or Parquet with a question column) to keep out of the data: a problem that "
            "shares a --ngram word window with any of its questions is not asked and has no rows. Repeatable.",
        ),
    ] = None,
    decontaminate_col: Annotated[
        list[str] | None,
        typer.Option("--decontaminate-col", help="Question column of the benchmark files (default: question, problem)"),
    ] = None,
    ngram: Annotated[
        int, typer.Option("--ngram", min=1, help="Words in the shared window that counts as contamination.")
    ] = 8,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            help="Build only shard I of N (I from 0): the block of problems count*I//N .. count*(I+1)//N-1, in its own "
            "--out; `chukmath merge` joins all N into the files an unsharded build writes. E.g. --shard 0/8.",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine", metavar="local|ray",
            help="Where the answers are made: local (this process) or ray (a Ray cluster, with Ray Data: pip install "
            "'chukmath[ray]'); the files are the same, and a failed Ray job resumes like a local build.",
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option("--address", help="With --engine ray: the cluster, auto or HOST:6379 of its head node (default: "
                     "RAY_ADDRESS, else a new cluster on this machine). Run the build on a node of the cluster."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source", metavar="PATH|NAME",
            help="Your own problems instead of the recipe's [[mix]]: a JSONL or Parquet file, a datasets folder "
            "(save_to_disk or data files) or a Hub dataset name (sets [source] path; every row unless --count).",
        ),
    ] = None,
    question_col: Annotated[str | None, typer.Option("--question-col", help="Question column ([source]).")] = None,
    answer_col: Annotated[str | None, typer.Option("--answer-col", help="Answer column ([source]).")] = None,
    id_col: Annotated[
        str | None, typer.Option("--id-col", help="Problem id column ([source]; default: a hash of the content).")
    ] = None,
    answer_format: Annotated[
        str | None,
        typer.Option("--answer-format", help="auto, gsm8k (#### 72), boxed (\\boxed{...}) or plain ([source])."),
    ] = None,
    source_split: Annotated[
        str | None, typer.Option("--source-split", help="Split of a datasets source, e.g. train ([source] split).")
    ] = None,
    family_name: Annotated[
        str | None, typer.Option("--family-name", help="generator of the source's problems (default custom).")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Check the recipe, templates, teacher settings and OUT, show the plan and the first prompt (with "
            "--shard, that shard's); send and write nothing (the key need not be set).",
        ),
    ] = False,
) -> None:
    from chukmath.build import BuildOptions, build_dataset, load_recipe
    from chukmath.build.recipe import OPERATIONAL_TEACHER_KEYS
    from chukmath.build.shard import Shard

    if count is not None and count < 1:
        raise typer.BadParameter(f"{count} is not a count of problems (at least 1)", param_hint="'--count'")
    if engine not in ("local", "ray"):
        raise typer.BadParameter(f"{engine!r} is not an engine (local or ray)", param_hint="'--engine'")
    if address is not None and engine != "ray":
        raise typer.BadParameter("a Ray cluster address needs --engine ray", param_hint="'--address'")
    check_output(out, folder=True)
    source_flags = {"path": source, "question_col": question_col, "answer_col": answer_col, "id_col": id_col,
                    "answer_format": answer_format, "split": source_split, "family_name": family_name}
    loaded = load_recipe(recipe).with_overrides(
        count=count, seed=seed, teacher=teacher.kind, teacher_settings=teacher.given,
        judge_model=judge_model, judge_base_url=judge_base_url,
        source={k: v for k, v in source_flags.items() if v is not None} or None,
    )
    if loaded.problem_source is not None:  # the count (and the size estimate) of a [source] are its rows
        from chukmath.build import stages

        loaded = stages.fit_source(loaded, stages.load_mix(loaded, str(recipe)))
    t = loaded.teacher
    check_room(estimate_build(loaded.count, t.samples, t.kind, t.max_tokens, t.concurrency), out)
    if dry_run:
        from chukmath.build.plan import plan_build

        plan = plan_build(loaded, out, force=force, decontaminate=[str(p) for p in decontaminate or []],
                          decontaminate_cols=list(decontaminate_col or []), ngram=ngram,
                          shard=Shard.parse(shard) if shard is not None else None)
        if json_out:
            sys.stdout.write(orjson.dumps(plan.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
        elif not quiet:
            from chukmath.build.report import print_plan

            print_plan(plan)
        return
    # The card's reproduce line: built from the options (not sys.argv), so it names only what decides the data.
    given = {"--count": count, "--seed": seed, "--judge-model": judge_model, "--source": source,
             "--question-col": question_col, "--answer-col": answer_col, "--id-col": id_col,
             "--answer-format": answer_format, "--source-split": source_split, "--family-name": family_name}
    benchmarks = [str(p) for p in decontaminate or []]
    command = " ".join(
        ["chukmath", "build", "--recipe", shlex.quote(str(recipe)), "--out", shlex.quote(str(out))]
        # Teacher settings that set only the pace or the price report are left out.
        + [shlex.quote(word) for word in teacher.argv(leave_out=OPERATIONAL_TEACHER_KEYS - {"base_url", "api_key_env"})]
        + [f"{flag} {shlex.quote(str(v))}" for flag, value in given.items() if value is not None
           for v in (value if isinstance(value, list) else [value])]
        + [f"--decontaminate {shlex.quote(b)}" for b in benchmarks]
        + [f"--decontaminate-col {shlex.quote(c)}" for c in decontaminate_col or []]
        + ([f"--ngram {ngram}"] if benchmarks and ngram != 8 else [])
    )
    options = BuildOptions(
        force=force,
        quiet=quiet or json_out,
        command=command,
        recipe_source=str(recipe),
        decontaminate=benchmarks,
        decontaminate_cols=list(decontaminate_col or []),
        ngram=ngram,
        shard=Shard.parse(shard) if shard is not None else None,
        engine=engine,
        address=address,
    )
    summary = build_dataset(loaded, out, options)
    if json_out:
        sys.stdout.write(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
    elif not quiet:
        from chukmath.build.report import print_summary

        print_summary(summary)
    if not summary.complete:
        typer.echo(
            f"warning: {summary.failed} answer(s) failed (see {summary.files['journal']}); "
            "run the same command again to retry them",
            err=True,
        )
        raise typer.Exit(1)


def stats_command(
    run_dir: Annotated[Path, typer.Argument(help="A run directory made by chukmath build (or a stats.json file).")],
) -> None:
    from chukmath.build.report import print_stats

    path = run_dir / "stats.json" if run_dir.is_dir() else run_dir
    try:
        stats = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; is {run_dir} a finished chukmath build directory?") from None
    except orjson.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(stats, dict):
        raise InputError(f"{path}: expected a JSON object")
    print_stats(stats, str(path))


def register(app: typer.Typer) -> None:
    """Add ``build`` and ``stats`` to ``app``."""
    app.command("build", help=BUILD_HELP)(build_options().attach(build_command))
    app.command("stats", help=STATS_HELP)(stats_command)
