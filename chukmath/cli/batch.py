"""``chukmath batch submit|status|collect``: the OpenAI Batch API teacher (half price, up to 24 h)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chukmath.cli.teacher_options import TeacherChoice, TeacherOptions
from chukmath.errors import ConfigError

# The modules that talk to the API import the openai SDK (~0.4 s); they are imported inside the commands so
# that every other `chukmath` command starts fast.
from chukmath.teach.batch_lines import MAX_BYTES_PER_FILE, MAX_REQUESTS_PER_FILE, Sampling
from chukmath.teach.batch_state import Shard
from chukmath.teach.specs import CLI_LABELS, AnthropicBatchSpec, BaseTeacherSpec, BatchSpec, Endpoint, resolve_endpoint

if TYPE_CHECKING:
    from chukmath.teach.batch_collect import BatchRow
    from chukmath.teach.batch_submit import SubmitReport

batch_app = typer.Typer(
    name="batch",
    help=(
        "Send requests through the OpenAI Batch API (or any base URL with files and batches endpoints) "
        "and collect the answers into the same journal as `chukmath teach`.\n\n"
        "Example:\n\n"
        "  chukmath batch submit --requests requests.jsonl --journal responses.jsonl --model gpt-4o-mini\n\n"
        "  chukmath batch status --journal responses.jsonl\n\n"
        "  chukmath batch collect --journal responses.jsonl --wait"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

Journal = Annotated[
    Path,
    typer.Option(
        "--out", "--journal", help="The response journal (as `chukmath teach --out`); batch state is kept beside it."
    ),
]


@dataclass(frozen=True)
class _Submission:
    """One ``batch submit``: what to send, where, and how to split it (the provider's spec and its endpoint)."""

    requests: Path
    journal: Path
    spec: BaseTeacherSpec
    endpoint: Endpoint
    sent: dict[str, Any]  # the sampling settings sent with every line: those given (None: the server's own)
    max_requests: int
    max_bytes: int
    allow_model_change: bool


def submit(
    requests: Annotated[Path, typer.Option("--requests", help="Requests JSONL (from `chukmath prompts`).")],
    journal: Journal,
    teacher: TeacherChoice,  # --teacher and its settings, made from the bulk providers' specs (submit_options)
    max_requests_per_file: Annotated[
        int, typer.Option("--max-requests-per-file", min=1, help="Split input files at this many lines.")
    ] = MAX_REQUESTS_PER_FILE,
    max_bytes_per_file: Annotated[
        int, typer.Option("--max-bytes-per-file", min=1, help="Split input files before this many bytes.")
    ] = MAX_BYTES_PER_FILE,
    allow_model_change: Annotated[
        bool, typer.Option("--allow-model-change", help="Submit to a journal that holds another model's answers.")
    ] = False,
) -> None:
    """Queue what the journal does not hold yet: write, split, upload and create batches.

    Safe to re-run: unsent shards are sent, nothing is uploaded or submitted twice, and answered or
    pending requests are skipped.

    Example: chukmath batch submit --requests requests.jsonl --journal responses.jsonl --model gpt-4o-mini
    """
    spec = teacher.spec({kind: spec for kind, (spec, _) in BULK.items()})
    if not spec.model:
        raise ConfigError("--model is required: the model name sent in every request body")
    # The provider's spec says where the URL and the key come from (the same resolver as teach and build).
    endpoint = resolve_endpoint(spec, labels=CLI_LABELS)
    sent = {name: getattr(spec, name) if name in teacher.given else None for name in SENT_WHEN_GIVEN}
    _, send = BULK[teacher.kind or ""]
    _say_submitted(send(_Submission(requests, journal, spec, endpoint, sent, max_requests_per_file,
                                    max_bytes_per_file, allow_model_change)))  # fmt: skip


def _submit_openai(job: _Submission) -> SubmitReport:
    """``batch submit --teacher openai``: JSONL files uploaded to a files endpoint, one batch per file."""
    from chukmath.teach.batch_submit import submit_batches

    sampling = Sampling(model=job.spec.model, **job.sent, extra_body=dict(job.spec.extra_body))
    return submit_batches(
        job.requests, job.journal, sampling, samples=job.spec.samples, base_url=job.endpoint.url,
        api_key_env=job.endpoint.key_env, max_requests_per_file=job.max_requests,
        max_bytes_per_file=job.max_bytes, allow_model_change=job.allow_model_change,
    )  # fmt: skip


def _submit_anthropic(job: _Submission) -> SubmitReport:
    """``batch submit --teacher anthropic``: the same options, sent as Message Batches."""
    from chukmath.teach.anthropic_batch import (
        MAX_BYTES_PER_BATCH,
        MAX_REQUESTS_PER_BATCH,
        submit_anthropic_batches,
    )
    from chukmath.teach.anthropic_teacher import AnthropicConfig

    config = AnthropicConfig(base_url=job.endpoint.url, model=job.spec.model, api_key=job.endpoint.key, **job.sent,
                             extra_body=dict(job.spec.extra_body), api_key_env=job.endpoint.key_env)  # fmt: skip
    return submit_anthropic_batches(
        job.requests, job.journal, config, samples=job.spec.samples,
        max_requests_per_batch=min(job.max_requests, MAX_REQUESTS_PER_BATCH),
        max_bytes_per_batch=min(job.max_bytes, MAX_BYTES_PER_BATCH), allow_model_change=job.allow_model_change,
    )  # fmt: skip


# The providers `batch submit --teacher` offers: its word for each, the provider's spec (its settings are the
# command's options) and what sends the batches.
BULK: dict[str, tuple[type[BaseTeacherSpec], Callable[[_Submission], SubmitReport]]] = {
    "openai": (BatchSpec, _submit_openai),
    "anthropic": (AnthropicBatchSpec, _submit_anthropic),
}
# The sampling settings sent only when given (the server's own defaults otherwise), as `chukmath teach` does.
SENT_WHEN_GIVEN = ("temperature", "top_p", "max_tokens", "seed")


def submit_options() -> TeacherOptions:
    """The teacher options of ``batch submit``: the bulk providers' settings that a submission uses, from their
    specs (polling, prices, timeouts and concurrency belong to ``collect`` or to ``build``)."""
    return TeacherOptions(
        specs={kind: spec for kind, (spec, _) in BULK.items()}, kind_default="openai",
        kind_help="(openai: files + batches endpoints; anthropic: Message Batches)",
        skip=frozenset({"concurrency", "timeout", "max_retries", "price_in", "price_out", "poll_interval"}),
        notes=dict.fromkeys(SENT_WHEN_GIVEN, "the server's own"),
    )  # fmt: skip


batch_app.command("submit")(submit_options().attach(submit))


def _say_submitted(report: SubmitReport) -> None:
    typer.echo(
        f"requests: {report.requests}; answers already in journal: {report.already_answered}; "
        f"pending in batches: {report.already_pending}; queued now: {report.queued}"
    )
    typer.echo(
        f"new shards: {len(report.new_shards)}; uploaded files: {len(report.uploaded)}; "
        f"batches created: {len(report.created)}"
        + (f"; recovered: {', '.join(report.recovered)}" if report.recovered else "")
    )
    for batch_id in report.created:
        typer.echo(f"  batch {batch_id}")


def _time(stamp: int | None) -> str:
    if not stamp:
        return "-"
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _table(rows: list[BatchRow]) -> list[str]:
    header = ("shard", "batch", "status", "completed", "failed", "total", "tokens in", "tokens out", "created")
    cells = [header] + [
        (str(r.index), r.batch_id or "-", r.status, str(r.completed), str(r.failed), str(r.total),
         _count(r.tokens_in), _count(r.tokens_out), _time(r.created))
        for r in rows
    ]
    # Token totals count only the batches that reported usage; "-" if none did.
    known_in = [r.tokens_in for r in rows if r.tokens_in is not None]
    known_out = [r.tokens_out for r in rows if r.tokens_out is not None]
    cells.append(
        (
            "all",
            "",
            "",
            str(sum(r.completed for r in rows)),
            str(sum(r.failed for r in rows)),
            str(sum(r.total for r in rows)),
            str(sum(known_in)) if known_in else "-",
            str(sum(known_out)) if known_out else "-",
            "",
        )
    )
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in cells]


@batch_app.command("status")
def status(
    journal: Journal,
    offline: Annotated[
        bool, typer.Option("--offline", help="Show the recorded state without asking the server.")
    ] = False,
) -> None:
    """Show each batch: id, status, completed/failed/total requests, tokens in/out (the batch's usage as the
    server reports it), creation time, and totals.

    Example: chukmath batch status --journal responses.jsonl
    """
    from chukmath.teach.batch_collect import batch_status

    for line in _table(batch_status(journal, refresh=not offline)):
        typer.echo(line)


@batch_app.command("collect")
def collect(
    journal: Journal,
    wait: Annotated[
        bool, typer.Option("--wait", help="Keep polling until every batch is finished and ingested.")
    ] = False,
    poll_interval: Annotated[
        float, typer.Option("--poll-interval", min=0.0, help="Seconds between polls with --wait.")
    ] = 30.0,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Give up waiting after this many seconds.")] = None,
) -> None:
    """Download finished batches' output and error files into the journal (never twice).

    Failed lines are journaled as errors and expired/failed/cancelled batches are reported; re-run
    `chukmath batch submit` to retry what is still unanswered. Exit code: 0 nothing failed, 1 some
    requests failed or went unanswered (re-submit to retry them), 2 bad input or options.

    Example: chukmath batch collect --journal responses.jsonl --wait --poll-interval 60
    """

    def progress(waiting: list[Shard]) -> None:
        if wait and waiting:
            done = sum(s.request_counts.get("completed", 0) for s in waiting)
            total = sum(s.request_counts.get("total", 0) or s.lines for s in waiting)
            typer.echo(f"waiting for {len(waiting)} batch(es): {done}/{total} requests done", err=True)

    from chukmath.teach.batch_collect import collect_batches

    report = collect_batches(journal, wait=wait, poll_interval=poll_interval, timeout=timeout, on_poll=progress)
    typer.echo(
        f"ingested batches: {len(report.ingested)}; answers: {report.appended_ok} "
        f"(truncated: {report.truncated}); errors: {report.appended_errors}; "
        f"tokens: {report.prompt_tokens} prompt + {report.completion_tokens} completion"
    )
    if report.skipped_answered or report.skipped_duplicate or report.unknown_ids:
        typer.echo(
            f"skipped: {report.skipped_answered} already answered, {report.skipped_duplicate} already ingested, "
            f"{report.unknown_ids} with unknown custom_id"
        )
    for line in report.not_ok_batches:
        typer.echo(f"not completed: {line}")
    if report.unanswered or report.appended_errors:
        typer.echo(
            f"{report.unanswered + report.appended_errors} request(s) unanswered or failed; "
            f"re-run `chukmath batch submit` to retry them"
        )
    if report.waiting:
        typer.echo(f"still running: {len(report.waiting)} batch(es): {', '.join(report.waiting)}")
    if report.unanswered or report.appended_errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``chukmath batch`` to ``app``."""
    app.add_typer(batch_app, name="batch")
