"""``status`` and ``collect``: follow the batches of a journal and ingest their results into it.

Ingestion is idempotent: each shard's ingest is stamped (the ``created`` of its journal lines) in the
run state before its first line is appended, and the shard is marked ingested only after its last one,
so a collect killed half-way resumes without writing any line twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openai

from chukmath.errors import InputError, TeacherError
from chukmath.jsonl import AtomicWriter, read_jsonl
from chukmath.records import Response
from chukmath.teach.batch_client import ClientFactory, api_error, make_client, resolve_base_url
from chukmath.teach.batch_lines import parse_custom_id, result_to_response, shard_keys
from chukmath.teach.batch_state import BatchRunState, Shard, load_state
from chukmath.teach.journal import Journal, read_journal

Key = tuple[str, int]


def stamped_keys(path: Path, stamps: Iterable[float]) -> dict[float, set[Key]]:
    """The keys of the journal lines written by each ingest (identified by its ``created`` stamp)."""
    found: dict[float, set[Key]] = {s: set() for s in stamps}
    if found and path.exists():
        for _number, response in read_journal(path):
            if response.created in found:
                found[response.created].add(response.key)
    return found


# ---------------------------------------------------------------------------------------------- status
@dataclass
class BatchRow:
    index: int
    batch_id: str | None
    status: str
    completed: int
    failed: int
    total: int
    created: int | None
    ingested: bool
    tokens_in: int | None = None
    tokens_out: int | None = None


def _refresh(state: BatchRunState, shard: Shard, client: openai.OpenAI) -> None:
    try:
        batch = client.batches.retrieve(shard.batch_id or "")
    except openai.APIError as exc:
        raise api_error(f"reading batch {shard.batch_id} (shard {shard.index}) from {state.base_url}", exc) from None
    shard.remote_status = batch.status
    shard.remote_created_at = batch.created_at
    counts = batch.request_counts
    shard.request_counts = (
        {"total": counts.total, "completed": counts.completed, "failed": counts.failed} if counts else {}
    )
    usage = getattr(batch, "usage", None)
    if usage is not None:
        shard.usage = {"input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
                       "total_tokens": usage.total_tokens}
    shard.output_file_id = batch.output_file_id
    shard.error_file_id = batch.error_file_id
    if batch.errors and batch.errors.data:
        shard.remote_errors = [
            f"line {e.line}: {e.code}: {e.message}" if e.line else f"{e.code}: {e.message}"
            for e in batch.errors.data[:20]
        ]


def batch_status(journal: Path, *, refresh: bool = True, client_factory: ClientFactory = make_client) -> list[BatchRow]:
    """One row per shard; with ``refresh`` the open batches are first re-read from the server."""
    state = load_state(journal)
    if not state.shards:
        raise InputError(f"{state.path}: no batches were submitted for journal {journal}")
    if state.provider == "anthropic":
        from chukmath.teach.anthropic_batch import anthropic_status

        return anthropic_status(state, refresh=refresh)
    live = [s for s in state.shards if s.open and s.batch_id and not s.terminal]
    if refresh and live:
        client = client_factory(resolve_base_url(state.base_url), state.api_key_env)
        for shard in live:
            _refresh(state, shard, client)
        state.save()
    return [
        BatchRow(
            index=s.index,
            batch_id=s.batch_id,
            status=("ingested:" if s.ingested else "") + (s.remote_status or ("uploaded" if s.file_id else "written")),
            completed=s.request_counts.get("completed", 0),
            failed=s.request_counts.get("failed", 0),
            total=s.request_counts.get("total", 0) or s.lines,
            created=s.remote_created_at,
            ingested=s.ingested,
            tokens_in=s.usage.get("input_tokens"),
            tokens_out=s.usage.get("output_tokens"),
        )
        for s in state.shards
    ]


# --------------------------------------------------------------------------------------------- collect
@dataclass
class CollectReport:
    """What one ``collect`` did; ``waiting`` lists batch ids that are not finished yet."""

    ingested: list[str] = field(default_factory=list)
    appended_ok: int = 0
    appended_errors: int = 0
    truncated: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    skipped_answered: int = 0
    skipped_duplicate: int = 0
    unknown_ids: int = 0
    unanswered: int = 0
    not_ok_batches: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


def ingest_result(
    key: tuple[str, int] | None,
    make_response: Callable[[tuple[str, int]], Response],
    *,
    keys: set[tuple[str, int]],
    got: set[tuple[str, int]],
    journal: Journal,
    stamped: set[tuple[str, int]],
    report: CollectReport,
    counts: dict[str, int],
) -> Response | None:
    """Journal one batch result of a shard once (whichever provider made it); the response appended, if any.

    A key not in the shard is counted unknown; one already answered or already stamped in this run is skipped.
    """
    if key is None or key not in keys:
        report.unknown_ids += 1
        return None
    got.add(key)
    if journal.is_done(*key):
        report.skipped_answered += 1
        counts["skipped"] += 1
        return None
    if key in stamped:
        report.skipped_duplicate += 1
        return None
    response = make_response(key)
    stamped.add(key)
    journal.append(response)
    if response.ok:
        journal.mark(*key)
        report.appended_ok += 1
        counts["ok"] += 1
        report.truncated += response.finish_reason == "length"
        if response.usage:
            report.prompt_tokens += response.usage.get("prompt_tokens", 0)
            report.completion_tokens += response.usage.get("completion_tokens", 0)
    else:
        report.appended_errors += 1
        counts["errors"] += 1
    return response


def _download(client: openai.OpenAI, file_id: str, dest: Path) -> None:
    # Streamed to disk: output files can be gigabytes.
    try:
        with client.files.with_streaming_response.content(file_id) as response, AtomicWriter(dest) as fh:
            for chunk in response.iter_bytes(1024 * 1024):
                fh.write(chunk)
    except openai.APIError as exc:
        raise api_error(f"downloading file {file_id}", exc) from None


def _ingest(
    state: BatchRunState,
    shard: Shard,
    client: openai.OpenAI,
    journal: Journal,
    stamped: set[Key],
    report: CollectReport,
) -> None:
    """Append the shard's results to the journal, then mark it ingested."""
    assert shard.ingest_created is not None
    keys = set(shard_keys(Path(shard.input_path)))
    got: set[Key] = set()
    counts = {"ok": 0, "errors": 0, "skipped": 0}
    for kind, file_id in (("output", shard.output_file_id), ("errors", shard.error_file_id)):
        if not file_id:
            continue
        local = state.shard_dir / f"{kind}-{shard.index:05d}.jsonl"
        _download(client, file_id, local)
        for _number, line in read_jsonl(local):
            ingest_result(
                parse_custom_id(line.get("custom_id")),
                lambda key, line=line: result_to_response(line, key, shard.model, shard.ingest_created),
                keys=keys, got=got, journal=journal, stamped=stamped, report=report, counts=counts,
            )  # fmt: skip
    report.unanswered += len(keys - got)
    counts["unanswered"] = len(keys - got)
    shard.ingest_counts = counts
    shard.ingested = True
    state.save()
    report.ingested.append(shard.batch_id or "")
    if shard.remote_status != "completed":
        errors = "; ".join(shard.remote_errors[:3])
        report.not_ok_batches.append(
            f"{shard.batch_id} (shard {shard.index}): {shard.remote_status}"
            f", {counts['unanswered']} unanswered" + (f" ({errors})" if errors else "")
        )


def collect_batches(
    journal: Path,
    *,
    wait: bool = False,
    poll_interval: float = 30.0,
    timeout: float | None = None,
    client_factory: ClientFactory = make_client,
    on_poll: Callable[[list[Shard]], None] | None = None,
) -> CollectReport:
    """Ingest every finished, not yet ingested batch of ``journal``; with ``wait`` poll until none is open."""
    state = load_state(journal)
    if not state.shards:
        raise InputError(f"{state.path}: no batches were submitted for journal {journal}")
    if state.provider == "anthropic":
        from chukmath.teach.anthropic_batch import collect_anthropic

        return collect_anthropic(state, journal, wait=wait, poll_interval=poll_interval, timeout=timeout,
                                 on_poll=on_poll)
    unsent = [s.index for s in state.shards if s.open and s.batch_id is None]
    if unsent:
        raise TeacherError(f"shards {unsent} of {state.path} were never sent; re-run `chukmath batch submit` first")
    client = client_factory(resolve_base_url(state.base_url), state.api_key_env)
    report = CollectReport()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        open_shards = [s for s in state.shards if s.open]
        for shard in open_shards:
            if not shard.terminal:
                _refresh(state, shard, client)
        state.save()
        done = [s for s in open_shards if s.terminal]
        if done:
            # Opened only to ingest, so a long --wait does not keep other runs off the journal.
            with Journal(journal) as appender:
                # A stamp already set means an earlier collect died mid-ingest: find the lines it wrote.
                resumed = stamped_keys(journal, [s.ingest_created for s in done if s.ingest_created is not None])
                for shard in done:
                    if shard.ingest_created is None:
                        # Recorded before any line is appended, so a re-run recognises this ingest's lines.
                        shard.ingest_created = time.time()
                        state.save()
                    _ingest(state, shard, client, appender, resumed.get(shard.ingest_created, set()), report)
        waiting = [s for s in state.shards if s.open]
        report.waiting = [s.batch_id or "" for s in waiting]
        if on_poll is not None:
            on_poll(waiting)
        if not wait or not waiting:
            return report
        if deadline is not None and time.monotonic() > deadline:
            return report
        time.sleep(poll_interval)
