"""``chukmath teach``: answer a requests file with a teacher into a resumable journal."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from chukmath.cli.teacher_options import TeacherChoice, TeacherOptions
from chukmath.errors import ConfigError, InputError
from chukmath.jsonl import read_jsonl
from chukmath.outpath import check_output
from chukmath.records import Problem
from chukmath.teach.base import Teacher
from chukmath.teach.runner import TeachOptions, run_teach
from chukmath.teach.specs import CLI_LABELS, SPECS, BuiltinSpec, resolve_endpoint
from chukmath.teach.summary import load_price_table, pick_prices

HELP = """Answer every request with a teacher; each answer is appended to the journal as it arrives.

Rerunning the same command skips what the journal holds and retries only failures, so a run stopped by
Ctrl-C, kill -9 or a crash resumes with nothing lost or bought twice. A journal holds one model's answers:
resuming it with another --model is refused (--allow-model-change mixes them on purpose). Exit code: 0 all
answered, 1 some failed (rerun to retry them), 2 bad input or options, 130 interrupted.

Examples:

\b
  chukmath teach --requests requests.jsonl --problems problems.jsonl \\
      --out responses.jsonl
  OPENAI_API_KEY=... chukmath teach --requests requests.jsonl \\
      --out responses.jsonl --teacher openai --model gpt-4o-mini \\
      --concurrency 64 --price-in 0.15 --price-out 0.6
  ANTHROPIC_API_KEY=... chukmath teach --requests requests.jsonl \\
      --out responses.jsonl --teacher anthropic --model claude-sonnet-4-5
"""


def _load_problems(path: Path) -> dict[str, Problem]:
    return {
        str(obj.get("id")): Problem.from_dict(obj, where=f"{path}:{n}") for n, obj in read_jsonl(path)
    }


def teach_options() -> TeacherOptions:
    """The teacher options of ``teach``: the providers that answer request by request, from their specs (unset
    sampling settings are left to the endpoint, so none is sent)."""
    offered = {kind: spec for kind, spec in SPECS.items() if spec.mode == "live" or spec is BuiltinSpec}
    notes = {name: "the endpoint's own" for name in _SENT_WHEN_GIVEN}
    notes |= {name: "from --prices, else 0" for name in ("price_in", "price_out")}
    return TeacherOptions(
        specs=offered, kind_default="builtin", kind_help="(the Batch API kinds: chukmath batch)", notes=notes
    )


# The sampling settings `teach` sends only when given (the endpoint's own defaults otherwise).
_SENT_WHEN_GIVEN = ("temperature", "top_p", "max_tokens", "seed")


def register(app: typer.Typer) -> None:
    """Add ``teach`` to ``app``."""
    options = teach_options()

    def teach(
        *,
        requests: Annotated[Path, typer.Option("--requests", help="Requests JSONL (from `chukmath prompts`).")],
        out: Annotated[Path, typer.Option("--out", help="Journal JSONL: answers are appended here; rerun to resume.")],
        problems: Annotated[
            Path | None, typer.Option("--problems", help="Problems JSONL (needed by --teacher builtin).")
        ] = None,
        teacher: TeacherChoice,  # --teacher and its settings, made from the specs (teach_options)
        prices: Annotated[
            Path | None, typer.Option("--prices", help="TOML price table: [model] in = .., out = ..")
        ] = None,
        allow_model_change: Annotated[
            bool,
            typer.Option("--allow-model-change", help="Resume a journal that holds another model's answers."),
        ] = False,
        grace: Annotated[float, typer.Option("--grace", help="Seconds in-flight answers get after Ctrl-C.")] = 10.0,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary table.")] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON on stdout.")] = False,
    ) -> None:
        console = Console(stderr=True)
        if teacher.kind not in options.specs:
            raise ConfigError(f"--teacher {teacher.kind!r}: choose {', '.join(options.specs)} (for the Batch API: "
                              "chukmath batch)")
        check_output(out, special_ok=False)
        for option, given in (("--requests", requests), ("--problems", problems)):
            if given is not None and given.exists() and not given.is_file():
                raise InputError(f"{option} {given}: not a regular file (a folder, device or pipe); give a JSONL file")
        spec = teacher.spec(options.specs)
        chosen: Teacher
        if isinstance(spec, BuiltinSpec):
            if problems is None:
                raise ConfigError("--teacher builtin needs --problems FILE (the problems the requests were made from)")
            if not problems.is_file():
                raise InputError(f"--problems {problems}: no such file")
            chosen = spec.make(problems=_load_problems(problems))
        else:
            # The provider's spec says where the URL and the key come from; of the sampling settings only those
            # given here are sent (unset: the endpoint's own defaults).
            endpoint = resolve_endpoint(spec, spec.base_urls, labels=CLI_LABELS)
            unset = {name: None for name in _SENT_WHEN_GIVEN if name not in teacher.given}
            config = dataclasses.replace(spec.client_config(endpoint), **unset)
            chosen = spec.live_teacher(config)
        table = load_price_table(prices) if prices is not None else None
        given_price = {name: teacher.given.get(name) for name in ("price_in", "price_out")}
        run_options = TeachOptions(
            samples=spec.samples, concurrency=spec.concurrency, grace_s=grace, progress=not quiet,
            allow_model_change=allow_model_change,
            prices=pick_prices(chosen.model, given_price["price_in"], given_price["price_out"], table),
        )  # fmt: skip
        try:
            summary = run_teach(requests, out, chosen, run_options, console=console)
        except KeyboardInterrupt:
            # The second Ctrl-C: requests in flight are abandoned; every line written is whole.
            console.print(f"interrupted: the answers received are in {out}; rerun the same command to resume "
                          "(requests that were in flight will be sent again)")
            raise typer.Exit(130) from None
        if not quiet:
            summary.print(console)
        if json_out:
            sys.stdout.write(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n")
            sys.stdout.flush()
        if summary.interrupted:
            raise typer.Exit(130)
        if summary.failed:
            raise typer.Exit(1)

    app.command("teach", help=HELP)(options.attach(teach))
