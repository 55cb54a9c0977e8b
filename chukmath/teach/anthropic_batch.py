"""Claude through Message Batches (half price, up to 24 h): submit, status and collect into the same journal.

The OpenAI Batch teacher's run state (``<journal>.batches.json``, shard files beside it) is reused with
``provider = "anthropic"``: ``chukmath batch status`` and ``collect`` read the provider from the state, so the
commands are the same. The differences: no file upload (a batch is created from its requests in one call,
``POST /v1/messages/batches``), ``custom_id`` is ``<request id>-<sample>`` (Anthropic allows only
``[A-Za-z0-9_-]{1,64}``), and results are read from the batch's ``results_url``. Each line's ``params`` are
what :class:`~chukmath.teach.anthropic_teacher.AnthropicTeacher` would send live.

Crash safety is the OpenAI flow's: ``create_started`` is recorded before a batch is created, and a rerun that
finds it without a batch id looks for a batch created since then with the same number of requests before it
creates one; results are appended under an ingest stamp recorded first, so a collect that died mid-ingest
appends nothing twice.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError, InputError, TeacherError
from chukmath.jsonl import read_jsonl
from chukmath.records import Response
from chukmath.teach.anthropic_teacher import BadBody, anthropic_payload, message_fields, need_sdk
from chukmath.teach.batch_collect import BatchRow, CollectReport, ingest_result, stamped_keys
from chukmath.teach.batch_lines import ShardWriter, WrittenShard, parse_custom_id, read_requests, shard_keys
from chukmath.teach.batch_state import BatchRunState, Shard, load_state
from chukmath.teach.batch_submit import RECOVERY_WINDOW_S, SubmitReport
from chukmath.teach.journal import Journal, compact_key
from chukmath.teach.journal_model import claim_model
from chukmath.teach.openai_teacher import OpenAIConfig
from chukmath.teach.proxy import proxy_for, tls_context
from chukmath.teach.redact import redact, safe_url

PROVIDER = "anthropic"
TEACHER = "anthropic"
# Message Batches limits: 100,000 requests or 256 MB per batch.
MAX_REQUESTS_PER_BATCH = 100_000
MAX_BYTES_PER_BATCH = 256_000_000
_ERROR_KINDS = {"invalid_request_error": "http_4xx", "authentication_error": "http_4xx", "not_found_error":
                "http_4xx", "permission_error": "http_4xx", "rate_limit_error": "http_429", "api_error": "http_5xx",
                "overloaded_error": "http_5xx"}  # fmt: skip


def batch_custom_id(request_id: str, sample: int) -> str:
    """The ``custom_id`` of one journal key (Anthropic allows letters, digits, ``_`` and ``-``)."""
    return f"{request_id}-{sample}"


def sync_client(config: OpenAIConfig) -> Any:
    """A synchronous ``Anthropic`` client (its own retries on) for the batch control calls."""
    anthropic = need_sdk()
    http = anthropic.DefaultHttpxClient(proxy=proxy_for(config.base_url), verify=tls_context(), trust_env=False)
    return anthropic.Anthropic(api_key=config.api_key or "no-key", base_url=config.base_url,
                               timeout=config.timeout, max_retries=3, http_client=http)  # fmt: skip


ClientFactory = Callable[[OpenAIConfig], Any]


def _api_error(what: str, exc: Exception, key: str | None) -> TeacherError:
    return TeacherError(f"Message Batches: {what} failed: {redact(str(exc), key)}")


def _created(batch: Any) -> int | None:
    stamp = getattr(batch, "created_at", None)
    return int(stamp.timestamp()) if isinstance(stamp, datetime) else None


def _record(shard: Shard, batch: Any) -> None:
    shard.batch_id = batch.id
    shard.remote_status = batch.processing_status
    counts = batch.request_counts
    shard.request_counts = {k: int(getattr(counts, k, 0) or 0) for k in
                            ("processing", "succeeded", "errored", "canceled", "expired")}  # fmt: skip
    shard.remote_created_at = _created(batch)


def _find_batch(client: Any, shard: Shard) -> Any | None:
    """A batch a crashed submit may have created for ``shard``: made since ``create_started``, same size."""
    assert shard.create_started is not None
    for batch in client.messages.batches.list(limit=100):
        created = _created(batch)
        if created is None or created < shard.create_started - RECOVERY_WINDOW_S:
            continue
        total = sum(int(getattr(batch.request_counts, k, 0) or 0) for k in
                    ("processing", "succeeded", "errored", "canceled", "expired"))  # fmt: skip
        if total == shard.lines:
            return batch
    return None


def _send(state: BatchRunState, shard: Shard, client: Any, report: SubmitReport, key: str | None) -> None:
    sdk = need_sdk()
    try:
        if shard.create_started is not None:
            found = _find_batch(client, shard)
            if found is not None:
                _record(shard, found)
                state.save()
                report.recovered.append(found.id)
                return
        shard.create_started = time.time()
        state.save()
        requests = [line for _, line in read_jsonl(Path(shard.input_path))]
        batch = client.messages.batches.create(requests=requests)
    except sdk.APIError as exc:
        raise _api_error(f"creating the batch of shard {shard.index}", exc, key) from None
    _record(shard, batch)
    state.save()
    report.created.append(batch.id)


def submit_anthropic_batches(
    requests_path: Path,
    journal: Path,
    config: OpenAIConfig,
    *,
    samples: int = 1,
    max_requests_per_batch: int = MAX_REQUESTS_PER_BATCH,
    max_bytes_per_batch: int = MAX_BYTES_PER_BATCH,
    allow_model_change: bool = False,
    client_factory: ClientFactory = sync_client,
) -> SubmitReport:
    """Queue every (request, sample) not answered in ``journal`` nor pending, as Message Batches; send them."""
    config.validate()
    if samples < 1:
        raise ConfigError(f"--samples must be at least 1 (got {samples})")
    state = load_state(journal)
    pending = [s for s in state.shards if s.open]
    if pending and (state.provider != PROVIDER or state.base_url != config.base_url):
        raise ConfigError(
            f"{state.path}: batches of this journal are pending on {state.provider} at "
            f"{safe_url(state.base_url or '')}; collect them (`chukmath batch collect --journal {journal}`) first"
        )
    state.provider, state.base_url, state.api_key_env = PROVIDER, config.base_url, config.api_key_env
    client = client_factory(config)
    report = SubmitReport()
    with Journal(journal) as answered:
        claim_model(answered, config.model, teacher=TEACHER, allow_change=allow_model_change)
        for shard in pending:
            if shard.batch_id is None:
                _send(state, shard, client, report, config.api_key)
        in_flight = {compact_key(*k) for s in pending for k in shard_keys(Path(s.input_path))}
        writer = ShardWriter(state.shard_dir, max((s.index for s in state.shards), default=0) + 1,
                             max_requests=max_requests_per_batch, max_bytes=max_bytes_per_batch)  # fmt: skip
        new: list[Shard] = []

        def record(written: WrittenShard | None) -> None:
            if written is None:
                return
            shard = Shard(index=writer.next_index - 1, input_path=str(written.path), lines=written.lines,
                          bytes=written.bytes, sha256=written.sha256, model=config.model, written_at=time.time(),
                          upload_name="")  # fmt: skip
            state.shards.append(shard)
            state.save()
            new.append(shard)
            report.new_shards.append(shard.index)

        seen: set[int] = set()
        try:
            for request in read_requests(requests_path):
                report.requests += 1
                params = anthropic_payload(config, request.messages)
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
                        line = {"custom_id": batch_custom_id(request.id, sample), "params": params}
                        record(writer.add(line))
                        report.queued += 1
            record(writer.close())
        except BaseException:
            writer.discard()
            raise
        for shard in new:
            _send(state, shard, client, report, config.api_key)
    return report


def _config(state: BatchRunState, key: str | None) -> OpenAIConfig:
    return OpenAIConfig(base_url=state.base_url or "", model="-", api_key=key, api_key_env=state.api_key_env)


def result_response(line: dict[str, Any], key: tuple[str, int], model: str, created: float) -> Response:
    """The journal line for one Message Batches result."""
    result = line.get("result") if isinstance(line.get("result"), dict) else {}
    kind = result.get("type")

    def failed(error_kind: str, message: str) -> Response:
        return Response(request_id=key[0], sample=key[1], teacher=TEACHER, model=model, content=None,
                        error={"kind": error_kind, "message": redact(message)}, created=created)  # fmt: skip

    if kind == "succeeded" and isinstance(result.get("message"), dict):
        try:
            content, reasoning, finish, usage, answered_as = message_fields(result["message"])
        except BadBody as exc:
            return failed("bad_body", str(exc))
        return Response(request_id=key[0], sample=key[1], teacher=TEACHER, model=answered_as or model,
                        content=content, reasoning_content=reasoning, finish_reason=finish, usage=usage,
                        created=created)  # fmt: skip
    if kind == "errored":
        error = result.get("error") if isinstance(result.get("error"), dict) else {}
        inner = error.get("error") if isinstance(error.get("error"), dict) else error
        etype = str(inner.get("type") or "api_error")
        return failed(_ERROR_KINDS.get(etype, "http_4xx"), f"{etype}: {inner.get('message', 'batch request failed')}")
    if kind in ("canceled", "expired"):
        return failed(kind, f"the batch request was {kind} before it was answered")
    return failed("bad_body", f"result of unknown type {kind!r}")


def _ingest(state: BatchRunState, shard: Shard, client: Any, journal: Journal, stamped: set[tuple[str, int]],
            report: CollectReport, key: str | None) -> None:
    sdk = need_sdk()
    assert shard.ingest_created is not None and shard.batch_id is not None
    keys = set(shard_keys(Path(shard.input_path)))
    got: set[tuple[str, int]] = set()
    counts = {"ok": 0, "errors": 0, "skipped": 0}
    usage = {"input_tokens": 0, "output_tokens": 0}
    try:
        results = list(client.messages.batches.results(shard.batch_id))
    except sdk.APIError as exc:
        raise _api_error(f"reading the results of {shard.batch_id}", exc, key) from None
    for item in results:
        line = item.model_dump(mode="json") if hasattr(item, "model_dump") else dict(item)
        response = ingest_result(
            parse_custom_id(line.get("custom_id")),
            lambda k, line=line: result_response(line, k, shard.model, shard.ingest_created),
            keys=keys, got=got, journal=journal, stamped=stamped, report=report, counts=counts,
        )  # fmt: skip
        if response is not None and response.ok and response.usage:
            usage["input_tokens"] += response.usage.get("prompt_tokens", 0)
            usage["output_tokens"] += response.usage.get("completion_tokens", 0)
    report.unanswered += len(keys - got)
    counts["unanswered"] = len(keys - got)
    shard.ingest_counts = counts
    shard.usage = usage
    shard.ingested = True
    state.save()
    report.ingested.append(shard.batch_id)
    bad = shard.request_counts.get("errored", 0) + shard.request_counts.get("expired", 0)
    if bad or counts["unanswered"]:
        report.not_ok_batches.append(f"{shard.batch_id} (shard {shard.index}): {bad} errored or expired, "
                                     f"{counts['unanswered']} unanswered")  # fmt: skip


def _refresh(state: BatchRunState, shard: Shard, client: Any, key: str | None) -> None:
    sdk = need_sdk()
    try:
        batch = client.messages.batches.retrieve(shard.batch_id)
    except sdk.APIError as exc:
        raise _api_error(f"reading batch {shard.batch_id}", exc, key) from None
    _record(shard, batch)


def _key(state: BatchRunState) -> str | None:
    return os.environ.get(state.api_key_env) or None


def anthropic_status(state: BatchRunState, *, refresh: bool = True, client_factory: ClientFactory = sync_client
                     ) -> list[BatchRow]:
    """One row per shard of an anthropic batch state; with ``refresh`` open batches are read again first."""
    live = [s for s in state.shards if s.open and s.batch_id and not s.terminal]
    if refresh and live:
        key = _key(state)
        client = client_factory(_config(state, key))
        for shard in live:
            _refresh(state, shard, client, key)
        state.save()
    return [
        BatchRow(index=s.index, batch_id=s.batch_id, status=("ingested:" if s.ingested else "") +
                 (s.remote_status or "written"), completed=s.request_counts.get("succeeded", 0),
                 failed=s.request_counts.get("errored", 0) + s.request_counts.get("expired", 0), total=s.lines,
                 created=s.remote_created_at, ingested=s.ingested, tokens_in=s.usage.get("input_tokens"),
                 tokens_out=s.usage.get("output_tokens"))
        for s in state.shards
    ]  # fmt: skip


def collect_anthropic(state: BatchRunState, journal: Path, *, wait: bool = False, poll_interval: float = 30.0,
                      timeout: float | None = None, client_factory: ClientFactory = sync_client,
                      on_poll: Callable[[list[Shard]], None] | None = None) -> CollectReport:
    """Ingest every ended, not yet ingested batch; with ``wait`` poll until none is open."""
    unsent = [s.index for s in state.shards if s.open and s.batch_id is None]
    if unsent:
        raise TeacherError(f"shards {unsent} of {state.path} were never sent; re-run `chukmath batch submit` first")
    key = _key(state)
    if key is None and not state.base_url:
        raise InputError(f"{state.path}: no base URL recorded")
    client = client_factory(_config(state, key))
    report = CollectReport()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        open_shards = [s for s in state.shards if s.open]
        for shard in open_shards:
            if not shard.terminal:
                _refresh(state, shard, client, key)
        state.save()
        done = [s for s in open_shards if s.terminal]
        if done:
            with Journal(journal) as appender:
                resumed = stamped_keys(journal, [s.ingest_created for s in done if s.ingest_created is not None])
                for shard in done:
                    if shard.ingest_created is None:
                        shard.ingest_created = time.time()
                        state.save()
                    _ingest(state, shard, client, appender, resumed.get(shard.ingest_created, set()), report, key)
        waiting = [s for s in state.shards if s.open]
        report.waiting = [s.batch_id or "" for s in waiting]
        if on_poll is not None:
            on_poll(waiting)
        if not wait or not waiting:
            return report
        if deadline is not None and time.monotonic() > deadline:
            return report
        time.sleep(poll_interval)

