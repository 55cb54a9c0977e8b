"""The ``anthropic`` teacher: Claude through the Messages API, with the openai teacher's retries, journal and costs.

Requests go through the official ``anthropic`` SDK (``pip install 'chukmath[anthropic]'``), with the SDK's own
retries off: retries, backoff, ``Retry-After``, rate limits, the first-request checks and key scrubbing are the
ones of :class:`~chukmath.teach.openai_teacher.OpenAITeacher`, which this class extends. What differs is the shape:

* the chat's system message goes into the top-level ``system`` parameter, the rest stay ``messages``;
* ``max_tokens`` is required by the API (4096 when not set);
* Anthropic's newer models take ``temperature`` or ``top_p``, not both: ``temperature`` is sent, and ``top_p``
  only when no temperature is set; there is no ``seed``;
* ``thinking`` content blocks (extended thinking, ``--extra-body '{"thinking": {...}}'``) become
  ``reasoning_content``, ``text`` blocks the content; ``stop_reason`` ``max_tokens`` is ``finish_reason``
  ``length`` (truncated), ``end_turn`` / ``stop_sequence`` are ``stop``;
* usage ``input_tokens`` (plus cache reads and writes) are prompt tokens, ``output_tokens`` completion tokens.

The key is read from ``ANTHROPIC_API_KEY`` (or ``--api-key-env``) and sent as ``x-api-key``; a proxy from
``HTTPS_PROXY`` / ``NO_PROXY`` and a CA from ``SSL_CERT_FILE`` apply as for the openai teacher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from chukmath.errors import ConfigError
from chukmath.records import Request
from chukmath.teach.http_client import (
    HTTPConnectError,
    HTTPConnectionError,
    HTTPProtocolError,
    HTTPResponse,
    HTTPTimeout,
    HTTPTLSError,
)
from chukmath.teach.openai_teacher import BadBody, OpenAIConfig, OpenAITeacher
from chukmath.teach.proxy import _cert_problem, proxy_for, tls_context
from chukmath.teach.redact import safe_url

DEFAULT_MAX_TOKENS = 4096
# Parameters of create() itself; anything else goes in as extra_body (temperature, top_p, thinking, ...).
_SDK_PARAMS = ("model", "max_tokens", "messages", "system")
_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "model_context_window_exceeded":
           "length"}


def need_sdk() -> Any:
    """The ``anthropic`` module, or a ConfigError saying how to install it."""
    try:
        import anthropic
    except ImportError:
        raise ConfigError(
            "--teacher anthropic needs the anthropic SDK: pip install 'chukmath[anthropic]' (or pip install anthropic)"
        ) from None
    return anthropic


@dataclass(slots=True)
class AnthropicConfig(OpenAIConfig):
    """The openai teacher's options, read for the Messages API (see the module docstring for what differs)."""

    api_key_env: str = "ANTHROPIC_API_KEY"

    def validate(self) -> None:
        """Raise ConfigError naming the first bad option."""
        if not self.model:
            raise ConfigError("--model: the anthropic teacher needs a model name (e.g. --model claude-sonnet-4-5)")
        if self.seed is not None:
            raise ConfigError("--seed: the Messages API has no seed; leave it out for --teacher anthropic")
        if self.temperature is not None and not 0 <= self.temperature <= 1:
            raise ConfigError(f"--temperature {self.temperature}: the Messages API takes 0 to 1")
        reserved = {"messages", "model", "stream", "system"} & set(self.extra_body)
        if reserved:
            raise ConfigError(f"extra body parameter(s) {', '.join(sorted(reserved))}: set by chukmath, not allowed")
        OpenAIConfig.validate(self)


def anthropic_payload(config: OpenAIConfig, messages: list[dict[str, str]]) -> dict[str, Any]:
    """The Messages API body for a chat: system messages joined into ``system``, the rest as ``messages``."""
    system = "\n\n".join(m["content"] for m in messages if m.get("role") == "system")
    payload: dict[str, Any] = {
        "model": config.model,
        "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
        "messages": [{"role": m["role"], "content": m["content"]} for m in messages if m.get("role") != "system"],
    }
    if system:
        payload["system"] = system
    if config.temperature is not None:
        payload["temperature"] = config.temperature
    elif config.top_p is not None:
        payload["top_p"] = config.top_p
    payload.update(config.extra_body)
    return payload


def parse_message(body: bytes) -> tuple[str, str | None, str | None, dict[str, int] | None, str | None]:
    """``(content, reasoning_content, finish_reason, usage, model)`` of a Messages API answer; raises BadBody."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadBody(f"response body is not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise BadBody("response is not a message (no content list)")
    return message_fields(data)


def message_fields(data: dict[str, Any]) -> tuple[str, str | None, str | None, dict[str, int] | None, str | None]:
    """The journal fields of a message object (a live answer, or a batch result's ``message``)."""
    texts: list[str] = []
    thoughts: list[str] = []
    for block in data.get("content") or []:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "text" and isinstance(block.get("text"), str):
            texts.append(block["text"])
        elif block.get("type") == "thinking" and isinstance(block.get("thinking"), str):
            thoughts.append(block["thinking"])
    stop = data.get("stop_reason")
    finish = _FINISH.get(stop, stop) if isinstance(stop, str) else None
    if not texts and finish != "length":
        raise BadBody(f"message has no text content (stop_reason {stop!r})")
    usage = None
    raw = data.get("usage")
    if isinstance(raw, dict):
        ints = {k: v for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool)}
        prompt = sum(ints.get(k, 0) for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"))
        completion = ints.get("output_tokens", 0)
        if ints:
            usage = {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
    model = data.get("model") if isinstance(data.get("model"), str) else None
    return "".join(texts), ("\n\n".join(thoughts) if thoughts else None), finish, usage, model


def sdk_client(config: OpenAIConfig, transport: Any = None) -> Any:
    """An ``AsyncAnthropic`` with its retries off, its proxy and trust store chosen as for the lean client (or over
    ``transport``: an async transport of the HTTP library the installed SDK uses, httpx or httpx2 by release, e.g.
    its ``MockTransport`` in tests)."""
    anthropic = need_sdk()
    proxy = None if transport is not None else proxy_for(config.base_url)
    http = anthropic.DefaultAsyncHttpxClient(proxy=proxy, transport=transport, verify=tls_context(), trust_env=False)
    # A local server needs no key, but the SDK insists on one: a placeholder goes in the header instead.
    return anthropic.AsyncAnthropic(api_key=config.api_key or "no-key", base_url=config.base_url,
                                    timeout=config.timeout, max_retries=0, http_client=http)


class _SDKTransport:
    """The lean client's ``post`` over the SDK: statuses come back as responses, failures as the same errors."""

    def __init__(self, config: OpenAIConfig, transport: Any = None) -> None:
        self._sdk = need_sdk()
        self._client = sdk_client(config, transport)
        self._url = safe_url(config.base_url)
        self.connected_once = False

    async def post(self, path: str, body: bytes, *, timeout: float | None = None) -> HTTPResponse:
        sdk = self._sdk
        payload = orjson.loads(body)
        kwargs = {k: payload.pop(k) for k in _SDK_PARAMS if k in payload}
        try:
            raw = await self._client.messages.with_raw_response.create(**kwargs, extra_body=payload or None)
        except sdk.APITimeoutError:
            raise HTTPTimeout(f"no complete response from {self._url}") from None
        except sdk.APIStatusError as exc:
            self.connected_once = True
            res = exc.response
            return HTTPResponse(res.status_code, {k.lower(): v for k, v in res.headers.items()}, res.content)
        except sdk.APIConnectionError as exc:
            bad = _cert_problem(exc)
            if bad is not None:
                raise HTTPTLSError(
                    f"TLS certificate of {self._url} not trusted ({bad.verify_message}); if the endpoint uses a "
                    "private CA, point SSL_CERT_FILE at its certificate"
                ) from None
            cause = exc.__cause__
            reason = str(cause or exc) or type(cause or exc).__name__
            if type(cause).__name__ in ("ConnectError", "ProxyError"):
                raise HTTPConnectError(f"cannot connect to {self._url} ({reason})", reason) from None
            raise HTTPConnectionError(f"connection closed before a complete response ({reason})") from None
        except sdk.APIError as exc:  # e.g. a body the SDK could not read
            raise HTTPProtocolError(str(exc)) from None
        self.connected_once = True
        res = raw.http_response
        return HTTPResponse(res.status_code, {k.lower(): v for k, v in res.headers.items()}, res.content)

    async def aclose(self) -> None:
        await self._client.close()


class AnthropicTeacher(OpenAITeacher):
    """Teacher over the Anthropic Messages API (``POST /v1/messages``). Use ``async with`` or ``aclose()``.

    Its ``transport`` is one of the SDK's HTTP library (:func:`sdk_client`)."""

    name = "anthropic"
    path = "/v1/messages"

    def _open_client(self, config: OpenAIConfig) -> Any:
        return _SDKTransport(config, self._transport)

    def parse(self, body: bytes) -> tuple[str, str | None, str | None, dict[str, int] | None, str | None]:
        return parse_message(body)

    def body(self, request: Request, sample: int) -> bytes:
        """The Messages API body for ``request`` (the same for every sample: there is no seed)."""
        return orjson.dumps(anthropic_payload(self.config, request.messages))
