"""``chukmath teach``: answer a requests file with a teacher into a resumable journal."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console

from chukmath.errors import ConfigError, InputError
from chukmath.jsonl import read_jsonl
from chukmath.outpath import check_output
from chukmath.records import Problem
from chukmath.teach.base import Teacher
from chukmath.teach.retry import RetryPolicy
from chukmath.teach.runner import TeachOptions, run_teach
from chukmath.teach.specs import (
    ANTHROPIC_URL,
    CLI_LABELS,
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_S,
    OPENAI_URL,
    SPECS,
    BatchSpec,
    resolve_endpoint,
)
from chukmath.teach.summary import load_price_table, pick_prices

# The providers that answer request by request (teach/specs.py); the bulk ones go through `chukmath batch`.
_LIVE_KINDS = ", ".join(kind for kind, spec in SPECS.items() if spec.mode != "bulk")
_BASE_URL_HELP = (f"OpenAI-compatible base URL [env OPENAI_BASE_URL, else {OPENAI_URL}; for --teacher anthropic "
                  f"env ANTHROPIC_BASE_URL, else {ANTHROPIC_URL}].")

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



def parse_extra_body(raw: str | None) -> dict[str, object]:
    if not raw:
        return {}
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ConfigError(f"--extra-body: not valid JSON ({exc}); example: --extra-body '{{\"top_k\": 20}}'") from None
    if not isinstance(value, dict):
        raise ConfigError("--extra-body: must be a JSON object, e.g. '{\"reasoning_effort\": \"low\"}'")
    return value


def register(app: typer.Typer) -> None:
    """Add ``teach`` to ``app``."""

    @app.command("teach", help=HELP)
    def teach(
        requests: Annotated[Path, typer.Option("--requests", help="Requests JSONL (from `chukmath prompts`).")],
        out: Annotated[Path, typer.Option("--out", help="Journal JSONL: answers are appended here; rerun to resume.")],
        teacher: Annotated[
            str, typer.Option("--teacher", help=f"{_LIVE_KINDS} (the Batch API kinds: chukmath batch).")
        ] = "builtin",
        problems: Annotated[
            Path | None, typer.Option("--problems", help="Problems JSONL (needed by --teacher builtin).")
        ] = None,
        trace_style: Annotated[
            str, typer.Option("--trace-style", help="--teacher builtin: classic, mix (a solution route per problem) "
                              "or one route by name.")
        ] = "classic",
        base_url: Annotated[list[str] | None, typer.Option("--base-url", help=_BASE_URL_HELP)] = None,
        api_key_env: Annotated[
            str | None,
            typer.Option("--api-key-env", help="Environment variable with the key [default: OPENAI_API_KEY, or "
                         "ANTHROPIC_API_KEY for --teacher anthropic]."),
        ] = None,
        model: Annotated[str | None, typer.Option("--model", help="Model name sent to the endpoint.")] = None,
        temperature: Annotated[float | None, typer.Option("--temperature", help="Sampling temperature.")] = None,
        top_p: Annotated[float | None, typer.Option("--top-p", help="Nucleus sampling mass.")] = None,
        max_tokens: Annotated[int | None, typer.Option("--max-tokens", help="Completion token limit.")] = None,
        seed: Annotated[int | None, typer.Option("--seed", help="Sampling seed; sample k is sent seed + k.")] = None,
        samples: Annotated[
            int, typer.Option("--samples", help="Independent samples per request (rejection sampling).")
        ] = 1,
        extra_body: Annotated[
            str | None, typer.Option("--extra-body", help="JSON object merged into each body.")
        ] = None,
        concurrency: Annotated[
            int, typer.Option("--concurrency", help="Requests in flight at once.")
        ] = DEFAULT_CONCURRENCY,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds per request attempt.")] = DEFAULT_TIMEOUT_S,
        max_retries: Annotated[
            int, typer.Option("--max-retries", help="Retries on 429, 5xx, timeouts, dropped links.")
        ] = DEFAULT_MAX_RETRIES,
        rpm: Annotated[float | None, typer.Option("--rpm", help="At most this many requests a minute.")] = None,
        tpm: Annotated[
            float | None, typer.Option("--tpm", help="At most this many tokens a minute (estimated).")
        ] = None,
        price_in: Annotated[float | None, typer.Option("--price-in", help="USD per million prompt tokens.")] = None,
        price_out: Annotated[
            float | None, typer.Option("--price-out", help="USD per million completion tokens.")
        ] = None,
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
        check_output(out, special_ok=False)
        for option, given in (("--requests", requests), ("--problems", problems)):
            if given is not None and given.exists() and not given.is_file():
                raise InputError(f"{option} {given}: not a regular file (a folder, device or pipe); give a JSONL file")
        chosen: Teacher
        if teacher == "builtin":
            from chukmath.teach.builtin import BuiltinTeacher

            if problems is None:
                raise ConfigError("--teacher builtin needs --problems FILE (the problems the requests were made from)")
            if not problems.is_file():
                raise InputError(f"--problems {problems}: no such file")
            chosen = BuiltinTeacher(_load_problems(problems), trace_style=trace_style)
        elif SPECS.get(teacher, BatchSpec).mode == "live":
            # The provider's spec says where the URL and the key come from; the command sends only the sampling
            # settings given here (unset: the endpoint's own defaults).
            spec = SPECS[teacher].model_construct(**({"api_key_env": api_key_env} if api_key_env is not None else {}))
            endpoint = resolve_endpoint(spec, base_url or [], labels=CLI_LABELS)
            config = dataclasses.replace(
                spec.client_config(endpoint), model=model or "", temperature=temperature, top_p=top_p,
                max_tokens=max_tokens, seed=seed, extra_body=parse_extra_body(extra_body), timeout=timeout,
                retry=RetryPolicy(max_retries=max_retries), rpm=rpm, tpm=tpm,
            )  # fmt: skip
            chosen = spec.live_teacher(config)
        else:
            raise ConfigError(f"--teacher {teacher!r}: choose {_LIVE_KINDS} (for the Batch API: chukmath batch)")
        table = load_price_table(prices) if prices is not None else None
        options = TeachOptions(
            samples=samples, concurrency=concurrency, grace_s=grace, progress=not quiet,
            allow_model_change=allow_model_change,
            prices=pick_prices(chosen.model, price_in, price_out, table),
        )
        try:
            summary = run_teach(requests, out, chosen, options, console=console)
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
