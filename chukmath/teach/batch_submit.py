"""``submit``: queue what the journal lacks, write shards at the API's limits, upload them, create batches.

Every step is recorded in the run state before the next starts; a step that was started but whose reply
was lost is looked up on the server on the next run (by upload name and batch metadata), so a crash or
timeout never uploads or pays for a batch twice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import openai

from chukmath.errors import ConfigError, InputError
from chukmath.teach.batch_client import ClientFactory, api_error, make_client, resolve_base_url
from chukmath.teach.batch_lines import (
    ENDPOINT,
    MAX_BYTES_PER_FILE,
    MAX_REQUESTS_PER_FILE,
    Sampling,
    ShardWriter,
    WrittenShard,
    read_requests,
    request_line,
    shard_keys,
)
from chukmath.teach.batch_state import BatchRunState, Shard, load_state
from chukmath.teach.journal import Journal, compact_key
from chukmath.teach.journal_model import claim_model

# How far back (seconds) to look on the server for an upload or batch a crashed run may have made.
RECOVERY_WINDOW_S = 900.0


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
        raise api_error(f"uploading {where} to {state.base_url}", exc) from None
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
        raise api_error(
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
    allow_model_change: bool = False,
) -> SubmitReport:
    """Queue every (request, sample) not answered in ``journal`` and not pending in a batch; send the shards.

    Shards left unsent by an earlier run are sent first. Returns what was done.
    """
    if samples < 1:
        raise ConfigError(f"--samples must be at least 1 (got {samples})")
    base_url = resolve_base_url(base_url)
    state = load_state(journal)
    pending = [s for s in state.shards if s.open]
    if pending and state.provider != "openai":
        raise ConfigError(f"{state.path}: batches of this journal are pending on {state.provider}; collect them "
                          f"(`chukmath batch collect --out {journal}`) before submitting OpenAI batches")
    state.provider = "openai"
    if state.base_url is not None and state.base_url != base_url:
        if any(s.batch_id or s.create_started for s in pending):
            raise ConfigError(
                f"{state.path}: batches of this journal are pending on {state.base_url}; collect them "
                f"(`chukmath batch collect --out {journal}`) before submitting to {base_url}"
            )
        for shard in pending:
            # Only uploaded so far: the files on the old server are abandoned (they cost nothing).
            shard.upload_started = shard.file_id = None
    state.base_url, state.api_key_env = base_url, api_key_env
    client = client_factory(base_url, api_key_env)
    # Held open for the whole submit: its lock keeps a live `teach` from paying for the same keys now.
    with Journal(journal) as answered:
        claim_model(answered, sampling.model, teacher="batch", allow_change=allow_model_change)
        return _submit(state, pending, answered, client, requests_path, journal, sampling, samples,
                       max_requests_per_file, max_bytes_per_file)


def _submit(
    state: BatchRunState,
    pending: list[Shard],
    answered: Journal,
    client: openai.OpenAI,
    requests_path: Path,
    journal: Path,
    sampling: Sampling,
    samples: int,
    max_requests_per_file: int,
    max_bytes_per_file: int,
) -> SubmitReport:
    report = SubmitReport()
    for shard in pending:
        if shard.batch_id is None:
            _send(state, shard, client, report)
    # Compact int keys (as the journal keeps them): millions of tuples of strings would cost gigabytes.
    in_flight: set[int] = set()
    for shard in pending:
        in_flight.update(compact_key(*key) for key in shard_keys(Path(shard.input_path)))
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

    seen: set[int] = set()
    try:
        for request in read_requests(requests_path):
            report.requests += 1
            for sample in range(samples):
                key = compact_key(request.id, sample)
                if key in seen:
                    continue
                seen.add(key)
                if answered.is_done(request.id, sample):
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
