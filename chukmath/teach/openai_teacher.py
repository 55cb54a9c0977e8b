"""The ``openai`` teacher: any OpenAI-compatible ``/chat/completions`` endpoint, with retries and rate limits.

It sends one completion per (request, sample) with ``n`` left at 1 (portable across OpenAI, DeepSeek,
vLLM, Ollama and llama.cpp) and ``seed + sample`` when a seed is set, over the lean keep-alive client in
:mod:`chukmath.teach.http_client`. The API key is held only in the request headers; every message that
leaves this module is passed through :func:`redact`, and every answer is scrubbed of the key before it is
returned (so a teacher that echoes it cannot put it in the journal).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from chukmath.errors import (
    BadBody,
    ConfigError,
    HTTPConnectError,
    HTTPConnectionError,
    HTTPProtocolError,
    HTTPTimeout,
    HTTPTLSError,
    NotSent,
    TeacherError,
)
from chukmath.records import Request, Response
from chukmath.teach.proxy import open_client
from chukmath.teach.ratelimit import RateLimiter
from chukmath.teach.redact import MAX_MESSAGE_CHARS, check_api_key, check_base_url, redact, safe_url, scrub_secrets
from chukmath.teach.retry import RETRYABLE_KINDS, RetryPolicy, parse_retry_after, status_kind

# Statuses that mean the run as configured cannot work (bad key, no access, wrong URL or model); seen
# before any success they stop the run instead of being recorded once per request.
FATAL_BEFORE_SUCCESS = frozenset({401, 403, 404})
# Failure kinds that, once a request has used up its retries without the endpoint ever answering, stop the run.
UNREACHABLE_BEFORE_SUCCESS = frozenset({"connection", "timeout"})
# A key shorter than this is a placeholder that local servers accept ("x", "none"), not a secret; replacing
# it in answer text would corrupt ordinary words and numbers. Error messages still hide it (redact()).
MIN_SCRUBBED_KEY_CHARS = 8


@dataclass(slots=True)
class OpenAIConfig:
    """What to send and how hard to try. ``extra_body`` is merged into every request body."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    seed: int | None = None
    extra_body: dict[str, Any] = field(default_factory=dict)
    timeout: float = 600.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    rpm: float | None = None
    tpm: float | None = None
    # The environment variable the key came from: named in messages, and its value is kept out of answers.
    api_key_env: str = "OPENAI_API_KEY"
    # Several servers of the same model (base_url is the first): requests are spread over them (chukmath.teach.fleet).
    base_urls: list[str] = field(default_factory=list)

    def validate(self) -> None:
        """Raise ConfigError naming the first bad option."""
        for url in self.base_urls or [self.base_url]:
            check_base_url(url)
        check_api_key(self.api_key, f"environment variable {self.api_key_env or 'for the API key'}")
        if not self.model:
            raise ConfigError("--model: the openai teacher needs a model name (e.g. --model gpt-4o-mini)")
        if self.temperature is not None and not 0 <= self.temperature <= 2:
            raise ConfigError(f"--temperature {self.temperature}: must be between 0 and 2")
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise ConfigError(f"--top-p {self.top_p}: must be in (0, 1]")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigError(f"--max-tokens {self.max_tokens}: must be >= 1")
        if self.timeout <= 0:
            raise ConfigError(f"--timeout {self.timeout}: must be > 0 seconds")
        if self.retry.max_retries < 0:
            raise ConfigError(f"--max-retries {self.retry.max_retries}: must be >= 0")
        for flag, limit in (("--rpm", self.rpm), ("--tpm", self.tpm)):
            if limit is not None and not limit > 0:
                raise ConfigError(f"{flag} {limit:g}: must be > 0 (leave it out for no limit)")
        reserved = {"messages", "model", "stream", "n"} & set(self.extra_body)
        if reserved:
            raise ConfigError(f"extra body parameter(s) {', '.join(sorted(reserved))}: set by chukmath, not allowed")


def server_message(body: bytes) -> str:
    """The ``error.message`` of an error body, else the start of the body as text."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:MAX_MESSAGE_CHARS].decode("utf-8", "replace").strip()
    if isinstance(data, dict):
        err = data.get("error")
        message = err.get("message") if isinstance(err, dict) else err
        if not isinstance(message, str):
            message = data.get("message")
        if isinstance(message, str):
            return message
    return body[:MAX_MESSAGE_CHARS].decode("utf-8", "replace").strip()


def parse_completion(body: bytes) -> tuple[str, str | None, str | None, dict[str, int] | None, str | None]:
    """``(content, reasoning_content, finish_reason, usage, model)`` of a chat completion; raises BadBody."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadBody(f"response body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise BadBody("response body is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BadBody("response has no choices")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise BadBody("response choice has no message")
    finish = choice.get("finish_reason")
    finish = finish if isinstance(finish, str) else None
    content = message.get("content")
    # Reasoning models put their chain of thought beside the answer; vLLM and OpenRouter call it "reasoning".
    reasoning = message.get("reasoning_content")
    if not isinstance(reasoning, str):
        reasoning = message.get("reasoning") if isinstance(message.get("reasoning"), str) else None
    if not isinstance(content, str):
        if finish != "length":
            raise BadBody(f"response message has no text content (finish_reason {finish!r})")
        content = ""
    usage = None
    raw_usage = data.get("usage")
    if isinstance(raw_usage, dict):
        usage = {k: raw_usage[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens")
                 if isinstance(raw_usage.get(k), int)}
        usage = usage or None
    model = data.get("model") if isinstance(data.get("model"), str) else None
    return content, reasoning, finish, usage, model


class OpenAITeacher:
    """Teacher over an OpenAI-compatible endpoint. Use ``async with`` or call ``aclose()``."""

    name = "openai"
    # Where answers are asked for, below the base URL (a subclass for another API sets its own).
    path = "/chat/completions"

    def __init__(self, config: OpenAIConfig, *, rng: random.Random | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        """``transport`` replaces the network (``httpx.MockTransport`` in tests; a fleet's servers share it)."""
        config.validate()
        self.config = config
        self._transport = transport
        self.model = config.model
        self._client: Any = self._open_client(config)
        self._limiter = RateLimiter(config.rpm, config.tpm)
        self._rng = rng or random.Random()
        self._seen_success = False
        # A teacher that echoes the key inside an answer (a debugging proxy, a prompt-injected model) would
        # put it in the journal and from there into train, rejects and the dataset card: answers are scrubbed
        # of it before they are returned, so it never reaches a file or a log.
        env_value = os.environ.get(config.api_key_env) if config.api_key_env else None
        self._secrets = tuple(sorted({k for k in (config.api_key, env_value)
                                      if k and len(k) >= MIN_SCRUBBED_KEY_CHARS}, key=len, reverse=True))
        self.retries = 0
        # Set by the runner: at most this many requests in flight (a request waiting to be retried holds none),
        # and once the run stops, no request that was not sent yet is sent.
        self._in_flight: asyncio.Semaphore | None = None
        self._probing: asyncio.Semaphore | None = None
        self._stop: asyncio.Event | None = None
        base: dict[str, Any] = {"model": config.model}
        if config.temperature is not None:
            base["temperature"] = config.temperature
        if config.top_p is not None:
            base["top_p"] = config.top_p
        if config.max_tokens is not None:
            base["max_tokens"] = config.max_tokens
        base.update(config.extra_body)
        self._base = base

    def _open_client(self, config: OpenAIConfig) -> Any:
        headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        # Direct endpoints get the lean client; one that HTTPS_PROXY/HTTP_PROXY (less NO_PROXY) routes through a
        # proxy gets the httpx-based one (chukmath.teach.proxy); several base URLs get a fleet of them.
        if len(config.base_urls) > 1:
            from chukmath.teach.fleet import FleetClient

            return FleetClient(config.base_urls, headers=headers, timeout=config.timeout, policy=config.retry,
                               transport=self._transport)
        return open_client(config.base_url, headers=headers, timeout=config.timeout, transport=self._transport)

    def parse(self, body: bytes) -> tuple[str, str | None, str | None, dict[str, int] | None, str | None]:
        """``(content, reasoning_content, finish_reason, usage, model)`` of a 200 answer; raises BadBody."""
        return parse_completion(body)

    def limit_in_flight(self, n: int, stop: asyncio.Event | None = None) -> None:
        """Send at most ``n`` requests at once, and no new one once ``stop`` is set (``answer`` raises NotSent).

        A request waiting for its retry (after a 429's Retry-After, or a backoff) does not count, so the
        caller may keep more than ``n`` requests in progress.
        """
        self._in_flight = asyncio.Semaphore(n)
        self._probing = asyncio.Semaphore(n)
        self._stop = stop

    async def _post(self, body: bytes, estimate: int, first: bool) -> Any:
        if self._in_flight is None:
            if self._limiter.active:
                await self._limiter.acquire(estimate)
            return await self._client.post(self.path, body)
        async with self._in_flight:
            if first and self._stop is not None and self._stop.is_set():
                raise NotSent
            # The rate limit is waited for inside the slot, so admitted requests go out as the limiter
            # paces them instead of bunching up behind the slots.
            if self._limiter.active:
                await self._limiter.acquire(estimate)
            return await self._client.post(self.path, body)

    async def __aenter__(self) -> OpenAITeacher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    def body(self, request: Request, sample: int) -> bytes:
        """The JSON body sent for sample ``sample`` of ``request``."""
        payload = dict(self._base)
        payload["messages"] = request.messages
        if self.config.seed is not None:
            payload["seed"] = self.config.seed + sample
        return orjson.dumps(payload)

    def _estimate_tokens(self, request: Request) -> int:
        chars = sum(len(m.get("content", "")) for m in request.messages)
        return chars // 4 + 1 + (self.config.max_tokens or 1024)

    async def answer(self, request: Request, sample: int) -> Response:
        """One sample, retried per the policy; the last failure becomes an error Response."""
        if self._probing is not None and not self._seen_success:
            # Until the endpoint has answered once, a request waiting to retry keeps its slot: an address
            # where nothing answers gets the first few requests, not a new one in every backoff.
            async with self._probing:
                return await self._answer(request, sample)
        return await self._answer(request, sample)

    async def _answer(self, request: Request, sample: int) -> Response:
        body = self.body(request, sample)
        estimate = self._estimate_tokens(request) if self._limiter.active else 0
        policy = self.config.retry
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += 1
            retry_after: float | None = None
            refused: str | None = None
            try:
                res = await self._post(body, estimate, attempts == 1)
            except HTTPTimeout as exc:
                kind, message = "timeout", str(exc)
            except HTTPTLSError as exc:
                if not self._seen_success:
                    raise TeacherError(f"{safe_url(self.config.base_url)}: {exc}") from None
                kind, message = "connection", str(exc)
            except HTTPConnectError as exc:
                kind, message, refused = "connection", str(exc), exc.reason
            except HTTPConnectionError as exc:
                # The connection was made, so the server was there: it closed it (or died) mid-exchange.
                kind = "connection"
                message = f"the server at {safe_url(self.config.base_url)} went away mid-response: {exc}"
            except HTTPProtocolError as exc:
                kind, message = "bad_body", f"invalid HTTP response: {exc}"
            else:
                if res.status == 200:
                    try:
                        content, reasoning, finish, usage, model = self.parse(res.body)
                    except BadBody as exc:
                        kind, message = "bad_body", str(exc)
                    else:
                        self._seen_success = True
                        if self._secrets:
                            content, reasoning, model = self._scrub(content, reasoning, model)
                        if self._limiter.active:
                            self._limiter.settle(estimate, usage.get("total_tokens") if usage else None)
                        return Response(
                            request_id=request.id, sample=sample, teacher=self.name, model=model or self.model,
                            content=content, reasoning_content=reasoning, finish_reason=finish, usage=usage,
                            error=None, attempts=attempts, latency_s=round(time.monotonic() - started, 4),
                            created=round(time.time(), 3),
                        )
                else:
                    kind = status_kind(res.status)
                    message = f"HTTP {res.status}: {server_message(res.body)}"
                    retry_after = parse_retry_after(res.headers)
                    if res.status in FATAL_BEFORE_SUCCESS and not self._seen_success:
                        raise TeacherError(
                            f"{safe_url(self.config.base_url)}: {redact(message, self.config.api_key)} — the endpoint "
                            "refused the first request; check --base-url, --model and the API key variable "
                            "(nothing was recorded for this request, so a rerun will send it)"
                        )
            if kind not in RETRYABLE_KINDS or attempts > policy.max_retries:
                url = safe_url(self.config.base_url)
                if refused is not None and self._client.connected_once:
                    # It was there earlier in this run and now no connection can be made: the process died or
                    # was stopped. Every other request would fail the same way after its own retries.
                    raise TeacherError(
                        f"the server at {url} went away: it accepted connections earlier in this run and now none "
                        f"can be made ({redact(refused)}; {attempts} attempt(s)) — the journal keeps every answer "
                        "received; start the server again and rerun the same command to resume"
                    )
                if kind in UNREACHABLE_BEFORE_SUCCESS and not self._seen_success:
                    # Nothing has ever answered: the address (or --timeout) is wrong, not one request unlucky.
                    # Recording it and going on would spend minutes of backoff on every request in the file.
                    raise TeacherError(
                        f"{'cannot reach ' if refused is not None else ''}{url}: no answer to the first request "
                        f"after {attempts} attempt(s): {redact(message, self.config.api_key)} — is the server "
                        "running at this address, and is --timeout long enough for it? (nothing was recorded for "
                        "this request, so a rerun will send it)"
                    )
                return Response(
                    request_id=request.id, sample=sample, teacher=self.name, model=self.model, content=None,
                    error={"kind": kind, "message": redact(message, self.config.api_key)}, attempts=attempts,
                    latency_s=round(time.monotonic() - started, 4), created=round(time.time(), 3),
                )
            self.retries += 1
            # Only this request waits (for Retry-After when the server gave one); the others keep going. A
            # server that is really rate limiting says so to each of them, and each then waits its turn.
            await asyncio.sleep(policy.delay(attempts, retry_after, self._rng))

    def _scrub(self, content: str, reasoning: str | None, model: str | None) -> tuple[str, str | None, str | None]:
        secrets = self._secrets
        return (scrub_secrets(content, secrets), None if reasoning is None else scrub_secrets(reasoning, secrets),
                None if model is None else scrub_secrets(model, secrets))
