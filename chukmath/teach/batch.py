"""The OpenAI Batch API teacher: ``submit`` shards and sends requests, ``status`` shows progress,
``collect`` downloads results into the same journal the live teacher writes.

Works against any base URL that implements the files and batches endpoints. Every step is recorded in
the run state (see ``batch_state``) before the next one starts, so each command can be re-run after a
crash: nothing is uploaded or submitted twice, nothing already in the journal is asked for again, and
nothing is appended to the journal twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai

from chukmath.errors import ConfigError, InputError, TeacherError
from chukmath.jsonl import AtomicWriter, JsonlAppender, read_jsonl
from chukmath.teach.batch_lines import (
    ENDPOINT,
    MAX_BYTES_PER_FILE,
    MAX_REQUESTS_PER_FILE,
    Sampling,
    ShardWriter,
    WrittenShard,
    parse_custom_id,
    read_requests,
    request_line,
    result_to_response,
    shard_keys,
)
from chukmath.teach.batch_state import BatchRunState, Shard, load_state

Key = tuple[str, int]
ClientFactory = Callable[[str | None, str], openai.OpenAI]
# How far back (seconds) to look on the server for an upload or batch a crashed run may have made.
RECOVERY_WINDOW_S = 900.0


def make_client(base_url: str | None, api_key_env: str) -> openai.OpenAI:
    """An OpenAI client for ``base_url`` with the key read from env ``api_key_env`` (never stored)."""
    key = os.environ.get(api_key_env)
    if not key:
        raise TeacherError(
            f"environment variable {api_key_env} is not set; export your API key in it "
            f"or name another variable with --api-key-env"
        )
    return openai.OpenAI(base_url=base_url, api_key=key, timeout=120.0, max_retries=3)


def _api_error(action: str, exc: Exception) -> TeacherError:
    status = getattr(exc, "status_code", None)
    detail = f"HTTP {status}: " if status else ""
    return TeacherError(f"{action} failed: {detail}{type(exc).__name__}: {str(exc)[:500]}")


def scan_journal(path: Path, stamps: Iterable[float] = ()) -> tuple[set[Key], dict[float, set[Key]]]:
    """Keys with a successful answer in the journal, and the keys written by each ingest ``stamps``."""
    answered: set[Key] = set()
    stamped: dict[float, set[Key]] = {s: set() for s in stamps}
    if not path.exists():
        return answered, stamped
    for number, data in read_jsonl(path, allow_torn_tail=True):
        key_id, sample = data.get("request_id"), data.get("sample")
        if not isinstance(key_id, str) or not isinstance(sample, int):
            raise InputError(f"{path}:{number}: journal line without request_id/sample")
        if data.get("error") is None:
            answered.add((key_id, sample))
        created = data.get("created")
        if created in stamped:
            stamped[created].add((key_id, sample))
    return answered, stamped


# ---------------------------------------------------------------------------------------------- submit
@dataclass
class SubmitReport:
    """What one ``submit`` did (numbers are counts of (request, sample) keys unless named otherwise)."""

    requests: int = 0
    already_answered: int = 0
    already_pending: int = 0
    queued: int = 0
    new_shards: list[int] = field(default_factory=list)
    uploaded: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)


def _find_upload(client: openai.OpenAI, shard: Shard) -> str | None:
    """The id of a file a crashed run uploaded for ``shard``, if the server has it."""
    since = (shard.upload_started or shard.written_at) - RECOVERY_WINDOW_S
    for item in client.files.list(purpose="batch", order="desc"):
        if item.created_at < since:
            break
        if item.filename == shard.upload_name and item.bytes == shard.bytes:
            return item.id
    return None


def _find_batch(client: openai.OpenAI, shard: Shard) -> str | None:
    """The id of a batch a crashed run created for ``shard``, if the server has it."""
    since = (shard.create_started or shard.written_at) - RECOVERY_WINDOW_S
    for batch in client.batches.list(limit=100):
        if batch.created_at < since:
            break
        meta = batch.metadata or {}
        if batch.input_file_id == shard.file_id and meta.get("chukmath_shard") == shard.upload_name:
            return batch.id
    return None


def _send(state: BatchRunState, shard: Shard, client: openai.OpenAI, report: SubmitReport) -> None:
    """Upload the shard and create its batch, recording each outcome before the next step."""
    where = f"shard {shard.index} ({shard.input_path})"
    try:
        if shard.file_id is None and shard.upload_started is not None:
            shard.file_id = _find_upload(client, shard)
            if shard.file_id:
                report.recovered.append(shard.file_id)
                state.save()
        if shard.file_id is None:
            shard.upload_started = time.time()
            state.save()
            with open(shard.input_path, "rb") as fh:
                uploaded = client.files.create(file=(shard.upload_name, fh), purpose="batch")
            shard.file_id = uploaded.id
            state.save()
            report.uploaded.append(uploaded.id)
    except openai.APIError as exc:
        raise _api_error(f"uploading {where} to {state.base_url}", exc) from None
    except OSError as exc:
        raise InputError(f"{shard.input_path}: cannot read batch input ({exc.strerror})") from None
    try:
        if shard.batch_id is None and shard.create_started is not None:
            shard.batch_id = _find_batch(client, shard)
            if shard.batch_id:
                report.recovered.append(shard.batch_id)
                state.save()
        if shard.batch_id is None:
            shard.create_started = time.time()
            state.save()
            # No SDK retries here: a retried create after a lost reply would pay for the batch twice.
            # A lost reply is found again by _find_batch on the next run instead.
            batch = client.with_options(max_retries=0).batches.create(
                input_file_id=shard.file_id,
                endpoint=ENDPOINT,
                completion_window="24h",
                metadata={"chukmath_shard": shard.upload_name},
            )
            shard.batch_id = batch.id
            shard.remote_status = batch.status
            shard.remote_created_at = batch.created_at
            state.save()
            report.created.append(batch.id)
    except openai.APIError as exc:
        raise _api_error(
            f"creating the batch for {where} on {state.base_url} (re-run submit: a batch created before the "
            f"error is found again, not paid twice)",
            exc,
        ) from None


def submit_batches(
    requests_path: Path,
    journal: Path,
    sampling: Sampling,
    *,
    samples: int = 1,
    base_url: str | None = None,
    api_key_env: str = "OPENAI_API_KEY",
    max_requests_per_file: int = MAX_REQUESTS_PER_FILE,
    max_bytes_per_file: int = MAX_BYTES_PER_FILE,
    client_factory: ClientFactory = make_client,
) -> SubmitReport:
    """Queue every (request, sample) not answered in ``journal`` and not pending in a batch; send the shards.

    Shards left unsent by an earlier run are sent first. Returns what was done.
    """
    if samples < 1:
        raise ConfigError(f"--samples must be at least 1 (got {samples})")
    state = load_state(journal)
    pending = [s for s in state.shards if s.open]
    if state.base_url is not None and state.base_url != base_url and pending:
        raise ConfigError(
            f"{state.path}: batches of this journal are pending on {state.base_url}; collect them before "
            f"submitting to {base_url}"
        )
    state.base_url, state.api_key_env = base_url, api_key_env
    client = client_factory(base_url, api_key_env)
    report = SubmitReport()
    for shard in pending:
        if shard.batch_id is None:
            _send(state, shard, client, report)

    answered, _ = scan_journal(journal)
    in_flight: set[Key] = set()
    for shard in pending:
        in_flight.update(shard_keys(Path(shard.input_path)))
    writer = ShardWriter(
        state.shard_dir,
        max((s.index for s in state.shards), default=0) + 1,
        max_requests=max_requests_per_file,
        max_bytes=max_bytes_per_file,
    )
    new: list[Shard] = []

    def record(written: WrittenShard | None) -> None:
        if written is None:
            return
        index = writer.next_index - 1
        shard = Shard(
            index=index,
            input_path=str(written.path),
            lines=written.lines,
            bytes=written.bytes,
            sha256=written.sha256,
            model=sampling.model,
            written_at=time.time(),
            upload_name=f"chukmath-{journal.name}-{index:05d}-{written.sha256[:12]}.jsonl",
        )
        state.shards.append(shard)
        state.save()
        new.append(shard)
        report.new_shards.append(index)

    seen: set[Key] = set()
    try:
        for request in read_requests(requests_path):
            report.requests += 1
            for sample in range(samples):
                key = (request.id, sample)
                if key in seen:
                    continue
                seen.add(key)
                if key in answered:
                    report.already_answered += 1
                elif key in in_flight:
                    report.already_pending += 1
                else:
                    record(writer.add(request_line(request, sample, sampling)))
                    report.queued += 1
        record(writer.close())
    except BaseException:
        writer.discard()
        raise
    for shard in new:
        _send(state, shard, client, report)
    return report


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


def _refresh(state: BatchRunState, shard: Shard, client: openai.OpenAI) -> None:
    try:
        batch = client.batches.retrieve(shard.batch_id or "")
    except openai.APIError as exc:
        raise _api_error(f"reading batch {shard.batch_id} (shard {shard.index}) from {state.base_url}", exc) from None
    shard.remote_status = batch.status
    shard.remote_created_at = batch.created_at
    counts = batch.request_counts
    shard.request_counts = (
        {"total": counts.total, "completed": counts.completed, "failed": counts.failed} if counts else {}
    )
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
    live = [s for s in state.shards if s.open and s.batch_id and not s.terminal]
    if refresh and live:
        client = client_factory(state.base_url, state.api_key_env)
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


def _download(client: openai.OpenAI, file_id: str, dest: Path) -> None:
    # Streamed to disk: output files can be gigabytes.
    try:
        with client.files.with_streaming_response.content(file_id) as response, AtomicWriter(dest) as fh:
            for chunk in response.iter_bytes(1024 * 1024):
                fh.write(chunk)
    except openai.APIError as exc:
        raise _api_error(f"downloading file {file_id}", exc) from None


def _ingest(
    state: BatchRunState,
    shard: Shard,
    client: openai.OpenAI,
    answered: set[Key],
    stamped: set[Key],
    journal: JsonlAppender,
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
        batch_lines: list[dict[str, Any]] = []
        for _number, line in read_jsonl(local):
            key = parse_custom_id(line.get("custom_id"))
            if key is None or key not in keys:
                report.unknown_ids += 1
                continue
            got.add(key)
            if key in answered:
                report.skipped_answered += 1
                counts["skipped"] += 1
                continue
            if key in stamped:
                report.skipped_duplicate += 1
                continue
            response = result_to_response(line, key, shard.model, shard.ingest_created)
            stamped.add(key)
            batch_lines.append(response.to_dict())
            if response.ok:
                answered.add(key)
                report.appended_ok += 1
                counts["ok"] += 1
                report.truncated += response.finish_reason == "length"
                if response.usage:
                    report.prompt_tokens += response.usage.get("prompt_tokens", 0)
                    report.completion_tokens += response.usage.get("completion_tokens", 0)
            else:
                report.appended_errors += 1
                counts["errors"] += 1
            if len(batch_lines) >= 1000:
                journal.append_many(batch_lines)
                batch_lines = []
        journal.append_many(batch_lines)
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
    unsent = [s.index for s in state.shards if s.open and s.batch_id is None]
    if unsent:
        raise TeacherError(f"shards {unsent} of {state.path} were never sent; re-run `chukmath batch submit` first")
    client = client_factory(state.base_url, state.api_key_env)
    report = CollectReport()
    deadline = None if timeout is None else time.monotonic() + timeout
    with JsonlAppender(journal) as appender:
        while True:
            open_shards = [s for s in state.shards if s.open]
            for shard in open_shards:
                if not shard.terminal:
                    _refresh(state, shard, client)
            state.save()
            done = [s for s in open_shards if s.terminal]
            for shard in done:
                if shard.ingest_created is None:
                    # The stamp is recorded before any line is appended: a re-run after a crash mid-ingest
                    # recognises the lines it already wrote by it.
                    shard.ingest_created = time.time()
                    state.save()
            if done:
                answered, stamped = scan_journal(journal, {s.ingest_created for s in done if s.ingest_created})
                for shard in done:
                    assert shard.ingest_created is not None
                    _ingest(state, shard, client, answered, stamped[shard.ingest_created], appender, report)
            waiting = [s for s in state.shards if s.open]
            report.waiting = [s.batch_id or "" for s in waiting]
            if on_poll is not None:
                on_poll(waiting)
            if not wait or not waiting:
                return report
            if deadline is not None and time.monotonic() > deadline:
                return report
            time.sleep(poll_interval)
