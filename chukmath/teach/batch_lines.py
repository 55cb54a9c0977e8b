"""Batch API lines, both ways: request ⇒ input line (``custom_id``, ``method``, ``url``, ``body``), shard
splitting at the API's limits, and output/error line ⇒ journal ``Response``. Pure apart from file writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chukmath.errors import ConfigError, InputError, OutputError
from chukmath.jsonl import dumps_line, read_jsonl
from chukmath.records import Request, Response

ENDPOINT = "/v1/chat/completions"
# The OpenAI Batch API's per-file limits.
MAX_REQUESTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 200_000_000
TEACHER = "batch"


@dataclass(frozen=True, slots=True)
class Sampling:
    """The request parameters sent with every line (None = let the server choose)."""

    model: str
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    extra_body: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.model:
            raise ConfigError("--model is required: the model name sent in every request body")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigError(f"--max-tokens {self.max_tokens}: must be >= 1")
        reserved = {"messages", "model", "stream", "n"} & set(self.extra_body)
        if reserved:
            raise ConfigError(f"extra body parameter(s) {', '.join(sorted(reserved))}: set by chukmath, not allowed")


def custom_id(request_id: str, sample: int) -> str:
    """The Batch API ``custom_id`` of one journal key."""
    return f"{request_id}:{sample}"


def parse_custom_id(value: object) -> tuple[str, int] | None:
    """The journal key in a ``custom_id``, or None if it is not one of ours."""
    if not isinstance(value, str) or len(value) > 256:
        return None
    # request_id:sample, or request_id-sample where a ":" is not allowed (Message Batches; ids are hex).
    request_id, sep, sample = value.rpartition(":") if ":" in value else value.rpartition("-")
    if not sep or not request_id or not sample.isdigit():
        return None
    return request_id, int(sample)


def request_line(request: Request, sample: int, sampling: Sampling) -> dict[str, Any]:
    """One Batch API input line. With a seed, sample k uses ``seed + k`` so samples differ reproducibly."""
    body: dict[str, Any] = {"model": sampling.model, "messages": request.messages}
    if sampling.temperature is not None:
        body["temperature"] = sampling.temperature
    if sampling.top_p is not None:
        body["top_p"] = sampling.top_p
    if sampling.max_tokens is not None:
        body["max_tokens"] = sampling.max_tokens
    if sampling.seed is not None:
        body["seed"] = sampling.seed + sample
    body.update(sampling.extra_body)
    return {"custom_id": custom_id(request.id, sample), "method": "POST", "url": ENDPOINT, "body": body}


@dataclass(frozen=True, slots=True)
class WrittenShard:
    path: Path
    lines: int
    bytes: int
    sha256: str


class ShardWriter:
    """Writes input lines into numbered files, starting a new one before a limit would be crossed.

    Each file is written under a temporary name and renamed into place when complete, so a shard file
    that exists is whole. ``on_shard`` runs after each rename (the caller records it in the run state).
    """

    def __init__(self, directory: Path, first_index: int, *, max_requests: int, max_bytes: int) -> None:
        if max_requests < 1 or max_bytes < 1:
            raise ConfigError(f"shard limits must be positive (got {max_requests} requests, {max_bytes} bytes)")
        self.directory = directory
        self.next_index = first_index
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self._fh: Any = None
        self._tmp = ""
        self._lines = 0
        self._bytes = 0
        self._sha = hashlib.sha256()

    def add(self, line: dict[str, Any]) -> WrittenShard | None:
        """Add one line; returns the shard that was closed to make room for it, if any."""
        raw = dumps_line(line)
        if len(raw) > self.max_bytes:
            raise ConfigError(
                f"request {line['custom_id']}: its batch line is {len(raw)} bytes, over the per-file limit "
                f"of {self.max_bytes}; shorten the prompt or raise --max-bytes-per-file"
            )
        closed = None
        if self._fh is not None and (self._lines + 1 > self.max_requests or self._bytes + len(raw) > self.max_bytes):
            closed = self.close()
        if self._fh is None:
            self._open()
        self._fh.write(raw)
        self._lines += 1
        self._bytes += len(raw)
        self._sha.update(raw)
        return closed

    def _open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=".input-", suffix=".tmp", dir=self.directory)
        except OSError as exc:
            raise OutputError(f"{self.directory}: cannot write batch input ({exc.strerror})") from None
        self._fh = os.fdopen(fd, "wb", buffering=1024 * 1024)
        self._lines, self._bytes, self._sha = 0, 0, hashlib.sha256()

    def close(self) -> WrittenShard | None:
        """Finish the current shard file (if any) and return it."""
        if self._fh is None:
            return None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        final = self.directory / f"input-{self.next_index:05d}.jsonl"
        os.replace(self._tmp, final)
        self.next_index += 1
        return WrittenShard(final, self._lines, self._bytes, self._sha.hexdigest())

    def discard(self) -> None:
        """Drop a half-written shard (after an error)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            Path(self._tmp).unlink(missing_ok=True)


def shard_keys(path: Path) -> Iterator[tuple[str, int]]:
    """The journal keys of a written shard file."""
    for number, line in read_jsonl(path):
        key = parse_custom_id(line.get("custom_id"))
        if key is None:
            raise InputError(f"{path}:{number}: custom_id {line.get('custom_id')!r} is not request_id:sample")
        yield key


def _error_kind(status: int) -> str:
    if status == 429:
        return "http_429"
    if status >= 500:
        return "http_5xx"
    return "http_4xx"


def _error_message(body: object, fallback: str) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
        if isinstance(message, str):
            return message[:1000]
    return fallback


def _usage(raw: object) -> dict[str, int] | None:
    if not isinstance(raw, dict):
        return None
    usage = {k: raw[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens") if isinstance(raw.get(k), int)}
    return usage or None


def result_to_response(line: dict[str, Any], key: tuple[str, int], model: str, created: float) -> Response:
    """Turn one output- or error-file line into a journal Response (failures become ``error`` entries)."""
    request_id, sample = key

    def failed(kind: str, message: str) -> Response:
        return Response(request_id, sample, TEACHER, model, None, error={"kind": kind, "message": message},
                        created=created)

    response = line.get("response")
    error = line.get("error")
    if not isinstance(response, dict):
        if isinstance(error, dict):
            code = str(error.get("code") or "batch_error")
            kind = "batch_expired" if code == "batch_expired" else "batch_error"
            return failed(kind, f"{code}: {str(error.get('message') or '')[:1000]}")
        return failed("bad_body", "batch result line has neither a response nor an error")
    status = response.get("status_code")
    body = response.get("body")
    if not isinstance(status, int):
        return failed("bad_body", "batch result has no integer status_code")
    if status != 200:
        return failed(_error_kind(status), f"HTTP {status}: {_error_message(body, 'no error message')}")
    choices = body.get("choices") if isinstance(body, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return failed("bad_body", "HTTP 200 body has no choices")
    message = choices[0].get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        return failed("bad_body", "HTTP 200 body has no message content")
    reasoning = message.get("reasoning_content") or message.get("reasoning")
    finish = choices[0].get("finish_reason")
    return Response(
        request_id,
        sample,
        TEACHER,
        str(body.get("model") or model),
        content,
        reasoning_content=reasoning if isinstance(reasoning, str) else None,
        finish_reason=finish if isinstance(finish, str) else None,
        usage=_usage(body.get("usage")),
        created=created,
    )


def read_requests(path: Path) -> Iterable[Request]:
    """Stream the requests file (one ``Request`` per line), naming file and line on bad input."""
    for number, data in read_jsonl(path):
        yield Request.from_dict(data, f"{path}:{number}")
